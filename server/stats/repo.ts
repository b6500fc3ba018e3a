import { readFileSync } from 'node:fs';
import type { Queryable } from '../platform/db.ts';
import { copyText } from '../platform/db.ts';
import type { RegionLevel } from '../regions/model.ts';
import type { StatIndicator, StatValuesQuery } from './model.ts';

/** Reads `sql/<name>.sql` without its comment lines (which may name the {{slots}} filled here). */
const sql = (name: string) =>
  readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n');
const REFRESH_CATALOG = sql('refresh-catalog');
const CLOSE_ROWS = sql('close-rows');
const OVERLAP = sql('overlap');
const VALUES = sql('values');
const GEOJSON = sql('geojson');
const COVERAGE = sql('coverage');

/** A (region, period) pair. */
export interface Pair {
  region_code: string;
  period: string;
}

/** Rows of values to add: one per (region, period) with one value per indicator. */
export interface ValueRows {
  indicators: string[];
  rows: Array<{ code: string; period: string; values: Array<number | null> }>;
}

/** Regions whose code or statistical code is one of these. */
export async function regionsMatching(db: Queryable, codes: string[]): Promise<Array<{ code: string; stat_code: string }>> {
  if (!codes.length) return [];
  const r = await db.query<{ code: string; stat_code: string }>(
    'SELECT code, stat_code FROM yitu.regions WHERE code = ANY($1::text[]) OR stat_code = ANY($1::text[]) ORDER BY length(code), code',
    [codes],
  );
  return r.rows;
}

/** True when the department exists. */
export async function departmentExists(db: Queryable, id: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM yitu.departments WHERE id = $1', [id])).rows.length > 0;
}

/** Ids of the departments, in order. */
export async function departmentIds(db: Queryable): Promise<string[]> {
  return (await db.query<{ id: string }>('SELECT id FROM yitu.departments ORDER BY id')).rows.map((r) => r.id);
}

/** Pairs of the list that the table already has (at most 21). */
export async function overlappingPairs(db: Queryable, id: string, pairs: Pair[]): Promise<Pair[]> {
  return (await db.query<Pair>(OVERLAP, [id, pairs.map((p) => p.region_code), pairs.map((p) => p.period)])).rows;
}

/** Closes current rows at `version`: all, or those of the given pairs; returns the pairs closed. */
export async function closeRows(db: Queryable, id: string, version: number, pairs?: Pair[]): Promise<Pair[]> {
  if (!pairs) return (await db.query<Pair>(CLOSE_ROWS.replaceAll('{{pairs}}', ''), [id, version])).rows;
  const text = CLOSE_ROWS.replaceAll(
    '{{pairs}}',
    'AND (v.region_code, v.period) IN (SELECT k.r, k.p FROM unnest($3::text[], $4::text[]) AS k (r, p))',
  );
  return (await db.query<Pair>(text, [id, version, pairs.map((p) => p.region_code), pairs.map((p) => p.period)])).rows;
}

/** Adds values (version `version`) with COPY, in batches of about 100,000 values. */
export async function insertValues(db: Queryable, id: string, version: number, data: ValueRows): Promise<void> {
  const cols = ['dataset_id', 'region_code', 'period', 'indicator', 'value', '_vfrom'];
  let batch: unknown[][] = [];
  for (const r of data.rows) {
    for (let i = 0; i < data.indicators.length; i++) batch.push([id, r.code, r.period, data.indicators[i], r.values[i], version]);
    if (batch.length >= 100_000) {
      await db.copyIn('yitu.stat_values', cols, copyText(batch));
      batch = [];
    }
  }
  if (batch.length) await db.copyIn('yitu.stat_values', cols, copyText(batch));
}

/** Writes the indicators of a table: new ones are added after the others, given titles and units replace the old ones; with `only`, the others are removed. */
export async function saveIndicators(db: Queryable, id: string, indicators: StatIndicator[], only: boolean): Promise<void> {
  if (only) await db.query('DELETE FROM yitu.stat_indicators WHERE dataset_id = $1 AND NOT (indicator = ANY($2::text[]))', [id, indicators.map((i) => i.name)]);
  await db.query(
    `INSERT INTO yitu.stat_indicators (dataset_id, indicator, position, title_zh, title_en, unit)
     SELECT $1, i.name, coalesce((SELECT max(position) FROM yitu.stat_indicators WHERE dataset_id = $1), 0) + i.ord, i.zh, i.en, i.unit
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS i (name, zh, en, unit, ord)
     ON CONFLICT (dataset_id, indicator) DO UPDATE SET
       title_zh = CASE WHEN EXCLUDED.title_zh <> '' THEN EXCLUDED.title_zh ELSE yitu.stat_indicators.title_zh END,
       title_en = CASE WHEN EXCLUDED.title_en <> '' THEN EXCLUDED.title_en ELSE yitu.stat_indicators.title_en END,
       unit = CASE WHEN EXCLUDED.unit <> '' THEN EXCLUDED.unit ELSE yitu.stat_indicators.unit END`,
    [id, indicators.map((i) => i.name), indicators.map((i) => i.title.zh), indicators.map((i) => i.title.en), indicators.map((i) => i.unit)],
  );
}

/** The indicators of a table, in order. */
export async function listIndicators(db: Queryable, id: string): Promise<StatIndicator[]> {
  const r = await db.query<{ indicator: string; title_zh: string; title_en: string; unit: string }>(
    'SELECT indicator, title_zh, title_en, unit FROM yitu.stat_indicators WHERE dataset_id = $1 ORDER BY position',
    [id],
  );
  return r.rows.map((x) => ({ name: x.indicator, title: { zh: x.title_zh, en: x.title_en }, unit: x.unit }));
}

/** Records a version of a statistical table (after {@link refreshCatalog}, whose row count it copies). */
export async function insertVersion(
  db: Queryable,
  id: string,
  v: { version: number; mode: string; message: string; added: number; removed: number; changed: number; source: unknown; report: unknown },
): Promise<void> {
  await db.query(
    `INSERT INTO yitu.dataset_versions (dataset_id, version, mode, message, feature_count, added, removed, changed, source, report)
     VALUES ($1, $2, $3, $4, (SELECT feature_count FROM yitu.datasets WHERE id = $1),
             $5, $6, $7, $8, $9)`,
    [id, v.version, v.mode, v.message, v.added, v.removed, v.changed, JSON.stringify(v.source), JSON.stringify(v.report)],
  );
}

/** Updates the catalog entry from the current rows (count, extent, periods) and sets the version. */
export async function refreshCatalog(db: Queryable, id: string, version: number): Promise<void> {
  await db.query(REFRESH_CATALOG, [id, version]);
}

/** The periods of the current rows, in order. */
export async function periods(db: Queryable, id: string): Promise<string[]> {
  return (await db.query<{ period: string }>('SELECT DISTINCT period FROM yitu.stat_values WHERE dataset_id = $1 AND _vto IS NULL ORDER BY period', [id])).rows.map((r) => r.period);
}

/** Count, minimum and maximum of each indicator's current values. */
export async function indicatorSummary(db: Queryable, id: string): Promise<Map<string, { count: number; min: number | null; max: number | null }>> {
  const r = await db.query<{ indicator: string; n: number; lo: number | null; hi: number | null }>(
    'SELECT indicator, count(value)::int AS n, min(value) AS lo, max(value) AS hi FROM yitu.stat_values WHERE dataset_id = $1 AND _vto IS NULL GROUP BY indicator',
    [id],
  );
  return new Map(r.rows.map((x) => [x.indicator, { count: x.n, min: x.lo, max: x.hi }]));
}

/** Regions covered by the current rows, by level (null: codes not loaded). */
export async function coverage(db: Queryable, id: string): Promise<Array<{ level: RegionLevel | null; n: number }>> {
  return (await db.query<{ level: RegionLevel | null; n: number }>(COVERAGE, [id])).rows;
}

/** A row of the values query. */
export interface ValuesDbRow {
  region_code: string;
  name_zh: string | null;
  name_en: string | null;
  level: RegionLevel | null;
  parent_code: string | null;
  period: string;
  vals: Record<string, number | null>;
}

function valuesWhere(q: StatValuesQuery, params: unknown[]): { alive: string; filters: string } {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const alive = q.version === undefined ? 'v._vto IS NULL' : `(v._vfrom <= ${p(q.version)} AND (v._vto IS NULL OR v._vto > $${params.length}))`;
  const f: string[] = [];
  if (q.indicators?.length) f.push(`v.indicator = ANY(${p(q.indicators)}::text[])`);
  if (q.periods?.length) f.push(`v.period = ANY(${p(q.periods)}::text[])`);
  if (q.level) f.push(`r.level = ${p(q.level)}`);
  if (q.region) f.push(`v.region_code LIKE ${p(`${q.region}%`)}`);
  return { alive, filters: f.map((x) => `AND ${x}`).join(' ') };
}

/** One page of (region, period) rows, and the total. */
export async function valueRows(db: Queryable, id: string, q: StatValuesQuery): Promise<{ rows: ValuesDbRow[]; total: number }> {
  const params: unknown[] = [id];
  const { alive, filters } = valuesWhere(q, params);
  const base = VALUES.replaceAll('{{alive}}', alive).replaceAll('{{filters}}', filters);
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${base.replaceAll('{{tail}}', '')}) x`, params);
  const tail = `ORDER BY length(v.region_code), v.region_code, v.period LIMIT ${q.limit ?? 1000} OFFSET ${q.offset ?? 0}`;
  const rows = await db.query<ValuesDbRow>(base.replaceAll('{{tail}}', tail), params);
  return { rows: rows.rows, total: total.rows[0].n };
}

/** The rows after `after` (keyset order: period, region code; the current-rows index), `size` of them: for exports. */
export async function valueRowsAfter(db: Queryable, id: string, q: StatValuesQuery, after: Pair | null, size: number): Promise<ValuesDbRow[]> {
  const params: unknown[] = [id];
  const { alive, filters } = valuesWhere(q, params);
  let f = filters;
  if (after) {
    params.push(after.period, after.region_code);
    f += ` AND (v.period, v.region_code) > ($${params.length - 1}, $${params.length})`;
  }
  const text = VALUES.replaceAll('{{alive}}', alive).replaceAll('{{filters}}', f).replaceAll('{{tail}}', `ORDER BY v.period, v.region_code LIMIT ${size}`);
  return (await db.query<ValuesDbRow>(text, params)).rows;
}

/** A row of the thematic-map query. */
export interface MapDbRow {
  code: string;
  stat_code: string;
  name_zh: string;
  name_en: string;
  level: RegionLevel;
  parent_code: string | null;
  population: number | null;
  geometry: unknown;
  vals: Record<string, number | null>;
}

/** Values of one period joined to the boundaries of one level. */
export async function mapRows(db: Queryable, id: string, period: string, level: RegionLevel, indicators?: string[]): Promise<MapDbRow[]> {
  const text = GEOJSON.replaceAll('{{indicators}}', indicators?.length ? 'AND indicator = ANY($4::text[])' : '');
  return (await db.query<MapDbRow>(text, indicators?.length ? [id, period, level, indicators] : [id, period, level])).rows;
}

/** The level most of a period's rows are at (the default level of a thematic map). */
export async function commonLevel(db: Queryable, id: string, period: string): Promise<RegionLevel | null> {
  const r = await db.query<{ level: RegionLevel }>(
    `SELECT r.level FROM (SELECT DISTINCT region_code FROM yitu.stat_values WHERE dataset_id = $1 AND _vto IS NULL AND period = $2) c
     JOIN yitu.regions r ON r.code = c.region_code GROUP BY r.level ORDER BY count(*) DESC, min(length(r.code)) LIMIT 1`,
    [id, period],
  );
  return r.rows[0]?.level ?? null;
}
