import { readFileSync } from 'node:fs';
import type { MultiPolygon } from 'geojson';
import type { Queryable } from '../platform/db.ts';
import type { Region, RegionLevel, RegionQuery } from './model.ts';
import type { RegionRow } from './validate.ts';

/** Reads `sql/<name>.sql` without its comment lines (which may name the {{slots}} filled here). */
const sql = (name: string) =>
  readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n');
const INVALID_GEOMETRIES = sql('invalid-geometries');
const INSERT_REGIONS = sql('insert-regions');
const LOCATE = sql('locate');

const UPDATE_ON_CONFLICT = `ON CONFLICT (code) DO UPDATE SET stat_code = EXCLUDED.stat_code, level = EXCLUDED.level, kind = EXCLUDED.kind,
  parent_code = EXCLUDED.parent_code, name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, population = EXCLUDED.population,
  area_m2 = EXCLUDED.area_m2, geom = EXCLUDED.geom`;

/** Columns of a region without its geometry. */
export const REGION_COLUMNS = `code, stat_code, level, kind, parent_code, name_zh, name_en, population, area_m2,
  ARRAY[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)] AS bbox`;
/** The geometry as a GeoJSON object (7 decimals: about a centimetre). */
export const GEOMETRY_COLUMN = 'ST_AsGeoJSON(geom, 7)::json AS geometry';

/** A row of yitu.regions as the queries above return it. */
export interface RegionDbRow {
  code: string;
  stat_code: string;
  level: RegionLevel;
  kind: string;
  parent_code: string | null;
  name_zh: string;
  name_en: string;
  population: number | null;
  area_m2: number;
  bbox: number[];
  geometry?: MultiPolygon | string;
}

/** Maps a row to the API shape. */
export function toRegion(r: RegionDbRow): Region {
  const out: Region = {
    code: r.code,
    statCode: r.stat_code,
    level: r.level,
    kind: r.kind,
    parentCode: r.parent_code,
    name: { zh: r.name_zh, en: r.name_en },
    population: r.population,
    areaM2: Math.round(r.area_m2 * 100) / 100,
    bbox: r.bbox.map((v) => Math.round(v * 1e7) / 1e7) as Region['bbox'],
  };
  if (r.geometry !== undefined) out.geometry = typeof r.geometry === 'string' ? (JSON.parse(r.geometry) as MultiPolygon) : r.geometry;
  return out;
}

/** Which of these codes are stored. */
export async function existingCodes(db: Queryable, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const r = await db.query<{ code: string }>('SELECT code FROM yitu.regions WHERE code = ANY($1::text[])', [codes]);
  return new Set(r.rows.map((x) => x.code));
}

/** Splits rows into batches of about `maxBytes` of JSON (boundaries can be large). */
function batches(rows: RegionRow[], maxBytes = 4 * 1024 * 1024): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  let size = 0;
  for (const r of rows) {
    const json = JSON.stringify({
      code: r.code, stat_code: r.statCode, level: r.level, kind: r.kind, parent_code: r.parentCode,
      name_zh: r.nameZh, name_en: r.nameEn, population: r.population, geometry: r.geometry,
    });
    if (cur.length && size + json.length > maxBytes) {
      out.push(`[${cur.join(',')}]`);
      cur = [];
      size = 0;
    }
    cur.push(json);
    size += json.length;
  }
  if (cur.length) out.push(`[${cur.join(',')}]`);
  return out;
}

/** Boundaries PostGIS finds invalid (self-intersections…), with its reason. */
export async function invalidGeometries(db: Queryable, rows: RegionRow[]): Promise<Array<{ code: string; reason: string }>> {
  const out: Array<{ code: string; reason: string }> = [];
  for (const batch of batches(rows)) out.push(...(await db.query<{ code: string; reason: string }>(INVALID_GEOMETRIES, [batch])).rows);
  return out;
}

/** Inserts rows (parents first), or updates the stored ones with `update`. */
export async function insertRegions(db: Queryable, rows: RegionRow[], update: boolean): Promise<void> {
  const text = INSERT_REGIONS.replaceAll('{{conflict}}', update ? UPDATE_ON_CONFLICT : '');
  // Rows are sorted parents first and each batch is one statement, so a parent is always in an
  // earlier batch or in the same statement (foreign keys are checked at the statement's end).
  for (const batch of batches(rows)) await db.query(text, [batch]);
}

/** Lists regions; returns one page and the total. */
export async function listRegions(db: Queryable, q: RegionQuery): Promise<{ rows: RegionDbRow[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (q.level) where.push(`level = ${p(q.level)}`);
  if (q.parent) where.push(`parent_code = ${p(q.parent)}`);
  if (q.q) {
    const like = p(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(name_zh ILIKE ${like} OR name_en ILIKE ${like} OR code LIKE ${p(`${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)})`);
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM yitu.regions ${w}`, params);
  const cols = q.geometry ? `${REGION_COLUMNS}, ${GEOMETRY_COLUMN}` : REGION_COLUMNS;
  const rows = await db.query<RegionDbRow>(
    `SELECT ${cols} FROM yitu.regions ${w} ORDER BY length(code), code LIMIT ${p(q.limit ?? 100)} OFFSET ${p(q.offset ?? 0)}`,
    params,
  );
  return { rows: rows.rows, total: total.rows[0].n };
}

/** Reads regions by code (with geometry when asked), in code order. */
export async function regionsByCode(db: Queryable, codes: string[], geometry = false): Promise<RegionDbRow[]> {
  if (!codes.length) return [];
  const cols = geometry ? `${REGION_COLUMNS}, ${GEOMETRY_COLUMN}` : REGION_COLUMNS;
  return (await db.query<RegionDbRow>(`SELECT ${cols} FROM yitu.regions WHERE code = ANY($1::text[]) ORDER BY length(code), code`, [codes])).rows;
}

/** Number of children of a region. */
export async function countChildren(db: Queryable, code: string): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM yitu.regions WHERE parent_code = $1', [code])).rows[0].n;
}

/** The regions containing a point (of one level when given), top level first. */
export async function regionsAt(db: Queryable, lon: number, lat: number, level?: RegionLevel): Promise<RegionDbRow[]> {
  const text = LOCATE.replaceAll('{{columns}}', REGION_COLUMNS).replaceAll('{{level}}', level ? 'AND level = $3' : '');
  return (await db.query<RegionDbRow>(text, level ? [lon, lat, level] : [lon, lat])).rows;
}

/** The top-level regions (those without a parent): what "the county" is in messages. */
export async function rootRegions(db: Queryable): Promise<Array<{ code: string; name_zh: string; name_en: string }>> {
  return (await db.query<{ code: string; name_zh: string; name_en: string }>('SELECT code, name_zh, name_en FROM yitu.regions WHERE parent_code IS NULL ORDER BY code')).rows;
}

/** Deletes regions and all their descendants (codes starting with theirs); returns how many. */
export async function deleteSubtrees(db: Queryable, codes: string[]): Promise<number> {
  if (!codes.length) return 0;
  const patterns = codes.map((c) => `${c}%`);
  return (await db.query('DELETE FROM yitu.regions WHERE code LIKE ANY($1::text[])', [patterns])).rowCount;
}

/** Number of stored regions. */
export async function countRegions(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM yitu.regions')).rows[0].n;
}
