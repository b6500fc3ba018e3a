import iconv from 'iconv-lite';
import type { ExportFeature, ExportField, ExportInput, ExportStats } from './types.ts';
import { CHUNK_CHARS } from './geojson.ts';
import { freeName } from './names.ts';
import { numericText, toBooleanValue, toDateText, toJsonText, toNumeric, toText, toTimestampText } from './values.ts';
import { geometryToWkt } from './wkt.ts';

/** Options of the CSV writer. */
export interface CsvOptions {
  /** Header row from field names (default) or titles (falling back to names). */
  csvHeader?: 'name' | 'title';
  /** `utf-8` (default) or `gbk`; only {@link streamCsvBytes} and the file writer encode. */
  encoding?: 'utf-8' | 'gbk';
  /** Start with a UTF-8 BOM; default true for UTF-8. Never written for GBK. */
  bom?: boolean;
}

/** Features buffered at most while looking for the first geometry (to decide on lon/lat columns). */
const PEEK_LIMIT = 100;

/** Quotes one CSV field per RFC 4180 when it holds a comma, a quote, CR or LF. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV text of a property value of a field (empty for null). */
export function csvValue(field: ExportField, v: unknown): string {
  let s: string | null;
  switch (field.type) {
    case 'integer':
    case 'number': {
      const n = toNumeric(v);
      s = n === null ? null : numericText(n);
      break;
    }
    case 'boolean': {
      const b = toBooleanValue(v);
      s = b === null ? null : String(b);
      break;
    }
    case 'date':
      s = toDateText(v);
      break;
    case 'timestamp':
      s = toTimestampText(v);
      break;
    case 'json':
      s = toJsonText(v);
      break;
    default:
      s = toText(v);
  }
  return s === null ? '' : csvField(s);
}

/** True when a geometry type hint names a layer without geometry. */
function noGeometry(hint: string | undefined): boolean {
  return hint !== undefined && /^(none|null)$/i.test(hint);
}

/**
 * Streams CSV text (RFC 4180: CRLF line ends, fields quoted when needed, quotes doubled).
 * The first chunk starts with a UTF-8 BOM (U+FEFF) unless `bom: false`: without it Excel in
 * Chinese locales reads the file as GBK and garbles every Chinese character.
 * Columns: the declared fields in order, then `wkt` (the geometry as WKT), then `longitude` and
 * `latitude` for a point layer — the `geometryType` hint is `Point`, or, without any hint, the
 * first geometry is a point (then non-point rows leave them empty). `geometryType: 'None'` writes
 * no geometry columns. Geometry column names get a suffix if a field already uses them.
 * JSON fields are serialised as JSON text; timestamps are ISO 8601; dates `YYYY-MM-DD`.
 * Note Excel cuts cells at 32,767 characters, which large polygons' WKT can exceed.
 */
export async function* streamCsv(
  input: ExportInput,
  options: CsvOptions = {},
  stats: ExportStats = { count: 0 },
): AsyncIterable<string> {
  const it = input.features[Symbol.asyncIterator]();
  try {
    const peeked: ExportFeature[] = [];
    const spatial = !noGeometry(input.geometryType);
    let pointLayer = false;
    if (spatial) {
      const hint = input.geometryType;
      if (hint) pointLayer = /^point$/i.test(hint);
      else {
        while (peeked.length < PEEK_LIMIT) {
          const r = await it.next();
          if (r.done) break;
          peeked.push(r.value);
          if (r.value.geometry) {
            pointLayer = r.value.geometry.type === 'Point';
            break;
          }
        }
      }
    }

    const useTitles = options.csvHeader === 'title';
    const header = input.fields.map((f) => (useTitles && f.title ? f.title : f.name));
    const geomCols: string[] = [];
    if (spatial) {
      const taken = [...header];
      for (const c of pointLayer ? ['wkt', 'longitude', 'latitude'] : ['wkt']) {
        const n = freeName(c, taken);
        taken.push(n);
        geomCols.push(n);
      }
    }
    const bom = options.bom ?? (options.encoding ?? 'utf-8') === 'utf-8';
    let buf = `${bom ? '\uFEFF' : ''}${[...header, ...geomCols].map(csvField).join(',')}\r\n`;

    const row = (f: ExportFeature): string => {
      const cells = input.fields.map((fd) => csvValue(fd, f.properties[fd.name]));
      if (spatial) {
        const g = f.geometry;
        cells.push(g ? csvField(geometryToWkt(g)) : '');
        if (pointLayer) {
          const p = g && g.type === 'Point' && g.coordinates.length >= 2 ? g.coordinates : null;
          cells.push(p ? String(p[0]) : '', p ? String(p[1]) : '');
        }
      }
      return `${cells.join(',')}\r\n`;
    };

    for (const f of peeked) {
      buf += row(f);
      stats.count++;
    }
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      buf += row(r.value);
      stats.count++;
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
    yield buf;
  } finally {
    // closes the source (a database cursor) when the consumer stops early
    await it.return?.();
  }
}

/**
 * Streams the CSV as bytes in the chosen encoding: UTF-8 with a BOM (default) or GBK without one
 * (characters GBK lacks become `?`, so prefer UTF-8).
 */
export async function* streamCsvBytes(
  input: ExportInput,
  options: CsvOptions = {},
  stats: ExportStats = { count: 0 },
): AsyncIterable<Buffer> {
  const gbk = options.encoding === 'gbk';
  for await (const chunk of streamCsv(input, options, stats)) {
    if (chunk.length) yield gbk ? iconv.encode(chunk, 'gbk') : Buffer.from(chunk, 'utf8');
  }
}
