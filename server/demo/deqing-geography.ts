/**
 * Hand-curated, approximate geography of Deqing used to make the synthetic layers plausible:
 * where the town seats are, how big the towns are, where the hills, the big rivers, lakes and
 * trunk roads run. Positions are rounded lon/lat (good to a kilometre or two, not surveyed), areas
 * are targets for the synthetic town partition (scaled to the real boundary).
 */

/** Profile of a town or subdistrict. */
export interface TownProfile {
  /** 9-digit code. */
  code: string;
  /** Approximate seat (lon, lat). */
  seat: [number, number];
  /** Target share of the county, km² before scaling to the boundary. */
  areaKm2: number;
  /** Radius of the built-up core around the seat, km. */
  urbanKm: number;
  /** Direction (degrees, counter-clockwise from east) of its industrial park from the seat. */
  industryBearing: number;
  /** Size of its industrial park, km (radius). */
  industryKm: number;
}

/** The 13 towns and subdistricts; 武康街道 is the county seat (the boundary file's centre point). */
export const TOWN_PROFILES: readonly TownProfile[] = [
  { code: '330521001', seat: [119.9774, 30.5425], areaKm2: 60, urbanKm: 2.4, industryBearing: 10, industryKm: 1.28 },
  { code: '330521002', seat: [119.93, 30.515], areaKm2: 95, urbanKm: 0.94, industryBearing: 300, industryKm: 0.56 },
  { code: '330521003', seat: [119.99, 30.603], areaKm2: 62, urbanKm: 0.94, industryBearing: 200, industryKm: 0.72 },
  { code: '330521004', seat: [120.04, 30.5], areaKm2: 88, urbanKm: 0.68, industryBearing: 90, industryKm: 0.4 },
  { code: '330521005', seat: [120.035, 30.565], areaKm2: 38, urbanKm: 1.1, industryBearing: 60, industryKm: 0.8 },
  { code: '330521101', seat: [120.085, 30.553], areaKm2: 60, urbanKm: 1.19, industryBearing: 330, industryKm: 0.72 },
  { code: '330521102', seat: [120.29, 30.6], areaKm2: 96, urbanKm: 1.27, industryBearing: 250, industryKm: 0.8 },
  { code: '330521103', seat: [120.11, 30.635], areaKm2: 48, urbanKm: 0.59, industryBearing: 200, industryKm: 0.48 },
  { code: '330521104', seat: [120.17, 30.59], areaKm2: 72, urbanKm: 0.77, industryBearing: 270, industryKm: 0.56 },
  { code: '330521110', seat: [120.14, 30.5], areaKm2: 78, urbanKm: 0.77, industryBearing: 20, industryKm: 0.64 },
  { code: '330521113', seat: [120.22, 30.52], areaKm2: 52, urbanKm: 0.68, industryBearing: 120, industryKm: 0.48 },
  { code: '330521114', seat: [120.24, 30.57], areaKm2: 58, urbanKm: 0.68, industryBearing: 0, industryKm: 0.48 },
  { code: '330521115', seat: [119.88, 30.6], areaKm2: 185, urbanKm: 0.42, industryBearing: 340, industryKm: 0.24 },
];

/** Mogan Mountain (莫干山), the highest ground of the county (~720 m). */
export const MOGAN_PEAK: [number, number] = [119.865, 30.61];

/**
 * The hill front: west of this wavy line (longitude by latitude) the land rises into the
 * Tianmu foothills; east of it is the Hangjiahu plain.
 */
export const HILL_FRONT: readonly [number, number][] = [
  [30.43, 120.067],
  [30.48, 120.032],
  [30.52, 120.007],
  [30.56, 120.002],
  [30.6, 120.022],
  [30.65, 120.042],
  [30.7, 120.037],
];

/** A named river with its course (lon, lat) and width, m. */
export interface RiverProfile {
  nameZh: string;
  nameEn: string;
  kind: 'river' | 'canal' | 'stream';
  widthM: number;
  /** Level of its river chief (河长制). */
  chiefLevel: 'provincial' | 'city' | 'county' | 'town';
  course: [number, number][];
}

/** The main rivers; smaller streams and plain channels are generated around them. */
export const RIVERS: readonly RiverProfile[] = [
  {
    nameZh: '东苕溪', nameEn: 'East Tiaoxi River', kind: 'river', widthM: 110, chiefLevel: 'provincial',
    course: [[119.995, 30.42], [120.005, 30.47], [120.03, 30.515], [120.055, 30.545], [120.07, 30.585], [120.06, 30.63], [120.07, 30.7]],
  },
  {
    nameZh: '京杭大运河', nameEn: 'Grand Canal', kind: 'canal', widthM: 90, chiefLevel: 'provincial',
    course: [[120.2, 30.48], [120.245, 30.53], [120.275, 30.575], [120.3, 30.615], [120.33, 30.66], [120.36, 30.7]],
  },
  {
    nameZh: '余英溪', nameEn: 'Yuyingxi Stream', kind: 'stream', widthM: 25, chiefLevel: 'county',
    course: [[119.88, 30.54], [119.92, 30.545], [119.955, 30.538], [119.985, 30.535], [120.03, 30.53]],
  },
  {
    nameZh: '阜溪', nameEn: 'Fuxi Stream', kind: 'stream', widthM: 30, chiefLevel: 'county',
    course: [[119.84, 30.63], [119.89, 30.61], [119.94, 30.6], [119.99, 30.598], [120.04, 30.59], [120.066, 30.6]],
  },
  {
    nameZh: '湘溪', nameEn: 'Xiangxi Stream', kind: 'stream', widthM: 22, chiefLevel: 'county',
    course: [[119.83, 30.53], [119.88, 30.505], [119.93, 30.49], [119.975, 30.48], [120.008, 30.478]],
  },
  {
    nameZh: '龙溪', nameEn: 'Longxi River', kind: 'river', widthM: 45, chiefLevel: 'city',
    course: [[120.065, 30.6], [120.11, 30.598], [120.16, 30.6], [120.21, 30.605], [120.26, 30.61], [120.3, 30.615]],
  },
];

/** A named lake or reservoir: centre (lon, lat) and mean radius, m. */
export interface LakeProfile {
  nameZh: string;
  nameEn: string;
  kind: 'lake' | 'reservoir';
  center: [number, number];
  radiusM: number;
}

/** The main lakes and reservoirs; smaller ones are generated. */
export const LAKES: readonly LakeProfile[] = [
  { nameZh: '下渚湖', nameEn: 'Xiazhu Lake', kind: 'lake', center: [120.055, 30.515], radiusM: 1150 },
  { nameZh: '对河口水库', nameEn: 'Duihekou Reservoir', kind: 'reservoir', center: [119.93, 30.558], radiusM: 700 },
  { nameZh: '洛舍漾', nameEn: 'Luoshe Yang Lake', kind: 'lake', center: [120.125, 30.622], radiusM: 650 },
  { nameZh: '劳岭水库', nameEn: 'Laoling Reservoir', kind: 'reservoir', center: [119.83, 30.595], radiusM: 380 },
];

/** A trunk road: code, name and course through named towns (9-digit codes) or fixed points. */
export interface TrunkRoadProfile {
  ref: string;
  nameZh: string;
  nameEn: string;
  roadClass: 'expressway' | 'national' | 'provincial';
  /** Waypoints: a town code (its seat) or a lon/lat. */
  via: (string | [number, number])[];
}

/** Expressways, national and provincial roads. */
export const TRUNK_ROADS: readonly TrunkRoadProfile[] = [
  {
    ref: 'G25', nameZh: '长深高速', nameEn: 'Changchun–Shenzhen Expressway', roadClass: 'expressway',
    via: [[120.015, 30.41], [120.01, 30.5], [120.005, 30.57], [120.02, 30.64], [120.03, 30.71]],
  },
  {
    ref: 'S13', nameZh: '练杭高速', nameEn: 'Lianshi–Hangzhou Expressway', roadClass: 'expressway',
    via: [[120.37, 30.66], [120.23, 30.585], [120.12, 30.565], [120.02, 30.53], [119.96, 30.47], [119.93, 30.41]],
  },
  {
    ref: 'G104', nameZh: '104国道', nameEn: 'National Road 104', roadClass: 'national',
    via: [[119.975, 30.42], '330521002', '330521001', '330521003', [119.995, 30.71]],
  },
  {
    ref: 'S304', nameZh: '304省道', nameEn: 'Provincial Road 304', roadClass: 'provincial',
    via: ['330521115', '330521001', '330521005', '330521101', '330521104', '330521102', [120.36, 30.63]],
  },
  {
    ref: 'S205', nameZh: '205省道', nameEn: 'Provincial Road 205', roadClass: 'provincial',
    via: [[120.1, 30.45], '330521110', '330521113', '330521114', '330521102'],
  },
];
