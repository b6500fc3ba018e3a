/**
 * Socio-economic (社会经济): the 10 digital agriculture parks (数字农业园区/未来农场) — fish
 * farming in the eastern ponds, rice in the plain, tea on the lower hills, vegetables, fruit and
 * seedlings.
 */
import type { DemoContext } from '../context.ts';
import { round, toGeoPolygon, toMu, trueArea } from '../geo-output.ts';
import { baseName } from '../hydrology.ts';
import { COVER, WATER } from '../landscape.ts';
import { field, REGION_FIELDS, regionProps, syntheticLayer } from '../layer-kit.ts';
import type { Pt } from '../local-frame.ts';
import { Rng } from '../random.ts';
import { blob, clipToCounty } from '../shapes.ts';
import type { DemoLayer } from '../types.ts';

interface ParkKind {
  type: string;
  zh: string;
  word: string;
  count: number;
  ok: (cover: number, sub: number, hilly: number) => boolean;
}

const KINDS: ParkKind[] = [
  { type: 'fishery', zh: '数字渔业', word: '数字渔业园区', count: 3, ok: (c, s) => c === COVER.water && s === WATER.pond },
  { type: 'rice', zh: '数字稻田', word: '数字稻米产业园', count: 3, ok: (c, _s, h) => c === COVER.farmland && h < 0.05 },
  { type: 'tea', zh: '数字茶园', word: '数字茶园', count: 2, ok: (c, _s, h) => c === COVER.forest && h > 0.4 && h < 0.9 },
  { type: 'vegetables', zh: '设施蔬菜', word: '数字蔬菜基地', count: 1, ok: (c, _s, h) => c === COVER.farmland && h < 0.2 },
  { type: 'seedlings', zh: '花卉苗木', word: '未来农场', count: 1, ok: (c, _s, h) => c === COVER.farmland && h < 0.3 },
];

/** `digital_agriculture_parks`. */
export function agricultureParksLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'digital_agriculture_parks',
    title: { zh: '数字农业园区', en: 'Digital agriculture parks' },
    description: {
      zh: '10个数字农业园区（合成）：东部数字渔业、平原稻米、低山茶园、蔬菜和花卉苗木。',
      en: 'Ten digital agriculture parks (synthetic): fish farming in the east, rice in the plain, tea on the lower hills, vegetables and seedlings.',
    },
    theme: 'socioeconomic',
    department: 'agriculture-rural',
    keywords: ['数字农业', '未来农场', 'digital agriculture', 'smart farming'],
    classification: 'public',
    updateFrequency: 'yearly',
    geometryType: 'Polygon',
    fields: [
      field('park_id', '园区编号', 'Park id', 'text'),
      field('name', '园区名称', 'Name', 'text'),
      field('park_type', '类型', 'Type', 'text'),
      field('park_type_zh', '类型（中文）', 'Type (Chinese)', 'text'),
      field('area_mu', '面积', 'Area', 'number', '亩'),
      field('established_year', '建成年份', 'Established', 'integer'),
      field('iot_devices', '物联网设备数', 'IoT devices', 'integer'),
      field('annual_output', '年产值', 'Annual output', 'number', '万元'),
      ...REGION_FIELDS,
    ],
    *features() {
      const rng = new Rng(ctx.seed, 'agri-parks');
      const county = ctx.regions.county.index;
      const box = county.box;
      const centers: Pt[] = [];
      let n = 0;
      for (const kind of KINDS) {
        for (let k = 0; k < kind.count; k++) {
          let c: Pt | null = null;
          for (let t = 0; t < 4000 && !c; t++) {
            const p: Pt = [rng.range(box[0], box[2]), rng.range(box[1], box[3])];
            if (!county.contains(p[0], p[1]) || centers.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) < 3500)) continue;
            const idx = ctx.land.grid.indexOf(p[0], p[1]);
            if (idx < 0 || !kind.ok(ctx.land.cover[idx], ctx.land.sub[idx], ctx.terrain.hilliness(p[0], p[1]))) continue;
            if (county.distanceToBoundary(p[0], p[1], 1200) < 1200) continue;
            c = p;
          }
          if (!c) continue;
          centers.push(c);
          const r = rng.range(450, 850);
          const shape = clipToCounty(ctx.regions, blob(ctx.seed + 500 + n, c, r, 36, 0.35));
          const geometry = shape.length ? toGeoPolygon(ctx.frame, [shape[0]]) : null;
          if (!geometry) continue;
          n++;
          const village = ctx.gridAt(c[0], c[1])?.parent ?? null;
          const town = village?.parent;
          const mu = toMu(trueArea(ctx.frame, [shape[0]]));
          yield {
            geometry,
            properties: {
              park_id: `SZNY${String(n).padStart(2, '0')}`,
              name: `德清${town ? baseName(town.nameZh.replace(/(街道|镇)$/, '')) : ''}${kind.word}`,
              park_type: kind.type,
              park_type_zh: kind.zh,
              area_mu: round(mu, 1),
              established_year: rng.int(2018, 2023),
              iot_devices: Math.round(mu / rng.range(15, 40)),
              annual_output: round(mu * (kind.type === 'fishery' ? rng.range(1.2, 2.5) : kind.type === 'tea' ? rng.range(0.8, 1.6) : rng.range(0.3, 0.9)), 1),
              ...regionProps(village),
            },
          };
        }
      }
    },
  });
}
