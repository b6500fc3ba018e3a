/**
 * The real data of the demo county, as extracted once by `scripts/extract-deqing.ts` into
 * `server/demo/data/deqing-real.json`: Deqing's boundary and its towns and villages with their
 * National Bureau of Statistics codes.
 */
import { readFileSync } from 'node:fs';
import type { MultiPolygon, Polygon } from 'geojson';
import { YituError } from '../platform/errors.ts';

/** A town or subdistrict of the statistical division list. */
export interface RealTown {
  /** 9-digit code, e.g. 330521001. */
  code: string;
  /** Name as published, e.g. 武康街道. */
  name: string;
}

/** A village or community (村委会/居委会) of the statistical division list. */
export interface RealVillage {
  /** 12-digit statistical code. */
  code: string;
  /** Name as published, e.g. 对河口村委会, 居仁社区居委会. */
  name: string;
  /** 9-digit code of its town. */
  townCode: string;
}

/** Contents of `deqing-real.json`. */
export interface DeqingRealData {
  source: Record<string, unknown>;
  county: { code: string; name: string; seat: [number, number] | null };
  boundary: Polygon | MultiPolygon;
  towns: RealTown[];
  villages: RealVillage[];
}

/** Where the extracted file lives. */
export const REAL_DATA_URL = new URL('./data/deqing-real.json', import.meta.url);

let cached: DeqingRealData | undefined;

/** Reads (once) and checks the extracted real data. */
export function loadDeqingRealData(): DeqingRealData {
  if (cached) return cached;
  let data: DeqingRealData;
  try {
    data = JSON.parse(readFileSync(REAL_DATA_URL, 'utf8')) as DeqingRealData;
  } catch (cause) {
    throw new YituError('YITU_ERR_INTERNAL', 'cannot read server/demo/data/deqing-real.json; run `npx tsx scripts/extract-deqing.ts`', { cause });
  }
  const ok =
    data?.county?.code === '330521' &&
    (data.boundary?.type === 'Polygon' || data.boundary?.type === 'MultiPolygon') &&
    Array.isArray(data.towns) &&
    data.towns.length > 0 &&
    Array.isArray(data.villages) &&
    data.villages.every((v) => /^\d{12}$/.test(v.code) && v.code.startsWith(v.townCode));
  if (!ok) throw new YituError('YITU_ERR_INTERNAL', 'server/demo/data/deqing-real.json is malformed; re-run `npx tsx scripts/extract-deqing.ts`');
  cached = data;
  return data;
}

/** Kind of a village-level unit from its published name: 居委会 is a community, 村委会 a village. */
export function villageKind(published: string): 'village' | 'community' {
  return /居委会$|居民委员会$/.test(published) ? 'community' : 'village';
}

/**
 * Everyday name of a village-level unit from its published committee name:
 * 居仁社区居委会 → 居仁社区, 封愚居委会 → 封愚社区, 对河口村委会 → 对河口村.
 */
export function villageDisplayName(published: string): string {
  return published
    .replace(/(社区)?(居委会|居民委员会)$/, '社区')
    .replace(/(村委会|村民委员会)$/, '村');
}

/** Kind of a town-level unit from its name. */
export function townKind(name: string): 'town' | 'subdistrict' {
  return name.endsWith('街道') ? 'subdistrict' : 'town';
}
