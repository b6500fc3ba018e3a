import type { Geometry, Position } from 'geojson';

/**
 * Well-Known Binary ⇄ GeoJSON, and the GeoPackage binary geometry envelope around WKB.
 *
 * The decoder reads OGC/ISO WKB (type + 1000 / 2000 / 3000 for Z / M / ZM) and PostGIS EWKB
 * (high flag bits for Z, M and an embedded SRID), in either byte order. Z is kept as the third
 * coordinate; M is dropped (GeoJSON has no measure). Empty points (NaN coordinates) and empty
 * geometries decode to null at the top level.
 */

/** Thrown for bytes that are not valid WKB; readers turn it into a row error. */
export class WkbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WkbError';
  }
}

const TYPE_NAMES = ['', 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection'];

class Reader {
  private view: DataView;
  offset = 0;
  constructor(private bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number): void {
    if (this.offset + n > this.bytes.byteLength) {
      throw new WkbError(`WKB truncated: ${n} bytes needed at offset ${this.offset}, ${this.bytes.byteLength} available`);
    }
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }
  u32(le: boolean): number {
    this.need(4);
    const v = this.view.getUint32(this.offset, le);
    this.offset += 4;
    return v;
  }
  f64(le: boolean): number {
    this.need(8);
    const v = this.view.getFloat64(this.offset, le);
    this.offset += 8;
    return v;
  }
}

/** Decodes WKB to a GeoJSON geometry; null for an empty geometry. Throws {@link WkbError}. */
export function wkbToGeometry(bytes: Uint8Array): Geometry | null {
  const r = new Reader(bytes);
  const g = readGeometry(r, 0);
  return isEmpty(g) ? null : g;
}

function isEmpty(g: Geometry): boolean {
  if (g.type === 'GeometryCollection') return g.geometries.length === 0;
  if (g.type === 'Point') return g.coordinates.length === 0;
  return g.coordinates.length === 0;
}

function readGeometry(r: Reader, depth: number): Geometry {
  if (depth > 32) throw new WkbError('WKB nested too deeply');
  const order = r.u8();
  if (order > 1) throw new WkbError(`bad WKB byte order ${order} at offset ${r.offset - 1}`);
  const le = order === 1;
  const raw = r.u32(le);
  let hasZ = (raw & 0x80000000) !== 0;
  let hasM = (raw & 0x40000000) !== 0;
  if ((raw & 0x20000000) !== 0) r.u32(le); // EWKB SRID
  let code = raw & 0x0fffffff;
  const dim = Math.floor(code / 1000);
  code %= 1000;
  if (dim === 1 || dim === 3) hasZ = true;
  if (dim === 2 || dim === 3) hasM = true;
  if (dim > 3) throw new WkbError(`unknown WKB geometry type ${raw}`);
  const type = TYPE_NAMES[code];
  if (!type) throw new WkbError(`unsupported WKB geometry type ${code} (curves, surfaces and TINs are not supported)`);
  const pos = (): Position => {
    const x = r.f64(le);
    const y = r.f64(le);
    const z = hasZ ? r.f64(le) : undefined;
    if (hasM) r.f64(le);
    return z === undefined ? [x, y] : [x, y, z];
  };
  const count = (): number => {
    const n = r.u32(le);
    // Each element takes at least 16 bytes (points) or 4 (counts); refuse absurd counts early.
    r.need(Math.min(n, 1 << 24) * 4);
    return n;
  };
  const line = (): Position[] => {
    const n = count();
    const out: Position[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = pos();
    return out;
  };
  const rings = (): Position[][] => {
    const n = count();
    const out: Position[][] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = line();
    return out;
  };
  const parts = <T extends Geometry>(expected: string): T[] => {
    const n = count();
    const out: T[] = [];
    for (let i = 0; i < n; i++) {
      const part = readGeometry(r, depth + 1);
      if (expected && part.type !== expected) throw new WkbError(`${type} contains a ${part.type}`);
      out.push(part as T);
    }
    return out;
  };
  switch (type) {
    case 'Point': {
      const p = pos();
      return { type, coordinates: Number.isNaN(p[0]) && Number.isNaN(p[1]) ? [] : p };
    }
    case 'LineString':
      return { type, coordinates: line() };
    case 'Polygon':
      return { type, coordinates: rings() };
    case 'MultiPoint':
      return {
        type,
        coordinates: parts<Extract<Geometry, { type: 'Point' }>>('Point')
          .map((p) => p.coordinates)
          .filter((c) => c.length > 0),
      };
    case 'MultiLineString':
      return { type, coordinates: parts<Extract<Geometry, { type: 'LineString' }>>('LineString').map((p) => p.coordinates) };
    case 'MultiPolygon':
      return { type, coordinates: parts<Extract<Geometry, { type: 'Polygon' }>>('Polygon').map((p) => p.coordinates) };
    default:
      return { type: 'GeometryCollection', geometries: parts<Geometry>('') };
  }
}

/** Options of {@link geometryToWkb}. */
export interface WkbWriteOptions {
  /** Byte order; little endian (NDR) by default. */
  littleEndian?: boolean;
  /** Write Z: `auto` (default) when the first position has three numbers; `true` / `false` force it. */
  z?: boolean | 'auto';
}

/**
 * Encodes a GeoJSON geometry as ISO WKB (Z types are `type + 1000`). Missing Z values are
 * written as 0 when the geometry is 3D. A null geometry is refused: callers write SQL NULL.
 */
export function geometryToWkb(g: Geometry, opts: WkbWriteOptions = {}): Uint8Array {
  const le = opts.littleEndian ?? true;
  const hasZ = opts.z === undefined || opts.z === 'auto' ? firstPositionLength(g) >= 3 : opts.z;
  const dims = hasZ ? 3 : 2;
  const size = wkbSize(g, dims);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let o = 0;
  const u8 = (v: number) => view.setUint8(o++, v);
  const u32 = (v: number) => {
    view.setUint32(o, v, le);
    o += 4;
  };
  const f64 = (v: number) => {
    view.setFloat64(o, v, le);
    o += 8;
  };
  const pos = (p: Position) => {
    f64(p[0]);
    f64(p[1]);
    if (hasZ) f64(p[2] ?? 0);
  };
  const header = (code: number) => {
    u8(le ? 1 : 0);
    u32(code + (hasZ ? 1000 : 0));
  };
  const write = (geom: Geometry): void => {
    switch (geom.type) {
      case 'Point':
        header(1);
        if (geom.coordinates.length === 0) {
          f64(NaN);
          f64(NaN);
          if (hasZ) f64(NaN);
        } else pos(geom.coordinates);
        return;
      case 'LineString':
        header(2);
        u32(geom.coordinates.length);
        geom.coordinates.forEach(pos);
        return;
      case 'Polygon':
        header(3);
        u32(geom.coordinates.length);
        for (const ring of geom.coordinates) {
          u32(ring.length);
          ring.forEach(pos);
        }
        return;
      case 'MultiPoint':
        header(4);
        u32(geom.coordinates.length);
        for (const c of geom.coordinates) write({ type: 'Point', coordinates: c });
        return;
      case 'MultiLineString':
        header(5);
        u32(geom.coordinates.length);
        for (const c of geom.coordinates) write({ type: 'LineString', coordinates: c });
        return;
      case 'MultiPolygon':
        header(6);
        u32(geom.coordinates.length);
        for (const c of geom.coordinates) write({ type: 'Polygon', coordinates: c });
        return;
      case 'GeometryCollection':
        header(7);
        u32(geom.geometries.length);
        geom.geometries.forEach(write);
        return;
    }
  };
  write(g);
  return out;
}

function wkbSize(g: Geometry, dims: number): number {
  const p = 8 * dims;
  switch (g.type) {
    case 'Point':
      return 5 + p;
    case 'LineString':
      return 9 + g.coordinates.length * p;
    case 'Polygon':
      return 9 + g.coordinates.reduce((s, r) => s + 4 + r.length * p, 0);
    case 'MultiPoint':
      return 9 + g.coordinates.length * (5 + p);
    case 'MultiLineString':
      return 9 + g.coordinates.reduce((s, l) => s + 9 + l.length * p, 0);
    case 'MultiPolygon':
      return 9 + g.coordinates.reduce((s, poly) => s + 9 + poly.reduce((t, r) => t + 4 + r.length * p, 0), 0);
    case 'GeometryCollection':
      return 9 + g.geometries.reduce((s, c) => s + wkbSize(c, dims), 0);
  }
}

function firstPositionLength(g: Geometry): number {
  if (g.type === 'GeometryCollection') {
    for (const c of g.geometries) {
      const n = firstPositionLength(c);
      if (n > 0) return n;
    }
    return 0;
  }
  let c: unknown = g.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) ? c.length : 0;
}

/** A decoded GeoPackage geometry blob. */
export interface GeoPackageGeometry {
  /** The srs_id written in the blob header. */
  srsId: number;
  /** The geometry, or null when the blob flags it as empty. */
  geometry: Geometry | null;
}

/**
 * Decodes a GeoPackage binary geometry: `GP`, version, flags (byte order, envelope kind, empty,
 * extended), srs_id, envelope (0, 32, 48 or 64 bytes), then WKB. Throws {@link WkbError}.
 */
export function decodeGeoPackageGeometry(blob: Uint8Array): GeoPackageGeometry {
  if (blob.byteLength < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) {
    throw new WkbError('not a GeoPackage geometry (no "GP" magic)');
  }
  const flags = blob[3];
  if ((flags & 0x20) !== 0) throw new WkbError('extended GeoPackage geometry types are not supported');
  const envelope = (flags >> 1) & 0x07;
  const envelopeBytes = [0, 32, 48, 48, 64][envelope];
  if (envelopeBytes === undefined) throw new WkbError(`invalid GeoPackage envelope indicator ${envelope}`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const srsId = view.getInt32(4, (flags & 0x01) === 1);
  const start = 8 + envelopeBytes;
  if (blob.byteLength < start) throw new WkbError('GeoPackage geometry header truncated');
  if ((flags & 0x10) !== 0) return { srsId, geometry: null };
  return { srsId, geometry: wkbToGeometry(blob.subarray(start)) };
}

/**
 * Encodes a GeoJSON geometry as a GeoPackage binary geometry (version 0, little endian,
 * with an XY envelope unless the geometry is a point). A null geometry is refused: write NULL.
 */
export function encodeGeoPackageGeometry(g: Geometry, srsId: number): Uint8Array {
  const wkb = geometryToWkb(g);
  const box = g.type === 'Point' ? undefined : envelope(g);
  const empty = box === undefined && g.type !== 'Point';
  const pointEmpty = g.type === 'Point' && g.coordinates.length === 0;
  const envBytes = box ? 32 : 0;
  const out = new Uint8Array(8 + envBytes + wkb.byteLength);
  const view = new DataView(out.buffer);
  out[0] = 0x47;
  out[1] = 0x50;
  out[2] = 0;
  out[3] = 0x01 | (box ? 0x02 : 0) | (empty || pointEmpty ? 0x10 : 0);
  view.setInt32(4, srsId, true);
  if (box) box.forEach((v, i) => view.setFloat64(8 + i * 8, v, true));
  out.set(wkb, 8 + envBytes);
  return out;
}

/** [minX, maxX, minY, maxY] (the GeoPackage envelope order), or undefined for an empty geometry. */
function envelope(g: Geometry): [number, number, number, number] | undefined {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      const [x, y] = c as number[];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      return;
    }
    for (const e of c) visit(e);
  };
  const walk = (geom: Geometry): void => {
    if (geom.type === 'GeometryCollection') geom.geometries.forEach(walk);
    else visit(geom.coordinates);
  };
  walk(g);
  return minX === Infinity ? undefined : [minX, maxX, minY, maxY];
}
