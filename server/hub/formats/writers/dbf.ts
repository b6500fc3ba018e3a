import { YituError } from '../../../platform/errors.ts';
import { FileSink, FileSource } from './file-sink.ts';
import { truncateUtf8, uniqueNames } from './names.ts';
import type { ExportField } from './types.ts';
import { toBooleanValue, toDateText, toJsonText, toNumeric, toText, toTimestampText } from './values.ts';

/**
 * dBase III DBF attribute tables for Shapefiles, in UTF-8 (announced by a `.cpg` file; the
 * header's language driver byte is 0, "no code page", since dBase has no UTF-8 driver id).
 *
 * Column widths are fitted to the data, which needs two passes: while the shapes are written, each
 * row's values are formatted and appended to a temporary rows file and the widths measured; the
 * DBF is then written from that file ({@link DbfPlan.writeDbf}).
 * Types: text, timestamps and JSON → C (at most 254 bytes, cut on a UTF-8 character boundary);
 * integers and numbers → N (width and decimals from the data, up to 15 decimals; F is not used
 * since ArcGIS reads it as single precision); booleans → L; dates → D. Nulls are blanks (`?` for L).
 */

/** Longest C value, in bytes. */
export const MAX_TEXT_BYTES = 254;
/** Longest field name, in bytes. */
export const MAX_NAME_BYTES = 10;
const MAX_DECIMALS = 15;
const NULL_LEN = 0xffff;

/** One DBF column. */
export interface DbfField {
  name: string;
  type: 'C' | 'N' | 'L' | 'D';
  width: number;
  decimals: number;
}

/** Plain decimal text of a number (no exponent), at most 15 decimals. */
export function plainNumber(v: number | string): string {
  if (typeof v === 'string' && !/[eE]/.test(v)) return v;
  const n = Number(v);
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  const s = String(n);
  if (!/e/.test(s)) {
    const dot = s.indexOf('.');
    return dot >= 0 && s.length - dot - 1 > MAX_DECIMALS ? trimZeros(n.toFixed(MAX_DECIMALS)) : s;
  }
  return Math.abs(n) >= 1 ? BigInt(Math.round(n)).toString() : trimZeros(n.toFixed(MAX_DECIMALS));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Plans and writes the DBF of a layer. */
export class DbfPlan {
  /** The DBF columns (names at most 10 bytes, unique; widths final after the first pass). */
  readonly fields: DbfField[];
  private readonly intWidth: number[];
  private readonly decimals: number[];
  private readonly textWidth: number[];
  private rows = 0;

  constructor(private readonly source: ExportField[]) {
    const names = uniqueNames(
      source.map((f) => f.name),
      MAX_NAME_BYTES,
    );
    this.fields = source.map((f, i) => ({ name: names[i], type: dbfType(f), width: 0, decimals: 0 }));
    this.intWidth = source.map(() => 0);
    this.decimals = source.map(() => 0);
    this.textWidth = source.map(() => 0);
  }

  /** Formats one row for the rows file and measures it: `[u32 length]` then per field `[u16 length|0xFFFF][bytes]`. */
  encodeRow(props: Record<string, unknown>): Buffer {
    const values: (Buffer | null)[] = this.source.map((f, i) => this.format(i, f, props[f.name]));
    const size = 4 + values.reduce((s, v) => s + 2 + (v ? v.length : 0), 0);
    const out = Buffer.allocUnsafe(size);
    out.writeUInt32LE(size, 0);
    let o = 4;
    for (const v of values) {
      out.writeUInt16LE(v ? v.length : NULL_LEN, o);
      o += 2;
      if (v) {
        v.copy(out, o);
        o += v.length;
      }
    }
    this.rows++;
    return out;
  }

  private format(i: number, f: ExportField, v: unknown): Buffer | null {
    switch (this.fields[i].type) {
      case 'N': {
        const n = toNumeric(v);
        if (n === null) return null;
        const s = plainNumber(n);
        const dot = s.indexOf('.');
        const int = dot < 0 ? s.length : dot;
        this.intWidth[i] = Math.max(this.intWidth[i], int);
        if (dot >= 0) this.decimals[i] = Math.max(this.decimals[i], s.length - dot - 1);
        return Buffer.from(s, 'latin1');
      }
      case 'L': {
        const b = toBooleanValue(v);
        return b === null ? null : Buffer.from(b ? 'T' : 'F');
      }
      case 'D': {
        const d = toDateText(v);
        const m = d ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(d) : null;
        return m ? Buffer.from(`${m[1]}${m[2]}${m[3]}`) : null;
      }
      default: {
        const s = f.type === 'timestamp' ? toTimestampText(v) : f.type === 'json' ? toJsonText(v) : toText(v);
        if (s === null) return null;
        const b = Buffer.from(truncateUtf8(s, MAX_TEXT_BYTES), 'utf8');
        this.textWidth[i] = Math.max(this.textWidth[i], b.length);
        return b;
      }
    }
  }

  /** Fixes the widths from what the first pass saw (defaults for an empty layer); returns the record length. */
  finish(): number {
    this.fields.forEach((fd, i) => {
      const empty = this.rows === 0;
      if (fd.type === 'C') fd.width = empty ? 80 : Math.max(1, this.textWidth[i]);
      else if (fd.type === 'L') fd.width = 1;
      else if (fd.type === 'D') fd.width = 8;
      else if (empty || this.intWidth[i] === 0) {
        const real = this.source[i].type === 'number';
        fd.width = real ? 24 : 10;
        fd.decimals = real ? MAX_DECIMALS : 0;
      } else {
        fd.decimals = this.decimals[i];
        fd.width = Math.min(254, this.intWidth[i] + (fd.decimals ? fd.decimals + 1 : 0));
      }
    });
    const recordLength = 1 + this.fields.reduce((s, f) => s + f.width, 0);
    if (this.fields.length > 2046 || recordLength > 65535) {
      throw new YituError(
        'YITU_ERR_INPUT_INVALID',
        `The layer has too many or too wide columns for a Shapefile (${this.fields.length} columns, ${recordLength} bytes a row; ` +
          'the DBF format allows 65,535). Export it as GeoPackage, GeoJSON or CSV instead.',
      );
    }
    return recordLength;
  }

  /** Bytes of the DBF for `records` rows (after {@link finish}). */
  dbfBytes(records: number): number {
    const recordLength = 1 + this.fields.reduce((s, f) => s + f.width, 0);
    return 32 + 32 * this.fields.length + 1 + records * recordLength + 1;
  }

  /** The DBF header (file header, field descriptors, terminator). */
  header(records: number): Buffer {
    const recordLength = 1 + this.fields.reduce((s, f) => s + f.width, 0);
    const headerLength = 32 + 32 * this.fields.length + 1;
    const h = Buffer.alloc(headerLength);
    const now = new Date();
    h.writeUInt8(0x03, 0); // dBase III without memo
    h.writeUInt8(now.getFullYear() - 1900, 1);
    h.writeUInt8(now.getMonth() + 1, 2);
    h.writeUInt8(now.getDate(), 3);
    h.writeUInt32LE(records, 4);
    h.writeUInt16LE(headerLength, 8);
    h.writeUInt16LE(recordLength, 10);
    h.writeUInt8(0x00, 29); // language driver: none; the .cpg says UTF-8
    this.fields.forEach((f, i) => {
      const o = 32 + i * 32;
      Buffer.from(f.name, 'utf8').copy(h, o, 0, MAX_NAME_BYTES);
      h.write(f.type, o + 11, 'latin1');
      h.writeUInt8(f.width, o + 16);
      h.writeUInt8(f.decimals, o + 17);
    });
    h.writeUInt8(0x0d, headerLength - 1);
    return h;
  }

  /** Writes the DBF at `dbfPath` from a rows file of `records` rows (second pass). */
  async writeDbf(rowsPath: string, dbfPath: string, records: number): Promise<void> {
    const recordLength = 1 + this.fields.reduce((s, f) => s + f.width, 0);
    const src = await FileSource.open(rowsPath);
    const out = await FileSink.create(dbfPath);
    try {
      await out.write(this.header(records));
      const rec = Buffer.alloc(recordLength);
      for (;;) {
        const head = await src.read(4);
        if (!head) break;
        const body = await src.read(head.readUInt32LE(0) - 4);
        if (!body) throw new Error('Truncated rows file');
        rec.fill(0x20);
        let o = 0;
        let at = 1;
        for (const f of this.fields) {
          const len = body.readUInt16LE(o);
          o += 2;
          if (len === NULL_LEN) {
            if (f.type === 'L') rec.write('?', at, 'latin1');
          } else {
            writeCell(rec, at, f, body.subarray(o, o + len));
            o += len;
          }
          at += f.width;
        }
        await out.write(rec);
      }
      await out.write(Buffer.from([0x1a]));
    } finally {
      await src.close();
      await out.close();
    }
  }
}

function dbfType(f: ExportField): DbfField['type'] {
  switch (f.type) {
    case 'integer':
    case 'number':
      return 'N';
    case 'boolean':
      return 'L';
    case 'date':
      return 'D';
    default:
      return 'C';
  }
}

/** Writes one value into its cell: C left-aligned, N right-aligned with its decimals padded. */
function writeCell(rec: Buffer, at: number, f: DbfField, value: Buffer): void {
  if (f.type !== 'N') {
    value.copy(rec, at, 0, Math.min(value.length, f.width));
    return;
  }
  let s = value.toString('latin1');
  if (f.decimals > 0) {
    const dot = s.indexOf('.');
    const have = dot < 0 ? 0 : s.length - dot - 1;
    s = (dot < 0 ? `${s}.` : s) + '0'.repeat(Math.max(0, f.decimals - have));
  }
  if (s.length > f.width) s = s.slice(0, f.width);
  rec.write(s, at + f.width - s.length, 'latin1');
}
