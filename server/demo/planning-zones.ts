/**
 * The "three zones, three lines" (三区三线) of the demo county: the ecological protection red line
 * (hill cores, lake wetland, drinking-water reservoirs and the East Tiaoxi riparian corridor), the
 * urban development boundary (around each town's built-up land and industrial park, never on the red
 * line), and the rule for permanent basic farmland (cultivated parcels touching neither).
 */
import { buffer, lineString } from '@turf/turf';
import type { Polygon, MultiPolygon } from 'geojson';
import { TOWN_PROFILES } from './deqing-geography.ts';
import type { Hydrology } from './hydrology.ts';
import { baseName, nearestVillage } from './hydrology.ts';
import { BUILT, COVER, coverAt } from './landscape.ts';
import type { Landscape } from './landscape.ts';
import type { LocalFrame, Pt } from './local-frame.ts';
import type { Parcel } from './parcel-model.ts';
import { PolygonIndex } from './polygon-index.ts';
import type { Box, MultiPoly } from './polygon-ops.ts';
import { boxesOverlap, multiArea, multiBox, multiCentroid } from './polygon-ops.ts';
import { Rng } from './random.ts';
import type { RegionModel, RegionNode } from './regions.ts';
import type { Terrain } from './terrain.ts';
import { clipToCounty, rayStar } from './shapes.ts';
import { fromTurf, overlayDifference, overlayUnion } from './turf-bridge.ts';

/** A planning zone polygon. */
export interface PlanningZone {
  id: string;
  nameZh: string;
  nameEn: string;
  /** Function of a red-line zone, or the kind of a development zone. */
  kindZh: string;
  kindEn: string;
  multi: MultiPoly;
  index: PolygonIndex;
  town: RegionNode;
}

/** The red line and the development boundary. */
export interface PlanningZones {
  redLine: PlanningZone[];
  urbanBoundary: PlanningZone[];
}

function townAt(regions: RegionModel, p: Pt): RegionNode {
  return regions.towns.find((t) => t.index.contains(p[0], p[1])) ?? nearestVillage(regions, p[0], p[1]).parent!;
}

/** Builds the red line and the urban development boundary. */
export function buildPlanningZones(frame: LocalFrame, seed: number, regions: RegionModel, land: Landscape, hydro: Hydrology, terrain: Terrain): PlanningZones {
  const rng = new Rng(seed, 'planning-zones');
  const county = regions.county.index;
  const elevAt = (x: number, y: number): number => {
    const i = land.grid.indexOf(x, y);
    return i >= 0 && land.label[i] >= 0 ? land.elevation[i] : -1;
  };
  const raw: { nameZh: string; nameEn: string; kindZh: string; kindEn: string; multi: MultiPoly }[] = [];
  // hill cores: Mogan Mountain first, then well-spread hill tops; each grows over the ground
  // higher than 70% of its top
  const hillCells: Pt[] = [];
  for (let i = 0; i < land.grid.size; i += 7) {
    if (land.label[i] < 0 || land.cover[i] !== COVER.forest) continue;
    const c = land.grid.centerOf(i);
    if (terrain.hilliness(c[0], c[1]) > 0.9) hillCells.push(c);
  }
  const centers: Pt[] = [];
  if (hillCells.length) {
    let top = hillCells[0];
    for (const c of hillCells) if (elevAt(c[0], c[1]) > elevAt(top[0], top[1])) top = c;
    centers.push(top);
    for (let k = 0; k < 400 && centers.length < 9; k++) {
      let c = rng.pick(hillCells);
      // climb to the highest of a few nearby cells
      for (let t = 0; t < 12; t++) {
        const q = rng.pick(hillCells);
        if (Math.hypot(q[0] - c[0], q[1] - c[1]) < 2000 && elevAt(q[0], q[1]) > elevAt(c[0], c[1])) c = q;
      }
      if (centers.every((o) => Math.hypot(o[0] - c[0], o[1] - c[1]) > 6000)) centers.push(c);
    }
  }
  const kinds: [string, string][] = [['生物多样性维护', 'biodiversity'], ['水源涵养', 'water conservation'], ['水土保持', 'soil and water conservation']];
  centers.forEach((c, k) => {
    const eKeep = Math.max(40, 0.7 * elevAt(c[0], c[1]));
    const star = rayStar(c, 40, 400, k === 0 ? 6000 : 3500, 100, (x, y) => county.contains(x, y) && elevAt(x, y) >= eKeep && coverAt(land, x, y).cover === COVER.forest);
    const v = nearestVillage(regions, c[0], c[1]);
    const [kz, ke] = k === 0 ? kinds[0] : kinds[1 + (k % 2)];
    const place = k === 0 ? '莫干山' : baseName(v.nameZh);
    const placeEn = k === 0 ? 'Moganshan' : v.nameEn.replace(/ (Village|Community)$/, '');
    raw.push({ nameZh: `${place}${kz}生态保护红线`, nameEn: `${placeEn} ${ke} red line`, kindZh: kz, kindEn: ke, multi: clipToCounty(regions, star) });
  });
  // lakes and reservoirs
  for (const l of hydro.lakes) {
    const isMain = l.nameZh === '下渚湖';
    if (!isMain && l.kind !== 'reservoir') continue;
    const c = multiCentroid(l.multi);
    const r = Math.sqrt(Math.max(1, l.multi.length ? multiArea(l.multi) : 1) / Math.PI);
    const star = rayStar(c, 40, r * 1.05, r * (isMain ? 1.6 : 2.0), 40, (x, y) => {
      const cv = coverAt(land, x, y);
      return county.contains(x, y) && cv.cover !== COVER.built;
    });
    const [kz, ke] = isMain ? ['湿地保护', 'wetland protection'] : ['饮用水源保护', 'drinking water source protection'];
    raw.push({ nameZh: `${l.nameZh}${kz}生态保护红线`, nameEn: `${l.nameEn} ${ke} red line`, kindZh: kz, kindEn: ke, multi: clipToCounty(regions, star) });
  }
  // East Tiaoxi riparian corridor, in pieces between the built-up areas
  const tiaoxi = hydro.rivers.find((r) => r.nameZh === '东苕溪');
  if (tiaoxi) {
    let part = 0;
    for (const run of tiaoxi.runs) {
      for (let s = 0; s + 40 < run.length; s += 120) {
        const piece = run.slice(s, s + 80).filter((_, i) => i % 5 === 0);
        const nearTown = piece.some((p) =>
          [[0, 0], [250, 0], [-250, 0], [0, 250], [0, -250]].some(([dx, dy]) => {
            const cv = coverAt(land, p[0] + dx, p[1] + dy);
            return cv.cover === COVER.built && cv.sub !== BUILT.rural && cv.sub !== BUILT.road;
          }),
        );
        if (piece.length < 3 || nearTown) continue;
        const geo = buffer(lineString(piece.map((p) => frame.toLonLat(p[0], p[1]))), 0.18, { units: 'kilometers' });
        const local = fromLonLat(frame, geo?.geometry);
        part++;
        raw.push({ nameZh: `东苕溪河岸带（${part}段）生态保护红线`, nameEn: `East Tiaoxi riparian red line, part ${part}`, kindZh: '水土保持', kindEn: 'soil and water conservation', multi: clipToCounty(regions, local) });
      }
    }
  }
  // no overlaps among red-line pieces, no piece over built-up cores
  const redLine: PlanningZone[] = [];
  let acc: MultiPoly = [];
  for (const r of raw) {
    let m = r.multi;
    if (acc.length && boxesOverlap(multiBox(acc), multiBox(m))) m = overlayDifference(m, acc, 100);
    if (!m.length || multiArea(m) < 20_000) continue;
    acc = overlayUnion(acc, m);
    const town = townAt(regions, multiCentroid(m));
    redLine.push({ id: `STHX${String(redLine.length + 1).padStart(3, '0')}`, ...r, multi: m, index: new PolygonIndex(m), town });
  }

  // urban development boundary: built-up core and industrial park of each town, minus the red line
  const builtish = (x: number, y: number): boolean => {
    for (const [dx, dy] of [[0, 0], [100, 0], [-100, 0], [0, 100], [0, -100]]) {
      const cv = coverAt(land, x + dx, y + dy);
      if (cv.cover === COVER.built && cv.sub !== BUILT.rural && cv.sub !== BUILT.road) return true;
    }
    return false;
  };
  const urbanBoundary: PlanningZone[] = [];
  for (const t of regions.towns) {
    const p = TOWN_PROFILES.find((x) => x.code === t.code)!;
    const r = p.urbanKm * 1000;
    let m = rayStar(t.center, 48, 0.5 * r, 2 * r + 800, 50, builtish);
    const a = (p.industryBearing * Math.PI) / 180;
    const off = (p.urbanKm + p.industryKm * 0.7) * 1000;
    const ic: Pt = [t.center[0] + Math.cos(a) * off, t.center[1] + Math.sin(a) * off];
    if (county.contains(ic[0], ic[1])) m = overlayUnion(m, rayStar(ic, 40, 0.4 * p.industryKm * 1000, 2 * p.industryKm * 1000 + 500, 50, builtish));
    m = clipToCounty(regions, m);
    for (const z of redLine) if (boxesOverlap(z.index.box, multiBox(m))) m = overlayDifference(m, z.multi, 100);
    if (!m.length) continue;
    urbanBoundary.push({
      id: `CZKF${t.code.slice(6)}`, nameZh: `${t.nameZh}城镇开发边界`, nameEn: `${t.nameEn} urban development boundary`,
      kindZh: '城镇集中建设区', kindEn: 'concentrated urban construction zone', multi: m, index: new PolygonIndex(m), town: t,
    });
  }
  return { redLine, urbanBoundary };
}

function fromLonLat(frame: LocalFrame, g: Polygon | MultiPolygon | undefined): MultiPoly {
  if (!g) return [];
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const local: MultiPolygon = { type: 'MultiPolygon', coordinates: polys.map((p) => p.map((r) => r.map(([lon, lat]) => frame.toLocal(lon, lat)))) };
  return fromTurf(local);
}

/** True when a parcel touches a zone (conservative: its box touches the zone's boundary, or its centre is inside). */
export function touchesZones(zones: readonly PlanningZone[], box: Box, center: Pt): boolean {
  const grown: Box = [box[0] - 0.5, box[1] - 0.5, box[2] + 0.5, box[3] + 0.5];
  for (const z of zones) {
    if (!boxesOverlap(z.index.box, grown)) continue;
    if (z.index.crossesBox(grown) || z.index.contains(center[0], center[1])) return true;
  }
  return false;
}

/** True for a parcel that is permanent basic farmland: cultivated, outside the red line and the development boundary. */
export function isBasicFarmland(p: Parcel, zones: PlanningZones, cultivated: (cls: number) => boolean, u: number): boolean {
  if (!cultivated(p.cls) || u >= 0.92) return false;
  return !touchesZones(zones.redLine, p.box, p.center) && !touchesZones(zones.urbanBoundary, p.box, p.center);
}
