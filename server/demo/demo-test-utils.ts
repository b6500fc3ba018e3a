/**
 * Helpers for the demo county tests: structural GeoJSON checks, declared-type checks, EPSG:4549
 * areas and output hashes.
 */
import { createHash } from 'node:crypto';
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import proj4 from 'proj4';
import type { DemoCounty, DemoFeature, DemoField, DemoLayer } from './types.ts';

/** proj4 definition of EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E). */
export const EPSG_4549 = '+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';
const toGk = proj4('EPSG:4326', EPSG_4549);

/** Area of a Polygon/MultiPolygon in EPSG:4549, m². */
export function area4549(g: Geometry): number {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  let total = 0;
  for (const p of polys) {
    p.forEach((ring, i) => {
      let a = 0;
      const pts = ring.map((q) => toGk.forward([q[0], q[1]]));
      for (let k = 0; k + 1 < pts.length; k++) a += pts[k][0] * pts[k + 1][1] - pts[k + 1][0] * pts[k][1];
      total += (i === 0 ? 1 : -1) * Math.abs(a / 2);
    });
  }
  return total;
}

/** All positions of a geometry. */
export function positions(g: Geometry): Position[] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'LineString':
    case 'MultiPoint':
      return g.coordinates;
    case 'Polygon':
    case 'MultiLineString':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
    default:
      return [];
  }
}

/** Problems with a geometry's structure (empty when valid), checked against a bbox. */
export function geometryProblems(g: Geometry, bbox: [number, number, number, number]): string[] {
  const out: string[] = [];
  const pos = (p: Position): void => {
    if (p.length !== 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) out.push(`bad position ${JSON.stringify(p)}`);
    else if (p[0] < bbox[0] - 1e-6 || p[0] > bbox[2] + 1e-6 || p[1] < bbox[1] - 1e-6 || p[1] > bbox[3] + 1e-6) out.push(`outside bbox ${p}`);
  };
  const ring = (r: Position[]): void => {
    if (r.length < 4) out.push('ring with fewer than 4 positions');
    const a = r[0];
    const b = r[r.length - 1];
    if (a[0] !== b[0] || a[1] !== b[1]) out.push('ring not closed');
    r.forEach(pos);
  };
  switch (g.type) {
    case 'Point':
      pos(g.coordinates);
      break;
    case 'LineString':
      if (g.coordinates.length < 2) out.push('line with fewer than 2 positions');
      g.coordinates.forEach(pos);
      break;
    case 'Polygon':
      g.coordinates.forEach(ring);
      break;
    case 'MultiPolygon':
      if (!g.coordinates.length) out.push('empty multipolygon');
      g.coordinates.forEach((p) => p.forEach(ring));
      break;
    default:
      out.push(`unexpected type ${g.type}`);
  }
  return out;
}

/** True when a value fits a declared field type (null is accepted as missing). */
export function fitsType(v: unknown, t: DemoField['type']): boolean {
  if (v === null) return true;
  switch (t) {
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'text':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'date':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
    case 'timestamp':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v);
    case 'json':
      return typeof v === 'object';
  }
}

/** A sha256 over regions, statistics and (up to `perLayer`) features of every layer. */
export function hashCounty(c: DemoCounty, perLayer = Infinity): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(c.regions));
  h.update(JSON.stringify(c.statistics));
  for (const l of c.layers) {
    h.update(l.id);
    let n = 0;
    for (const f of l.features()) {
      if (n++ >= perLayer) break;
      h.update(JSON.stringify(f));
    }
  }
  return h.digest('hex');
}

/** Features of a layer as an array. */
export function collect(l: DemoLayer): DemoFeature[] {
  return Array.from(l.features());
}

/**
 * Distance (m) from a lon/lat point to the boundary of a polygon, with edges straight in lon/lat as
 * GeoJSON draws them (RFC 7946), measured in local metres at Deqing's latitude.
 */
export function distanceToBoundary(p: Position, g: Polygon | MultiPolygon): number {
  const k = Math.cos((30.56 * Math.PI) / 180);
  const fwd = (q: Position): [number, number] => [q[0] * k * 111_320, q[1] * 110_574];
  const [px, py] = fwd(p);
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let best = Infinity;
  for (const poly of polys) {
    for (const ring of poly) {
      const pts = ring.map(fwd);
      for (let i = 0; i + 1 < pts.length; i++) {
        const [ax, ay] = pts[i];
        const [bx, by] = pts[i + 1];
        const dx = bx - ax;
        const dy = by - ay;
        const l2 = dx * dx + dy * dy;
        const t = l2 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / l2)) : 0;
        best = Math.min(best, Math.hypot(ax + t * dx - px, ay + t * dy - py));
      }
    }
  }
  return best;
}
