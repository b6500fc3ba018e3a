import { describe, expect, it } from 'vitest';
import { GeometryTextError, looksLikeGeometryText, parseGeometryText, parseWkbHex, parseWkt } from './wkt.ts';

describe('parseWkt', () => {
  it('parses every geometry type, case-insensitively, with Z, M and ZM', () => {
    expect(parseWkt('POINT (1 2)').geometry).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(parseWkt('point(1.5e1 -2.25)').geometry).toEqual({ type: 'Point', coordinates: [15, -2.25] });
    expect(parseWkt('POINT Z (1 2 3)').geometry).toEqual({ type: 'Point', coordinates: [1, 2, 3] });
    expect(parseWkt('POINTZ(1 2 3)').geometry).toEqual({ type: 'Point', coordinates: [1, 2, 3] });
    expect(parseWkt('POINT M (1 2 9)').geometry).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(parseWkt('POINT ZM (1 2 3 9)').geometry).toEqual({ type: 'Point', coordinates: [1, 2, 3] });
    expect(parseWkt('POINT (1 2 3)').geometry).toEqual({ type: 'Point', coordinates: [1, 2, 3] });
    expect(parseWkt('LINESTRING (0 0, 1 1, 2 0)').geometry).toEqual({ type: 'LineString', coordinates: [[0, 0], [1, 1], [2, 0]] });
    expect(parseWkt('POLYGON ((0 0, 4 0, 4 4, 0 0), (1 1, 2 1, 2 2, 1 1))').geometry).toEqual({
      type: 'Polygon',
      coordinates: [[[0, 0], [4, 0], [4, 4], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]],
    });
    expect(parseWkt('MULTIPOINT ((1 2), (3 4))').geometry).toEqual({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] });
    expect(parseWkt('MULTIPOINT (1 2, 3 4)').geometry).toEqual({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] });
    expect(parseWkt('MULTILINESTRING ((0 0, 1 1), EMPTY, (2 2, 3 3))').geometry).toEqual({
      type: 'MultiLineString',
      coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]],
    });
    expect(parseWkt('MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))').geometry?.type).toBe('MultiPolygon');
    expect(parseWkt('GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1), POINT EMPTY)').geometry).toEqual({
      type: 'GeometryCollection',
      geometries: [
        { type: 'Point', coordinates: [1, 2] },
        { type: 'LineString', coordinates: [[0, 0], [1, 1]] },
      ],
    });
  });

  it('returns null for EMPTY and reads the EWKT SRID', () => {
    for (const t of ['POINT EMPTY', 'POLYGON EMPTY', 'MULTIPOLYGON EMPTY', 'GEOMETRYCOLLECTION EMPTY', 'LINESTRING Z EMPTY']) {
      expect(parseWkt(t).geometry).toBeNull();
    }
    expect(parseWkt('SRID=4490;POINT(116 39)')).toEqual({ geometry: { type: 'Point', coordinates: [116, 39] }, srid: 4490 });
  });

  it('throws GeometryTextError with a position for invalid text', () => {
    for (const t of ['POINT (1)', 'POINT (1 2', 'CIRCLE (1 2)', 'POLYGON ((0 0, 1 1)', 'POINT (1 2) extra', 'POINT (a b)', '', 'POINT (1 2, 3 4)']) {
      expect(() => parseWkt(t), t).toThrow(GeometryTextError);
    }
    try {
      parseWkt('LINESTRING (0 0, 1 x)');
    } catch (e) {
      expect((e as GeometryTextError).position).toBeGreaterThan(10);
      expect((e as Error).message).toMatch(/character/);
    }
  });
});

describe('geometry text cells', () => {
  it('reads hex WKB and EWKB with its SRID', () => {
    expect(parseWkbHex('0101000000000000000000F03F0000000000000040')).toEqual({ geometry: { type: 'Point', coordinates: [1, 2] } });
    expect(parseWkbHex('0101000020E6100000000000000000F03F0000000000000040')).toEqual({ geometry: { type: 'Point', coordinates: [1, 2] }, srid: 4326 });
    expect(() => parseWkbHex('0101')).toThrow(GeometryTextError);
  });

  it('dispatches on the text and recognises geometry-looking values', () => {
    expect(parseGeometryText('  ').geometry).toBeNull();
    expect(parseGeometryText('{"type":"Point","coordinates":[1,2]}').geometry).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(parseGeometryText('0101000000000000000000F03F0000000000000040').geometry).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(parseGeometryText('POINT(3 4)').geometry).toEqual({ type: 'Point', coordinates: [3, 4] });
    expect(looksLikeGeometryText('MultiPolygon (((0 0, 1 0, 1 1, 0 0)))')).toBe(true);
    expect(looksLikeGeometryText('SRID=4326;POINT(1 2)')).toBe(true);
    expect(looksLikeGeometryText('POINTZ (1 2 3)')).toBe(true);
    expect(looksLikeGeometryText('0101000020E6100000000000000000F03F0000000000000040')).toBe(true);
    expect(looksLikeGeometryText('round')).toBe(false);
    expect(looksLikeGeometryText('pointy')).toBe(false);
  });
});
