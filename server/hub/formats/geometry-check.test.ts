import { describe, expect, it } from 'vitest';
import { checkGeometry, featureToItem } from './geometry-check.ts';

describe('checkGeometry', () => {
  it('accepts valid geometries of every type, Z values and empty ones', () => {
    const ring = [[0, 0], [1, 0], [1, 1], [0, 0]];
    for (const g of [
      { type: 'Point', coordinates: [1, 2] },
      { type: 'Point', coordinates: [1, 2, 3] },
      { type: 'Point', coordinates: [] },
      { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] },
      { type: 'LineString', coordinates: [[1, 2], [3, 4]] },
      { type: 'LineString', coordinates: [] },
      { type: 'MultiLineString', coordinates: [[[1, 2], [3, 4]]] },
      { type: 'Polygon', coordinates: [ring, ring] },
      { type: 'MultiPolygon', coordinates: [[ring], [ring]] },
      { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }, { type: 'Polygon', coordinates: [ring] }] },
      { type: 'GeometryCollection', geometries: [] },
    ]) {
      expect(checkGeometry(g), JSON.stringify(g)).toBeNull();
    }
  });

  it('explains structural problems', () => {
    const cases: [unknown, RegExp][] = [
      [null, /not an object/],
      [[1, 2], /not an object/],
      [{ coordinates: [1, 2] }, /no type/],
      [{ type: 'Circle', coordinates: [1, 2] }, /unknown geometry type "Circle"/],
      [{ type: 'Feature', geometry: null }, /unknown geometry type "Feature"/],
      [{ type: 'Point' }, /Point has no coordinates/],
      [{ type: 'Point', coordinates: [1] }, /at least 2/],
      [{ type: 'Point', coordinates: [1, 2, 3, 4, 5] }, /at most 4/],
      [{ type: 'Point', coordinates: ['1', 2] }, /non-number/],
      [{ type: 'Point', coordinates: [Number.NaN, 2] }, /non-finite/],
      [{ type: 'Point', coordinates: [Number.POSITIVE_INFINITY, 2] }, /non-finite/],
      [{ type: 'Point', coordinates: [[1, 2]] }, /1 ordinate\(s\), at least 2/],
      [{ type: 'Point', coordinates: [[1, 2], [3, 4]] }, /non-number/],
      [{ type: 'LineString', coordinates: [[1, 2]] }, /at least 2/],
      [{ type: 'LineString', coordinates: [1, 2] }, /LineString is not an array of positions/],
      [{ type: 'MultiLineString', coordinates: [[1, 2], [3, 4]] }, /line 1 is not an array of positions/],
      [{ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 0]]] }, /ring 1 has 3 position\(s\), at least 4/],
      [{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }, /not closed/],
      [{ type: 'Polygon', coordinates: [[]] }, /ring 1 is empty/],
      [{ type: 'Polygon', coordinates: [[0, 0], [1, 0]] }, /not an array of positions/],
      [{ type: 'MultiPolygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, /polygon 1 ring 1/],
      [{ type: 'GeometryCollection' }, /no geometries array/],
      [{ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: ['x', 1] }] }, /member 1: .*non-number/],
    ];
    for (const [g, re] of cases) expect(checkGeometry(g), JSON.stringify(g)).toMatch(re);
  });

  it('turns features into items', () => {
    expect(featureToItem({ type: 'Feature', id: 7, properties: null, geometry: null }, 3)).toEqual({ row: 3, id: 7, geometry: null, properties: {} });
    expect(featureToItem({ type: 'Point', coordinates: [1, 2] }, 1)).toEqual({ row: 1, geometry: { type: 'Point', coordinates: [1, 2] }, properties: {} });
    expect(featureToItem('x', 2)).toMatchObject({ row: 2, error: true });
    expect(featureToItem({ type: 'Feature', properties: 'x', geometry: null }, 2)).toMatchObject({ field: 'properties', error: true });
    expect(featureToItem({ type: 'Foo' }, 5)).toMatchObject({ row: 5, error: true, reason: 'feature 5 has type "Foo"; a Feature was expected' });
  });
});
