import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { gunzipSync } from 'node:zlib';
import type { FixtureFeature } from '../../ogc/test-app.ts';

/** The tile of a zoom holding a lon/lat. */
export function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n) };
}

/** A decoded feature, comparable across encoders: id, type, attributes, rings as [x, y] lists. */
export interface DecodedFeature {
  id: number | undefined;
  type: number;
  properties: Record<string, unknown>;
  geometry: number[][][];
}

/** Decodes a tile (gzip or not) into layers of features sorted by id, then geometry. */
export function decodeTile(body: Buffer | Uint8Array): Record<string, DecodedFeature[]> {
  const bytes = body.length > 2 && body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body;
  const vt = new VectorTile(new PbfReader(bytes));
  const out: Record<string, DecodedFeature[]> = {};
  for (const [name, layer] of Object.entries(vt.layers)) {
    const fs: DecodedFeature[] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      fs.push({ id: f.id, type: f.type, properties: f.properties, geometry: f.loadGeometry().map((r) => r.map((p) => [p.x, p.y])) });
    }
    fs.sort((a, b) => (a.id ?? 0) - (b.id ?? 0) || JSON.stringify(a.geometry).localeCompare(JSON.stringify(b.geometry)));
    out[name] = fs;
  }
  return out;
}

const square = (x: number, y: number, s: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];

/**
 * Geometries of every kind around Deqing (120°E, 30.5°N), with every column type: points,
 * a multipoint, lines (one crossing many tiles), a polygon with a hole, a multipolygon, a large
 * polygon covering many tiles with many vertices, and a tiny one (sub-pixel at low zooms).
 */
export function mixedFeatures(): FixtureFeature[] {
  const circle: number[][] = [];
  for (let i = 0; i < 720; i++) {
    const a = (i / 720) * 2 * Math.PI;
    circle.push([120 + 0.2 * Math.cos(a) * (1 + 0.05 * Math.sin(9 * a)), 30.5 + 0.15 * Math.sin(a) * (1 + 0.05 * Math.cos(7 * a))]);
  }
  circle.push(circle[0]);
  const props = (i: number) => ({ name: `要素${i}`, kind: ['a', 'b', 'c'][i % 3], n: i - 3, v: i * 1.25, ok: i % 2 === 0, day: `2024-0${(i % 9) + 1}-15`, at: `2024-05-0${(i % 9) + 1}T08:30:00Z`, meta: { i } });
  const gs = [
    { type: 'Point', coordinates: [120.01, 30.51] },
    { type: 'MultiPoint', coordinates: [[120.02, 30.52], [120.03, 30.53]] },
    { type: 'LineString', coordinates: [[119.8, 30.4], [120.0, 30.5], [120.2, 30.45], [120.25, 30.6]] },
    { type: 'MultiLineString', coordinates: [[[120.05, 30.55], [120.06, 30.56]], [[120.07, 30.55], [120.08, 30.57]]] },
    { type: 'Polygon', coordinates: [square(120.04, 30.48, 0.02), square(120.045, 30.485, 0.005)] },
    { type: 'MultiPolygon', coordinates: [[square(119.95, 30.45, 0.01)], [square(119.97, 30.45, 0.01)]] },
    { type: 'Polygon', coordinates: [circle] },
    { type: 'Polygon', coordinates: [square(120.1, 30.6, 0.00002)] },
  ] as const;
  return gs.map((geometry, i) => ({ geometry: geometry as unknown as FixtureFeature['geometry'], properties: props(i) }));
}

/** `n` points on a grid over a small area (dense enough to cluster at low zoom). */
export function densePoints(n: number): FixtureFeature[] {
  const side = Math.ceil(Math.sqrt(n));
  return Array.from({ length: n }, (_, i) => ({
    geometry: { type: 'Point', coordinates: [119.95 + (i % side) * 0.0005, 30.45 + Math.floor(i / side) * 0.0005] },
    properties: { id: i, value: i % 10 },
  }));
}

/** The fixture's tiles compared between encoders: several zooms over its area. */
export const FIXTURE_TILES = [
  tileOf(120, 30.5, 6),
  tileOf(120, 30.5, 9),
  tileOf(120.05, 30.5, 11),
  tileOf(120.05, 30.49, 13),
  tileOf(120.0, 30.5, 14),
  tileOf(120.19, 30.5, 15),
  tileOf(120.045, 30.485, 16),
];
