/**
 * Planar polygon operations in the local frame, written for speed on the shapes the demo makes:
 * clipping any polygon by a half-plane (so by convex cells and rectangles), area, centroid,
 * point-in-polygon and scanline sampling. Rings are open (no repeated closing point); outer rings
 * are counter-clockwise and holes clockwise.
 */
import type { Pt } from './local-frame.ts';

/** An open ring. */
export type Ring = Pt[];
/** A polygon: outer ring then holes. */
export type Poly = Ring[];
/** A multipolygon: a list of polygons. */
export type MultiPoly = Poly[];
/** An axis-aligned box [minX, minY, maxX, maxY]. */
export type Box = [number, number, number, number];

/** Signed area of an open ring (counter-clockwise positive). */
export function ringArea(r: Ring): number {
  let a = 0;
  for (let i = 0, n = r.length; i < n; i++) {
    const p = r[i];
    const q = r[i + 1 === n ? 0 : i + 1];
    a += p[0] * q[1] - q[0] * p[1];
  }
  return a / 2;
}

/** Area of a polygon (outer minus holes). */
export function polyArea(p: Poly): number {
  let a = 0;
  for (const r of p) a += Math.abs(ringArea(r)) * (r === p[0] ? 1 : -1);
  return a;
}

/** Area of a multipolygon. */
export function multiArea(m: MultiPoly): number {
  let a = 0;
  for (const p of m) a += polyArea(p);
  return a;
}

/** Area-weighted centroid of a multipolygon (falls back to the first vertex for degenerate input). */
export function multiCentroid(m: MultiPoly): Pt {
  let cx = 0;
  let cy = 0;
  let aa = 0;
  for (const p of m) {
    for (const r of p) {
      for (let i = 0, n = r.length; i < n; i++) {
        const a = r[i];
        const b = r[i + 1 === n ? 0 : i + 1];
        const c = a[0] * b[1] - b[0] * a[1];
        cx += (a[0] + b[0]) * c;
        cy += (a[1] + b[1]) * c;
        aa += c;
      }
    }
  }
  if (Math.abs(aa) < 1e-9) return m[0]?.[0]?.[0] ?? [0, 0];
  return [cx / (3 * aa), cy / (3 * aa)];
}

/** Bounding box of a multipolygon. */
export function multiBox(m: MultiPoly): Box {
  const b: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of m) for (const r of p) for (const q of r) extendBox(b, q);
  return b;
}

/** Bounding box of a list of points. */
export function pointsBox(pts: readonly Pt[]): Box {
  const b: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const q of pts) extendBox(b, q);
  return b;
}

function extendBox(b: Box, q: Pt): void {
  if (q[0] < b[0]) b[0] = q[0];
  if (q[1] < b[1]) b[1] = q[1];
  if (q[0] > b[2]) b[2] = q[0];
  if (q[1] > b[3]) b[3] = q[1];
}

/** True when boxes a and b overlap (touching counts). */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** Even-odd point in ring. */
export function pointInRing(x: number, y: number, r: Ring): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const yi = r[i][1];
    const yj = r[j][1];
    if (yi > y !== yj > y && x < ((r[j][0] - r[i][0]) * (y - yi)) / (yj - yi) + r[i][0]) inside = !inside;
  }
  return inside;
}

/** Point in multipolygon (even-odd over all rings). */
export function pointInMulti(x: number, y: number, m: MultiPoly): boolean {
  let inside = false;
  for (const p of m) for (const r of p) if (pointInRing(x, y, r)) inside = !inside;
  return inside;
}

/** A ring with the given orientation (counter-clockwise when ccw). */
export function orient(r: Ring, ccw: boolean): Ring {
  return ringArea(r) > 0 === ccw ? r : r.slice().reverse();
}

/** Removes consecutive duplicate (or nearly: closer than eps) vertices, also across the seam. */
export function dedupeRing(r: Ring, eps = 1e-9): Ring {
  const out: Ring = [];
  for (const p of r) {
    const q = out[out.length - 1];
    if (!q || Math.abs(q[0] - p[0]) > eps || Math.abs(q[1] - p[1]) > eps) out.push(p);
  }
  while (out.length > 1) {
    const a = out[0];
    const b = out[out.length - 1];
    if (Math.abs(a[0] - b[0]) > eps || Math.abs(a[1] - b[1]) > eps) break;
    out.pop();
  }
  return out;
}

interface Chain {
  pts: Pt[];
  tIn: number;
  tOut: number;
  used: boolean;
}

/**
 * Clips a multipolygon to the half-plane a·x + b·y + c ≥ 0. The result is a proper multipolygon:
 * where the boundary leaves and re-enters the half-plane the pieces come out as separate polygons,
 * and holes stay holes. Pieces smaller than minArea (m²) are dropped.
 */
export function clipHalfPlane(m: MultiPoly, a: number, b: number, c: number, minArea = 1e-6): MultiPoly {
  const wholeOuters: Ring[] = [];
  const wholeHoles: Ring[] = [];
  const chains: Chain[] = [];
  // direction along the line with the kept side on its left
  const ux = b;
  const uy = -a;
  for (const poly of m) {
    for (let ri = 0; ri < poly.length; ri++) {
      const ring = poly[ri];
      const n = ring.length;
      const d = new Float64Array(n);
      let nIn = 0;
      for (let i = 0; i < n; i++) {
        d[i] = a * ring[i][0] + b * ring[i][1] + c;
        if (d[i] >= 0) nIn++;
      }
      if (nIn === n) {
        (ri === 0 ? wholeOuters : wholeHoles).push(ring);
        continue;
      }
      if (nIn === 0) continue;
      // start from an outside vertex followed by an inside vertex
      let start = 0;
      for (let i = 0; i < n; i++) {
        if (d[i] < 0 && d[(i + 1) % n] >= 0) {
          start = i;
          break;
        }
      }
      let cur: Chain | null = null;
      for (let k = 0; k < n; k++) {
        const i = (start + k) % n;
        const j = (i + 1) % n;
        const pi = ring[i];
        const pj = ring[j];
        if (d[i] < 0 && d[j] >= 0) {
          const t = d[i] / (d[i] - d[j]);
          const p: Pt = [pi[0] + t * (pj[0] - pi[0]), pi[1] + t * (pj[1] - pi[1])];
          cur = { pts: [p, pj], tIn: p[0] * ux + p[1] * uy, tOut: 0, used: false };
        } else if (d[i] >= 0 && d[j] >= 0) {
          cur!.pts.push(pj);
        } else if (d[i] >= 0 && d[j] < 0) {
          const t = d[i] / (d[i] - d[j]);
          const p: Pt = [pi[0] + t * (pj[0] - pi[0]), pi[1] + t * (pj[1] - pi[1])];
          cur!.pts.push(p);
          cur!.tOut = p[0] * ux + p[1] * uy;
          chains.push(cur!);
          cur = null;
        }
      }
    }
  }
  const outers: Ring[] = [...wholeOuters];
  const holes: Ring[] = [...wholeHoles];
  if (chains.length) {
    const byIn = chains.slice().sort((p, q) => p.tIn - q.tIn);
    const ins = byIn.map((ch) => ch.tIn);
    for (const first of chains) {
      if (first.used) continue;
      const ring: Ring = [];
      let ch: Chain = first;
      for (let guard = 0; guard <= chains.length; guard++) {
        ch.used = true;
        for (const p of ch.pts) ring.push(p);
        // next entry along the line after this exit
        let lo = 0;
        let hi = ins.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (ins[mid] < ch.tOut) lo = mid + 1;
          else hi = mid;
        }
        let next: Chain | undefined;
        for (let s = lo; s < byIn.length && !next; s++) if (!byIn[s].used || byIn[s] === first) next = byIn[s];
        if (!next) next = first;
        if (next === first) break;
        ch = next;
      }
      const clean = dedupeRing(ring);
      if (clean.length < 3) continue;
      const area = ringArea(clean);
      if (Math.abs(area) < minArea) continue;
      (area > 0 ? outers : holes).push(clean);
    }
  }
  return assemble(outers, holes, minArea);
}

/** Groups outer rings and holes into polygons (each hole goes to the smallest outer containing it). */
export function assemble(outers: Ring[], holes: Ring[], minArea = 0): MultiPoly {
  const polys: MultiPoly = outers.filter((o) => Math.abs(ringArea(o)) >= minArea).map((o) => [orient(o, true)]);
  if (!holes.length) return polys;
  const areas = polys.map((p) => ringArea(p[0]));
  for (const h of holes) {
    if (Math.abs(ringArea(h)) < minArea) continue;
    const probe = h[0];
    let best = -1;
    for (let i = 0; i < polys.length; i++) {
      if (pointInRing(probe[0], probe[1], polys[i][0]) && (best < 0 || areas[i] < areas[best])) best = i;
    }
    if (best >= 0) polys[best].push(orient(h, false));
  }
  return polys;
}

/** Clips a multipolygon by a convex counter-clockwise ring (the intersection). */
export function clipConvex(m: MultiPoly, convex: Ring, minArea = 1e-6): MultiPoly {
  let out = m;
  for (let i = 0, n = convex.length; i < n && out.length; i++) {
    const p = convex[i];
    const q = convex[(i + 1) % n];
    // left of p->q: (q - p) x (x - p) >= 0
    const a = -(q[1] - p[1]);
    const b = q[0] - p[0];
    out = clipHalfPlane(out, a, b, -(a * p[0] + b * p[1]), minArea);
  }
  return out;
}

/** Intersection of a multipolygon with an axis-aligned rectangle. */
export function clipBox(m: MultiPoly, box: Box, minArea = 1e-6): MultiPoly {
  let out = clipHalfPlane(m, 1, 0, -box[0], minArea);
  if (out.length) out = clipHalfPlane(out, -1, 0, box[2], minArea);
  if (out.length) out = clipHalfPlane(out, 0, 1, -box[1], minArea);
  if (out.length) out = clipHalfPlane(out, 0, -1, box[3], minArea);
  return out;
}

/** The four corners of a box as a counter-clockwise ring. */
export function boxRing(b: Box): Ring {
  return [
    [b[0], b[1]],
    [b[2], b[1]],
    [b[2], b[3]],
    [b[0], b[3]],
  ];
}

/**
 * x-intervals where the horizontal line at y is inside the multipolygon (even-odd), as a sorted
 * flat list [x0, x1, x2, x3, …].
 */
export function scanline(m: MultiPoly, y: number): number[] {
  const xs: number[] = [];
  for (const p of m) {
    for (const r of p) {
      for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
        const yi = r[i][1];
        const yj = r[j][1];
        if (yi > y !== yj > y) xs.push(r[i][0] + ((r[j][0] - r[i][0]) * (y - yi)) / (yj - yi));
      }
    }
  }
  return xs.sort((u, v) => u - v);
}

/** Points of a regular lattice (spacing s, offset half a cell) inside a multipolygon. */
export function latticePoints(m: MultiPoly, s: number): Pt[] {
  const box = multiBox(m);
  const out: Pt[] = [];
  const y0 = Math.floor(box[1] / s) * s + s / 2;
  for (let y = y0; y <= box[3]; y += s) {
    const xs = scanline(m, y);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      for (let x = Math.ceil((xs[k] - s / 2) / s) * s + s / 2; x < xs[k + 1]; x += s) out.push([x, y]);
    }
  }
  return out;
}

/** Simple star polygon: a ring through the given radii at equal angles around (cx, cy). */
export function starRing(cx: number, cy: number, radii: readonly number[], phase = 0): Ring {
  const n = radii.length;
  return radii.map((r, i) => {
    const t = phase + (2 * Math.PI * i) / n;
    return [cx + r * Math.cos(t), cy + r * Math.sin(t)] as Pt;
  });
}
