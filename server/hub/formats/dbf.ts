import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { YituError } from '../../platform/errors.ts';
import type { DeclaredField } from './types.ts';
import { SequentialFile } from './sequential-file.ts';

/**
 * dBASE (.dbf) attribute tables of shapefiles: header, field descriptors, code page detection
 * and record decoding. Field names and text values are decoded with the same encoding.
 */

/** One field descriptor of the DBF header. */
export interface DbfField {
  /** Name bytes as stored (up to 10 bytes, NUL-terminated); decoded by {@link decodeFieldNames}. */
  rawName: Buffer;
  /** dBASE type letter: C, N, F, D, L, M, I, O, B, T, +, Y… */
  type: string;
  length: number;
  decimals: number;
  /** Offset of the field in the record (after the 1-byte deletion flag). */
  offset: number;
}

/** The DBF header. */
export interface DbfHeader {
  recordCount: number;
  headerLength: number;
  recordLength: number;
  /** Language driver id (byte 29), 0 when absent. */
  ldid: number;
  fields: DbfField[];
}

/** Reads and checks the DBF header. */
export async function readDbfHeader(file: SequentialFile, name: string): Promise<DbfHeader> {
  const head = Buffer.from(await file.read(32));
  if (head.length < 32) throw dbfMalformed(name, 'the file is shorter than a DBF header');
  const recordCount = head.readUInt32LE(4);
  const headerLength = head.readUInt16LE(8);
  const recordLength = head.readUInt16LE(10);
  if (headerLength < 33 || recordLength < 1) throw dbfMalformed(name, 'its header sizes are impossible');
  const rest = Buffer.from(await file.read(headerLength - 32));
  if (rest.length < headerLength - 32) throw dbfMalformed(name, 'the file ends inside its header');
  const fields: DbfField[] = [];
  let offset = 1;
  for (let p = 0; p + 32 <= rest.length && rest[p] !== 0x0d; p += 32) {
    const nameBytes = rest.subarray(p, p + 11);
    const end = nameBytes.indexOf(0);
    const type = String.fromCharCode(rest[p + 11]).toUpperCase();
    let length = rest[p + 16];
    let decimals = rest[p + 17];
    // Character fields longer than 255 bytes keep the high byte in the decimals byte.
    if (type === 'C' && decimals > 0) {
      length += decimals * 256;
      decimals = 0;
    }
    fields.push({ rawName: Buffer.from(nameBytes.subarray(0, end < 0 ? 11 : end)), type, length, decimals, offset });
    offset += length;
  }
  if (offset > recordLength) throw dbfMalformed(name, `its fields (${offset} bytes) do not fit the record length ${recordLength}`);
  return { recordCount, headerLength, recordLength, ldid: head[29], fields };
}

/** Code page of a DBF language driver id, for the ids worth trusting; undefined otherwise. */
export function ldidEncoding(ldid: number): string | undefined {
  const table: Record<number, string> = {
    0x01: 'cp437', 0x02: 'cp850', 0x03: 'windows-1252', 0x08: 'cp865', 0x09: 'cp437', 0x0a: 'cp850',
    0x0b: 'cp437', 0x0d: 'cp437', 0x0e: 'cp850', 0x0f: 'cp437', 0x10: 'cp850', 0x11: 'cp437',
    0x12: 'cp850', 0x13: 'shift_jis', 0x14: 'cp850', 0x15: 'cp437', 0x16: 'cp850', 0x17: 'cp865',
    0x18: 'cp437', 0x19: 'cp437', 0x1a: 'cp850', 0x1b: 'cp437', 0x1c: 'cp863', 0x1d: 'cp850',
    0x1f: 'cp852', 0x22: 'cp852', 0x23: 'cp852', 0x24: 'cp860', 0x25: 'cp850', 0x26: 'cp866',
    0x37: 'cp850', 0x40: 'cp852', 0x4d: 'gbk', 0x4e: 'cp949', 0x4f: 'big5', 0x50: 'cp874',
    0x58: 'windows-1252', 0x59: 'windows-1252', 0x64: 'cp852', 0x65: 'cp866', 0x66: 'cp865',
    0x67: 'cp861', 0x6a: 'cp737', 0x6b: 'cp857', 0x78: 'big5', 0x79: 'cp949', 0x7a: 'gbk',
    0x7b: 'shift_jis', 0x7c: 'cp874', 0x7d: 'windows-1255', 0x7e: 'windows-1256', 0x86: 'cp737',
    0x87: 'cp852', 0x88: 'cp857', 0xc8: 'windows-1250', 0xc9: 'windows-1251', 0xca: 'windows-1254',
    0xcb: 'windows-1253', 0xcc: 'windows-1257',
  };
  return table[ldid];
}

/** True for the single-byte code pages among the LDIDs (where valid UTF-8 data overrides). */
export function isSingleByteEncoding(enc: string): boolean {
  return /^(cp\d+|windows-\d+)$/.test(enc) && !['cp949', 'cp936', 'cp950', 'cp932'].includes(enc);
}

/**
 * Normalises an encoding label from a `.cpg` file or an option ("UTF-8", "65001", "GBK",
 * "936", "CP936", "GB2312", "ANSI 936", "1252"…) to a name iconv-lite knows; undefined when it
 * is not understood ("SYSTEM", "OEM", garbage).
 */
export function normalizeEncoding(label: string): string | undefined {
  let l = label.trim().toLowerCase().replace(/^ansi[\s_-]*/, '').replace(/^(ms|windows-|cp)(?=\d{3,5}$)/, '');
  if (l === '' || l === 'auto' || l === 'system' || l === 'oem') return undefined;
  if (['utf-8', 'utf8', '65001'].includes(l)) return 'utf-8';
  if (['gbk', '936', 'gb2312', 'gb_2312-80', 'euc-cn', 'x-gbk', 'chinese'].includes(l)) return 'gbk';
  if (['gb18030', '54936'].includes(l)) return 'gb18030';
  if (['big5', '950', 'big5-hkscs'].includes(l)) return 'big5';
  if (['932', 'sjis', 'shift-jis', 'shift_jis'].includes(l)) return 'shift_jis';
  if (['88591', '8859_1', 'latin1'].includes(l)) return 'iso-8859-1';
  if (/^125\d$/.test(l)) l = `windows-${l}`;
  else if (/^\d{3,5}$/.test(l)) l = `cp${l}`;
  return iconv.encodingExists(l) ? l : undefined;
}

/** Decodes bytes with an encoding normalised by {@link normalizeEncoding}. */
export function decodeText(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'utf-8') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

/**
 * Looks at the text of the first records (up to `sampleBytes`) and the field names: `utf-8`
 * when all is valid UTF-8 (plain ASCII included), else `gbk`. Also tells whether any non-ASCII
 * byte was seen, so that callers can tell UTF-8 from plain ASCII.
 */
export async function sniffDbfEncoding(
  path: string,
  header: DbfHeader,
  sampleBytes = 8 << 20,
): Promise<{ encoding: 'utf-8' | 'gbk'; nonAscii: boolean }> {
  const texts = header.fields.filter((f) => f.type === 'C');
  let nonAscii = false;
  let valid = true;
  const check = (b: Buffer, full: boolean) => {
    if (b.every((x) => x < 0x80)) return;
    nonAscii = true;
    if (isUtf8(b)) return;
    // A value cut at the field width may end inside a character: allow 1–3 dangling bytes.
    if (full) for (let k = 1; k <= 3; k++) if (isUtf8(b.subarray(0, b.length - k))) return;
    valid = false;
  };
  for (const f of header.fields) check(f.rawName, false);
  const file = await SequentialFile.open(path);
  try {
    await file.skip(header.headerLength);
    const records = Math.min(header.recordCount, Math.max(1, Math.floor(sampleBytes / header.recordLength)));
    for (let r = 0; r < records && valid; r++) {
      const rec = await file.read(header.recordLength);
      if (rec.length < header.recordLength) break;
      for (const f of texts) {
        const raw = rec.subarray(f.offset, f.offset + f.length);
        const trimmed = trimEnd(raw);
        check(trimmed, trimmed.length === raw.length);
      }
    }
  } finally {
    await file.close();
  }
  return { encoding: valid ? 'utf-8' : 'gbk', nonAscii };
}

/** Field names decoded with `encoding`, made unique (`name_2`…) and never empty. */
export function decodeFieldNames(fields: DbfField[], encoding: string): string[] {
  const seen = new Set<string>();
  return fields.map((f, i) => {
    let n = decodeText(f.rawName, encoding).replace(/\0/g, '').trim() || `field_${i + 1}`;
    if (seen.has(n)) {
      let k = 2;
      while (seen.has(`${n}_${k}`)) k++;
      n = `${n}_${k}`;
    }
    seen.add(n);
    return n;
  });
}

/** The declared type of a DBF field. */
export function dbfFieldType(f: DbfField): DeclaredField['type'] {
  switch (f.type) {
    case 'N':
      return f.decimals > 0 ? 'number' : 'integer';
    case 'F':
    case 'O':
    case 'Y':
      return 'number';
    case 'B':
      return f.length === 8 ? 'number' : 'text';
    case 'I':
    case '+':
      return 'integer';
    case 'L':
      return 'boolean';
    case 'D':
      return 'date';
    case 'T':
      return 'timestamp';
    default:
      return 'text';
  }
}

/** Result of decoding one value: the value, or why it cannot be read. */
export type DbfValue = { value: unknown } | { error: string };

/** Decodes one field of a record. */
export function decodeDbfValue(f: DbfField, raw: Buffer, encoding: string): DbfValue {
  switch (f.type) {
    case 'C': {
      const s = decodeText(trimEnd(raw), encoding).trim();
      return { value: s === '' ? null : s };
    }
    case 'N':
    case 'F': {
      const s = raw.toString('latin1').replace(/\0/g, '').trim();
      if (s === '' || /^\*+$/.test(s) || s === '.' || s === '-') return { value: null };
      const n = Number(s.replace(/,/, '.'));
      if (!Number.isFinite(n)) return { error: `"${s}" is not a number` };
      if (f.decimals === 0 && f.type === 'N' && Number.isInteger(n) && !Number.isSafeInteger(n)) {
        return { value: s.replace(/^\+/, '') };
      }
      return { value: n };
    }
    case 'D': {
      // Some writers pad years before 1000 with spaces (" 5890101").
      const r = raw.toString('latin1').replace(/\0/g, ' ');
      const s = r.length === 8 && /^ +\d+$/.test(r) ? r.replace(/ /g, '0') : r.trim();
      if (s === '' || /^0+$/.test(s)) return { value: null };
      const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
      if (!m) return { error: `"${s}" is not a date (YYYYMMDD)` };
      const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
      if (d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return { error: `"${s}" is not a valid date` };
      return { value: `${m[1]}-${m[2]}-${m[3]}` };
    }
    case 'L': {
      const c = raw.toString('latin1').trim().toUpperCase();
      if (c === 'T' || c === 'Y') return { value: true };
      if (c === 'F' || c === 'N') return { value: false };
      return { value: null };
    }
    case 'I':
    case '+':
      return { value: raw.length >= 4 ? raw.readInt32LE(0) : null };
    case 'O':
      return { value: raw.length >= 8 ? raw.readDoubleLE(0) : null };
    case 'B':
      return { value: f.length === 8 ? raw.readDoubleLE(0) : null };
    case 'Y':
      return { value: raw.length >= 8 ? Number(raw.readBigInt64LE(0)) / 10000 : null };
    case 'T': {
      // Visual FoxPro: 4-byte Julian day and 4-byte milliseconds since midnight.
      if (raw.length < 8 || raw.every((b) => b === 0 || b === 0x20)) return { value: null };
      const day = raw.readInt32LE(0);
      const ms = raw.readInt32LE(4);
      // Julian day 2440588 is 1970-01-01.
      const t = (day - 2440588) * 86400000 + ms;
      return { value: new Date(t).toISOString() };
    }
    case 'M':
    case 'G':
    case 'P':
    case '@':
      // Memo fields live in .dbt/.fpt files, which are not read; dBASE 7 timestamps are rare.
      return { value: null };
    default: {
      const s = decodeText(trimEnd(raw), encoding).trim();
      return { value: s === '' ? null : s };
    }
  }
}

function trimEnd(b: Buffer): Buffer {
  let end = b.length;
  while (end > 0 && (b[end - 1] === 0x20 || b[end - 1] === 0)) end--;
  return b.subarray(0, end);
}

/** A malformed-DBF error. */
export function dbfMalformed(name: string, why: string, row?: number): YituError {
  return new YituError('YITU_ERR_IMPORT_FILE_MALFORMED', `${name} cannot be read as a dBASE table: ${why}.`, {
    errors: [{ row, reason: why }],
  });
}
