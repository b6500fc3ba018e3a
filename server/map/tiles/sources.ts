import type { ColumnType, Dataset } from '../../hub/model.ts';
import { tableOf } from '../../hub/model.ts';
import type { HubService } from '../../hub/service.ts';
import type { Queryable } from '../../platform/db.ts';
import { ident } from '../../platform/db.ts';
import { YituError } from '../../platform/errors.ts';

/** A column a tile source can put into its features. */
export interface SourceColumn {
  name: string;
  type: ColumnType;
  title?: string;
}

/**
 * What a tile layer reads, resolved for one request: an SQL relation (aliased `t`, with a `geom`
 * column in EPSG:4326), its columns, and a version token that changes whenever the data does
 * (it is part of every cache key, so a stale tile is never served, even by another process).
 */
export interface ResolvedSource {
  id: string;
  /** Changes when the data changes. */
  version: string;
  /** Datasets whose change makes this source's tiles stale (cache invalidation). */
  dependsOn: string[];
  title: { zh: string; en: string };
  /** SQL relation aliased `t`. */
  table: string;
  /** Condition on `t` selecting the current rows. */
  where: string;
  /** A further condition by zoom (SQL on `t`, no parameters), e.g. admin levels shown from a zoom on. */
  whereAtZoom?: (z: number) => string;
  /** SQL of the feature id (bigint), or NULL. */
  idSql: string;
  /** SQL of the geometry drawn (EPSG:4326). */
  geomSql: string;
  columns: SourceColumn[];
  /** Point, LineString, Polygon, Multi…, or null when mixed/unknown. */
  geometryType: string | null;
  bbox: [number, number, number, number] | null;
  /** The dataset, when the source is one (CQL2 filters compile against it). */
  dataset?: Dataset;
}

/** A source of tile layers other than a dataset (regions, later sensing and analysis results). */
export interface TileSource {
  readonly id: string;
  /** Reads the source's current state (version, columns, extent). */
  resolve(db: Queryable): Promise<ResolvedSource>;
}

const REGION_COLUMNS: SourceColumn[] = [
  { name: 'code', type: 'text', title: 'Region code' },
  { name: 'level', type: 'text', title: 'Level (county, town, village, grid)' },
  { name: 'name_zh', type: 'text', title: '名称' },
  { name: 'name_en', type: 'text', title: 'Name' },
  { name: 'parent_code', type: 'text', title: 'Parent region code' },
];

/**
 * The admin regions (`yitu.regions`) as polygons, or as one label point on the surface of each.
 * Their version is a digest of codes, names and geometries: a few hundred rows, read at most
 * every few seconds (the service caches it briefly).
 */
export function regionSource(id: 'regions' | 'region_labels'): TileSource {
  const labels = id === 'region_labels';
  return {
    id,
    async resolve(db) {
      const r = await db.query<{ v: string | null; bbox: number[] | null }>(
        `SELECT md5(string_agg(code || level || coalesce(parent_code, '') || name_zh || name_en || md5(ST_AsBinary(geom)), ',' ORDER BY code)) AS v,
                CASE WHEN count(*) > 0 THEN ARRAY[ST_XMin(ST_Extent(geom)), ST_YMin(ST_Extent(geom)), ST_XMax(ST_Extent(geom)), ST_YMax(ST_Extent(geom))] END AS bbox
         FROM yitu.regions`,
      );
      const bbox = r.rows[0]?.bbox;
      return {
        id,
        version: r.rows[0]?.v ?? 'empty',
        dependsOn: [],
        title: labels ? { zh: '行政区划注记', en: 'Region labels' } : { zh: '行政区划', en: 'Admin regions' },
        table: 'yitu.regions',
        where: 'true',
        // County from z0, towns from z8, villages from z10, grids from z12: a z0–z7 tile would
        // otherwise carry every grid cell of the county (~800 polygons or labels) in a few pixels.
        whereAtZoom: (z) => `t.level IN (${['county', ...(z >= 8 ? ['town'] : []), ...(z >= 10 ? ['village'] : []), ...(z >= 12 ? ['grid'] : [])].map((l) => `'${l}'`).join(', ')})`,
        idSql: 't.code::int8',
        geomSql: labels ? 'ST_PointOnSurface(t.geom)' : 't.geom',
        columns: REGION_COLUMNS,
        geometryType: labels ? 'Point' : 'MultiPolygon',
        bbox: bbox && bbox.length === 4 ? (bbox as [number, number, number, number]) : null,
      };
    },
  };
}

/** A dataset as a tile source; tables without geometry and statistical tables have no tiles (404). */
export function datasetSource(ds: Dataset): ResolvedSource {
  if (ds.kind !== 'features' || !ds.geometryType) {
    throw new YituError('YITU_ERR_DATASET_NOT_FOUND', `"${ds.id}" has no geometry, so it has no tiles${ds.kind === 'statistics' ? `: read it at /stats/${ds.id}` : ' (read its rows at /collections/' + ds.id + '/items)'}.`);
  }
  return {
    id: ds.id,
    version: String(ds.currentVersion),
    dependsOn: [ds.id],
    title: ds.title,
    table: tableOf(ds.id),
    where: 't._vto IS NULL',
    idSql: 't._fid',
    geomSql: 't.geom',
    columns: ds.columns.map((c) => ({ name: c.name, type: c.type, title: c.title })),
    geometryType: ds.geometryType,
    bbox: ds.bbox,
    dataset: ds,
  };
}

/** SQL of a column as it goes into a tile: dates, times and JSON as text, the same on both backends. */
export function columnSql(c: SourceColumn): string {
  const col = `t.${ident(c.name)}`;
  switch (c.type) {
    case 'json':
      return `${col}::text`;
    case 'date':
      return `to_char(${col}, 'YYYY-MM-DD')`;
    case 'timestamp':
      return `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
    default:
      return col;
  }
}

/** The MVT value kind of a column. */
export function columnKind(type: ColumnType): 'int' | 'double' | 'bool' | 'string' {
  return type === 'integer' ? 'int' : type === 'number' ? 'double' : type === 'boolean' ? 'bool' : 'string';
}

/** Resolves dataset ids through the hub (kept apart so the service can cache them briefly). */
export async function resolveDataset(hub: HubService, id: string): Promise<ResolvedSource> {
  return datasetSource(await hub.getTable(id));
}
