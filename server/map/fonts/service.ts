import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { YituError } from '../../platform/errors.ts';
import { BOLD_FONT, DEFAULT_FONT, FONT_SPECS, type FontFileSpec, type LoadedFont, loadFontFile, resolveFontFile } from './font-files.ts';
import { encodeGlyphPbf } from './glyph-pbf.ts';
import { renderSdfGlyph, type SdfGlyph } from './sdf.ts';

/** Bumped whenever the generated glyphs change, so that disk caches of an older Yitu are not reused. */
const GENERATOR_VERSION = 1;
/** Glyphs drawn between two yields to the event loop (a CJK range takes a few hundred ms). */
const GLYPHS_PER_SLICE = 24;
const MAX_FONTS_PER_STACK = 8;
/** The first range where the Chinese font is added to every stack. */
const CJK_FROM = 0x2e00;

/** A glyph PBF ready to send. */
export interface GlyphResponse {
  body: Buffer;
  /** The same, gzip-compressed (SDF bitmaps shrink to about half). */
  gzip: Buffer;
  /** A strong ETag (quoted) of the uncompressed body. */
  etag: string;
}

/** A font on offer. */
export interface FontInfo {
  name: string;
  /** Covers Chinese characters. */
  cjk: boolean;
}

/**
 * Parses a glyph range `start-end` (MapLibre asks for `0-255`, `256-511`, …): 256 code points
 * starting at a multiple of 256, within the Basic Multilingual Plane.
 */
export function parseGlyphRange(range: string): { start: number; end: number } {
  const m = /^(\d{1,5})-(\d{1,5})(?:\.pbf)?$/.exec(range);
  const start = m ? Number(m[1]) : NaN;
  const end = m ? Number(m[2]) : NaN;
  if (!m || start % 256 !== 0 || end !== start + 255 || end > 65535) {
    throw new YituError('YITU_ERR_INPUT_INVALID', `A glyph range is 256 code points from a multiple of 256 up to 65535, e.g. 0-255.pbf or 19968-20223.pbf; got "${range.slice(0, 40)}".`);
  }
  return { start, end };
}

/**
 * Glyph PBFs for MapLibre (`glyphs: "/fonts/{fontstack}/{range}.pbf"`), drawn on demand from the
 * fonts in {@link FONT_SPECS} and cached in memory (LRU) and, when `cacheDir` is given, on disk.
 * In a fontstack (`A,B,C`) each glyph comes from the first font that has it; names Yitu does not
 * have are skipped (a stack of unknown names falls back to {@link DEFAULT_FONT} or, when a name says
 * bold, {@link BOLD_FONT}), and the Chinese font closes every stack where the machine has one.
 */
export class FontService {
  private readonly fonts = new Map<string, Promise<LoadedFont | null>>();
  private readonly memory = new Map<string, GlyphResponse>();
  private memoryBytes = 0;
  private readonly inflight = new Map<string, Promise<GlyphResponse>>();
  private readonly specs: Map<string, FontFileSpec & { file: string }>;

  constructor(private readonly opts: { cacheDir?: string | null; log?: Logger; maxMemoryBytes?: number } = {}) {
    this.specs = new Map();
    for (const spec of FONT_SPECS) {
      const file = resolveFontFile(spec);
      if (file) this.specs.set(spec.name, { ...spec, file });
    }
    if (!this.specs.has(DEFAULT_FONT)) {
      throw new YituError('YITU_ERR_CONFIG_INVALID', `The font ${DEFAULT_FONT} is missing: run npm install (package @expo-google-fonts/noto-sans).`);
    }
  }

  /** The fonts this machine has, in the order of {@link FONT_SPECS}. */
  available(): FontInfo[] {
    return [...this.specs.values()].map((s) => ({ name: s.name, cjk: s.cjk }));
  }

  /** The glyph PBF of one range of a fontstack (`Noto Sans Regular` or `A,B`). */
  async glyphs(fontstack: string, start: number, end: number): Promise<GlyphResponse> {
    const names = this.stackNames(fontstack, start);
    const key = `${names.join(',')}|${start}`;
    const hit = this.memory.get(key);
    if (hit) {
      this.memory.delete(key);
      this.memory.set(key, hit);
      return hit;
    }
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.build(names, start, end).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const res = await pending;
    this.remember(key, res);
    return res;
  }

  /** The font names a stack resolves to for a range, in order of preference. */
  private stackNames(fontstack: string, start: number): string[] {
    const requested = fontstack.split(',').map((s) => s.trim()).filter(Boolean);
    if (requested.length === 0 || requested.length > MAX_FONTS_PER_STACK || requested.some((n) => n.length > 100 || /[\u0000-\u001f]/.test(n))) {
      throw new YituError('YITU_ERR_INPUT_INVALID', `A fontstack is 1 to ${MAX_FONTS_PER_STACK} font names separated by commas, e.g. "${DEFAULT_FONT}"; got "${fontstack.slice(0, 80)}".`);
    }
    const names = requested.filter((n, i) => this.specs.has(n) && requested.indexOf(n) === i);
    const bold = names.length ? this.specs.get(names[0])!.bold : requested.some((n) => /bold|black|heavy|semibold/i.test(n));
    if (names.length === 0) names.push(bold ? BOLD_FONT : DEFAULT_FONT);
    const cjk = [...this.specs.values()].filter((s) => s.cjk).sort((a, b) => Number(b.bold === bold) - Number(a.bold === bold));
    // The Chinese font closes the stack from CJK radicals (U+2E80) on; below, it would only cost its loading.
    if (cjk.length && start >= CJK_FROM && !names.some((n) => this.specs.get(n)!.cjk)) names.push(cjk[0].name);
    return names;
  }

  private font(name: string): Promise<LoadedFont | null> {
    let f = this.fonts.get(name);
    if (!f) {
      const spec = this.specs.get(name)!;
      f = loadFontFile(spec, spec.file).catch((e: unknown) => {
        this.opts.log?.warn({ err: e, file: spec.file }, `Font ${name} cannot be read; its glyphs are left out.`);
        return null;
      });
      this.fonts.set(name, f);
    }
    return f;
  }

  private async build(names: string[], start: number, end: number): Promise<GlyphResponse> {
    const fonts = (await Promise.all(names.map((n) => this.font(n)))).filter((f): f is LoadedFont => f !== null);
    const diskKey = createHash('sha1').update(`${GENERATOR_VERSION}|${fonts.map((f) => f.fingerprint).join('|')}|${start}`).digest('hex');
    const cached = await this.readDisk(diskKey);
    if (cached) return cached;
    const glyphs: SdfGlyph[] = [];
    let drawn = 0;
    for (let cp = start; cp <= end; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      for (const f of fonts) {
        const index = f.font.charToGlyphIndex(ch);
        if (index <= 0) continue;
        const g = f.font.glyphs.get(index);
        glyphs.push(renderSdfGlyph(cp, g.path.commands, f.font.unitsPerEm, g.advanceWidth ?? 0, f.font.ascender));
        if (++drawn % GLYPHS_PER_SLICE === 0) await new Promise((r) => setImmediate(r));
        break;
      }
    }
    // Named after the fonts it was drawn from (the cache key), not the request's spelling.
    const body = Buffer.from(encodeGlyphPbf({ name: fonts.map((f) => f.name).join(','), range: `${start}-${end}`, glyphs }));
    await this.writeDisk(diskKey, body);
    return respond(body);
  }

  private remember(key: string, res: GlyphResponse): void {
    if (this.memory.has(key)) return;
    const max = this.opts.maxMemoryBytes ?? 64 * 1024 * 1024;
    this.memory.set(key, res);
    this.memoryBytes += res.body.length + res.gzip.length;
    for (const [k, v] of this.memory) {
      if (this.memoryBytes <= max) break;
      this.memory.delete(k);
      this.memoryBytes -= v.body.length + v.gzip.length;
    }
  }

  private async readDisk(key: string): Promise<GlyphResponse | null> {
    if (!this.opts.cacheDir) return null;
    try {
      return respond(await readFile(path.join(this.opts.cacheDir, `${key}.pbf`)));
    } catch {
      return null;
    }
  }

  private async writeDisk(key: string, body: Buffer): Promise<void> {
    const dir = this.opts.cacheDir;
    if (!dir) return;
    try {
      await mkdir(dir, { recursive: true });
      const tmp = path.join(dir, `${key}.${process.pid}.tmp`);
      await writeFile(tmp, body);
      await rename(tmp, path.join(dir, `${key}.pbf`));
    } catch (e) {
      this.opts.log?.warn({ err: e, dir }, 'Glyph cache directory is not writable; glyphs are cached in memory only.');
    }
  }
}

function respond(body: Buffer): GlyphResponse {
  return { body, gzip: gzipSync(body, { level: 6 }), etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"` };
}
