import type { Map as MlMap } from 'maplibre-gl';
import type { Dataset } from '../app/api-types.ts';
import type { LayerState } from '../app/store.ts';
import { OVERLAY_PREFIX, mapLayersOf } from './layer-sync.ts';

const EXTRUDE = 'ds-extrude:';

/** Height in metres of a feature of a dataset with floors or heights: `height_m`, else floors × 3 m. */
function heightExpression(ds: Dataset): unknown[] | null {
  const cols = new Set(ds.columns.map((c) => c.name));
  if (cols.has('height_m')) return ['to-number', ['get', 'height_m'], 0];
  if (cols.has('floors')) return ['*', ['to-number', ['get', 'floors'], 0], 3];
  return null;
}

/**
 * 3D: polygon datasets with heights (buildings by floors) are drawn as extrusions while their flat
 * fills are hidden; 2D removes the extrusions. Datasets whose server style already extrudes are left alone.
 */
export function apply3d(map: MlMap, on: boolean, layers: LayerState[], datasets: Dataset[]): void {
  if (!map.getStyle()) return;
  for (const ds of datasets) {
    const id = `${EXTRUDE}${ds.id}`;
    const state = layers.find((l) => l.id === ds.id);
    const own = mapLayersOf(map, ds.id);
    const fills = own.filter((l) => map.getLayer(l)?.type === 'fill');
    const alreadyExtruded = own.some((l) => map.getLayer(l)?.type === 'fill-extrusion');
    const height = heightExpression(ds);
    const want = on && !!state?.visible && !!height && fills.length > 0 && !alreadyExtruded && /polygon/i.test(ds.geometryType ?? '');
    if (!want) {
      if (map.getLayer(id)) {
        map.removeLayer(id);
        for (const f of fills) map.setLayoutProperty(f, 'visibility', state?.visible ? 'visible' : 'none');
      }
      continue;
    }
    const fill = map.getLayer(fills[0])!;
    if (!map.getLayer(id)) {
      map.addLayer({
        id,
        type: 'fill-extrusion',
        source: fill.source,
        ...(fill.sourceLayer ? { 'source-layer': fill.sourceLayer } : {}),
        paint: {
          'fill-extrusion-color': ['interpolate', ['linear'], height as never, 0, '#e9e2d0', 30, '#c9b48f', 80, '#8f7a5a'],
          'fill-extrusion-height': height as never,
          'fill-extrusion-opacity': 0.9 * (state?.opacity ?? 1),
        },
      }, map.getStyle().layers.find((l) => l.id.startsWith(OVERLAY_PREFIX))?.id);
    }
    for (const f of fills) map.setLayoutProperty(f, 'visibility', 'none');
  }
}
