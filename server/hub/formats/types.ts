import type { Geometry } from 'geojson';

/** File formats Yitu imports. */
export type ImportFormat = 'geojson' | 'ndjson' | 'csv' | 'shapefile' | 'geopackage' | 'flatgeobuf' | 'kml';

/** File formats Yitu exports. */
export type ExportFormat = 'geojson' | 'csv' | 'geopackage' | 'shapefile';

/** Text encodings a reader accepts; `auto` detects UTF-8 (with or without BOM) and falls back to GBK. */
export type TextEncoding = 'auto' | 'utf-8' | 'gbk' | 'gb18030';

/** A field a format declares in its schema (Shapefile DBF, GeoPackage, FlatGeobuf columns). */
export interface DeclaredField {
  name: string;
  /** The reader's best type hint from the file's own schema. */
  type: 'integer' | 'number' | 'text' | 'boolean' | 'date' | 'timestamp' | 'json';
}

/** One feature read from a file, in the file's own coordinate system. */
export interface SourceFeature {
  /** 1-based position of the feature (row) in the file, for error messages. */
  row: number;
  /** The feature's own id if the file has one (GeoJSON `id`, GeoPackage fid…). */
  id?: string | number;
  /** GeoJSON geometry in the source CRS; null for a feature without geometry. */
  geometry: Geometry | null;
  properties: Record<string, unknown>;
}

/** One row that could not be read; the import fails on it unless asked to skip bad rows. */
export interface SourceRowError {
  row: number;
  field?: string;
  reason: string;
  /** Marks this as an error entry in the stream. */
  error: true;
}

/** What a reader yields: a feature or a row it could not read. */
export type SourceItem = SourceFeature | SourceRowError;

/** Options every reader takes; each reader uses the ones that concern it. */
export interface ReaderOptions {
  encoding?: TextEncoding;
  /** CSV: column holding longitude / x; detected from common names when absent. */
  xField?: string;
  /** CSV: column holding latitude / y. */
  yField?: string;
  /** CSV: column holding WKT geometry. */
  wktField?: string;
  /** CSV: the delimiter; detected (comma, semicolon, tab) when absent. */
  delimiter?: string;
  /** GeoPackage: the layer (table) to read; the first feature table when absent. */
  layer?: string;
  /** Limit on uncompressed bytes read from archives (zip bomb defence). */
  maxUncompressedBytes?: number;
}

/** A file opened for reading. */
export interface OpenedSource {
  format: ImportFormat;
  /** EPSG code read from the file (`.prj`, GeoJSON `crs`, GeoPackage srs), when it says one. */
  crs?: number;
  /** The encoding actually used for text (CSV, DBF), when it applies. */
  encoding?: string;
  /** Fields the file declares, in order, when the format has a schema. */
  fields?: DeclaredField[];
  /** Layers available (GeoPackage), when the format has several. */
  layers?: string[];
  /** Estimated number of features, when cheaply known (for progress). */
  estimatedCount?: number;
  /** Total bytes of the input, and a function telling how many are read so far (for progress). */
  totalBytes?: number;
  bytesRead?: () => number;
  /** Streams the features. Throws a YituError for a fatal problem (truncated file…). */
  features(): AsyncIterable<SourceItem>;
  /** Releases file handles and temporary files. */
  close(): Promise<void>;
}

/** True for a row error entry. */
export function isRowError(item: SourceItem): item is SourceRowError {
  return (item as SourceRowError).error === true;
}
