/**
 * Land-use classes of the third national land survey (第三次全国国土调查工作分类, based on
 * GB/T 21010-2017) used by the demo parcels, and the seeded choice of a class from the land cover
 * under a parcel. Group 02 is 园地 in GB/T 21010 (三调 names it 种植园用地).
 */
import { BUILT, COVER, WATER } from './landscape.ts';
import { weightedIndex } from './random.ts';

/** A land-use class (二级类) with its group (一级类). */
export interface LandClass {
  code: string;
  nameZh: string;
  nameEn: string;
  groupCode: string;
  groupZh: string;
  groupEn: string;
}

const GROUPS: Record<string, [string, string]> = {
  '01': ['耕地', 'Cultivated land'],
  '02': ['园地', 'Plantation land'],
  '03': ['林地', 'Forest land'],
  '04': ['草地', 'Grassland'],
  '05': ['商业服务业用地', 'Commercial and service land'],
  '06': ['工矿用地', 'Industrial and mining land'],
  '07': ['住宅用地', 'Residential land'],
  '08': ['公共管理与公共服务用地', 'Public administration and service land'],
  '09': ['特殊用地', 'Special land'],
  '10': ['交通运输用地', 'Transport land'],
  '11': ['水域及水利设施用地', 'Water and water conservancy land'],
  '12': ['其他土地', 'Other land'],
};

const CLASS_ROWS: [string, string, string][] = [
  ['0101', '水田', 'Paddy field'],
  ['0102', '水浇地', 'Irrigated land'],
  ['0103', '旱地', 'Dry land'],
  ['0201', '果园', 'Orchard'],
  ['0202', '茶园', 'Tea garden'],
  ['0204', '其他园地', 'Other plantation'],
  ['0301', '乔木林地', 'Arbor forest'],
  ['0302', '竹林地', 'Bamboo forest'],
  ['0305', '灌木林地', 'Shrub land'],
  ['0307', '其他林地', 'Other forest land'],
  ['0404', '其他草地', 'Other grassland'],
  ['05H1', '商业服务业设施用地', 'Commercial and business facilities'],
  ['0508', '物流仓储用地', 'Logistics and warehousing'],
  ['0601', '工业用地', 'Industrial land'],
  ['0602', '采矿用地', 'Mining land'],
  ['0701', '城镇住宅用地', 'Urban residential land'],
  ['0702', '农村宅基地', 'Rural homestead'],
  ['08H1', '机关团体新闻出版用地', 'Government, organisation and press land'],
  ['08H2', '科教文卫用地', 'Science, education, culture and health land'],
  ['0809', '公用设施用地', 'Public utilities'],
  ['0810', '公园与绿地', 'Parks and green space'],
  ['09', '特殊用地', 'Special land'],
  ['1003', '公路用地', 'Highway land'],
  ['1004', '城镇村道路用地', 'Urban and village road land'],
  ['1006', '农村道路', 'Rural road'],
  ['1101', '河流水面', 'River surface'],
  ['1102', '湖泊水面', 'Lake surface'],
  ['1103', '水库水面', 'Reservoir surface'],
  ['1104', '坑塘水面', 'Pond surface'],
  ['1107', '沟渠', 'Ditch'],
  ['1202', '设施农用地', 'Facility agricultural land'],
];

/** All classes used, in code order. */
export const LAND_CLASSES: readonly LandClass[] = CLASS_ROWS.map(([code, nameZh, nameEn]) => {
  const groupCode = code.slice(0, 2);
  const [groupZh, groupEn] = GROUPS[groupCode];
  return { code, nameZh, nameEn, groupCode, groupZh, groupEn };
});

const INDEX = new Map(LAND_CLASSES.map((c, i) => [c.code, i]));

/** Index of a class by code. */
export function classIndex(code: string): number {
  const i = INDEX.get(code);
  if (i === undefined) throw new Error(`unknown land class ${code}`);
  return i;
}

type Mix = [string, number][];

const MIX: Record<string, Mix> = {
  forestHigh: [['0301', 52], ['0302', 35], ['0305', 7], ['0307', 3], ['0404', 2], ['0602', 1]],
  forestLow: [['0301', 34], ['0302', 30], ['0202', 18], ['0201', 6], ['0305', 5], ['0307', 4], ['0404', 3]],
  farmPlain: [['0101', 70], ['0102', 5], ['0103', 6], ['0201', 4], ['0204', 1], ['1202', 4], ['1006', 2], ['1107', 2], ['1104', 1], ['0702', 3], ['0404', 1]],
  farmHill: [['0103', 30], ['0101', 28], ['0202', 16], ['0201', 10], ['1202', 4], ['1006', 4], ['0702', 4], ['0404', 4]],
  core: [['0701', 35], ['05H1', 25], ['08H1', 5], ['08H2', 10], ['0810', 8], ['1004', 12], ['0809', 3], ['09', 2]],
  urban: [['0701', 55], ['05H1', 12], ['08H2', 8], ['0810', 6], ['1004', 12], ['0809', 3], ['0601', 4]],
  industrial: [['0601', 75], ['0508', 10], ['1004', 6], ['0809', 3], ['05H1', 4], ['0810', 2]],
  rural: [['0702', 70], ['1004', 6], ['08H2', 4], ['05H1', 5], ['0601', 8], ['1202', 4], ['0809', 3]],
};

const MIX_IDX: Record<string, { idx: number[]; w: number[] }> = Object.fromEntries(
  Object.entries(MIX).map(([k, m]) => [k, { idx: m.map(([c]) => classIndex(c)), w: m.map(([, w]) => w) }]),
);

function pick(mix: string, u: number): number {
  const m = MIX_IDX[mix];
  return m.idx[weightedIndex(m.w, u)];
}

/**
 * The class of a parcel from the cover under it. `u` is a uniform number from the parcel's hash,
 * `elevation` in m, `hilly` 0..1, `onTrunkRoad` when the cover is a road corridor.
 */
export function chooseLandClass(cover: number, sub: number, elevation: number, hilly: number, u: number): number {
  switch (cover) {
    case COVER.forest:
      return pick(elevation > 120 ? 'forestHigh' : 'forestLow', u);
    case COVER.water:
      if (sub === WATER.river) return classIndex('1101');
      if (sub === WATER.lake) return classIndex('1102');
      if (sub === WATER.reservoir) return classIndex('1103');
      return classIndex('1104');
    case COVER.built:
      if (sub === BUILT.road) return classIndex('1003');
      if (sub === BUILT.core) return pick('core', u);
      if (sub === BUILT.urban) return pick('urban', u);
      if (sub === BUILT.industrial) return pick('industrial', u);
      return pick('rural', u);
    default:
      return pick(hilly > 0.2 ? 'farmHill' : 'farmPlain', u);
  }
}

/** State ownership (国有) or collective (集体) for a parcel of the class on the given cover. */
export function ownershipOf(classIdx: number, cover: number, sub: number, elevation: number): 'state' | 'collective' {
  const c = LAND_CLASSES[classIdx].code;
  if (cover === COVER.built && sub !== BUILT.rural) return c === '0702' ? 'collective' : 'state';
  if (['1101', '1102', '1103', '1003', '09'].includes(c)) return 'state';
  if (cover === COVER.forest && elevation > 450) return 'state';
  return 'collective';
}

/** True for construction land (buildings may stand on it). */
export function isConstruction(classIdx: number): boolean {
  return ['05', '06', '07', '08', '09'].includes(LAND_CLASSES[classIdx].groupCode) && LAND_CLASSES[classIdx].code !== '0810';
}
