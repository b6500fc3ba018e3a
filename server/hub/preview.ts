import type { Geometry } from 'geojson';
import type { OpenSourceOptions } from './formats/open-source.ts';
import { isRowError, type ImportFormat, type OpenedSource, type SourceRowError } from './formats/types.ts';
import { geometryToWkt } from './formats/writers/wkt.ts';
import type { ColumnType, DatasetColumn } from './model.ts';
import { SchemaInferrer, buildColumns } from './schema-infer.ts';

/** Most features a preview reads to infer the columns. */
export const PREVIEW_MAX_SAMPLE = 1000;
/** Rows a preview returns. */
export const PREVIEW_ROWS = 10;
const MAX_WKT = 200;
const MAX_TEXT = 200;
const MAX_PROBLEMS = 50;

/** Where the CRS of a preview comes from. */
export type PreviewCrsSource = 'given' | 'prj' | 'geojson' | 'geopackage' | 'flatgeobuf' | 'kml' | 'default';

/** What a preview tells about a file before it is imported. */
export interface FilePreview {
  format: ImportFormat;
  /** Layers of a multi-layer file (GeoPackage), and the one read; null when the format has one. */
  layers: string[] | null;
  layer: string | null;
  /** Text encoding used (CSV, DBF, KML), or null when it does not apply. */
  encoding: string | null;
  crs: {
    /** EPSG code the import would use. */
    epsg: number;
    source: PreviewCrsSource;
    /** Set when the file's CRS is unknown or not recognised: what to do about it. */
    note?: string;
  };
  geometryTypes: string[];
  /** Whether only the first features were read, and how many items (features and unreadable rows). */
  sampled: boolean;
  read: number;
  /** The columns as an import would create them (safe name, original title, inferred type). */
  columns: DatasetColumn[];
  /** The first rows: properties by original name, geometry as (shortened) WKT. */
  rows: Array<{ row: number; properties: Record<string, unknown>; geometry: string | null }>;
  /** Rows of the sample that cannot be read, and notes of the reader. */
  problems: Array<{ row: number; field?: string; reason: string }>;
  notes: string[];
}

/** Options of a preview: the reader options of an import, plus type overrides. */
export interface PreviewRequest extends OpenSourceOptions {
  file: string;
  originalName: string;
  /** EPSG code given by the user (overrides the file's). */
  crs?: number;
  /** Column types to use instead of the inferred ones (by original or safe name). */
  types?: Record<string, ColumnType>;
  /** Features to read for the schema (at most {@link PREVIEW_MAX_SAMPLE}). */
  sample?: number;
}

/** Collaborators of the preview: how files are opened (the hub's reader dispatcher). */
export interface PreviewDeps {
  openSource: (path: string, opts: OpenSourceOptions) => Promise<OpenedSource>;
}

function shorten(v: unknown): unknown {
  if (typeof v === 'string' && v.length > MAX_TEXT) return `${v.slice(0, MAX_TEXT)}…`;
  if (typeof v === 'object' && v !== null) {
    const s = JSON.stringify(v);
    return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : v;
  }
  return v;
}

function wkt(g: Geometry | null): string | null {
  if (!g) return null;
  const s = geometryToWkt(g);
  return s.length > MAX_WKT ? `${s.slice(0, MAX_WKT)}…` : s;
}

function crsOf(req: PreviewRequest, source: OpenedSource, notes: string[]): FilePreview['crs'] {
  if (req.crs) return { epsg: req.crs, source: 'given' };
  if (source.crs) {
    const from: Record<ImportFormat, PreviewCrsSource> = {
      shapefile: 'prj',
      geojson: 'geojson',
      ndjson: 'geojson',
      geopackage: 'geopackage',
      flatgeobuf: 'flatgeobuf',
      kml: 'kml',
      csv: 'default',
    };
    return { epsg: source.crs, source: from[source.format] };
  }
  const declared = (source as { crsName?: string }).crsName;
  const prjNote = notes.find((n) => /coordinate system/i.test(n));
  const note = declared
    ? `The file declares the CRS "${declared}", which is not recognised; EPSG:4326 is assumed. Choose the right one.`
    : prjNote
      ? `${prjNote} EPSG:4326 is assumed until you choose one.`
      : 'The file does not say its coordinate system; EPSG:4326 (longitude/latitude) is assumed. Choose another if the coordinates are projected.';
  return { epsg: 4326, source: 'default', note };
}

/**
 * Reads the first features of an uploaded file with the import's readers and tells what an import
 * would see: format, layers, encoding, CRS, geometry types, inferred columns, the first rows and
 * the unreadable rows of the sample. Writes nothing; the caller removes the upload.
 */
export async function previewFile(deps: PreviewDeps, req: PreviewRequest): Promise<FilePreview> {
  const { file, crs: _crs, types, sample, ...opts } = req;
  const limit = Math.max(1, Math.min(sample ?? PREVIEW_MAX_SAMPLE, PREVIEW_MAX_SAMPLE));
  const source = await deps.openSource(file, opts);
  try {
    const inferrer = new SchemaInferrer();
    const geometryTypes = new Set<string>();
    const rows: FilePreview['rows'] = [];
    const problems: FilePreview['problems'] = [];
    let read = 0;
    let more = false;
    const it = source.features()[Symbol.asyncIterator]();
    try {
      for (;;) {
        const n = await it.next();
        if (n.done) break;
        if (read >= limit) {
          more = true;
          break;
        }
        read++;
        const item = n.value;
        if (isRowError(item)) {
          const e: SourceRowError = item;
          if (problems.length < MAX_PROBLEMS) problems.push({ row: e.row, ...(e.field ? { field: e.field } : {}), reason: e.reason });
          continue;
        }
        inferrer.observe(item.properties);
        geometryTypes.add(item.geometry?.type ?? 'null');
        if (rows.length < PREVIEW_ROWS) {
          const properties: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(item.properties)) properties[k] = shorten(v);
          rows.push({ row: item.row, properties, geometry: wkt(item.geometry) });
        }
      }
    } finally {
      await it.return?.();
    }
    const notes = [...((source as { notes?: string[] }).notes ?? [])];
    const layers = source.layers ?? null;
    return {
      format: source.format,
      layers,
      layer: layers ? (opts.layer && layers.find((l) => l.toLowerCase() === opts.layer!.toLowerCase())) || layers[0] : null,
      encoding: source.encoding ?? null,
      crs: crsOf(req, source, notes),
      geometryTypes: [...geometryTypes],
      sampled: more,
      read,
      columns: buildColumns(inferrer, types),
      rows,
      problems,
      notes,
    };
  } finally {
    await source.close();
  }
}
