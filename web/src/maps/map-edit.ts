/**
 * Edits of the open saved map's layer list: add a dataset on top, remove a layer (and put it back),
 * check a layer's CQL2 filter with the server. Every edit marks the map as having unsaved changes;
 * “save changes” (`saveOpenMap`) writes them with `If-Match`.
 */
import { api, ApiError } from '../app/api.ts';
import { store, type MapLayerState } from '../app/store.ts';

/** A layer id for `dataset` not used in the map yet: the dataset id, else `<id>_2`, `<id>_3` … (as the server assigns them). */
export function freeLayerId(dataset: string, layers: Pick<MapLayerState, 'id'>[]): string {
  const used = new Set(layers.map((l) => l.id));
  let id = dataset.slice(0, 40);
  for (let n = 2; used.has(id); n++) id = `${dataset.slice(0, 36)}_${n}`;
  return id;
}

/**
 * Appends a layer of `dataset` on top of the open map, with the style edited for the dataset in this
 * session (else none of its own, so it follows the dataset's style) and the map filter set from the
 * attribute table. The dataset's own tree layer is turned off, so it is not drawn twice. Returns the
 * new layer's id, or null when no map is open.
 */
export function addDatasetToMap(dataset: string): string | null {
  const s = store.get();
  if (!s.openMap) return null;
  const id = freeLayerId(dataset, s.mapLayers);
  const layer: MapLayerState = {
    id,
    dataset,
    style: s.editedStyles[dataset] ?? null,
    filter: s.mapFilters[dataset] ?? null,
    visible: true,
    opacity: s.layers.find((l) => l.id === dataset)?.opacity ?? 1,
    legendTitle: null,
  };
  store.set((st) => ({
    mapLayers: [...st.mapLayers, layer],
    layers: st.layers.map((l) => (l.id === dataset ? { ...l, visible: false } : l)),
    openMap: st.openMap ? { ...st.openMap, dirty: true } : null,
  }));
  return id;
}

/** The last layer removed from the open map and where it was, for “undo”. */
let lastRemoved: { map: string; revision: number; layer: MapLayerState; index: number } | null = null;

/** Removes a layer from the open map (kept for `undoRemove` until the next removal, a save or another map). */
export function removeMapLayer(id: string): void {
  const s = store.get();
  const index = s.mapLayers.findIndex((l) => l.id === id);
  if (!s.openMap || index < 0) return;
  lastRemoved = { map: s.openMap.id, revision: s.openMap.revision, layer: s.mapLayers[index], index };
  store.set((st) => ({
    mapLayers: st.mapLayers.filter((l) => l.id !== id),
    openMap: st.openMap ? { ...st.openMap, dirty: true } : null,
  }));
}

/** The layer `undoRemove` would put back into the open map, if any (not once the map was saved or another opened). */
export function removedLayer(): MapLayerState | null {
  const s = store.get();
  if (!lastRemoved || lastRemoved.map !== s.openMap?.id || lastRemoved.revision !== s.openMap.revision || s.mapLayers.some((l) => l.id === lastRemoved!.layer.id)) return null;
  return lastRemoved.layer;
}

/** Puts the last removed layer back where it was. */
export function undoRemove(): void {
  const layer = removedLayer();
  if (!layer || !lastRemoved) return;
  const index = Math.min(lastRemoved.index, store.get().mapLayers.length);
  lastRemoved = null;
  store.set((st) => {
    const layers = [...st.mapLayers];
    layers.splice(index, 0, layer);
    return { mapLayers: layers, openMap: st.openMap ? { ...st.openMap, dirty: true } : null };
  });
}

/**
 * Checks a CQL2 text filter against a dataset as the server would (one page of `/items` with it):
 * null when it is accepted, else the server's message (a 400 says which field or token is wrong).
 */
export async function checkFilter(dataset: string, filter: string): Promise<string | null> {
  if (!filter.trim()) return null;
  try {
    await api(`/collections/${encodeURIComponent(dataset)}/items?limit=1&skipGeometry=true&filter=${encodeURIComponent(filter)}`);
    return null;
  } catch (e) {
    if (e instanceof ApiError && e.status >= 400 && e.status < 500) return e.message;
    throw e;
  }
}
