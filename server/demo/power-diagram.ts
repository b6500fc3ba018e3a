/**
 * Partitions a polygon into cells of given relative sizes: a power diagram (weighted Voronoi)
 * whose weights are calibrated on a lattice of sample points, optionally with Lloyd relaxation of
 * the sites. Cells are the parent clipped by the power half-planes, so neighbouring cells share
 * their edges (up to float noise) and together cover the parent exactly.
 */
import type { Pt } from './local-frame.ts';
import { PolygonIndex } from './polygon-index.ts';
import type { MultiPoly } from './polygon-ops.ts';
import { clipHalfPlane, pointInMulti, polyArea } from './polygon-ops.ts';
import { overlayUnion } from './turf-bridge.ts';

/** Options of {@link powerPartition}. */
export interface PowerPartitionOptions {
  /** Sample points inside the parent (a lattice), used to measure cell sizes. */
  samples: Pt[];
  /** Area one sample stands for, m². */
  sampleArea: number;
  /** Calibration iterations. */
  iterations?: number;
  /** Share of the way each site moves toward its cell's centroid per iteration (0 = sites fixed). */
  lloyd?: number;
}

/** The result of {@link powerPartition}. */
export interface PowerPartition {
  /** Final sites (moved when Lloyd relaxation is on). */
  sites: Pt[];
  /** Calibrated weights, m². */
  weights: number[];
  /** One cell per site (may be empty for a site squeezed out). */
  cells: MultiPoly[];
}

/** Index of the sample's cell: argmin |x − p|² − w. */
function owner(x: number, y: number, sites: Pt[], w: number[]): number {
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < sites.length; i++) {
    const dx = x - sites[i][0];
    const dy = y - sites[i][1];
    const d = dx * dx + dy * dy - w[i];
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** Partitions `parent` among `initialSites` with areas proportional to `targets`. */
export function powerPartition(parent: MultiPoly, initialSites: Pt[], targets: number[], opts: PowerPartitionOptions): PowerPartition {
  const n = initialSites.length;
  const sites = initialSites.map((p) => [p[0], p[1]] as Pt);
  const weights = new Array<number>(n).fill(0);
  const { samples, sampleArea } = opts;
  if (n > 1 && samples.length) {
    const total = targets.reduce((s, t) => s + t, 0);
    const want = targets.map((t) => (t / total) * samples.length);
    const iterations = opts.iterations ?? 60;
    const lloyd = opts.lloyd ?? 0;
    const count = new Float64Array(n);
    const sx = new Float64Array(n);
    const sy = new Float64Array(n);
    for (let it = 0; it < iterations; it++) {
      count.fill(0);
      sx.fill(0);
      sy.fill(0);
      for (const s of samples) {
        const o = owner(s[0], s[1], sites, weights);
        count[o]++;
        sx[o] += s[0];
        sy[o] += s[1];
      }
      const damp = it < iterations / 2 ? 0.5 : 0.3;
      for (let i = 0; i < n; i++) {
        weights[i] += damp * (want[i] - count[i]) * sampleArea;
        if (lloyd > 0 && count[i] > 0) {
          sites[i][0] += lloyd * (sx[i] / count[i] - sites[i][0]);
          sites[i][1] += lloyd * (sy[i] / count[i] - sites[i][1]);
        }
      }
      // keep weights centred (only differences matter)
      const mean = weights.reduce((s, w) => s + w, 0) / n;
      for (let i = 0; i < n; i++) weights[i] -= mean;
    }
  }
  const cells: MultiPoly[] = [];
  for (let i = 0; i < n; i++) {
    let cell = parent;
    for (let j = 0; j < n && cell.length; j++) {
      if (j === i) continue;
      const a = 2 * (sites[i][0] - sites[j][0]);
      const b = 2 * (sites[i][1] - sites[j][1]);
      const mx = (sites[i][0] + sites[j][0]) / 2;
      const my = (sites[i][1] + sites[j][1]) / 2;
      cell = clipHalfPlane(cell, a, b, -(a * mx + b * my) + (weights[i] - weights[j]), 1e-3);
    }
    cells.push(cell);
  }
  mergeFragments(cells, sites);
  return { sites, weights, cells };
}

/**
 * Gives the stray pieces of multi-part cells (a straight power line crossing a concave stretch of
 * the parent's boundary) to the neighbouring cell they share most boundary with, so that cells are
 * in one piece wherever a neighbour exists. The cells still partition the parent.
 */
export function mergeFragments(cells: MultiPoly[], sites: Pt[]): void {
  for (let i = 0; i < cells.length; i++) {
    if (cells[i].length < 2) continue;
    const main = cells[i].findIndex((p) => pointInMulti(sites[i][0], sites[i][1], [p]));
    const keep = main >= 0 ? main : cells[i].reduce((b, p, k, all) => (polyArea(p) > polyArea(all[b]) ? k : b), 0);
    const stray = cells[i].filter((_, k) => k !== keep);
    const kept: MultiPoly = [cells[i][keep]];
    for (const piece of stray) {
      let best = -1;
      let bestShared = 0;
      for (let j = 0; j < cells.length; j++) {
        if (j === i || !cells[j].length) continue;
        const idx = new PolygonIndex(cells[j]);
        let shared = 0;
        for (const q of piece[0]) if (idx.distanceToBoundary(q[0], q[1], 0.01) < 0.01) shared++;
        if (shared > bestShared) {
          bestShared = shared;
          best = j;
        }
      }
      if (best < 0 || bestShared < 2) {
        kept.push(piece);
        continue;
      }
      const merged = overlayUnion(cells[best], [piece]);
      if (merged.length) cells[best] = merged;
      else kept.push(piece);
    }
    cells[i] = kept;
  }
}
