/**
 * China's obfuscated coordinate systems: GCJ-02 ("Mars coordinates", used by AMap/Gaode, Tencent and
 * every map licensed in mainland China) and BD-09 (Baidu, a further offset on top of GCJ-02).
 *
 * The forward transforms are the widely published algorithm (Krasovsky ellipsoid constants, the
 * `outOfChina` rectangle). The inverses are iterative, so a GCJ-02 → WGS 84 → GCJ-02 round trip is
 * exact to well under a millimetre, instead of the ~1–2 m error of the usual one-step approximation.
 */
import type { Geometry, Position } from 'geojson';

/** A coordinate transform on (longitude, latitude) in degrees. */
export type LonLatTransform = (lon: number, lat: number) => [number, number];

const A = 6378245.0;
const EE = 0.00669342162296594323;
const X_PI = (Math.PI * 3000.0) / 180.0;

/** True outside the rectangle the standard algorithm treats as China (where GCJ-02 is the identity). */
export function outOfChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function transformLon(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return ret;
}

/** WGS 84 → GCJ-02 (identity outside China). */
export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (outOfChina(lon, lat)) return [lon, lat];
  let dLat = transformLat(lon - 105.0, lat - 35.0);
  let dLon = transformLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/**
 * GCJ-02 → WGS 84 (identity outside China), by fixed-point iteration on the forward transform:
 * converges to < 1e-10° (≈ 0.01 mm) in a handful of steps.
 */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  if (outOfChina(lon, lat)) return [lon, lat];
  return invert(wgs84ToGcj02, lon, lat, lon, lat, 30);
}

/** GCJ-02 → BD-09 (Baidu's offset is applied everywhere, as Baidu does). */
export function gcj02ToBd09(lon: number, lat: number): [number, number] {
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/** BD-09 → GCJ-02: the published closed form, refined by iteration on {@link gcj02ToBd09}. */
export function bd09ToGcj02(lon: number, lat: number): [number, number] {
  const x = lon - 0.0065;
  const y = lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
  return invert(gcj02ToBd09, lon, lat, z * Math.cos(theta), z * Math.sin(theta), 10);
}

/**
 * The point that `forward` maps to (lon, lat), by fixed-point iteration from (x, y): at most
 * `steps` steps, stopping once a step moves less than 1e-10°.
 */
function invert(forward: (lon: number, lat: number) => [number, number], lon: number, lat: number, x: number, y: number, steps: number): [number, number] {
  for (let i = 0; i < steps; i++) {
    const [fLon, fLat] = forward(x, y);
    const dLon = fLon - lon;
    const dLat = fLat - lat;
    x -= dLon;
    y -= dLat;
    if (Math.abs(dLon) < 1e-10 && Math.abs(dLat) < 1e-10) break;
  }
  return [x, y];
}

/** WGS 84 → BD-09. */
export function wgs84ToBd09(lon: number, lat: number): [number, number] {
  const [gLon, gLat] = wgs84ToGcj02(lon, lat);
  return gcj02ToBd09(gLon, gLat);
}

/**
 * BD-09 → WGS 84. Outside China only Baidu's own offset is removed (GCJ-02 is the identity there),
 * as in the standard algorithm.
 */
export function bd09ToWgs84(lon: number, lat: number): [number, number] {
  const [gLon, gLat] = bd09ToGcj02(lon, lat);
  return gcj02ToWgs84(gLon, gLat);
}

function convertPosition(p: Position, fn: LonLatTransform): Position {
  const [x, y] = fn(p[0], p[1]);
  return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
}

/**
 * Applies `fn` to every position of a GeoJSON geometry (a new geometry is returned; Z and other
 * extra ordinates are kept as they are).
 */
export function convertGeometry(g: Geometry, fn: LonLatTransform): Geometry {
  switch (g.type) {
    case 'Point':
      return { ...g, coordinates: convertPosition(g.coordinates, fn) };
    case 'MultiPoint':
    case 'LineString':
      return { ...g, coordinates: g.coordinates.map((p) => convertPosition(p, fn)) };
    case 'MultiLineString':
    case 'Polygon':
      return { ...g, coordinates: g.coordinates.map((r) => r.map((p) => convertPosition(p, fn))) };
    case 'MultiPolygon':
      return {
        ...g,
        coordinates: g.coordinates.map((poly) => poly.map((r) => r.map((p) => convertPosition(p, fn)))),
      };
    case 'GeometryCollection':
      return { ...g, geometries: g.geometries.map((child) => convertGeometry(child, fn)) };
  }
}
