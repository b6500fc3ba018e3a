import { ApiError, csrfHeaders } from '../app/api.ts';
import type { ColumnType } from '../app/api-types.ts';

/** Column types an import accepts as overrides (`types`). */
export const COLUMN_TYPES: readonly ColumnType[] = ['text', 'integer', 'number', 'boolean', 'date', 'timestamp', 'json'];

/** What the server tells about a file before it is imported (`POST /datasets/preview`). */
export interface FilePreview {
  format: 'geojson' | 'ndjson' | 'csv' | 'shapefile' | 'geopackage' | 'flatgeobuf' | 'kml';
  /** Layers of a multi-layer file and the one read; null for single-layer formats. */
  layers: string[] | null;
  layer: string | null;
  encoding: string | null;
  crs: { epsg: number; source: 'given' | 'prj' | 'geojson' | 'geopackage' | 'flatgeobuf' | 'kml' | 'default'; note?: string };
  geometryTypes: string[];
  /** True when only the first `read` features were read. */
  sampled: boolean;
  read: number;
  /** Columns as the import would create them: safe name, original title, inferred type. */
  columns: Array<{ name: string; title: string; type: ColumnType }>;
  rows: Array<{ row: number; properties: Record<string, unknown>; geometry: string | null }>;
  problems: Array<{ row: number; field?: string; reason: string }>;
  notes: string[];
}

/** Reader options sent with a preview (and the import), as the import form names them. */
export interface PreviewOptions {
  crs?: string;
  encoding?: string;
  layer?: string;
  x?: string;
  y?: string;
  types?: Record<string, ColumnType>;
}

/** Adds the reader options that are set to a form. */
export function setReaderOptions(form: FormData, o: PreviewOptions): void {
  if (o.crs) form.set('crs', o.crs);
  if (o.encoding) form.set('encoding', o.encoding);
  if (o.layer) form.set('layer', o.layer);
  if (o.x) form.set('x', o.x);
  if (o.y) form.set('y', o.y);
  if (o.types && Object.keys(o.types).length) form.set('types', JSON.stringify(o.types));
}

/**
 * Asks the server to read the file as an import would (every format, with the import's own
 * readers), without importing it. The file is uploaded once per preview; the server keeps nothing.
 */
export async function previewFile(file: File, o: PreviewOptions = {}): Promise<FilePreview> {
  const form = new FormData();
  setReaderOptions(form, o);
  form.set('file', file, file.name);
  const res = await fetch('/datasets/preview', { method: 'POST', body: form, headers: { accept: 'application/json', ...csrfHeaders() } });
  const body = (await res.json().catch(() => ({}))) as FilePreview & { detail?: string; code?: string };
  if (!res.ok) throw new ApiError(body.detail ?? `${res.status}`, res.status, body.code);
  return body;
}

/** A dataset id from a file name, as the server derives it (`土地 parcels-2024.zip` → `parcels_2024`). */
export function datasetIdFromFileName(name: string): string {
  const base = name.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const id = /^[a-z]/.test(base) ? base : `dataset_${base}`;
  return id.replace(/_+$/, '').slice(0, 63) || 'dataset';
}
