/**
 * The fonts Yitu draws glyphs from: Noto Sans (SIL OFL 1.1) from the `@expo-google-fonts/noto-sans`
 * npm package, always there; and Noto Sans CJK SC where the machine has it (Debian's
 * `fonts-noto-cjk` and the like), used for Chinese characters and as the last fallback of every
 * fontstack. Browsers draw ideographs with their own fonts anyway (MapLibre's
 * `localIdeographFontFamily`); the CJK glyphs are for clients that do not.
 */
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import opentype, { type Font } from 'opentype.js';

/** The fontstack name of the regular text font; styles use it in `text-font`. */
export const DEFAULT_FONT = 'Noto Sans Regular';
/** The fontstack name of the bold text font. */
export const BOLD_FONT = 'Noto Sans Bold';
/** The fontstack name of the Chinese font, when the machine has one. */
export const CJK_FONT = 'Noto Sans CJK SC Regular';
/** The fontstack name of the bold Chinese font, when the machine has one. */
export const CJK_BOLD_FONT = 'Noto Sans CJK SC Bold';

/** Where a named font comes from. */
export interface FontFileSpec {
  /** Fontstack name. */
  name: string;
  /** Candidate files, first existing wins (absolute paths, or `npm:<module path>`). */
  files: string[];
  /** In a collection (.ttc), the family name of the face to take. */
  family?: string;
  bold: boolean;
  /** Covers CJK ideographs: the fallback of every stack. */
  cjk: boolean;
}

const CJK_DIRS = ['/usr/share/fonts/opentype/noto', '/usr/share/fonts/noto-cjk', '/usr/share/fonts/google-noto-cjk', '/usr/share/fonts/opentype/noto-cjk', '/usr/local/share/fonts'];

/** The fonts Yitu knows, by fontstack name. */
export const FONT_SPECS: readonly FontFileSpec[] = [
  { name: DEFAULT_FONT, files: ['npm:@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'], bold: false, cjk: false },
  { name: BOLD_FONT, files: ['npm:@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'], bold: true, cjk: false },
  { name: 'Noto Sans Italic', files: ['npm:@expo-google-fonts/noto-sans/400Regular_Italic/NotoSans_400Regular_Italic.ttf'], bold: false, cjk: false },
  {
    name: CJK_FONT,
    files: CJK_DIRS.flatMap((d) => [`${d}/NotoSansCJK-Regular.ttc`, `${d}/NotoSansCJKsc-Regular.otf`, `${d}/NotoSansSC-Regular.otf`]),
    family: 'Noto Sans CJK SC',
    bold: false,
    cjk: true,
  },
  {
    name: CJK_BOLD_FONT,
    files: CJK_DIRS.flatMap((d) => [`${d}/NotoSansCJK-Bold.ttc`, `${d}/NotoSansCJKsc-Bold.otf`, `${d}/NotoSansSC-Bold.otf`]),
    family: 'Noto Sans CJK SC',
    bold: true,
    cjk: true,
  },
];

const require = createRequire(import.meta.url);

/** The file a spec resolves to on this machine, or null. */
export function resolveFontFile(spec: FontFileSpec): string | null {
  for (const f of spec.files) {
    if (f.startsWith('npm:')) {
      try {
        return require.resolve(f.slice(4));
      } catch {
        continue;
      }
    }
    if (existsSync(f)) return f;
  }
  return null;
}

/** A font parsed and ready to draw from. */
export interface LoadedFont {
  name: string;
  font: Font;
  /** Identifies the file's content for cache keys: path, size and modification time. */
  fingerprint: string;
  cjk: boolean;
}

/** Reads and parses a font file; a face of a collection (.ttc) is chosen by its family name. */
export async function loadFontFile(spec: FontFileSpec, file: string): Promise<LoadedFont> {
  const [data, st] = await Promise.all([readFile(file), stat(file)]);
  const fingerprint = `${file}:${st.size}:${Math.round(st.mtimeMs)}`;
  if (data.toString('latin1', 0, 4) !== 'ttcf') return { name: spec.name, font: parseFont(data), fingerprint, cjk: spec.cjk };
  // opentype.js reads single fonts only: cut each face of the collection out into a font of its own.
  const count = data.readUInt32BE(8);
  let first: Font | null = null;
  for (let i = 0; i < count; i++) {
    const font = parseFont(faceOfCollection(data, data.readUInt32BE(12 + 4 * i)));
    first ??= font;
    if (!spec.family || familyOf(font).includes(spec.family)) return { name: spec.name, font, fingerprint: `${fingerprint}#${i}`, cjk: spec.cjk };
  }
  if (!first) throw new Error(`${file} is an empty font collection.`);
  return { name: spec.name, font: first, fingerprint: `${fingerprint}#0`, cjk: spec.cjk };
}

function parseFont(data: Buffer): Font {
  // lowMemory: glyphs are parsed when first drawn (a CJK font has ~65,000 of them).
  return opentype.parse(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer, { lowMemory: true });
}

function familyOf(font: Font): string[] {
  const out: string[] = [];
  for (const platform of Object.values(font.names)) {
    const fam = platform?.fontFamily;
    if (fam) out.push(...Object.values(fam));
  }
  return out;
}

/**
 * One face of a TrueType/OpenType collection as a standalone font: the face's table directory
 * with its tables copied after it (a collection's tables are addressed from the start of the file).
 */
export function faceOfCollection(ttc: Buffer, offset: number): Buffer {
  const numTables = ttc.readUInt16BE(offset + 4);
  const tables: { tag: number; sum: number; at: number; len: number }[] = [];
  for (let i = 0; i < numTables; i++) {
    const r = offset + 12 + 16 * i;
    tables.push({ tag: ttc.readUInt32BE(r), sum: ttc.readUInt32BE(r + 4), at: ttc.readUInt32BE(r + 8), len: ttc.readUInt32BE(r + 12) });
  }
  const head = 12 + 16 * numTables;
  const out = Buffer.alloc(tables.reduce((s, t) => s + ((t.len + 3) & ~3), head));
  ttc.copy(out, 0, offset, offset + 12);
  let p = head;
  tables.forEach((t, i) => {
    const r = 12 + 16 * i;
    out.writeUInt32BE(t.tag, r);
    out.writeUInt32BE(t.sum, r + 4);
    out.writeUInt32BE(p, r + 8);
    out.writeUInt32BE(t.len, r + 12);
    ttc.copy(out, p, t.at, t.at + t.len);
    p += (t.len + 3) & ~3;
  });
  return out;
}
