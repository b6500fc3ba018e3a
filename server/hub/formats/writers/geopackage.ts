import { writeFile } from 'node:fs/promises';
import type { Geometry } from 'geojson';
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import { YituError } from '../../../platform/errors.ts';
import { encodeGeoPackageGeometry } from '../wkb.ts';
import { EnvelopeList, writeRtree } from './gpkg-rtree.ts';
import { createCoreTables, writeDataColumns } from './gpkg-schema.ts';
import { freeName, quoteIdent, uniqueNames } from './names.ts';
import type { ExportField, ExportInput, ExportOptions } from './types.ts';
import { toBooleanValue, toDateText, toJsonText, toNumeric, toText, toTimestampText } from './values.ts';

/**
 * GeoPackage 1.3 writer on sql.js.
 *
 * Memory: sql.js keeps the whole database in WebAssembly memory (its heap can grow to 4 GB) and
 * `export()` copies it once more into a JS buffer before it is written, so an export needs about
 * twice the finished file in RAM, plus 40 bytes per feature for the spatial index. A simple parcel
 * with eight attributes takes about 280 bytes (100,000 → 28 MB file, ~200 MB RSS in the tests);
 * detailed boundaries take far more. Exports are therefore refused above `maxFeatures` (default
 * 2,000,000, i.e. a file of roughly 0.5–2 GB), pointing to GeoJSON or CSV, which stream in
 * constant memory. Rows go in transactions of `batchSize` (default 5,000).
 */

/** Default feature limit of GeoPackage exports. */
export const GPKG_DEFAULT_MAX_FEATURES = 2_000_000;

let sqlJs: Promise<SqlJsStatic> | undefined;

/** The sql.js module, loaded once. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs();
  return sqlJs;
}

/** The error for an export larger than the GeoPackage writer accepts. */
export function tooManyFeatures(limit: number): YituError {
  return new YituError(
    'YITU_ERR_PAYLOAD_TOO_LARGE',
    `A GeoPackage export is built in memory and is limited to ${limit.toLocaleString('en')} features; ` +
      'this layer has more. Export it as GeoJSON or CSV (streamed), or filter it to fewer features.',
    { extra: { limit, format: 'geopackage' } },
  );
}

const GEOMETRY_TYPES: Record<string, string> = {
  point: 'POINT',
  linestring: 'LINESTRING',
  polygon: 'POLYGON',
  multipoint: 'MULTIPOINT',
  multilinestring: 'MULTILINESTRING',
  multipolygon: 'MULTIPOLYGON',
  geometrycollection: 'GEOMETRYCOLLECTION',
  geometry: 'GEOMETRY',
};

const SQL_TYPES: Record<ExportField['type'], string> = {
  integer: 'INTEGER',
  number: 'DOUBLE',
  text: 'TEXT',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'DATETIME',
  json: 'TEXT',
};

/** The SQLite value of a property, typed by its field. */
function sqlValue(field: ExportField, v: unknown): SqlValue | bigint {
  switch (field.type) {
    case 'integer':
    case 'number': {
      const n = toNumeric(v);
      if (n === null || typeof n === 'number') return n;
      if (field.type === 'integer' && /^-?\d+$/.test(n)) {
        const big = BigInt(n);
        return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : big;
      }
      return Number(n);
    }
    case 'boolean': {
      const b = toBooleanValue(v);
      return b === null ? null : b ? 1 : 0;
    }
    case 'date':
      return toDateText(v);
    case 'timestamp':
      return toTimestampText(v, true);
    case 'json':
      return toJsonText(v);
    default:
      return toText(v);
  }
}

/** A feature id usable as fid: a positive safe integer, or undefined. */
function fidOf(id: unknown): number | undefined {
  const n = typeof id === 'number' ? id : typeof id === 'string' && /^\d{1,15}$/.test(id) ? Number(id) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Column names of the feature table: primary key, geometry, then the fields. */
interface TableNames {
  pk: string;
  geom: string;
  fields: string[];
}

function tableNames(fields: ExportField[]): TableNames {
  const names = uniqueNames(fields.map((f) => f.name));
  const pk = freeName('fid', names);
  const geom = freeName('geom', [...names, pk]);
  return { pk, geom, fields: names };
}

function createTableSql(table: string, names: TableNames, fields: ExportField[], geomType: string): string {
  const cols = [
    `${quoteIdent(names.pk)} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`,
    `${quoteIdent(names.geom)} ${geomType}`,
    ...fields.map((f, i) => `${quoteIdent(names.fields[i])} ${SQL_TYPES[f.type]}`),
  ];
  return `CREATE TABLE ${quoteIdent(table)} (${cols.join(', ')})`;
}

/** The geometry type name to declare, from the hint and the types actually written. */
function finalGeometryType(declared: string, seen: Set<string>): string {
  if (declared !== 'GEOMETRY' && [...seen].every((t) => t === declared)) return declared;
  if (seen.size === 1) return [...seen][0];
  return seen.size === 0 ? declared : 'GEOMETRY';
}

/**
 * Writes `input` as a GeoPackage 1.3 file at `path` (one feature table named after the layer,
 * `fid` primary key — the feature id when it is a positive integer —, `geom` geometry column,
 * typed columns, R-tree index unless `spatialIndex: false`). Returns the feature count.
 * Throws YITU_ERR_PAYLOAD_TOO_LARGE beyond `maxFeatures`.
 */
export async function writeGeoPackage(input: ExportInput, path: string, options: ExportOptions = {}): Promise<number> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    const count = await fillDatabase(db, input, options);
    await writeFile(path, db.export());
    return count;
  } finally {
    db.close();
  }
}

async function fillDatabase(db: Database, input: ExportInput, options: ExportOptions): Promise<number> {
  const limit = options.maxFeatures ?? GPKG_DEFAULT_MAX_FEATURES;
  const batch = Math.max(1, options.batchSize ?? 5000);
  const crs = input.crs ?? 4326;
  const table = input.layerName;
  const names = tableNames(input.fields);
  const declared = GEOMETRY_TYPES[(input.geometryType ?? 'geometry').toLowerCase()] ?? 'GEOMETRY';

  createCoreTables(db, crs, input.crsWkt);
  const createSql = createTableSql(table, names, input.fields, declared);
  db.run(createSql);
  db.run(
    "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) VALUES (?, 'features', ?, '', ?, ?)",
    [table, input.title || table, new Date().toISOString(), crs],
  );

  const cols = [names.pk, names.geom, ...names.fields].map(quoteIdent).join(', ');
  const marks = new Array(names.fields.length + 2).fill('?').join(', ');
  const insert = db.prepare(`INSERT INTO ${quoteIdent(table)} (${cols}) VALUES (${marks})`);
  const index = options.spatialIndex === false ? null : new EnvelopeList();
  const seen = new Set<string>();
  let zCount = 0;
  let nonEmpty = 0;
  let [minx, miny, maxx, maxy] = [Infinity, Infinity, -Infinity, -Infinity];
  let maxFid = 0;
  let count = 0;
  let open = false;
  try {
    for await (const f of input.features) {
      if (++count > limit) throw tooManyFeatures(limit);
      if (!open) {
        db.run('BEGIN');
        open = true;
      }
      const row: (SqlValue | bigint)[] = [null, null];
      for (let i = 0; i < input.fields.length; i++) {
        row.push(sqlValue(input.fields[i], f.properties[input.fields[i].name]));
      }
      let env: [number, number, number, number] | null = null;
      if (f.geometry) {
        const g = encodeGeoPackageGeometry(f.geometry as Geometry, crs);
        row[1] = g.blob;
        seen.add(GEOMETRY_TYPES[f.geometry.type.toLowerCase()]);
        env = g.envelope;
        if (env) {
          nonEmpty++;
          if (g.hasZ) zCount++;
          minx = Math.min(minx, env[0]);
          maxx = Math.max(maxx, env[1]);
          miny = Math.min(miny, env[2]);
          maxy = Math.max(maxy, env[3]);
        }
      }
      let fid = fidOf(f.id) ?? maxFid + 1;
      row[0] = fid;
      try {
        insert.run(row as SqlValue[]);
      } catch (e) {
        if (!/UNIQUE constraint failed/.test((e as Error).message)) throw e;
        insert.reset();
        fid = maxFid + 1; // duplicate id: give this row a new fid
        row[0] = fid;
        insert.run(row as SqlValue[]);
      }
      maxFid = Math.max(maxFid, fid);
      if (index && env) index.add(fid, env[0], env[1], env[2], env[3]);
      if (count % batch === 0) {
        db.run('COMMIT');
        open = false;
      }
    }
    if (open) db.run('COMMIT');
    open = false;
  } catch (e) {
    if (open) db.run('ROLLBACK');
    throw e;
  } finally {
    insert.free();
  }

  const geomType = finalGeometryType(declared, seen);
  if (geomType !== declared) {
    // The declared column type must equal geometry_type_name; only the schema text changes (blobs keep their storage).
    db.run('PRAGMA writable_schema = ON');
    db.run("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", [
      createTableSql(table, names, input.fields, geomType),
      table,
    ]);
    db.run('PRAGMA writable_schema = OFF');
    const version = Number(db.exec('PRAGMA schema_version')[0].values[0][0]);
    db.run(`PRAGMA schema_version = ${version + 1}`);
  }
  const z = zCount === 0 ? 0 : zCount === nonEmpty ? 1 : 2;
  db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, ?, 0)', [table, names.geom, geomType, crs, z]);
  if (nonEmpty > 0) {
    db.run('UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?', [minx, miny, maxx, maxy, table]);
  }
  writeDataColumns(
    db,
    table,
    input.fields.map((f, i) => ({ column: names.fields[i], title: f.title, mimeType: f.type === 'json' ? 'application/json' : undefined })),
  );
  if (index) {
    db.run("INSERT INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')", [
      table,
      names.geom,
    ]);
    writeRtree(db, table, names.geom, names.pk, index);
  }
  return count;
}
