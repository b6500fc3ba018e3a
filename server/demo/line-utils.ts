/**
 * Polyline helpers for rivers and roads: seeded meanders, densifying, cutting to a polygon,
 * nearest points.
 */
import type { Pt } from './local-frame.ts';
import type { PolygonIndex } from './polygon-index.ts';
import type { Rng } from './random.ts';

/**
 * Adds seeded meanders by midpoint displacement: each segment is split at its middle, moved
 * sideways by up to `wiggle` × its length, `depth` times.
 */
export function meander(line: readonly Pt[], rng: Rng, wiggle: number, depth: number): Pt[] {
  let pts: Pt[] = line.map((p) => [p[0], p[1]]);
  for (let d = 0; d < depth; d++) {
    const next: Pt[] = [pts[0]];
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1];
      const b = pts[i];
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const off = rng.range(-wiggle, wiggle);
      next.push([(a[0] + b[0]) / 2 - dy * off, (a[1] + b[1]) / 2 + dx * off], b);
    }
    pts = next;
  }
  return pts;
}

/** Inserts vertices so that no segment is longer than step. */
export function densify(line: readonly Pt[], step: number): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i < line.length; i++) {
    if (i > 0) {
      const a = line[i - 1];
      const b = line[i];
      const n = Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / step);
      for (let k = 1; k < n; k++) out.push([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
    }
    out.push([line[i][0], line[i][1]]);
  }
  return out;
}

/**
 * The runs of a polyline inside a polygon (vertices tested one by one, so densify first); a run
 * ends at the last vertex inside. Runs shorter than two vertices are dropped.
 */
export function cutToPolygon(line: readonly Pt[], index: PolygonIndex): Pt[][] {
  const runs: Pt[][] = [];
  let cur: Pt[] = [];
  for (const p of line) {
    if (index.contains(p[0], p[1])) cur.push(p);
    else {
      if (cur.length >= 2) runs.push(cur);
      cur = [];
    }
  }
  if (cur.length >= 2) runs.push(cur);
  return runs;
}

/** The vertex of the given lines nearest to (x, y), with its distance. */
export function nearestVertex(lines: readonly (readonly Pt[])[], x: number, y: number): { p: Pt; d: number } {
  let best: Pt = [x, y];
  let bd = Infinity;
  for (const l of lines) {
    for (const p of l) {
      const d = (p[0] - x) ** 2 + (p[1] - y) ** 2;
      if (d < bd) {
        bd = d;
        best = p;
      }
    }
  }
  return { p: best, d: Math.sqrt(bd) };
}

/** The point at a fraction (0..1) of a polyline's length. */
export function pointAlong(line: readonly Pt[], f: number): Pt {
  let total = 0;
  for (let i = 1; i < line.length; i++) total += Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]);
  let want = f * total;
  for (let i = 1; i < line.length; i++) {
    const l = Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]);
    if (want <= l && l > 0) {
      const t = want / l;
      return [line[i - 1][0] + t * (line[i][0] - line[i - 1][0]), line[i - 1][1] + t * (line[i][1] - line[i - 1][1])];
    }
    want -= l;
  }
  return line[line.length - 1];
}
