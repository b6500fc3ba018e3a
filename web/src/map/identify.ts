import type { Map as MlMap, PointLike } from 'maplibre-gl';
import { bbox as turfBbox } from '@turf/turf';
import { api } from '../app/api.ts';
import { store } from '../app/store.ts';
import { datasetOfLayer } from './dataset-style.ts';
import { visibleDatasetLayers } from './layer-sync.ts';
import { setOverlay } from './overlays.ts';

/** One identified feature. */
export interface IdentifyHit {
  dataset: string;
  fid: string | number | null;
  properties: Record<string, unknown>;
  geometry: GeoJSON.Geometry | null;
}

/** Results of the last identify, for the panel (null: none asked). */
export const identifyResults = {
  hits: null as IdentifyHit[] | null,
  at: null as { lon: number; lat: number } | null,
  listeners: new Set<() => void>(),
  set(hits: IdentifyHit[] | null, at: { lon: number; lat: number } | null) {
    this.hits = hits;
    this.at = at;
    for (const l of this.listeners) l();
  },
};

/** Features of every visible dataset layer around a screen point (5 px), one per feature, top layer first. */
export function queryAt(map: MlMap, point: { x: number; y: number }): IdentifyHit[] {
  const layers = visibleDatasetLayers(map);
  if (!layers.length) return [];
  const box: [PointLike, PointLike] = [
    [point.x - 5, point.y - 5],
    [point.x + 5, point.y + 5],
  ];
  const seen = new Set<string>();
  const hits: IdentifyHit[] = [];
  for (const f of map.queryRenderedFeatures(box, { layers })) {
    const dataset = datasetOfLayer(f.layer.id);
    if (!dataset) continue;
    const fid = (f.id ?? (f.properties?.id as string | number | undefined) ?? null) as string | number | null;
    const key = `${dataset}|${fid ?? JSON.stringify(f.properties)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    hits.push({ dataset, fid, properties: { ...f.properties }, geometry: f.geometry });
  }
  return hits.slice(0, 50);
}

/** Identifies the features under a click and shows them in the identify panel. */
export async function identifyAt(map: MlMap, point: { x: number; y: number }): Promise<void> {
  const ll = map.unproject([point.x, point.y]);
  const hits = queryAt(map, point);
  identifyResults.set(hits, { lon: ll.lng, lat: ll.lat });
  if (hits[0]) highlight(map, hits[0].geometry);
  else setOverlay(map, 'yitu-highlight', []);
}

/** Draws a geometry in the highlight overlay. */
export function highlight(map: MlMap, geometry: GeoJSON.Geometry | null): void {
  setOverlay(map, 'yitu-highlight', geometry ? [{ type: 'Feature', properties: {}, geometry }] : []);
}

/** Reads a feature with its full geometry, highlights it, zooms to it and selects it. */
export async function zoomToFeature(map: MlMap, dataset: string, fid: string | number): Promise<GeoJSON.Feature> {
  const f = await api<GeoJSON.Feature>(`/collections/${dataset}/items/${encodeURIComponent(String(fid))}`);
  store.set({ selection: { dataset, fid } });
  if (f.geometry) {
    highlight(map, f.geometry);
    const [x1, y1, x2, y2] = turfBbox(f);
    if (x1 === x2 && y1 === y2) map.easeTo({ center: [x1, y1], zoom: Math.max(map.getZoom(), 16) });
    else map.fitBounds([x1, y1, x2, y2], { padding: 80, maxZoom: 17, duration: 600 });
  }
  return f;
}
