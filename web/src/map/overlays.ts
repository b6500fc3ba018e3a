import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';

/** The app's own GeoJSON overlays, drawn above every dataset. */
export type OverlayId = 'yitu-time' | 'yitu-highlight' | 'yitu-draw' | 'yitu-measure';

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
const data = new Map<OverlayId, GeoJSON.FeatureCollection>();

const STYLES: Record<OverlayId, { colour: string; fill: number; width: number; dash?: number[] }> = {
  'yitu-time': { colour: '#e8590c', fill: 0.25, width: 1.5 },
  'yitu-highlight': { colour: '#00b3ff', fill: 0.2, width: 3 },
  'yitu-draw': { colour: '#7048e8', fill: 0.15, width: 2 },
  'yitu-measure': { colour: '#e03131', fill: 0.12, width: 2, dash: [2, 1] },
};

/** Adds the overlay sources and layers when the style lacks them (after a basemap switch too). */
export function ensureOverlays(map: MlMap): void {
  for (const id of Object.keys(STYLES) as OverlayId[]) {
    if (map.getSource(id)) continue;
    const s = STYLES[id];
    map.addSource(id, { type: 'geojson', data: data.get(id) ?? EMPTY });
    map.addLayer({ id: `${id}-fill`, type: 'fill', source: id, filter: ['match', ['geometry-type'], ['Polygon', 'MultiPolygon'], true, false], paint: { 'fill-color': s.colour, 'fill-opacity': s.fill } });
    map.addLayer({
      id: `${id}-line`,
      type: 'line',
      source: id,
      filter: ['match', ['geometry-type'], ['LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'], true, false],
      paint: { 'line-color': s.colour, 'line-width': s.width, ...(s.dash ? { 'line-dasharray': s.dash } : {}) },
    });
    map.addLayer({
      id: `${id}-point`,
      type: 'circle',
      source: id,
      filter: ['match', ['geometry-type'], ['Point', 'MultiPoint'], true, false],
      paint: { 'circle-color': s.colour, 'circle-radius': id === 'yitu-highlight' ? 7 : 4, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2, 'circle-opacity': id === 'yitu-highlight' ? 0.6 : 1 },
    });
    if (id === 'yitu-measure') {
      map.addLayer({
        id: `${id}-label`,
        type: 'symbol',
        source: id,
        filter: ['has', 'label'],
        layout: { 'text-field': ['get', 'label'], 'text-size': 13, 'text-font': ['Noto Sans Regular'], 'text-offset': [0, -1.2], 'text-allow-overlap': true },
        paint: { 'text-color': '#c92a2a', 'text-halo-color': '#fff', 'text-halo-width': 2 },
      });
    }
  }
}

/** Replaces an overlay's features. */
export function setOverlay(map: MlMap, id: OverlayId, features: GeoJSON.Feature[]): void {
  const fc: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features };
  data.set(id, fc);
  (map.getSource(id) as GeoJSONSource | undefined)?.setData(fc);
}

/** The features of an overlay. */
export function overlayFeatures(id: OverlayId): GeoJSON.Feature[] {
  return data.get(id)?.features ?? [];
}
