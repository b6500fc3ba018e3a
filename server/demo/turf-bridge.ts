/**
 * General polygon overlay (intersection, union, difference) through Turf, for the few places the
 * demo needs it on arbitrary shapes (blobs against the county, pieces merged into neighbours).
 * Works on local-frame coordinates (Turf's overlay is planar).
 */
import { difference, featureCollection, intersect, multiPolygon, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { YituError } from '../platform/errors.ts';
import type { Pt } from './local-frame.ts';
import type { MultiPoly, Poly } from './polygon-ops.ts';
import { dedupeRing, orient, polyArea } from './polygon-ops.ts';

function toCoords(m: MultiPoly, f: number): Position[][][] {
  const q = (x: number): number => Math.round(x * f) / f;
  return m.map((p) => p.map((r) => [...r.map((v) => [q(v[0]), q(v[1])]), [q(r[0][0]), q(r[0][1])]]));
}

/**
 * Runs a Turf overlay on inputs snapped to a grid: polyclip-ts (Turf's engine) can fail to close
 * output rings on unsnapped float input, so snap to 1 mm, and retry at 1 cm and 10 cm.
 */
function robust(a: MultiPoly, b: MultiPoly, op: (x: Feature<MultiPolygon>, y: Feature<MultiPolygon>) => Polygon | MultiPolygon | null | undefined): Polygon | MultiPolygon | null | undefined {
  let last: unknown;
  for (const f of [1000, 100, 10]) {
    try {
      return op(multiPolygon(toCoords(a, f)), multiPolygon(toCoords(b, f)));
    } catch (e) {
      last = e;
    }
  }
  throw new YituError('YITU_ERR_INTERNAL', `polygon overlay failed: ${(last as Error)?.message ?? last}`, { cause: last });
}

/** Turf result back to a local multipolygon; drops slivers and holes under minArea m². */
export function fromTurf(g: Polygon | MultiPolygon | null | undefined, minArea = 1): MultiPoly {
  if (!g) return [];
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const out: MultiPoly = [];
  for (const p of polys) {
    const rings = p.map((r) => dedupeRing(r.slice(0, -1).map((q) => [q[0], q[1]] as Pt)));
    if (rings[0].length < 3 || polyArea([rings[0]]) < minArea) continue;
    const poly: Poly = [orient(rings[0], true), ...rings.slice(1).filter((h) => h.length >= 3 && polyArea([orient(h, true)]) >= minArea).map((h) => orient(h, false))];
    out.push(poly);
  }
  return out;
}

/** a ∩ b. */
export function overlayIntersect(a: MultiPoly, b: MultiPoly, minArea = 1): MultiPoly {
  if (!a.length || !b.length) return [];
  return fromTurf(robust(a, b, (x, y) => intersect(featureCollection([x, y]))?.geometry), minArea);
}

/** a ∪ b. */
export function overlayUnion(a: MultiPoly, b: MultiPoly, minArea = 1): MultiPoly {
  if (!a.length) return b;
  if (!b.length) return a;
  return fromTurf(robust(a, b, (x, y) => union(featureCollection([x, y]))?.geometry), minArea);
}

/** a − b. */
export function overlayDifference(a: MultiPoly, b: MultiPoly, minArea = 1): MultiPoly {
  if (!a.length || !b.length) return a;
  return fromTurf(robust(a, b, (x, y) => difference(featureCollection([x, y]))?.geometry), minArea);
}
