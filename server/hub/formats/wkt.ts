/**
 * Small parsers for geometry held in text cells (CSV): WKT / EWKT (`SRID=4490;POINT(…)`), hex WKB /
 * EWKB (as PostGIS writes a geometry column to CSV) and GeoJSON geometry objects. Output is GeoJSON.
 *
 * Z is kept as the third ordinate; M is dropped (GeoJSON has no M). An EMPTY geometry is `null` at
 * the top level and is left out when it is a member of a MULTI* or GEOMETRYCOLLECTION.
 */
import type { Geometry, Position } from 'geojson';
import { WkbError, wkbToGeometry } from './wkb.ts';

/** Raised for text that is not a geometry; `position` is the character (or byte) where it went wrong. */
export class GeometryTextError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'GeometryTextError';
    this.position = position;
  }
}

/** A geometry parsed from text, with the SRID the text declared (EWKT/EWKB), if any. */
export interface ParsedGeometryText {
  geometry: Geometry | null;
  srid?: number;
}

const TYPES = ['POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION'];
const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;

class WktReader {
  private pos = 0;
  constructor(private readonly s: string) {}

  fail(what: string): never {
    const near = this.s.slice(this.pos, this.pos + 20);
    throw new GeometryTextError(`invalid WKT at character ${this.pos + 1}: ${what}${near ? ` near "${near}"` : ''}`, this.pos);
  }
  private ws(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }
  word(): string {
    this.ws();
    const start = this.pos;
    while (this.pos < this.s.length && /[A-Za-z]/.test(this.s[this.pos])) this.pos++;
    return this.s.slice(start, this.pos).toUpperCase();
  }
  peekWord(): string {
    const save = this.pos;
    const w = this.word();
    this.pos = save;
    return w;
  }
  eat(ch: string): boolean {
    this.ws();
    if (this.s[this.pos] === ch) {
      this.pos++;
      return true;
    }
    return false;
  }
  expect(ch: string): void {
    if (!this.eat(ch)) this.fail(`expected "${ch}"`);
  }
  end(): void {
    this.ws();
    if (this.pos < this.s.length) this.fail('unexpected text after the geometry');
  }
  number(): number | undefined {
    this.ws();
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.s);
    if (!m) return undefined;
    this.pos += m[0].length;
    return Number(m[0]);
  }
  /** Reads a position; `dim` is 'Z', 'M', 'ZM' or '' (count decides). */
  position(dim: string): Position {
    const v: number[] = [];
    for (let n = this.number(); n !== undefined; n = this.number()) v.push(n);
    if (v.length < 2 || v.length > 4) this.fail(`a position needs 2 to 4 numbers, found ${v.length}`);
    if (dim === 'M' && v.length === 3) return [v[0], v[1]];
    return v.length === 2 ? [v[0], v[1]] : [v[0], v[1], v[2]];
  }
  /** `( a, b, … )` of `item`, or EMPTY (→ []). */
  list<T>(item: () => T): T[] {
    if (this.peekWord() === 'EMPTY') {
      this.word();
      return [];
    }
    this.expect('(');
    const out: T[] = [item()];
    while (this.eat(',')) out.push(item());
    this.expect(')');
    return out;
  }
}

function parseTagged(r: WktReader): Geometry | null {
  let word = r.word();
  let dim = '';
  if (!TYPES.includes(word)) {
    const m = /^([A-Z]+?)(ZM|Z|M)$/.exec(word);
    if (m && TYPES.includes(m[1])) [word, dim] = [m[1], m[2]];
    else r.fail(word ? `unknown geometry type ${word}` : 'expected a geometry type');
  }
  const tag = r.peekWord();
  if (tag === 'Z' || tag === 'M' || tag === 'ZM') {
    r.word();
    dim = tag;
  }
  const pos = () => r.position(dim);
  const line = () => r.list(pos);
  const poly = () => r.list(line);
  switch (word) {
    case 'POINT': {
      const pts = r.list(pos);
      if (pts.length > 1) r.fail('a POINT has one position');
      return pts.length ? { type: 'Point', coordinates: pts[0] } : null;
    }
    case 'LINESTRING': {
      const c = line();
      return c.length ? { type: 'LineString', coordinates: c } : null;
    }
    case 'POLYGON': {
      const c = poly();
      return c.length ? { type: 'Polygon', coordinates: c } : null;
    }
    case 'MULTIPOINT': {
      // Both MULTIPOINT ((1 2), (3 4)) and MULTIPOINT (1 2, 3 4) are in use.
      const c = r.list(() => (r.peekWord() === 'EMPTY' || r.eat('(') ? pointMember(r, dim) : pos()));
      const pts = c.filter((p): p is Position => p !== null);
      return pts.length ? { type: 'MultiPoint', coordinates: pts } : null;
    }
    case 'MULTILINESTRING': {
      const c = r.list(line).filter((l) => l.length > 0);
      return c.length ? { type: 'MultiLineString', coordinates: c } : null;
    }
    case 'MULTIPOLYGON': {
      const c = r.list(poly).filter((p) => p.length > 0);
      return c.length ? { type: 'MultiPolygon', coordinates: c } : null;
    }
    default: {
      const members = r.list(() => parseTagged(r)).filter((g): g is Geometry => g !== null);
      return members.length ? { type: 'GeometryCollection', geometries: members } : null;
    }
  }
}

function pointMember(r: WktReader, dim: string): Position | null {
  if (r.peekWord() === 'EMPTY') {
    r.word();
    return null;
  }
  const p = r.position(dim);
  r.expect(')');
  return p;
}

/** Parses WKT or EWKT. Throws {@link GeometryTextError} for invalid text. */
export function parseWkt(text: string): ParsedGeometryText {
  let body = text;
  let srid: number | undefined;
  const m = /^\s*SRID=(\d+)\s*;/i.exec(text);
  if (m) {
    srid = Number(m[1]);
    body = text.slice(m[0].length);
  }
  const r = new WktReader(body);
  const geometry = parseTagged(r);
  r.end();
  return srid === undefined ? { geometry } : { geometry, srid };
}

/**
 * Parses hex-encoded WKB or PostGIS EWKB (`0101000020E6100000…`, as PostGIS writes a geometry
 * column to CSV) with the shared WKB decoder. Throws {@link GeometryTextError}.
 */
export function parseWkbHex(hex: string): ParsedGeometryText {
  const h = hex.trim();
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new GeometryTextError('not hexadecimal WKB', 0);
  const bytes = Buffer.from(h, 'hex');
  let geometry: Geometry | null;
  try {
    geometry = wkbToGeometry(bytes);
  } catch (e) {
    throw new GeometryTextError(e instanceof WkbError ? e.message : String(e), 0);
  }
  // EWKB: the SRID follows the type when its 0x20000000 flag is set.
  if (bytes.length >= 9) {
    const le = bytes[0] === 1;
    const type = le ? bytes.readUInt32LE(1) : bytes.readUInt32BE(1);
    if (type & 0x20000000) return { geometry, srid: le ? bytes.readUInt32LE(5) : bytes.readUInt32BE(5) };
  }
  return { geometry };
}

/** True when `text` looks like a geometry this module reads (WKT/EWKT keyword, hex WKB, GeoJSON object). */
export function looksLikeGeometryText(text: string): boolean {
  const t = text.trimStart();
  if (/^(SRID=\d+\s*;\s*)?(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)\b/i.test(t)) return true;
  if (/^(SRID=\d+\s*;\s*)?(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)(Z|M|ZM)\b/i.test(t)) return true;
  if (/^0[01]0[0-9a-f]{7}/i.test(t) && /^[0-9a-f]+\s*$/i.test(t)) return true;
  return /^\{\s*"type"\s*:/.test(t);
}

/**
 * Parses a geometry cell: GeoJSON (`{"type":…}`), hex (E)WKB, or (E)WKT. An empty or blank cell is
 * a null geometry. Throws {@link GeometryTextError} (or a SyntaxError for broken JSON).
 */
export function parseGeometryText(text: string): ParsedGeometryText {
  const t = text.trim();
  if (t === '') return { geometry: null };
  if (t[0] === '{') return { geometry: JSON.parse(t) as Geometry };
  if (/^[0-9a-fA-F]+$/.test(t)) return parseWkbHex(t);
  return parseWkt(t);
}
