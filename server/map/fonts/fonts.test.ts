import { gunzipSync } from 'node:zlib';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProblemHandlers } from '../../platform/problem.ts';
import { decodeGlyphPbf } from './glyph-pbf.ts';
import { BOLD_FONT, DEFAULT_FONT, FontService, fontRoutes } from './index.ts';
import { type OutlineCommand, renderSdfGlyph, type SdfGlyph } from './sdf.ts';

/** A closed square contour in font units; clockwise or counter-clockwise. */
function square(x0: number, y0: number, x1: number, y1: number, clockwise = false): OutlineCommand[] {
  const pts = clockwise ? [[x0, y0], [x0, y1], [x1, y1], [x1, y0]] : [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  return [{ type: 'M', x: pts[0][0], y: pts[0][1] }, ...pts.slice(1).map(([x, y]) => ({ type: 'L' as const, x, y })), { type: 'Z' }];
}

/** The bitmap value at (col, row) of the buffered bitmap. */
function at(g: SdfGlyph, col: number, row: number): number {
  return g.bitmap![row * (g.width + 6) + col];
}

describe('SDF glyphs', () => {
  it('draws a 24 px square: 255 deep inside, 191 on the edge, 0 far outside', () => {
    // 1000 units per em at 24 px: the square 0..500 is 12 px wide, from the baseline up.
    const g = renderSdfGlyph(65, square(0, 0, 500, 500), 1000, 600, 1000);
    expect(g).toMatchObject({ id: 65, width: 12, height: 12, left: 0, top: 12 - 24, advance: 14 });
    expect(g.bitmap).toHaveLength(18 * 18);
    expect(at(g, 9, 9)).toBe(255);
    // The top-left pixel centre is (−2.5, 14.5) px: 3.54 px from the corner (0, 12).
    expect(Math.abs(at(g, 0, 0) - (255 - 255 * (Math.hypot(2.5, 2.5) / 8 + 0.25)))).toBeLessThanOrEqual(1);
    // Pixel centres half a pixel inside and outside the left edge straddle the 191 edge value.
    const inside = at(g, 3, 9);
    const outside = at(g, 2, 9);
    expect(inside).toBeGreaterThan(191);
    expect(outside).toBeLessThan(191);
    expect((inside + outside) / 2).toBeCloseTo(191.25, 0);
  });

  it('uses non-zero winding: an opposite inner contour is a hole, a same-direction one is not', () => {
    const hole = renderSdfGlyph(1, [...square(0, 0, 1000, 1000), ...square(250, 250, 750, 750, true)], 1000, 1000, 1000);
    const filled = renderSdfGlyph(2, [...square(0, 0, 1000, 1000), ...square(250, 250, 750, 750)], 1000, 1000, 1000);
    const centre = (g: SdfGlyph) => at(g, 3 + g.width / 2, 3 + g.height / 2);
    expect(centre(hole)).toBeLessThan(64);
    expect(centre(filled)).toBe(255);
  });

  it('flattens curves: a circle of quadratic arcs is round', () => {
    const r = 500;
    const cmds: OutlineCommand[] = [{ type: 'M', x: r, y: 0 }];
    for (let i = 0; i < 8; i++) {
      const a0 = (i * Math.PI) / 4;
      const a1 = ((i + 1) * Math.PI) / 4;
      const am = (a0 + a1) / 2;
      cmds.push({ type: 'Q', x1: (r / Math.cos(Math.PI / 8)) * Math.cos(am), y1: (r / Math.cos(Math.PI / 8)) * Math.sin(am), x: r * Math.cos(a1), y: r * Math.sin(a1) });
    }
    cmds.push({ type: 'Z' });
    const g = renderSdfGlyph(3, cmds, 1000, 1000, 1000);
    expect(g.width).toBe(24);
    // Every pixel's value agrees with its distance to the true circle (radius 12 px) within a tenth of a pixel.
    for (let row = 0; row < g.height + 6; row += 3) {
      for (let col = 0; col < g.width + 6; col += 3) {
        const x = g.left - 3 + col + 0.5;
        const y = g.top + 24 + 3 - row - 0.5;
        const d = Math.hypot(x, y) - 12;
        const expected = 255 - 255 * (d / 8 + 0.25);
        if (expected > 1 && expected < 254) expect(Math.abs(at(g, col, row) - expected), `${col},${row}`).toBeLessThan(0.1 * 255 / 8 + 1);
      }
    }
  });
});

describe('Noto Sans glyph ranges', () => {
  const fonts = new FontService();

  it('holds Basic Latin with plausible metrics and fields', async () => {
    const r = await fonts.glyphs(DEFAULT_FONT, 0, 255);
    const [stack, ...more] = decodeGlyphPbf(r.body);
    expect(more).toHaveLength(0);
    expect(stack).toMatchObject({ name: DEFAULT_FONT, range: '0-255' });
    const ids = stack.glyphs.map((g) => g.id);
    for (const c of 'AZaz09 .,;:!?()-德') if (c !== '德') expect(ids, c).toContain(c.charCodeAt(0));
    const glyph = (c: string) => stack.glyphs.find((g) => g.id === c.charCodeAt(0))!;
    const A = glyph('A');
    expect(A.width).toBeGreaterThanOrEqual(14);
    expect(A.width).toBeLessThanOrEqual(17);
    expect(A.height).toBeGreaterThanOrEqual(17);
    expect(A.height).toBeLessThanOrEqual(18);
    expect(A.advance).toBeGreaterThanOrEqual(14);
    expect(A.top).toBeGreaterThanOrEqual(-10);
    expect(A.top).toBeLessThanOrEqual(-7);
    expect(A.bitmap).toHaveLength((A.width + 6) * (A.height + 6));
    // Descenders go below the baseline: g is lower and taller than x.
    expect(glyph('g').height).toBeGreaterThan(glyph('x').height);
    expect(glyph('g').top - glyph('g').height).toBeLessThan(glyph('x').top - glyph('x').height - 3);
    // A stroke is inside, the corners are outside, and a row across it crosses the edge value.
    const l = glyph('l');
    const mid = 3 + Math.floor(l.height / 2);
    const row = Array.from({ length: l.width + 6 }, (_, c) => at(l, c, mid));
    expect(Math.max(...row)).toBeGreaterThan(200); // the stroke is 2 px wide: its middle is ~0.7 px inside
    expect(at(l, 0, 0)).toBeLessThan(100);
    expect(row[0]).toBeLessThan(150);
    expect(row.some((v, i) => i > 0 && row[i - 1] < 191 && v >= 191)).toBe(true);
    // The counter of an o is outside.
    const o = glyph('o');
    expect(at(o, 3 + Math.floor(o.width / 2), 3 + Math.floor(o.height / 2))).toBeLessThan(160);
    // A space has an advance and no bitmap.
    expect(glyph(' ')).toMatchObject({ width: 0, height: 0, bitmap: null });
    expect(glyph(' ').advance).toBeGreaterThan(3);
  });

  it('draws bold wider than regular, and takes a stack\'s first known font', async () => {
    const regular = decodeGlyphPbf((await fonts.glyphs(DEFAULT_FONT, 0, 255)).body)[0];
    const bold = decodeGlyphPbf((await fonts.glyphs(BOLD_FONT, 0, 255)).body)[0];
    const ink = (s: typeof regular) => s.glyphs.find((g) => g.id === 72)!.bitmap!.reduce((a, v) => a + (v >= 191 ? 1 : 0), 0);
    expect(ink(bold)).toBeGreaterThan(ink(regular) * 1.2);
    const stacked = decodeGlyphPbf((await fonts.glyphs(`Unknown Sans Regular,${BOLD_FONT},${DEFAULT_FONT}`, 0, 255)).body)[0];
    expect(stacked.glyphs).toEqual(bold.glyphs);
    // A stack of names Yitu does not have falls back by weight.
    const fallback = decodeGlyphPbf((await fonts.glyphs('Open Sans Bold,Arial Unicode MS Bold', 0, 255)).body)[0];
    expect(fallback.glyphs).toEqual(bold.glyphs);
  });

  it('answers a range without glyphs with a valid empty fontstack', async () => {
    const [stack] = decodeGlyphPbf((await fonts.glyphs(DEFAULT_FONT, 0xe000, 0xe0ff)).body);
    expect(stack).toMatchObject({ range: '57344-57599', glyphs: [] });
    expect(stack.name.split(',')[0]).toBe(DEFAULT_FONT);
  });

  it.skipIf(!fonts.available().some((f) => f.cjk))('draws Chinese characters from the CJK font where the machine has one', async () => {
    const start = Math.floor(0x5fb7 / 256) * 256; // 德
    const [stack] = decodeGlyphPbf((await fonts.glyphs(DEFAULT_FONT, start, start + 255)).body);
    const de = stack.glyphs.find((g) => g.id === 0x5fb7)!;
    expect(de.advance).toBe(24);
    expect(de.width).toBeGreaterThan(18);
    expect(de.height).toBeGreaterThan(18);
    expect(de.bitmap!.filter((v) => v >= 191).length).toBeGreaterThan(100);
  });
});

describe('GET /fonts/{fontstack}/{range}.pbf', () => {
  let app: FastifyInstance;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'yitu-glyphs-'));
    app = Fastify();
    installProblemHandlers(app);
    await app.register(fontRoutes, { fonts: new FontService({ cacheDir }) });
  });
  afterAll(async () => {
    await app.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('serves a glyph PBF with an ETag, a long Cache-Control, gzip and 304', async () => {
    const url = `/fonts/${encodeURIComponent(`${DEFAULT_FONT},Arial Unicode MS Regular`)}/0-255.pbf`;
    const r = await app.inject({ url });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-protobuf');
    expect(r.headers['cache-control']).toMatch(/max-age=\d{6,}/);
    const etag = String(r.headers.etag);
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(decodeGlyphPbf(r.rawPayload)[0].glyphs.length).toBeGreaterThan(150);
    expect((await app.inject({ url, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    const gz = await app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(r.rawPayload)).toBe(true);
    expect((await readdir(cacheDir)).filter((f) => f.endsWith('.pbf'))).toHaveLength(1);
    // A second service over the same directory reads the cached range back.
    const again = await new FontService({ cacheDir }).glyphs(`${DEFAULT_FONT},Arial Unicode MS Regular`, 0, 255);
    expect(again.etag).toBe(etag);
  });

  it('lists the fonts', async () => {
    const r = await app.inject({ url: '/fonts' });
    expect(r.json().fonts.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining([DEFAULT_FONT, BOLD_FONT]));
  });

  it('refuses ranges MapLibre would never ask for with a 400 problem', async () => {
    for (const range of ['1-256.pbf', '0-100.pbf', '256-255.pbf', '65536-65791.pbf', '0-255.png', 'abc.pbf', '-256-0.pbf']) {
      const r = await app.inject({ url: `/fonts/Noto%20Sans%20Regular/${range}` });
      expect(r.statusCode, range).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().detail).toContain('0-255');
    }
    const many = Array.from({ length: 9 }, (_, i) => `Font ${i}`).join(',');
    expect((await app.inject({ url: `/fonts/${encodeURIComponent(many)}/0-255.pbf` })).statusCode).toBe(400);
  });
});
