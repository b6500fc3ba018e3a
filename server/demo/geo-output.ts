/**
 * Conversion of local-frame geometry to GeoJSON (WGS84 lon/lat, 7 decimals, RFC 7946 winding),
 * and true areas.
 */
import type { LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { LocalFrame, Pt } from './local-frame.ts';
import type { MultiPoly, Ring } from './polygon-ops.ts';
import { multiCentroid, polyArea, ringArea } from './polygon-ops.ts';

function ringToGeo(frame: LocalFrame, r: Ring, ccw: boolean): Position[] | null {
  const out: Position[] = [];
  for (const p of r) {
    const q = frame.toLonLat(p[0], p[1]);
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  if (out.length < 3) return null;
  // winding is preserved by the frame (x and y grow with lon and lat); enforce it anyway
  if (ringArea(out as Pt[]) > 0 !== ccw) out.reverse();
  out.push([out[0][0], out[0][1]]);
  return out;
}

/** A local multipolygon as a GeoJSON Polygon (one part) or MultiPolygon, or null when degenerate. */
export function toGeoPolygon(frame: LocalFrame, m: MultiPoly): Polygon | MultiPolygon | null {
  const polys: Position[][][] = [];
  for (const p of m) {
    const outer = ringToGeo(frame, p[0], true);
    if (!outer) continue;
    const rings = [outer];
    for (const h of p.slice(1)) {
      const hr = ringToGeo(frame, h, false);
      if (hr) rings.push(hr);
    }
    polys.push(rings);
  }
  if (!polys.length) return null;
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

/** Always a MultiPolygon (for layers declared MultiPolygon). */
export function toGeoMultiPolygon(frame: LocalFrame, m: MultiPoly): MultiPolygon | null {
  const g = toGeoPolygon(frame, m);
  if (!g) return null;
  return g.type === 'MultiPolygon' ? g : { type: 'MultiPolygon', coordinates: [g.coordinates] };
}

/** A local polyline as a GeoJSON LineString. */
export function toGeoLine(frame: LocalFrame, line: readonly Pt[]): LineString | null {
  const out: Position[] = [];
  for (const p of line) {
    const q = frame.toLonLat(p[0], p[1]);
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out.length >= 2 ? { type: 'LineString', coordinates: out } : null;
}

/** A local point as a GeoJSON Point. */
export function toGeoPoint(frame: LocalFrame, p: Pt): Point {
  return { type: 'Point', coordinates: frame.toLonLat(p[0], p[1]) };
}

/** True (ellipsoidal) area of a local multipolygon, m² (scale corrected at each part's centroid). */
export function trueArea(frame: LocalFrame, m: MultiPoly): number {
  let a = 0;
  for (const p of m) a += polyArea(p) * frame.areaFactor(multiCentroid([p])[1]);
  return a;
}

/** Rounds to the given number of decimals. */
export function round(x: number, decimals = 2): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** m² to mu (亩; 1 mu = 666.67 m², i.e. 10000/15). */
export function toMu(m2: number): number {
  return (m2 * 15) / 10000;
}
