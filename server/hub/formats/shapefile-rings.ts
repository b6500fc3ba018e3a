import type { Geometry, Position } from 'geojson';

/**
 * Groups shapefile rings into polygons. Shapefile outer rings are clockwise and holes
 * counter-clockwise; each hole goes to the smallest outer ring that contains it (a hole inside
 * no outer ring becomes a polygon of its own). When no ring is clockwise (a writer that ignored
 * orientation), rings are nested by containment instead. Output follows RFC 7946: outer rings
 * counter-clockwise, holes clockwise.
 */
export function assemblePolygon(input: Position[][]): Geometry | null {
  const rings = input.map(closeRing).filter((r) => r.length >= 4);
  if (rings.length === 0) return null;
  const info = rings.map((ring) => ({ ring, area: signedArea(ring), box: bbox(ring) }));
  const polygons: { outer: (typeof info)[number]; holes: Position[][] }[] = [];
  const containing = (r: (typeof info)[number], candidates: typeof polygons) => {
    let best: (typeof polygons)[number] | undefined;
    for (const p of candidates) {
      if (!boxContains(p.outer.box, r.box) || !ringInside(r.ring, p.outer.ring)) continue;
      if (!best || Math.abs(p.outer.area) < Math.abs(best.outer.area)) best = p;
    }
    return best;
  };
  if (info.some((r) => r.area < 0)) {
    for (const r of info) if (r.area <= 0) polygons.push({ outer: r, holes: [] });
    const outers = [...polygons];
    for (const r of info) {
      if (r.area <= 0) continue;
      const p = outers.length === 1 && boxContains(outers[0].outer.box, r.box) ? outers[0] : containing(r, outers);
      if (p) p.holes.push(r.ring);
      else polygons.push({ outer: r, holes: [] });
    }
  } else {
    // Nesting by containment, largest first: a ring inside an outer ring is its hole, a ring
    // inside a hole is a new outer ring (an island).
    const sorted = [...info].sort((a, b) => Math.abs(b.area) - Math.abs(a.area));
    for (const r of sorted) {
      const p = containing(r, polygons);
      const inHole = p?.holes.some((h) => boxContains(bbox(h), r.box) && ringInside(r.ring, h));
      if (p && !inHole) p.holes.push(r.ring);
      else polygons.push({ outer: r, holes: [] });
    }
  }
  const coords = polygons.map((p) => [orient(p.outer.ring, true), ...p.holes.map((h) => orient(h, false))]);
  return coords.length === 1 ? { type: 'Polygon', coordinates: coords[0] } : { type: 'MultiPolygon', coordinates: coords };
}

function closeRing(r: Position[]): Position[] {
  if (r.length === 0) return r;
  const a = r[0];
  const b = r[r.length - 1];
  return a[0] === b[0] && a[1] === b[1] ? r : [...r, a];
}

/** Shoelace area: positive for counter-clockwise rings (y up). */
function signedArea(r: Position[]): number {
  let s = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) s += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return s / 2;
}

function orient(r: Position[], ccw: boolean): Position[] {
  return signedArea(r) > 0 === ccw ? r : [...r].reverse();
}

function bbox(r: Position[]): [number, number, number, number] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of r) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return [x0, y0, x1, y1];
}

function boxContains(a: number[], b: number[]): boolean {
  return a[0] <= b[0] && a[1] <= b[1] && a[2] >= b[2] && a[3] >= b[3];
}

/** True when `inner` lies inside `outer`, judged on its first vertex not on `outer`'s boundary. */
function ringInside(inner: Position[], outer: Position[]): boolean {
  for (const p of inner) {
    const c = pointInRing(p, outer);
    if (c !== 0) return c > 0;
  }
  return true;
}

/** 1 inside, -1 outside, 0 on the boundary. */
function pointInRing([x, y]: Position, ring: Position[]): number {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    const cross = (xj - xi) * (y - yi) - (yj - yi) * (x - xi);
    if (cross === 0 && Math.min(xi, xj) <= x && x <= Math.max(xi, xj) && Math.min(yi, yj) <= y && y <= Math.max(yi, yj)) return 0;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 1 : -1;
}
