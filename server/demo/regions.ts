/**
 * The admin hierarchy of the demo county: the real boundary, towns and villages (real names and
 * codes) with synthetic polygons that partition their parents, and synthetic grids (网格).
 */
import { YituError } from '../platform/errors.ts';
import { TOWN_PROFILES } from './deqing-geography.ts';
import type { LocalFrame, Pt } from './local-frame.ts';
import { regionNameEn } from './pinyin.ts';
import { PolygonIndex } from './polygon-index.ts';
import type { MultiPoly, Ring } from './polygon-ops.ts';
import { dedupeRing, latticePoints, multiArea, orient } from './polygon-ops.ts';
import { powerPartition } from './power-diagram.ts';
import { Rng } from './random.ts';
import type { DeqingRealData } from './real-data.ts';
import { townKind, villageDisplayName, villageKind } from './real-data.ts';
import type { DemoRegion } from './types.ts';

/** A region with its local-frame geometry. */
export interface RegionNode {
  code: string;
  statCode: string;
  level: DemoRegion['level'];
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  kind: DemoRegion['kind'];
  /** Geometry in the local frame. */
  multi: MultiPoly;
  /** Indexed geometry. */
  index: PolygonIndex;
  /** A representative point inside (the seat for towns, the main settlement for villages). */
  center: Pt;
  /** Resident population, filled in by the population model. */
  population: number;
  /** Position in its level's list. */
  ordinal: number;
  parent: RegionNode | null;
  children: RegionNode[];
}

/** All regions, by level. */
export interface RegionModel {
  county: RegionNode;
  towns: RegionNode[];
  villages: RegionNode[];
  grids: RegionNode[];
  byCode: Map<string, RegionNode>;
}

/** Converts a GeoJSON polygon/multipolygon (lon/lat) to a local multipolygon. */
export function toLocalMulti(frame: LocalFrame, g: DeqingRealData['boundary']): MultiPoly {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.map((rings) =>
    rings.map((r, i) => orient(dedupeRing(r.slice(0, -1).map(([lon, lat]) => frame.toLocal(lon, lat)) as Ring), i === 0)),
  );
}

function node(init: Omit<RegionNode, 'index' | 'population' | 'children'>): RegionNode {
  return { ...init, index: new PolygonIndex(init.multi), population: 0, children: [] };
}

/** Lattice spacing giving about n samples over an area. */
function spacingFor(area: number, n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.sqrt(area / n)));
}

/** The sample of `pts` nearest to (x, y). */
function nearest(pts: Pt[], x: number, y: number): Pt {
  let best = pts[0];
  let bd = Infinity;
  for (const p of pts) {
    const d = (p[0] - x) ** 2 + (p[1] - y) ** 2;
    if (d < bd) {
      bd = d;
      best = p;
    }
  }
  return best;
}

/** A point inside the cell near its middle: the lattice sample nearest to the samples' centroid. */
function innerPoint(multi: MultiPoly, index: PolygonIndex): Pt {
  const pts = latticePoints(multi, spacingFor(index.area, 400, 5, 200));
  if (!pts.length) return multi[0][0][0];
  let sx = 0;
  let sy = 0;
  for (const p of pts) {
    sx += p[0];
    sy += p[1];
  }
  return nearest(pts, sx / pts.length, sy / pts.length);
}

/** Picks n well-spread sites among samples (best-candidate sampling), avoiding `existing`. */
function spreadSites(rng: Rng, samples: Pt[], n: number, existing: Pt[]): Pt[] {
  const chosen: Pt[] = [];
  for (let k = 0; k < n; k++) {
    let best: Pt = samples[rng.int(0, samples.length - 1)];
    let bestD = -1;
    for (let c = 0; c < 24; c++) {
      const cand = samples[rng.int(0, samples.length - 1)];
      let d = Infinity;
      for (const p of existing) d = Math.min(d, (p[0] - cand[0]) ** 2 + (p[1] - cand[1]) ** 2);
      for (const p of chosen) d = Math.min(d, (p[0] - cand[0]) ** 2 + (p[1] - cand[1]) ** 2);
      if (d > bestD) {
        bestD = d;
        best = cand;
      }
    }
    chosen.push(best);
  }
  return chosen;
}

/** Builds the hierarchy from the real data; geometry is synthetic below the county. */
export function buildRegions(real: DeqingRealData, frame: LocalFrame, seed: number): RegionModel {
  const countyMulti = toLocalMulti(frame, real.boundary);
  const county = node({
    code: '330521', statCode: '330521000000', level: 'county', parentCode: null, nameZh: '德清县', nameEn: regionNameEn('德清县'),
    kind: 'county', multi: countyMulti, center: frame.toLocal(...(real.county.seat ?? [119.9774, 30.5425])), ordinal: 0, parent: null,
  });
  const byCode = new Map<string, RegionNode>([[county.code, county]]);

  // towns: power diagram with fixed sites at the seats, calibrated to the profile areas
  const profiles = real.towns.map((t) => {
    const p = TOWN_PROFILES.find((q) => q.code === t.code);
    if (!p) throw new YituError('YITU_ERR_INTERNAL', `no profile for town ${t.code} ${t.name} in deqing-geography.ts`);
    return p;
  });
  const countySpacing = 150;
  const countySamples = latticePoints(countyMulti, countySpacing);
  const seats = profiles.map((p) => frame.toLocal(p.seat[0], p.seat[1]));
  const townPart = powerPartition(countyMulti, seats, profiles.map((p) => p.areaKm2), {
    samples: countySamples, sampleArea: countySpacing * countySpacing, iterations: 80, lloyd: 0,
  });
  const towns = real.towns.map((t, i) => {
    const multi = townPart.cells[i];
    if (!multi.length) throw new YituError('YITU_ERR_INTERNAL', `town ${t.name} came out empty`);
    const n = node({
      code: t.code, statCode: `${t.code}000`, level: 'town', parentCode: county.code, nameZh: t.name, nameEn: regionNameEn(t.name),
      kind: townKind(t.name), multi, center: seats[i], ordinal: i, parent: county,
    });
    if (!n.index.contains(n.center[0], n.center[1])) n.center = innerPoint(multi, n.index);
    county.children.push(n);
    byCode.set(n.code, n);
    return n;
  });

  // villages: communities near the seat, villages spread over the town
  const villages: RegionNode[] = [];
  for (const town of towns) {
    const rng = new Rng(seed, `villages:${town.code}`);
    const list = real.villages.filter((v) => v.townCode === town.code);
    if (!list.length) continue;
    const spacing = spacingFor(town.index.area, 5000, 25, 120);
    const samples = latticePoints(town.multi, spacing);
    const kinds = list.map((v) => villageKind(v.name));
    const nComm = kinds.filter((k) => k === 'community').length;
    const sites: Pt[] = new Array(list.length);
    const communitySites: Pt[] = [];
    const urbanSpread = Math.sqrt(nComm) * 650;
    const nearSeat = samples.filter((p) => Math.hypot(p[0] - town.center[0], p[1] - town.center[1]) < urbanSpread);
    const commPool = nearSeat.length >= nComm * 4 ? nearSeat : samples;
    const commSites = spreadSites(rng, commPool, nComm, []);
    communitySites.push(...commSites);
    const villSites = spreadSites(rng, samples, list.length - nComm, communitySites);
    let ci = 0;
    let vi = 0;
    kinds.forEach((k, i) => (sites[i] = k === 'community' ? commSites[ci++] : villSites[vi++]));
    const targets = kinds.map((k) => (k === 'community' ? (town.kind === 'subdistrict' ? 0.3 : 0.45) : 1) * rng.range(0.75, 1.3));
    const part = powerPartition(town.multi, sites, targets, { samples, sampleArea: spacing * spacing, iterations: 60, lloyd: 0.25 });
    list.forEach((v, i) => {
      const nameZh = villageDisplayName(v.name);
      const multi = part.cells[i];
      if (!multi.length) throw new YituError('YITU_ERR_INTERNAL', `village ${v.code} ${v.name} came out empty`);
      const n = node({
        code: v.code, statCode: v.code, level: 'village', parentCode: town.code, nameZh, nameEn: regionNameEn(nameZh),
        kind: kinds[i], multi, center: part.sites[i], ordinal: villages.length, parent: town,
      });
      if (!n.index.contains(n.center[0], n.center[1])) n.center = innerPoint(multi, n.index);
      town.children.push(n);
      byCode.set(n.code, n);
      villages.push(n);
    });
  }

  // grids: 2–6 per village (more in communities), centroidal Voronoi
  const grids: RegionNode[] = [];
  for (const village of villages) {
    const rng = new Rng(seed, `grids:${village.code}`);
    const k = village.kind === 'community' ? rng.int(4, 6) : rng.int(2, 4);
    const spacing = spacingFor(village.index.area, 900, 4, 80);
    const samples = latticePoints(village.multi, spacing);
    const sites = spreadSites(rng, samples.length ? samples : [village.center], k, []);
    const part = powerPartition(village.multi, sites, sites.map(() => 1), { samples, sampleArea: spacing * spacing, iterations: 30, lloyd: 0.5 });
    let seq = 0;
    part.cells.forEach((multi, i) => {
      if (!multi.length || multiArea(multi) < 1) return;
      seq++;
      const code = `${village.code}${String(seq).padStart(3, '0')}`;
      const n = node({
        code, statCode: village.code, level: 'grid', parentCode: village.code, nameZh: `${village.nameZh}第${seq}网格`,
        nameEn: `${village.nameEn} Grid ${seq}`, kind: 'grid', multi, center: part.sites[i], ordinal: grids.length, parent: village,
      });
      if (!n.index.contains(n.center[0], n.center[1])) n.center = innerPoint(multi, n.index);
      village.children.push(n);
      byCode.set(code, n);
      grids.push(n);
    });
  }
  return { county, towns, villages, grids, byCode };
}
