import type { LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { api, apiOrNull } from '../app/api.ts';
import type { Dataset, LegendGroup, Theme } from '../app/api-types.ts';
import type { MapLayerState } from '../app/store.ts';
import type { Lang } from '../i18n/i18n.ts';
import { absolute } from './map-instance.ts';

/** A dataset's MapLibre style fragment (`/collections/{id}/style.json`): its sources, layers and legend. */
export interface StyleFragment {
  sources: Record<string, SourceSpecification>;
  layers: LayerSpecification[];
  legend: LegendGroup[];
}

/** Colour of a theme, for the default styles drawn before the server's styles load. */
export const THEME_COLOURS: Record<Theme, string> = {
  current: '#4e8f5a',
  planning: '#c0504d',
  management: '#d98c1f',
  socioeconomic: '#3f6fb5',
  sensing: '#8a4fb0',
};

/** The prefix of every source and layer id of a dataset on the map: `ds:<dataset>:`. */
export function datasetPrefix(id: string): string {
  return `ds:${id}:`;
}

/** The prefix of every source and layer id of a saved map's layer on the map: `ml:<layer id>:`. */
export function mapLayerPrefix(id: string): string {
  return `ml:${id}:`;
}

/** Dataset of each saved-map layer drawn (by layer id), so that identify knows what a feature is. */
const mapLayerDatasets = new Map<string, string>();

/** The dataset a MapLibre layer id belongs to (a dataset's or a saved map layer's), or null (basemap, overlays). */
export function datasetOfLayer(layerId: string): string | null {
  const m = /^ds:([a-z][a-z0-9_]*):/.exec(layerId);
  if (m) return m[1];
  const ml = /^ml:([a-z][a-z0-9_]*):/.exec(layerId);
  return ml ? mapLayerDatasets.get(ml[1]) ?? null : null;
}

/** The saved-map layer a MapLibre layer id belongs to, or null. */
export function mapLayerOfLayer(layerId: string): string | null {
  return /^ml:([a-z][a-z0-9_]*):/.exec(layerId)?.[1] ?? null;
}

/** The vector tile URL template of a dataset (OGC API – Tiles). */
export function tileUrl(id: string, params?: Record<string, string>): string {
  const q = params && Object.keys(params).length ? `?${new URLSearchParams(params).toString()}` : '';
  return absolute(`/collections/${id}/tiles/WebMercatorQuad/{z}/{y}/{x}${q}`);
}

/** A plain style by geometry type and theme, for when the server has no style for the dataset. */
export function defaultFragment(ds: Dataset, lang: Lang): StyleFragment {
  const colour = THEME_COLOURS[ds.theme] ?? '#3f6fb5';
  const src = ds.id;
  const sources: Record<string, SourceSpecification> = { [src]: { type: 'vector', tiles: [tileUrl(ds.id)], minzoom: 0, maxzoom: 16 } };
  const g = (ds.geometryType ?? '').toLowerCase();
  const base = { source: src, 'source-layer': ds.id };
  let layers: LayerSpecification[];
  if (g.includes('polygon')) {
    layers = [
      { id: `${ds.id}-fill`, type: 'fill', ...base, paint: { 'fill-color': colour, 'fill-opacity': 0.35 } },
      { id: `${ds.id}-line`, type: 'line', ...base, paint: { 'line-color': colour, 'line-width': 1 } },
    ];
  } else if (g.includes('line')) {
    layers = [{ id: `${ds.id}-line`, type: 'line', ...base, paint: { 'line-color': colour, 'line-width': 1.6 } }];
  } else {
    layers = [{ id: `${ds.id}-circle`, type: 'circle', ...base, paint: { 'circle-color': colour, 'circle-radius': 4, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } }];
  }
  const title = ds.title[lang] || ds.title.zh;
  const shape = g.includes('polygon') ? 'fill' : g.includes('line') ? 'line' : 'circle';
  return { sources, layers, legend: [{ id: ds.id, title, entries: [{ label: title, colour, shape }] }] };
}

function absoluteSource(s: SourceSpecification): SourceSpecification {
  const o = { ...s } as Record<string, unknown>;
  if (typeof o.url === 'string') o.url = absolute(o.url);
  if (Array.isArray(o.tiles)) o.tiles = (o.tiles as string[]).map(absolute);
  if (typeof o.data === 'string') o.data = absolute(o.data);
  return o as unknown as SourceSpecification;
}

/** Gives a fragment's ids a prefix (the dataset's by default, so that several datasets never clash) and absolute URLs. */
export function prefixFragment(id: string, f: StyleFragment, p = datasetPrefix(id)): StyleFragment {
  const sources = Object.fromEntries(Object.entries(f.sources).map(([k, s]) => [p + k, absoluteSource(s)]));
  const layers = f.layers.map((l) => {
    const out = { ...l, id: p + l.id } as LayerSpecification & { source?: string };
    if ('source' in l && typeof l.source === 'string') out.source = p + l.source;
    return out as LayerSpecification;
  });
  return { sources, layers, legend: f.legend };
}

const cache = new Map<string, Promise<StyleFragment>>();

/** The dataset's style fragment from the server (`/collections/{id}/style.json?lang=`), else the default; prefixed. */
export function loadFragment(ds: Dataset, lang: Lang, revision = 0): Promise<StyleFragment> {
  const key = `${ds.id}|${lang}|${revision}`;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const doc = await apiOrNull<{ sources?: Record<string, SourceSpecification>; layers?: LayerSpecification[]; metadata?: Record<string, unknown> }>(
        `/collections/${ds.id}/style.json?lang=${lang}`,
      ).catch(() => null);
      const f: StyleFragment = doc?.layers?.length
        ? { sources: doc.sources ?? {}, layers: doc.layers, legend: (doc.metadata?.['yitu:legend'] as LegendGroup[] | undefined) ?? [] }
        : defaultFragment(ds, lang);
      if (!f.legend.length) f.legend = defaultFragment(ds, lang).legend;
      return prefixFragment(ds.id, f);
    })();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

const mapLayerCache = new Map<string, Promise<StyleFragment>>();

/**
 * A saved map's layer compiled with its own style spec, labels and legend title by the server
 * (`POST /collections/{dataset}/style.json`), drawn from its dataset's tiles; prefixed `ml:<layer id>:`.
 * The layer's filter is added to the tiles by the caller; its opacity is applied like a dataset's.
 */
export function loadMapLayerFragment(layer: MapLayerState, lang: Lang, revision = 0): Promise<StyleFragment> {
  mapLayerDatasets.set(layer.id, layer.dataset);
  const title = (lang === 'en' ? layer.legendTitle?.en || layer.legendTitle?.zh : layer.legendTitle?.zh || layer.legendTitle?.en) || undefined;
  const body = { style: layer.style ?? null, ...(layer.label !== undefined ? { label: layer.label } : {}), ...(title ? { title } : {}) };
  const key = `${layer.id}|${layer.dataset}|${lang}|${revision}|${JSON.stringify(body)}`;
  let p = mapLayerCache.get(key);
  if (!p) {
    p = api<{ sources?: Record<string, SourceSpecification>; layers?: LayerSpecification[]; metadata?: Record<string, unknown> }>(
      `/collections/${layer.dataset}/style.json?lang=${lang}`,
      { method: 'POST', json: body },
    ).then((doc) =>
      prefixFragment(layer.dataset, { sources: doc.sources ?? {}, layers: doc.layers ?? [], legend: (doc.metadata?.['yitu:legend'] as LegendGroup[] | undefined) ?? [] }, mapLayerPrefix(layer.id)),
    );
    p.catch(() => mapLayerCache.delete(key));
    if (mapLayerCache.size > 200) mapLayerCache.clear();
    mapLayerCache.set(key, p);
  }
  return p;
}
