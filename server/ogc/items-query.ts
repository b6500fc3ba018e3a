import type { Db, Queryable } from '../platform/db.ts';
import { ident } from '../platform/db.ts';
import { type Cql2Node, compileCql2, parseFilter } from '../hub/cql2/index.ts';
import { type Dataset, aliveAt, tableOf } from '../hub/model.ts';
import { filterProperties } from './collections.ts';
import { type CrsDef, bboxPolygonSql, geometryJsonSql, swapGeometryAxes } from './crs.ts';
import { datetimeSql } from './datetime.ts';
import type { ItemsParams, SortKey } from './items-params.ts';
import { Params, sqlTemplate } from './sql.ts';
import { scopeSql } from '../hub/scope.ts';

const pageTemplate = sqlTemplate('features-page');

/** The WHERE clause of a features request, its parameters, and whether it narrows the dataset. */
export interface Selection {
  where: string;
  params: Params;
  /** True when bbox, datetime or filter apply (numberMatched then needs counting). */
  narrowed: boolean;
}

/** Swaps the axes of the geometry literals and BBOXes of a filter given in a lat/lon or N/E CRS. */
function swapFilterAxes(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) swapFilterAxes(n);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as Cql2Node;
  if (n.kind === 'geometry') {
    n.geometry = swapGeometryAxes(n.geometry);
    return;
  }
  if (n.kind === 'bbox') {
    const v = n.values;
    const half = v.length / 2;
    n.values = half === 3 ? [v[1], v[0], v[2], v[4], v[3], v[5]] : [v[1], v[0], v[3], v[2]];
    return;
  }
  for (const value of Object.values(n)) if (typeof value === 'object') swapFilterAxes(value);
}

/**
 * Compiles a CQL2 filter for a dataset: names resolve to its columns (unknown names fail with a
 * 400 before any SQL), literals are in `crs` and become parameters after those already in `params`.
 */
export function compileDatasetFilter(ds: Dataset, text: string, lang: 'cql2-text' | 'cql2-json', crs: CrsDef, params: Params): string {
  const node = parseFilter(text, lang);
  if (crs.swap) swapFilterAxes(node);
  const compiled = compileCql2(node, {
    properties: filterProperties(ds),
    geometryColumn: 'geom',
    filterCrs: crs.srid,
    paramOffset: params.length,
    idColumn: '_fid',
    idType: 'integer',
  });
  for (const v of compiled.params) params.add(v);
  return compiled.sql;
}

/**
 * Builds the selection (version, bbox, datetime, filter, regional scope) of an items request.
 * `scope` (region codes, from the access guard) keeps only features intersecting those regions;
 * a dataset without geometry (kind `table`) is not limited by region.
 */
export function buildSelection(ds: Dataset, p: ItemsParams, scope: readonly string[] | null = null): Selection {
  const params = new Params();
  const where = [p.version === undefined || p.version === ds.currentVersion ? '_vto IS NULL' : aliveAt(`${params.add(p.version)}::int`)];
  let narrowed = false;
  if (scope && ds.kind === 'features') {
    where.push(scopeSql(`${tableOf(ds.id)}.geom`, scope, params.add));
    narrowed = true;
  }
  if (p.bbox) {
    // For points the index operator && is exact (a point intersects a box iff it is in the box's extent) and far cheaper.
    const box = bboxPolygonSql(p.bbox, params.add);
    where.push(ds.geometryType === 'Point' ? `geom && ${box}` : `ST_Intersects(geom, ${box})`);
    narrowed = true;
  }
  const temporal = ds.temporalColumn ? ds.columns.find((c) => c.name === ds.temporalColumn) : undefined;
  if (p.datetime && temporal && (temporal.type === 'date' || temporal.type === 'timestamp')) {
    where.push(`(${datetimeSql(p.datetime, ident(temporal.name), temporal.type, params.add)})`);
    narrowed = true;
  }
  if (p.filter) {
    where.push(`(${compileDatasetFilter(ds, p.filter.text, p.filter.lang, p.filter.crs, params)})`);
    narrowed = true;
  }
  return { where: where.join(' AND '), params, narrowed };
}

function orderSql(keys: SortKey[], alias: string): string {
  const all = keys.some((k) => k.column === '_fid') ? keys : [...keys, { column: '_fid', desc: false }];
  return all.map((k) => `${alias}${k.column === '_fid' ? '_fid' : ident(k.column)}${k.desc ? ' DESC' : ''}`).join(', ');
}

/**
 * The SQL of a page of features as GeoJSON text: a row per feature (`feature`, with its row id `rid`),
 * or with `joined` one row holding the page's features joined by commas (`features`) and their number (`n`).
 */
export function pageSql(
  ds: Dataset,
  sel: Selection,
  opts: { properties?: string[]; sortby: SortKey[]; crs: CrsDef; limit?: number; offset?: number; skipGeometry?: boolean; joined?: boolean; withTotal?: boolean },
): { sql: string; params: unknown[] } {
  const out = opts.properties ?? ds.columns.map((c) => c.name);
  const inner = [...new Set([...out, ...opts.sortby.map((k) => k.column).filter((c) => c !== '_fid')])];
  const params = new Params();
  for (const v of sel.params.values) params.add(v);
  const page = opts.limit === undefined ? '' : `LIMIT ${params.add(opts.limit)} OFFSET ${params.add(opts.offset ?? 0)}`;
  const rows = pageTemplate({
    geometry: opts.skipGeometry ? 'NULL::json' : geometryJsonSql(opts.crs, 't.geom'),
    columns: inner.map((c) => `, ${ident(c)}`).join(''),
    table: tableOf(ds.id),
    where: sel.where,
    order: orderSql(opts.sortby, ''),
    page,
    properties: out.map((c) => `t.${ident(c)}`).join(', '),
    outerOrder: orderSql(opts.sortby, 't.'),
    innerTotal: opts.withTotal ? ', count(*) OVER () AS _total' : '',
    outerTotal: opts.withTotal ? ', t._total AS total' : '',
  });
  // Joined, the page is one row instead of one per feature, which saves the embedded database's
  // per-row cost: PGlite went from 1.69× to 1.48× of one SQL statement (bench/items-page.ts).
  // With `withTotal`, `total` is every row the selection matches (null when the page is empty).
  const total = opts.withTotal ? ', max(q.total)::int8 AS total' : '';
  const sql = opts.joined ? `SELECT count(*)::int AS n${total}, COALESCE(string_agg(q.feature, ',' ORDER BY q.ord), '') AS features FROM (${rows}) q` : rows;
  return { sql, params: params.values };
}

/** Planner's estimate of the rows a selection matches. */
export async function estimateRows(db: Queryable, ds: Dataset, sel: Selection): Promise<number> {
  const r = await db.query<Record<string, unknown>>(`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${tableOf(ds.id)} WHERE ${sel.where}`, sel.params.values);
  const raw = Object.values(r.rows[0] ?? {})[0];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan?: { 'Plan Rows'?: number } }[];
  return Math.round(plan?.[0]?.Plan?.['Plan Rows'] ?? 0);
}

/** Exact count of the rows a selection matches. */
export async function countRows(db: Queryable, ds: Dataset, sel: Selection): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM ${tableOf(ds.id)} WHERE ${sel.where}`, sel.params.values);
  return Number(r.rows[0].n);
}
