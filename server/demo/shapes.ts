/**
 * Organic polygon shapes for lakes, protection zones, parks and development boundaries: seeded
 * blobs, and "ray stars" that grow from a centre along rays for as long as a condition holds
 * (so a red line follows the hills, a development boundary the built-up land).
 */
import type { Pt } from './local-frame.ts';
import type { MultiPoly } from './polygon-ops.ts';
import { clipBox, multiBox, starRing } from './polygon-ops.ts';
import { hashUnit } from './random.ts';
import type { RegionModel } from './regions.ts';
import { overlayIntersect } from './turf-bridge.ts';

/** A round blob of mean radius r with a seeded wavy outline (sum of a few harmonics). */
export function blob(seed: number, c: Pt, r: number, n = 48, rough = 0.3): MultiPoly {
  const harmonics = [2, 3, 4, 5].map((k) => ({ k, a: (rough * (hashUnit(seed, k) - 0.2)) / k, ph: 2 * Math.PI * hashUnit(seed, k, 9) }));
  const radii = Array.from({ length: n }, (_, i) => {
    const t = (2 * Math.PI * i) / n;
    let f = 1;
    for (const h of harmonics) f += h.a * Math.sin(h.k * t + h.ph);
    return r * Math.max(0.35, f);
  });
  return [[starRing(c[0], c[1], radii)]];
}

/**
 * A star-shaped polygon around c: along each of n rays it extends while `keep(x, y)` holds (tested
 * every `step` metres, up to maxR, at least minR), then the radii are smoothed.
 */
export function rayStar(c: Pt, n: number, minR: number, maxR: number, step: number, keep: (x: number, y: number) => boolean): MultiPoly {
  const radii: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    const dx = Math.cos(t);
    const dy = Math.sin(t);
    let r = step;
    while (r < maxR && keep(c[0] + dx * r, c[1] + dy * r)) r += step;
    radii.push(Math.max(minR, r - step / 2));
  }
  const smooth = radii.map((r, i) => (radii[(i + n - 1) % n] + 2 * r + radii[(i + 1) % n]) / 4);
  return [[starRing(c[0], c[1], smooth)]];
}

/** Clips a small polygon to the county, cheaply: the county is cut to the polygon's box first. */
export function clipToCounty(regions: RegionModel, m: MultiPoly): MultiPoly {
  const b = multiBox(m);
  const county = regions.county.index;
  const rel = county.relate(b);
  if (rel === 'inside') return m;
  if (rel === 'outside') return [];
  return overlayIntersect(clipBox(regions.county.multi, b), m);
}
