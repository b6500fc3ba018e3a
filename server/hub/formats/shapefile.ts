import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Geometry, Position } from 'geojson';
import { YituError } from '../../platform/errors.ts';
import { prjToEpsg } from '../crs/prj.ts';
import {
  type DbfHeader,
  dbfFieldType,
  dbfMalformed,
  decodeDbfValue,
  decodeFieldNames,
  isSingleByteEncoding,
  ldidEncoding,
  normalizeEncoding,
  readDbfHeader,
  sniffDbfEncoding,
} from './dbf.ts';
import { SequentialFile } from './sequential-file.ts';
import { assemblePolygon } from './shapefile-rings.ts';
import type { OpenedSource, ReaderOptions, SourceItem } from './types.ts';

/**
 * ESRI Shapefile reader. This is an own reader rather than the `shapefile` npm package (0.6.6),
 * which ignores `.cpg` and decodes DBF text and field names as windows-1252 unless told an
 * encoding, returns deleted DBF records, turns dates into local-time `Date` objects (an empty
 * date becomes 1899-11-30), drops Z values, throws a bare RangeError on a truncated record, and
 * gives no byte progress.
 */

/** A shapefile opened for reading, with notes for the person importing it. */
export interface OpenedShapefile extends OpenedSource {
  /** Things worth telling (missing .dbf, unrecognised .prj, how the encoding was chosen…). */
  notes: string[];
}

const SHAPE_NAMES: Record<number, string> = {
  0: 'Null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint', 11: 'PointZ', 13: 'PolyLineZ',
  15: 'PolygonZ', 18: 'MultiPointZ', 21: 'PointM', 23: 'PolyLineM', 25: 'PolygonM', 28: 'MultiPointM', 31: 'MultiPatch',
};

/**
 * Opens a shapefile from its `.shp` path; the sibling `.dbf`, `.prj`, `.cpg` and `.shx` are
 * found case-insensitively. DBF text encoding: `.cpg`, else `opts.encoding`, else the DBF
 * language driver id, else UTF-8 when the records are valid UTF-8, else GBK.
 */
export async function openShapefile(shpPath: string, opts: ReaderOptions = {}): Promise<OpenedShapefile> {
  const dir = path.dirname(shpPath);
  const base = path.basename(shpPath).replace(/\.shp$/i, '');
  const siblings = await listSiblings(dir, base);
  const shpFile = siblings.get('shp');
  if (!shpFile) {
    throw new YituError(
      'YITU_ERR_IMPORT_FILE_MALFORMED',
      `${base}.shp is missing. A shapefile is a set of files with the same name (.shp geometries, .dbf attributes, ` +
        '.shx, .prj coordinate system, .cpg encoding); upload them together, for example in one zip.',
      { errors: [{ field: `${base}.shp`, reason: 'file missing' }] },
    );
  }
  const notes: string[] = [];
  const name = path.basename(shpFile);

  let crs: number | undefined;
  const prjFile = siblings.get('prj');
  if (prjFile) {
    const wkt = (await readFile(prjFile, 'utf8')).replace(/^\uFEFF/, '').trim();
    crs = prjToEpsg(wkt);
    if (crs === undefined) notes.push(`The coordinate system in ${path.basename(prjFile)} is not recognised; give it with --crs.`);
  } else {
    notes.push(`There is no ${base}.prj: the coordinate system is unknown; give it with --crs.`);
  }

  const shp = await SequentialFile.open(shpFile);
  let dbf: SequentialFile | undefined;
  try {
    const head = Buffer.from(await shp.read(100));
    if (head.length < 100 || head.readInt32BE(0) !== 9994) {
      throw shpMalformed(name, 'it does not start with the shapefile file code 9994');
    }
    const shapeType = head.readInt32LE(32);
    if (shapeType === 31) {
      throw new YituError('YITU_ERR_IMPORT_FORMAT_UNKNOWN', `${name} holds MultiPatch (3D surface) shapes, which Yitu does not read.`);
    }
    if (!(shapeType in SHAPE_NAMES)) throw shpMalformed(name, `its shape type ${shapeType} is unknown`);
    const declared = head.readInt32BE(24) * 2;
    const end = declared > 100 ? declared : shp.size;

    const dbfFile = siblings.get('dbf');
    let header: DbfHeader | undefined;
    let encoding: string | undefined;
    if (dbfFile) {
      dbf = await SequentialFile.open(dbfFile);
      header = await readDbfHeader(dbf, path.basename(dbfFile));
      encoding = await chooseEncoding(dbfFile, header, siblings.get('cpg'), opts, notes);
      if (header.fields.some((f) => ['M', 'G', 'P'].includes(f.type))) {
        notes.push('Memo fields (.dbt/.fpt) are not read; their values are empty.');
      }
    } else {
      notes.push(`There is no ${base}.dbf: features are read without attributes.`);
    }
    const names = header && encoding ? decodeFieldNames(header.fields, encoding) : [];
    const shxFile = siblings.get('shx');
    const shxCount = shxFile ? Math.max(0, Math.floor(((await stat(shxFile)).size - 100) / 8)) : undefined;
    if (header && shxCount !== undefined && shxCount !== header.recordCount) {
      notes.push(`${base}.shx lists ${shxCount} shapes but ${base}.dbf has ${header.recordCount} records.`);
    }

    const source = makeSource(name, shp, dbf, header, encoding, names, shapeType, end);
    return {
      ...source,
      crs,
      encoding,
      fields: header ? header.fields.map((f, i) => ({ name: names[i], type: dbfFieldType(f) })) : [],
      estimatedCount: header?.recordCount ?? shxCount,
      notes,
    };
  } catch (e) {
    await shp.close();
    await dbf?.close();
    throw e;
  }
}

async function listSiblings(dir: string, base: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let entries: string[] = [];
  try {
    entries = await readdir(dir);
  } catch {
    return out;
  }
  const lower = base.toLowerCase();
  for (const e of entries) {
    const dot = e.lastIndexOf('.');
    if (dot < 0 || e.slice(0, dot).toLowerCase() !== lower) continue;
    const ext = e.slice(dot + 1).toLowerCase();
    // Prefer the exact-case name when several differ only by case.
    if (!out.has(ext) || e.slice(0, dot) === base) out.set(ext, path.join(dir, e));
  }
  return out;
}

async function chooseEncoding(
  dbfFile: string,
  header: DbfHeader,
  cpgFile: string | undefined,
  opts: ReaderOptions,
  notes: string[],
): Promise<string> {
  if (cpgFile) {
    const label = (await readFile(cpgFile, 'latin1')).trim();
    const enc = normalizeEncoding(label);
    if (enc) {
      if (enc !== 'utf-8') return enc;
      const sniff = await sniffDbfEncoding(dbfFile, header);
      if (sniff.encoding === 'utf-8') return enc;
      notes.push(`${path.basename(cpgFile)} says UTF-8 but the text is not valid UTF-8; it was read as GBK.`);
      return 'gbk';
    }
    notes.push(`The encoding "${label}" in ${path.basename(cpgFile)} is not understood; it was detected instead.`);
  }
  if (opts.encoding && opts.encoding !== 'auto') return normalizeEncoding(opts.encoding) ?? opts.encoding;
  const fromLdid = ldidEncoding(header.ldid);
  if (fromLdid && !isSingleByteEncoding(fromLdid)) return fromLdid;
  const sniff = await sniffDbfEncoding(dbfFile, header);
  if (fromLdid && !(sniff.nonAscii && sniff.encoding === 'utf-8')) return fromLdid;
  if (sniff.nonAscii) notes.push(`The text encoding was detected as ${sniff.encoding === 'utf-8' ? 'UTF-8' : 'GBK'}.`);
  return sniff.encoding;
}

function makeSource(
  name: string,
  shp: SequentialFile,
  dbf: SequentialFile | undefined,
  header: DbfHeader | undefined,
  encoding: string | undefined,
  names: string[],
  shapeType: number,
  end: number,
): Omit<OpenedSource, 'fields'> {
  let used = false;
  let closed = false;
  let finished = false;
  const dbfName = name.replace(/\.shp$/i, '.dbf');

  async function* features(): AsyncIterable<SourceItem> {
    if (used || closed) throw new Error('shapefile features can be read once per opened source');
    used = true;
    let dbfRead = 0;
    for (let row = 1; ; row++) {
      const shpLeft = shp.position < end;
      const dbfLeft = header !== undefined && dbf !== undefined && dbfRead < header.recordCount;
      if (!shpLeft && !dbfLeft) {
        finished = true;
        return;
      }
      let geometry: Geometry | null = null;
      let problem: { field?: string; reason: string } | undefined;
      if (shpLeft) {
        const parsed = await readRecord(shp, name, row, shapeType);
        if ('error' in parsed) problem = { reason: parsed.error };
        else geometry = parsed.geometry;
      } else if (end > shp.size) {
        throw truncated(name, row, shp.position);
      }
      const properties: Record<string, unknown> = {};
      let deleted = false;
      if (header && dbf) {
        for (const n of names) properties[n] = null;
        if (dbfLeft) {
          const rec = await dbf.read(header.recordLength);
          dbfRead++;
          if (rec.length < header.recordLength) {
            throw dbfMalformed(dbfName, `the file is truncated inside record ${row}`, row);
          }
          deleted = rec[0] === 0x2a;
          header.fields.forEach((f, i) => {
            const v = decodeDbfValue(f, rec.subarray(f.offset, f.offset + f.length), encoding ?? 'utf-8');
            if ('error' in v) problem ??= { field: names[i], reason: v.error };
            else properties[names[i]] = v.value;
          });
        }
      }
      if (deleted) continue;
      if (problem) yield { row, ...problem, error: true };
      else yield { row, geometry, properties };
    }
  }

  return {
    format: 'shapefile',
    totalBytes: shp.size + (dbf?.size ?? 0),
    // The DBF end-of-file marker and any bytes after the declared .shp length are never read.
    bytesRead: () => (finished ? shp.size + (dbf?.size ?? 0) : shp.position + (dbf?.position ?? 0)),
    features,
    async close() {
      if (closed) return;
      closed = true;
      await shp.close();
      await dbf?.close();
    },
  };
}

type Parsed = { geometry: Geometry | null } | { error: string };

/** Reads one record; throws for a truncated file or broken framing, returns an error for a bad shape. */
async function readRecord(shp: SequentialFile, name: string, row: number, fileType: number): Promise<Parsed> {
  const start = shp.position;
  const head = await shp.read(8);
  if (head.length < 8) throw truncated(name, row, start);
  const length = head.readInt32BE(4) * 2;
  if (length < 4 || length > 1 << 30) {
    throw shpMalformed(name, `record ${row} at byte ${start} has an impossible length (${length} bytes)`, row);
  }
  const content = await shp.read(length);
  if (content.length < length) throw truncated(name, row, start);
  const type = content.readInt32LE(0);
  if (type === 0) return { geometry: null };
  if (type !== fileType) {
    return { error: `shape type ${SHAPE_NAMES[type] ?? type} in a ${SHAPE_NAMES[fileType]} file` };
  }
  try {
    return { geometry: parseShape(content, type) };
  } catch (e) {
    return { error: `unreadable shape: ${(e as Error).message}` };
  }
}

function parseShape(c: Buffer, type: number): Geometry | null {
  const hasZ = type === 11 || type === 13 || type === 15 || type === 18;
  const need = (n: number) => {
    if (c.length < n) throw new Error(`record has ${c.length} bytes, ${n} needed`);
  };
  const base = type % 10;
  if (base === 1) {
    need(hasZ ? 28 : 20);
    const p: Position = [c.readDoubleLE(4), c.readDoubleLE(12)];
    if (hasZ) p.push(c.readDoubleLE(20));
    return Number.isNaN(p[0]) || Number.isNaN(p[1]) ? null : { type: 'Point', coordinates: p };
  }
  if (base === 8) {
    need(40);
    const n = c.readInt32LE(36);
    if (n < 0) throw new Error(`negative point count ${n}`);
    need(40 + 16 * n + (hasZ ? 16 + 8 * n : 0));
    const pts = readPoints(c, 40, n, hasZ ? 40 + 16 * n + 16 : -1);
    return n === 0 ? null : { type: 'MultiPoint', coordinates: pts };
  }
  need(44);
  const parts = c.readInt32LE(36);
  const n = c.readInt32LE(40);
  if (parts < 0 || n < 0) throw new Error('negative part or point count');
  const pointsAt = 44 + 4 * parts;
  need(pointsAt + 16 * n + (hasZ ? 16 + 8 * n : 0));
  const pts = readPoints(c, pointsAt, n, hasZ ? pointsAt + 16 * n + 16 : -1);
  const lines: Position[][] = [];
  for (let i = 0; i < parts; i++) {
    const from = c.readInt32LE(44 + 4 * i);
    const to = i + 1 < parts ? c.readInt32LE(48 + 4 * i) : n;
    if (from < 0 || to > n || to < from) throw new Error(`part ${i + 1} has bad point indexes`);
    lines.push(pts.slice(from, to));
  }
  if (base === 3) {
    const nonEmpty = lines.filter((l) => l.length > 0);
    if (nonEmpty.length === 0) return null;
    return nonEmpty.length === 1 ? { type: 'LineString', coordinates: nonEmpty[0] } : { type: 'MultiLineString', coordinates: nonEmpty };
  }
  return assemblePolygon(lines);
}

function readPoints(c: Buffer, at: number, n: number, zAt: number): Position[] {
  const out: Position[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const p: Position = [c.readDoubleLE(at + 16 * i), c.readDoubleLE(at + 16 * i + 8)];
    if (zAt >= 0) p.push(c.readDoubleLE(zAt + 8 * i));
    out[i] = p;
  }
  return out;
}

function truncated(name: string, row: number, offset: number): YituError {
  return new YituError(
    'YITU_ERR_IMPORT_FILE_MALFORMED',
    `${name} is truncated: record ${row} (from byte ${offset}) is cut off by the end of the file. Copy or export the shapefile again.`,
    { errors: [{ row, offset, reason: 'file truncated inside this record' }] },
  );
}

function shpMalformed(name: string, why: string, row?: number): YituError {
  return new YituError('YITU_ERR_IMPORT_FILE_MALFORMED', `${name} cannot be read as a shapefile: ${why}.`, {
    errors: [{ row, reason: why }],
  });
}
