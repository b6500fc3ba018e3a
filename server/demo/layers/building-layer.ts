/**
 * Current status (现状): building footprints with floors, laid out on the construction-land
 * parcels — slab and tower blocks in the towns (tallest in Wukang, the county seat), sheds in the
 * industrial parks, two-to-four-storey houses on rural homesteads.
 */
import type { DemoContext } from '../context.ts';
import { round, toGeoPolygon } from '../geo-output.ts';
import { isConstruction, LAND_CLASSES } from '../land-classes.ts';
import { field, REGION_FIELDS, regionProps, syntheticLayer } from '../layer-kit.ts';
import type { Parcel } from '../parcel-model.ts';
import { Rng } from '../random.ts';
import type { DemoFeature, DemoLayer } from '../types.ts';
import type { Ring } from '../polygon-ops.ts';

interface Use {
  use: string;
  zh: string;
  perHa: number;
  w: number;
  h: number;
}

const USES: Record<string, Use> = {
  '0701': { use: 'residential', zh: '城镇住宅', perHa: 5, w: 60, h: 16 },
  '0702': { use: 'rural_residential', zh: '农村住宅', perHa: 10, w: 13, h: 10 },
  '05H1': { use: 'commercial', zh: '商业服务', perHa: 3, w: 40, h: 28 },
  '0508': { use: 'logistics', zh: '物流仓储', perHa: 1.6, w: 70, h: 40 },
  '0601': { use: 'industrial', zh: '工业厂房', perHa: 2.2, w: 75, h: 36 },
  '0602': { use: 'industrial', zh: '工矿设施', perHa: 0.8, w: 30, h: 20 },
  '08H1': { use: 'public', zh: '机关办公', perHa: 2, w: 45, h: 22 },
  '08H2': { use: 'public', zh: '科教文卫', perHa: 2.5, w: 50, h: 20 },
  '0809': { use: 'utility', zh: '公用设施', perHa: 1.5, w: 25, h: 18 },
  '09': { use: 'special', zh: '特殊用地', perHa: 1, w: 20, h: 15 },
};

const SEAT = '330521001';

function floorsFor(code: string, town: string, core: boolean, rng: Rng): number {
  switch (code) {
    case '0701':
      if (town === SEAT) return rng.weighted([rng.int(18, 33), rng.int(11, 18), rng.int(5, 7)], [30, 50, 20]);
      return core ? rng.weighted([rng.int(11, 18), rng.int(5, 9)], [35, 65]) : rng.int(4, 8);
    case '0702':
      return rng.weighted([2, 3, 4], [30, 55, 15]);
    case '05H1':
      return town === SEAT && core ? rng.int(3, 26) : rng.int(2, 8);
    case '0601':
    case '0508':
      return rng.weighted([1, 2, 3, 4], [35, 30, 25, 10]);
    default:
      return rng.int(2, 6);
  }
}

/** The buildings on one parcel. */
export function* buildingsOn(ctx: DemoContext, p: Parcel): Generator<DemoFeature> {
  const c = LAND_CLASSES[p.cls];
  const u = USES[c.code];
  if (!u || p.shape) return;
  const rng = new Rng(ctx.seed, `bld:${p.id}`);
  const [x0, y0, x1, y1] = p.box;
  const set = 4;
  const w = x1 - x0 - 2 * set;
  const h = y1 - y0 - 2 * set;
  if (w < 8 || h < 8) return;
  const n = Math.max(1, Math.round((u.perHa * (p.areaM2 / 10_000) * ctx.scale) * rng.range(0.7, 1.3)));
  const cols = Math.max(1, Math.round(Math.sqrt((n * w) / h)));
  const rows = Math.max(1, Math.ceil(n / cols));
  const lw = w / cols;
  const lh = h / rows;
  const core = p.sub === 1;
  const town = p.village.parent?.code ?? '';
  let k = 0;
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols && k < n; q++) {
      const tower = c.code === '0701' && town === SEAT && rng.chance(0.35);
      let bw = tower ? 28 : u.w * rng.range(0.8, 1.2);
      let bh = tower ? 26 : u.h * rng.range(0.85, 1.15);
      if (lh > lw && !tower) [bw, bh] = [bh, bw];
      bw = Math.min(bw, lw * 0.8);
      bh = Math.min(bh, lh * 0.8);
      if (bw < 4 || bh < 4) continue;
      const cx = x0 + set + (q + 0.5) * lw + rng.range(-0.08, 0.08) * (lw - bw);
      const cy = y0 + set + (r + 0.5) * lh + rng.range(-0.08, 0.08) * (lh - bh);
      const ring: Ring = [[cx - bw / 2, cy - bh / 2], [cx + bw / 2, cy - bh / 2], [cx + bw / 2, cy + bh / 2], [cx - bw / 2, cy + bh / 2]];
      const geometry = toGeoPolygon(ctx.frame, [[ring]]);
      if (!geometry) continue;
      const floors = floorsFor(c.code, town, core, rng);
      const storey = u.use === 'industrial' || u.use === 'logistics' ? 5.5 : u.use === 'commercial' ? 4.2 : 3.0;
      const footprint = bw * bh * ctx.frame.areaFactor(cy);
      const year = u.use === 'rural_residential' ? rng.int(1980, 2021) : rng.int(1992, 2023);
      k++;
      yield {
        geometry,
        properties: {
          building_id: `${p.id}-${String(k).padStart(2, '0')}`,
          use: u.use,
          use_zh: u.zh,
          floors,
          height_m: round(floors * storey, 1),
          footprint_m2: round(footprint, 1),
          floor_area_m2: round(footprint * floors, 1),
          built_year: year,
          structure: floors >= 7 ? '钢筋混凝土' : u.use === 'industrial' || u.use === 'logistics' ? '钢结构' : rng.chance(0.6) ? '砖混' : '钢筋混凝土',
          parcel_id: p.id,
          ...regionProps(p.village),
        },
      };
    }
  }
}

/** `buildings`. */
export function buildingsLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'buildings',
    title: { zh: '建筑物', en: 'Buildings' },
    description: {
      zh: '建筑物轮廓与层数（合成），位于建设用地图斑内；武康城区高层较多。',
      en: 'Building footprints with floors (synthetic), on construction-land parcels; high-rises mostly in Wukang.',
    },
    theme: 'current',
    department: 'housing-construction',
    keywords: ['建筑', '房屋', 'building', 'footprint'],
    classification: 'internal',
    updateFrequency: 'quarterly',
    geometryType: 'Polygon',
    fields: [
      field('building_id', '建筑编号', 'Building id', 'text'),
      field('use', '用途', 'Use', 'text'),
      field('use_zh', '用途（中文）', 'Use (Chinese)', 'text'),
      field('floors', '层数', 'Floors', 'integer'),
      field('height_m', '高度', 'Height', 'number', 'm'),
      field('footprint_m2', '基底面积', 'Footprint', 'number', 'm²'),
      field('floor_area_m2', '建筑面积', 'Floor area', 'number', 'm²'),
      field('built_year', '建成年份', 'Year built', 'integer'),
      field('structure', '结构', 'Structure', 'text'),
      field('parcel_id', '所在图斑', 'Parcel id', 'text'),
      ...REGION_FIELDS,
    ],
    *features() {
      for (const p of ctx.parcels()) if (isConstruction(p.cls)) yield* buildingsOn(ctx, p);
    },
  });
}
