import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue, type Statement } from 'sql.js';
import { YituError } from '../../platform/errors.ts';
import { prjToEpsg } from '../crs/prj.ts';
import type { DeclaredField, OpenedSource, ReaderOptions, SourceFeature, SourceItem } from './types.ts';
import { WkbError, decodeGeoPackageGeometry } from './wkb.ts';

/**
 * GeoPackage reader on sql.js (SQLite compiled to WebAssembly). sql.js has no file system
 * access: the whole file is read into memory and copied into the WASM heap, so a GeoPackage
 * takes about twice its size in memory while it is read. Files over {@link
 * DEFAULT_MAX_GEOPACKAGE_BYTES} (1 GiB) are refused unless the caller raises the limit;
 * such data is better sent as FlatGeobuf or Shapefile, which stream.
 */

/** Default size limit of a GeoPackage read in memory: 1 GiB. */
export const DEFAULT_MAX_GEOPACKAGE_BYTES = 1024 ** 3;

/** Options of {@link openGeoPackage}: the common reader options and the in-memory size limit. */
export interface GeoPackageReaderOptions extends ReaderOptions {
  /** Largest file read in memory, in bytes; {@link DEFAULT_MAX_GEOPACKAGE_BYTES} by default. */
  maxFileBytes?: number;
}

let sqlJs: Promise<SqlJsStatic> | undefined;

function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs();
  return sqlJs;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/**
 * Opens a GeoPackage and one of its feature tables (`opts.layer`, else the first in
 * `gpkg_contents`). `layers` lists the feature tables, `crs` comes from the layer's
 * `gpkg_spatial_ref_sys` entry, `fields` from the table's columns (the primary key becomes the
 * feature `id`, the geometry column the geometry). Rows stream through a prepared statement.
 */
export async function openGeoPackage(file: string, opts: GeoPackageReaderOptions = {}): Promise<OpenedSource> {
  const name = path.basename(file);
  const limit = opts.maxFileBytes ?? DEFAULT_MAX_GEOPACKAGE_BYTES;
  const size = (await stat(file)).size;
  if (size === 0) throw new YituError('YITU_ERR_IMPORT_FILE_EMPTY', `${name} is empty.`);
  if (size > limit) {
    throw new YituError(
      'YITU_ERR_IMPORT_FILE_TOO_LARGE',
      `${name} is ${size} bytes; GeoPackages are read in memory and the limit is ${limit} bytes. ` +
        'Export the layer as FlatGeobuf or Shapefile (which are streamed), or raise the limit.',
      { extra: { size, limit } },
    );
  }
  await checkSqliteHeader(file, name);
  const SQL = await loadSqlJs();
  let db: Database;
  try {
    db = new SQL.Database(await readFile(file));
  } catch (e) {
    throw malformed(name, `SQLite cannot open it (${(e as Error).message})`, e);
  }
  try {
    return openLayer(db, name, size, opts);
  } catch (e) {
    db.close();
    throw e;
  }
}

async function checkSqliteHeader(file: string, name: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    const { bytesRead } = await fh.read(buf, 0, 16, 0);
    if (bytesRead < 16 || buf.toString('latin1') !== SQLITE_MAGIC) {
      throw malformed(name, 'it is not an SQLite database, so not a GeoPackage');
    }
  } finally {
    await fh.close();
  }
}

function openLayer(db: Database, name: string, size: number, opts: GeoPackageReaderOptions): OpenedSource {
  let layers: string[];
  try {
    const hasContents = queryAll(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents'");
    if (hasContents.length === 0) throw malformed(name, 'it has no gpkg_contents table, so it is not a GeoPackage');
    layers = queryAll(db, "SELECT table_name FROM gpkg_contents WHERE lower(data_type) = 'features' ORDER BY rowid").map(
      (r) => String(r[0]),
    );
  } catch (e) {
    if (e instanceof YituError) throw e;
    throw malformed(name, `SQLite cannot read it (${(e as Error).message})`, e);
  }
  if (layers.length === 0) {
    throw new YituError('YITU_ERR_IMPORT_NO_FEATURES', `${name} has no feature table (gpkg_contents lists none).`);
  }
  let layer = layers[0];
  if (opts.layer !== undefined) {
    const found = layers.find((l) => l === opts.layer) ?? layers.find((l) => l.toLowerCase() === opts.layer?.toLowerCase());
    if (found === undefined) {
      throw new YituError(
        'YITU_ERR_INPUT_INVALID',
        `${name} has no feature layer "${opts.layer}". Its layers are: ${layers.join(', ')}.`,
        { errors: [{ field: 'layer', reason: `unknown layer "${opts.layer}"` }], extra: { layers } },
      );
    }
    layer = found;
  }

  const geomRows = queryAll(db, 'SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?', [layer]);
  if (geomRows.length === 0) throw malformed(name, `layer "${layer}" has no entry in gpkg_geometry_columns`);
  const geomColumn = String(geomRows[0][0]);
  const srsId = Number(geomRows[0][1]);
  const crs = layerCrs(db, srsId);

  const columns = queryAll(db, `PRAGMA table_info(${quoteId(layer)})`).map((r) => ({
    name: String(r[1]),
    type: String(r[2] ?? ''),
    pk: Number(r[5]),
  }));
  if (columns.length === 0) throw malformed(name, `layer "${layer}" is listed but its table does not exist`);
  const pkColumns = columns.filter((c) => c.pk > 0);
  const idColumn = pkColumns.length === 1 ? pkColumns[0].name : undefined;
  const attrs = columns.filter((c) => c.name !== geomColumn && c.name !== idColumn);
  const fields: DeclaredField[] = attrs.map((c) => ({ name: c.name, type: fieldType(c.type) }));
  const count = Number(queryAll(db, `SELECT count(*) FROM ${quoteId(layer)}`)[0][0]);

  let statement: Statement | undefined;
  let row = 0;
  let closed = false;

  async function* features(): AsyncIterable<SourceItem> {
    if (closed) throw new Error('GeoPackage source is closed');
    const select = [idColumn, geomColumn, ...attrs.map((a) => a.name)].filter((c): c is string => c !== undefined);
    const stmt = db.prepare(`SELECT ${select.map(quoteId).join(', ')} FROM ${quoteId(layer)}`);
    statement = stmt;
    row = 0;
    try {
      while (step(stmt, name, row + 1)) {
        row++;
        const values = (stmt.get as (p: null, c: { useBigInt: boolean }) => SqlValue[])(null, { useBigInt: true });
        let i = 0;
        const id = idColumn === undefined ? undefined : plainValue(values[i++]);
        const blob = values[i++];
        const properties: Record<string, unknown> = {};
        attrs.forEach((a, k) => {
          properties[a.name] = convert(values[i + k], fields[k].type);
        });
        let geometry = null;
        if (blob instanceof Uint8Array && blob.byteLength > 0) {
          try {
            geometry = decodeGeoPackageGeometry(blob).geometry;
          } catch (e) {
            if (!(e instanceof WkbError)) throw e;
            yield { row, field: geomColumn, reason: `unreadable geometry: ${e.message}`, error: true };
            continue;
          }
        } else if (blob !== null && blob !== undefined && !(blob instanceof Uint8Array)) {
          yield { row, field: geomColumn, reason: 'the geometry column does not hold a GeoPackage geometry blob', error: true };
          continue;
        }
        const feature: SourceFeature = { row, geometry, properties };
        if (typeof id === 'number' || typeof id === 'string') feature.id = id;
        yield feature;
      }
    } finally {
      stmt.free();
      if (statement === stmt) statement = undefined;
    }
  }

  return {
    format: 'geopackage',
    crs,
    fields,
    layers,
    estimatedCount: count,
    totalBytes: size,
    bytesRead: () => (count > 0 ? Math.min(size, Math.round((row / count) * size)) : size),
    features,
    async close() {
      if (closed) return;
      closed = true;
      statement?.free();
      statement = undefined;
      db.close();
    },
  };
}

/** EPSG code of a GeoPackage srs_id; undefined for the undefined systems 0 and -1. */
function layerCrs(db: Database, srsId: number): number | undefined {
  if (srsId === 0 || srsId === -1 || Number.isNaN(srsId)) return undefined;
  const rows = queryAll(
    db,
    'SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?',
    [srsId],
  );
  if (rows.length === 0) return undefined;
  const [org, code, definition] = rows[0];
  if (String(org).toUpperCase() === 'EPSG' && Number(code) > 0) return Number(code);
  return typeof definition === 'string' ? prjToEpsg(definition) : undefined;
}

/** Maps an SQLite / GeoPackage column type to a field type. */
function fieldType(declared: string): DeclaredField['type'] {
  const t = declared.toUpperCase().replace(/\(.*$/, '').trim();
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE') return 'date';
  if (t === 'DATETIME' || t === 'TIMESTAMP') return 'timestamp';
  if (/INT/.test(t)) return 'integer';
  if (/REAL|DOUBLE|FLOAT|NUMERIC|DECIMAL/.test(t)) return 'number';
  if (t === 'JSON') return 'json';
  return 'text';
}

function convert(v: SqlValue | bigint | undefined, type: DeclaredField['type']): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'boolean' && (typeof v === 'number' || typeof v === 'bigint')) return Number(v) !== 0;
  if (type === 'json' && typeof v === 'string') {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return plainValue(v);
}

/** BigInt → number when exact, else its decimal string; other values unchanged. */
function plainValue(v: SqlValue | bigint | undefined): unknown {
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  return v;
}

/** `stmt.step()`, with SQLite errors (a corrupt page…) reported as a malformed file. */
function step(stmt: Statement, name: string, row: number): boolean {
  try {
    return stmt.step();
  } catch (e) {
    throw new YituError('YITU_ERR_IMPORT_FILE_MALFORMED', `${name} is damaged: SQLite fails at row ${row} (${(e as Error).message}).`, {
      cause: e,
      errors: [{ row, reason: (e as Error).message }],
    });
  }
}

function queryAll(db: Database, sql: string, params: SqlValue[] = []): SqlValue[][] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const out: SqlValue[][] = [];
    while (stmt.step()) out.push(stmt.get());
    return out;
  } finally {
    stmt.free();
  }
}

function quoteId(id: string): string {
  return `"${id.replace(/"/g, '""')}"`;
}

function malformed(name: string, why: string, cause?: unknown): YituError {
  return new YituError('YITU_ERR_IMPORT_FILE_MALFORMED', `${name} cannot be read as a GeoPackage: ${why}.`, {
    cause,
    errors: [{ reason: why }],
  });
}
