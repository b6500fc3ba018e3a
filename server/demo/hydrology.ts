/**
 * Rivers, channels, lakes and reservoirs of the demo county (vector geometry in the local frame):
 * the curated main rivers and lakes of `deqing-geography.ts` with seeded meanders, plus generated
 * hill streams (溪) flowing into them, plain channels (港/塘) in the east, small lakes (漾) in the
 * plain and small reservoirs (水库) in the hills, named after the nearest village.
 */
import { LAKES, RIVERS } from './deqing-geography.ts';
import { cutToPolygon, densify, meander, nearestVertex } from './line-utils.ts';
import type { LocalFrame, Pt } from './local-frame.ts';
import type { MultiPoly } from './polygon-ops.ts';
import { multiArea } from './polygon-ops.ts';
import { Rng } from './random.ts';
import { blob, clipToCounty } from './shapes.ts';
import type { RegionModel, RegionNode } from './regions.ts';
import type { Terrain } from './terrain.ts';

/** A river or channel. */
export interface RiverLine {
  id: string;
  nameZh: string;
  nameEn: string;
  kind: 'river' | 'canal' | 'stream' | 'channel';
  widthM: number;
  chiefLevel: 'provincial' | 'city' | 'county' | 'town';
  /** The course, cut to the county (one or more runs). */
  runs: Pt[][];
}

/** A lake or reservoir. */
export interface LakeArea {
  id: string;
  nameZh: string;
  nameEn: string;
  kind: 'lake' | 'reservoir';
  multi: MultiPoly;
  /** Normal water level, m. */
  levelM: number;
}

/** All surface water. */
export interface Hydrology {
  rivers: RiverLine[];
  lakes: LakeArea[];
}

/** The village whose centre is nearest to (x, y). */
export function nearestVillage(regions: RegionModel, x: number, y: number): RegionNode {
  let best = regions.villages[0];
  let bd = Infinity;
  for (const v of regions.villages) {
    const d = (v.center[0] - x) ** 2 + (v.center[1] - y) ** 2;
    if (d < bd) {
      bd = d;
      best = v;
    }
  }
  return best;
}

/** A village's name without its kind: 对河口村 → 对河口. */
export function baseName(nameZh: string): string {
  return nameZh.replace(/(社区|村)$/, '');
}

/** Builds the hydrology. */
export function buildHydrology(frame: LocalFrame, seed: number, regions: RegionModel, terrain: Terrain): Hydrology {
  const rng = new Rng(seed, 'hydrology');
  const county = regions.county.index;
  const rivers: RiverLine[] = [];
  const mainCourses: Pt[][] = [];
  for (const r of RIVERS) {
    const course = meander(r.course.map(([lon, lat]) => frame.toLocal(lon, lat)), rng, r.kind === 'canal' ? 0.05 : 0.12, 4);
    const dense = densify(course, 40);
    mainCourses.push(dense);
    rivers.push({ id: '', nameZh: r.nameZh, nameEn: r.nameEn, kind: r.kind, widthM: r.widthM, chiefLevel: r.chiefLevel, runs: cutToPolygon(dense, county) });
  }
  const box = county.box;
  const randomInside = (ok: (x: number, y: number) => boolean): Pt | null => {
    for (let k = 0; k < 200; k++) {
      const x = rng.range(box[0], box[2]);
      const y = rng.range(box[1], box[3]);
      if (county.contains(x, y) && ok(x, y)) return [x, y];
    }
    return null;
  };
  const used = new Set<string>();
  const uniqueName = (base: string, suffix: string): string => {
    let name = base + suffix;
    for (let k = 2; used.has(name); k++) name = `${base}${k === 2 ? '二' : k === 3 ? '三' : k}${suffix}`;
    used.add(name);
    return name;
  };
  for (const r of rivers) used.add(r.nameZh);
  for (const l of LAKES) used.add(l.nameZh);

  // hill streams flowing down to the main rivers
  for (let s = 0; s < 16; s++) {
    const start = randomInside((x, y) => terrain.hilliness(x, y) > 0.8);
    if (!start) break;
    const end = nearestVertex(mainCourses, start[0], start[1]).p;
    if (Math.hypot(end[0] - start[0], end[1] - start[1]) < 2500) continue;
    const v = nearestVillage(regions, start[0], start[1]);
    const course = densify(meander([start, end], rng, 0.18, 5), 40);
    const nameZh = uniqueName(baseName(v.nameZh), '溪');
    rivers.push({ id: '', nameZh, nameEn: `${v.nameEn.replace(/ (Village|Community)$/, '')} Stream`, kind: 'stream', widthM: Math.round(rng.range(8, 16)), chiefLevel: 'town', runs: cutToPolygon(course, county) });
  }
  // plain channels between the big waters
  for (let s = 0; s < 22; s++) {
    const start = randomInside((x, y) => terrain.hilliness(x, y) < 0.05 && x > terrain.frontX(y) + 5000);
    if (!start) break;
    const angle = rng.chance(0.5) ? rng.range(-0.4, 0.4) : Math.PI / 2 + rng.range(-0.4, 0.4);
    const len = rng.range(3000, 8000);
    const a: Pt = [start[0] - (Math.cos(angle) * len) / 2, start[1] - (Math.sin(angle) * len) / 2];
    const b: Pt = [start[0] + (Math.cos(angle) * len) / 2, start[1] + (Math.sin(angle) * len) / 2];
    const course = densify(meander([a, b], rng, 0.08, 4), 40);
    const v = nearestVillage(regions, start[0], start[1]);
    const suffix = rng.chance(0.6) ? '港' : '塘';
    const nameZh = uniqueName(baseName(v.nameZh), suffix);
    rivers.push({
      id: '', nameZh, nameEn: `${v.nameEn.replace(/ (Village|Community)$/, '')} ${suffix === '港' ? 'Channel' : 'Canal'}`, kind: 'channel',
      widthM: Math.round(rng.range(15, 35)), chiefLevel: rng.chance(0.3) ? 'county' : 'town', runs: cutToPolygon(course, county),
    });
  }
  const keptRivers = rivers.filter((r) => r.runs.length);
  keptRivers.forEach((r, i) => (r.id = `R${String(i + 1).padStart(3, '0')}`));

  // lakes and reservoirs
  const lakes: LakeArea[] = [];
  const addLake = (nameZh: string, nameEn: string, kind: LakeArea['kind'], c: Pt, r: number, levelM: number): void => {
    const multi = clipToCounty(regions, blob(seed + lakes.length * 31, c, r));
    if (multiArea(multi) > 1000) lakes.push({ id: '', nameZh, nameEn, kind, multi, levelM });
  };
  for (const l of LAKES) {
    const c = frame.toLocal(l.center[0], l.center[1]);
    addLake(l.nameZh, l.nameEn, l.kind, c, l.radiusM, l.kind === 'reservoir' ? Math.round(terrain.elevation(c[0], c[1])) : 2.1);
  }
  for (let k = 0; k < 7; k++) {
    const c = randomInside((x, y) => terrain.hilliness(x, y) < 0.05);
    if (!c) break;
    const v = nearestVillage(regions, c[0], c[1]);
    addLake(uniqueName(baseName(v.nameZh), '漾'), `${v.nameEn.replace(/ (Village|Community)$/, '')} Yang Lake`, 'lake', c, rng.range(220, 450), 2.1);
  }
  for (let k = 0; k < 5; k++) {
    const c = randomInside((x, y) => terrain.hilliness(x, y) > 0.6 && terrain.hilliness(x, y) < 0.95);
    if (!c) break;
    const v = nearestVillage(regions, c[0], c[1]);
    addLake(uniqueName(baseName(v.nameZh), '水库'), `${v.nameEn.replace(/ (Village|Community)$/, '')} Reservoir`, 'reservoir', c, rng.range(150, 320), Math.round(terrain.elevation(c[0], c[1])));
  }
  lakes.forEach((l, i) => (l.id = `L${String(i + 1).padStart(3, '0')}`));
  return { rivers: keptRivers, lakes };
}

