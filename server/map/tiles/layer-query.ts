import { ident } from '../../platform/db.ts';
import { YituError } from '../../platform/errors.ts';
import { DEFAULT_CRS } from '../../ogc/crs.ts';
import { compileDatasetFilter } from '../../ogc/items-query.ts';
import { Params } from '../../ogc/sql.ts';
import { scopeSql } from '../../hub/scope.ts';
import { MVT_EXTENT } from './mvt-encoder.ts';
import type { ResolvedSource, SourceColumn } from './sources.ts';
import { columnSql } from './sources.ts';
import { DETAIL_ZOOM, TILE_BUFFER, type TileAddress, generalisation, tileLonLatBounds } from './tile-math.ts';
import { tileSql } from './sql.ts';

const featuresSql = tileSql('tile-features');
const clustersSql = tileSql('tile-clusters');

/*
 * Very large polygons and ST_Subdivide — decided by measuring on the demo county (PostgreSQL 15,
 * PostGIS 3.3): its largest polygon is the county boundary (1,543 vertices; the largest dataset
 * polygon has 143). Clipping the county to a z14 tile (ST_ClipByBox2D, in tile-features.sql) takes
 * 0.7 ms; ST_Subdivide of it (256 vertices a piece) takes 8 ms. Subdividing at query time would
 * cost 11× the clip it saves, so it is not done. A derived subdivided table per polygon dataset
 * (refreshed on each version) would save at most that 0.7 ms per tile here while doubling the
 * storage and the import work of every polygon dataset, so it is not kept either: the clip is
 * linear in the vertices, and the table is worth adding once a dataset holds polygons of ~50,000
 * vertices (a clip of ~20 ms per tile), e.g. a detailed lake or a national boundary.
 */

/** Points are clustered below DETAIL_ZOOM when a tile holds more than this many (or more than two per occupied cell). */
export const CLUSTER_THRESHOLD = 2000;
/** Cluster cell size in tile units: 16 screen pixels of a 256-px tile. */
export const CLUSTER_CELL = 256;

/** The attribute and filter part of a layer request (validated against the source). */
export interface LayerOptions {
  properties?: string[];
  filter?: string;
  filterLang?: 'cql2-text' | 'cql2-json';
  /** Region codes the reader is limited to (the access domain's regional scope); absent = none. */
  scope?: readonly string[];
}

/** A layer's SQL, its parameters and the attributes its rows carry (besides `_fid`, `geom`). */
export interface LayerQuery {
  sql: string;
  params: unknown[];
  columns: SourceColumn[];
  clustered: boolean;
}

/** The columns a request asks for: all by default, else the named ones (unknown names are a 400). */
export function selectColumns(src: ResolvedSource, properties: string[] | undefined): SourceColumn[] {
  if (properties === undefined) return src.columns;
  const byName = new Map(src.columns.map((c) => [c.name, c]));
  const out: SourceColumn[] = [];
  for (const name of new Set(properties)) {
    const c = byName.get(name);
    if (!c) {
      throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `"${src.id}" has no property "${name.slice(0, 60)}"; its properties are: ${src.columns.map((x) => x.name).join(', ') || 'none'}.`);
    }
    out.push(c);
  }
  return out;
}

/**
 * Compiles the request's CQL2 filter against the source into `params`, and the reader's regional
 * scope (features meeting one of the regions); the source's own condition without either.
 */
export function filterSql(src: ResolvedSource, opts: LayerOptions, params: Params): string {
  const scope = opts.scope ? ` AND ${scopeSql('t.geom', opts.scope, params.add)}` : '';
  if (opts.filter === undefined || opts.filter.trim() === '') return `${src.where}${scope}`;
  if (!src.dataset) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `"${src.id}" cannot be filtered: filters apply to datasets.`);
  return `${src.where} AND (${compileDatasetFilter(src.dataset, opts.filter, opts.filterLang ?? 'cql2-text', DEFAULT_CRS, params)})${scope}`;
}


/** Whether a source draws points (clustering applies). */
export function isPointSource(src: ResolvedSource): boolean {
  return src.geometryType === 'Point' || src.geometryType === 'MultiPoint';
}

/**
 * The SQL of one layer of one tile (tile-features.sql, wrapped in tile-clusters.sql for points
 * below DETAIL_ZOOM). The rows are `_fid`, the attributes, `geom` in tile coordinates (and
 * `point_count` when clustered): ST_AsMVT encodes them on PostgreSQL, our encoder elsewhere.
 * `minSizeFactor` multiplies the smallest size kept (the service raises it when a tile is too big).
 */
export function layerQuery(src: ResolvedSource, opts: LayerOptions, t: TileAddress, minSizeFactor = 1): LayerQuery {
  const columns = selectColumns(src, opts.properties);
  const g = generalisation(t.z, MVT_EXTENT);
  const params = new Params();
  const [w, s, e, n] = tileLonLatBounds(t, TILE_BUFFER / MVT_EXTENT);
  for (const v of [t.z, t.x, t.y, Math.max(-180, w), Math.max(-85.06, s), Math.min(180, e), Math.min(85.06, n), g.tolerance, g.minSize * minSizeFactor, MVT_EXTENT]) params.add(v);
  const where = src.whereAtZoom ? `${filterSql(src, opts, params)} AND ${src.whereAtZoom(t.z)}` : filterSql(src, opts, params);
  const names = columns.map((c) => `, ${ident(c.name)}`).join('');
  const sql = featuresSql({
    id: src.idSql,
    attrs: columns.map((c) => `, ${columnSql(c)} AS ${ident(c.name)}`).join(''),
    geom: src.geomSql,
    table: `${src.table}`,
    where,
    columns: names,
  });
  const clustered = isPointSource(src) && t.z < DETAIL_ZOOM;
  if (!clustered) return { sql, params: params.values, columns, clustered };
  const wrapped = clustersSql({
    features: sql,
    threshold: String(CLUSTER_THRESHOLD),
    cell: String(CLUSTER_CELL),
    columns: names,
    nulls: columns.map(() => ', NULL').join(''),
  });
  return { sql: wrapped, params: params.values, columns, clustered };
}
