import type { Geometry, Position } from 'geojson';

/**
 * GeoJSON → Shapefile shape records (ESRI Shapefile Technical Description, 1998). Only the 2D
 * shape types are written (Z values are dropped). Polygons get the ring orientation the spec
 * requires — outer rings clockwise, holes counter-clockwise — whatever orientation they came in
 * (RFC 7946 GeoJSON has it the other way round); rings are closed and degenerate rings dropped.
 */

/** Shape type codes. */
export const SHAPE = { null: 0, point: 1, polyline: 3, polygon: 5, multipoint: 8 } as const;

/** Geometry families; each goes to its own shapefile. */
export type ShapeFamily = 'point' | 'line' | 'polygon';

/** A geometry reduced to one family: points, line parts, or polygons (lists of rings). */
export type FamilyGeometry =
  | { family: 'point'; points: Position[]; multi: boolean }
  | { family: 'line'; parts: Position[][] }
  | { family: 'polygon'; polygons: Position[][][] };

/** An xy bounding box: xmin, ymin, xmax, ymax. */
export type Box = [number, number, number, number];

/**
 * Splits a geometry into its families (a GeometryCollection may span several; its members of
 * one family are merged). Empty parts are dropped; an empty result means a null shape.
 */
export function splitFamilies(g: Geometry): FamilyGeometry[] {
  const points: Position[] = [];
  const parts: Position[][] = [];
  const polygons: Position[][][] = [];
  let multi = false;
  const visit = (x: Geometry): void => {
    switch (x.type) {
      case 'Point':
        if (x.coordinates.length >= 2) points.push(x.coordinates);
        break;
      case 'MultiPoint':
        multi = true;
        for (const p of x.coordinates) if (p.length >= 2) points.push(p);
        break;
      case 'LineString':
        parts.push(x.coordinates);
        break;
      case 'MultiLineString':
        parts.push(...x.coordinates);
        break;
      case 'Polygon':
        polygons.push(x.coordinates);
        break;
      case 'MultiPolygon':
        polygons.push(...x.coordinates);
        break;
      case 'GeometryCollection':
        multi = true;
        x.geometries.forEach(visit);
        break;
    }
  };
  visit(g);
  const out: FamilyGeometry[] = [];
  if (points.length) out.push({ family: 'point', points, multi: multi || points.length > 1 });
  const lines = parts.filter((l) => l.length >= 2);
  if (lines.length) out.push({ family: 'line', parts: lines });
  const polys = polygons.map(orientPolygon).filter((p) => p.length > 0);
  if (polys.length) out.push({ family: 'polygon', polygons: polys });
  return out;
}

/** Twice the signed area of a ring (positive: counter-clockwise), relative to its first point for precision. */
export function ringArea2(ring: Position[]): number {
  if (ring.length < 3) return 0;
  const x0 = ring[0][0];
  const y0 = ring[0][1];
  let s = 0;
  for (let i = 1; i < ring.length - 1; i++) {
    s += (ring[i][0] - x0) * (ring[i + 1][1] - y0) - (ring[i + 1][0] - x0) * (ring[i][1] - y0);
  }
  return s;
}

/** Closes a ring; null when it has fewer than 4 positions then (no area). */
function closeRing(ring: Position[]): Position[] | null {
  const r = ring.filter((p) => p.length >= 2);
  if (r.length === 0) return null;
  const a = r[0];
  const b = r[r.length - 1];
  const closed = a[0] === b[0] && a[1] === b[1] ? r : [...r, a];
  return closed.length >= 4 ? closed : null;
}

/** Outer ring clockwise, holes counter-clockwise; [] when the outer ring is degenerate. */
export function orientPolygon(rings: Position[][]): Position[][] {
  const out: Position[][] = [];
  for (let i = 0; i < rings.length; i++) {
    const r = closeRing(rings[i]);
    if (!r) {
      if (i === 0) return [];
      continue;
    }
    const ccw = ringArea2(r) > 0;
    out.push(ccw === (i === 0) ? [...r].reverse() : r);
  }
  return out;
}

function boxOf(points: Iterable<Position>): Box {
  const b: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of points) {
    if (p[0] < b[0]) b[0] = p[0];
    if (p[1] < b[1]) b[1] = p[1];
    if (p[0] > b[2]) b[2] = p[0];
    if (p[1] > b[3]) b[3] = p[1];
  }
  return b;
}

/** A shape record's content (without the 8-byte record header) and its box. */
export interface ShapeContent {
  content: Buffer;
  box: Box;
}

/** The record content of a null shape. */
export function nullShape(): Buffer {
  return Buffer.alloc(4);
}

/** Encodes a family geometry as shape content of `shapeType` (points: 1 needs a single point). */
export function encodeShape(g: FamilyGeometry, shapeType: number): ShapeContent {
  if (g.family === 'point') {
    if (shapeType === SHAPE.point) {
      const p = g.points[0];
      const b = Buffer.alloc(20);
      b.writeInt32LE(SHAPE.point, 0);
      b.writeDoubleLE(p[0], 4);
      b.writeDoubleLE(p[1], 12);
      return { content: b, box: [p[0], p[1], p[0], p[1]] };
    }
    const box = boxOf(g.points);
    const b = Buffer.alloc(40 + 16 * g.points.length);
    b.writeInt32LE(SHAPE.multipoint, 0);
    writeBox(b, 4, box);
    b.writeInt32LE(g.points.length, 36);
    let o = 40;
    for (const p of g.points) {
      b.writeDoubleLE(p[0], o);
      b.writeDoubleLE(p[1], o + 8);
      o += 16;
    }
    return { content: b, box };
  }
  const parts = g.family === 'line' ? g.parts : g.polygons.flat();
  return encodeParts(g.family === 'line' ? SHAPE.polyline : SHAPE.polygon, parts);
}

function writeBox(b: Buffer, o: number, box: Box): void {
  for (let i = 0; i < 4; i++) b.writeDoubleLE(box[i], o + i * 8);
}

function encodeParts(type: number, parts: Position[][]): ShapeContent {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const box = boxOf(parts.flat());
  const b = Buffer.alloc(44 + 4 * parts.length + 16 * n);
  b.writeInt32LE(type, 0);
  writeBox(b, 4, box);
  b.writeInt32LE(parts.length, 36);
  b.writeInt32LE(n, 40);
  let o = 44;
  let start = 0;
  for (const p of parts) {
    b.writeInt32LE(start, o);
    o += 4;
    start += p.length;
  }
  for (const part of parts) {
    for (const p of part) {
      b.writeDoubleLE(p[0], o);
      b.writeDoubleLE(p[1], o + 8);
      o += 16;
    }
  }
  return { content: b, box };
}

/** Converts a Point record's content (type 1) to a one-point MultiPoint record's content (type 8). */
export function pointToMultiPoint(content: Buffer): Buffer {
  const x = content.readDoubleLE(4);
  const y = content.readDoubleLE(12);
  return encodeShape({ family: 'point', points: [[x, y]], multi: true }, SHAPE.multipoint).content;
}
