import { describe, expect, it } from 'vitest';
import { crsDefinition } from './crs-defs.ts';
import { plainNumber } from './dbf.ts';
import { EnvelopeList, buildRtree, roundFloat32 } from './gpkg-rtree.ts';
import { checkLayerName, truncateUtf8, uniqueNames } from './names.ts';
import { orientPolygon, ringArea2, splitFamilies } from './shp-geometry.ts';
import { requireTool, tool } from './test-fixtures.ts';
import { toBooleanValue, toDateText, toNumeric, toTimestampText } from './values.ts';
import { geometryToWkt } from './wkt.ts';

describe('geometryToWkt', () => {
  it('writes every geometry type', () => {
    expect(geometryToWkt({ type: 'Point', coordinates: [120.123456789, 30.5] })).toBe('POINT (120.123456789 30.5)');
    expect(geometryToWkt({ type: 'Point', coordinates: [1, 2, 3] })).toBe('POINT Z (1 2 3)');
    expect(geometryToWkt({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] })).toBe('MULTIPOINT ((1 2),(3 4))');
    expect(geometryToWkt({ type: 'LineString', coordinates: [[1, 2], [3, 4]] })).toBe('LINESTRING (1 2,3 4)');
    expect(geometryToWkt({ type: 'MultiLineString', coordinates: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]] })).toBe(
      'MULTILINESTRING ((1 2,3 4),(5 6,7 8))',
    );
    expect(
      geometryToWkt({
        type: 'Polygon',
        coordinates: [
          [[0, 0], [4, 0], [4, 4], [0, 0]],
          [[1, 1], [2, 1], [1, 2], [1, 1]],
        ],
      }),
    ).toBe('POLYGON ((0 0,4 0,4 4,0 0),(1 1,2 1,1 2,1 1))');
    expect(geometryToWkt({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] })).toBe(
      'MULTIPOLYGON (((0 0,1 0,1 1,0 0)))',
    );
    expect(
      geometryToWkt({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }, { type: 'LineString', coordinates: [[0, 0], [1, 1]] }] }),
    ).toBe('GEOMETRYCOLLECTION (POINT (1 2),LINESTRING (0 0,1 1))');
  });

  it('writes empty geometries', () => {
    expect(geometryToWkt({ type: 'Point', coordinates: [] })).toBe('POINT EMPTY');
    expect(geometryToWkt({ type: 'Polygon', coordinates: [] })).toBe('POLYGON EMPTY');
    expect(geometryToWkt({ type: 'GeometryCollection', geometries: [] })).toBe('GEOMETRYCOLLECTION EMPTY');
  });
});

describe('value normalisation', () => {
  it('keeps numeric literals exact and rejects non-numbers', () => {
    expect(toNumeric('9007199254740993')).toBe('9007199254740993');
    expect(toNumeric(0.1 + 0.2)).toBe(0.30000000000000004);
    expect(toNumeric(12n)).toBe('12');
    expect(toNumeric(' 5 ')).toBe('5');
    expect(toNumeric('abc')).toBeNull();
    expect(toNumeric(NaN)).toBeNull();
  });

  it('reads booleans, dates and timestamps in their usual spellings', () => {
    expect(toBooleanValue('t')).toBe(true);
    expect(toBooleanValue('否')).toBe(false);
    expect(toBooleanValue('maybe')).toBeNull();
    expect(toDateText(new Date(Date.UTC(2024, 0, 2)))).toBe('2024-01-02');
    expect(toDateText(new Date(2024, 0, 2))).toBe('2024-01-02');
    expect(toDateText('2024-01-02T00:00:00Z')).toBe('2024-01-02');
    expect(toDateText('20240102')).toBe('2024-01-02');
    expect(toTimestampText('2024-01-02 10:00:00+08')).toBe('2024-01-02T10:00:00+08:00');
    expect(toTimestampText('2024-01-02 10:00:00.123456+08', true)).toBe('2024-01-02T02:00:00.123Z');
    expect(toTimestampText('2024-01-02 10:00')).toBe('2024-01-02T10:00:00');
    expect(toTimestampText(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('2024-01-02T03:04:05.000Z');
  });
});

describe('names', () => {
  it('truncates UTF-8 on character boundaries', () => {
    expect(truncateUtf8('土地用途分类', 10)).toBe('土地用');
    expect(truncateUtf8('ab土地', 4)).toBe('ab');
    expect(truncateUtf8('😀x', 3)).toBe('');
  });

  it('makes truncated names unique within the byte limit', () => {
    const names = uniqueNames(['population_2020', 'population_2021', 'NAME', 'name', '土地用途分类一', '土地用途分类二'], 10);
    expect(names).toEqual(['population', 'populati_1', 'NAME', 'name_1', '土地用', '土地_1']);
    for (const n of names) expect(Buffer.byteLength(n)).toBeLessThanOrEqual(10);
  });

  it('refuses unsafe layer names', () => {
    expect(() => checkLayerName('../etc/passwd')).toThrow(/layer name/);
    expect(() => checkLayerName('land_use-2024')).not.toThrow();
  });
});

describe('DBF numbers', () => {
  it('writes plain decimals without exponents', () => {
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(1.5e-7)).toBe('0.00000015');
    expect(plainNumber(0.1 + 0.2)).toBe('0.3'); // more than 15 decimals: rounded to 15
    expect(plainNumber('123456789012345678901234')).toBe('123456789012345678901234');
    expect(plainNumber(-12.5)).toBe('-12.5');
  });
});

describe('Shapefile polygon orientation', () => {
  it('makes outer rings clockwise and holes counter-clockwise, closing rings', () => {
    const rings = orientPolygon([
      [[0, 0], [10, 0], [10, 10], [0, 10]],
      [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]],
    ]);
    expect(ringArea2(rings[0])).toBeLessThan(0);
    expect(ringArea2(rings[1])).toBeGreaterThan(0);
    expect(rings[0][0]).toEqual(rings[0][rings[0].length - 1]);
  });

  it('drops polygons whose outer ring is degenerate and splits collections by family', () => {
    expect(orientPolygon([[[0, 0], [1, 1], [0, 0]]])).toEqual([]);
    const parts = splitFamilies({
      type: 'GeometryCollection',
      geometries: [
        { type: 'Point', coordinates: [1, 2] },
        { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] },
        { type: 'Point', coordinates: [3, 4] },
      ],
    });
    expect(parts.map((p) => p.family)).toEqual(['point', 'polygon']);
  });
});

describe('R-tree packing', () => {
  it('rounds float32 bounds outwards', () => {
    for (const x of [0.1, -0.1, 120.123456789, -33.3333333, 1e-40, 5]) {
      expect(roundFloat32(x, false)).toBeLessThanOrEqual(x);
      expect(roundFloat32(x, true)).toBeGreaterThanOrEqual(x);
      expect(Math.fround(roundFloat32(x, true))).toBe(roundFloat32(x, true));
    }
    expect(roundFloat32(5, true)).toBe(5);
  });

  it('packs entries into nodes of at most 51 cells with every id in one leaf', () => {
    const list = new EnvelopeList();
    for (let i = 1; i <= 5000; i++) list.add(i, i % 100, (i % 100) + 1, Math.floor(i / 100), Math.floor(i / 100) + 1);
    const rowids = new Map<number, number>();
    const parents = new Map<number, number>();
    const nodes = new Map<number, Uint8Array>();
    buildRtree(list, {
      node: (n, d) => nodes.set(n, d),
      rowid: (r, n) => rowids.set(r, n),
      parent: (n, p) => parents.set(n, p),
    });
    expect(rowids.size).toBe(5000);
    expect(parents.size).toBe(nodes.size - 1);
    const root = new DataView(nodes.get(1)!.buffer);
    expect(root.getUint16(0)).toBe(2); // 5000 entries → 99 leaves → 2 inner nodes → root
    for (const d of nodes.values()) {
      expect(d.length).toBe(1228);
      expect(new DataView(d.buffer).getUint16(2)).toBeLessThanOrEqual(51);
    }
  });
});

describe('CRS definitions', () => {
  it('has definitions for 4326, 4490, 3857 and the CGCS2000 Gauss-Krüger zones', () => {
    for (const c of [4326, 4490, 3857, 4549, 4491, 4512, 4513, 4554]) expect(crsDefinition(c)).toBeDefined();
    expect(crsDefinition(4555)).toBeUndefined();
    expect(crsDefinition(4549)!.esriWkt).toContain('CGCS2000_3_Degree_GK_CM_120E');
  });

  it('matches what GDAL writes (gdalsrsinfo)', async () => {
    if (!(await requireTool('gdalsrsinfo'))) return;
    for (const c of [4326, 4490, 3857, 4549, 4491, 4501, 4502, 4513, 4533, 4534, 4554]) {
      const def = crsDefinition(c)!;
      expect((await tool('gdalsrsinfo', ['-o', 'wkt1', '--single-line', `EPSG:${c}`])).trim(), `wkt1 ${c}`).toBe(def.wkt);
      expect((await tool('gdalsrsinfo', ['-o', 'wkt_esri', '--single-line', `EPSG:${c}`])).trim(), `esri ${c}`).toBe(def.esriWkt);
    }
  });
});
