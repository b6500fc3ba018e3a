/**
 * Signed distance field glyphs in the form MapLibre GL expects from glyph PBFs.
 *
 * We compute the field ourselves, exactly, from the glyph's outline: the outline is flattened into
 * straight segments (curves to within a few hundredths of a pixel), and every pixel of the bitmap
 * gets its true distance to the nearest segment, signed by the non-zero winding rule. Why not the
 * usual tools: fontnik (and sdf-glyph-foundry) need FreeType and a native build, which Yitu avoids
 * (one `npm install`, no compiler, runs on PGlite-only machines); TinySDF needs a canvas, which
 * Node has not; and rasterising a glyph first and then running a Euclidean distance transform
 * quantises the edge to whole pixels, where the exact distance keeps sub-pixel edges sharp at
 * every text size. A range of 256 glyphs takes about 0.1 s (Latin) to 0.5 s (CJK) on one core of
 * the 2-core reference machine, once: ranges are cached.
 *
 * Conventions (those of fontnik and MapLibre's own TinySDF glyphs): glyphs are rendered at 24 px,
 * with a 3 px buffer on each side of the bitmap, a radius of 8 px and a cutoff of 0.25, so that a
 * pixel on the edge has the value 191 (MapLibre's shader draws the edge at 192/256); the value
 * reaches 255 two pixels inside and falls to 0 six pixels outside (the room text halos use).
 */

import type { PathCommand } from 'opentype.js';

/** One command of an outline in font units, y up (opentype.js `glyph.path.commands`). */
export type OutlineCommand = PathCommand;

/** A glyph as stored in a glyph PBF. */
export interface SdfGlyph {
  /** The Unicode code point. */
  id: number;
  /** (width + 6) × (height + 6) bytes, row by row from the top; null for a glyph with no ink (space). */
  bitmap: Uint8Array | null;
  /** Width of the ink box in pixels (without the buffer). */
  width: number;
  /** Height of the ink box in pixels (without the buffer). */
  height: number;
  /** Left edge of the ink box from the pen position, px. */
  left: number;
  /** Top edge of the ink box relative to the font's ascender line, px (negative below it). */
  top: number;
  /** Horizontal advance, px. */
  advance: number;
}

/** Size in pixels glyphs are rendered at. */
export const GLYPH_SIZE = 24;
/** Buffer around the ink box, px (MapLibre's `GLYPH_PBF_BORDER`). */
export const GLYPH_BUFFER = 3;
/** Distance in pixels over which the field goes from 0 to 255. */
export const SDF_RADIUS = 8;
/** Share of the radius that lies outside the edge: the edge value is 255 × (1 − cutoff) ≈ 191. */
export const SDF_CUTOFF = 0.25;

/** Largest length in pixels of the chord segments a curve is flattened into. */
const CURVE_STEP_PX = 0.75;

/**
 * Flattens an outline (font units, y up) into segments in pixels, y up: `[x0, y0, x1, y1, …]`.
 * Every contour is closed, whether or not it ends with `Z`.
 */
export function flattenOutline(commands: readonly OutlineCommand[], scale: number): number[] {
  const segs: number[] = [];
  let sx = 0;
  let sy = 0;
  let cx = 0;
  let cy = 0;
  let open = false;
  const lineTo = (x: number, y: number) => {
    if (x !== cx || y !== cy) segs.push(cx, cy, x, y);
    cx = x;
    cy = y;
  };
  const close = () => {
    if (open) lineTo(sx, sy);
    open = false;
  };
  for (const c of commands) {
    const x = (c.x ?? 0) * scale;
    const y = (c.y ?? 0) * scale;
    switch (c.type) {
      case 'M':
        close();
        sx = cx = x;
        sy = cy = y;
        open = true;
        break;
      case 'L':
        lineTo(x, y);
        break;
      case 'Q': {
        const x1 = (c.x1 ?? 0) * scale;
        const y1 = (c.y1 ?? 0) * scale;
        const n = steps(Math.hypot(x1 - cx, y1 - cy) + Math.hypot(x - x1, y - y1));
        const x0 = cx;
        const y0 = cy;
        for (let i = 1; i <= n; i++) {
          const t = i / n;
          const u = 1 - t;
          lineTo(u * u * x0 + 2 * u * t * x1 + t * t * x, u * u * y0 + 2 * u * t * y1 + t * t * y);
        }
        break;
      }
      case 'C': {
        const x1 = (c.x1 ?? 0) * scale;
        const y1 = (c.y1 ?? 0) * scale;
        const x2 = (c.x2 ?? 0) * scale;
        const y2 = (c.y2 ?? 0) * scale;
        const n = steps(Math.hypot(x1 - cx, y1 - cy) + Math.hypot(x2 - x1, y2 - y1) + Math.hypot(x - x2, y - y2));
        const x0 = cx;
        const y0 = cy;
        for (let i = 1; i <= n; i++) {
          const t = i / n;
          const u = 1 - t;
          const a = u * u * u;
          const b = 3 * u * u * t;
          const d = 3 * u * t * t;
          const e = t * t * t;
          lineTo(a * x0 + b * x1 + d * x2 + e * x, a * y0 + b * y1 + d * y2 + e * y);
        }
        break;
      }
      case 'Z':
        close();
        break;
    }
  }
  close();
  return segs;
}

function steps(controlLength: number): number {
  return Math.max(1, Math.min(64, Math.ceil(controlLength / CURVE_STEP_PX)));
}

/**
 * The SDF glyph of an outline.
 * @param commands the outline, font units, y up
 * @param unitsPerEm the font's em size
 * @param advanceWidth the glyph's advance, font units
 * @param ascender the font's ascender, font units (glyph tops are measured from it)
 */
export function renderSdfGlyph(id: number, commands: readonly OutlineCommand[], unitsPerEm: number, advanceWidth: number, ascender: number): SdfGlyph {
  const scale = GLYPH_SIZE / unitsPerEm;
  const advance = Math.max(0, Math.round(advanceWidth * scale));
  // FreeType's pixel ascender (what fontnik measures `top` from) is rounded up.
  const ascenderPx = Math.ceil(ascender * scale - 1e-9);
  const segs = flattenOutline(commands, scale);
  if (segs.length === 0) return { id, bitmap: null, width: 0, height: 0, left: 0, top: -ascenderPx, advance };

  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < segs.length; i += 2) {
    minX = Math.min(minX, segs[i]);
    maxX = Math.max(maxX, segs[i]);
    minY = Math.min(minY, segs[i + 1]);
    maxY = Math.max(maxY, segs[i + 1]);
  }
  const left = Math.floor(minX);
  const bottom = Math.floor(minY);
  const topPx = Math.ceil(maxY);
  const width = Math.max(1, Math.ceil(maxX) - left);
  const height = Math.max(1, topPx - bottom);
  const w = width + 2 * GLYPH_BUFFER;
  const h = height + 2 * GLYPH_BUFFER;
  const bitmap = new Uint8Array(w * h);
  const seg = Float64Array.from(segs);
  const n = seg.length;

  for (let row = 0; row < h; row++) {
    const py = topPx + GLYPH_BUFFER - row - 0.5;
    for (let col = 0; col < w; col++) {
      const px = left - GLYPH_BUFFER + col + 0.5;
      let best = Infinity;
      let winding = 0;
      for (let i = 0; i < n; i += 4) {
        const ax = seg[i];
        const ay = seg[i + 1];
        const bx = seg[i + 2];
        const by = seg[i + 3];
        // Squared distance to the segment.
        const dx = bx - ax;
        const dy = by - ay;
        const len2 = dx * dx + dy * dy;
        let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = ax + t * dx - px;
        const ey = ay + t * dy - py;
        const d2 = ex * ex + ey * ey;
        if (d2 < best) best = d2;
        // Winding number: upward crossings to the right count +1, downward ones -1.
        if (ay <= py) {
          if (by > py && dx * (py - ay) - (px - ax) * dy > 0) winding++;
        } else if (by <= py && dx * (py - ay) - (px - ax) * dy < 0) winding--;
      }
      const signed = winding !== 0 ? -Math.sqrt(best) : Math.sqrt(best);
      const v = 255 - 255 * (signed / SDF_RADIUS + SDF_CUTOFF);
      bitmap[row * w + col] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
    }
  }
  return { id, bitmap, width, height, left, top: topPx - ascenderPx, advance };
}
