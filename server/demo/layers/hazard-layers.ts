/**
 * Hill hazards: slope units (斜坡单元) and small watersheds (小流域) over the western hills for
 * landslide and flash-flood early warning, and geological hazard points near hill villages.
 */
import type { DemoContext } from '../context.ts';
import { round, toGeoPoint, toGeoPolygon, trueArea } from '../geo-output.ts';
import { baseName, nearestVillage } from '../hydrology.ts';
import { jitteredVoronoi, jitterSite } from '../jittered-voronoi.ts';
import { BUILT, COVER } from '../landscape.ts';
import { field, isoDate, REGION_FIELDS, regionProps, syntheticLayer } from '../layer-kit.ts';
import type { Pt } from '../local-frame.ts';
import { hashUnit, Rng } from '../random.ts';
import type { DemoLayer } from '../types.ts';

const SLOPE_SPACING = 520;
const SHED_SPACING = 3200;
const LITHOLOGY = ['凝灰岩', '花岗岩', '砂岩', '粉砂质泥岩', '灰岩', '第四系残坡积层'];
const RISK = ['低', '中', '高', '极高'];

function isHill(ctx: DemoContext, p: Pt): boolean {
  return ctx.terrain.hilliness(p[0], p[1]) > 0.55;
}

/** The watershed lattice node whose Voronoi cell contains p, if that watershed exists (hilly site). */
function watershedOf(ctx: DemoContext, p: Pt): string {
  const box = ctx.regions.county.index.box;
  const seed = ctx.seed + 2;
  const i0 = Math.floor((p[0] - box[0]) / SHED_SPACING);
  const j0 = Math.floor((p[1] - box[1]) / SHED_SPACING);
  let best: [number, number] = [i0, j0];
  let bd = Infinity;
  for (let dj = -2; dj <= 2; dj++) {
    for (let di = -2; di <= 2; di++) {
      const s = jitterSite(seed, box, SHED_SPACING, i0 + di, j0 + dj);
      const d = (s[0] - p[0]) ** 2 + (s[1] - p[1]) ** 2;
      if (d < bd) {
        bd = d;
        best = [i0 + di, j0 + dj];
      }
    }
  }
  const site = jitterSite(seed, box, SHED_SPACING, best[0], best[1]);
  return ctx.regions.county.index.contains(site[0], site[1]) && isHill(ctx, site) ? `XLY${String(best[1]).padStart(2, '0')}${String(best[0]).padStart(2, '0')}` : '';
}

/** `slope_units`. */
export function slopeUnitsLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'slope_units',
    title: { zh: '斜坡单元', en: 'Slope units' },
    description: {
      zh: '西部山区斜坡单元（合成）：坡度、坡向、岩性和滑坡易发性，用于地质灾害风险预警。',
      en: 'Slope units of the western hills (synthetic): slope, aspect, lithology and landslide susceptibility, for geohazard early warning.',
    },
    theme: 'management',
    department: 'natural-resources-planning',
    keywords: ['斜坡单元', '地质灾害', '预警', 'slope unit', 'landslide'],
    classification: 'internal',
    updateFrequency: 'yearly',
    geometryType: 'Polygon',
    fields: [
      field('unit_id', '斜坡单元编号', 'Unit id', 'text'),
      field('watershed_id', '所在小流域', 'Watershed id', 'text'),
      field('area_ha', '面积', 'Area', 'number', 'ha'),
      field('mean_elevation_m', '平均高程', 'Mean elevation', 'number', 'm'),
      field('mean_slope_deg', '平均坡度', 'Mean slope', 'number', '°'),
      field('aspect_deg', '坡向', 'Aspect', 'number', '°'),
      field('lithology', '岩性', 'Lithology', 'text'),
      field('susceptibility', '滑坡易发性', 'Landslide susceptibility', 'text'),
      field('threatened_households', '威胁户数', 'Households at risk', 'integer'),
      field('monitored', '是否监测', 'Monitored', 'boolean'),
      ...REGION_FIELDS,
    ],
    *features() {
      const box = ctx.regions.county.index.box;
      for (const c of jitteredVoronoi(ctx.seed + 1, box, SLOPE_SPACING, ctx.regions.county.index, (s) => isHill(ctx, s))) {
        const geometry = toGeoPolygon(ctx.frame, [c.multi[0]]);
        if (!geometry) continue;
        const [x, y] = c.site;
        const slope = ctx.terrain.slope(x, y, 100);
        const u = hashUnit(ctx.seed, 401, c.i, c.j);
        const lith = Math.floor(hashUnit(ctx.seed, 402, c.i, c.j) * LITHOLOGY.length);
        const score = Math.min(0.999, slope / 25 + 0.35 * u + (lith >= 3 ? 0.15 : 0));
        const risk = Math.min(3, Math.floor(score * 3.2));
        const village = ctx.gridAt(x, y)?.parent ?? nearestVillage(ctx.regions, x, y);
        yield {
          geometry,
          properties: {
            unit_id: `PD${String(c.j).padStart(3, '0')}${String(c.i).padStart(3, '0')}`,
            watershed_id: watershedOf(ctx, c.site),
            area_ha: round(trueArea(ctx.frame, [c.multi[0]]) / 10_000, 2),
            mean_elevation_m: round(ctx.terrain.elevation(x, y), 1),
            mean_slope_deg: round(slope, 1),
            aspect_deg: round(ctx.terrain.aspect(x, y, 100), 0),
            lithology: LITHOLOGY[lith],
            susceptibility: RISK[risk],
            threatened_households: risk >= 2 ? Math.floor(hashUnit(ctx.seed, 403, c.i, c.j) * 25) : 0,
            monitored: risk >= 2 && hashUnit(ctx.seed, 404, c.i, c.j) < 0.6,
            ...regionProps(village),
          },
        };
      }
    },
  });
}

/** `small_watersheds`. */
export function watershedsLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'small_watersheds',
    title: { zh: '山洪小流域', en: 'Small watersheds' },
    description: {
      zh: '西部山区山洪灾害防治小流域（合成）：面积、主沟长度、坡度、人口和山洪风险。',
      en: 'Small watersheds of the western hills for flash-flood prevention (synthetic): area, main channel, slope, population and flood risk.',
    },
    theme: 'management',
    department: 'water-resources',
    keywords: ['小流域', '山洪', 'watershed', 'flash flood'],
    classification: 'internal',
    updateFrequency: 'yearly',
    geometryType: 'Polygon',
    fields: [
      field('watershed_id', '小流域编号', 'Watershed id', 'text'),
      field('name', '名称', 'Name', 'text'),
      field('area_km2', '面积', 'Area', 'number', 'km²'),
      field('main_channel_km', '主沟长度', 'Main channel length', 'number', 'km'),
      field('mean_slope_deg', '平均坡度', 'Mean slope', 'number', '°'),
      field('max_elevation_m', '最高高程', 'Highest point', 'number', 'm'),
      field('outlet_elevation_m', '出口高程', 'Outlet elevation', 'number', 'm'),
      field('population', '人口', 'Population', 'integer', 'persons'),
      field('flood_risk', '山洪风险等级', 'Flash-flood risk', 'text'),
      ...REGION_FIELDS,
    ],
    *features() {
      const box = ctx.regions.county.index.box;
      const used = new Set<string>();
      for (const c of jitteredVoronoi(ctx.seed + 2, box, SHED_SPACING, ctx.regions.county.index, (s) => isHill(ctx, s))) {
        const shape = [c.multi[0]];
        const geometry = toGeoPolygon(ctx.frame, shape);
        if (!geometry) continue;
        let emax = 0;
        let emin = Infinity;
        let pop = 0;
        let slopeSum = 0;
        let nCells = 0;
        ctx.land.grid.fillPolygon(shape, (i) => {
          if (ctx.land.label[i] < 0) return;
          const e = ctx.land.elevation[i];
          emax = Math.max(emax, e);
          emin = Math.min(emin, e);
          pop += ctx.population.perCell[i];
          if (nCells++ % 9 === 0) {
            const [x, y] = ctx.land.grid.centerOf(i);
            slopeSum += ctx.terrain.slope(x, y, 100);
          }
        });
        const area = trueArea(ctx.frame, shape) / 1e6;
        const village = ctx.gridAt(c.site[0], c.site[1])?.parent ?? nearestVillage(ctx.regions, c.site[0], c.site[1]);
        let name = `${baseName(village.nameZh)}溪小流域`;
        for (let k = 2; used.has(name); k++) name = `${baseName(village.nameZh)}${k}号小流域`;
        used.add(name);
        const meanSlope = nCells ? slopeSum / Math.ceil(nCells / 9) : 0;
        const risk = pop > 1500 && meanSlope > 6 ? '高' : pop > 500 ? '中' : '低';
        yield {
          geometry,
          properties: {
            watershed_id: `XLY${String(c.j).padStart(2, '0')}${String(c.i).padStart(2, '0')}`,
            name,
            area_km2: round(area, 3),
            main_channel_km: round(1.4 * Math.sqrt(area) * (0.85 + 0.3 * hashUnit(ctx.seed, 411, c.i, c.j)), 2),
            mean_slope_deg: round(meanSlope, 1),
            max_elevation_m: round(emax, 1),
            outlet_elevation_m: round(Number.isFinite(emin) ? emin : 0, 1),
            population: Math.round(pop),
            flood_risk: risk,
            ...regionProps(village),
          },
        };
      }
    },
  });
}

/** Number of geological hazard points. */
export const GEOHAZARD_POINTS = 45;

/** `geohazard_points`. */
export function geohazardLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'geohazard_points',
    title: { zh: '地质灾害隐患点', en: 'Geological hazard points' },
    description: {
      zh: '地质灾害隐患点（合成）：山区村庄附近的滑坡、崩塌、泥石流隐患及威胁人口。',
      en: 'Geological hazard points (synthetic): landslide, rockfall and debris-flow hazards near hill villages, with people at risk.',
    },
    theme: 'management',
    department: 'natural-resources-planning',
    keywords: ['地质灾害', '隐患点', 'geohazard', 'landslide'],
    classification: 'confidential',
    updateFrequency: 'monthly',
    geometryType: 'Point',
    fields: [
      field('hazard_id', '隐患点编号', 'Hazard id', 'text'),
      field('name', '名称', 'Name', 'text'),
      field('hazard_type', '灾害类型', 'Hazard type', 'text'),
      field('scale', '规模等级', 'Scale', 'text'),
      field('threatened_people', '威胁人数', 'People at risk', 'integer', 'persons'),
      field('threatened_property', '威胁财产', 'Property at risk', 'number', '万元'),
      field('risk_level', '风险等级', 'Risk level', 'text'),
      field('monitored', '专业监测', 'Monitored', 'boolean'),
      field('found_date', '发现日期', 'Found on', 'date'),
      ...REGION_FIELDS,
    ],
    *features() {
      const rng = new Rng(ctx.seed, 'geohazards');
      const { land } = ctx;
      const spots: number[] = [];
      for (let i = 0; i < land.grid.size; i++) {
        if (land.cover[i] === COVER.built && land.sub[i] === BUILT.rural) {
          const [x, y] = land.grid.centerOf(i);
          if (ctx.terrain.hilliness(x, y) > 0.6) spots.push(i);
        }
      }
      const types: [string, number][] = [['滑坡', 55], ['崩塌', 30], ['泥石流', 10], ['地面塌陷', 5]];
      for (let k = 0; k < GEOHAZARD_POINTS && spots.length; k++) {
        const [cx, cy] = land.grid.centerOf(spots[rng.int(0, spots.length - 1)]);
        let p: Pt = [cx, cy];
        for (let t = 0; t < 10; t++) {
          const a = rng.range(0, 2 * Math.PI);
          const q: Pt = [cx + Math.cos(a) * rng.range(60, 220), cy + Math.sin(a) * rng.range(60, 220)];
          if (ctx.regions.county.index.contains(q[0], q[1]) && ctx.terrain.elevation(q[0], q[1]) > ctx.terrain.elevation(cx, cy)) {
            p = q;
            break;
          }
        }
        const type = rng.weighted(types.map((t) => t[0]), types.map((t) => t[1]));
        const people = rng.int(3, 60);
        const village = ctx.gridAt(p[0], p[1])?.parent ?? nearestVillage(ctx.regions, p[0], p[1]);
        yield {
          geometry: toGeoPoint(ctx.frame, p),
          properties: {
            hazard_id: `DZ330521${String(k + 1).padStart(4, '0')}`,
            name: `${baseName(village.nameZh)}${rng.pick(['后山', '村口', '东侧', '西坡', '组'])}${type}`,
            hazard_type: type,
            scale: rng.chance(0.85) ? '小型' : '中型',
            threatened_people: people,
            threatened_property: round(people * rng.range(8, 30), 1),
            risk_level: people > 30 ? '高' : people > 10 ? '中' : '低',
            monitored: rng.chance(0.6),
            found_date: isoDate(rng.int(2010, 2023), rng.int(0, 364)),
            ...regionProps(village),
          },
        };
      }
    },
  });
}
