/**
 * Socio-economic (社会经济): public facilities — schools, hospitals and clinics, elderly care,
 * culture halls, markets, parks and bus stops — in every town and village, the county-level ones
 * in Wukang, bus stops along the roads.
 */
import type { DemoContext } from '../context.ts';
import { TOWN_PROFILES } from '../deqing-geography.ts';
import { toGeoPoint } from '../geo-output.ts';
import { baseName, nearestVillage } from '../hydrology.ts';
import { field, REGION_FIELDS, regionProps, syntheticLayer } from '../layer-kit.ts';
import { pointAlong } from '../line-utils.ts';
import type { Pt } from '../local-frame.ts';
import { Rng } from '../random.ts';
import type { RegionNode } from '../regions.ts';
import type { DemoFeature, DemoLayer } from '../types.ts';

/** Number of facilities at scale 1 (bus stops fill up to it). */
export const FACILITIES_AT_SCALE_1 = 1500;

type Category = 'education' | 'health' | 'elderly_care' | 'culture' | 'commerce' | 'park' | 'transport' | 'sports';

const CATEGORY_ZH: Record<Category, string> = {
  education: '教育', health: '医疗卫生', elderly_care: '养老服务', culture: '文化', commerce: '商业', park: '公园绿地', transport: '交通', sports: '体育',
};

interface Spec {
  cat: Category;
  sub: string;
  subZh: string;
  name: (place: string) => string;
  capacity: [number, number];
  unit: string;
}

const S = (cat: Category, sub: string, subZh: string, name: (p: string) => string, capacity: [number, number], unit: string): Spec => ({ cat, sub, subZh, name, capacity, unit });

const VILLAGE_SPECS: Spec[] = [
  S('health', 'village_clinic', '村卫生室', (p) => `${p}卫生室`, [1, 4], '医生'),
  S('elderly_care', 'day_care_centre', '居家养老服务照料中心', (p) => `${p}居家养老服务照料中心`, [10, 40], '床位'),
  S('culture', 'culture_hall', '文化礼堂', (p) => `${p}文化礼堂`, [100, 400], '座位'),
];
const TOWN_SPECS: [Spec, number, number][] = [
  [S('health', 'health_centre', '卫生院', (p) => `${p}卫生院`, [30, 120], '床位'), 1, 1],
  [S('education', 'kindergarten', '幼儿园', (p) => `${p}幼儿园`, [150, 450], '学位'), 2, 10],
  [S('education', 'primary_school', '小学', (p) => `${p}小学`, [600, 2000], '学位'), 1, 7],
  [S('education', 'middle_school', '初级中学', (p) => `${p}中学`, [800, 1800], '学位'), 1, 3],
  [S('commerce', 'farmers_market', '农贸市场', (p) => `${p}农贸市场`, [80, 300], '摊位'), 1, 3],
  [S('park', 'park', '公园', (p) => `${p}公园`, [2, 30], '公顷'), 1, 8],
  [S('elderly_care', 'nursing_home', '养老院', (p) => `${p}颐养院`, [60, 200], '床位'), 1, 2],
  [S('sports', 'fitness_centre', '全民健身中心', (p) => `${p}全民健身中心`, [200, 800], '人次/日'), 1, 1],
];
const COUNTY_SPECS: Spec[] = [
  S('health', 'hospital', '综合医院', () => '德清县人民医院', [800, 1200], '床位'),
  S('health', 'hospital', '中医医院', () => '德清县中医院', [400, 700], '床位'),
  S('health', 'hospital', '妇幼保健院', () => '德清县妇幼保健院', [150, 300], '床位'),
  S('education', 'high_school', '高级中学', () => '德清县高级中学', [2000, 3000], '学位'),
  S('education', 'high_school', '高级中学', () => '德清县第一中学', [1800, 2600], '学位'),
  S('education', 'vocational_school', '中等职业学校', () => '德清县职业中等专业学校', [1500, 2500], '学位'),
  S('culture', 'library', '图书馆', () => '德清县图书馆', [500, 1000], '座位'),
  S('culture', 'museum', '博物馆', () => '德清县博物馆', [300, 800], '人次/日'),
  S('sports', 'stadium', '体育中心', () => '德清县体育中心', [8000, 20000], '座位'),
  S('elderly_care', 'welfare_centre', '社会福利中心', () => '德清县社会福利中心', [300, 600], '床位'),
];
const BUS_STOP = S('transport', 'bus_stop', '公交站', (p) => `${p}站`, [0, 0], '');

/** A point within r of c inside the region (falls back to c). */
function near(region: RegionNode, c: Pt, r: number, rng: Rng): Pt {
  for (let k = 0; k < 30; k++) {
    const a = rng.range(0, 2 * Math.PI);
    const d = r * Math.sqrt(rng.next());
    const p: Pt = [c[0] + Math.cos(a) * d, c[1] + Math.sin(a) * d];
    if (region.index.contains(p[0], p[1])) return p;
  }
  return c;
}

/** `public_facilities`. */
export function facilitiesLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'public_facilities',
    title: { zh: '公共服务设施', en: 'Public facilities' },
    description: {
      zh: '学校、医院和卫生室、养老、文化礼堂、农贸市场、公园、体育和公交站点（合成），用于15分钟生活圈分析。',
      en: 'Schools, hospitals and clinics, elderly care, culture halls, markets, parks, sports and bus stops (synthetic), for 15-minute life-circle analysis.',
    },
    theme: 'socioeconomic',
    department: 'civil-affairs',
    keywords: ['公共服务设施', '生活圈', 'facility', 'life circle'],
    classification: 'public',
    updateFrequency: 'quarterly',
    geometryType: 'Point',
    fields: [
      field('facility_id', '设施编号', 'Facility id', 'text'),
      field('name', '名称', 'Name', 'text'),
      field('category', '类别', 'Category', 'text'),
      field('category_zh', '类别（中文）', 'Category (Chinese)', 'text'),
      field('subtype', '子类', 'Subtype', 'text'),
      field('subtype_zh', '子类（中文）', 'Subtype (Chinese)', 'text'),
      field('capacity', '规模', 'Capacity', 'integer'),
      field('capacity_unit', '规模单位', 'Capacity unit', 'text'),
      field('opened_year', '启用年份', 'Opened', 'integer'),
      ...REGION_FIELDS,
    ],
    *features() {
      const rng = new Rng(ctx.seed, 'facilities');
      const target = Math.round(FACILITIES_AT_SCALE_1 * ctx.scale);
      let n = 0;
      const emit = (spec: Spec, name: string, p: Pt): DemoFeature => {
        n++;
        const village = ctx.gridAt(p[0], p[1])?.parent ?? null;
        return {
          geometry: toGeoPoint(ctx.frame, p),
          properties: {
            facility_id: `F${String(n).padStart(6, '0')}`, name, category: spec.cat, category_zh: CATEGORY_ZH[spec.cat], subtype: spec.sub,
            subtype_zh: spec.subZh, capacity: spec.capacity[1] ? rng.int(spec.capacity[0], spec.capacity[1]) : 0, capacity_unit: spec.unit,
            opened_year: rng.int(1975, 2023), ...regionProps(village),
          },
        };
      };
      const seat = ctx.regions.towns.find((t) => t.code === '330521001')!;
      for (const spec of COUNTY_SPECS) yield emit(spec, spec.name(''), near(seat, seat.center, 2000, rng));
      for (const t of ctx.regions.towns) {
        const prof = TOWN_PROFILES.find((p) => p.code === t.code)!;
        const place = t.nameZh.replace(/(街道|镇)$/, '');
        for (const [spec, lo, hi] of TOWN_SPECS) {
          const count = t.code === seat.code ? hi : rng.int(lo, Math.max(lo, Math.ceil(hi / 3)));
          for (let k = 0; k < count; k++) {
            const p = near(t, t.center, prof.urbanKm * 1000 * 1.1, rng);
            const label = count > 1 ? `${place}${baseName(nearestVillage(ctx.regions, p[0], p[1]).nameZh)}` : place;
            yield emit(spec, spec.name(label), p);
          }
        }
      }
      for (const v of ctx.regions.villages) {
        const place = v.nameZh;
        for (const spec of VILLAGE_SPECS) {
          const s = v.kind === 'community' && spec.sub === 'village_clinic' ? { ...spec, subZh: '社区卫生服务站', name: (p: string) => `${p}卫生服务站` } : spec;
          yield emit(s, s.name(place), near(v, v.center, 250, rng));
        }
        yield emit(BUS_STOP, BUS_STOP.name(baseName(place)), near(v, v.center, 150, rng));
      }
      // bus stops along the roads fill up to the target
      const routes = ctx.roads.filter((r) => r.roadClass !== 'expressway').flatMap((r) => r.runs.map((run) => ({ r, run })));
      for (let k = 0; n < target && routes.length; k++) {
        const { r, run } = routes[k % routes.length];
        const p = pointAlong(run, rng.next());
        const v = nearestVillage(ctx.regions, p[0], p[1]);
        yield emit(BUS_STOP, `${r.nameZh}${baseName(v.nameZh)}${k >= routes.length ? String(Math.floor(k / routes.length) + 1) : ''}站`, p);
      }
    },
  });
}
