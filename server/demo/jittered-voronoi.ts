/**
 * Voronoi cells of a jittered lattice, computed cell by cell from the 5×5 neighbourhood (exact
 * while the jitter stays under 0.4 of the spacing). Used for slope units and small watersheds.
 */
import type { Pt } from './local-frame.ts';
import type { Box, MultiPoly, Ring } from './polygon-ops.ts';
import { clipBox, clipConvex, clipHalfPlane } from './polygon-ops.ts';
import { hashUnit } from './random.ts';
import type { PolygonIndex } from './polygon-index.ts';

/** One cell. */
export interface JitterCell {
  i: number;
  j: number;
  site: Pt;
  /** The cell clipped to the clip polygon. */
  multi: MultiPoly;
}

/** Site of lattice node (i, j). */
export function jitterSite(seed: number, box: Box, s: number, i: number, j: number): Pt {
  return [box[0] + (i + 0.5 + 0.8 * (hashUnit(seed, i, j, 1) - 0.5)) * s, box[1] + (j + 0.5 + 0.8 * (hashUnit(seed, i, j, 2) - 0.5)) * s];
}

/** Cells over the box whose site passes `keep`, clipped to `clip`. */
export function* jitteredVoronoi(seed: number, box: Box, s: number, clip: PolygonIndex, keep: (site: Pt) => boolean): Generator<JitterCell> {
  const ni = Math.ceil((box[2] - box[0]) / s);
  const nj = Math.ceil((box[3] - box[1]) / s);
  for (let j = 0; j < nj; j++) {
    for (let i = 0; i < ni; i++) {
      const site = jitterSite(seed, box, s, i, j);
      if (!clip.contains(site[0], site[1]) || !keep(site)) continue;
      let cell: MultiPoly = [[[[site[0] - 2 * s, site[1] - 2 * s], [site[0] + 2 * s, site[1] - 2 * s], [site[0] + 2 * s, site[1] + 2 * s], [site[0] - 2 * s, site[1] + 2 * s]] as Ring]];
      for (let dj = -2; dj <= 2; dj++) {
        for (let di = -2; di <= 2; di++) {
          if (!di && !dj) continue;
          const o = jitterSite(seed, box, s, i + di, j + dj);
          const a = site[0] - o[0];
          const b = site[1] - o[1];
          const mx = (site[0] + o[0]) / 2;
          const my = (site[1] + o[1]) / 2;
          cell = clipHalfPlane(cell, a, b, -(a * mx + b * my));
        }
      }
      if (!cell.length) continue;
      const ring = cell[0][0];
      let xs0 = Infinity;
      let ys0 = Infinity;
      let xs1 = -Infinity;
      let ys1 = -Infinity;
      for (const p of ring) {
        xs0 = Math.min(xs0, p[0]);
        ys0 = Math.min(ys0, p[1]);
        xs1 = Math.max(xs1, p[0]);
        ys1 = Math.max(ys1, p[1]);
      }
      const cb: Box = [xs0, ys0, xs1, ys1];
      const rel = clip.relate(cb);
      let multi: MultiPoly = cell;
      if (rel === 'outside') continue;
      if (rel === 'crossing') multi = clipConvex(clipBox(clip.multi, cb), ring, 1);
      if (!multi.length) continue;
      yield { i, j, site, multi };
    }
  }
}
