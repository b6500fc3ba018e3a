/**
 * The thematic style spec of one map layer: a zod schema and its types. Pure (zod and the pure
 * ramp table only), so that the web app's style editor validates with the same schema as the
 * server. Field names are checked against a dataset elsewhere (`validate.ts`); this file checks
 * the shape, ranges and internal consistency of a style.
 */
import { z } from 'zod';
import { RAMP_NAMES } from './palettes.ts';

/** A colour: `#rgb`, `#rrggbb` or `#rrggbbaa`. */
export const colourSchema = z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'a colour is written #rgb, #rrggbb or #rrggbbaa');
/** A field (column) name of a dataset. */
export const fieldSchema = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a field is a column name of the dataset (lower-case letters, digits and _)');
/** Text in Chinese and English (either may be left out). */
export const i18nTextSchema = z.strictObject({ zh: z.string().max(200).optional(), en: z.string().max(200).optional() });
/** A named colour ramp. */
export const rampSchema = z.enum(RAMP_NAMES);
/** Classification methods. */
export const CLASSIFY_METHODS = ['quantile', 'equal', 'jenks'] as const;
/** A classification method. */
export type ClassifyMethod = (typeof CLASSIFY_METHODS)[number];

const zoom = z.number().min(0).max(24);
const unit = z.number().min(0).max(1);

/** How features are drawn when nothing else decides: fill, outline, circle radius. */
export const symbolSchema = z.strictObject({
  /** Fill of polygons and circles; the colour of lines. */
  fill: colourSchema.optional(),
  fillOpacity: unit.optional(),
  /** Outline of polygons and circles. */
  stroke: colourSchema.optional(),
  strokeWidth: z.number().min(0).max(20).optional(),
  strokeOpacity: unit.optional(),
  /** Dash pattern of lines and outlines, in line widths. */
  dash: z.array(z.number().min(0).max(50)).min(2).max(8).optional(),
  /** Line width (lines) or circle radius (points), in pixels. */
  size: z.number().min(0).max(60).optional(),
});
/** A symbol. */
export type Symbol = z.infer<typeof symbolSchema>;

/** Labels drawn from a field. */
export const labelSchema = z.strictObject({
  field: fieldSchema,
  size: z.number().min(6).max(40).default(12),
  colour: colourSchema.default('#333333'),
  halo: colourSchema.default('#ffffff'),
  haloWidth: z.number().min(0).max(6).default(1.5),
  minZoom: zoom.default(12),
});
/** Label settings. */
export type LabelSpec = z.infer<typeof labelSchema>;

const common = {
  /** Opacity of the whole layer, multiplied into every paint opacity. */
  opacity: unit.default(1),
  minZoom: zoom.default(0),
  maxZoom: zoom.default(24),
  label: labelSchema.nullable().default(null),
};

const categoryItem = z.strictObject({
  value: z.union([z.string().max(500), z.number(), z.boolean()]),
  colour: colourSchema,
  label: i18nTextSchema.optional(),
  /** Line width or circle radius of this category (roads by class), in pixels. */
  size: z.number().min(0).max(60).optional(),
});

const classBreaks = {
  method: z.enum(CLASSIFY_METHODS).default('quantile'),
  classes: z.number().int().min(3, 'classes: at least 3').max(9, 'classes: at most 9').default(5),
  ramp: rampSchema.default('yellow-red'),
  reverse: z.boolean().default(false),
  /** Explicit colours, one per class (instead of the ramp). */
  colours: z.array(colourSchema).min(3).max(9).optional(),
  /** classes + 1 ascending values (min … max), stored once computed from the data. */
  breaks: z.array(z.number()).min(4).max(10).optional(),
};

/** One colour for everything. */
export const simpleStyleSchema = z.strictObject({ kind: z.literal('simple'), ...common, symbol: symbolSchema.default({}) });
/** A colour per value of a field. */
export const categoriesStyleSchema = z.strictObject({
  kind: z.literal('categories'),
  ...common,
  field: fieldSchema,
  items: z.array(categoryItem).min(1).max(100),
  /** Features whose value is not listed: drawn in this colour, or hidden when null. */
  other: z.strictObject({ colour: colourSchema, label: i18nTextSchema.optional() }).nullable().default({ colour: '#bdbdbd' }),
  symbol: symbolSchema.default({}),
});
/** Graduated colours of a numeric field. */
export const graduatedStyleSchema = z.strictObject({ kind: z.literal('graduated'), ...common, field: fieldSchema, ...classBreaks, symbol: symbolSchema.default({}) });
/** Circles whose area is proportional to a numeric field (points). */
export const proportionalStyleSchema = z.strictObject({
  kind: z.literal('proportional'),
  ...common,
  field: fieldSchema,
  minRadius: z.number().min(0).max(60).default(3),
  maxRadius: z.number().min(1).max(100).default(24),
  /** The value drawn at maxRadius; stored once computed (the field's maximum). */
  maxValue: z.number().positive().optional(),
  symbol: symbolSchema.default({}),
});
/** A heatmap of points, optionally weighted by a field. */
export const heatmapStyleSchema = z.strictObject({
  kind: z.literal('heatmap'),
  ...common,
  weightField: fieldSchema.nullable().default(null),
  /** The weight drawn at full intensity; stored once computed (the field's maximum). */
  maxWeight: z.number().positive().optional(),
  radius: z.number().min(1).max(100).default(20),
  intensity: z.number().min(0.05).max(10).default(1),
  ramp: rampSchema.default('heat'),
});
/** H3 hexagons aggregated on the server (the tiles' `aggregate=h3`), graduated by count, sum or mean. */
export const h3StyleSchema = z.strictObject({
  kind: z.literal('h3'),
  ...common,
  stat: z.enum(['count', 'sum', 'avg']).default('count'),
  field: fieldSchema.nullable().default(null),
  ...classBreaks,
  ramp: rampSchema.default('yellow-blue'),
  /** The zoom at which the breaks of counts and sums apply; other zooms scale them (hexagons keep their screen size). */
  referenceZoom: zoom.default(10),
  symbol: symbolSchema.default({}),
});
/** Polygons extruded by a field (buildings by floors × metres per floor). */
export const extrusionStyleSchema = z.strictObject({
  kind: z.literal('extrusion'),
  ...common,
  heightField: fieldSchema,
  /** Metres per unit of the field (3 for floors). */
  multiplier: z.number().positive().max(1000).default(1),
  base: z.number().min(0).max(10_000).default(0),
  colour: colourSchema.default('#d8cfc0'),
});

const styleUnion = z.discriminatedUnion('kind', [
  simpleStyleSchema, categoriesStyleSchema, graduatedStyleSchema, proportionalStyleSchema, heatmapStyleSchema, h3StyleSchema, extrusionStyleSchema,
]);

/** The thematic style of a layer, checked for internal consistency. */
export const layerStyleSchema = styleUnion.superRefine((s, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (s.maxZoom < s.minZoom) issue(['maxZoom'], `maxZoom (${s.maxZoom}) is below minZoom (${s.minZoom})`);
  if (s.kind === 'graduated' || s.kind === 'h3') {
    if (s.colours && s.colours.length !== s.classes) issue(['colours'], `${s.colours.length} colours for ${s.classes} classes: give one colour per class`);
    if (s.breaks) {
      if (s.breaks.length !== s.classes + 1) issue(['breaks'], `${s.breaks.length} breaks for ${s.classes} classes: give classes + 1 values (minimum … maximum)`);
      for (let i = 1; i < s.breaks.length; i++) {
        if (!(s.breaks[i] > s.breaks[i - 1])) issue(['breaks', i], `breaks must increase: ${s.breaks[i - 1]} then ${s.breaks[i]}`);
      }
    }
  }
  if (s.kind === 'h3' && s.stat !== 'count' && !s.field) issue(['field'], `stat "${s.stat}" needs the numeric field to aggregate`);
  if (s.kind === 'proportional' && s.maxRadius <= s.minRadius) issue(['maxRadius'], 'maxRadius must be larger than minRadius');
  if (s.kind === 'categories') {
    const seen = new Set<string>();
    s.items.forEach((it, i) => {
      const k = String(it.value);
      if (seen.has(k)) issue(['items', i, 'value'], `the value ${JSON.stringify(it.value)} is listed twice`);
      seen.add(k);
    });
  }
});

/** A layer style as stored (defaults filled in). */
export type LayerStyle = z.infer<typeof layerStyleSchema>;
/** A layer style as a client may write it (defaults left out). */
export type LayerStyleInput = z.input<typeof layerStyleSchema>;
/** The kinds of layer style. */
export type LayerStyleKind = LayerStyle['kind'];
/** The kinds of layer style, in the order an editor offers them. */
export const STYLE_KINDS: LayerStyleKind[] = ['simple', 'categories', 'graduated', 'proportional', 'heatmap', 'h3', 'extrusion'];

/** Formats zod issues as one sentence a person can act on (`path: message; …`). */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || 'style'}: ${i.message}`)
    .join('; ');
}

/** Parses a style; returns the stored form or the problems as text. */
export function parseLayerStyle(input: unknown): { ok: true; style: LayerStyle } | { ok: false; message: string } {
  const r = layerStyleSchema.safeParse(input);
  return r.success ? { ok: true, style: r.data } : { ok: false, message: describeIssues(r.error) };
}
