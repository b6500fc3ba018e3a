/**
 * Everything the layer generators share: the frame, regions, terrain, water, roads, landscape and
 * population (built eagerly, ~1–2 s), and the parcels and planning zones (built on first use and
 * kept). Layers read the context and generate their features lazily.
 */
import type { Hydrology } from './hydrology.ts';
import { buildHydrology } from './hydrology.ts';
import type { Landscape } from './landscape.ts';
import { buildLandscape } from './landscape.ts';
import { LocalFrame } from './local-frame.ts';
import type { Pt } from './local-frame.ts';
import type { Parcel } from './parcel-model.ts';
import { generateParcels } from './parcel-model.ts';
import type { PlanningZones } from './planning-zones.ts';
import { buildPlanningZones } from './planning-zones.ts';
import type { PopulationModel } from './population-model.ts';
import { buildPopulation } from './population-model.ts';
import type { DeqingRealData } from './real-data.ts';
import type { RegionModel, RegionNode } from './regions.ts';
import { buildRegions } from './regions.ts';
import type { RoadLine } from './road-network.ts';
import { buildRoads } from './road-network.ts';
import { Terrain } from './terrain.ts';

/** Origin of the local frame: the middle of Deqing. */
export const FRAME_ORIGIN: [number, number] = [120.05, 30.56];

/** Shared state of one generated county. */
export interface DemoContext {
  seed: number;
  scale: number;
  frame: LocalFrame;
  real: DeqingRealData;
  regions: RegionModel;
  terrain: Terrain;
  hydro: Hydrology;
  roads: RoadLine[];
  land: Landscape;
  population: PopulationModel;
  /** All parcels (built once, on first use). */
  parcels(): readonly Parcel[];
  /** Red line and development boundary (built once, on first use). */
  zones(): PlanningZones;
  /** The grid region (网格) containing a point, or null outside the county. */
  gridAt(x: number, y: number): RegionNode | null;
}

function lazy<T>(fn: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = fn();
      done = true;
    }
    return value as T;
  };
}

/** Builds the shared context. */
export function buildContext(real: DeqingRealData, seed: number, scale: number): DemoContext {
  const frame = new LocalFrame(FRAME_ORIGIN[0], FRAME_ORIGIN[1]);
  const regions = buildRegions(real, frame, seed);
  const terrain = new Terrain(frame, seed, regions);
  const hydro = buildHydrology(frame, seed, regions, terrain);
  const roads = buildRoads(frame, seed, regions);
  const land = buildLandscape(seed, regions, terrain, hydro, roads);
  const population = buildPopulation(land, regions);
  const gridAt = (x: number, y: number): RegionNode | null => {
    const idx = land.grid.indexOf(x, y);
    const tried = new Set<number>();
    const test = (ordinal: number): RegionNode | null => {
      if (ordinal < 0 || tried.has(ordinal)) return null;
      tried.add(ordinal);
      const g = regions.grids[ordinal];
      return g.index.contains(x, y) ? g : null;
    };
    if (idx >= 0) {
      const hit = test(land.label[idx]);
      if (hit) return hit;
      const { nx } = land.grid;
      for (const d of [1, -1, nx, -nx, nx + 1, nx - 1, -nx + 1, -nx - 1]) {
        const j = idx + d;
        if (j >= 0 && j < land.label.length) {
          const h = test(land.label[j]);
          if (h) return h;
        }
      }
    }
    if (!regions.county.index.contains(x, y)) return null;
    for (const g of regions.grids) if (g.index.contains(x, y)) return g;
    return null;
  };
  const ctx: DemoContext = {
    seed, scale, frame, real, regions, terrain, hydro, roads, land, population, gridAt,
    parcels: lazy(() => [...generateParcels(frame, seed, scale, regions, land, terrain)]),
    zones: lazy(() => buildPlanningZones(frame, seed, regions, land, hydro, terrain)),
  };
  return ctx;
}

/** The village of a point (via its grid), or null. */
export function villageAt(ctx: DemoContext, p: Pt): RegionNode | null {
  return ctx.gridAt(p[0], p[1])?.parent ?? null;
}
