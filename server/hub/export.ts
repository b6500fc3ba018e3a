import type { Geometry } from 'geojson';
import type { Db } from '../platform/db.ts';
import { ident } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import type { ExportFormat } from './formats/types.ts';
import { type ExportFeature, type ExportInput, type ExportResult, streamCsv, streamGeoJson, writeExport } from './formats/writers/index.ts';
import { type Dataset, aliveAt, assertVersion, tableOf } from './model.ts';
import { scopeSql } from './scope.ts';

/** Rows per page when reading a dataset for export (keyset paging: constant memory, short statements). */
const PAGE = 10_000;

/** Names accepted for each export format. */
const FORMAT_ALIASES: Record<string, ExportFormat> = {
  geojson: 'geojson', json: 'geojson', csv: 'csv', geopackage: 'geopackage', gpkg: 'geopackage', shapefile: 'shapefile', shp: 'shapefile', zip: 'shapefile',
};

/** Resolves a format name or fails listing the formats. */
export function exportFormat(name: string | undefined): ExportFormat {
  const f = FORMAT_ALIASES[(name ?? 'geojson').toLowerCase()];
  if (!f) throw new YituError('YITU_ERR_EXPORT_FORMAT_UNKNOWN', `"${name}" is not an export format; use geojson, csv, geopackage (gpkg) or shapefile (shp).`);
  return f;
}

/** What an export is limited to and told about. */
export interface ExportOptions {
  /**
   * Region codes the reader's access is limited to (from the access guard): only features
   * intersecting them are exported. Not applied to datasets without geometry (kind `table`).
   */
  scope?: readonly string[] | null;
  /** Called once every feature has been read, with their number (for the audit trail). */
  onDone?: (featureCount: number) => void;
}

/**
 * Streams a dataset's features (current or as of `version`), ordered by feature id, page by page,
 * within `opts.scope` when given.
 */
export async function* readFeatures(db: Db, ds: Dataset, version?: number, opts: ExportOptions = {}): AsyncIterable<ExportFeature> {
  const t = tableOf(ds.id);
  const cols = ds.columns.map((c) => ident(c.name));
  const scoped = opts.scope && ds.kind === 'features' ? opts.scope : null;
  // $1 is the page's last id, $2 the version (when given), the scope's codes after them.
  const base = version ? [version] : [];
  let where = version ? aliveAt('$2') : '_vto IS NULL';
  if (scoped) where += ` AND ${scopeSql('t.geom', scoped, () => `$${base.length + 2}`)}`;
  const extra = scoped ? [...base, [...scoped]] : base;
  let count = 0;
  let after = 0;
  // row_to_json over a sub-select keeps the column order and, unlike json_build_object, has no
  // 100-argument limit (tables with 50+ columns, such as the enterprise indicators, are common).
  const props = cols.length ? `(SELECT row_to_json(x) FROM (SELECT ${cols.map((c) => `t.${c}`).join(', ')}) x)` : `'{}'::json`;
  for (;;) {
    const r = await db.query<{ _fid: number; g: Geometry | null; p: Record<string, unknown> }>(
      `SELECT _fid, ST_AsGeoJSON(geom, 9)::json AS g, ${props} AS p
       FROM ${t} t WHERE _fid > $1 AND ${where} ORDER BY _fid LIMIT ${PAGE}`,
      [after, ...extra],
    );
    for (const row of r.rows) yield { id: row._fid, geometry: row.g, properties: row.p };
    count += r.rows.length;
    if (r.rows.length < PAGE) {
      opts.onDone?.(count);
      return;
    }
    after = r.rows[r.rows.length - 1]._fid;
  }
}

function exportInput(db: Db, ds: Dataset, version: number | undefined, opts: ExportOptions): ExportInput {
  if (version !== undefined) assertVersion(ds, version);
  return {
    layerName: ds.id,
    title: ds.title.zh || ds.title.en || ds.id,
    fields: ds.columns.map((c) => ({ name: c.name, title: c.title, type: c.type })),
    features: readFeatures(db, ds, version, opts),
    ...(ds.geometryType ? { geometryType: ds.geometryType } : {}),
  };
}

/** Writes an export file into `outDir` and returns where it is. */
export async function exportToFile(db: Db, ds: Dataset, format: ExportFormat, outDir: string, version?: number, opts: ExportOptions = {}): Promise<ExportResult> {
  return writeExport(format, exportInput(db, ds, version, opts), outDir);
}

/** Streams GeoJSON or CSV text for an HTTP response without a temporary file. */
export function exportStream(db: Db, ds: Dataset, format: 'geojson' | 'csv', version?: number, opts: ExportOptions = {}): AsyncIterable<string> {
  const input = exportInput(db, ds, version, opts);
  return format === 'geojson' ? streamGeoJson(input) : streamCsv(input);
}
