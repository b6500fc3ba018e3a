/**
 * The road network of the demo county (local frame): the curated expressways, national and
 * provincial roads of `deqing-geography.ts`; county roads joining the town seats along a minimum
 * spanning tree plus a few loops (named the Chinese way after their two ends, 武洛线); a street
 * grid in each town; and a rural road from every village to the nearest road.
 */
import { TOWN_PROFILES, TRUNK_ROADS } from './deqing-geography.ts';
import { cutToPolygon, densify, meander, nearestVertex } from './line-utils.ts';
import type { LocalFrame, Pt } from './local-frame.ts';
import { toPinyin } from './pinyin.ts';
import { Rng } from './random.ts';
import type { RegionModel } from './regions.ts';
import { baseName } from './hydrology.ts';

/** Road classes, from the highest. */
export type RoadClass = 'expressway' | 'national' | 'provincial' | 'county' | 'urban' | 'rural';

/** A road. */
export interface RoadLine {
  id: string;
  ref: string;
  nameZh: string;
  nameEn: string;
  roadClass: RoadClass;
  lanes: number;
  widthM: number;
  speedKmh: number;
  surface: 'asphalt' | 'concrete';
  /** The course, cut to the county. */
  runs: Pt[][];
}

/** Chinese names of the classes. */
export const ROAD_CLASS_ZH: Record<RoadClass, string> = {
  expressway: '高速公路', national: '国道', provincial: '省道', county: '县道', urban: '城市道路', rural: '乡村道路',
};

const SPEC: Record<RoadClass, { lanes: number; widthM: number; speedKmh: number }> = {
  expressway: { lanes: 6, widthM: 35, speedKmh: 120 },
  national: { lanes: 4, widthM: 24, speedKmh: 80 },
  provincial: { lanes: 4, widthM: 20, speedKmh: 60 },
  county: { lanes: 2, widthM: 12, speedKmh: 60 },
  urban: { lanes: 4, widthM: 24, speedKmh: 50 },
  rural: { lanes: 2, widthM: 6, speedKmh: 40 },
};

const STREET_WORDS = ['永安', '千秋', '塔山', '兴康', '长虹', '春晖', '志远', '北湖', '云岫', '环城', '英溪', '康乾', '凤栖', '春风', '武源', '丰庆', '中兴', '溪街', '保利', '瑞安'];
const STREET_EN = ['Yong\'an', 'Qianqiu', 'Tashan', 'Xingkang', 'Changhong', 'Chunhui', 'Zhiyuan', 'Beihu', 'Yunxiu', 'Huancheng', 'Yingxi', 'Kangqian', 'Fengqi', 'Chunfeng', 'Wuyuan', 'Fengqing', 'Zhongxing', 'Xijie', 'Baoli', 'Rui\'an'];

/** Builds the road network. */
export function buildRoads(frame: LocalFrame, seed: number, regions: RegionModel): RoadLine[] {
  const rng = new Rng(seed, 'roads');
  const county = regions.county.index;
  const seatOf = new Map(regions.towns.map((t) => [t.code, t.center]));
  const roads: RoadLine[] = [];
  const all: Pt[][] = [];
  const add = (ref: string, nameZh: string, nameEn: string, roadClass: RoadClass, course: Pt[], wiggle: number): void => {
    const dense = densify(meander(course, rng, wiggle, 3), 50);
    const runs = cutToPolygon(dense, county);
    if (!runs.length) return;
    const spec = SPEC[roadClass];
    roads.push({ id: '', ref, nameZh, nameEn, roadClass, ...spec, surface: roadClass === 'rural' && rng.chance(0.4) ? 'concrete' : 'asphalt', runs });
    all.push(...runs);
  };

  // trunk roads
  const linked = new Set<string>();
  for (const t of TRUNK_ROADS) {
    const course = t.via.map((v) => (typeof v === 'string' ? seatOf.get(v)! : frame.toLocal(v[0], v[1])));
    const codes = t.via.filter((v): v is string => typeof v === 'string');
    for (let i = 1; i < codes.length; i++) linked.add([codes[i - 1], codes[i]].sort().join('-'));
    add(t.ref, t.nameZh, t.nameEn, t.roadClass, course, t.roadClass === 'expressway' ? 0.02 : 0.05);
  }

  // county roads: minimum spanning tree over the seats, plus short loops
  const towns = regions.towns;
  const edges: [number, number, number][] = [];
  for (let i = 0; i < towns.length; i++) {
    for (let j = i + 1; j < towns.length; j++) {
      edges.push([i, j, Math.hypot(towns[i].center[0] - towns[j].center[0], towns[i].center[1] - towns[j].center[1])]);
    }
  }
  edges.sort((a, b) => a[2] - b[2]);
  const parent = towns.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const chosen: [number, number][] = [];
  let extra = 0;
  for (const [i, j, d] of edges) {
    const key = [towns[i].code, towns[j].code].sort().join('-');
    const joined = find(i) === find(j);
    if (!joined) parent[find(i)] = find(j);
    if (linked.has(key)) continue;
    if (!joined || (extra < 5 && d < 9000)) {
      if (joined) extra++;
      chosen.push([i, j]);
    }
  }
  chosen.forEach(([i, j], k) => {
    const a = baseName(towns[i].nameZh.replace(/(街道|镇)$/, ''));
    const b = baseName(towns[j].nameZh.replace(/(街道|镇)$/, ''));
    const nameZh = `${a[0]}${b[0]}线`;
    add(`X${101 + k}`, nameZh, `${toPinyin(a[0] + b[0])} Road`, 'county', [towns[i].center, towns[j].center], 0.06);
  });

  // town streets: a small grid around each seat
  let word = 0;
  for (const t of towns) {
    const prof = TOWN_PROFILES.find((p) => p.code === t.code)!;
    const half = prof.urbanKm * 1000 * 0.8;
    const n = prof.urbanKm > 2 ? 5 : prof.urbanKm > 1 ? 3 : 2;
    const angle = rng.range(-0.3, 0.3);
    const [cx, cy] = t.center;
    const rot = (u: number, v: number): Pt => [cx + u * Math.cos(angle) - v * Math.sin(angle), cy + u * Math.sin(angle) + v * Math.cos(angle)];
    for (let k = 0; k < n; k++) {
      const off = -half + ((k + 0.5) * 2 * half) / n;
      for (const dir of [0, 1]) {
        const w = word++ % STREET_WORDS.length;
        const suffix = dir === 0 ? '路' : '街';
        const course = dir === 0 ? [rot(-half, off), rot(half, off)] : [rot(off, -half), rot(off, half)];
        const cls: RoadClass = 'urban';
        add(`U${roads.length + 1}`, `${STREET_WORDS[w]}${suffix}`, `${STREET_EN[w]} ${dir === 0 ? 'Road' : 'Street'}`, cls, course, 0.01);
      }
    }
  }

  // rural roads: every village centre to the nearest road
  for (const v of regions.villages) {
    const { p, d } = nearestVertex(all, v.center[0], v.center[1]);
    if (d < 200) continue;
    const b = baseName(v.nameZh);
    add(`C${v.code.slice(6)}`, `${b}通村公路`, `${v.nameEn.replace(/ (Village|Community)$/, '')} Village Road`, 'rural', [v.center, p], 0.12);
  }
  roads.forEach((r, i) => (r.id = `RD${String(i + 1).padStart(4, '0')}`));
  return roads;
}
