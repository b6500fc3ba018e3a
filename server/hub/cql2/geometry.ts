import type { Geometry, Position } from 'geojson';

/** GeoJSON geometry types CQL2 accepts, with their WKT keyword. */
export const GEOMETRY_TYPES = {
  Point: 'POINT',
  LineString: 'LINESTRING',
  Polygon: 'POLYGON',
  MultiPoint: 'MULTIPOINT',
  MultiLineString: 'MULTILINESTRING',
  MultiPolygon: 'MULTIPOLYGON',
  GeometryCollection: 'GEOMETRYCOLLECTION',
} as const;

/** Why a line string's positions are unusable, or null. */
export function lineProblem(line: Position[]): string | null {
  return line.length < 2 ? `a line string needs at least 2 positions, found ${line.length}` : null;
}

/** Why a polygon ring is unusable (too short or not closed), or null. */
export function ringProblem(ring: Position[]): string | null {
  if (ring.length < 4) return `a polygon ring needs at least 4 positions (first = last), found ${ring.length}`;
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first.length !== last.length || first.some((v, i) => v !== last[i])) {
    return `a polygon ring must be closed: its last position (${last.join(' ')}) must repeat the first (${first.join(' ')})`;
  }
  return null;
}

/** Calls `fn` on every position of the geometry. */
export function forEachPosition(g: Geometry, fn: (p: Position) => void): void {
  switch (g.type) {
    case 'Point':
      fn(g.coordinates);
      break;
    case 'LineString':
    case 'MultiPoint':
      g.coordinates.forEach(fn);
      break;
    case 'Polygon':
    case 'MultiLineString':
      g.coordinates.forEach((r) => r.forEach(fn));
      break;
    case 'MultiPolygon':
      g.coordinates.forEach((p) => p.forEach((r) => r.forEach(fn)));
      break;
    case 'GeometryCollection':
      g.geometries.forEach((m) => forEachPosition(m, fn));
      break;
  }
}

/**
 * The number of coordinates per position (2 or 3) shared by all positions, or a reason why the
 * positions are unusable (mixed 2D/3D, wrong length, non-finite numbers).
 */
export function geometryDimension(g: Geometry): number | string {
  let dim = 0;
  let problem: string | null = null;
  forEachPosition(g, (p) => {
    if (problem) return;
    if (p.length !== 2 && p.length !== 3) {
      problem = `a position must have 2 (x y) or 3 (x y z) coordinates, found ${p.length}`;
    } else if (!p.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      problem = 'coordinates must be finite numbers';
    } else if (dim === 0) {
      dim = p.length;
    } else if (p.length !== dim) {
      problem = 'all positions of a geometry must have the same number of coordinates (all 2D or all 3D)';
    }
  });
  if (problem) return problem;
  return dim === 0 ? 'the geometry has no positions' : dim;
}

/**
 * The first position outside longitude [-180, 180] / latitude [-90, 90], described for a person,
 * or null when all positions are in range.
 */
export function lonLatRangeProblem(g: Geometry): string | null {
  let problem: string | null = null;
  forEachPosition(g, (p) => {
    if (problem) return;
    if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
      problem =
        `the position (${p[0]} ${p[1]}) is outside longitude -180..180 / latitude -90..90; ` +
        'coordinates are longitude first, then latitude (CRS84)';
    }
  });
  return problem;
}

/** Why bbox values are unusable (count, order), or null. Longitudes may wrap (minx > maxx). */
export function bboxProblem(values: number[]): string | null {
  if (values.length !== 4 && values.length !== 6) {
    return `a bounding box has 4 numbers (minx, miny, maxx, maxy) or 6 (minx, miny, minz, maxx, maxy, maxz), found ${values.length}`;
  }
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) return 'bounding box values must be finite numbers';
  const half = values.length / 2;
  if (values[1] > values[1 + half]) {
    return `the bounding box's miny (${values[1]}) is greater than its maxy (${values[1 + half]}); the order is minx, miny, maxx, maxy`;
  }
  if (half === 3 && values[2] > values[5]) {
    return `the bounding box's minz (${values[2]}) is greater than its maxz (${values[5]})`;
  }
  return null;
}

function num(v: number): string {
  return Object.is(v, -0) ? '0' : String(v);
}

function pos(p: Position): string {
  return p.map(num).join(' ');
}

function list(ps: Position[]): string {
  return `(${ps.map(pos).join(',')})`;
}

function body(g: Geometry): string {
  switch (g.type) {
    case 'Point':
      return `(${pos(g.coordinates)})`;
    case 'LineString':
      return list(g.coordinates);
    case 'Polygon':
    case 'MultiLineString':
      return `(${g.coordinates.map(list).join(',')})`;
    case 'MultiPoint':
      return `(${g.coordinates.map((p) => `(${pos(p)})`).join(',')})`;
    case 'MultiPolygon':
      return `(${g.coordinates.map((poly) => `(${poly.map(list).join(',')})`).join(',')})`;
    case 'GeometryCollection':
      return `(${g.geometries.map((m) => toWkt(m)).join(',')})`;
  }
}

/**
 * Serialises a validated geometry as ISO WKT in the form PostGIS `ST_AsText` prints
 * (`POINT(1 2)`, `POLYGON Z ((…))`), for `ST_GeomFromText`.
 */
export function toWkt(g: Geometry): string {
  const dim = geometryDimension(g);
  const tag = GEOMETRY_TYPES[g.type];
  return dim === 3 ? `${tag} Z ${body(g)}` : `${tag}${body(g)}`;
}
