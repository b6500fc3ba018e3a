import { useEffect, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { api, qs } from '../app/api.ts';
import type { DatasetVersion, ItemsPage } from '../app/api-types.ts';
import { store, useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { listBasemaps, loadBasemapStyle } from './basemap.ts';
import { loadFragment } from './dataset-style.ts';
import { LOCAL_CJK_FONTS, getMap } from './map-instance.ts';

/**
 * Swipe to compare two layers, or two versions of one: a second map over the workspace map, clipped
 * to the right of a draggable divider and moved with it, shows the right layer (or an older version of
 * it, read as of that version within the view); the workspace map shows the left one.
 */
export function Swipe() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const swipe = useStore((s) => s.swipe)!;
  const all = useStore((s) => s.datasets);
  const datasets = all.filter((d) => d.kind === 'features');
  const basemap = useStore((s) => s.basemap);
  const el = useRef<HTMLDivElement>(null);
  const other = useRef<MlMap | null>(null);
  const [x, setX] = useState(0.5);
  const [versions, setVersions] = useState<DatasetVersion[]>([]);
  const [version, setVersion] = useState<number | null>(null);

  useEffect(() => {
    setVersion(null);
    void api<{ versions: DatasetVersion[] }>(`/datasets/${swipe.right}/versions`).then((r) => setVersions(r.versions)).catch(() => setVersions([]));
  }, [swipe.right]);

  // The left layer is on in the workspace map while swiping, the right one only in the swipe map;
  // the right one is shown again in the workspace when the swipe ends if it was on before.
  useEffect(() => {
    const wasOn = store.get().layers.find((l) => l.id === swipe.right)?.visible ?? false;
    store.set((s) => ({ layers: s.layers.map((l) => (l.id === swipe.left ? { ...l, visible: true } : l.id === swipe.right ? { ...l, visible: false } : l)) }));
    return () => {
      if (wasOn) store.set((s) => ({ layers: s.layers.map((l) => (l.id === swipe.right ? { ...l, visible: true } : l)) }));
    };
  }, [swipe.left, swipe.right]);

  useEffect(() => {
    const main = getMap();
    if (!main || !el.current) return;
    let m: MlMap | null = null;
    let disposed = false;
    let loadVersion: (() => void) | null = null;
    void (async () => {
      const style = await loadBasemapStyle((await listBasemaps()).find((b) => b.id === basemap), lang);
      const ds = datasets.find((d) => d.id === swipe.right);
      if (ds && version !== null) {
        // (the select offers only versions older than the newest)
        // An older version: its features in the view, read as of that version (tiles are of the current one).
        style.sources['swipe-version'] = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
        style.layers.push(
          { id: 'swipe-version-fill', type: 'fill', source: 'swipe-version', filter: ['match', ['geometry-type'], ['Polygon', 'MultiPolygon'], true, false], paint: { 'fill-color': '#e8590c', 'fill-opacity': 0.35 } },
          { id: 'swipe-version-line', type: 'line', source: 'swipe-version', filter: ['match', ['geometry-type'], ['Point', 'MultiPoint'], false, true], paint: { 'line-color': '#e8590c', 'line-width': 1.5 } },
          { id: 'swipe-version-point', type: 'circle', source: 'swipe-version', filter: ['match', ['geometry-type'], ['Point', 'MultiPoint'], true, false], paint: { 'circle-color': '#e8590c', 'circle-radius': 4, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } },
        );
        loadVersion = () => {
          const b = main.getBounds();
          const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',');
          void api<ItemsPage>(`/collections/${ds.id}/items${qs({ version, bbox, limit: 2000 })}`).then((p) =>
            (other.current?.getSource('swipe-version') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features: p.features }),
          );
        };
      } else if (ds) {
        const f = await loadFragment(ds, lang);
        Object.assign(style.sources, f.sources);
        style.layers.push(...f.layers);
      }
      if (disposed || !el.current) return;
      m = new maplibregl.Map({ container: el.current, style, center: main.getCenter(), zoom: main.getZoom(), bearing: main.getBearing(), pitch: main.getPitch(), interactive: false, attributionControl: false, localIdeographFontFamily: LOCAL_CJK_FONTS });
      other.current = m;
      (window as unknown as { __yituSwipe?: MlMap }).__yituSwipe = m;
      if (loadVersion) {
        m.once('load', loadVersion);
        main.on('moveend', loadVersion);
      }
    })();
    const sync = () => other.current?.jumpTo({ center: main.getCenter(), zoom: main.getZoom(), bearing: main.getBearing(), pitch: main.getPitch() });
    main.on('move', sync);
    return () => {
      disposed = true;
      main.off('move', sync);
      if (loadVersion) main.off('moveend', loadVersion);
      m?.remove();
      other.current = null;
    };
  }, [swipe.right, version, lang, basemap]);

  const drag = (e: React.PointerEvent) => {
    const box = el.current?.parentElement?.getBoundingClientRect();
    if (!box) return;
    const move = (ev: PointerEvent) => setX(Math.min(0.95, Math.max(0.05, (ev.clientX - box.left) / box.width)));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    e.preventDefault();
  };
  const select = (side: 'left' | 'right') => (
    <select value={swipe[side]} onChange={(e) => store.set({ swipe: { ...swipe, [side]: e.target.value } })}>
      {datasets.map((d) => (
        <option key={d.id} value={d.id}>
          {pick(lang, d.title)}
        </option>
      ))}
    </select>
  );
  return (
    <div className="swipe" data-testid="swipe">
      <div ref={el} className="swipe-map" style={{ clipPath: `inset(0 0 0 ${x * 100}%)` }} />
      <div className="swipe-divider" style={{ left: `${x * 100}%` }} onPointerDown={drag}>
        <span className="swipe-handle">⇔</span>
      </div>
      <div className="swipe-controls">
        <label>
          {t('swipe.left')} {select('left')}
        </label>
        <label>
          {t('swipe.right')} {select('right')}
        </label>
        {versions.length > 1 && (
          <label>
            {t('swipe.version')}
            <select data-testid="swipe-version" value={version ?? ''} onChange={(e) => setVersion(e.target.value ? Number(e.target.value) : null)}>
              <option value="">{t('time.current')}</option>
              {versions
                .filter((v) => v.version < Math.max(...versions.map((x) => x.version)))
                .map((v) => (
                  <option key={v.version} value={v.version}>
                    v{v.version} · {v.createdAt.slice(0, 10)}
                  </option>
                ))}
            </select>
          </label>
        )}
        <button type="button" onClick={() => store.set({ swipe: null })}>
          {t('swipe.close')}
        </button>
      </div>
    </div>
  );
}
