import type { Map as MlMap } from 'maplibre-gl';
import { store, type AppState, type LayerState, type View } from './store.ts';

/** The view state a link carries (`#view=map&c=lon,lat&z=&b=&p=&l=id,id:opacity&bm=&m=`). */
export interface HashState {
  view?: View;
  center?: [number, number];
  zoom?: number;
  bearing?: number;
  pitch?: number;
  /** Visible layers, top first. */
  layers?: Array<{ id: string; opacity: number }>;
  basemap?: string;
  savedMap?: string;
  /** Share token of a private saved map. */
  mapToken?: string;
  /** Dataset picked in the catalog (or whose access page is open). */
  dataset?: string;
}

/** Views a link may open. */
const VIEWS = ['map', 'catalog', 'upload', 'signin', 'admin', 'sharing', 'audit', 'access'] as const;

const num = (s: string | null): number | undefined => (s !== null && s !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined);

/** Reads the view state from a location hash. */
export function parseHash(hash: string): HashState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const out: HashState = {};
  const view = p.get('view');
  if (view && (VIEWS as readonly string[]).includes(view)) out.view = view as View;
  const c = p.get('c')?.split(',').map(Number);
  if (c && c.length === 2 && c.every(Number.isFinite)) out.center = [c[0], c[1]];
  const z = num(p.get('z'));
  if (z !== undefined) out.zoom = z;
  const b = num(p.get('b'));
  if (b !== undefined) out.bearing = b;
  const pitch = num(p.get('p'));
  if (pitch !== undefined) out.pitch = pitch;
  const l = p.get('l');
  if (l !== null) {
    out.layers = l
      .split(',')
      .filter(Boolean)
      .map((x) => {
        const [id, o] = x.split(':');
        const op = num(o ?? null);
        return { id, opacity: op === undefined ? 1 : Math.min(1, Math.max(0, op)) };
      })
      .filter((x) => /^[a-z][a-z0-9_]*$/.test(x.id));
  }
  const bm = p.get('bm');
  if (bm) out.basemap = bm;
  const m = p.get('m');
  if (m) out.savedMap = m;
  const mt = p.get('mt');
  if (mt) out.mapToken = mt;
  const ds = p.get('ds');
  if (ds && /^[a-z][a-z0-9_]*$/.test(ds)) out.dataset = ds;
  return out;
}

/** Writes the view state of the app and its map as a hash. */
export function formatHash(s: Pick<AppState, 'view' | 'layers' | 'basemap' | 'savedMap'> & Partial<Pick<AppState, 'openMap' | 'catalogPick'>>, map: MlMap | null): string {
  const p = new URLSearchParams();
  p.set('view', s.view);
  if (map) {
    const c = map.getCenter();
    p.set('c', `${c.lng.toFixed(5)},${c.lat.toFixed(5)}`);
    p.set('z', map.getZoom().toFixed(2));
    if (Math.abs(map.getBearing()) > 0.05) p.set('b', map.getBearing().toFixed(1));
    if (map.getPitch() > 0.5) p.set('p', map.getPitch().toFixed(0));
  }
  p.set('l', s.layers.filter((l) => l.visible).map((l) => (l.opacity < 1 ? `${l.id}:${l.opacity.toFixed(2)}` : l.id)).join(','));
  p.set('bm', s.basemap);
  if (s.savedMap) p.set('m', s.savedMap);
  if (s.catalogPick && (s.view === 'catalog' || s.view === 'access')) p.set('ds', s.catalogPick);
  // A private map opens only with its share token.
  if (s.savedMap && s.openMap?.id === s.savedMap && s.openMap.visibility === 'private' && s.openMap.shareToken) p.set('mt', s.openMap.shareToken);
  return `#${p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':')}`;
}

/** Applies the layers of a hash to the tree: listed ones visible in that order, the others hidden. */
export function layersFromHash(all: string[], listed: Array<{ id: string; opacity: number }>): LayerState[] {
  const known = listed.filter((l) => all.includes(l.id));
  return [...known.map((l) => ({ id: l.id, visible: true, opacity: l.opacity })), ...all.filter((id) => !known.some((k) => k.id === id)).map((id) => ({ id, visible: false, opacity: 1 }))];
}

let timer: ReturnType<typeof setTimeout> | undefined;

/** Keeps the location hash up to date with the app (debounced; replaces the history entry). */
export function scheduleHashWrite(map: MlMap | null): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    const h = formatHash(store.get(), map);
    if (h !== window.location.hash) history.replaceState(null, '', h);
  }, 250);
}
