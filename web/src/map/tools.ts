import type { LngLat, Map as MlMap } from 'maplibre-gl';
import { area as turfArea, length as turfLength, lineString, point, polygon } from '@turf/turf';
import { store } from '../app/store.ts';
import { setOverlay } from './overlays.ts';

let vertices: [number, number][] = [];

/** Formats a length in metres (m / km). */
export function formatLength(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(2)} km` : `${m.toFixed(1)} m`;
}

/** Formats an area in square metres (m² / ha / km²). */
export function formatArea(m2: number): string {
  if (m2 >= 1e6) return `${(m2 / 1e6).toFixed(3)} km²`;
  if (m2 >= 1e4) return `${(m2 / 1e4).toFixed(2)} ha`;
  return `${m2.toFixed(1)} m²`;
}

/** Geodesic length (great circle, metres) of a path of lon/lat vertices. */
export function measureLength(coords: [number, number][]): number {
  return coords.length < 2 ? 0 : turfLength(lineString(coords), { units: 'meters' });
}

/** Geodesic area (on the sphere, m²) of a ring of lon/lat vertices (closed for you). */
export function measureArea(coords: [number, number][]): number {
  return coords.length < 3 ? 0 : turfArea(polygon([[...coords, coords[0]]]));
}

/** The measurement shown while measuring, for the panel. */
export const measurement = { text: '', listeners: new Set<() => void>() };

function setMeasurement(text: string): void {
  measurement.text = text;
  for (const l of measurement.listeners) l();
}

function redrawMeasure(map: MlMap, done: boolean): void {
  const tool = store.get().tool;
  const features: GeoJSON.Feature[] = vertices.map((c) => point(c));
  let text = '';
  if (tool === 'measure-line' && vertices.length >= 2) {
    const m = measureLength(vertices);
    text = formatLength(m);
    features.push(lineString(vertices, { label: text }));
  } else if (tool === 'measure-area' && vertices.length >= 3) {
    const m = measureArea(vertices);
    text = `${formatArea(m)} · ${formatLength(measureLength([...vertices, vertices[0]]))}`;
    features.push(polygon([[...vertices, vertices[0]]], { label: formatArea(m) }));
  } else if (vertices.length === 2) {
    features.push(lineString(vertices));
  }
  setOverlay(map, 'yitu-measure', features);
  setMeasurement(text);
  if (done) vertices = [];
}

function redrawDraft(map: MlMap): void {
  const s = store.get();
  const draft: GeoJSON.Feature[] = vertices.map((c) => point(c, { draft: true }));
  if (vertices.length >= 2) draft.push(lineString(vertices, { draft: true }));
  setOverlay(map, 'yitu-draw', [...s.drawings, ...draft]);
}

/** Handles a click for the active tool; false when no tool is active (the click identifies). */
export function handleToolClick(map: MlMap, ll: LngLat): boolean {
  const tool = store.get().tool;
  if (tool === 'none') return false;
  const c: [number, number] = [ll.lng, ll.lat];
  if (tool === 'draw-point') {
    store.set((s) => ({ drawings: [...s.drawings, point(c, { kind: 'point' })] }));
    redrawDraft(map);
    return true;
  }
  vertices.push(c);
  if (tool.startsWith('measure')) redrawMeasure(map, false);
  else redrawDraft(map);
  return true;
}

/** Finishes the shape being measured or drawn (double click). */
export function handleToolDoubleClick(map: MlMap, _ll: LngLat): void {
  const tool = store.get().tool;
  // The double click's two clicks each added the same vertex.
  if (vertices.length >= 2) vertices.pop();
  if (tool.startsWith('measure')) return redrawMeasure(map, true);
  if (tool === 'draw-line' && vertices.length >= 2) store.set((s) => ({ drawings: [...s.drawings, lineString(vertices, { kind: 'line' })] }));
  if (tool === 'draw-polygon' && vertices.length >= 3) store.set((s) => ({ drawings: [...s.drawings, polygon([[...vertices, vertices[0]]], { kind: 'polygon' })] }));
  vertices = [];
  redrawDraft(map);
}

/** Clears measurements and drawings. */
export function clearTools(map: MlMap): void {
  vertices = [];
  store.set({ drawings: [] });
  setOverlay(map, 'yitu-measure', []);
  setOverlay(map, 'yitu-draw', []);
  setMeasurement('');
}

/** Abandons an unfinished shape (when the tool changes). */
export function resetDraft(map: MlMap): void {
  vertices = [];
  redrawDraft(map);
}
