/**
 * Socio-economic (社会经济): the population grid — square cells (500 m at scale 1, finer at larger
 * scales) cut to the county, with residents summed from the population model (total 650,000).
 */
import type { DemoContext } from '../context.ts';
import { round, toGeoPolygon, trueArea } from '../geo-output.ts';
import { field, REGION_FIELDS, regionProps, syntheticLayer } from '../layer-kit.ts';
import type { Polygon } from 'geojson';
import type { Pt } from '../local-frame.ts';
import type { Box } from '../polygon-ops.ts';
import { multiCentroid } from '../polygon-ops.ts';
import { apportion, TOTAL_POPULATION } from '../population-model.ts';
import { hashUnit } from '../random.ts';
import type { DemoLayer } from '../types.ts';

/** Cell size of the population grid at a scale, m (a multiple of the 50 m landscape cell). */
export function populationCellSize(scale: number): number {
  return Math.max(50, Math.round(500 / Math.sqrt(scale) / 50) * 50);
}

/** `population_grid`. */
export function populationGridLayer(ctx: DemoContext): DemoLayer {
  const size = populationCellSize(ctx.scale);
  return syntheticLayer({
    id: 'population_grid',
    title: { zh: '人口格网', en: 'Population grid' },
    description: {
      zh: `${size} 米人口格网（合成），常住人口总计 ${TOTAL_POPULATION} 人，集中于城镇。`,
      en: `${size} m population grid (synthetic), ${TOTAL_POPULATION} residents in total, concentrated in the towns.`,
    },
    theme: 'socioeconomic',
    department: 'statistics',
    keywords: ['人口', '格网', 'population', 'grid'],
    classification: 'confidential',
    updateFrequency: 'yearly',
    geometryType: 'Polygon',
    fields: [
      field('cell_id', '格网编号', 'Cell id', 'text'),
      field('population', '常住人口', 'Residents', 'integer', 'persons'),
      field('density', '人口密度', 'Density', 'number', 'persons/km²'),
      field('households', '户数', 'Households', 'integer'),
      field('pop_0_14', '0-14岁人口', 'Aged 0–14', 'integer', 'persons'),
      field('pop_15_64', '15-64岁人口', 'Aged 15–64', 'integer', 'persons'),
      field('pop_65_plus', '65岁及以上人口', 'Aged 65+', 'integer', 'persons'),
      field('cell_size_m', '格网边长', 'Cell size', 'integer', 'm'),
      ...REGION_FIELDS,
    ],
    *features() {
      const { grid, label } = ctx.land;
      const k = size / grid.cell;
      const ncx = Math.ceil(grid.nx / k);
      const ncy = Math.ceil(grid.ny / k);
      const sums = new Float64Array(ncx * ncy);
      const any = new Uint8Array(ncx * ncy);
      for (let idx = 0; idx < grid.size; idx++) {
        if (label[idx] < 0) continue;
        const i = idx % grid.nx;
        const j = (idx - i) / grid.nx;
        const c = Math.floor(j / k) * ncx + Math.floor(i / k);
        sums[c] += ctx.population.perCell[idx];
        any[c] = 1;
      }
      const pops = apportion(sums, TOTAL_POPULATION);
      for (let c = 0; c < sums.length; c++) {
        if (!any[c]) continue;
        const ci = c % ncx;
        const cj = (c - ci) / ncx;
        const box: Box = [grid.x0 + ci * size, grid.y0 + cj * size, grid.x0 + (ci + 1) * size, grid.y0 + (cj + 1) * size];
        const shape = ctx.regions.county.index.clip(box, 1);
        const geometry = shape.length ? toGeoPolygon(ctx.frame, shape) : null;
        if (!geometry || geometry.type !== 'Polygon') {
          if (pops[c] > 0 && geometry?.type === 'MultiPolygon') {
            // a cell cut in two by the boundary: emit its largest piece, keeping the count
            const largest = shape.slice().sort((a, b) => trueArea(ctx.frame, [b]) - trueArea(ctx.frame, [a]))[0];
            const g = toGeoPolygon(ctx.frame, [largest]);
            if (g && g.type === 'Polygon') yield cellFeature(ctx, c, ci, cj, size, pops[c], trueArea(ctx.frame, shape), g, box, multiCentroid([largest]));
          }
          continue;
        }
        yield cellFeature(ctx, c, ci, cj, size, pops[c], trueArea(ctx.frame, shape), geometry, box, multiCentroid(shape));
      }
    },
  });
}

function cellFeature(ctx: DemoContext, c: number, ci: number, cj: number, size: number, pop: number, area: number, geometry: Polygon, box: Box, probe: Pt) {
  const u = hashUnit(ctx.seed, 301, c);
  const old = Math.round(pop * (0.17 + 0.08 * u));
  const young = Math.round(pop * (0.11 + 0.04 * hashUnit(ctx.seed, 302, c)));
  const village = ctx.gridAt((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)?.parent ?? ctx.gridAt(probe[0], probe[1])?.parent ?? null;
  return {
    geometry,
    properties: {
      cell_id: `${size}M-R${String(cj).padStart(3, '0')}C${String(ci).padStart(3, '0')}`,
      population: pop,
      density: round(area > 0 ? pop / (area / 1e6) : 0, 1),
      households: Math.round(pop / 2.6),
      pop_0_14: young,
      pop_15_64: Math.max(0, pop - young - old),
      pop_65_plus: old,
      cell_size_m: size,
      ...regionProps(village),
    },
  };
}
