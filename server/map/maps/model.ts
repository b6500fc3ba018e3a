/**
 * Saved ("thematic") maps: a view and an ordered list of layers. Schemas are pure (zod and the
 * style spec), so the web app can import them.
 */
import { z } from 'zod';
import { i18nTextSchema, labelSchema, layerStyleSchema } from '../styles/spec.ts';

/** A map id: short and URL-safe. */
export const mapIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{2,39}$/, 'a map id is 3–40 letters, digits, _ or -');

/** One layer of a saved map. */
export const mapLayerSchema = z.strictObject({
  /** Layer id, unique in the map (also the layer name inside the map's tiles); defaults to the dataset id. */
  id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a layer id is 1–40 lower-case letters, digits and _, starting with a letter').optional(),
  dataset: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'a dataset id'),
  /** The layer's own style; null follows the dataset's style (stored or default). */
  style: layerStyleSchema.nullable().default(null),
  /** CQL2 text filter of the features shown. */
  filter: z.string().max(4000).nullable().default(null),
  visible: z.boolean().default(true),
  opacity: z.number().min(0).max(1).default(1),
  /** Labels: absent keeps the style's, null turns them off, an object replaces them. */
  label: labelSchema.nullable().optional(),
  /** Legend title (default: the dataset's title). */
  legendTitle: i18nTextSchema.nullable().default(null),
});
/** A layer of a saved map, as stored. */
export type MapLayer = z.infer<typeof mapLayerSchema> & { id: string };

/** The view a map opens with. */
export const mapViewSchema = z.strictObject({
  /** [longitude, latitude]. */
  center: z.tuple([z.number().min(-180).max(180), z.number().min(-85.06).max(85.06)]),
  zoom: z.number().min(0).max(22),
  pitch: z.number().min(0).max(85).default(0),
  bearing: z.number().min(-360).max(360).default(0),
  /** Basemap id (`offline`, or one of GET /basemaps). */
  basemap: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'a basemap id such as offline').default('offline'),
});
/** A map view. */
export type MapView = z.infer<typeof mapViewSchema>;

const i18n = i18nTextSchema.default({});

/** A map as a client writes it (POST, PUT). */
export const mapInputSchema = z
  .strictObject({
    /** Only on create, to choose the id (e.g. the demo's maps); otherwise one is made. */
    id: mapIdSchema.optional(),
    title: i18n,
    description: z.strictObject({ zh: z.string().max(10_000).optional(), en: z.string().max(10_000).optional() }).default({}),
    visibility: z.enum(['public', 'private']).default('private'),
    view: mapViewSchema,
    /** Drawing order: the first layer is drawn at the bottom. */
    layers: z.array(mapLayerSchema).max(100).default([]),
  })
  .superRefine((m, ctx) => {
    if (!m.title.zh && !m.title.en) ctx.addIssue({ code: 'custom', path: ['title'], message: 'give a title in Chinese or English ({"zh": "…"} or {"en": "…"})' });
    const ids = new Set<string>();
    m.layers.forEach((l, i) => {
      if (l.id && ids.has(l.id)) ctx.addIssue({ code: 'custom', path: ['layers', i, 'id'], message: `the layer id "${l.id}" is used twice` });
      if (l.id) ids.add(l.id);
    });
  });
/** A map as a client writes it. */
export type MapInput = z.input<typeof mapInputSchema>;
/** A parsed map input. */
export type ParsedMapInput = z.infer<typeof mapInputSchema>;

/** A saved map as stored. */
export interface SavedMap {
  id: string;
  title: { zh: string; en: string };
  description: { zh: string; en: string };
  visibility: 'public' | 'private';
  shareToken: string;
  view: MapView;
  layers: MapLayer[];
  owner: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/** Gives every layer an id: its own, else the dataset id (with _2, _3 … when a dataset appears twice). */
export function assignLayerIds(layers: z.infer<typeof mapLayerSchema>[]): MapLayer[] {
  const used = new Set(layers.map((l) => l.id).filter((x): x is string => !!x));
  return layers.map((l) => {
    if (l.id) return l as MapLayer;
    let id = l.dataset.slice(0, 40);
    for (let n = 2; used.has(id); n++) id = `${l.dataset.slice(0, 36)}_${n}`;
    used.add(id);
    return { ...l, id };
  });
}
