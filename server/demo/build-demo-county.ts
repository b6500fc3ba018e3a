/**
 * The demo county: Deqing County (德清县, GB/T 2260 330521), Huzhou, Zhejiang — real where we can
 * be (boundary, towns, villages and their codes), synthetic and seeded where we must (everything
 * else). See docs/DATA.md for the provenance of every layer and table.
 *
 *     const county = buildDemoCounty({ seed: 1, scale: 1 });
 *     for (const layer of county.layers) for (const f of layer.features()) …
 */
import { YituError } from '../platform/errors.ts';
import { buildContext } from './context.ts';
import type { DemoContext } from './context.ts';
import { DEPARTMENTS } from './departments.ts';
import { toGeoPolygon } from './geo-output.ts';
import { agricultureParksLayer } from './layers/agriculture-layer.ts';
import { buildingsLayer } from './layers/building-layer.ts';
import { enterpriseIndicatorsLayer, enterprisesLayer } from './layers/enterprise-layers.ts';
import { facilitiesLayer } from './layers/facility-layer.ts';
import { geohazardLayer, slopeUnitsLayer, watershedsLayer } from './layers/hazard-layers.ts';
import { landUseParcelsLayer } from './layers/land-use-layers.ts';
import { changePatchesLayer, landApprovalsLayer } from './layers/management-layers.ts';
import { lakesLayer, riversLayer, roadsLayer } from './layers/network-layers.ts';
import { populationGridLayer } from './layers/population-layer.ts';
import { iotSitesLayer, rainGaugesLayer } from './layers/sensing-layers.ts';
import { basicFarmlandLayer, redLineLayer, urbanBoundaryLayer } from './layers/spatial-planning-layers.ts';
import { loadDeqingRealData } from './real-data.ts';
import type { RegionNode } from './regions.ts';
import { buildStatistics } from './statistics.ts';
import type { DemoCounty, DemoLayer, DemoRegion } from './types.ts';

/** The public types of the demo county (defined in types.ts). */
export type { DemoCounty, DemoDepartment, DemoFeature, DemoField, DemoLayer, DemoRegion, DemoStatTable, I18nText } from './types.ts';

/** Default seed of the demo county. */
export const DEFAULT_SEED = 330521;
/** Largest accepted scale. */
export const MAX_SCALE = 100;

/** Options of {@link buildDemoCounty}. */
export interface BuildDemoCountyOptions {
  /** Seed of all synthetic data (an integer); default {@link DEFAULT_SEED}. */
  seed?: number;
  /**
   * Size multiplier (default 1): N multiplies the counts of parcels, buildings, enterprises,
   * facilities and IoT sites and the population-grid resolution (10 gives ~300,000 parcels).
   * The county, towns and villages stay the same.
   */
  scale?: number;
}

function toRegion(ctx: DemoContext, n: RegionNode): DemoRegion {
  const geometry = toGeoPolygon(ctx.frame, n.multi);
  if (!geometry) throw new YituError('YITU_ERR_INTERNAL', `region ${n.code} has no geometry`);
  return {
    code: n.code, statCode: n.statCode, level: n.level, parentCode: n.parentCode, nameZh: n.nameZh, nameEn: n.nameEn, kind: n.kind,
    geometry, population: n.population,
  };
}

/** The layers of the demo county, in catalogue order. */
export function demoLayers(ctx: DemoContext): DemoLayer[] {
  return [
    landUseParcelsLayer(ctx),
    roadsLayer(ctx),
    riversLayer(ctx),
    lakesLayer(ctx),
    buildingsLayer(ctx),
    redLineLayer(ctx),
    basicFarmlandLayer(ctx),
    urbanBoundaryLayer(ctx),
    populationGridLayer(ctx),
    enterprisesLayer(ctx),
    enterpriseIndicatorsLayer(ctx),
    facilitiesLayer(ctx),
    agricultureParksLayer(ctx),
    iotSitesLayer(ctx),
    rainGaugesLayer(ctx),
    slopeUnitsLayer(ctx),
    watershedsLayer(ctx),
    geohazardLayer(ctx),
    landApprovalsLayer(ctx),
    changePatchesLayer(ctx),
  ];
}

/**
 * Builds the demo county. Deterministic: the same seed and scale give the same regions, features
 * and tables. Regions and tables are built at once (about a second); layer features are generated
 * when iterated (parcels and planning zones are kept after their first use).
 */
export function buildDemoCounty(opts: BuildDemoCountyOptions = {}): DemoCounty {
  const seed = opts.seed ?? DEFAULT_SEED;
  const scale = opts.scale ?? 1;
  if (!Number.isInteger(seed) || Math.abs(seed) > 2 ** 31) {
    throw new YituError('YITU_ERR_INPUT_INVALID', `seed must be an integer between -2^31 and 2^31, got ${seed}`);
  }
  if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE) {
    throw new YituError('YITU_ERR_INPUT_INVALID', `scale must be a number in (0, ${MAX_SCALE}], got ${scale}`);
  }
  const ctx = buildContext(loadDeqingRealData(), seed, scale);
  const { county, towns, villages, grids } = ctx.regions;
  const regions = [county, ...towns, ...villages, ...grids].map((n) => toRegion(ctx, n));
  return { seed, scale, regions, layers: demoLayers(ctx), statistics: buildStatistics(ctx), departments: DEPARTMENTS.map((d) => ({ ...d, regionCodes: [...d.regionCodes], caseCategories: [...d.caseCategories] })) };
}
