/**
 * A multipolygon with its edges bucketed in horizontal slabs, for fast point-in-polygon tests,
 * "does the boundary cross this box" tests and box clipping on the many small cells the demo
 * generators lay over regions.
 */
import type { Box, MultiPoly } from './polygon-ops.ts';
import { boxesOverlap, clipBox, multiArea, multiBox } from './polygon-ops.ts';

/** Indexed multipolygon. */
export class PolygonIndex {
  /** The polygon itself. */
  readonly multi: MultiPoly;
  /** Its bounding box. */
  readonly box: Box;
  /** Its area, m² in the local frame. */
  readonly area: number;
  private readonly ex1: Float64Array;
  private readonly ey1: Float64Array;
  private readonly ex2: Float64Array;
  private readonly ey2: Float64Array;
  private readonly slabs: Int32Array[];
  private readonly nSlabs: number;
  private readonly slabH: number;

  constructor(multi: MultiPoly) {
    this.multi = multi;
    this.box = multiBox(multi);
    this.area = multiArea(multi);
    let n = 0;
    for (const p of multi) for (const r of p) n += r.length;
    this.ex1 = new Float64Array(n);
    this.ey1 = new Float64Array(n);
    this.ex2 = new Float64Array(n);
    this.ey2 = new Float64Array(n);
    let k = 0;
    for (const p of multi) {
      for (const r of p) {
        for (let i = 0; i < r.length; i++) {
          const q = r[(i + 1) % r.length];
          this.ex1[k] = r[i][0];
          this.ey1[k] = r[i][1];
          this.ex2[k] = q[0];
          this.ey2[k] = q[1];
          k++;
        }
      }
    }
    const nSlabs = Math.max(1, Math.min(1024, Math.ceil(n / 4)));
    this.nSlabs = nSlabs;
    this.slabH = Math.max(1e-6, (this.box[3] - this.box[1]) / nSlabs);
    const lists: number[][] = Array.from({ length: nSlabs }, () => []);
    for (let e = 0; e < n; e++) {
      const lo = this.slabOf(Math.min(this.ey1[e], this.ey2[e]));
      const hi = this.slabOf(Math.max(this.ey1[e], this.ey2[e]));
      for (let s = lo; s <= hi; s++) lists[s].push(e);
    }
    this.slabs = lists.map((l) => Int32Array.from(l));
  }

  private slabOf(y: number): number {
    const s = Math.floor((y - this.box[1]) / this.slabH);
    return s < 0 ? 0 : s >= this.nSlabs ? this.nSlabs - 1 : s;
  }

  /** True when (x, y) is inside (even-odd rule). */
  contains(x: number, y: number): boolean {
    if (x < this.box[0] || x > this.box[2] || y < this.box[1] || y > this.box[3]) return false;
    const edges = this.slabs[this.slabOf(y)];
    let inside = false;
    for (let k = 0; k < edges.length; k++) {
      const e = edges[k];
      const y1 = this.ey1[e];
      const y2 = this.ey2[e];
      if (y1 > y !== y2 > y) {
        const xc = this.ex1[e] + ((this.ex2[e] - this.ex1[e]) * (y - y1)) / (y2 - y1);
        if (x < xc) inside = !inside;
      }
    }
    return inside;
  }

  /** True when some edge of the boundary touches the box. */
  crossesBox(b: Box): boolean {
    if (!boxesOverlap(b, this.box)) return false;
    const s0 = this.slabOf(b[1]);
    const s1 = this.slabOf(b[3]);
    for (let s = s0; s <= s1; s++) {
      const edges = this.slabs[s];
      for (let k = 0; k < edges.length; k++) {
        const e = edges[k];
        if (segmentTouchesBox(this.ex1[e], this.ey1[e], this.ex2[e], this.ey2[e], b)) return true;
      }
    }
    return false;
  }

  /**
   * How a box relates to the polygon: 'inside' (entirely), 'outside' (entirely) or 'crossing'
   * (the boundary passes through it).
   */
  relate(b: Box): 'inside' | 'outside' | 'crossing' {
    if (!boxesOverlap(b, this.box)) return 'outside';
    if (this.crossesBox(b)) return 'crossing';
    return this.contains((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) ? 'inside' : 'outside';
  }

  /** The part of the polygon inside the box. */
  clip(b: Box, minArea = 0.01): MultiPoly {
    const rel = this.relate(b);
    if (rel === 'outside') return [];
    if (rel === 'inside') {
      return [
        [
          [
            [b[0], b[1]],
            [b[2], b[1]],
            [b[2], b[3]],
            [b[0], b[3]],
          ],
        ],
      ];
    }
    return clipBox(this.multi, b, minArea);
  }

  /** Distance from (x, y) to the boundary, looking only within maxDist (returns maxDist if farther). */
  distanceToBoundary(x: number, y: number, maxDist: number): number {
    let best = maxDist;
    const s0 = this.slabOf(y - maxDist);
    const s1 = this.slabOf(y + maxDist);
    for (let s = s0; s <= s1; s++) {
      const edges = this.slabs[s];
      for (let k = 0; k < edges.length; k++) {
        const e = edges[k];
        const d = pointSegmentDistance(x, y, this.ex1[e], this.ey1[e], this.ex2[e], this.ey2[e]);
        if (d < best) best = d;
      }
    }
    return best;
  }
}

/** Distance from a point to a segment. */
export function pointSegmentDistance(px: number, py: number, x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const l2 = dx * dx + dy * dy;
  let t = l2 > 0 ? ((px - x1) * dx + (py - y1) * dy) / l2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const qx = x1 + t * dx - px;
  const qy = y1 + t * dy - py;
  return Math.sqrt(qx * qx + qy * qy);
}

/** True when the segment touches the closed box (Liang–Barsky). */
export function segmentTouchesBox(x1: number, y1: number, x2: number, y2: number, b: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const p = [-dx, dx, -dy, dy];
  const q = [x1 - b[0], b[2] - x1, y1 - b[1], b[3] - y1];
  for (let i = 0; i < 4; i++) {
    if (p[i] === 0) {
      if (q[i] < 0) return false;
    } else {
      const r = q[i] / p[i];
      if (p[i] < 0) {
        if (r > t1) return false;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return false;
        if (r < t1) t1 = r;
      }
    }
  }
  return true;
}
