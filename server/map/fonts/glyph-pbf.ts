/**
 * The glyph PBF format of MapLibre GL (and Mapbox GL before it):
 *
 * ```proto
 * message glyph { required uint32 id = 1; optional bytes bitmap = 2; required uint32 width = 3;
 *   required uint32 height = 4; required sint32 left = 5; required sint32 top = 6; required uint32 advance = 7; }
 * message fontstack { required string name = 1; required string range = 2; repeated glyph glyphs = 3; }
 * message glyphs { repeated fontstack stacks = 1; }
 * ```
 */
import { PbfReader, PbfWriter } from 'pbf';
import type { SdfGlyph } from './sdf.ts';

/** One fontstack of a glyph PBF. */
export interface GlyphRange {
  /** The fontstack's name, e.g. `Noto Sans Regular`. */
  name: string;
  /** `start-end`, e.g. `0-255`. */
  range: string;
  glyphs: SdfGlyph[];
}

/** Encodes one fontstack range; a range without glyphs is still a valid message. */
export function encodeGlyphPbf(stack: GlyphRange): Uint8Array {
  const pbf = new PbfWriter();
  pbf.writeMessage(1, writeStack, stack);
  return pbf.finish();
}

function writeStack(stack: GlyphRange, pbf: PbfWriter): void {
  pbf.writeStringField(1, stack.name);
  pbf.writeStringField(2, stack.range);
  for (const g of stack.glyphs) pbf.writeMessage(3, writeGlyph, g);
}

function writeGlyph(g: SdfGlyph, pbf: PbfWriter): void {
  pbf.writeVarintField(1, g.id);
  if (g.bitmap && g.bitmap.length > 0) pbf.writeBytesField(2, g.bitmap);
  pbf.writeVarintField(3, g.width);
  pbf.writeVarintField(4, g.height);
  pbf.writeSVarintField(5, g.left);
  pbf.writeSVarintField(6, g.top);
  pbf.writeVarintField(7, g.advance);
}

/** Decodes a glyph PBF (tests and tools; MapLibre has its own reader). */
export function decodeGlyphPbf(data: Uint8Array): GlyphRange[] {
  return new PbfReader(data).readFields((tag, stacks: GlyphRange[], pbf) => {
    if (tag === 1) stacks.push(pbf.readMessage(readStack, { name: '', range: '', glyphs: [] }));
  }, []);
}

function readStack(tag: number, stack: GlyphRange, pbf: PbfReader): void {
  if (tag === 1) stack.name = pbf.readString();
  else if (tag === 2) stack.range = pbf.readString();
  else if (tag === 3) stack.glyphs.push(pbf.readMessage(readGlyph, { id: 0, bitmap: null, width: 0, height: 0, left: 0, top: 0, advance: 0 }));
}

function readGlyph(tag: number, g: SdfGlyph, pbf: PbfReader): void {
  if (tag === 1) g.id = pbf.readVarint();
  else if (tag === 2) g.bitmap = pbf.readBytes();
  else if (tag === 3) g.width = pbf.readVarint();
  else if (tag === 4) g.height = pbf.readVarint();
  else if (tag === 5) g.left = pbf.readSVarint();
  else if (tag === 6) g.top = pbf.readSVarint();
  else if (tag === 7) g.advance = pbf.readVarint();
}
