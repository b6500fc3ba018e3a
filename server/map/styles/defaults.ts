/**
 * The default style of a dataset, by geometry type, theme and what its fields suggest: the
 * "三区三线" of planning maps (ecological red line green, permanent basic farmland yellow, the
 * urban development boundary as a red dashed line), land use by the survey's class colours,
 * buildings extruded by floors, roads by class, water in blue, risk levels red → green, grids
 * graduated. Pure: the values of the category field are gathered by the caller ({@link defaultStylePlan}).
 */
import type { Dataset, DatasetColumn } from '../../hub/model.ts';
import { THEME_COLOURS, VALUE_COLOURS, landCode, landColour } from './colours.ts';
import { QUALITATIVE } from './palettes.ts';
import type { LayerStyleInput } from './spec.ts';
import { geometryFamily } from './validate.ts';

/** A value of the category field with its count and, where the dataset has one, its companion label. */
export interface CategoryFact {
  value: string;
  count: number;
  /** The value of the companion column (`land_class_en` beside `land_class`, `road_class_zh` beside `road_class`). */
  companion?: string | null;
}

/** What the default needs to know of the data: the category field's most frequent values. */
export interface DefaultStyleFacts {
  categories?: CategoryFact[];
}

/** At most this many categories get their own colour; the rest are "other". */
export const MAX_DEFAULT_CATEGORIES = 20;
/** Land classes all keep their colour (the third survey's classification has 70-odd). */
export const MAX_LAND_CLASSES = 80;

/** Fields whose values make good categories, best first. */
const CATEGORY_FIELDS = [
  'land_class', 'risk_level', 'susceptibility', 'flood_risk', 'verification', 'mu_efficiency_grade', 'road_class',
  'category', 'park_type', 'status', 'hazard_type', 'zone_type', 'change_type', 'land_use', 'site_type', 'type', 'kind', 'class',
];

const text = (ds: Dataset) => `${ds.id} ${ds.title.zh} ${ds.title.en} ${ds.keywords.join(' ')}`.toLowerCase();
const col = (ds: Dataset, name: string): DatasetColumn | undefined => ds.columns.find((c) => c.name === name);
const numeric = (c: DatasetColumn | undefined) => !!c && (c.type === 'integer' || c.type === 'number');

/** A companion column of a category field: its English (`_en`) or Chinese (`_zh`) twin. */
export function companionOf(ds: Dataset, field: string): { name: string; lang: 'zh' | 'en' } | null {
  if (col(ds, `${field}_en`)) return { name: `${field}_en`, lang: 'en' };
  if (col(ds, `${field}_zh`)) return { name: `${field}_zh`, lang: 'zh' };
  return null;
}

/** The category field the default style will colour by, if any (so the caller can gather its values). */
export function defaultStylePlan(ds: Dataset): { categoryField: string | null } {
  const family = geometryFamily(ds.geometryType);
  if (!family || special(ds) || extrusionField(ds) || graduatedField(ds)) return { categoryField: null };
  for (const name of CATEGORY_FIELDS) {
    const c = col(ds, name);
    if (c && c.type === 'text') return { categoryField: name };
  }
  const c = ds.columns.find((x) => x.type === 'text' && /(_type|_class|_grade|_level|category)$/.test(x.name));
  return { categoryField: c?.name ?? null };
}

function nameLabel(ds: Dataset, minZoom: number): LayerStyleInput['label'] {
  return col(ds, 'name') ? { field: 'name', minZoom } : null;
}

/** Recipes recognised by what a dataset is (三区三线, water). */
function special(ds: Dataset): LayerStyleInput | null {
  const t = text(ds);
  const family = geometryFamily(ds.geometryType);
  if (family === 'polygon' && /red_line|生态保护红线|ecological protection red line/.test(t)) {
    return { kind: 'simple', symbol: { fill: '#3aa655', fillOpacity: 0.35, stroke: '#1e7b34', strokeWidth: 1.2 }, label: nameLabel(ds, 11) };
  }
  if (family === 'polygon' && /basic_farmland|基本农田|basic farmland/.test(t)) {
    return { kind: 'simple', symbol: { fill: '#f2d43d', fillOpacity: 0.6, stroke: '#c9a400', strokeWidth: 0.6 } };
  }
  if (family === 'polygon' && /development_boundary|开发边界|development boundary/.test(t)) {
    return { kind: 'simple', symbol: { fill: '#e60012', fillOpacity: 0.04, stroke: '#e60012', strokeWidth: 2.2, dash: [3, 1.5] }, label: nameLabel(ds, 11) };
  }
  if (/\briver|河流|水系|canal|\blake|reservoir|湖泊|水库/.test(t) && family !== 'point') {
    if (family === 'line') return { kind: 'simple', symbol: { fill: '#3d8fd1', size: 1.8 }, label: nameLabel(ds, 12) };
    return { kind: 'simple', symbol: { fill: '#9ecae1', fillOpacity: 0.85, stroke: '#3d8fd1', strokeWidth: 0.8 }, label: nameLabel(ds, 11) };
  }
  return null;
}

/** A floors or height field of a polygon dataset (buildings). */
function extrusionField(ds: Dataset): { field: string; multiplier: number } | null {
  if (geometryFamily(ds.geometryType) !== 'polygon') return null;
  for (const [name, multiplier] of [['floors', 3], ['storeys', 3], ['levels', 3], ['height_m', 1], ['height', 1]] as const) {
    if (numeric(col(ds, name))) return { field: name, multiplier };
  }
  return null;
}

/** A density-like numeric field of a socioeconomic polygon dataset (population grids). */
function graduatedField(ds: Dataset): string | null {
  if (geometryFamily(ds.geometryType) !== 'polygon' || ds.theme !== 'socioeconomic') return null;
  for (const name of ['density', 'population', 'value', 'count']) if (numeric(col(ds, name))) return name;
  return null;
}

function categoryItems(ds: Dataset, field: string, facts: CategoryFact[]): NonNullable<Extract<LayerStyleInput, { kind: 'categories' }>['items']> {
  const companion = companionOf(ds, field);
  // Land classes are listed in the survey's code order (as a land-use legend reads), all of them.
  const land = facts.every((f) => landCode(f.value) !== undefined);
  const ranked = [...facts].sort((a, b) => {
    if (land) return landCode(a.value)!.localeCompare(landCode(b.value)!);
    const ra = VALUE_COLOURS[a.value]?.rank;
    const rb = VALUE_COLOURS[b.value]?.rank;
    if (ra !== undefined && rb !== undefined) return ra - rb;
    return b.count - a.count || a.value.localeCompare(b.value);
  });
  return ranked.slice(0, land ? MAX_LAND_CLASSES : MAX_DEFAULT_CATEGORIES).map((f, i) => {
    const known = VALUE_COLOURS[f.value];
    const colour = known?.colour ?? landColour(f.value) ?? QUALITATIVE[i % QUALITATIVE.length];
    const label: { zh?: string; en?: string } = {};
    const other = f.companion ?? undefined;
    if (companion && other) label[companion.lang] = other;
    // The field itself holds the other language (land_class beside land_class_en): its value is that label.
    if (companion) label[companion.lang === 'en' ? 'zh' : 'en'] ??= f.value;
    if (known?.zh && !label.zh) label.zh = known.zh;
    if (known?.en && !label.en) label.en = known.en;
    return { value: f.value, colour, ...(Object.keys(label).length ? { label } : {}), ...(known?.size !== undefined ? { size: known.size } : {}) };
  });
}

/**
 * The default style of a dataset. `facts.categories` are the values of the field named by
 * {@link defaultStylePlan} (most frequent first). Graduated defaults come without breaks: the
 * caller computes them from the data.
 */
export function defaultStyle(ds: Dataset, facts: DefaultStyleFacts = {}): LayerStyleInput {
  const family = geometryFamily(ds.geometryType) ?? 'polygon';
  const themeColour = THEME_COLOURS[ds.theme] ?? '#4e79a7';
  const sp = special(ds);
  if (sp) return sp;
  const ex = extrusionField(ds);
  if (ex) return { kind: 'extrusion', heightField: ex.field, multiplier: ex.multiplier, colour: '#d8cfc0' };
  const grad = graduatedField(ds);
  if (grad) return { kind: 'graduated', field: grad, method: 'quantile', classes: 5, ramp: 'yellow-red', symbol: { fillOpacity: 0.75, strokeWidth: 0 } };

  const small = ds.featureCount <= (family === 'point' ? 500 : 200);
  const label = family === 'line' ? nameLabel(ds, 12) : small ? nameLabel(ds, family === 'point' ? 13 : 11) : null;
  const { categoryField } = defaultStylePlan(ds);
  if (categoryField && facts.categories?.length) {
    const items = categoryItems(ds, categoryField, facts.categories);
    const roads = items.some((it) => it.size !== undefined);
    const symbol = family === 'polygon' ? { fillOpacity: 0.7, stroke: '#ffffff', strokeWidth: 0.4 } : family === 'point' ? { size: 5 } : { size: roads ? 1 : 1.5 };
    return { kind: 'categories', field: categoryField, items, other: { colour: '#bdbdbd' }, symbol, label };
  }
  if (family === 'line') return { kind: 'simple', symbol: { fill: themeColour, size: 1.5 }, label };
  if (family === 'point') return { kind: 'simple', symbol: { fill: themeColour, size: 5 }, label };
  return { kind: 'simple', symbol: { fill: themeColour, fillOpacity: 0.45, stroke: themeColour, strokeWidth: 1 }, label };
}
