import type { Geometry, Position } from 'geojson';
import { hasZ } from './positions.ts';

/**
 * Well-Known Binary ⇄ GeoJSON, and the GeoPackage binary geometry envelope around WKB. The one
 * WKB / GeoPackage geometry codec: the readers decode with it, the GeoPackage writer encodes.
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

const WKB_CODES: Record<Geometry['type'], number> = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
  GeometryCollection: 7,
};

/**
 * Encodes a GeoJSON geometry as ISO WKB (Z types are `type + 1000`). Missing Z values are
 * written as 0 when the geometry is 3D; empty positions (an empty point) as NaN. A null geometry
 * is refused: callers write SQL NULL.
 */
export function geometryToWkb(g: Geometry, opts: WkbWriteOptions = {}): Uint8Array {
  const z = opts.z === undefined || opts.z === 'auto' ? hasZ(g) : opts.z;
  const out = new Uint8Array(wkbSize(g, z ? 3 : 2));
  new Writer(out, 0, opts.littleEndian ?? true, z).geometry(g);
  return out;
}

class Writer {
  private view: DataView;
  constructor(
    bytes: Uint8Array,
    public offset: number,
    private le: boolean,
    private z: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(v: number): void {
    this.view.setUint8(this.offset++, v);
  }
  u32(v: number): void {
    this.view.setUint32(this.offset, v, this.le);
    this.offset += 4;
  }
  f64(v: number): void {
    this.view.setFloat64(this.offset, v, this.le);
    this.offset += 8;
  }
  pos(p: Position): void {
    const empty = p.length < 2;
    this.f64(empty ? NaN : p[0]);
    this.f64(empty ? NaN : p[1]);
    if (this.z) this.f64(empty ? NaN : (p[2] ?? 0));
  }
  line(ps: Position[]): void {
    this.u32(ps.length);
    for (const p of ps) this.pos(p);
  }
  rings(rs: Position[][]): void {
    this.u32(rs.length);
    for (const r of rs) this.line(r);
  }
  header(type: Geometry['type']): void {
    this.u8(this.le ? 1 : 0);
    this.u32(WKB_CODES[type] + (this.z ? 1000 : 0));
  }
  geometry(g: Geometry): void {
    this.header(g.type);
    switch (g.type) {
      case 'Point':
        return this.pos(g.coordinates);
      case 'LineString':
        return this.line(g.coordinates);
      case 'Polygon':
        return this.rings(g.coordinates);
      case 'MultiPoint':
        return this.parts('Point', g.coordinates, (p) => this.pos(p));
      case 'MultiLineString':
        return this.parts('LineString', g.coordinates, (l) => this.line(l));
      case 'MultiPolygon':
        return this.parts('Polygon', g.coordinates, (r) => this.rings(r));
      case 'GeometryCollection':
        this.u32(g.geometries.length);
        for (const x of g.geometries) this.geometry(x);
        return;
    }
  }
  /** The members of a multi-geometry: a count, then each as a geometry of `type`. */
  private parts<T>(type: Geometry['type'], members: T[], body: (m: T) => void): void {
    this.u32(members.length);
    for (const m of members) {
      this.header(type);
      body(m);
    }
  }
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
    default:
      throw new TypeError(`Unknown geometry type ${(g as { type: string }).type}`);
  }
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

/** An envelope as GeoPackage orders it: minx, maxx, miny, maxy. */
export type Envelope = [number, number, number, number];

/** A GeoPackage geometry blob and what a writer needs to know about it. */
export interface EncodedGeoPackageGeometry {
  blob: Uint8Array;
  /** xy envelope; null for an empty geometry. */
  envelope: Envelope | null;
  /** True when the geometry has Z values (written as ISO WKB Z types). */
  hasZ: boolean;
}

/** Flags byte: bit 0 little-endian, bits 1–3 envelope contents (1 = xy), bit 4 empty geometry. */
const FLAGS_LE_XY = 0b0000_0011;
const FLAGS_LE_EMPTY = 0b0001_0001;

/**
 * Encodes a GeoJSON geometry as a GeoPackage binary geometry (GeoPackage 1.3 §2.1.3): `GP`,
 * version 0, little-endian flags and srs_id, an xy envelope (or the empty flag when the geometry
 * has no positions), then little-endian ISO WKB. A null geometry is refused: write NULL.
 */
export function encodeGeoPackageGeometry(g: Geometry, srsId: number): EncodedGeoPackageGeometry {
  const z = hasZ(g);
  const env = envelope(g);
  const headerSize = 8 + (env ? 32 : 0);
  const blob = new Uint8Array(headerSize + wkbSize(g, z ? 3 : 2));
  const view = new DataView(blob.buffer);
  blob[0] = 0x47; // 'G'
  blob[1] = 0x50; // 'P'
  blob[2] = 0; // version 0 = GeoPackage 1.x
  blob[3] = env ? FLAGS_LE_XY : FLAGS_LE_EMPTY;
  view.setInt32(4, srsId, true);
  if (env) env.forEach((v, i) => view.setFloat64(8 + i * 8, v, true));
  const w = new Writer(blob, headerSize, true, z);
  w.geometry(g);
  if (w.offset !== blob.byteLength) throw new Error(`WKB size mismatch (${w.offset} != ${blob.byteLength})`);
  return { blob, envelope: env, hasZ: z };
}

/** The xy envelope of the positions of `g`, or null when it has none (empty). */
function envelope(g: Geometry): Envelope | null {
  const env: Envelope = [Infinity, -Infinity, Infinity, -Infinity];
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
  const walk = (x: Geometry): void => {
    switch (x.type) {
      case 'Point':
        add(x.coordinates);
        break;
      case 'LineString':
      case 'MultiPoint':
        x.coordinates.forEach(add);
        break;
      case 'Polygon':
      case 'MultiLineString':
        for (const r of x.coordinates) r.forEach(add);
        break;
      case 'MultiPolygon':
        for (const p of x.coordinates) for (const r of p) r.forEach(add);
        break;
      case 'GeometryCollection':
        x.geometries.forEach(walk);
        break;
    }
  };
  walk(g);
  return any ? env : null;
}
