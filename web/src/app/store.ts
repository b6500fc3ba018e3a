import { useSyncExternalStore } from 'react';
import type { Lang } from '../i18n/i18n.ts';
import type { Dataset } from './api-types.ts';
import type { LabelSpec, LayerStyleInput } from '../../../server/map/styles/spec.ts';
import type { SessionState } from '../access/types.ts';

/** A layer of the open saved map (its own style, filter, labels, legend title), as `/maps/{id}` gives it. */
export interface MapLayerState {
  id: string;
  dataset: string;
  /** The layer's own style spec; null follows the dataset's style. */
  style: LayerStyleInput | null;
  filter: string | null;
  visible: boolean;
  opacity: number;
  /** Absent keeps the style's labels, null turns them off. */
  label?: LabelSpec | null;
  legendTitle: { zh?: string; en?: string } | null;
  /** The dataset no longer exists (the server says so; the layer is skipped). */
  missing?: boolean;
}

/** The saved map open in the workspace: what is saved besides its layers, and whether it was changed since. */
export interface OpenMap {
  id: string;
  revision: number;
  title: { zh: string; en: string };
  description: { zh: string; en: string };
  visibility: 'public' | 'private';
  /** Known when the map was opened with it, created, copied or made private here. */
  shareToken: string | null;
  dirty: boolean;
}

/** A layer of the map workspace (one dataset), in the layer tree's order. */
export interface LayerState {
  id: string;
  visible: boolean;
  /** 0–1, applied over the style's own opacities. */
  opacity: number;
}

/** A map tool; `none` means clicks identify features. */
export type Tool = 'none' | 'measure-line' | 'measure-area' | 'draw-point' | 'draw-line' | 'draw-polygon';

/** The screens of the app. */
export type View = 'map' | 'catalog' | 'upload' | 'signin' | 'admin' | 'sharing' | 'audit' | 'access';

/** A feature picked on the map or in the table. */
export interface Selection {
  dataset: string;
  fid: string | number;
}

/** Everything the UI shows; the map mirrors `layers`, `basemap` and `pitch3d`. */
export interface AppState {
  lang: Lang;
  view: View;
  datasets: Dataset[];
  /** Layer tree order: first = drawn on top. */
  layers: LayerState[];
  basemap: string;
  pitch3d: boolean;
  tool: Tool;
  /** Shapes drawn with the draw tools (kept for the toolbox). */
  drawings: GeoJSON.Feature[];
  selection: Selection | null;
  /** Dataset whose attribute table is open. */
  table: string | null;
  /** Dataset whose style editor is open. */
  styleEditor: string | null;
  /** Catalog entry shown in the catalog's detail panel. */
  catalogPick: string | null;
  swipe: { left: string; right: string } | null;
  time: { dataset: string; version: number } | null;
  /** Saved map open in the workspace (its id, for the link). */
  savedMap: string | null;
  /** The open saved map, and its layers in drawing order (first = bottom), drawn below the dataset layers. */
  openMap: OpenMap | null;
  mapLayers: MapLayerState[];
  /** Styles stored with the style editor in this session, by dataset: a map saved from the workspace carries them. */
  editedStyles: Record<string, LayerStyleInput>;
  /** Bumped when a dataset's data or style changed, so the map reloads its layers. */
  revision: Record<string, number>;
  /** CQL2 filters applied to a dataset's tiles on the map (from the attribute table). */
  mapFilters: Record<string, string>;
  /** A short message at the bottom of the screen. */
  toast: string | null;
  /** Who is signed in (`GET /auth/session`); null until known. */
  session: SessionState | null;
  /** A message for the sign-in page (the session ended, the password was changed). */
  signInNotice: string | null;
  /** The view to return to after signing in. */
  afterSignIn: View;
  /** Sharing request to show (from a notification), and on which tab of the sharing page. */
  sharingFocus: { tab: 'catalog' | 'outgoing' | 'incoming'; requestId?: string } | null;
}

type Listener = () => void;

/** A minimal external store (React's useSyncExternalStore); one per app. */
export class Store<S> {
  private listeners = new Set<Listener>();
  constructor(private state: S) {}
  /** The current state. */
  get(): S {
    return this.state;
  }
  /** Merges a change (or the result of a function of the state) and notifies subscribers. */
  set(change: Partial<S> | ((s: S) => Partial<S>)): void {
    const patch = typeof change === 'function' ? change(this.state) : change;
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
  /** Calls `l` after every change; returns the unsubscribe function. */
  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

/** The app's store. */
export const store = new Store<AppState>({
  lang: 'zh',
  view: 'map',
  datasets: [],
  layers: [],
  basemap: 'offline',
  pitch3d: false,
  tool: 'none',
  drawings: [],
  selection: null,
  table: null,
  styleEditor: null,
  catalogPick: null,
  swipe: null,
  time: null,
  savedMap: null,
  openMap: null,
  mapLayers: [],
  editedStyles: {},
  revision: {},
  mapFilters: {},
  toast: null,
  session: null,
  signInNotice: null,
  afterSignIn: 'map',
  sharingFocus: null,
});

/** Reads a slice of the app state and re-renders when it changes. */
export function useStore<T>(selector: (s: AppState) => T): T {
  return useSyncExternalStore(store.subscribe, () => selector(store.get()));
}

/** Updates one layer's state. */
export function updateLayer(id: string, change: Partial<LayerState>): void {
  store.set((s) => ({ layers: s.layers.map((l) => (l.id === id ? { ...l, ...change } : l)) }));
}

/** Changes one layer of the open saved map (marking the map changed). */
export function updateMapLayer(id: string, change: Partial<MapLayerState>): void {
  store.set((s) => ({
    mapLayers: s.mapLayers.map((l) => (l.id === id ? { ...l, ...change } : l)),
    openMap: s.openMap ? { ...s.openMap, dirty: true } : null,
  }));
}

/** Shows a layer (adding it to the tree when it is not there) and puts it on top. */
export function showLayer(id: string): void {
  store.set((s) => {
    const existing = s.layers.find((l) => l.id === id);
    const rest = s.layers.filter((l) => l.id !== id);
    return { layers: [{ id, visible: true, opacity: existing?.opacity ?? 1 }, ...rest] };
  });
}

/** Shows a message for a few seconds. */
export function toast(message: string): void {
  store.set({ toast: message });
  setTimeout(() => {
    if (store.get().toast === message) store.set({ toast: null });
  }, 3500);
}
