import { YituError } from '../../platform/errors.ts';

/** The lowest zoom level served. */
export const MIN_ZOOM = 0;
/** The highest zoom level served (22, as MapLibre's; tiles above DATA_MAX_ZOOM hold the same data). */
export const MAX_ZOOM = 22;
/** The largest zoom at which tiles are generated; MapLibre overzooms beyond (TileJSON maxzoom). */
export const DATA_MAX_ZOOM = 16;
/** Buffer around each tile, in tile units (of 4096), so that lines and symbols join across edges. */
export const TILE_BUFFER = 64;
/** Below this zoom points are clustered when dense and sub-pixel geometries dropped. */
export const DETAIL_ZOOM = 15;

/** A tile address. */
export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

const INT = /^\d{1,8}$/;

/**
 * Parses and checks a tile address of a URL (`{z}/{y}/{x}` of WebMercatorQuad): a zoom outside
 * 0…22 or a column/row outside the zoom's matrix is a 404 that says the valid range.
 */
export function parseTileAddress(zRaw: string, yRaw: string, xRaw: string): TileAddress {
  for (const [name, v] of [['tileMatrix (z)', zRaw], ['tileRow (y)', yRaw], ['tileCol (x)', xRaw]] as const) {
    if (!INT.test(v)) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `The ${name} of a tile is a whole number ≥ 0; got "${v.slice(0, 40)}".`);
  }
  const z = Number(zRaw);
  const y = Number(yRaw);
  const x = Number(xRaw);
  if (z < MIN_ZOOM || z > MAX_ZOOM) throw new YituError('YITU_ERR_NOT_FOUND', `WebMercatorQuad has tile matrices 0 to ${MAX_ZOOM}; there is no tile matrix ${z}.`);
  const n = 2 ** z;
  if (x >= n || y >= n) throw new YituError('YITU_ERR_NOT_FOUND', `Tile matrix ${z} of WebMercatorQuad has rows and columns 0 to ${n - 1}; tile ${z}/${y}/${x} does not exist.`);
  return { z, x, y };
}

/** Longitude/latitude bounds of a tile, grown by `grow` of its size on each side. */
export function tileLonLatBounds(t: TileAddress, grow = 0): [number, number, number, number] {
  const n = 2 ** t.z;
  const lon = (x: number) => (x / n) * 360 - 180;
  const lat = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return [lon(t.x - grow), lat(Math.min(n, t.y + 1 + grow)), lon(t.x + 1 + grow), lat(Math.max(0, t.y - grow))];
}

/** Converts lon/lat to tile coordinates (0…extent, y down) of a tile. */
export function toTileCoords(t: TileAddress, extent: number, lon: number, lat: number): [number, number] {
  const n = 2 ** t.z;
  const s = Math.sin((Math.max(-85.0511287798, Math.min(85.0511287798, lat)) * Math.PI) / 180);
  const wx = ((lon + 180) / 360) * n;
  const wy = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n;
  return [Math.round((wx - t.x) * extent), Math.round((wy - t.y) * extent)];
}

/** Longitude degrees per tile unit at a zoom (the grid a tile snaps to). */
export function degreesPerUnit(z: number, extent: number): number {
  return 360 / (2 ** z * extent);
}

/**
 * Generalisation settings of a zoom: the simplification tolerance (one tile unit, 1/16 of a
 * screen pixel, in degrees: invisible, yet it removes most vertices of detailed data at low
 * zooms), and the smallest geometry kept (one 256-px screen pixel below DETAIL_ZOOM; none above).
 */
export function generalisation(z: number, extent: number): { tolerance: number; minSize: number } {
  const unit = degreesPerUnit(z, extent);
  return { tolerance: unit, minSize: z < DETAIL_ZOOM ? unit * (extent / 256) : 0 };
}

/**
 * The H3 resolution of a zoom: hexagons about 24 screen pixels across on 512-px tiles at
 * Deqing's latitude. An H3 edge is ~1107.7 km at resolution 0 and shrinks by √7 per level.
 */
export function h3ResolutionForZoom(z: number): number {
  const metresPerPixel = (156_543.03 * Math.cos((30 * Math.PI) / 180)) / 2 ** (z + 1);
  const edge = 12 * metresPerPixel;
  const r = Math.round(Math.log(1_107_712 / edge) / Math.log(Math.sqrt(7)));
  return Math.max(0, Math.min(15, r));
}
