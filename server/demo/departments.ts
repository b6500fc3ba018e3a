/**
 * The departments of the demo county (Deqing's bureau names): the county government's office, the
 * county bureaus that own the demo datasets and handle cases of their field across the county, and
 * one office per town and subdistrict, whose jurisdiction is its town. Synthetic organisation with
 * real-sounding names. No imports at run time: the web app bundles this file.
 */
import { CASE_CATEGORIES, LOCAL_CASE_CATEGORIES } from './case-categories.ts';
import type { DemoDepartment } from './types.ts';

/** Ids of the county bureaus (the owners of the demo datasets and the case categories). */
export type DepartmentId =
  | 'natural-resources-planning' | 'ecology-environment' | 'agriculture-rural' | 'water-resources' | 'emergency-management'
  | 'economy-it' | 'commerce-investment' | 'housing-construction' | 'transport' | 'health' | 'education' | 'civil-affairs'
  | 'statistics' | 'big-data' | 'public-security' | 'culture-tourism' | 'market-supervision' | 'meteorology' | 'law-enforcement';

/** A bureau: names, and categories it co-handles besides those it is responsible for. */
type BureauDef = { id: DepartmentId; nameZh: string; nameEn: string; alsoHandles?: string[] };

const BUREAUS: BureauDef[] = [
  { id: 'natural-resources-planning', nameZh: '自然资源和规划局', nameEn: 'Bureau of Natural Resources and Planning' },
  { id: 'ecology-environment', nameZh: '生态环境分局', nameEn: 'Ecology and Environment Branch Bureau' },
  // 耕地"非农化""非粮化" and the straw-burning ban are shared with the land and environment bureaus.
  { id: 'agriculture-rural', nameZh: '农业农村局', nameEn: 'Bureau of Agriculture and Rural Affairs', alsoHandles: ['farmland-occupation', 'open-burning'] },
  // River chiefs (河长制) follow up water quality with the environment bureau.
  { id: 'water-resources', nameZh: '水利局', nameEn: 'Water Resources Bureau', alsoHandles: ['water-quality'] },
  { id: 'emergency-management', nameZh: '应急管理局', nameEn: 'Emergency Management Bureau', alsoHandles: ['geological-hazard', 'flood-risk'] },
  { id: 'economy-it', nameZh: '经济和信息化局', nameEn: 'Bureau of Economy and Information Technology' },
  { id: 'commerce-investment', nameZh: '商务局（投资促进局）', nameEn: 'Bureau of Commerce (Investment Promotion)' },
  { id: 'housing-construction', nameZh: '住房和城乡建设局', nameEn: 'Bureau of Housing and Urban-Rural Development' },
  { id: 'transport', nameZh: '交通运输局', nameEn: 'Transport Bureau' },
  { id: 'health', nameZh: '卫生健康局', nameEn: 'Health Bureau' },
  { id: 'education', nameZh: '教育局', nameEn: 'Education Bureau' },
  { id: 'civil-affairs', nameZh: '民政局', nameEn: 'Civil Affairs Bureau' },
  { id: 'statistics', nameZh: '统计局', nameEn: 'Statistics Bureau' },
  { id: 'big-data', nameZh: '大数据发展管理局', nameEn: 'Big Data Development Administration' },
  { id: 'public-security', nameZh: '公安局', nameEn: 'Public Security Bureau', alsoHandles: ['neighbour-dispute'] },
  { id: 'culture-tourism', nameZh: '文化和广电旅游体育局', nameEn: 'Bureau of Culture, Radio, Television, Tourism and Sports' },
  { id: 'market-supervision', nameZh: '市场监督管理局', nameEn: 'Market Supervision Administration' },
  { id: 'meteorology', nameZh: '气象局', nameEn: 'Meteorological Bureau' },
  { id: 'law-enforcement', nameZh: '综合行政执法局', nameEn: 'Comprehensive Administrative Law Enforcement Bureau' },
];

/** The 13 towns and subdistricts (codes of the statistical division list) and the pinyin of their names. */
const TOWNS: Array<{ code: string; nameZh: string; pinyin: string }> = [
  { code: '330521001', nameZh: '武康街道', pinyin: 'Wukang' },
  { code: '330521002', nameZh: '舞阳街道', pinyin: 'Wuyang' },
  { code: '330521003', nameZh: '阜溪街道', pinyin: 'Fuxi' },
  { code: '330521004', nameZh: '下渚湖街道', pinyin: 'Xiazhuhu' },
  { code: '330521005', nameZh: '康乾街道', pinyin: 'Kangqian' },
  { code: '330521101', nameZh: '乾元镇', pinyin: 'Qianyuan' },
  { code: '330521102', nameZh: '新市镇', pinyin: 'Xinshi' },
  { code: '330521103', nameZh: '洛舍镇', pinyin: 'Luoshe' },
  { code: '330521104', nameZh: '钟管镇', pinyin: 'Zhongguan' },
  { code: '330521110', nameZh: '雷甸镇', pinyin: 'Leidian' },
  { code: '330521113', nameZh: '禹越镇', pinyin: 'Yuyue' },
  { code: '330521114', nameZh: '新安镇', pinyin: "Xin'an" },
  { code: '330521115', nameZh: '莫干山镇', pinyin: 'Moganshan' },
];

/** Id of a town's office: `town-` and the pinyin in lower case without apostrophes (`town-xinan`). */
export function townDepartmentId(pinyin: string): string {
  return `town-${pinyin.toLowerCase().replace(/[^a-z]/g, '')}`;
}

/** The county government's office (leaders, the supervision office): the whole county, no category of its own. */
const COUNTY_OFFICE: DemoDepartment = {
  id: 'county-government', nameZh: '县政府办公室', nameEn: 'County Government Office', kind: 'county', regionCodes: [], caseCategories: [],
};

/** The county bureaus: the whole county (jurisdiction []), the categories they are responsible for and co-handle. */
export const BUREAU_DEPARTMENTS: readonly DemoDepartment[] = BUREAUS.map((b) => ({
  id: b.id,
  nameZh: b.nameZh,
  nameEn: b.nameEn,
  kind: 'bureau',
  regionCodes: [],
  caseCategories: [...CASE_CATEGORIES.filter((x) => x.department === b.id).map((x) => x.code), ...(b.alsoHandles ?? [])],
}));

/** One office per town (镇人民政府) and subdistrict (街道办事处), with its town as jurisdiction. */
export const TOWN_DEPARTMENTS: readonly DemoDepartment[] = TOWNS.map((t) => {
  const subdistrict = t.nameZh.endsWith('街道');
  return {
    id: townDepartmentId(t.pinyin),
    nameZh: subdistrict ? `${t.nameZh}办事处` : `${t.nameZh}人民政府`,
    nameEn: subdistrict ? `${t.pinyin} Subdistrict Office` : `${t.pinyin} Town Government`,
    kind: 'town',
    regionCodes: [t.code],
    caseCategories: [...LOCAL_CASE_CATEGORIES],
  };
});

/** Every department of the demo county, by id: the county office, the bureaus, the town offices. */
export const DEPARTMENTS: readonly DemoDepartment[] = [COUNTY_OFFICE, ...BUREAU_DEPARTMENTS, ...TOWN_DEPARTMENTS];

/** The office of the town with this 9-digit code. */
export function townDepartmentOf(townCode: string): DemoDepartment | undefined {
  return TOWN_DEPARTMENTS.find((d) => d.regionCodes[0] === townCode);
}
