/**
 * Where the ~650,000 residents of the demo county live: a density weight per landscape cell
 * (dense in the town cores, above all Wukang; moderate in village settlements; thin elsewhere),
 * scaled to the total. Region populations and the population grid are sums of the same cells,
 * rounded with the largest-remainder method so that every level adds up to exactly the total.
 */
import { BUILT, COVER } from './landscape.ts';
import type { Landscape } from './landscape.ts';
import type { RegionModel } from './regions.ts';

/** Resident population of the demo county (Deqing's 常住人口 is about 650,000). */
export const TOTAL_POPULATION = 650_000;

/** Population per landscape cell (fractional). */
export interface PopulationModel {
  perCell: Float64Array;
}

/** Integers proportional to `values` that add up to exactly `total` (largest remainder). */
export function apportion(values: ArrayLike<number>, total: number): number[] {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  if (sum <= 0) return Array.from({ length: values.length }, () => 0);
  const exact = Array.from(values, (v) => (v / sum) * total);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((s, v) => s + v, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0 && k < order.length; k++, left--) out[order[k][1]]++;
  return out;
}

/** Builds the population surface and writes region populations into the region model. */
export function buildPopulation(land: Landscape, regions: RegionModel): PopulationModel {
  const n = land.grid.size;
  const w = new Float64Array(n);
  const seatTown = regions.towns.findIndex((t) => t.code === '330521001'); // 武康街道, the county seat
  for (let i = 0; i < n; i++) {
    if (land.label[i] < 0) continue;
    const c = land.cover[i];
    const s = land.sub[i];
    let v = 0;
    if (c === COVER.built) {
      v = s === BUILT.core ? 45 : s === BUILT.urban ? 24 : s === BUILT.rural ? 18 : s === BUILT.industrial ? 4 : 0.5;
      if (land.builtTown[i] === seatTown && (s === BUILT.core || s === BUILT.urban)) v *= 1.2;
    } else if (c === COVER.farmland) v = 0.4;
    else if (c === COVER.forest) v = 0.08;
    w[i] = v;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i];
  const perCell = new Float64Array(n);
  for (let i = 0; i < n; i++) perCell[i] = (w[i] / total) * TOTAL_POPULATION;
  const byGrid = new Float64Array(regions.grids.length);
  for (let i = 0; i < n; i++) if (land.label[i] >= 0) byGrid[land.label[i]] += perCell[i];
  const gridPop = apportion(byGrid, TOTAL_POPULATION);
  regions.grids.forEach((g, k) => (g.population = gridPop[k]));
  for (const v of regions.villages) v.population = v.children.reduce((s, g) => s + g.population, 0);
  for (const t of regions.towns) t.population = t.children.reduce((s, v) => s + v.population, 0);
  regions.county.population = regions.towns.reduce((s, t) => s + t.population, 0);
  return { perCell };
}
