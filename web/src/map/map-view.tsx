import { useEffect, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import type { Map as MlMap } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { store, useStore } from '../app/store.ts';
import { scheduleHashWrite, type HashState } from '../app/url-hash.ts';
import { useT } from '../i18n/i18n.ts';
import { listBasemaps, loadBasemapStyle } from './basemap.ts';
import { LOCAL_CJK_FONTS, setMap } from './map-instance.ts';
import { ensureOverlays } from './overlays.ts';
import { resetSynced, syncLayers } from './layer-sync.ts';
import { apply3d } from './three-d.ts';
import { handleToolClick, handleToolDoubleClick } from './tools.ts';
import { identifyAt } from './identify.ts';

/**
 * Brings the map in line with the store. A change that comes while a new style is still loading
 * (basemap switch) fails in MapLibre; it is tried again once the map is idle.
 */
function syncFromStore(map: MlMap, attempt = 0): void {
  const s = store.get();
  syncLayers(map, s.layers, s.datasets, s.lang, s.revision, s.mapFilters, s.mapLayers)
    .then(() => apply3d(map, s.pitch3d, s.layers, s.datasets))
    .catch((e: Error) => {
      if (attempt < 5) map.once('idle', () => syncFromStore(map, attempt + 1));
      else console.error('the map could not show the layers:', e);
    });
}

/** Deqing County, where the demo is. */
const DEFAULT_VIEW = { center: [120.03, 30.56] as [number, number], zoom: 10 };

/** The workspace map: basemap, dataset layers as in the tree, overlays, clicks to the active tool. */
export function MapView({ initial }: { initial: HashState }) {
  const el = useRef<HTMLDivElement>(null);
  const [map, setLocalMap] = useState<MlMap | null>(null);
  const [cursor, setCursor] = useState<{ lon: number; lat: number } | null>(null);
  const [zoom, setZoom] = useState(initial.zoom ?? DEFAULT_VIEW.zoom);
  const t = useT();
  const layers = useStore((s) => s.layers);
  const datasets = useStore((s) => s.datasets);
  const lang = useStore((s) => s.lang);
  const revision = useStore((s) => s.revision);
  const basemap = useStore((s) => s.basemap);
  const pitch3d = useStore((s) => s.pitch3d);
  const mapFilters = useStore((s) => s.mapFilters);
  const mapLayers = useStore((s) => s.mapLayers);
  const styleKey = useRef('');

  useEffect(() => {
    let disposed = false;
    let created: MlMap | null = null;
    void (async () => {
      const s = store.get();
      const list = await listBasemaps();
      const style = await loadBasemapStyle(list.find((b) => b.id === s.basemap) ?? list[0], s.lang);
      if (disposed || !el.current) return;
      styleKey.current = `${s.basemap}|${s.lang}`;
      const m = new maplibregl.Map({
        container: el.current,
        style,
        center: initial.center ?? DEFAULT_VIEW.center,
        zoom: initial.zoom ?? DEFAULT_VIEW.zoom,
        bearing: initial.bearing ?? 0,
        pitch: initial.pitch ?? 0,
        maxPitch: 70,
        localIdeographFontFamily: LOCAL_CJK_FONTS,
        canvasContextAttributes: { preserveDrawingBuffer: true },
        attributionControl: { compact: true },
      });
      created = m;
      m.addControl(new maplibregl.NavigationControl({ visualizePitch: true }), 'top-right');
      m.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
      m.doubleClickZoom.disable();
      m.on('style.load', () => ensureOverlays(m));
      m.on('load', () => {
        setMap(m);
        setLocalMap(m);
        (window as unknown as { __yitu: unknown }).__yitu = { map: m, store };
      });
      m.on('moveend', () => {
        setZoom(m.getZoom());
        scheduleHashWrite(m);
      });
      m.on('mousemove', (e) => setCursor({ lon: e.lngLat.lng, lat: e.lngLat.lat }));
      m.on('click', (e) => {
        if (!handleToolClick(m, e.lngLat)) void identifyAt(m, e.point);
      });
      m.on('dblclick', (e) => handleToolDoubleClick(m, e.lngLat));
    })();
    return () => {
      disposed = true;
      setMap(null);
      created?.remove();
    };
    // The map is created once; later changes go through the effects below.
  }, []);

  // Basemap or language changed: a new style, then the datasets again.
  useEffect(() => {
    if (!map || styleKey.current === `${basemap}|${lang}`) return;
    styleKey.current = `${basemap}|${lang}`;
    void (async () => {
      const list = await listBasemaps();
      const style = await loadBasemapStyle(list.find((b) => b.id === basemap) ?? list[0], lang);
      map.once('style.load', () => {
        resetSynced(map);
        syncFromStore(map);
      });
      map.setStyle(style, { diff: false });
    })();
  }, [map, basemap, lang]);

  useEffect(() => {
    if (!map || !datasets.length) return;
    syncFromStore(map);
    scheduleHashWrite(map);
  }, [map, layers, datasets, lang, revision, pitch3d, mapFilters, mapLayers]);

  useEffect(() => {
    if (!map) return;
    const target = pitch3d ? Math.max(map.getPitch(), 55) : 0;
    if (Math.abs(map.getPitch() - target) > 0.5) map.easeTo({ pitch: target, duration: 600 });
  }, [map, pitch3d]);

  return (
    <div className="map-wrap">
      <div ref={el} className="map" data-testid="map" />
      <div className="statusbar">
        <span>{t('status.zoom', { z: zoom.toFixed(1) })}</span>
        {cursor && <span>{t('status.coords', { lon: cursor.lon.toFixed(5), lat: cursor.lat.toFixed(5) })}</span>}
        <span className="muted">CGCS2000 / WGS84</span>
      </div>
    </div>
  );
}
