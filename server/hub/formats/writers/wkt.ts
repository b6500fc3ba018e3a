import type { Geometry, Position } from 'geojson';
import { hasZ } from '../positions.ts';

/**
 * GeoJSON geometry → OGC WKT (ISO/SFA 1.2 spelling, `POINT Z (…)` for 3D). Numbers keep their
 * shortest round-trip form; empty geometries are written `… EMPTY`.
 */
export function geometryToWkt(g: Geometry): string {
  const z = hasZ(g) ? ' Z' : '';
  return tagged(g, z);
}

function tagged(g: Geometry, z: string): string {
  switch (g.type) {
    case 'Point':
      return g.coordinates.length === 0 ? 'POINT EMPTY' : `POINT${z} (${pos(g.coordinates, z)})`;
    case 'MultiPoint':
      return `MULTIPOINT${emptyOr(z, g.coordinates, (ps) => ps.map((p) => `(${pos(p, z)})`).join(','))}`;
    case 'LineString':
      return `LINESTRING${emptyOr(z, g.coordinates, (ps) => line(ps, z))}`;
    case 'MultiLineString':
      return `MULTILINESTRING${emptyOr(z, g.coordinates, (ls) => ls.map((l) => `(${line(l, z)})`).join(','))}`;
    case 'Polygon':
      return `POLYGON${emptyOr(z, g.coordinates, (rs) => poly(rs, z))}`;
    case 'MultiPolygon':
      return `MULTIPOLYGON${emptyOr(z, g.coordinates, (ps) => ps.map((p) => `(${poly(p, z)})`).join(','))}`;
    case 'GeometryCollection':
      return `GEOMETRYCOLLECTION${emptyOr(z, g.geometries, (gs) => gs.map((x) => tagged(x, z)).join(','))}`;
    default:
      throw new TypeError(`Unknown geometry type ${(g as { type: string }).type}`);
  }
}

function emptyOr<T>(z: string, items: T[], body: (items: T[]) => string): string {
  return items.length === 0 ? ' EMPTY' : `${z} (${body(items)})`;
}

function pos(p: Position, z: string): string {
  return z ? `${p[0]} ${p[1]} ${p[2] ?? 0}` : `${p[0]} ${p[1]}`;
}

function line(ps: Position[], z: string): string {
  return ps.map((p) => pos(p, z)).join(',');
}

function poly(rings: Position[][], z: string): string {
  return rings.map((r) => `(${line(r, z)})`).join(',');
}
