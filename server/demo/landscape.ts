/**
 * The land-cover model of the demo county on a 50 m raster: "five parts hills, one part water,
 * four parts fields" (五山一水四分田) — forest on the western hills (≈45%), water (≈10%: rivers,
 * lakes, and fish ponds in the eastern plain), built-up land around the town seats, industrial
 * parks and village settlements, and farmland for the rest. Every other layer reads it, so parcels,
 * buildings, farmland protection and population agree with each other.
 */
import { TOWN_PROFILES } from './deqing-geography.ts';
import type { Hydrology } from './hydrology.ts';
import type { Pt } from './local-frame.ts';
import { RasterGrid } from './raster.ts';
import { fractalNoise, hashUnit, Rng } from './random.ts';
import type { RegionModel, RegionNode } from './regions.ts';
import type { RoadLine } from './road-network.ts';
import type { Terrain } from './terrain.ts';

/** Land-cover classes of the raster. */
export const COVER = { outside: 0, forest: 1, farmland: 2, water: 3, built: 4 } as const;
/** Sub-classes of water. */
export const WATER = { river: 1, lake: 2, reservoir: 3, pond: 4 } as const;
/** Sub-classes of built-up land. */
export const BUILT = { core: 1, urban: 2, industrial: 3, rural: 4, road: 5 } as const;

/** Target shares of the county. */
export const TARGET_SHARES = { forest: 0.45, water: 0.1 } as const;

/** Raster cell size, m. */
export const LANDSCAPE_CELL = 50;

/** The land-cover raster and its companions. */
export interface Landscape {
  grid: RasterGrid;
  /** COVER per cell. */
  cover: Uint8Array;
  /** WATER or BUILT sub-class per cell (0 otherwise). */
  sub: Uint8Array;
  /** Elevation, m. */
  elevation: Float32Array;
  /** Ordinal of the grid region (网格) the cell centre is in, -1 outside the county. */
  label: Int32Array;
  /** Ordinal of the town whose seat is nearest-by-influence for built cells (-1 otherwise). */
  builtTown: Int16Array;
  /** Number of cells inside the county. */
  insideCells: number;
  /** Cells per cover class. */
  counts: Record<keyof typeof COVER, number>;
}

/** Cover class at a point (COVER.outside outside the raster). */
export function coverAt(l: Landscape, x: number, y: number): { cover: number; sub: number; idx: number } {
  const idx = l.grid.indexOf(x, y);
  if (idx < 0) return { cover: COVER.outside, sub: 0, idx };
  return { cover: l.cover[idx], sub: l.sub[idx], idx };
}

/** Builds the landscape raster. */
export function buildLandscape(seed: number, regions: RegionModel, terrain: Terrain, hydro: Hydrology, roads: RoadLine[]): Landscape {
  const grid = new RasterGrid(regions.county.index.box, LANDSCAPE_CELL);
  const n = grid.size;
  const cover = new Uint8Array(n);
  const sub = new Uint8Array(n);
  const elevation = new Float32Array(n);
  const label = new Int32Array(n).fill(-1);
  const builtTown = new Int16Array(n).fill(-1);
  for (const g of regions.grids) grid.fillPolygon(g.multi, (i) => (label[i] = g.ordinal));
  let inside = 0;
  for (let i = 0; i < n; i++) {
    if (label[i] < 0) continue;
    inside++;
    const [x, y] = grid.centerOf(i);
    elevation[i] = terrain.elevation(x, y);
    cover[i] = COVER.farmland;
  }
  const setIfInside = (i: number, c: number, s: number): void => {
    if (label[i] >= 0) {
      cover[i] = c;
      sub[i] = s;
    }
  };
  // rivers and lakes first
  for (const r of hydro.rivers) {
    for (const run of r.runs) grid.fillLine(run, Math.max(r.widthM / 2, LANDSCAPE_CELL / 2), (i) => setIfInside(i, COVER.water, WATER.river));
  }
  for (const l of hydro.lakes) {
    grid.fillPolygon(l.multi, (i) => {
      setIfInside(i, COVER.water, l.kind === 'lake' ? WATER.lake : WATER.reservoir);
      elevation[i] = Math.min(elevation[i], l.levelM);
    });
  }
  // trunk and county roads
  for (const r of roads) {
    if (r.roadClass === 'rural' || r.roadClass === 'urban') continue;
    for (const run of r.runs) {
      grid.fillLine(run, Math.max(r.widthM / 2, LANDSCAPE_CELL / 2), (i) => {
        if (cover[i] !== COVER.water) setIfInside(i, COVER.built, BUILT.road);
      });
    }
  }
  // built-up land: town cores, industrial parks, village settlements
  const setBuilt = (i: number, s: number, town: number): void => {
    if (label[i] < 0 || cover[i] === COVER.water || (cover[i] === COVER.built && sub[i] <= s)) return;
    cover[i] = COVER.built;
    sub[i] = s;
    builtTown[i] = town;
  };
  const disc = (c: Pt, r: number, noiseSeed: number, fn: (i: number, rel: number) => void): void => {
    const box: [number, number, number, number] = [c[0] - 1.5 * r, c[1] - 1.5 * r, c[0] + 1.5 * r, c[1] + 1.5 * r];
    const i0 = Math.max(0, Math.floor((box[0] - grid.x0) / grid.cell));
    const i1 = Math.min(grid.nx - 1, Math.floor((box[2] - grid.x0) / grid.cell));
    const j0 = Math.max(0, Math.floor((box[1] - grid.y0) / grid.cell));
    const j1 = Math.min(grid.ny - 1, Math.floor((box[3] - grid.y0) / grid.cell));
    for (let j = j0; j <= j1; j++) {
      for (let ii = i0; ii <= i1; ii++) {
        const x = grid.x0 + (ii + 0.5) * grid.cell;
        const y = grid.y0 + (j + 0.5) * grid.cell;
        const d = Math.hypot(x - c[0], y - c[1]) / r;
        const wobble = 1 + 0.7 * (fractalNoise(noiseSeed, x, y, Math.max(300, r / 2), 3) - 0.5);
        if (d * wobble < 1) fn(j * grid.nx + ii, d * wobble);
      }
    }
  };
  regions.towns.forEach((t, ti) => {
    const p = TOWN_PROFILES.find((q) => q.code === t.code)!;
    disc(t.center, p.urbanKm * 1000, seed + 31 + ti, (i, rel) => setBuilt(i, rel < 0.45 ? BUILT.core : BUILT.urban, ti));
    const a = (p.industryBearing * Math.PI) / 180;
    const off = (p.urbanKm + p.industryKm * 0.7) * 1000;
    const ic: Pt = [t.center[0] + Math.cos(a) * off, t.center[1] + Math.sin(a) * off];
    disc(ic, p.industryKm * 1000, seed + 61 + ti, (i) => setBuilt(i, BUILT.industrial, ti));
  });
  for (const v of regions.villages) {
    const rng = new Rng(seed, `settlement:${v.code}`);
    const town = regions.towns.indexOf(v.parent!);
    const spots: { c: Pt; r: number }[] = [{ c: v.center, r: rng.range(110, 220) }];
    const hamlets = v.kind === 'village' ? rng.int(1, 3) : 0;
    for (let h = 0; h < hamlets; h++) {
      const c = randomPointIn(v, rng);
      if (c && terrain.hilliness(c[0], c[1]) < 0.85) spots.push({ c, r: rng.range(60, 120) });
    }
    for (const s of spots) disc(s.c, s.r, seed + 97, (i) => setBuilt(i, BUILT.rural, town));
  }
  // forest: the highest remaining ground, up to the target share
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (label[i] >= 0 && cover[i] === COVER.farmland) candidates.push(i);
  const elev = Float32Array.from(candidates.map((i) => elevation[i])).sort();
  const wantForest = Math.round(inside * TARGET_SHARES.forest);
  const eCut = elev[Math.max(0, elev.length - wantForest)] ?? Infinity;
  for (const i of candidates) if (elevation[i] >= eCut) cover[i] = COVER.forest;
  // fish ponds: eastern plain, clustered, up to the water target
  let water = 0;
  for (let i = 0; i < n; i++) if (label[i] >= 0 && cover[i] === COVER.water) water++;
  const wantPond = Math.max(0, Math.round(inside * TARGET_SHARES.water) - water);
  const pondCand: number[] = [];
  const pondScore = new Float32Array(n);
  for (const i of candidates) {
    if (cover[i] !== COVER.farmland) continue;
    const [x, y] = grid.centerOf(i);
    const east = (x - terrain.frontX(y)) / 1000;
    if (east < 4 || terrain.hilliness(x, y) > 0.05) continue;
    pondScore[i] = fractalNoise(seed + 41, x, y, 2500, 3) + 0.012 * east + 0.04 * hashUnit(seed, 43, i);
    pondCand.push(i);
  }
  pondCand.sort((a, b) => pondScore[b] - pondScore[a]);
  for (let k = 0; k < Math.min(wantPond, pondCand.length); k++) {
    cover[pondCand[k]] = COVER.water;
    sub[pondCand[k]] = WATER.pond;
  }
  const counts = { outside: 0, forest: 0, farmland: 0, water: 0, built: 0 };
  const names = ['outside', 'forest', 'farmland', 'water', 'built'] as const;
  for (let i = 0; i < n; i++) if (label[i] >= 0) counts[names[cover[i]]]++;
  counts.outside = n - inside;
  return { grid, cover, sub, elevation, label, builtTown, insideCells: inside, counts };
}

/** A random point inside a region (rejection sampling in its box), or null. */
export function randomPointIn(r: RegionNode, rng: Rng): Pt | null {
  const b = r.index.box;
  for (let k = 0; k < 60; k++) {
    const x = rng.range(b[0], b[2]);
    const y = rng.range(b[1], b[3]);
    if (r.index.contains(x, y)) return [x, y];
  }
  return null;
}
