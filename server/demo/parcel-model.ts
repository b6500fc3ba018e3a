/**
 * Land-use parcels (图斑) of the demo county. Parcels are cells of a regular grid aligned to the
 * landscape raster, sized by what is on the ground: 2×2 cells merged on continuous forest, one cell
 * on water, two or three strips on farmland, a quarter cell in built-up land. Each village's
 * polygon is tiled by the cells it contains, and only the cells its boundary crosses are clipped,
 * so parcels partition every village (and the county) without a general overlay.
 */
import type { Pt } from './local-frame.ts';
import { COVER, coverAt } from './landscape.ts';
import type { Landscape } from './landscape.ts';
import { chooseLandClass, ownershipOf } from './land-classes.ts';
import type { Box, MultiPoly } from './polygon-ops.ts';
import { multiArea, multiCentroid } from './polygon-ops.ts';
import { hashUnit } from './random.ts';
import type { RegionModel, RegionNode } from './regions.ts';
import type { Terrain } from './terrain.ts';
import type { LocalFrame } from './local-frame.ts';

/** Parcel grid cell size at scale 1, m. */
export const PARCEL_CELL_AT_SCALE_1 = 236;

/**
 * Parcel grid cell size at a scale. Cells shrink a little faster than 1/√scale because the cells cut
 * by village boundaries only multiply by about √scale: scale 10 gives about ten times the parcels.
 */
export function parcelCellSize(scale: number): number {
  return PARCEL_CELL_AT_SCALE_1 / Math.pow(scale, 0.54);
}

/** One parcel. */
export interface Parcel {
  /** Village code + 5-digit sequence. */
  id: string;
  /** The cell rectangle. */
  box: Box;
  /** The clipped shape when the village boundary crosses the cell; null when it is the whole box. */
  shape: MultiPoly | null;
  /** Index into LAND_CLASSES. */
  cls: number;
  village: RegionNode;
  /** True (ellipsoidal) area, m². */
  areaM2: number;
  ownership: 'state' | 'collective';
  cover: number;
  sub: number;
  elevation: number;
  /** A point inside the parcel (cell centre, or the clipped shape's centroid). */
  center: Pt;
}

interface Cell {
  box: Box;
  key: number;
}

/** The cells of one super cell (2×2 base cells) — deterministic from its position. */
function cellsOf(land: Landscape, seed: number, base: number, I: number, J: number): Cell[] {
  const x0 = land.grid.x0 + I * 2 * base;
  const y0 = land.grid.y0 + J * 2 * base;
  const covers: number[] = [];
  for (let q = 0; q < 4; q++) {
    const cx = x0 + ((q & 1) + 0.5) * base;
    const cy = y0 + ((q >> 1) + 0.5) * base;
    covers.push(coverAt(land, cx, cy).cover);
  }
  const keyBase = (I * 65536 + J) * 64;
  if (covers.every((c) => c === COVER.forest)) return [{ box: [x0, y0, x0 + 2 * base, y0 + 2 * base], key: keyBase }];
  const out: Cell[] = [];
  for (let q = 0; q < 4; q++) {
    const bx = x0 + (q & 1) * base;
    const by = y0 + (q >> 1) * base;
    const c = covers[q];
    const k = keyBase + 1 + q * 8;
    if (c === COVER.built) {
      const h = base / 2;
      for (let s = 0; s < 4; s++) out.push({ box: [bx + (s & 1) * h, by + (s >> 1) * h, bx + ((s & 1) + 1) * h, by + ((s >> 1) + 1) * h], key: k + s });
    } else if (c === COVER.farmland || c === COVER.outside) {
      const u = hashUnit(seed, 102, I, J, q);
      const n = u < 0.7 ? 2 : 3;
      const vertical = u < 0.35 || (u >= 0.7 && u < 0.85);
      for (let s = 0; s < n; s++) {
        const a = (s * base) / n;
        const b = ((s + 1) * base) / n;
        out.push({ box: vertical ? [bx + a, by, bx + b, by + base] : [bx, by + a, bx + base, by + b], key: k + s });
      }
    } else out.push({ box: [bx, by, bx + base, by + base], key: k });
  }
  return out;
}

/** Cover under a point, looking at neighbouring raster cells where the point is just outside. */
function coverNear(land: Landscape, x: number, y: number): { cover: number; sub: number; idx: number } {
  const here = coverAt(land, x, y);
  if (here.cover !== COVER.outside) return here;
  const c = land.grid.cell;
  for (const [dx, dy] of [[c, 0], [-c, 0], [0, c], [0, -c], [c, c], [-c, -c], [c, -c], [-c, c]]) {
    const n = coverAt(land, x + dx, y + dy);
    if (n.cover !== COVER.outside) return n;
  }
  return { cover: COVER.farmland, sub: 0, idx: here.idx };
}

/** Generates the parcels of the county, village by village (code order). */
export function* generateParcels(frame: LocalFrame, seed: number, scale: number, regions: RegionModel, land: Landscape, terrain: Terrain): Generator<Parcel> {
  const base = parcelCellSize(scale);
  const span = 2 * base;
  for (const v of regions.villages) {
    const b = v.index.box;
    const I0 = Math.floor((b[0] - land.grid.x0) / span);
    const I1 = Math.floor((b[2] - land.grid.x0) / span);
    const J0 = Math.floor((b[1] - land.grid.y0) / span);
    const J1 = Math.floor((b[3] - land.grid.y0) / span);
    let seq = 0;
    for (let J = J0; J <= J1; J++) {
      for (let I = I0; I <= I1; I++) {
        const sb: Box = [land.grid.x0 + I * span, land.grid.y0 + J * span, land.grid.x0 + (I + 1) * span, land.grid.y0 + (J + 1) * span];
        const rel = v.index.relate(sb);
        if (rel === 'outside') continue;
        for (const cell of cellsOf(land, seed, base, I, J)) {
          let shape: MultiPoly | null = null;
          if (rel === 'crossing') {
            const r = v.index.relate(cell.box);
            if (r === 'outside') continue;
            if (r === 'crossing') {
              shape = v.index.clip(cell.box, 0.5);
              if (!shape.length) continue;
            }
          }
          const center: Pt = shape ? multiCentroid(shape) : [(cell.box[0] + cell.box[2]) / 2, (cell.box[1] + cell.box[3]) / 2];
          const { cover, sub, idx } = coverNear(land, center[0], center[1]);
          const elevation = idx >= 0 ? land.elevation[idx] : 5;
          const cls = chooseLandClass(cover, sub, elevation, terrain.hilliness(center[0], center[1]), hashUnit(seed, 101, cell.key));
          const localArea = shape ? multiArea(shape) : (cell.box[2] - cell.box[0]) * (cell.box[3] - cell.box[1]);
          seq++;
          yield {
            id: `${v.code}${String(seq).padStart(5, '0')}`,
            box: cell.box,
            shape,
            cls,
            village: v,
            areaM2: localArea * frame.areaFactor(center[1]),
            ownership: ownershipOf(cls, cover, sub, elevation),
            cover,
            sub,
            elevation,
            center,
          };
        }
      }
    }
  }
}

/** The parcel's geometry as a local multipolygon. */
export function parcelShape(p: Parcel): MultiPoly {
  if (p.shape) return p.shape;
  const b = p.box;
  return [[[[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]]]];
}
