import type { Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  WkbError,
  decodeGeoPackageGeometry,
  encodeGeoPackageGeometry,
  geometryToWkb,
  wkbToGeometry,
} from './wkb.ts';

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

const samples: Geometry[] = [
  { type: 'Point', coordinates: [120.5, 30.25] },
  { type: 'Point', coordinates: [500000, 3350000, 12.5] },
  { type: 'LineString', coordinates: [[0, 0], [1, 1], [2, 0]] },
  {
    type: 'Polygon',
    coordinates: [
      [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
      [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]],
    ],
  },
  { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] },
  { type: 'MultiLineString', coordinates: [[[0, 0, 1], [1, 1, 2]], [[5, 5, 3], [6, 6, 4]]] },
  {
    type: 'MultiPolygon',
    coordinates: [
      [[[0, 0], [1, 0], [1, 1], [0, 0]]],
      [[[5, 5], [6, 5], [6, 6], [5, 5]]],
    ],
  },
  {
    type: 'GeometryCollection',
    geometries: [
      { type: 'Point', coordinates: [1, 2] },
      { type: 'LineString', coordinates: [[0, 0], [1, 1]] },
    ],
  },
];

describe('WKB', () => {
  it('encodes POINT(1 2) like PostGIS ST_AsBinary', () => {
    expect(toHex(geometryToWkb({ type: 'Point', coordinates: [1, 2] }))).toBe('0101000000000000000000F03F0000000000000040');
    expect(toHex(geometryToWkb({ type: 'Point', coordinates: [1, 2] }, { littleEndian: false }))).toBe(
      '00000000013FF00000000000004000000000000000',
    );
    // ISO POINT Z: type 1001 = 0x3E9.
    expect(toHex(geometryToWkb({ type: 'Point', coordinates: [1, 2, 3] }))).toBe(
      '01E9030000000000000000F03F00000000000000400000000000000840',
    );
  });

  it.each(samples.map((g) => [g.type, g]))('round-trips %s', (_t, g) => {
    expect(wkbToGeometry(geometryToWkb(g as Geometry))).toEqual(g);
    expect(wkbToGeometry(geometryToWkb(g as Geometry, { littleEndian: false }))).toEqual(g);
  });

  it('reads EWKB with SRID and Z flag', () => {
    // SRID=4490;POINT Z(1 2 3) as PostGIS EWKB: type 0xA0000001.
    const ewkb = hex('01 010000A0 AA110000 000000000000F03F 0000000000000040 0000000000000840');
    expect(wkbToGeometry(ewkb)).toEqual({ type: 'Point', coordinates: [1, 2, 3] });
  });

  it('drops M from ISO ZM and M geometries', () => {
    const zm = hex('01 B90B0000 000000000000F03F 0000000000000040 0000000000000840 0000000000001040');
    expect(wkbToGeometry(zm)).toEqual({ type: 'Point', coordinates: [1, 2, 3] });
    const m = hex('01 D2070000 02000000 000000000000F03F 0000000000000040 0000000000001040 0000000000000840 0000000000000040 0000000000001040');
    expect(wkbToGeometry(m)).toEqual({ type: 'LineString', coordinates: [[1, 2], [3, 2]] });
  });

  it('decodes empty geometries to null', () => {
    expect(wkbToGeometry(hex('0101000000 000000000000F87F 000000000000F87F'))).toBeNull();
    expect(wkbToGeometry(hex('0103000000 00000000'))).toBeNull();
    expect(wkbToGeometry(hex('0107000000 00000000'))).toBeNull();
  });

  it('refuses truncated or unknown WKB', () => {
    expect(() => wkbToGeometry(hex('0101000000 000000000000F03F'))).toThrow(WkbError);
    expect(() => wkbToGeometry(hex('0108000000 00000000'))).toThrow(/unsupported WKB geometry type 8/);
    expect(() => wkbToGeometry(hex('05'))).toThrow(WkbError);
    expect(() => wkbToGeometry(hex('0102000000 FFFFFFFF'))).toThrow(WkbError);
  });

  it('writes missing Z values as 0 in a 3D geometry', () => {
    const g: Geometry = { type: 'LineString', coordinates: [[0, 0, 5], [1, 1]] };
    expect(wkbToGeometry(geometryToWkb(g))).toEqual({ type: 'LineString', coordinates: [[0, 0, 5], [1, 1, 0]] });
    expect(wkbToGeometry(geometryToWkb(g, { z: false }))).toEqual({ type: 'LineString', coordinates: [[0, 0], [1, 1]] });
  });
});

describe('GeoPackage geometry blobs', () => {
  it('round-trips with an envelope', () => {
    for (const g of samples) {
      const { blob } = encodeGeoPackageGeometry(g, 4549);
      expect(blob[0]).toBe(0x47);
      expect(blob[1]).toBe(0x50);
      expect(decodeGeoPackageGeometry(blob)).toEqual({ srsId: 4549, geometry: g });
    }
  });

  it('reads every envelope size and big-endian headers', () => {
    const wkb = geometryToWkb({ type: 'Point', coordinates: [1, 2] });
    for (const [indicator, bytes] of [
      [0, 0],
      [1, 32],
      [2, 48],
      [3, 48],
      [4, 64],
    ]) {
      const blob = new Uint8Array(8 + bytes + wkb.length);
      blob.set([0x47, 0x50, 0, indicator << 1]);
      new DataView(blob.buffer).setInt32(4, 4326, false);
      blob.set(wkb, 8 + bytes);
      expect(decodeGeoPackageGeometry(blob)).toEqual({ srsId: 4326, geometry: { type: 'Point', coordinates: [1, 2] } });
    }
  });

  it('writes little-endian flags, srs_id and the xy envelope (points too), and says whether Z was written', () => {
    const line = encodeGeoPackageGeometry({ type: 'LineString', coordinates: [[3, 4, 1], [1, 8, 2]] }, 4490);
    expect(line.envelope).toEqual([1, 3, 4, 8]);
    expect(line.hasZ).toBe(true);
    expect(toHex(line.blob.subarray(0, 8))).toBe('475000038A110000');
    const view = new DataView(line.blob.buffer, line.blob.byteOffset);
    expect([0, 1, 2, 3].map((i) => view.getFloat64(8 + i * 8, true))).toEqual([1, 3, 4, 8]);
    expect(toHex(line.blob.subarray(40))).toBe(toHex(geometryToWkb({ type: 'LineString', coordinates: [[3, 4, 1], [1, 8, 2]] })));
    const point = encodeGeoPackageGeometry({ type: 'Point', coordinates: [1, 2] }, 4326);
    expect(point.blob[3]).toBe(0b11);
    expect(point).toMatchObject({ envelope: [1, 1, 2, 2], hasZ: false });
    const polygon = encodeGeoPackageGeometry({ type: 'Polygon', coordinates: [] }, 4326);
    expect(polygon.blob[3]).toBe(0b10001); // little-endian, empty, no envelope
    expect(polygon.blob.byteLength).toBe(8 + 9);
    expect(decodeGeoPackageGeometry(polygon.blob).geometry).toBeNull();
  });

  it('takes Z from the first position, skipping empty parts', () => {
    const g: Geometry = { type: 'MultiPolygon', coordinates: [[[]], [[[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 0, 1]]]] };
    expect(encodeGeoPackageGeometry(g, 4326).hasZ).toBe(true);
    expect(toHex(geometryToWkb(g)).slice(2, 10)).toBe('EE030000'); // 1006 = MultiPolygon Z
    const c: Geometry = { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [] }, { type: 'Point', coordinates: [1, 2, 3] }] };
    expect(encodeGeoPackageGeometry(c, 4326).hasZ).toBe(true);
  });

  it('honours the empty flag and refuses bad blobs', () => {
    const { blob: empty, envelope } = encodeGeoPackageGeometry({ type: 'Point', coordinates: [] }, 4326);
    expect(envelope).toBeNull();
    expect(empty[3] & 0x10).toBe(0x10);
    expect(decodeGeoPackageGeometry(empty).geometry).toBeNull();
    expect(() => decodeGeoPackageGeometry(hex('0102030405060708'))).toThrow(/GP/);
    expect(() => decodeGeoPackageGeometry(hex('4750 0003 E6100000 00'))).toThrow(WkbError);
  });
});
