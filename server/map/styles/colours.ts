/**
 * Conventional colours of Chinese land and planning maps, and of common category values, used by
 * the default styles. Land classes follow the palette conventions of the third national land
 * survey and of 国土空间规划 maps (farmland yellow, forest green, residential light orange,
 * commercial red, industry brown, water blue), tuned to stay readable over a light basemap.
 */

/** Land classes (GB/T 21010 / 三调 codes) → colour. */
const LAND_CLASS: Record<string, string> = {
  '0101': '#e9e27a', '0102': '#efe98f', '0103': '#f4efa6',
  '0201': '#c6e28c', '0202': '#a9d48a', '0204': '#cfe6a6',
  '0301': '#5fae6b', '0302': '#7cc47f', '0305': '#9fd39a', '0307': '#b6ddb0',
  '0404': '#cde89a',
  '05H1': '#f0553f', '0508': '#b48ecf',
  '0601': '#b8956e', '0602': '#a3826a',
  '0701': '#ffd37f', '0702': '#ffe4a8',
  '08H1': '#f08ac4', '08H2': '#f5a3d0', '0809': '#5b9bd5', '0810': '#8fd16f',
  '09': '#8c8c5a',
  '1003': '#b5b5b5', '1004': '#c8c8c8', '1006': '#d6d6d6',
  '1101': '#7fbde8', '1102': '#8cc6ec', '1103': '#7fb6e0', '1104': '#a5d3f0', '1107': '#9ccbe8',
  '1202': '#dcd59a',
};
/** Land groups (一级类) → colour, for codes and names not listed one by one. */
const LAND_GROUP: Record<string, string> = {
  '01': '#f0ea8f', '02': '#c6e28c', '03': '#6fb878', '04': '#cde89a', '05': '#f0553f', '06': '#b8956e',
  '07': '#ffd37f', '08': '#f5a3d0', '09': '#8c8c5a', '10': '#c0c0c0', '11': '#8cc6ec', '12': '#d9d2b0',
};
/** Chinese names of land classes and groups → code. */
const LAND_NAMES: Record<string, string> = {
  水田: '0101', 水浇地: '0102', 旱地: '0103', 果园: '0201', 茶园: '0202', 其他园地: '0204',
  乔木林地: '0301', 竹林地: '0302', 灌木林地: '0305', 其他林地: '0307', 其他草地: '0404',
  商业服务业设施用地: '05H1', 物流仓储用地: '0508', 工业用地: '0601', 采矿用地: '0602',
  城镇住宅用地: '0701', 农村宅基地: '0702', 机关团体新闻出版用地: '08H1', 科教文卫用地: '08H2',
  公用设施用地: '0809', 公园与绿地: '0810', 特殊用地: '09', 公路用地: '1003', 城镇村道路用地: '1004',
  农村道路: '1006', 河流水面: '1101', 湖泊水面: '1102', 水库水面: '1103', 坑塘水面: '1104', 沟渠: '1107',
  设施农用地: '1202',
  耕地: '01', 园地: '02', 种植园用地: '02', 林地: '03', 草地: '04', 商业服务业用地: '05', 工矿用地: '06',
  住宅用地: '07', 公共管理与公共服务用地: '08', 交通运输用地: '10', 水域及水利设施用地: '11', 其他土地: '12',
};

/** The land class code of a code or Chinese name (水田 → 0101); undefined if it is not a land class. */
export function landCode(value: string): string | undefined {
  const code = LAND_NAMES[value] ?? value;
  return LAND_CLASS[code] || LAND_GROUP[code] ? code : undefined;
}

/** The conventional colour of a land class given by code (0101, 05H1, 07) or Chinese name; undefined if unknown. */
export function landColour(value: string): string | undefined {
  const code = landCode(value);
  return code === undefined ? undefined : (LAND_CLASS[code] ?? LAND_GROUP[code]);
}

/** Colours (and, where the data has no companion column, Chinese/English labels) of common values. */
export const VALUE_COLOURS: Record<string, { colour: string; zh?: string; en?: string; rank: number; size?: number }> = {
  // risk and susceptibility levels
  高: { colour: '#d7301f', en: 'High', rank: 1 },
  较高: { colour: '#f46d43', en: 'Fairly high', rank: 2 },
  中: { colour: '#fdae61', en: 'Medium', rank: 3 },
  较低: { colour: '#d9ef8b', en: 'Fairly low', rank: 4 },
  低: { colour: '#91cf60', en: 'Low', rank: 5 },
  high: { colour: '#d7301f', zh: '高', rank: 1 },
  medium: { colour: '#fdae61', zh: '中', rank: 3 },
  low: { colour: '#91cf60', zh: '低', rank: 5 },
  // grades (亩均效益 A–D: A best)
  A: { colour: '#1a9850', rank: 1 },
  B: { colour: '#91cf60', rank: 2 },
  C: { colour: '#fdae61', rank: 3 },
  D: { colour: '#d73027', rank: 4 },
  // device and case states
  online: { colour: '#2e9e44', zh: '在线', en: 'Online', rank: 1 },
  maintenance: { colour: '#f39c12', zh: '维护中', en: 'Maintenance', rank: 2 },
  offline: { colour: '#9e9e9e', zh: '离线', en: 'Offline', rank: 3 },
  违法: { colour: '#d7301f', en: 'Illegal', rank: 1 },
  待核查: { colour: '#fd8d3c', en: 'To be verified', rank: 2 },
  合法: { colour: '#2e9e44', en: 'Legal', rank: 3 },
  // road classes (width in pixels)
  expressway: { colour: '#e8590c', zh: '高速公路', en: 'Expressway', rank: 1, size: 3.5 },
  national: { colour: '#f08c00', zh: '国道', en: 'National road', rank: 2, size: 3 },
  provincial: { colour: '#f5b800', zh: '省道', en: 'Provincial road', rank: 3, size: 2.5 },
  county: { colour: '#a07a50', zh: '县道', en: 'County road', rank: 4, size: 1.8 },
  urban: { colour: '#8d99a6', zh: '城市道路', en: 'Urban road', rank: 5, size: 1.5 },
  rural: { colour: '#b8bfc7', zh: '乡村道路', en: 'Rural road', rank: 6, size: 1 },
};

/** The colour of each data theme, for datasets without a better default. */
export const THEME_COLOURS: Record<string, string> = {
  current: '#4e79a7',
  planning: '#e15759',
  management: '#8e63b5',
  socioeconomic: '#f28e2b',
  sensing: '#17becf',
};
