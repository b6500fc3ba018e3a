/**
 * Structural check of GeoJSON geometry objects read from files. It catches what would make the
 * database reject a geometry outright (wrong nesting, non-numbers, NaN, unknown types, rings too
 * short to be rings); topology (self-intersections, ring orientation…) is left to PostGIS, which
 * repairs it later.
 */
import type { Geometry } from 'geojson';
import type { SourceFeature, SourceItem } from './types.ts';

const MAX_DEPTH = 32;

function positionReason(p: unknown, where: string): string | null {
  if (!Array.isArray(p)) return `${where} is not a position (an array of numbers)`;
  if (p.length < 2) return `${where} has ${p.length} ordinate(s), at least 2 are needed`;
  if (p.length > 4) return `${where} has ${p.length} ordinates, at most 4 are allowed`;
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (typeof v !== 'number') return `${where} has a non-number ordinate ${JSON.stringify(v) ?? String(v)}`;
    if (!Number.isFinite(v)) return `${where} has a non-finite ordinate (${v})`;
  }
  return null;
}

function positionsReason(ps: unknown, where: string, min: number): string | null {
  if (!Array.isArray(ps) || (ps.length > 0 && !Array.isArray(ps[0]))) return `${where} is not an array of positions`;
  if (ps.length > 0 && ps.length < min) return `${where} has ${ps.length} position(s), at least ${min} are needed`;
  for (let i = 0; i < ps.length; i++) {
    const r = positionReason(ps[i], `${where}, position ${i + 1}`);
    if (r) return r;
  }
  return null;
}

function ringReason(ring: unknown, where: string): string | null {
  if (!Array.isArray(ring)) return `${where} is not an array of positions`;
  if (ring.length === 0) return `${where} is empty`;
  const r = positionsReason(ring, where, 4);
  if (r) return r;
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) return `${where} is not closed (its first and last positions differ)`;
  return null;
}

function polygonReason(rings: unknown, where: string): string | null {
  if (!Array.isArray(rings)) return `${where} coordinates are not an array of rings`;
  for (let i = 0; i < rings.length; i++) {
    const r = ringReason(rings[i], `${where} ring ${i + 1}`);
    if (r) return r;
  }
  return null;
}

function check(g: unknown, depth: number): string | null {
  if (typeof g !== 'object' || g === null || Array.isArray(g)) return 'geometry is not an object';
  if (depth > MAX_DEPTH) return 'geometry collections are nested too deeply';
  const { type } = g as { type?: unknown };
  if (typeof type !== 'string') return 'geometry has no type';
  if (type === 'GeometryCollection') {
    const geoms = (g as { geometries?: unknown }).geometries;
    if (!Array.isArray(geoms)) return 'GeometryCollection has no geometries array';
    for (let i = 0; i < geoms.length; i++) {
      const r = check(geoms[i], depth + 1);
      if (r) return `GeometryCollection member ${i + 1}: ${r}`;
    }
    return null;
  }
  const c = (g as { coordinates?: unknown }).coordinates;
  if (c === undefined) {
    return type === 'Point' || type === 'MultiPoint' || type === 'LineString' || type === 'MultiLineString' ||
      type === 'Polygon' || type === 'MultiPolygon'
      ? `${type} has no coordinates`
      : `unknown geometry type ${JSON.stringify(type)}`;
  }
  switch (type) {
    case 'Point':
      return Array.isArray(c) && c.length === 0 ? null : positionReason(c, 'Point');
    case 'MultiPoint':
      return positionsReason(c, 'MultiPoint', 1);
    case 'LineString':
      return positionsReason(c, 'LineString', 2);
    case 'MultiLineString': {
      if (!Array.isArray(c)) return 'MultiLineString coordinates are not an array of lines';
      for (let i = 0; i < c.length; i++) {
        const r = positionsReason(c[i], `MultiLineString line ${i + 1}`, 2);
        if (r) return r;
      }
      return null;
    }
    case 'Polygon':
      return polygonReason(c, 'Polygon');
    case 'MultiPolygon': {
      if (!Array.isArray(c)) return 'MultiPolygon coordinates are not an array of polygons';
      for (let i = 0; i < c.length; i++) {
        const r = polygonReason(c[i], `MultiPolygon polygon ${i + 1}`);
        if (r) return r;
      }
      return null;
    }
    default:
      return `unknown geometry type ${JSON.stringify(type)}`;
  }
}

/**
 * Returns why `g` is not a structurally valid GeoJSON geometry, or null when it is.
 *
 * Checked: a known `type`; coordinates nested as the type requires; positions of 2–4 finite numbers;
 * LineStrings of ≥ 2 positions; polygon rings of ≥ 4 positions whose first and last positions are
 * equal; GeometryCollection members (recursively). Empty coordinate arrays (`[]`, an EMPTY geometry,
 * which PostGIS reads as such) are accepted. `null` is not a geometry: callers treat a null feature geometry
 * themselves.
 */
export function checkGeometry(g: unknown): string | null {
  return check(g, 0);
}

/**
 * Turns a parsed GeoJSON Feature object into a reader item: a {@link SourceFeature} (properties
 * `null` → `{}`, geometry checked with {@link checkGeometry}) or a {@link SourceRowError} saying what
 * is wrong with it. A bare geometry object is accepted as a feature without properties.
 */
export function featureToItem(obj: unknown, row: number): SourceItem {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return { row, error: true, reason: `feature ${row} is not a JSON object` };
  }
  const f = obj as { type?: unknown; geometry?: unknown; properties?: unknown; id?: unknown };
  if (f.type !== 'Feature') {
    if (typeof f.type === 'string' && GEOMETRY_TYPES.has(f.type)) {
      const reason = checkGeometry(f);
      return reason
        ? { row, field: 'geometry', error: true, reason: `feature ${row}: ${reason}` }
        : { row, geometry: f as Geometry, properties: {} };
    }
    return {
      row,
      error: true,
      reason: `feature ${row} has type ${JSON.stringify(f.type ?? null)}; a Feature was expected`,
    };
  }
  let properties: Record<string, unknown>;
  if (f.properties === null || f.properties === undefined) properties = {};
  else if (typeof f.properties === 'object' && !Array.isArray(f.properties)) properties = f.properties as Record<string, unknown>;
  else return { row, field: 'properties', error: true, reason: `feature ${row}: properties is not an object` };
  let geometry: Geometry | null = null;
  if (f.geometry !== null && f.geometry !== undefined) {
    const reason = checkGeometry(f.geometry);
    if (reason) return { row, field: 'geometry', error: true, reason: `feature ${row}: ${reason}` };
    geometry = f.geometry as Geometry;
  }
  const item: SourceFeature = { row, geometry, properties };
  if (typeof f.id === 'string' || typeof f.id === 'number') item.id = f.id;
  return item;
}

/** The GeoJSON geometry type names. */
export const GEOMETRY_TYPES: ReadonlySet<string> = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
]);
