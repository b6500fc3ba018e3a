import { api } from './api.ts';
import type { Dataset } from './api-types.ts';
import { store } from './store.ts';
import { layersFromHash, parseHash, type HashState } from './url-hash.ts';
import { initialLang, persistLang } from '../i18n/i18n.ts';
import { openSavedMap } from '../maps/saved-maps.tsx';
import { getMap } from '../map/map-instance.ts';
import { onSessionChange, startSession } from '../access/session.ts';

/** Layers shown when a link names none, top first: facilities over the county's frame (roads, water, planning boundaries). */
const DEFAULT_VISIBLE = ['public_facilities', 'roads', 'rivers', 'lakes_reservoirs', 'urban_development_boundary'];

/** Reads the catalog's datasets (all of them; the demo county has 20 + statistical tables). */
export async function loadDatasets(): Promise<Dataset[]> {
  const r = await api<{ datasets: Dataset[] }>('/datasets?limit=1000');
  return r.datasets.filter((d) => d.kind !== 'statistics');
}

/** Applies the catalog to the layer tree: new datasets are added (hidden), removed ones dropped. */
export function mergeCatalog(datasets: Dataset[]): void {
  store.set((s) => {
    const ids = datasets.map((d) => d.id);
    const kept = s.layers.filter((l) => ids.includes(l.id));
    const added = ids.filter((id) => !kept.some((l) => l.id === id)).map((id) => ({ id, visible: false, opacity: 1 }));
    return { datasets, layers: [...kept, ...added] };
  });
}

/** Reloads the catalog (after an import). */
export async function refreshCatalog(): Promise<void> {
  mergeCatalog(await loadDatasets());
}

/**
 * After a sign-in or sign-out the catalog lists what the new person may see, and every layer is
 * drawn again from tiles fetched with the new credentials.
 */
async function reloadForSession(): Promise<void> {
  const datasets = await loadDatasets();
  mergeCatalog(datasets);
  store.set((s) => ({ revision: Object.fromEntries(datasets.map((d) => [d.id, (s.revision[d.id] ?? 0) + 1])), catalogPick: datasets.some((d) => d.id === s.catalogPick) ? s.catalogPick : null }));
}

/** Applies a link's view state to the running app (a hash typed or pasted into the address bar). */
function applyHash(h: HashState): void {
  const s = store.get();
  store.set({
    ...(h.view ? { view: h.view } : {}),
    ...(h.basemap ? { basemap: h.basemap } : {}),
    ...(h.layers ? { layers: layersFromHash(s.datasets.map((d) => d.id), h.layers) } : {}),
    ...(h.pitch !== undefined ? { pitch3d: h.pitch > 10 } : {}),
    ...(h.dataset ? { catalogPick: h.dataset } : {}),
  });
  const m = getMap();
  if (m && (h.center || h.zoom !== undefined)) m.jumpTo({ ...(h.center ? { center: h.center } : {}), ...(h.zoom !== undefined ? { zoom: h.zoom } : {}), bearing: h.bearing ?? 0, pitch: h.pitch ?? 0 });
  if (h.savedMap && h.savedMap !== s.savedMap) {
    void openSavedMap(h.savedMap, h.mapToken, { keepDatasetLayers: !!h.layers, keepView: !!h.center }).catch((e: Error) => store.set({ toast: e.message }));
  }
}

/** Starts the app: language, the view state of the link, then the catalog. */
export function boot(): HashState {
  const lang = initialLang();
  persistLang(lang);
  const h = parseHash(window.location.hash);
  window.addEventListener('hashchange', () => applyHash(parseHash(window.location.hash)));
  store.set({ lang, view: h.view ?? 'map', basemap: h.basemap ?? 'offline', pitch3d: (h.pitch ?? 0) > 10, savedMap: h.savedMap ?? null, catalogPick: h.dataset ?? null });
  onSessionChange(() => reloadForSession().catch((e: Error) => store.set({ toast: e.message })));
  void startSession().catch(() => store.set({ session: { authenticated: false } }));
  void loadDatasets()
    .then((datasets) => {
      const ids = datasets.map((d) => d.id);
      const listed = h.layers ?? DEFAULT_VISIBLE.filter((id) => ids.includes(id)).map((id) => ({ id, opacity: 1 }));
      // Order: listed ones first, then by theme as the catalog lists them.
      store.set({ datasets, layers: layersFromHash(ids, listed) });
      // A saved map's layers with their own styles; a link that also lists dataset layers and a view
      // (the address bar of a map being worked on) keeps them.
      if (h.savedMap) return openSavedMap(h.savedMap, h.mapToken, { keepDatasetLayers: !!h.layers, keepView: !!h.center });
    })
    .catch((e: Error) => store.set({ toast: e.message }));
  return h;
}
