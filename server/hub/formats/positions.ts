import type { Geometry, Position } from 'geojson';

/** Helpers over the positions of GeoJSON geometries, shared by the WKB and WKT encoders. */

/** True when the first position found in `g` has a third (Z) value. */
export function hasZ(g: Geometry): boolean {
  const p = firstPosition(g);
  return p !== undefined && p.length >= 3;
}

/** The first position of a geometry, if it has any. */
export function firstPosition(g: Geometry): Position | undefined {
  switch (g.type) {
    case 'Point':
      return g.coordinates.length ? g.coordinates : undefined;
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates[0];
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.find((r) => r.length > 0)?.[0];
    case 'MultiPolygon':
      for (const p of g.coordinates) for (const r of p) if (r.length) return r[0];
      return undefined;
    case 'GeometryCollection':
      for (const x of g.geometries) {
        const p = firstPosition(x);
        if (p) return p;
      }
      return undefined;
    default:
      return undefined;
  }
}
