import type { ExportField, ExportInput, ExportStats } from './types.ts';
import { numericText, toBooleanValue, toDateText, toJsonText, toNumeric, toText, toTimestampText } from './values.ts';

/** Size at which the streaming writers hand a chunk on (characters). */
export const CHUNK_CHARS = 64 * 1024;

/** The JSON text of one property value of a field, typed by the field. */
export function jsonValue(field: ExportField, v: unknown): string {
  switch (field.type) {
    case 'integer':
    case 'number': {
      const n = toNumeric(v);
      return n === null ? 'null' : numericText(n);
    }
    case 'boolean': {
      const b = toBooleanValue(v);
      return b === null ? 'null' : String(b);
    }
    case 'date':
      return JSON.stringify(toDateText(v));
    case 'timestamp':
      return JSON.stringify(toTimestampText(v));
    case 'json':
      return toJsonText(v) ?? 'null';
    default:
      return JSON.stringify(toText(v));
  }
}

/**
 * Streams a GeoJSON FeatureCollection as text chunks, in constant memory: one feature per line,
 * numbers as they come (numeric strings of `bigint`/`numeric` columns written as literal numbers,
 * never rounded), non-ASCII text as UTF-8 (not `\u` escaped). The `crs` member (GeoJSON 2008 form,
 * `urn:ogc:def:crs:EPSG::<code>`) is written only when the CRS is not 4326; the `name` member
 * carries the layer name (GDAL uses it). Only the declared fields are written, in order.
 */
export async function* streamGeoJson(input: ExportInput, stats: ExportStats = { count: 0 }): AsyncIterable<string> {
  const crs = input.crs ?? 4326;
  const keys = input.fields.map((f) => JSON.stringify(f.name));
  let head = `{"type":"FeatureCollection","name":${JSON.stringify(input.layerName)}`;
  if (crs !== 4326) head += `,"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::${crs}"}}`;
  head += ',"features":[\n';
  let buf = head;
  let first = true;
  for await (const f of input.features) {
    let props = '{';
    for (let i = 0; i < input.fields.length; i++) {
      if (i > 0) props += ',';
      props += `${keys[i]}:${jsonValue(input.fields[i], f.properties[input.fields[i].name])}`;
    }
    props += '}';
    const id =
      f.id === null || f.id === undefined
        ? ''
        : `"id":${typeof f.id === 'number' && Number.isFinite(f.id) ? String(f.id) : JSON.stringify(String(f.id))},`;
    const geom = f.geometry ? JSON.stringify(f.geometry) : 'null';
    buf += `${first ? '' : ',\n'}{"type":"Feature",${id}"geometry":${geom},"properties":${props}}`;
    first = false;
    stats.count++;
    if (buf.length >= CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  yield `${buf}\n]}\n`;
}
