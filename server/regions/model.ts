import type { Geometry, MultiPolygon } from 'geojson';

/** Levels of the admin hierarchy, top down. */
export const LEVELS = ['county', 'town', 'village', 'grid'] as const;
/** A level of the admin hierarchy. */
export type RegionLevel = (typeof LEVELS)[number];

/** Length of a region code at each level: GB/T 2260 county (6), town (9), village (12), grid (15). */
export const CODE_LENGTH: Record<RegionLevel, number> = { county: 6, town: 9, village: 12, grid: 15 };

/** Kinds a region of each level may be. */
export const KINDS: Record<RegionLevel, readonly string[]> = {
  county: ['county', 'district', 'city'],
  town: ['town', 'subdistrict', 'township'],
  village: ['village', 'community'],
  grid: ['grid'],
};

/** The level a code of this length belongs to, or null. */
export function levelOfCode(code: string): RegionLevel | null {
  if (!/^[0-9]+$/.test(code)) return null;
  return LEVELS.find((l) => CODE_LENGTH[l] === code.length) ?? null;
}

/** The code of the parent a code implies (its prefix one level up), or null for a county. */
export function parentCodeOf(code: string): string | null {
  const level = levelOfCode(code);
  if (!level || level === 'county') return null;
  return code.slice(0, CODE_LENGTH[LEVELS[LEVELS.indexOf(level) - 1]]);
}

/** The codes of a code's ancestors, county first. */
export function ancestorCodesOf(code: string): string[] {
  const out: string[] = [];
  for (let p = parentCodeOf(code); p; p = parentCodeOf(p)) out.unshift(p);
  return out;
}

/** The 12-digit statistical code a region has by default: its code padded (or cut, for a grid) to 12 digits. */
export function defaultStatCode(code: string): string {
  return code.length >= 12 ? code.slice(0, 12) : code.padEnd(12, '0');
}

/** A region as given to {@link RegionService.loadRegions} (the demo's `DemoRegion` fits). */
export interface RegionInput {
  /** 6 (county), 9 (town), 12 (village) or 15 (grid) digits; a child's code starts with its parent's. */
  code: string;
  /** The 12-digit statistical code; derived from the code when absent. */
  statCode?: string;
  /** Checked against the code's length when given. */
  level?: RegionLevel;
  /** Checked against the code's prefix when given; null or absent for a county. */
  parentCode?: string | null;
  nameZh: string;
  /** English (pinyin) name; the Chinese name when absent. */
  nameEn?: string;
  /** county/district, town/subdistrict/township, village/community, grid; the level when absent. */
  kind?: string;
  population?: number | null;
  /** A Polygon or MultiPolygon in WGS84 / CGCS2000 longitude, latitude (stored as MultiPolygon); other types are refused. */
  geometry: Geometry;
}

/** A region as the API returns it. */
export interface Region {
  code: string;
  statCode: string;
  level: RegionLevel;
  kind: string;
  parentCode: string | null;
  name: { zh: string; en: string };
  population: number | null;
  /** Area in m², measured in the CGCS2000 3-degree Gauss–Krüger zone of the region (EPSG:4549 at 120°E). */
  areaM2: number;
  bbox: [number, number, number, number];
  /** GeoJSON MultiPolygon, when asked for. */
  geometry?: MultiPolygon;
}

/** A region with its context, as `GET /regions/{code}` returns it. */
export interface RegionDetail extends Region {
  /** Ancestors, county first. */
  parents: Region[];
  childrenCount: number;
  geometry: MultiPolygon;
}

/** Criteria of a region listing. */
export interface RegionQuery {
  level?: RegionLevel;
  /** Code of the parent region: its children. */
  parent?: string;
  /** Text in the Chinese or English name, or the beginning of the code. */
  q?: string;
  limit?: number;
  offset?: number;
  geometry?: boolean;
}

/** The regions containing a point, county first. */
export interface LocateResult {
  lon: number;
  lat: number;
  regions: Region[];
}
