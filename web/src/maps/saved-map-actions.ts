/**
 * Saved maps in the workspace: open, save (PUT with If-Match), save as new, copy, delete.
 *
 * How an open map is drawn: each of its layers is compiled by the server with the layer's own style
 * spec, labels and legend title (`POST /collections/{dataset}/style.json`) and drawn from its
 * dataset's tiles (with the layer's filter), under ids `ml:<layer id>:…`. We do not draw the map's
 * own `/maps/{id}/style.json` with its combined `yitu-map` source: that source carries only the
 * saved, visible layers and only the attributes their styles read, so turning on a hidden layer,
 * trying a style, identifying a feature or opening a layer's table would need a save first. Drawn
 * per layer, visibility, opacity, order and style edits show at once and are saved when asked.
 */
import { api, ApiError } from '../app/api.ts';
import { store, type MapLayerState, type OpenMap } from '../app/store.ts';
import { scheduleHashWrite } from '../app/url-hash.ts';
import { getMap, whenMap } from '../map/map-instance.ts';
import { translate } from '../i18n/i18n.ts';
import type { MapInput, MapView, SavedMap } from '../../../server/map/maps/model.ts';

/** A saved map as `GET /maps/{id}` answers it (layers of removed datasets marked `missing`). */
export type MapDocument = Omit<SavedMap, 'layers' | 'shareToken'> & { layers: Array<SavedMap['layers'][number] & { missing?: boolean }>; shareToken?: string };

/** `?token=` of a private map whose share token is known. */
function tokenQuery(m: Pick<OpenMap, 'shareToken'>): string {
  return m.shareToken ? `?token=${encodeURIComponent(m.shareToken)}` : '';
}

/** The link that opens a map in the app (with its share token when it is private). */
export function shareUrl(m: Pick<OpenMap, 'id' | 'visibility' | 'shareToken'>): string {
  return `${window.location.origin}/#view=map&m=${encodeURIComponent(m.id)}${m.visibility === 'private' && m.shareToken ? `&mt=${encodeURIComponent(m.shareToken)}` : ''}`;
}

/** The map's current view (centre, zoom, pitch, bearing) and basemap. */
function currentView(): MapView {
  const s = store.get();
  const m = getMap();
  const c = m?.getCenter();
  return { center: [c?.lng ?? 120.03, c?.lat ?? 30.56], zoom: m?.getZoom() ?? 10, pitch: m?.getPitch() ?? 0, bearing: m?.getBearing() ?? 0, basemap: s.basemap };
}

/** A map layer as the API takes it (without what the server adds, such as `missing`). */
function layerInput(l: MapLayerState): MapInput['layers'] extends Array<infer T> | undefined ? T : never {
  return {
    id: l.id,
    dataset: l.dataset,
    style: (l.style ?? null) as never,
    filter: l.filter,
    visible: l.visible,
    opacity: l.opacity,
    ...(l.label !== undefined ? { label: l.label } : {}),
    legendTitle: l.legendTitle,
  };
}

/**
 * The workspace as a new saved map: the open map's layers (with their own styles) and, above them,
 * the tree's visible datasets (bottom first) with their map filters and the style stored with the
 * style editor in this session, plus the view.
 */
export function workspaceAsMap(title: string, visibility: 'public' | 'private'): MapInput {
  const s = store.get();
  const kept = s.mapLayers.filter((l) => !l.missing);
  const datasets = s.layers
    .filter((l) => l.visible && s.datasets.find((d) => d.id === l.id)?.kind === 'features')
    .reverse()
    .map((l) => ({
      dataset: l.id,
      opacity: l.opacity,
      visible: true,
      ...(s.mapFilters[l.id] ? { filter: s.mapFilters[l.id] } : {}),
      ...(s.editedStyles[l.id] ? { style: s.editedStyles[l.id] as never } : {}),
    }));
  return {
    title: s.lang === 'zh' ? { zh: title } : { en: title },
    visibility,
    view: currentView(),
    layers: [...kept.map(layerInput), ...datasets],
  };
}

/** Puts a map document into the workspace: its layers, the dataset layers hidden (unless kept), and its view. */
async function applyMap(m: MapDocument, shareToken: string | null, opts: { keepDatasetLayers?: boolean; keepView?: boolean } = {}): Promise<void> {
  store.set((s) => ({
    savedMap: m.id,
    openMap: { id: m.id, revision: m.revision, title: m.title, description: m.description, visibility: m.visibility, shareToken: m.shareToken ?? shareToken, dirty: false },
    mapLayers: m.layers.map((l) => ({
      id: l.id,
      dataset: l.dataset,
      style: l.style ?? null,
      filter: l.filter ?? null,
      visible: l.visible !== false,
      opacity: l.opacity ?? 1,
      ...(l.label !== undefined ? { label: l.label } : {}),
      legendTitle: l.legendTitle ?? null,
      ...(l.missing ? { missing: true } : {}),
    })),
    basemap: m.view.basemap ?? s.basemap,
    ...(opts.keepDatasetLayers ? {} : { layers: s.layers.map((l) => ({ ...l, visible: false })), mapFilters: {} }),
    ...(opts.keepView ? {} : { pitch3d: (m.view.pitch ?? 0) > 10 }),
  }));
  const map = await whenMap();
  if (!opts.keepView) map.jumpTo({ center: m.view.center, zoom: m.view.zoom, pitch: m.view.pitch ?? 0, bearing: m.view.bearing ?? 0 });
  scheduleHashWrite(map);
}

/** Opens a saved map in the workspace (a private one with its share token). */
export async function openSavedMap(id: string, token?: string, opts: { keepDatasetLayers?: boolean; keepView?: boolean } = {}): Promise<void> {
  const m = await api<MapDocument>(`/maps/${encodeURIComponent(id)}${token ? `?token=${encodeURIComponent(token)}` : ''}`);
  await applyMap(m, token ?? null, opts);
}

/** Closes the saved map: its layers leave the map; the dataset layers stay as they are. */
export function closeSavedMap(): void {
  store.set({ savedMap: null, openMap: null, mapLayers: [] });
  scheduleHashWrite(getMap());
}

/** Saves a new map from the workspace and opens it. */
export async function saveAsNewMap(title: string, visibility: 'public' | 'private'): Promise<MapDocument> {
  const m = await api<MapDocument>('/maps', { method: 'POST', json: workspaceAsMap(title, visibility) });
  await applyMap(m, m.shareToken ?? null, { keepDatasetLayers: false, keepView: true });
  return m;
}

/** Explains a failed write: a 412 means someone saved the map in between. */
function explain(e: unknown): Error {
  const lang = store.get().lang;
  if (e instanceof ApiError && e.status === 412) return new Error(translate(lang, 'maps.conflict'));
  return e as Error;
}

/**
 * Saves the open map (its layers, view, title, visibility) with `If-Match` on the revision it was
 * read at; a 412 (changed by someone else meanwhile) becomes a message saying to reopen it.
 */
export async function saveOpenMap(change: Partial<Pick<OpenMap, 'title' | 'visibility'>> = {}): Promise<MapDocument> {
  const s = store.get();
  const o = s.openMap;
  if (!o) throw new Error('no saved map is open');
  const body: MapInput = {
    title: change.title ?? o.title,
    description: o.description,
    visibility: change.visibility ?? o.visibility,
    view: currentView(),
    layers: s.mapLayers.filter((l) => !l.missing).map(layerInput),
  };
  try {
    const m = await api<MapDocument>(`/maps/${encodeURIComponent(o.id)}${tokenQuery(o)}`, { method: 'PUT', json: body, headers: { 'if-match': `"r${o.revision}"` } });
    store.set({ openMap: { id: m.id, revision: m.revision, title: m.title, description: m.description, visibility: m.visibility, shareToken: m.shareToken ?? o.shareToken, dirty: false } });
    scheduleHashWrite(getMap());
    return m;
  } catch (e) {
    throw explain(e);
  }
}

/** Copies the open map (or another one) into a new private map and opens the copy. */
export async function copyMap(id: string, token: string | null): Promise<MapDocument> {
  const c = await api<MapDocument>(`/maps/${encodeURIComponent(id)}/copy${token ? `?token=${encodeURIComponent(token)}` : ''}`, { method: 'POST', json: {} });
  await applyMap(c, c.shareToken ?? null);
  return c;
}

/** Deletes the open map and closes it. */
export async function deleteOpenMap(): Promise<void> {
  const o = store.get().openMap;
  if (!o) return;
  await api(`/maps/${encodeURIComponent(o.id)}${tokenQuery(o)}`, { method: 'DELETE' });
  closeSavedMap();
}
