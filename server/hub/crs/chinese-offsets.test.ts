import { describe, expect, it } from 'vitest';
import {
  bd09ToGcj02,
  bd09ToWgs84,
  convertGeometry,
  gcj02ToBd09,
  gcj02ToWgs84,
  outOfChina,
  wgs84ToBd09,
  wgs84ToGcj02,
} from './chinese-offsets.ts';

/** Distance in metres between two lon/lat points (haversine). */
function metres(a: [number, number], b: [number, number]): number {
  const r = Math.PI / 180;
  const dLat = (b[1] - a[1]) * r;
  const dLon = (b[0] - a[0]) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

// Sample points across China: Beijing, Shanghai, Guangzhou, Urumqi, Harbin, Lhasa, Sanya, Kunming.
const SAMPLES: [number, number][] = [
  [116.404, 39.915],
  [121.4737, 31.2304],
  [113.2644, 23.1291],
  [87.6168, 43.8256],
  [126.5349, 45.8038],
  [91.1322, 29.6604],
  [109.5119, 18.2528],
  [102.8329, 24.8801],
];

describe('chinese-offsets', () => {
  it('matches the published reference values of the standard algorithm (116.404, 39.915)', () => {
    // Values printed by the widely used coordtransform library for this input.
    const near = (a: [number, number], b: [number, number]) => {
      expect(a[0]).toBeCloseTo(b[0], 9);
      expect(a[1]).toBeCloseTo(b[1], 9);
    };
    near(wgs84ToGcj02(116.404, 39.915), [116.41024449916938, 39.91640428150164]);
    near(gcj02ToBd09(116.404, 39.915), [116.41036949371029, 39.92133699351021]);
    // The one-step inverses published with it are approximate: ours are within a metre of them…
    expect(metres(gcj02ToWgs84(116.404, 39.915), [116.39775550083061, 39.91359571849836])).toBeLessThan(1);
    expect(metres(bd09ToGcj02(116.404, 39.915), [116.39762729119315, 39.90865673957631])).toBeLessThan(0.1);
    // …and exact inverses of the forward transforms.
    expect(metres(gcj02ToWgs84(116.41024449916938, 39.91640428150164), [116.404, 39.915])).toBeLessThan(0.001);
  });

  it('shifts by the expected few hundred metres in China', () => {
    for (const p of SAMPLES) {
      const g = wgs84ToGcj02(p[0], p[1]);
      const d = metres(p, g);
      expect(d).toBeGreaterThan(50);
      expect(d).toBeLessThan(1000);
      expect(metres(g, gcj02ToBd09(g[0], g[1]))).toBeGreaterThan(300);
    }
  });

  it('round-trips WGS 84 ↔ GCJ-02 ↔ BD-09 to well under 0.5 m', () => {
    for (const p of SAMPLES) {
      expect(metres(gcj02ToWgs84(...wgs84ToGcj02(p[0], p[1])), p)).toBeLessThan(0.01);
      expect(metres(bd09ToWgs84(...wgs84ToBd09(p[0], p[1])), p)).toBeLessThan(0.01);
      expect(metres(bd09ToGcj02(...gcj02ToBd09(p[0], p[1])), p)).toBeLessThan(0.01);
    }
    // a dense grid over the whole area
    let worst = 0;
    for (let lon = 73.5; lon < 135; lon += 2.5) {
      for (let lat = 18; lat < 53.5; lat += 2.5) {
        worst = Math.max(worst, metres(gcj02ToWgs84(...wgs84ToGcj02(lon, lat)), [lon, lat]));
        worst = Math.max(worst, metres(bd09ToWgs84(...wgs84ToBd09(lon, lat)), [lon, lat]));
      }
    }
    expect(worst).toBeLessThan(0.5);
  });

  it('is the identity outside China for GCJ-02', () => {
    expect(outOfChina(2.35, 48.85)).toBe(true);
    expect(outOfChina(116.4, 39.9)).toBe(false);
    expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85]);
    expect(gcj02ToWgs84(-74.006, 40.7128)).toEqual([-74.006, 40.7128]);
  });

  it('converts every position of a geometry and keeps Z', () => {
    const poly = convertGeometry(
      { type: 'Polygon', coordinates: [[[116.4, 39.9, 5], [116.41, 39.9, 5], [116.41, 39.91, 5], [116.4, 39.9, 5]]] },
      gcj02ToWgs84,
    );
    expect(poly.type).toBe('Polygon');
    const ring = (poly as { coordinates: number[][][] }).coordinates[0];
    expect(ring[0]).toEqual([...gcj02ToWgs84(116.4, 39.9), 5]);
    expect(ring[3]).toEqual(ring[0]);
    const gc = convertGeometry(
      {
        type: 'GeometryCollection',
        geometries: [
          { type: 'Point', coordinates: [116.4, 39.9] },
          { type: 'MultiPolygon', coordinates: [[[[116.4, 39.9], [116.5, 39.9], [116.5, 40], [116.4, 39.9]]]] },
          { type: 'MultiLineString', coordinates: [[[116.4, 39.9], [116.5, 39.9]]] },
        ],
      },
      bd09ToWgs84,
    );
    expect(gc).toMatchObject({ type: 'GeometryCollection' });
    expect((gc as { geometries: { coordinates: unknown }[] }).geometries[0].coordinates).toEqual(bd09ToWgs84(116.4, 39.9));
  });
});
