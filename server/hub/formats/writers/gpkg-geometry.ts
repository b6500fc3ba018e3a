import type { Geometry, Position } from 'geojson';
import { hasZ } from './wkt.ts';

/**
 * GeoPackage geometry encoding (GeoPackage 1.3 §2.1.3): the `GP` header followed by ISO WKB, both
 * little-endian. Kept here rather than shared with the import side's WKB module so the writers
 * depend on nothing that is still moving.
 */

/** An envelope as GeoPackage orders it: minx, maxx, miny, maxy. */
export type Envelope = [number, number, number, number];

/** A GeoPackage geometry blob and what the writer needs to know about it. */
export interface GpkgGeometry {
  blob: Uint8Array;
  /** xy envelope; null for an empty geometry. */
  envelope: Envelope | null;
  /** True when the geometry has Z values (written as ISO WKB Z types). */
  hasZ: boolean;
}

const WKB_CODES: Record<Geometry['type'], number> = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
  GeometryCollection: 7,
};

/** Flags byte: bit 0 little-endian, bits 1–3 envelope contents (1 = xy), bit 4 empty geometry. */
const FLAGS_LE_XY = 0b0000_0011;
const FLAGS_LE_EMPTY = 0b0001_0001;

/** Encodes a GeoJSON geometry as a GeoPackage binary blob for `srsId`. */
export function encodeGpkgGeometry(g: Geometry, srsId: number): GpkgGeometry {
  const z = hasZ(g);
  const dims = z ? 3 : 2;
  const env: Envelope = [Infinity, -Infinity, Infinity, -Infinity];
  const wkbSize = sizeOf(g, dims);
  const empty = !extend(g, env);
  const headerSize = 8 + (empty ? 0 : 32);
  const buf = new ArrayBuffer(headerSize + wkbSize);
  const dv = new DataView(buf);
  dv.setUint8(0, 0x47); // 'G'
  dv.setUint8(1, 0x50); // 'P'
  dv.setUint8(2, 0); // version 0 = GeoPackage 1.x
  dv.setUint8(3, empty ? FLAGS_LE_EMPTY : FLAGS_LE_XY);
  dv.setInt32(4, srsId, true);
  if (!empty) for (let i = 0; i < 4; i++) dv.setFloat64(8 + i * 8, env[i], true);
  const end = writeWkb(dv, headerSize, g, dims);
  if (end !== buf.byteLength) throw new Error(`WKB size mismatch (${end} != ${buf.byteLength})`);
  return { blob: new Uint8Array(buf), envelope: empty ? null : env, hasZ: z };
}

/** Encodes a geometry as little-endian ISO WKB (Z types are code + 1000). */
export function encodeWkb(g: Geometry): Uint8Array {
  const dims = hasZ(g) ? 3 : 2;
  const buf = new ArrayBuffer(sizeOf(g, dims));
  writeWkb(new DataView(buf), 0, g, dims);
  return new Uint8Array(buf);
}

function sizeOf(g: Geometry, d: number): number {
  const pt = 8 * d;
  switch (g.type) {
    case 'Point':
      return 5 + pt;
    case 'LineString':
      return 9 + g.coordinates.length * pt;
    case 'Polygon':
      return 9 + g.coordinates.reduce((s, r) => s + 4 + r.length * pt, 0);
    case 'MultiPoint':
      return 9 + g.coordinates.length * (5 + pt);
    case 'MultiLineString':
      return 9 + g.coordinates.reduce((s, l) => s + 9 + l.length * pt, 0);
    case 'MultiPolygon':
      return 9 + g.coordinates.reduce((s, p) => s + 9 + p.reduce((t, r) => t + 4 + r.length * pt, 0), 0);
    case 'GeometryCollection':
      return 9 + g.geometries.reduce((s, x) => s + sizeOf(x, d), 0);
    default:
      throw new TypeError(`Unknown geometry type ${(g as { type: string }).type}`);
  }
}

/** Grows `env` by the positions of `g`; false when `g` has none (empty). */
function extend(g: Geometry, env: Envelope): boolean {
  let any = false;
  const add = (p: Position): void => {
    if (p.length < 2) return;
    const x = p[0];
    const y = p[1];
    if (x < env[0]) env[0] = x;
    if (x > env[1]) env[1] = x;
    if (y < env[2]) env[2] = y;
    if (y > env[3]) env[3] = y;
    any = true;
  };
  switch (g.type) {
    case 'Point':
      add(g.coordinates);
      break;
    case 'LineString':
    case 'MultiPoint':
      g.coordinates.forEach(add);
      break;
    case 'Polygon':
    case 'MultiLineString':
      for (const r of g.coordinates) r.forEach(add);
      break;
    case 'MultiPolygon':
      for (const p of g.coordinates) for (const r of p) r.forEach(add);
      break;
    case 'GeometryCollection':
      for (const x of g.geometries) if (extend(x, env)) any = true;
      break;
  }
  return any;
}

function writeHeader(dv: DataView, o: number, code: number, d: number): number {
  dv.setUint8(o, 1);
  dv.setUint32(o + 1, code + (d === 3 ? 1000 : 0), true);
  return o + 5;
}

function writePos(dv: DataView, o: number, p: Position, d: number): number {
  const empty = p.length < 2;
  dv.setFloat64(o, empty ? NaN : p[0], true);
  dv.setFloat64(o + 8, empty ? NaN : p[1], true);
  if (d === 3) dv.setFloat64(o + 16, empty ? NaN : (p[2] ?? 0), true);
  return o + 8 * d;
}

function writePoints(dv: DataView, o: number, ps: Position[], d: number): number {
  dv.setUint32(o, ps.length, true);
  o += 4;
  for (const p of ps) o = writePos(dv, o, p, d);
  return o;
}

function writeRings(dv: DataView, o: number, rings: Position[][], d: number): number {
  dv.setUint32(o, rings.length, true);
  o += 4;
  for (const r of rings) o = writePoints(dv, o, r, d);
  return o;
}

function writeWkb(dv: DataView, o: number, g: Geometry, d: number): number {
  o = writeHeader(dv, o, WKB_CODES[g.type], d);
  switch (g.type) {
    case 'Point':
      return writePos(dv, o, g.coordinates, d);
    case 'LineString':
      return writePoints(dv, o, g.coordinates, d);
    case 'Polygon':
      return writeRings(dv, o, g.coordinates, d);
    case 'MultiPoint':
      dv.setUint32(o, g.coordinates.length, true);
      o += 4;
      for (const p of g.coordinates) o = writePos(dv, writeHeader(dv, o, 1, d), p, d);
      return o;
    case 'MultiLineString':
      dv.setUint32(o, g.coordinates.length, true);
      o += 4;
      for (const l of g.coordinates) o = writePoints(dv, writeHeader(dv, o, 2, d), l, d);
      return o;
    case 'MultiPolygon':
      dv.setUint32(o, g.coordinates.length, true);
      o += 4;
      for (const p of g.coordinates) o = writeRings(dv, writeHeader(dv, o, 3, d), p, d);
      return o;
    case 'GeometryCollection':
      dv.setUint32(o, g.geometries.length, true);
      o += 4;
      for (const x of g.geometries) o = writeWkb(dv, o, x, d);
      return o;
  }
}
