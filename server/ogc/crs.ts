import type { Geometry, Position } from 'geojson';
import { YituError } from '../platform/errors.ts';
import { parseBbox } from '../platform/params.ts';

/** A coordinate reference system the features API reads and writes. */
export interface CrsDef {
  /** The OGC URI clients use (`crs`, `bbox-crs`, `filter-crs`, `Content-Crs`). */
  uri: string;
  /** PostGIS SRID. */
  srid: number;
  /**
   * True when the CRS's first axis is not x/easting/longitude: EPSG:4326 and EPSG:4490 are
   * latitude, longitude; EPSG:4549 is northing, easting (as the EPSG registry and GDAL say).
   */
  swap: boolean;
  /** Longitude/latitude degrees (range-checked) rather than metres. */
  geographic: boolean;
  /** Decimal digits of output coordinates: 7 for degrees (~1 cm), 2 for metres. */
  precision: number;
}

/** OGC CRS84: WGS 84 longitude, latitude. The default of every CRS parameter and the storage CRS. */
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

const EPSG = 'http://www.opengis.net/def/crs/EPSG/0/';

/** The CRSs Yitu serves, CRS84 first. */
export const SUPPORTED_CRS: readonly CrsDef[] = [
  { uri: CRS84, srid: 4326, swap: false, geographic: true, precision: 7 },
  { uri: `${EPSG}4326`, srid: 4326, swap: true, geographic: true, precision: 7 },
  { uri: `${EPSG}4490`, srid: 4490, swap: true, geographic: true, precision: 7 },
  { uri: `${EPSG}3857`, srid: 3857, swap: false, geographic: false, precision: 2 },
  { uri: `${EPSG}4549`, srid: 4549, swap: true, geographic: false, precision: 2 },
];

/** The URIs of {@link SUPPORTED_CRS}. */
export const CRS_URIS: readonly string[] = SUPPORTED_CRS.map((c) => c.uri);

/** The default CRS (CRS84). */
export const DEFAULT_CRS: CrsDef = SUPPORTED_CRS[0];

/**
 * Resolves a CRS parameter value (a URI, optionally in `<…>` as in a Content-Crs header; `https`
 * is accepted for `http`). Unknown values fail with a 400 listing the supported URIs.
 */
export function parseCrs(raw: string | undefined, param: string): CrsDef {
  if (raw === undefined) return DEFAULT_CRS;
  const v = raw.trim().replace(/^<|>$/g, '').replace(/^https:/i, 'http:').replace(/\/+$/, '');
  const found = SUPPORTED_CRS.find((c) => c.uri === v);
  if (!found) {
    throw new YituError(
      'YITU_ERR_CRS_UNSUPPORTED',
      `${param} "${raw.slice(0, 120)}" is not supported. Supported coordinate reference systems: ${CRS_URIS.join(', ')}.`,
      { extra: { supported: CRS_URIS } },
    );
  }
  return found;
}

/**
 * SQL turning the stored geometry (EPSG:4326, lon/lat) into GeoJSON text in `crs`: transformed,
 * axes flipped where the CRS says so, without a `crs` member.
 */
export function geometryJsonSql(crs: CrsDef, column = 't.geom'): string {
  let g = crs.srid === 4326 ? column : `ST_Transform(${column}, ${crs.srid})`;
  if (crs.swap) g = `ST_FlipCoordinates(${g})`;
  return `ST_AsGeoJSON(${g}, ${crs.precision}, 0)`;
}

/**
 * SQL reading a GeoJSON geometry given in `crs` (the `$n::text` placeholder `param`) into the
 * storage CRS, 2D.
 */
export function geometryInputSql(crs: CrsDef, param: string): string {
  let g = `ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(${param})), ${crs.srid})`;
  if (crs.swap) g = `ST_FlipCoordinates(${g})`;
  return crs.srid === 4326 ? g : `ST_Transform(${g}, 4326)`;
}

/** A bbox in a CRS, as x/y (easting/longitude first), with its SRID. */
export interface CrsBbox {
  minx: number;
  miny: number;
  maxx: number;
  maxy: number;
  crs: CrsDef;
}

/**
 * Parses `bbox` given in `crs` (`bbox-crs`): values are in the CRS's axis order, so for EPSG:4326
 * they are minLat,minLon,maxLat,maxLon. Geographic values are range-checked.
 */
export function parseCrsBbox(raw: string, crs: CrsDef): CrsBbox {
  if (crs === DEFAULT_CRS) {
    const [minx, miny, maxx, maxy] = parseBbox(raw);
    return { minx, miny, maxx, maxy, crs };
  }
  const [a, b, c, d] = parseBbox(raw, { geographic: false });
  const [minx, miny, maxx, maxy] = crs.swap ? [b, a, d, c] : [a, b, c, d];
  if (crs.geographic) {
    const bad = [minx, maxx].some((x) => Math.abs(x) > 180) || [miny, maxy].some((y) => Math.abs(y) > 90);
    if (bad) {
      throw new YituError(
        'YITU_ERR_BBOX_INVALID',
        `bbox ${raw.slice(0, 100)} is out of range for ${crs.uri}: its axis order is latitude, longitude, so the values are minLat,minLon,maxLat,maxLon (latitudes −90…90, longitudes −180…180).`,
      );
    }
  }
  return { minx, miny, maxx, maxy, crs };
}

/**
 * SQL of a bbox as a polygon in EPSG:4326 (parameters added through `p`). Projected boxes are
 * densified before the transformation so that their curved edges stay close.
 */
export function bboxPolygonSql(b: CrsBbox, p: (v: unknown) => string): string {
  const env = `ST_MakeEnvelope(${p(b.minx)}::float8, ${p(b.miny)}::float8, ${p(b.maxx)}::float8, ${p(b.maxy)}::float8, ${b.crs.srid})`;
  if (b.crs.srid === 4326) return env;
  if (b.crs.geographic) return `ST_Transform(${env}, 4326)`;
  const step = Math.max(b.maxx - b.minx, b.maxy - b.miny) / 32 || 1;
  return `ST_Transform(ST_Segmentize(${env}, ${p(step)}::float8), 4326)`;
}

function swapPosition(p: Position): Position {
  return [p[1], p[0], ...p.slice(2)];
}

/** Swaps the first two ordinates of every position (a copy). */
export function swapGeometryAxes(g: Geometry): Geometry {
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: g.coordinates.length ? swapPosition(g.coordinates) : [] };
    case 'MultiPoint':
    case 'LineString':
      return { type: g.type, coordinates: g.coordinates.map(swapPosition) } as Geometry;
    case 'MultiLineString':
    case 'Polygon':
      return { type: g.type, coordinates: g.coordinates.map((r) => r.map(swapPosition)) } as Geometry;
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map((r) => r.map(swapPosition))) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: g.geometries.map(swapGeometryAxes) };
  }
}

/** The first position of a geographic geometry outside longitude ±180 / latitude ±90 (x = longitude), or null. */
export function outOfRangePosition(g: Geometry): Position | null {
  const check = (p: Position) => Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90;
  const walk = (x: Geometry): Position | null => {
    switch (x.type) {
      case 'Point':
        return x.coordinates.length && check(x.coordinates) ? x.coordinates : null;
      case 'MultiPoint':
      case 'LineString':
        return x.coordinates.find(check) ?? null;
      case 'MultiLineString':
      case 'Polygon':
        for (const r of x.coordinates) for (const p of r) if (check(p)) return p;
        return null;
      case 'MultiPolygon':
        for (const poly of x.coordinates) for (const r of poly) for (const p of r) if (check(p)) return p;
        return null;
      case 'GeometryCollection':
        for (const m of x.geometries) {
          const r = walk(m);
          if (r) return r;
        }
        return null;
    }
  };
  return walk(g);
}
