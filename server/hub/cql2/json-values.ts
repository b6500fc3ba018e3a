import type { Geometry, Position } from 'geojson';
import { truncate, type BboxNode, type DateNode, type IntervalBound, type IntervalNode, type PropertyNode, type TimestampNode } from './ast.ts';
import { MAX_DEPTH, MAX_JSON_VALUES, filterError, tooDeepError } from './filter-errors.ts';
import { GEOMETRY_TYPES, bboxProblem, geometryDimension, lineProblem, ringProblem } from './geometry.ts';
import { dateProblem, instantKind, timestampProblem } from './instants.ts';

/** Budget shared by one CQL2 JSON parse (DoS protection). */
export interface JsonBudget {
  values: number;
}

/** Counts one visited JSON value, failing past {@link MAX_JSON_VALUES}. */
export function spend(budget: JsonBudget, path: string, n = 1): void {
  budget.values += n;
  if (budget.values > MAX_JSON_VALUES) {
    throw filterError(`The filter has more than ${MAX_JSON_VALUES} JSON values; simplify it (fewer IN values, simpler geometries)`, { path });
  }
}

/** `path` + `.key`. */
export function member(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** A plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Describes a JSON value for a person: `the string "abc"`, `an array`, `an object with "x"`. */
export function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty array' : `an array of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'string') return `the string "${truncate(v)}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${v}`;
  if (isObject(v)) {
    const keys = Object.keys(v);
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.map((k) => `"${truncate(k, 20)}"`).join(', ')}`;
  }
  return `a ${typeof v}`;
}

/** Fails when `obj` has members outside `allowed`. */
export function onlyMembers(obj: Record<string, unknown>, allowed: readonly string[], path: string, what: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw filterError(
        `Unexpected member "${truncate(key, 30)}" in ${what}; allowed members: ${allowed.map((k) => `"${k}"`).join(', ')}`,
        { path },
      );
    }
  }
}

/** `{"property": "name"}`. */
export function jsonProperty(obj: Record<string, unknown>, path: string): PropertyNode {
  onlyMembers(obj, ['property'], path, 'a property reference');
  const name = obj.property;
  if (typeof name !== 'string' || name === '') {
    throw filterError(`"property" must be a non-empty string (the property name), found ${describeJson(name)}`, { path: member(path, 'property') });
  }
  return { kind: 'property', name, at: { path } };
}

/** `{"date": "YYYY-MM-DD"}` or `{"timestamp": "…Z"}`. */
export function jsonInstant(obj: Record<string, unknown>, kind: 'date' | 'timestamp', path: string): DateNode | TimestampNode {
  onlyMembers(obj, [kind], path, `a ${kind}`);
  const value = obj[kind];
  const at = { path: member(path, kind) };
  if (typeof value !== 'string') throw filterError(`"${kind}" must be a string, found ${describeJson(value)}`, at);
  const problem = kind === 'date' ? dateProblem(value) : timestampProblem(value);
  if (problem) throw filterError(`Invalid ${kind}: ${problem.replace(/DATE\('([^']*)'\)/, '{"date": "$1"}').replace(/TIMESTAMP\('([^']*)'\)/, '{"timestamp": "$1"}')}`, at);
  return { kind, value, at: { path } } as DateNode | TimestampNode;
}

function intervalBound(v: unknown, path: string): IntervalBound {
  if (v === '..') return '..';
  if (typeof v === 'string') {
    const kind = instantKind(v);
    const problem = kind === 'date' ? dateProblem(v) : kind === 'timestamp' ? timestampProblem(v) : 'not a date or timestamp';
    if (problem || !kind) {
      throw filterError(`Invalid interval bound: ${problem}. Use "2024-01-31", "2024-01-31T08:30:00Z" or ".." for an open end`, { path });
    }
    return { kind, value: v, at: { path } } as DateNode | TimestampNode;
  }
  if (isObject(v)) {
    if ('property' in v) return jsonProperty(v, path);
    if ('date' in v) return jsonInstant(v, 'date', path) as DateNode;
    if ('timestamp' in v) return jsonInstant(v, 'timestamp', path) as TimestampNode;
  }
  throw filterError(`An interval bound must be a date or timestamp string, "..", or {"property": …}; found ${describeJson(v)}`, { path });
}

/** `{"interval": [start, end]}`. */
export function jsonInterval(obj: Record<string, unknown>, path: string): IntervalNode {
  onlyMembers(obj, ['interval'], path, 'an interval');
  const arr = obj.interval;
  const at = member(path, 'interval');
  if (!Array.isArray(arr) || arr.length !== 2) {
    throw filterError(`"interval" must be an array of 2 bounds [start, end], found ${describeJson(arr)}${Array.isArray(arr) ? ` of ${arr.length}` : ''}`, { path: at });
  }
  return { kind: 'interval', start: intervalBound(arr[0], `${at}[0]`), end: intervalBound(arr[1], `${at}[1]`), at: { path } };
}

/** `{"bbox": [minx, miny, maxx, maxy]}` (or 6 numbers). */
export function jsonBbox(obj: Record<string, unknown>, path: string): BboxNode {
  onlyMembers(obj, ['bbox'], path, 'a bbox');
  const arr = obj.bbox;
  const at = { path: member(path, 'bbox') };
  if (!Array.isArray(arr) || !arr.every((x) => typeof x === 'number')) {
    throw filterError(`"bbox" must be an array of 4 or 6 numbers, found ${describeJson(arr)}`, at);
  }
  const problem = bboxProblem(arr as number[]);
  if (problem) throw filterError(`Invalid bbox: ${problem}`, at);
  return { kind: 'bbox', values: arr as number[], at: { path } };
}

function position(v: unknown, path: string): Position {
  if (!Array.isArray(v) || (v.length !== 2 && v.length !== 3) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw filterError(`A position must be an array of 2 or 3 numbers [x, y] or [x, y, z], found ${describeJson(v)}`, { path });
  }
  return v as Position;
}

function positions(v: unknown, path: string, budget: JsonBudget): Position[] {
  if (!Array.isArray(v)) throw filterError(`Expected an array of positions, found ${describeJson(v)}`, { path });
  spend(budget, path, v.length);
  return v.map((p, i) => position(p, `${path}[${i}]`));
}

function nested<T>(v: unknown, path: string, budget: JsonBudget, what: string, item: (x: unknown, p: string) => T): T[] {
  if (!Array.isArray(v) || v.length === 0) throw filterError(`Expected a non-empty array of ${what}, found ${describeJson(v)}`, { path });
  spend(budget, path, v.length);
  return v.map((x, i) => item(x, `${path}[${i}]`));
}

function checked(list: Position[], problem: string | null, path: string, type: string): Position[] {
  if (problem) throw filterError(`Invalid ${type}: ${problem}`, { path });
  return list;
}

function geometryAt(obj: Record<string, unknown>, path: string, depth: number, budget: JsonBudget): Geometry {
  if (depth > MAX_DEPTH) throw tooDeepError({ path });
  const type = obj.type;
  if (typeof type !== 'string' || !(type in GEOMETRY_TYPES)) {
    const fixed = typeof type === 'string' ? Object.keys(GEOMETRY_TYPES).find((t) => t.toLowerCase() === type.toLowerCase()) : undefined;
    throw filterError(
      `Unknown geometry type ${describeJson(type)}${fixed ? ` (GeoJSON types are case-sensitive: write "${fixed}")` : ''}; ` +
        `expected one of ${Object.keys(GEOMETRY_TYPES).join(', ')}`,
      { path: member(path, 'type') },
    );
  }
  const c = member(path, type === 'GeometryCollection' ? 'geometries' : 'coordinates');
  const line = (x: unknown, p: string) => {
    const l = positions(x, p, budget);
    return checked(l, lineProblem(l), p, 'LineString');
  };
  const polygon = (x: unknown, p: string) =>
    nested(x, p, budget, 'rings', (r, rp) => {
      const l = positions(r, rp, budget);
      return checked(l, ringProblem(l), rp, 'Polygon');
    });
  switch (type) {
    case 'GeometryCollection':
      onlyMembers(obj, ['type', 'geometries', 'bbox'], path, 'a GeoJSON GeometryCollection');
      return {
        type,
        geometries: nested(obj.geometries, c, budget, 'geometries', (g, p) => {
          if (!isObject(g)) throw filterError(`Expected a GeoJSON geometry, found ${describeJson(g)}`, { path: p });
          return geometryAt(g, p, depth + 1, budget);
        }),
      };
    case 'Point':
      onlyMembers(obj, ['type', 'coordinates', 'bbox'], path, 'a GeoJSON geometry');
      return { type, coordinates: position(obj.coordinates, c) };
    case 'LineString':
      onlyMembers(obj, ['type', 'coordinates', 'bbox'], path, 'a GeoJSON geometry');
      return { type, coordinates: line(obj.coordinates, c) };
    case 'MultiPoint':
      onlyMembers(obj, ['type', 'coordinates', 'bbox'], path, 'a GeoJSON geometry');
      return { type, coordinates: nested(obj.coordinates, c, budget, 'positions', position) };
    case 'Polygon':
      onlyMembers(obj, ['type', 'coordinates', 'bbox'], path, 'a GeoJSON geometry');
      return { type, coordinates: polygon(obj.coordinates, c) };
    case 'MultiLineString':
      onlyMembers(obj, ['type', 'coordinates', 'bbox'], path, 'a GeoJSON geometry');
      return { type, coordinates: nested(obj.coordinates, c, budget, 'line strings', line) };
    default:
      onlyMembers(obj, ['type', 'coordinates', 'bbox'], path, 'a GeoJSON geometry');
      return { type: 'MultiPolygon', coordinates: nested(obj.coordinates, c, budget, 'polygons', polygon) };
  }
}

/** A GeoJSON geometry object, validated (types, positions, rings, consistent 2D/3D). */
export function jsonGeometry(obj: Record<string, unknown>, path: string, depth: number, budget: JsonBudget): Geometry {
  const g = geometryAt(obj, path, depth, budget);
  const dim = geometryDimension(g);
  if (typeof dim === 'string') throw filterError(`Invalid geometry: ${dim}`, { path });
  return g;
}
