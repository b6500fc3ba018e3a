/**
 * A regular raster over the county in the local frame, with helpers to burn polygons (by cell
 * centre, scanline) and thick lines into it. The landscape and population models live on it.
 */
import type { Pt } from './local-frame.ts';
import type { Box, MultiPoly } from './polygon-ops.ts';
import { multiBox, scanline } from './polygon-ops.ts';

/** Raster geometry: origin (lower-left corner), cell size and dimensions. */
export class RasterGrid {
  readonly x0: number;
  readonly y0: number;
  readonly cell: number;
  readonly nx: number;
  readonly ny: number;

  /** A grid covering the box, aligned to multiples of the cell size. */
  constructor(box: Box, cell: number) {
    this.cell = cell;
    this.x0 = Math.floor(box[0] / cell) * cell;
    this.y0 = Math.floor(box[1] / cell) * cell;
    this.nx = Math.ceil((box[2] - this.x0) / cell);
    this.ny = Math.ceil((box[3] - this.y0) / cell);
  }

  /** Number of cells. */
  get size(): number {
    return this.nx * this.ny;
  }

  /** Cell index of a point, or -1 outside the grid. */
  indexOf(x: number, y: number): number {
    const i = Math.floor((x - this.x0) / this.cell);
    const j = Math.floor((y - this.y0) / this.cell);
    if (i < 0 || j < 0 || i >= this.nx || j >= this.ny) return -1;
    return j * this.nx + i;
  }

  /** Centre of a cell. */
  centerOf(idx: number): Pt {
    const i = idx % this.nx;
    const j = (idx - i) / this.nx;
    return [this.x0 + (i + 0.5) * this.cell, this.y0 + (j + 0.5) * this.cell];
  }

  /** Calls fn for every cell whose centre is inside the multipolygon. */
  fillPolygon(m: MultiPoly, fn: (idx: number) => void): void {
    const b = multiBox(m);
    const j0 = Math.max(0, Math.floor((b[1] - this.y0) / this.cell));
    const j1 = Math.min(this.ny - 1, Math.floor((b[3] - this.y0) / this.cell));
    for (let j = j0; j <= j1; j++) {
      const y = this.y0 + (j + 0.5) * this.cell;
      const xs = scanline(m, y);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const i0 = Math.max(0, Math.ceil((xs[k] - this.x0) / this.cell - 0.5));
        const i1 = Math.min(this.nx - 1, Math.ceil((xs[k + 1] - this.x0) / this.cell - 0.5) - 1);
        for (let i = i0; i <= i1; i++) fn(j * this.nx + i);
      }
    }
  }

  /** Calls fn for every cell whose centre is within halfWidth of the polyline. */
  fillLine(line: readonly Pt[], halfWidth: number, fn: (idx: number) => void): void {
    const r = halfWidth;
    for (let s = 0; s + 1 < line.length; s++) {
      const [ax, ay] = line[s];
      const [bx, by] = line[s + 1];
      const i0 = Math.max(0, Math.floor((Math.min(ax, bx) - r - this.x0) / this.cell));
      const i1 = Math.min(this.nx - 1, Math.floor((Math.max(ax, bx) + r - this.x0) / this.cell));
      const j0 = Math.max(0, Math.floor((Math.min(ay, by) - r - this.y0) / this.cell));
      const j1 = Math.min(this.ny - 1, Math.floor((Math.max(ay, by) + r - this.y0) / this.cell));
      const dx = bx - ax;
      const dy = by - ay;
      const l2 = dx * dx + dy * dy || 1;
      for (let j = j0; j <= j1; j++) {
        const cy = this.y0 + (j + 0.5) * this.cell;
        for (let i = i0; i <= i1; i++) {
          const cx = this.x0 + (i + 0.5) * this.cell;
          let t = ((cx - ax) * dx + (cy - ay) * dy) / l2;
          t = t < 0 ? 0 : t > 1 ? 1 : t;
          const ex = ax + t * dx - cx;
          const ey = ay + t * dy - cy;
          if (ex * ex + ey * ey <= r * r) fn(j * this.nx + i);
        }
      }
    }
  }
}

/** Polyline length, m. */
export function lineLength(line: readonly Pt[]): number {
  let l = 0;
  for (let i = 1; i < line.length; i++) l += Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]);
  return l;
}
