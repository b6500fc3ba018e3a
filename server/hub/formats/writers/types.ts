import type { Geometry } from 'geojson';

/** A column of an exported layer. */
export interface ExportField {
  /** Column name as stored in Yitu (safe, may contain Chinese characters). */
  name: string;
  /** Human title (may be Chinese); CSV can use it as header, GeoPackage records it in `gpkg_data_columns`. */
  title?: string;
  type: 'integer' | 'number' | 'text' | 'boolean' | 'date' | 'timestamp' | 'json';
}

/** One feature handed to a writer. */
export interface ExportFeature {
  id: string | number;
  /** Geometry in the CRS given by {@link ExportInput.crs}; null for a feature without geometry. */
  geometry: Geometry | null;
  properties: Record<string, unknown>;
}

/** What every writer takes. */
export interface ExportInput {
  /** Safe name, e.g. `land_use_parcels`: used for file names and the GeoPackage table. */
  layerName: string;
  /** Human title, may be Chinese. */
  title?: string;
  /** The columns, in order. Only these properties are exported; a missing property is null. */
  fields: ExportField[];
  /** The features, streamed; read once. */
  features: AsyncIterable<ExportFeature>;
  /** EPSG code of the geometries; default 4326 (the caller transforms in PostGIS first). */
  crs?: number;
  /**
   * OGC WKT 1 of `crs` (e.g. PostGIS `spatial_ref_sys.srtext`), used when `crs` is not one of the
   * definitions the writers carry (4326, 4490, 3857 and the CGCS2000 Gauss-Krüger zones 4491–4554).
   */
  crsWkt?: string;
  /** Geometry type when known, e.g. `Point`, `MultiPolygon`, `Geometry`. */
  geometryType?: string;
}

/** Options of {@link writeExport}; each writer uses the ones that concern it. */
export interface ExportOptions {
  /** CSV: text encoding. `utf-8` (default) writes a BOM; `gbk` writes none. */
  encoding?: 'utf-8' | 'gbk';
  /** CSV: header row from field names (default) or from field titles (falling back to names). */
  csvHeader?: 'name' | 'title';
  /** GeoPackage: refuse more features than this (the database is built in memory); default 2,000,000. */
  maxFeatures?: number;
  /** GeoPackage: build the R-tree spatial index; default true. */
  spatialIndex?: boolean;
  /** GeoPackage: rows per transaction; default 5,000. */
  batchSize?: number;
  /** Shapefile: byte limit of each .shp/.dbf; default 2 GB − 1 (the format's practical limit). */
  maxFileBytes?: number;
}

/** A written export file. */
export interface ExportResult {
  /** Absolute or outDir-relative path of the file written. */
  path: string;
  /** MIME type for the HTTP response. */
  contentType: string;
  /** File name for `Content-Disposition`. */
  fileName: string;
  /** Number of features exported. */
  count: number;
  /** Size of the file in bytes. */
  bytes: number;
}

/** Features read so far by a streaming writer (filled in while it runs). */
export interface ExportStats {
  count: number;
}
