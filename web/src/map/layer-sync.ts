import type { LayerSpecification, Map as MlMap } from 'maplibre-gl';
import type { Dataset } from '../app/api-types.ts';
import type { LayerState, MapLayerState } from '../app/store.ts';
import type { Lang } from '../i18n/i18n.ts';
import { datasetOfLayer, datasetPrefix, loadFragment, loadMapLayerFragment, mapLayerPrefix, type StyleFragment } from './dataset-style.ts';

/** Overlay layers of the app (highlight, measure, draw) carry this prefix and stay above datasets. */
export const OVERLAY_PREFIX = 'yitu-';

const OPACITY_PROPS: Record<string, string[]> = {
  fill: ['fill-opacity'],
  line: ['line-opacity'],
  circle: ['circle-opacity', 'circle-stroke-opacity'],
  symbol: ['text-opacity', 'icon-opacity'],
  'fill-extrusion': ['fill-extrusion-opacity'],
  heatmap: ['heatmap-opacity'],
  raster: ['raster-opacity'],
};

interface Added {
  key: string;
  fragment: StyleFragment;
}

/** What each map has of each dataset or saved-map layer, by id prefix (`ds:<dataset>:` or `ml:<layer>:`). */
const added = new WeakMap<MlMap, Map<string, Added>>();

function addedOf(map: MlMap): Map<string, Added> {
  let m = added.get(map);
  if (!m) added.set(map, (m = new Map()));
  return m;
}

/** The legend of a dataset on this map, once its style is loaded. */
export function legendOf(map: MlMap, id: string): StyleFragment['legend'] | null {
  return addedOf(map).get(datasetPrefix(id))?.fragment.legend ?? null;
}

/** The MapLibre layer ids of a saved map's layer. */
export function mapLayerIdsOf(map: MlMap, layerId: string): string[] {
  const p = mapLayerPrefix(layerId);
  return (map.getStyle()?.layers ?? []).filter((l) => l.id.startsWith(p)).map((l) => l.id);
}

/** The map layer ids of a dataset. */
export function mapLayersOf(map: MlMap, id: string): string[] {
  const p = datasetPrefix(id);
  return (map.getStyle()?.layers ?? []).filter((l) => l.id.startsWith(p)).map((l) => l.id);
}

/** Ids of the layers of every visible dataset on the map (for identify). */
export function visibleDatasetLayers(map: MlMap): string[] {
  return (map.getStyle()?.layers ?? []).filter((l) => datasetOfLayer(l.id) && map.getLayoutProperty(l.id, 'visibility') !== 'none').map((l) => l.id);
}

/** The fragment with a CQL2 filter on its vector tiles (the tiles' `filter` parameter). */
function withTileFilter(f: StyleFragment, filter: string): StyleFragment {
  const sources = Object.fromEntries(
    Object.entries(f.sources).map(([k, s]) => {
      const tiles = (s as { tiles?: string[] }).tiles;
      if (s.type !== 'vector' || !tiles) return [k, s];
      return [k, { ...s, tiles: tiles.map((t) => `${t}${t.includes('?') ? '&' : '?'}filter=${encodeURIComponent(filter)}`) }];
    }),
  );
  return { ...f, sources: sources as StyleFragment['sources'] };
}

function firstOverlay(map: MlMap): string | undefined {
  return (map.getStyle()?.layers ?? []).find((l) => l.id.startsWith(OVERLAY_PREFIX))?.id;
}

/** Removes every layer and source of an id prefix (a dataset's or a saved-map layer's). */
function removePrefixed(map: MlMap, p: string): void {
  const style = map.getStyle();
  for (const l of style?.layers ?? []) if (l.id.startsWith(p)) map.removeLayer(l.id);
  for (const s of Object.keys(style?.sources ?? {})) if (s.startsWith(p)) map.removeSource(s);
  addedOf(map).delete(p);
}

function addPrefixed(map: MlMap, p: string, key: string, f: StyleFragment): void {
  removePrefixed(map, p);
  for (const [sid, src] of Object.entries(f.sources)) if (!map.getSource(sid)) map.addSource(sid, src);
  const before = firstOverlay(map);
  for (const l of f.layers) {
    if (!map.getLayer(l.id)) map.addLayer(l, before);
  }
  addedOf(map).set(p, { key, fragment: f });
}

const hasLayers = (map: MlMap, p: string) => (map.getStyle()?.layers ?? []).some((l) => l.id.startsWith(p));

function applyOpacity(map: MlMap, l: LayerSpecification, opacity: number): void {
  for (const prop of OPACITY_PROPS[l.type] ?? []) {
    const base = (l as { paint?: Record<string, unknown> }).paint?.[prop];
    let v: unknown;
    if (base === undefined) v = opacity;
    else if (typeof base === 'number') v = base * opacity;
    else v = opacity >= 0.999 ? base : opacity; // an expression: replaced while dimmed
    map.setPaintProperty(l.id, prop as never, v as never);
  }
}

/**
 * Makes the map show the layer tree and the open saved map: loads the style of each visible dataset
 * once (lazily: hidden layers fetch no tiles) and each visible saved-map layer compiled with its own
 * spec, sets visibility and opacity, and orders them: the saved map's layers in their drawing order,
 * with the tree's datasets above them in the tree's order.
 */
export async function syncLayers(
  map: MlMap,
  layers: LayerState[],
  datasets: Dataset[],
  lang: Lang,
  revision: Record<string, number>,
  filters: Record<string, string> = {},
  mapLayers: MapLayerState[] = [],
): Promise<void> {
  const byId = new Map(datasets.map((d) => [d.id, d]));
  const have = addedOf(map);
  const visible = layers.filter((l) => l.visible && byId.get(l.id)?.kind === 'features');
  const shownMapLayers = mapLayers.filter((l) => l.visible && !l.missing && byId.has(l.dataset));
  const [fragments, mapFragments] = await Promise.all([
    Promise.all(
      visible.map(async (l) => {
        const rev = revision[l.id] ?? 0;
        const filter = filters[l.id] ?? '';
        const f = await loadFragment(byId.get(l.id)!, lang, rev);
        return { p: datasetPrefix(l.id), key: `${l.id}|${lang}|${rev}|${filter}`, f: filter ? withTileFilter(f, filter) : f, opacity: l.opacity };
      }),
    ),
    Promise.all(
      shownMapLayers.map(async (l) => {
        const rev = revision[l.dataset] ?? 0;
        const f = await loadMapLayerFragment(l, lang, rev);
        const key = `${l.dataset}|${lang}|${rev}|${l.filter ?? ''}|${JSON.stringify([l.style, l.label, l.legendTitle])}`;
        return { p: mapLayerPrefix(l.id), key, f: l.filter ? withTileFilter(f, l.filter) : f, opacity: l.opacity };
      }),
    ),
  ]);
  if (!map.getStyle()) return;
  const wanted = [...mapFragments, ...fragments];
  for (const { p, key, f } of wanted) if (have.get(p)?.key !== key || !hasLayers(map, p)) addPrefixed(map, p, key, f);
  // Layers of a saved map that was closed, or of a layer removed from it, go.
  const mapPrefixes = new Set(mapLayers.map((l) => mapLayerPrefix(l.id)));
  for (const p of [...have.keys()]) if (p.startsWith('ml:') && !mapPrefixes.has(p)) removePrefixed(map, p);
  const shown = new Map(wanted.map((w) => [w.p, w.opacity]));
  for (const [p, a] of have) {
    const opacity = shown.get(p);
    for (const l of a.fragment.layers) {
      if (!map.getLayer(l.id)) continue;
      const own = (l as { layout?: { visibility?: string } }).layout?.visibility ?? 'visible';
      map.setLayoutProperty(l.id, 'visibility', (opacity !== undefined ? own : 'none') as 'visible' | 'none');
      if (opacity !== undefined) applyOpacity(map, l, opacity);
    }
  }
  // Move each group to just below the overlays, bottom one first: the saved map's layers (first =
  // bottom), then the tree's datasets (tree order is top first).
  const before = firstOverlay(map);
  const order = [...mapLayers.map((l) => mapLayerPrefix(l.id)), ...[...layers].reverse().map((l) => datasetPrefix(l.id))];
  for (const p of order) {
    const a = have.get(p);
    if (!a) continue;
    for (const ml of a.fragment.layers) if (map.getLayer(ml.id)) map.moveLayer(ml.id, before);
  }
}

/** Forgets what was added to a map (after `setStyle` replaced everything). */
export function resetSynced(map: MlMap): void {
  added.delete(map);
}
