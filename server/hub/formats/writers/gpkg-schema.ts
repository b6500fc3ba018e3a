import type { Database } from 'sql.js';
import { crsDefinition, wktName } from './crs-defs.ts';

/** GeoPackage 1.3 core tables (OGC 12-128r17, Annex C), and the schema extension's two tables. */

/** `PRAGMA application_id`: "GPKG" as a big-endian 32-bit integer. */
export const GPKG_APPLICATION_ID = 0x47504b47;
/** `PRAGMA user_version` of GeoPackage 1.3.0. */
export const GPKG_USER_VERSION = 10300;

const CORE_DDL = `
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);
`;

const SCHEMA_DDL = `
CREATE TABLE gpkg_data_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  name TEXT,
  title TEXT,
  description TEXT,
  mime_type TEXT,
  constraint_name TEXT,
  CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),
  CONSTRAINT gdc_tn UNIQUE (table_name, name)
);
CREATE TABLE gpkg_data_column_constraints (
  constraint_name TEXT NOT NULL,
  constraint_type TEXT NOT NULL,
  value TEXT,
  min NUMERIC,
  min_is_inclusive BOOLEAN,
  max NUMERIC,
  max_is_inclusive BOOLEAN,
  description TEXT,
  CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value)
);
`;

/**
 * Sets the GeoPackage header values and creates the core tables with the three mandatory
 * `gpkg_spatial_ref_sys` rows (-1, 0, 4326) plus the layer's CRS. A CRS the writers have no
 * definition of is recorded from `crsWkt`, else with the definition `undefined`.
 */
export function createCoreTables(db: Database, crs: number, crsWkt?: string): void {
  db.run(`PRAGMA application_id = ${GPKG_APPLICATION_ID}`);
  db.run(`PRAGMA user_version = ${GPKG_USER_VERSION}`);
  db.exec(CORE_DDL);
  const ins = 'INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)';
  db.run(ins, ['Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system']);
  db.run(ins, ['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system']);
  const wgs84 = crsDefinition(4326)!;
  db.run(ins, [wgs84.name, 4326, 'EPSG', 4326, wgs84.wkt, wgs84.description]);
  if (crs === 4326 || crs === 0 || crs === -1) return;
  const def = crsDefinition(crs);
  if (def) db.run(ins, [def.name, crs, 'EPSG', crs, def.wkt, def.description]);
  else db.run(ins, [(crsWkt && wktName(crsWkt)) || `EPSG:${crs}`, crs, 'EPSG', crs, crsWkt || 'undefined', null]);
}

/** One row of `gpkg_data_columns`. */
export interface DataColumn {
  column: string;
  title?: string;
  mimeType?: string;
}

/**
 * Writes `gpkg_data_columns` (schema extension): each field's title in both `name` (which GDAL
 * reads as the field's alternative name, QGIS as its alias) and `title`, and `application/json`
 * as the MIME type of JSON fields (GDAL reads them as JSON strings). A title used twice is kept in
 * `title` only, since `name` is unique per table. Nothing is written when there is nothing to say.
 */
export function writeDataColumns(db: Database, table: string, columns: DataColumn[]): void {
  const rows = columns.filter((c) => c.title || c.mimeType);
  if (!rows.length) return;
  db.exec(SCHEMA_DDL);
  const names = new Set<string>();
  for (const c of rows) {
    const name = c.title && !names.has(c.title) ? c.title : null;
    if (name) names.add(name);
    db.run('INSERT INTO gpkg_data_columns (table_name, column_name, name, title, mime_type) VALUES (?, ?, ?, ?, ?)', [
      table,
      c.column,
      name,
      c.title ?? null,
      c.mimeType ?? null,
    ]);
  }
  for (const t of ['gpkg_data_columns', 'gpkg_data_column_constraints']) {
    db.run("INSERT INTO gpkg_extensions VALUES (?, NULL, 'gpkg_schema', 'http://www.geopackage.org/spec121/#extension_schema', 'read-write')", [t]);
  }
}
