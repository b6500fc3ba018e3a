import iconv from 'iconv-lite';

/**
 * A minimal shapefile writer for tests: hand-made SHP records and DBF tables to exercise edge
 * cases GDAL does not produce (deleted records, logical fields, bad dates, odd ring orders).
 */

/** Polygon or polyline record content (types 3, 5, 13, 15) from parts of [x, y(, z)] points. */
export function polyContent(type: number, parts: number[][][]): Buffer {
  const hasZ = type === 13 || type === 15;
  const pts = parts.flat();
  const size = 44 + 4 * parts.length + 16 * pts.length + (hasZ ? 16 + 8 * pts.length : 0);
  const b = Buffer.alloc(size);
  b.writeInt32LE(type, 0);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, i) => b.writeDoubleLE(v, 4 + 8 * i));
  b.writeInt32LE(parts.length, 36);
  b.writeInt32LE(pts.length, 40);
  let start = 0;
  parts.forEach((p, i) => {
    b.writeInt32LE(start, 44 + 4 * i);
    start += p.length;
  });
  let o = 44 + 4 * parts.length;
  for (const p of pts) {
    b.writeDoubleLE(p[0], o);
    b.writeDoubleLE(p[1], o + 8);
    o += 16;
  }
  if (hasZ) {
    const zs = pts.map((p) => p[2] ?? 0);
    b.writeDoubleLE(Math.min(...zs), o);
    b.writeDoubleLE(Math.max(...zs), o + 8);
    o += 16;
    for (const z of zs) {
      b.writeDoubleLE(z, o);
      o += 8;
    }
  }
  return b;
}

/** Point record content (type 1, or 11 with z and m). */
export function pointContent(x: number, y: number, z?: number): Buffer {
  const b = Buffer.alloc(z === undefined ? 20 : 36);
  b.writeInt32LE(z === undefined ? 1 : 11, 0);
  b.writeDoubleLE(x, 4);
  b.writeDoubleLE(y, 12);
  if (z !== undefined) {
    b.writeDoubleLE(z, 20);
    b.writeDoubleLE(0, 28);
  }
  return b;
}

/** A .shp and its .shx from record contents (null = Null shape). */
export function buildShp(type: number, records: (Buffer | null)[]): { shp: Buffer; shx: Buffer } {
  const bodies = records.map((r, i) => {
    const content = r ?? Buffer.from([0, 0, 0, 0]);
    const head = Buffer.alloc(8);
    head.writeInt32BE(i + 1, 0);
    head.writeInt32BE(content.length / 2, 4);
    return Buffer.concat([head, content]);
  });
  const total = 100 + bodies.reduce((s, b) => s + b.length, 0);
  const header = (length: number) => {
    const h = Buffer.alloc(100);
    h.writeInt32BE(9994, 0);
    h.writeInt32BE(length / 2, 24);
    h.writeInt32LE(1000, 28);
    h.writeInt32LE(type, 32);
    return h;
  };
  const shx = Buffer.alloc(8 * records.length);
  let offset = 100;
  bodies.forEach((b, i) => {
    shx.writeInt32BE(offset / 2, 8 * i);
    shx.writeInt32BE((b.length - 8) / 2, 8 * i + 4);
    offset += b.length;
  });
  return { shp: Buffer.concat([header(total), ...bodies]), shx: Buffer.concat([header(100 + shx.length), shx]) };
}

/** A DBF field for {@link buildDbf}. */
export interface TestField {
  name: string;
  type: string;
  length: number;
  decimals?: number;
}

/**
 * A .dbf table. Values are strings written left-aligned (C) or right-aligned (others), encoded
 * with `encoding`; rows listed in `deleted` (0-based) get the `*` deletion flag.
 */
export function buildDbf(
  fields: TestField[],
  rows: string[][],
  opts: { encoding?: string; ldid?: number; deleted?: number[] } = {},
): Buffer {
  const enc = opts.encoding ?? 'utf-8';
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  const headerLength = 32 + 32 * fields.length + 1;
  const head = Buffer.alloc(headerLength);
  head[0] = 3;
  head.writeUInt32LE(rows.length, 4);
  head.writeUInt16LE(headerLength, 8);
  head.writeUInt16LE(recordLength, 10);
  head[29] = opts.ldid ?? 0;
  fields.forEach((f, i) => {
    const d = 32 + 32 * i;
    iconv.encode(f.name, enc).copy(head, d, 0, 10);
    head[d + 11] = f.type.charCodeAt(0);
    head[d + 16] = f.length;
    head[d + 17] = f.decimals ?? 0;
  });
  head[headerLength - 1] = 0x0d;
  const records = rows.map((row, r) => {
    const rec = Buffer.alloc(recordLength, 0x20);
    if (opts.deleted?.includes(r)) rec[0] = 0x2a;
    let o = 1;
    fields.forEach((f, i) => {
      const bytes = iconv.encode(row[i] ?? '', enc).subarray(0, f.length);
      bytes.copy(rec, f.type === 'C' ? o : o + f.length - bytes.length);
      o += f.length;
    });
    return rec;
  });
  return Buffer.concat([head, ...records, Buffer.from([0x1a])]);
}
