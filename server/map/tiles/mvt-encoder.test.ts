import { VectorTile, type VectorTileFeature } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { type MvtFeature, encodeGeometry, encodeTile, ringArea2 } from './mvt-encoder.ts';

const decode = (bytes: Uint8Array) => new VectorTile(new PbfReader(bytes));
const one = (f: MvtFeature) => decode(encodeTile([{ name: 'l', features: [f] }])).layers.l;
const rings = (f: VectorTileFeature) => f.loadGeometry().map((r) => r.map((p) => [p.x, p.y]));

describe('our MVT encoder', () => {
  it('encodes a point as MoveTo(1) with zigzag deltas (hand-checked)', () => {
    // MVT spec 4.3.5 example: Point(25, 17) → [9, 50, 34].
    expect(encodeGeometry({ type: 'Point', coordinates: [25, 17] })).toEqual({ type: 1, commands: [9, 50, 34] });
    // MultiPoint (5,7), (3,2) → MoveTo(2) +5,+7 −2,−5 = [17, 10, 14, 3, 9].
    expect(encodeGeometry({ type: 'MultiPoint', coordinates: [[5, 7], [3, 2]] })).toEqual({ type: 1, commands: [17, 10, 14, 3, 9] });
  });

  it('encodes a linestring and a multilinestring with a cursor carried across parts (spec examples)', () => {
    expect(encodeGeometry({ type: 'LineString', coordinates: [[2, 2], [2, 10], [10, 10]] })).toEqual({ type: 2, commands: [9, 4, 4, 18, 0, 16, 16, 0] });
    expect(encodeGeometry({ type: 'MultiLineString', coordinates: [[[2, 2], [2, 10], [10, 10]], [[1, 1], [3, 5]]] })).toEqual({
      type: 2,
      commands: [9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8],
    });
  });

  it('encodes a polygon without its closing point, exterior ring clockwise on screen (positive area, y down)', () => {
    // Spec example: Polygon (3,6) (8,12) (20,34) → [9, 6, 12, 18, 10, 12, 24, 44, 15].
    const g = encodeGeometry({ type: 'Polygon', coordinates: [[[3, 6], [8, 12], [20, 34], [3, 6]]] });
    expect(g).toEqual({ type: 3, commands: [9, 6, 12, 18, 10, 12, 24, 44, 15] });
    expect(ringArea2([[3, 6], [8, 12], [20, 34]])).toBeGreaterThan(0);
  });

  it('reverses rings given in the wrong winding: exterior positive, holes negative', () => {
    const outerCcwOnScreen = [[0, 0], [0, 100], [100, 100], [100, 0], [0, 0]];
    const holeCwOnScreen = [[20, 20], [80, 20], [80, 80], [20, 80], [20, 20]];
    const l = one({ geometry: { type: 'Polygon', coordinates: [outerCcwOnScreen, holeCwOnScreen] }, properties: [] });
    const [outer, hole] = rings(l.feature(0)) as [number, number][][];
    expect(ringArea2(outer)).toBeGreaterThan(0);
    expect(ringArea2(hole)).toBeLessThan(0);
    // Decoded rings are closed again by the reader; same vertices as given.
    expect(new Set(outer.map((p) => p.join()))).toEqual(new Set(outerCcwOnScreen.map((p) => p.join())));
    expect(l.feature(0).toGeoJSON(0, 0, 0).geometry.type).toBe('Polygon');
  });

  it('encodes a multipolygon with a hole as polygons the reader classifies back', () => {
    const a = [[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]];
    const hole = [[10, 10], [10, 20], [20, 20], [20, 10], [10, 10]];
    const b = [[200, 200], [300, 200], [300, 300], [200, 300], [200, 200]];
    const l = one({ geometry: { type: 'MultiPolygon', coordinates: [[a, hole], [b]] }, properties: [] });
    const gj = l.feature(0).toGeoJSON(0, 0, 0).geometry;
    expect(gj.type).toBe('MultiPolygon');
    expect((gj as { coordinates: unknown[][] }).coordinates.map((p) => p.length)).toEqual([2, 1]);
  });

  it('drops degenerate geometry: repeated points, zero-area rings, one-point lines; holes of a dropped exterior', () => {
    expect(encodeGeometry({ type: 'LineString', coordinates: [[5, 5], [5.2, 4.9]] })).toBeNull();
    expect(encodeGeometry({ type: 'Polygon', coordinates: [[[0, 0], [10, 0], [20, 0], [0, 0]], [[1, 1], [1, 2], [2, 2], [1, 1]]] })).toBeNull();
    // A zero-area hole goes, the polygon stays.
    const g = encodeGeometry({ type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 0]], [[1, 1], [2, 2], [3, 3], [1, 1]]] });
    expect(g?.commands.filter((c) => c === 15)).toHaveLength(1);
    expect(encodeGeometry({ type: 'GeometryCollection', geometries: [] })).toBeNull();
    expect(encodeTile([{ name: 'empty', features: [{ geometry: { type: 'LineString', coordinates: [[1, 1], [1, 1]] }, properties: [] }] }])).toHaveLength(0);
  });

  it('writes ids, typed values once in the key/value tables, and leaves out nulls', () => {
    const features: MvtFeature[] = [1, 2].map((id) => ({
      id,
      geometry: { type: 'Point', coordinates: [id, id] },
      properties: [
        { key: 'name', kind: 'string', value: id === 1 ? '德清' : 'Deqing' },
        { key: 'n', kind: 'int', value: id === 1 ? 7 : -7 },
        { key: 'area', kind: 'double', value: 1.5 },
        { key: 'open', kind: 'bool', value: id === 1 },
        { key: 'note', kind: 'string', value: null },
      ],
    }));
    const bytes = encodeTile([{ name: 'poi', features }]);
    const l = decode(bytes).layers.poi;
    expect(l.extent).toBe(4096);
    expect(l.version).toBe(2);
    expect(l.length).toBe(2);
    expect(l.feature(0).id).toBe(1);
    expect(l.feature(0).properties).toEqual({ name: '德清', n: 7, area: 1.5, open: true });
    expect(l.feature(1).properties).toEqual({ name: 'Deqing', n: -7, area: 1.5, open: false });
    // 'area' 1.5 is written once: 7 distinct values (2 names, 7, −7, 1.5, true, false).
    expect((l as unknown as { _values: unknown[] })._values).toHaveLength(7);
    expect((l as unknown as { _keys: string[] })._keys).toEqual(['name', 'n', 'area', 'open']);
  });
});
