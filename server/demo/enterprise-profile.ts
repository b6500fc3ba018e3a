/**
 * The synthetic enterprises of the demo county: industries with their national industry
 * classification codes (GB/T 4754-2017) and economic profiles, and one base record per enterprise
 * (where it is, how big, which industry) shared by the enterprise layer and its indicator table.
 */
import type { DemoContext } from './context.ts';
import { LAND_CLASSES } from './land-classes.ts';
import type { Pt } from './local-frame.ts';
import type { Parcel } from './parcel-model.ts';
import { Rng, weightedIndex } from './random.ts';
import type { RegionNode } from './regions.ts';

/** An industry and its profile. */
export interface Industry {
  code: string;
  nameZh: string;
  nameEn: string;
  weight: number;
  /** Output per employee, 10k CNY per year. */
  productivity: number;
  /** Energy use, tce per 10k CNY of output. */
  energy: number;
  /** Pollution factor 0..1. */
  pollution: number;
  /** R&D spending as a share of revenue. */
  rd: number;
  /** Share of output exported. */
  exportShare: number;
  /** Land per employee, mu. */
  landPerEmployee: number;
  site: 'industrial' | 'commercial' | 'tea' | 'pond' | 'paddy' | 'homestay';
  /** Word used in company names. */
  word: string;
}

type Row = [string, string, string, number, number, number, number, number, number, number, Industry['site'], string];

const ROWS: Row[] = [
  ['C2034', '木地板制造', 'Wood flooring manufacturing', 6, 90, 0.05, 0.5, 0.02, 0.3, 0.12, 'industrial', '木业'],
  ['C2110', '木质家具制造', 'Wooden furniture manufacturing', 5, 70, 0.04, 0.5, 0.02, 0.35, 0.12, 'industrial', '家居'],
  ['C2641', '涂料制造', 'Coatings manufacturing', 3, 150, 0.08, 0.8, 0.03, 0.1, 0.15, 'industrial', '涂料'],
  ['C2710', '化学药品原料药制造', 'Active pharmaceutical ingredients', 2, 180, 0.15, 0.9, 0.05, 0.3, 0.2, 'industrial', '药业'],
  ['C2761', '生物药品制造', 'Biological medicines', 2, 200, 0.05, 0.4, 0.08, 0.2, 0.15, 'industrial', '生物'],
  ['C2929', '塑料零件及其他塑料制品制造', 'Plastic parts', 5, 80, 0.06, 0.5, 0.025, 0.2, 0.1, 'industrial', '塑业'],
  ['C3021', '水泥制品制造', 'Cement products', 2, 110, 0.3, 0.8, 0.01, 0, 0.25, 'industrial', '建材'],
  ['C3360', '金属表面处理及热处理加工', 'Metal surface and heat treatment', 3, 60, 0.1, 0.9, 0.02, 0.05, 0.1, 'industrial', '表面处理'],
  ['C3451', '滚动轴承制造', 'Rolling bearings', 3, 100, 0.05, 0.4, 0.035, 0.25, 0.1, 'industrial', '轴承'],
  ['C3484', '机械零部件加工', 'Machine parts processing', 8, 85, 0.04, 0.4, 0.03, 0.2, 0.1, 'industrial', '机械'],
  ['C3670', '汽车零部件及配件制造', 'Auto parts and accessories', 6, 120, 0.04, 0.4, 0.04, 0.2, 0.12, 'industrial', '汽车部件'],
  ['C3825', '光伏设备及元器件制造', 'Photovoltaic equipment', 3, 160, 0.06, 0.4, 0.05, 0.3, 0.12, 'industrial', '光伏'],
  ['C3841', '锂离子电池制造', 'Lithium-ion batteries', 2, 220, 0.06, 0.5, 0.05, 0.25, 0.15, 'industrial', '新能源'],
  ['C3976', '光电子器件制造', 'Optoelectronic devices', 2, 150, 0.03, 0.3, 0.07, 0.3, 0.08, 'industrial', '光电'],
  ['C4011', '工业自动控制系统装置制造', 'Industrial automation systems', 3, 130, 0.02, 0.2, 0.07, 0.15, 0.08, 'industrial', '自动化'],
  ['C4021', '环境监测专用仪器仪表制造', 'Environmental monitoring instruments', 2, 110, 0.02, 0.2, 0.08, 0.1, 0.06, 'industrial', '仪器'],
  ['C1530', '精制茶加工', 'Refined tea processing', 2, 50, 0.03, 0.2, 0.01, 0.05, 0.1, 'tea', '茶业'],
  ['A0164', '茶叶种植', 'Tea growing', 2, 15, 0.01, 0.05, 0, 0, 2, 'tea', '茶园'],
  ['A0412', '内陆养殖', 'Inland aquaculture', 3, 25, 0.02, 0.3, 0, 0, 3, 'pond', '水产'],
  ['A0111', '稻谷种植', 'Rice growing', 2, 20, 0.01, 0.1, 0, 0, 5, 'paddy', '农业'],
  ['E4710', '住宅房屋建筑', 'Residential building construction', 2, 120, 0.01, 0.3, 0.005, 0, 0.02, 'commercial', '建设'],
  ['F5212', '超级市场零售', 'Supermarket retail', 3, 90, 0.01, 0.05, 0, 0, 0.03, 'commercial', '商贸'],
  ['F5123', '果品、蔬菜批发', 'Fruit and vegetable wholesale', 2, 150, 0.005, 0.05, 0, 0.05, 0.03, 'commercial', '农产品'],
  ['G5920', '通用仓储', 'General warehousing', 2, 60, 0.01, 0.1, 0, 0, 0.3, 'industrial', '物流'],
  ['H6110', '旅游饭店', 'Tourist hotels', 2, 25, 0.02, 0.1, 0, 0, 0.1, 'commercial', '酒店'],
  ['H6130', '民宿服务', 'Homestay services', 4, 15, 0.01, 0.05, 0, 0, 0.3, 'homestay', '民宿'],
  ['I6513', '应用软件开发', 'Application software development', 3, 60, 0.005, 0, 0.15, 0.05, 0.01, 'commercial', '软件'],
  ['I6571', '地理遥感信息服务', 'Geographic and remote-sensing information services', 4, 70, 0.005, 0, 0.12, 0.05, 0.02, 'commercial', '地理信息'],
  ['M7441', '遥感测绘服务', 'Remote-sensing surveying and mapping', 2, 50, 0.005, 0, 0.1, 0, 0.02, 'commercial', '测绘'],
  ['M7320', '工程和技术研究和试验发展', 'Engineering research and development', 1, 40, 0.01, 0.05, 0.3, 0, 0.03, 'commercial', '科技'],
  ['N7723', '固体废物治理', 'Solid waste treatment', 1, 80, 0.05, 0.6, 0.02, 0, 0.3, 'industrial', '环保'],
  ['D4416', '太阳能发电', 'Solar power generation', 1, 300, 0, 0, 0.01, 0, 1, 'industrial', '能源'],
];

/** Industries of the demo enterprises. */
export const INDUSTRIES: readonly Industry[] = ROWS.map(([code, nameZh, nameEn, weight, productivity, energy, pollution, rd, exportShare, landPerEmployee, site, word]) => ({
  code, nameZh, nameEn, weight, productivity, energy, pollution, rd, exportShare, landPerEmployee, site, word,
}));

/** Sections (门类) of GB/T 4754-2017 used. */
export const SECTIONS: Record<string, string> = {
  A: '农、林、牧、渔业', C: '制造业', D: '电力、热力、燃气及水生产和供应业', E: '建筑业', F: '批发和零售业',
  G: '交通运输、仓储和邮政业', H: '住宿和餐饮业', I: '信息传输、软件和信息技术服务业', M: '科学研究和技术服务业',
  N: '水利、环境和公共设施管理业',
};

/** Number of enterprises at scale 1. */
export const ENTERPRISES_AT_SCALE_1 = 5000;

/** One enterprise's base record. */
export interface EnterpriseBase {
  id: string;
  name: string;
  industry: Industry;
  location: Pt;
  parcel: Parcel;
  village: RegionNode;
  employees: number;
  landMu: number;
  registeredCapital: number;
  founded: number;
  highTech: boolean;
  /** Annual growth rate. */
  growth: number;
}

const FIRST = '华恒金天鼎联瑞博中新宏永正德嘉万远泰盛源翔凯安信明诚思科创亿东海'.split('');
const SECOND = '宇达诺成盛创丰远科源通泰隆发邦华辉欣森晟豪旺腾瑞川力美佳途越'.split('');
const PREFIX = ['德清', '浙江', '湖州', '德清县'];

const SITE_CLASSES: Record<Industry['site'], string[]> = {
  industrial: ['0601', '0508'],
  commercial: ['05H1', '08H2'],
  tea: ['0202'],
  pond: ['1104'],
  paddy: ['0101'],
  homestay: ['0702'],
};

const cache = new WeakMap<DemoContext, EnterpriseBase[]>();

/** The enterprise base records (built once per county). */
export function enterpriseBases(ctx: DemoContext): EnterpriseBase[] {
  const hit = cache.get(ctx);
  if (hit) return hit;
  const rng = new Rng(ctx.seed, 'enterprises');
  const parcels = ctx.parcels();
  const pools = new Map<Industry['site'], { list: Parcel[]; cum: Float64Array }>();
  for (const site of Object.keys(SITE_CLASSES) as Industry['site'][]) {
    const codes = SITE_CLASSES[site];
    let list = parcels.filter((p) => codes.includes(LAND_CLASSES[p.cls].code));
    if (site === 'homestay') list = list.filter((p) => p.village.parent?.code === '330521115' || p.elevation > 60);
    if (!list.length) list = parcels.filter((p) => LAND_CLASSES[p.cls].code === '0601');
    const cum = new Float64Array(list.length);
    let s = 0;
    list.forEach((p, i) => (cum[i] = s += p.areaM2));
    pools.set(site, { list, cum });
  }
  const pickParcel = (site: Industry['site']): Parcel => {
    const { list, cum } = pools.get(site)!;
    const x = rng.next() * cum[cum.length - 1];
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return list[lo];
  };
  const names = new Set<string>();
  const weights = INDUSTRIES.map((i) => i.weight);
  const n = Math.round(ENTERPRISES_AT_SCALE_1 * ctx.scale);
  const out: EnterpriseBase[] = [];
  for (let k = 0; k < n; k++) {
    const industry = INDUSTRIES[weightedIndex(weights, rng.next())];
    const parcel = pickParcel(industry.site);
    const location: Pt = parcel.shape
      ? parcel.center
      : [rng.range(parcel.box[0] + 5, parcel.box[2] - 5), rng.range(parcel.box[1] + 5, parcel.box[3] - 5)];
    let name = '';
    for (let t = 0; t < 50 && (!name || names.has(name)); t++) {
      const suffix = industry.site === 'homestay' ? rng.pick(['民宿', '山居', '精品民宿']) + '有限公司' : `${industry.word}${rng.chance(0.15) ? '股份' : ''}有限公司`;
      name = `${rng.pick(PREFIX)}${rng.pick(FIRST)}${rng.pick(SECOND)}${t > 20 ? rng.pick(SECOND) : ''}${suffix}`;
    }
    if (names.has(name)) name = `${name}（${k}）`;
    names.add(name);
    const employees = Math.max(3, Math.min(4000, Math.round(rng.logNormal(industry.site === 'industrial' ? 38 : 14, 1.0))));
    out.push({
      id: `E${String(k + 1).padStart(6, '0')}`,
      name,
      industry,
      location,
      parcel,
      village: parcel.village,
      employees,
      landMu: Math.max(0.5, Math.round(employees * industry.landPerEmployee * rng.logNormal(1, 0.4) * 10) / 10),
      registeredCapital: Math.round(rng.logNormal(300, 1.1) * Math.sqrt(employees / 10)),
      founded: rng.int(1985, 2022),
      highTech: industry.rd >= 0.04 ? rng.chance(0.55) : rng.chance(0.08),
      growth: rng.normal(0.06, 0.08),
    });
  }
  cache.set(ctx, out);
  return out;
}
