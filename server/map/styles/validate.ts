import type { Dataset, DatasetColumn } from '../../hub/model.ts';
import { YituError } from '../../platform/errors.ts';
import { type LayerStyle, parseLayerStyle } from './spec.ts';

/** The geometry family a dataset draws as. */
export type GeometryFamily = 'point' | 'line' | 'polygon';

/** Point, line or polygon from a dataset's geometry type; null for tables and mixed collections. */
export function geometryFamily(geometryType: string | null): GeometryFamily | null {
  if (!geometryType) return null;
  if (/point/i.test(geometryType)) return 'point';
  if (/line/i.test(geometryType)) return 'line';
  if (/polygon/i.test(geometryType)) return 'polygon';
  return null;
}

const NUMERIC = new Set(['integer', 'number']);

/** Lists a dataset's fields for a message: `name (title, type)`. */
export function describeFields(columns: DatasetColumn[], only?: (c: DatasetColumn) => boolean): string {
  const cols = only ? columns.filter(only) : columns;
  if (!cols.length) return 'none';
  return cols.map((c) => (c.title && c.title !== c.name ? `${c.name} (${c.title}, ${c.type})` : `${c.name} (${c.type})`)).join(', ');
}

/** The fields a style reads (for tiles: only these attributes are sent). */
export function styleFields(s: LayerStyle): string[] {
  const out: string[] = [];
  switch (s.kind) {
    case 'categories':
    case 'graduated':
    case 'proportional':
      out.push(s.field);
      break;
    case 'heatmap':
      if (s.weightField) out.push(s.weightField);
      break;
    case 'extrusion':
      out.push(s.heightField);
      break;
    case 'h3':
    case 'simple':
      break;
  }
  if (s.label && s.kind !== 'h3' && s.kind !== 'heatmap') out.push(s.label.field);
  return [...new Set(out)];
}

/**
 * Parses a style and checks it against a dataset: every field exists (else a 400 naming the
 * dataset's fields), numeric where a number is needed, and the kind suits the geometry.
 * `where` prefixes messages (a saved map names its layer).
 */
export function checkStyle(input: unknown, ds: Dataset, where = ''): LayerStyle {
  const at = where ? `${where}: ` : '';
  const parsed = parseLayerStyle(input);
  if (!parsed.ok) throw new YituError('YITU_ERR_STYLE_INVALID', `${at}${parsed.message}.`);
  const s = parsed.style;
  const family = geometryFamily(ds.geometryType);
  if (!family) {
    throw new YituError('YITU_ERR_STYLE_INVALID', `${at}dataset "${ds.id}" has ${ds.geometryType ? `mixed geometries (${ds.geometryType})` : 'no geometry'}, so it cannot be drawn with a style.`);
  }
  const column = (name: string, what: string, numeric: boolean): void => {
    const c = ds.columns.find((x) => x.name === name);
    if (!c) {
      throw new YituError('YITU_ERR_STYLE_INVALID', `${at}${what} "${name}" is not a field of dataset "${ds.id}". Its fields are: ${describeFields(ds.columns)}.`, { extra: { fields: ds.columns.map((x) => x.name) } });
    }
    if (numeric && !NUMERIC.has(c.type)) {
      throw new YituError('YITU_ERR_STYLE_INVALID', `${at}${what} "${name}" of dataset "${ds.id}" is ${c.type}, not a number. Numeric fields: ${describeFields(ds.columns, (x) => NUMERIC.has(x.type))}.`);
    }
    if (c.type === 'json') throw new YituError('YITU_ERR_STYLE_INVALID', `${at}${what} "${name}" of dataset "${ds.id}" is JSON; choose a text, number, date or boolean field.`);
  };
  switch (s.kind) {
    case 'categories':
      column(s.field, 'categories field', false);
      break;
    case 'graduated':
      column(s.field, 'graduated field', true);
      break;
    case 'proportional':
      column(s.field, 'proportional symbol field', true);
      break;
    case 'heatmap':
      if (s.weightField) column(s.weightField, 'heatmap weight field', true);
      break;
    case 'h3':
      if (s.field) column(s.field, 'H3 aggregation field', true);
      break;
    case 'extrusion':
      column(s.heightField, 'extrusion height field', true);
      break;
    case 'simple':
      break;
  }
  if (s.label) column(s.label.field, 'label field', false);
  const pointsOnly = s.kind === 'proportional' || s.kind === 'heatmap';
  if (pointsOnly && family !== 'point') {
    throw new YituError('YITU_ERR_STYLE_INVALID', `${at}a ${s.kind} style draws points, and dataset "${ds.id}" has ${ds.geometryType} geometries; use simple, categories or graduated colours.`);
  }
  if (s.kind === 'extrusion' && family !== 'polygon') {
    throw new YituError('YITU_ERR_STYLE_INVALID', `${at}an extrusion style raises polygons, and dataset "${ds.id}" has ${ds.geometryType} geometries.`);
  }
  return s;
}
