import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { YituError } from '../../../platform/errors.ts';
import type { ExportFormat } from '../types.ts';
import { streamCsvBytes } from './csv.ts';
import { GPKG_DEFAULT_MAX_FEATURES, tooManyFeatures, writeGeoPackage } from './geopackage.ts';
import { streamGeoJson } from './geojson.ts';
import { checkLayerName } from './names.ts';
import { writeShapefileZip } from './shapefile.ts';
import type { ExportInput, ExportOptions, ExportResult, ExportStats } from './types.ts';

export type { ExportFeature, ExportField, ExportInput, ExportOptions, ExportResult, ExportStats } from './types.ts';
export { streamGeoJson } from './geojson.ts';
export { streamCsv, streamCsvBytes } from './csv.ts';
export type { CsvOptions } from './csv.ts';
export { GPKG_DEFAULT_MAX_FEATURES } from './geopackage.ts';
export { SHP_DEFAULT_MAX_FILE_BYTES } from './shapefile.ts';
export { geometryToWkt } from './wkt.ts';

const EXTENSIONS: Record<ExportFormat, string> = {
  geojson: 'geojson',
  csv: 'csv',
  geopackage: 'gpkg',
  shapefile: 'zip',
};

/** The MIME type of an export in `format`. */
export function exportContentType(format: ExportFormat, options: ExportOptions = {}): string {
  switch (format) {
    case 'geojson':
      return 'application/geo+json';
    case 'csv':
      return `text/csv; charset=${options.encoding === 'gbk' ? 'GBK' : 'utf-8'}`;
    case 'geopackage':
      return 'application/geopackage+sqlite3';
    case 'shapefile':
      return 'application/zip';
  }
}

/** The file name of an export of `layerName` in `format` (`parcels.geojson`, `parcels.zip`…). */
export function exportFileName(format: ExportFormat, layerName: string): string {
  return `${layerName}.${EXTENSIONS[format]}`;
}

/**
 * Refuses an export before it starts when the feature count is known to exceed what the format
 * takes (GeoPackage: `maxFeatures`, default 2,000,000); the writers check again while writing.
 */
export function checkExportSize(format: ExportFormat, count: number, options: ExportOptions = {}): void {
  const limit = options.maxFeatures ?? GPKG_DEFAULT_MAX_FEATURES;
  if (format === 'geopackage' && count > limit) throw tooManyFeatures(limit);
}

/** True when `format` can be streamed straight to a response ({@link streamGeoJson}, {@link streamCsv}). */
export function isStreamable(format: ExportFormat): format is 'geojson' | 'csv' {
  return format === 'geojson' || format === 'csv';
}

/**
 * Writes an export file into `outDir` (created if missing): `<layerName>.geojson`, `.csv`,
 * `.gpkg` or `.zip` (Shapefile). The file is written under a `.part` name and renamed when
 * complete, so a failed export leaves nothing behind. Throws YITU_ERR_EXPORT_FORMAT_UNKNOWN for
 * another format, YITU_ERR_INPUT_INVALID for an unsafe layer name, YITU_ERR_PAYLOAD_TOO_LARGE
 * beyond a format's limits.
 */
export async function writeExport(
  format: ExportFormat,
  input: ExportInput,
  outDir: string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  if (!(format in EXTENSIONS)) {
    throw new YituError('YITU_ERR_EXPORT_FORMAT_UNKNOWN', `Unknown export format "${String(format)}": use geojson, csv, geopackage or shapefile.`);
  }
  checkLayerName(input.layerName);
  await mkdir(outDir, { recursive: true });
  const fileName = exportFileName(format, input.layerName);
  const path = join(outDir, fileName);
  const part = `${path}.part`;
  let count: number;
  try {
    switch (format) {
      case 'geojson': {
        const stats: ExportStats = { count: 0 };
        await pipeline(Readable.from(streamGeoJson(input, stats)), createWriteStream(part));
        count = stats.count;
        break;
      }
      case 'csv': {
        const stats: ExportStats = { count: 0 };
        await pipeline(Readable.from(streamCsvBytes(input, options, stats)), createWriteStream(part));
        count = stats.count;
        break;
      }
      case 'geopackage':
        count = await writeGeoPackage(input, part, options);
        break;
      case 'shapefile':
        count = await writeShapefileZip(input, part, options);
        break;
    }
    await rename(part, path);
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  }
  const { size } = await stat(path);
  return { path, contentType: exportContentType(format, options), fileName, count, bytes: size };
}
