import type { Geometry, Position } from 'geojson';
import { PbfWriter } from 'pbf';

/**
 * Our own Mapbox Vector Tile 2.1 encoder, for the embedded database whose PostGIS has no
 * `ST_AsMVT` (built without protobuf). The protobuf wire format comes from `pbf`; what is ours is
 * the MVT layer above it: command integers, zigzag deltas, key/value tables, ring winding and
 * dropping of degenerate parts. Value types follow `ST_AsMVT` (integers ≥ 0 as uint, negative as
 * sint, doubles as double, booleans, everything else as string) so both backends give equal tiles.
 */

/** Extent of every tile (units per tile side). */
export const MVT_EXTENT = 4096;

/** How an attribute is typed in the tile. */
export type MvtValueKind = 'int' | 'double' | 'bool' | 'string';

/** One attribute of a feature. */
export interface MvtProperty {
  key: string;
  kind: MvtValueKind;
  value: unknown;
}

/** One feature: its geometry already in tile coordinates (y down, 0…extent), integers. */
export interface MvtFeature {
  id?: number | null;
  geometry: Geometry;
  properties: MvtProperty[];
}

/** One layer of a tile. */
export interface MvtLayer {
  name: string;
  features: MvtFeature[];
  extent?: number;
}

const MOVE_TO = 1;
const LINE_TO = 2;
const CLOSE_PATH = 7;
const command = (id: number, count: number) => (id & 0x7) | (count << 3);
const zigzag = (n: number) => (n << 1) ^ (n >> 31);

/** Geometry type and command stream of a feature, or null when nothing drawable is left. */
interface Encoded {
  type: 1 | 2 | 3;
  commands: number[];
}

/** Removes consecutive repeated points (after rounding to the integer grid). */
function cleanLine(line: Position[]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of line) {
    const x = Math.round(p[0]);
    const y = Math.round(p[1]);
    const last = out[out.length - 1];
    if (!last || last[0] !== x || last[1] !== y) out.push([x, y]);
  }
  return out;
}

/** Twice the signed area of a ring (surveyor's formula) in tile coordinates. */
export function ringArea2(ring: [number, number][]): number {
  let sum = 0;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return sum;
}

class Cursor {
  x = 0;
  y = 0;
  constructor(readonly out: number[]) {}
  /** Writes the points as one MoveTo then one LineTo run (`close` adds ClosePath). */
  path(points: [number, number][], close: boolean): void {
    this.out.push(command(MOVE_TO, 1));
    this.delta(points[0]);
    if (points.length > 1) {
      this.out.push(command(LINE_TO, points.length - 1));
      for (let i = 1; i < points.length; i++) this.delta(points[i]);
    }
    if (close) this.out.push(command(CLOSE_PATH, 1));
  }
  delta(p: [number, number]): void {
    this.out.push(zigzag(p[0] - this.x), zigzag(p[1] - this.y));
    this.x = p[0];
    this.y = p[1];
  }
}

function encodePoints(points: Position[], c: Cursor): void {
  const pts = points.map((p) => [Math.round(p[0]), Math.round(p[1])] as [number, number]);
  if (!pts.length) return;
  c.out.push(command(MOVE_TO, pts.length));
  for (const p of pts) c.delta(p);
}

function encodeLines(lines: Position[][], c: Cursor): void {
  for (const l of lines) {
    const pts = cleanLine(l);
    if (pts.length >= 2) c.path(pts, false);
  }
}

/**
 * Polygons: rings without their closing point; the exterior ring gets a positive area in tile
 * coordinates (clockwise on screen, y down) and holes a negative one, reversing where needed.
 * Rings with no area are dropped, and a polygon whose exterior ring has none with its holes.
 */
function encodePolygons(polygons: Position[][][], c: Cursor): void {
  for (const poly of polygons) {
    for (let i = 0; i < poly.length; i++) {
      const pts = cleanLine(poly[i]);
      if (pts.length > 1 && pts[0][0] === pts[pts.length - 1][0] && pts[0][1] === pts[pts.length - 1][1]) pts.pop();
      const area = pts.length < 3 ? 0 : ringArea2(pts);
      if (area === 0) {
        if (i === 0) break;
        continue;
      }
      if ((i === 0) !== area > 0) pts.reverse();
      c.path(pts, true);
    }
  }
}

/** Encodes a geometry's command stream; null when it is empty or degenerate. */
export function encodeGeometry(g: Geometry): Encoded | null {
  const c = new Cursor([]);
  let type: Encoded['type'];
  switch (g.type) {
    case 'Point':
      type = 1;
      encodePoints([g.coordinates], c);
      break;
    case 'MultiPoint':
      type = 1;
      encodePoints(g.coordinates, c);
      break;
    case 'LineString':
      type = 2;
      encodeLines([g.coordinates], c);
      break;
    case 'MultiLineString':
      type = 2;
      encodeLines(g.coordinates, c);
      break;
    case 'Polygon':
      type = 3;
      encodePolygons([g.coordinates], c);
      break;
    case 'MultiPolygon':
      type = 3;
      encodePolygons(g.coordinates, c);
      break;
    default:
      // Collections have no MVT form; the tile SQL extracts one dimension before this.
      return null;
  }
  return c.out.length ? { type, commands: c.out } : null;
}

/** Keys and values of a layer, each written once and referred to by index. */
class Tables {
  keys: string[] = [];
  values: MvtProperty[] = [];
  private keyIndex = new Map<string, number>();
  private valueIndex = new Map<string, number>();

  key(k: string): number {
    let i = this.keyIndex.get(k);
    if (i === undefined) {
      i = this.keys.push(k) - 1;
      this.keyIndex.set(k, i);
    }
    return i;
  }

  value(p: MvtProperty, v: string | number | boolean): number {
    const id = `${p.kind}:${String(v)}`;
    let i = this.valueIndex.get(id);
    if (i === undefined) {
      i = this.values.push({ ...p, value: v }) - 1;
      this.valueIndex.set(id, i);
    }
    return i;
  }
}

/** The value a property holds in the tile, or undefined to leave it out (null values). */
function tileValue(p: MvtProperty): string | number | boolean | undefined {
  const v = p.value;
  if (v === null || v === undefined) return undefined;
  switch (p.kind) {
    case 'int':
    case 'double': {
      const n = typeof v === 'number' ? v : Number(v);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'bool':
      return Boolean(v);
    default:
      return typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

function writeValue(p: MvtProperty, pbf: PbfWriter): void {
  const v = p.value as string | number | boolean;
  switch (p.kind) {
    case 'string':
      pbf.writeStringField(1, v as string);
      break;
    case 'double':
      pbf.writeDoubleField(3, v as number);
      break;
    case 'bool':
      pbf.writeBooleanField(7, v as boolean);
      break;
    case 'int': {
      const n = v as number;
      if (!Number.isInteger(n)) pbf.writeDoubleField(3, n);
      else if (n >= 0) pbf.writeVarintField(5, n);
      else pbf.writeSVarintField(6, n);
      break;
    }
  }
}

interface EncodedFeature {
  id: number | null;
  type: number;
  tags: number[];
  commands: number[];
}

function writeLayer(layer: { name: string; extent: number; features: EncodedFeature[]; tables: Tables }, pbf: PbfWriter): void {
  pbf.writeVarintField(15, 2);
  pbf.writeStringField(1, layer.name);
  for (const f of layer.features) {
    pbf.writeMessage(
      2,
      (feat: EncodedFeature, w: PbfWriter) => {
        if (feat.id !== null) w.writeVarintField(1, feat.id);
        if (feat.tags.length) w.writePackedVarint(2, feat.tags);
        w.writeVarintField(3, feat.type);
        w.writePackedVarint(4, feat.commands);
      },
      f,
    );
  }
  for (const k of layer.tables.keys) pbf.writeStringField(3, k);
  for (const v of layer.tables.values) pbf.writeMessage(4, writeValue, v);
  pbf.writeVarintField(5, layer.extent);
}

/**
 * Encodes layers into one tile. Features whose geometry is empty or degenerate are dropped, and a
 * layer left without features is not written; no layer at all gives a zero-length buffer.
 */
export function encodeTile(layers: MvtLayer[]): Uint8Array {
  const pbf = new PbfWriter();
  for (const layer of layers) {
    const tables = new Tables();
    const features: EncodedFeature[] = [];
    for (const f of layer.features) {
      const geom = encodeGeometry(f.geometry);
      if (!geom) continue;
      const tags: number[] = [];
      for (const p of f.properties) {
        const v = tileValue(p);
        if (v === undefined) continue;
        tags.push(tables.key(p.key), tables.value(p, v));
      }
      const id = typeof f.id === 'number' && Number.isSafeInteger(f.id) && f.id >= 0 ? f.id : null;
      features.push({ id, type: geom.type, tags, commands: geom.commands });
    }
    if (!features.length) continue;
    pbf.writeMessage(3, writeLayer, { name: layer.name, extent: layer.extent ?? MVT_EXTENT, features, tables });
  }
  return pbf.finish();
}
