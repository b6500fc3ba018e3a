/** What the browser can tell about a file before it is uploaded. */
export interface FilePreview {
  format: 'geojson' | 'ndjson' | 'csv' | 'shapefile' | 'geopackage' | 'flatgeobuf' | 'kml' | 'unknown';
  /** Field names and a guessed type, when the format is readable here. */
  fields: Array<{ name: string; type: string }>;
  /** First rows (properties). */
  sample: Array<Record<string, unknown>>;
  /** Feature count (GeoJSON read whole) or rows seen. */
  count: number | null;
  geometryTypes: string[];
  /** CRS the file declares (GeoJSON `crs` member), as an EPSG code. */
  crs: number | null;
  /** CSV coordinate columns found by name. */
  x?: string;
  y?: string;
}

/** Format of a file by its name. */
export function formatOf(name: string): FilePreview['format'] {
  const n = name.toLowerCase();
  if (/\.(geo)?json$/.test(n)) return 'geojson';
  if (/\.(nd|geo)jsonl?$|\.ndjson$|\.jsonl$/.test(n)) return 'ndjson';
  if (/\.(csv|tsv|txt)$/.test(n)) return 'csv';
  if (/\.(zip|shp)$/.test(n)) return 'shapefile';
  if (/\.gpkg$/.test(n)) return 'geopackage';
  if (/\.fgb$/.test(n)) return 'flatgeobuf';
  if (/\.kml$/.test(n)) return 'kml';
  return 'unknown';
}

/** A dataset id from a file name, as the server derives it (`土地 parcels-2024.zip` → `parcels_2024`). */
export function datasetIdFromFileName(name: string): string {
  const base = name.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const id = /^[a-z]/.test(base) ? base : `dataset_${base}`;
  return id.replace(/_+$/, '').slice(0, 63) || 'dataset';
}

function typeOf(values: unknown[]): string {
  const v = values.filter((x) => x !== null && x !== undefined && x !== '');
  if (!v.length) return 'text';
  if (v.every((x) => typeof x === 'boolean')) return 'boolean';
  if (v.every((x) => typeof x === 'number' || (typeof x === 'string' && /^-?\d+(\.\d+)?$/.test(x) && !/^0\d/.test(x)))) {
    return v.every((x) => Number.isInteger(Number(x))) ? 'integer' : 'number';
  }
  if (v.every((x) => typeof x === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(x))) return 'date';
  if (v.every((x) => typeof x === 'object')) return 'json';
  return 'text';
}

function fieldsOf(rows: Array<Record<string, unknown>>): FilePreview['fields'] {
  const names: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!names.includes(k)) names.push(k);
  return names.map((name) => ({ name, type: typeOf(rows.map((r) => r[name])) }));
}

function splitCsvLine(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const X_NAMES = /^(x|lon|lng|long|longitude|经度|东经|横坐标)$/i;
const Y_NAMES = /^(y|lat|latitude|纬度|北纬|纵坐标)$/i;

/** Reads what it can of a file in the browser: GeoJSON up to 50 MB whole, CSV/NDJSON from their first 256 KB. */
export async function previewFile(file: File): Promise<FilePreview> {
  const format = formatOf(file.name);
  const empty: FilePreview = { format, fields: [], sample: [], count: null, geometryTypes: [], crs: null };
  if (format === 'geojson' && file.size <= 50 * 1024 * 1024) {
    const doc = JSON.parse(await file.text()) as { type?: string; features?: GeoJSON.Feature[]; crs?: { properties?: { name?: string } } };
    const features = doc.type === 'FeatureCollection' ? (doc.features ?? []) : doc.type === 'Feature' ? [doc as unknown as GeoJSON.Feature] : [];
    const rows = features.slice(0, 200).map((f) => (f.properties ?? {}) as Record<string, unknown>);
    const epsg = /EPSG:{1,2}(\d+)/i.exec(doc.crs?.properties?.name ?? '')?.[1];
    return {
      ...empty,
      fields: fieldsOf(rows),
      sample: rows.slice(0, 5),
      count: features.length,
      geometryTypes: [...new Set(features.map((f) => f.geometry?.type ?? 'null'))],
      crs: epsg && epsg !== '4326' ? Number(epsg) : null,
    };
  }
  if (format === 'csv' || format === 'ndjson') {
    const text = await file.slice(0, 256 * 1024).text();
    const lines = text.split(/\r?\n/).filter((l) => l.trim());
    if (file.size > 256 * 1024) lines.pop(); // probably cut
    if (format === 'ndjson') {
      const feats = lines.slice(0, 200).map((l) => JSON.parse(l) as GeoJSON.Feature);
      const rows = feats.map((f) => (f.properties ?? {}) as Record<string, unknown>);
      return { ...empty, fields: fieldsOf(rows), sample: rows.slice(0, 5), count: file.size <= 256 * 1024 ? feats.length : null, geometryTypes: [...new Set(feats.map((f) => f.geometry?.type ?? 'null'))] };
    }
    const head = lines[0] ?? '';
    const sep = [',', '\t', ';'].sort((a, b) => head.split(b).length - head.split(a).length)[0];
    const names = splitCsvLine(head.replace(/^\uFEFF/, ''), sep).map((s) => s.trim());
    const rows = lines.slice(1, 201).map((l) => Object.fromEntries(splitCsvLine(l, sep).map((v, i) => [names[i] ?? `col${i + 1}`, v])));
    const x = names.find((n) => X_NAMES.test(n));
    const y = names.find((n) => Y_NAMES.test(n));
    return { ...empty, fields: fieldsOf(rows), sample: rows.slice(0, 5), count: file.size <= 256 * 1024 ? rows.length : null, geometryTypes: x && y ? ['Point'] : [], ...(x ? { x } : {}), ...(y ? { y } : {}) };
  }
  return empty;
}
