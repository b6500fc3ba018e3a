/**
 * The part of opentype.js (2.x, which ships no types) that the glyph generator uses.
 */
declare module 'opentype.js' {
  /** One drawing command of a glyph outline, in font units with y pointing up. */
  export interface PathCommand {
    type: 'M' | 'L' | 'Q' | 'C' | 'Z';
    x?: number;
    y?: number;
    x1?: number;
    y1?: number;
    x2?: number;
    y2?: number;
  }
  /** A glyph outline. */
  export interface Path {
    commands: PathCommand[];
  }
  /** A glyph of a font. */
  export interface Glyph {
    index: number;
    unicode?: number;
    unicodes: number[];
    advanceWidth?: number;
    /** The outline in font units, y up. */
    path: Path;
  }
  /** A parsed font. */
  export interface Font {
    unitsPerEm: number;
    /** hhea ascender, font units. */
    ascender: number;
    descender: number;
    glyphs: { length: number; get(index: number): Glyph };
    names: Record<string, Record<string, Record<string, string>> | undefined>;
    tables: Record<string, unknown>;
    /** The glyph index of a character; 0 (.notdef) when the font has none. */
    charToGlyphIndex(c: string): number;
  }
  /** Parses a TrueType/OpenType (or WOFF) font; `lowMemory` parses glyphs on first use. */
  export function parse(buffer: ArrayBuffer, opts?: { lowMemory?: boolean }): Font;
  const opentype: { parse: typeof parse };
  export default opentype;
}
