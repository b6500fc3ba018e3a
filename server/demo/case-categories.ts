/**
 * The demo county's catalogue of case categories (事件类别): the problems its grid governance
 * (基层治理四平台, 网格化管理) collects, each with the county bureau responsible for it. Town and
 * subdistrict offices handle the `local` ones in the first instance within their jurisdiction and
 * pass the rest (or what they cannot solve) to the bureau. The cases issue builds its category
 * table (with SLA and visibility) from this list. No imports: the web app bundles it.
 */
import type { DepartmentId } from './departments.ts';

/** One case category of the demo county. */
export interface DemoCaseCategory {
  /** Stable code, kebab-case, e.g. `illegal-building` (also the Open311 service_code). */
  code: string;
  nameZh: string;
  nameEn: string;
  /** The county bureau responsible for the category (default handling department). */
  department: DepartmentId;
  /** Handled in the first instance by the town/subdistrict office of the place (grid governance). */
  local: boolean;
}

function c(code: string, nameZh: string, nameEn: string, department: DepartmentId, local: boolean): DemoCaseCategory {
  return { code, nameZh, nameEn, department, local };
}

/** The case categories, grouped by responsible bureau. */
export const CASE_CATEGORIES: readonly DemoCaseCategory[] = [
  // 综合行政执法 (urban management, sanitation, construction law enforcement)
  c('illegal-building', '违法建筑', 'Illegal building', 'law-enforcement', true),
  c('rubbish', '垃圾乱堆乱放', 'Rubbish dumped or piled up', 'law-enforcement', true),
  c('fly-tipping', '建筑垃圾偷倒', 'Fly-tipping of construction waste', 'law-enforcement', true),
  c('street-vending', '占道经营', 'Street vending on the roadway', 'law-enforcement', true),
  c('illegal-advertising', '违规户外广告', 'Illegal outdoor advertising', 'law-enforcement', true),
  // 生态环境
  c('water-quality', '水质异常', 'Water quality anomaly', 'ecology-environment', false),
  c('sewage-discharge', '污水直排', 'Sewage discharged untreated', 'ecology-environment', true),
  c('noise', '噪声扰民', 'Noise nuisance', 'ecology-environment', true),
  c('open-burning', '露天焚烧', 'Open burning (straw, waste)', 'ecology-environment', true),
  // 水利
  c('river-litter', '河道漂浮物', 'Litter floating in a river', 'water-resources', true),
  c('flood-risk', '防汛隐患（堤防、山塘）', 'Flood risk (dykes, hill ponds)', 'water-resources', false),
  c('river-encroachment', '侵占河道', 'Encroachment on a river', 'water-resources', false),
  // 自然资源和规划
  c('farmland-occupation', '违法占用耕地', 'Farmland occupied illegally', 'natural-resources-planning', true),
  c('illegal-land-use', '违法用地', 'Illegal land use', 'natural-resources-planning', false),
  c('geological-hazard', '地质灾害隐患', 'Geological hazard', 'natural-resources-planning', true),
  c('illegal-mining', '非法采矿采砂', 'Illegal mining or sand extraction', 'natural-resources-planning', false),
  // 农业农村
  c('rural-homestead', '农村违规建房', 'Rural house built against the rules', 'agriculture-rural', true),
  c('crop-pests', '农作物病虫害', 'Crop pests and diseases', 'agriculture-rural', false),
  c('animal-epidemic', '动物疫情', 'Animal epidemic', 'agriculture-rural', false),
  // 住房和城乡建设 (municipal facilities)
  c('street-light', '路灯故障', 'Street light out', 'housing-construction', true),
  c('public-facility', '公共设施损坏', 'Damaged public facility', 'housing-construction', true),
  c('manhole-cover', '井盖缺失破损', 'Missing or broken manhole cover', 'housing-construction', true),
  c('waterlogging', '道路积水', 'Waterlogged street', 'housing-construction', false),
  c('unsafe-building', '危房隐患', 'Unsafe building', 'housing-construction', true),
  // 交通运输
  c('road-damage', '道路破损', 'Damaged road', 'transport', true),
  c('bus-stop', '公交站点设施', 'Bus stop facilities', 'transport', false),
  // 应急管理
  c('fire-hazard', '消防安全隐患', 'Fire hazard', 'emergency-management', true),
  c('production-safety', '安全生产隐患', 'Workplace safety hazard', 'emergency-management', true),
  c('forest-fire', '森林火情', 'Forest fire', 'emergency-management', false),
  // 市场监督管理
  c('food-safety', '食品安全', 'Food safety', 'market-supervision', false),
  c('illegal-business', '无证无照经营', 'Unlicensed business', 'market-supervision', true),
  c('price-complaint', '价格投诉', 'Price complaint', 'market-supervision', false),
  // 公安
  c('illegal-parking', '违法停车', 'Illegal parking', 'public-security', false),
  c('public-order', '治安隐患', 'Public order concern', 'public-security', false),
  // 民政, 卫生健康, 教育, 文旅
  c('hardship-assistance', '困难群众求助', 'Help for people in hardship', 'civil-affairs', true),
  c('neighbour-dispute', '邻里纠纷', 'Dispute between neighbours', 'civil-affairs', true),
  c('illegal-medical-practice', '非法行医', 'Unlicensed medical practice', 'health', false),
  c('school-surroundings', '校园周边安全', 'Safety around a school', 'education', false),
  c('tourism-complaint', '旅游投诉', 'Tourism complaint', 'culture-tourism', false),
];

/** Codes of the categories that town and subdistrict offices handle locally. */
export const LOCAL_CASE_CATEGORIES: readonly string[] = CASE_CATEGORIES.filter((x) => x.local).map((x) => x.code);

/** The category of a code, or undefined. */
export function caseCategory(code: string): DemoCaseCategory | undefined {
  return CASE_CATEGORIES.find((x) => x.code === code);
}
