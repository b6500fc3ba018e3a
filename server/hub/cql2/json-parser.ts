import {
  CONDITION_KINDS,
  SPATIAL_OPERATORS,
  TEMPORAL_OPERATORS,
  type ComparisonOperator,
  type Cql2Node,
  type SpatialOperator,
  type TemporalOperator,
} from './ast.ts';
import { MAX_DEPTH, MAX_IN_LIST, filterError, inListTooLongError, tooDeepError } from './filter-errors.ts';
import {
  describeJson,
  isObject,
  jsonBbox,
  jsonGeometry,
  jsonInstant,
  jsonInterval,
  jsonProperty,
  member,
  onlyMembers,
  spend,
  type JsonBudget,
} from './json-values.ts';

const COMPARISONS = new Set<string>(['=', '<>', '<', '>', '<=', '>=']);
const SPATIAL = new Map<string, SpatialOperator>(SPATIAL_OPERATORS.map((op) => [op.toLowerCase(), op]));
const TEMPORAL = new Map<string, TemporalOperator>(TEMPORAL_OPERATORS.map((op) => [op.toLowerCase(), op]));
const ARITHMETIC = new Set(['+', '-', '*', '/', '^', '%', 'div']);
const ARRAY_OPS = new Set(['a_equals', 'a_contains', 'a_containedby', 'a_overlaps']);

/** Operations CQL2 JSON accepts, for messages. */
export const SUPPORTED_JSON_OPS =
  'and, or, not, =, <>, <, >, <=, >=, like, between, in, isNull, casei, ' +
  's_intersects, s_within, s_contains, s_disjoint, s_equals, s_touches, s_crosses, s_overlaps, ' +
  't_after, t_before, t_during, t_intersects, t_equals and the other t_ operators';

const CONDITION_HINT = 'a condition: an object {"op": …, "args": […]}, {"property": …} of a boolean property, or true/false';

interface Walk {
  budget: JsonBudget;
}

function argsPath(path: string, i: number): string {
  return `${member(path, 'args')}[${i}]`;
}

function condition(v: unknown, path: string, depth: number, w: Walk): Cql2Node {
  spend(w.budget, path);
  if (typeof v === 'boolean') return { kind: 'boolean', value: v, at: { path } };
  if (isObject(v)) {
    if ('op' in v) {
      const node = operation(v, path, depth, w);
      if (!CONDITION_KINDS.has(node.kind)) throw filterError(`Expected ${CONDITION_HINT}; "${String(v.op)}" gives a value, not a condition`, { path });
      return node;
    }
    if ('property' in v) return jsonProperty(v, path);
  }
  throw filterError(`Expected ${CONDITION_HINT}; found ${describeJson(v)}`, { path });
}

function scalar(v: unknown, path: string, depth: number, w: Walk): Cql2Node {
  spend(w.budget, path);
  const at = { path };
  switch (typeof v) {
    case 'string':
      return { kind: 'string', value: v, at };
    case 'number':
      if (!Number.isFinite(v)) throw filterError('Numbers must be finite', at);
      return { kind: 'number', value: v, at };
    case 'boolean':
      return { kind: 'boolean', value: v, at };
  }
  if (v === null) throw filterError('A null value is not allowed in CQL2: to test for a missing value use {"op": "isNull", "args": [{"property": "…"}]}', at);
  if (Array.isArray(v)) throw filterError('An array is only allowed as the list of an "in" operation: {"op": "in", "args": [{"property": "x"}, [1, 2]]}', at);
  if (!isObject(v)) throw filterError(`Unsupported value ${describeJson(v)}`, at);
  if ('op' in v) {
    const node = operation(v, path, depth, w);
    if (CONDITION_KINDS.has(node.kind)) {
      throw filterError(`A condition ("${String(v.op)}") cannot be used as a value here; expected a property, a literal or casei`, at);
    }
    return node;
  }
  if ('property' in v) return jsonProperty(v, path);
  if ('date' in v) return jsonInstant(v, 'date', path);
  if ('timestamp' in v) return jsonInstant(v, 'timestamp', path);
  if ('interval' in v) return jsonInterval(v, path);
  // A GeoJSON geometry may carry a "bbox" member too: "type" decides.
  if ('type' in v) return { kind: 'geometry', geometry: jsonGeometry(v, path, depth, w.budget), at };
  if ('bbox' in v) return jsonBbox(v, path);
  throw filterError(
    `Unrecognised value ${describeJson(v)}; expected {"property": …}, {"date": …}, {"timestamp": …}, {"interval": […]}, ` +
      '{"bbox": […]}, a GeoJSON geometry, {"op": "casei", …}, a string, a number or a boolean',
    at,
  );
}

function spatialArg(v: unknown, path: string, depth: number, w: Walk): Cql2Node {
  if (isObject(v) && ('property' in v || 'bbox' in v || 'type' in v)) return scalar(v, path, depth, w);
  throw filterError(`Expected a geometry: {"property": …} (the geometry), a GeoJSON geometry or {"bbox": […]}; found ${describeJson(v)}`, { path });
}

function temporalArg(v: unknown, path: string, depth: number, w: Walk): Cql2Node {
  if (isObject(v) && ('property' in v || 'date' in v || 'timestamp' in v || 'interval' in v)) return scalar(v, path, depth, w);
  throw filterError(
    `Expected a temporal value: {"property": …}, {"date": "…"}, {"timestamp": "…"} or {"interval": [start, end]}; found ${describeJson(v)}`,
    { path },
  );
}

function arity(args: unknown[], min: number, max: number, op: string, path: string): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `exactly ${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw filterError(`"${op}" takes ${expected} argument${min === 1 && max === 1 ? '' : 's'} in "args", found ${args.length}`, {
      path: member(path, 'args'),
    });
  }
}

function operation(obj: Record<string, unknown>, path: string, depth: number, w: Walk): Cql2Node {
  if (depth >= MAX_DEPTH) throw tooDeepError({ path });
  onlyMembers(obj, ['op', 'args'], path, 'an operation');
  const op = obj.op;
  if (typeof op !== 'string') throw filterError(`"op" must be a string, found ${describeJson(op)}`, { path: member(path, 'op') });
  const args = obj.args;
  if (!Array.isArray(args)) {
    throw filterError(`"args" must be an array of the arguments of "${op}", found ${describeJson(args)}`, { path: member(path, 'args') });
  }
  const key = op.toLowerCase();
  const at = { path };
  const d = depth + 1;
  const cond = (i: number) => condition(args[i], argsPath(path, i), d, w);
  const val = (i: number) => scalar(args[i], argsPath(path, i), d, w);
  if (key === 'and' || key === 'or') {
    arity(args, 2, Infinity, op, path);
    return { kind: key, args: args.map((_, i) => cond(i)), at };
  }
  if (key === 'not') {
    arity(args, 1, 1, op, path);
    return { kind: 'not', arg: cond(0), at };
  }
  if (COMPARISONS.has(key)) {
    arity(args, 2, 2, op, path);
    return { kind: 'comparison', op: key as ComparisonOperator, args: [val(0), val(1)], at };
  }
  switch (key) {
    case 'like':
      arity(args, 2, 2, op, path);
      return { kind: 'like', args: [val(0), val(1)], at };
    case 'between':
      arity(args, 3, 3, op, path);
      return { kind: 'between', args: [val(0), val(1), val(2)], at };
    case 'in': {
      arity(args, 2, 2, op, path);
      const value = val(0);
      const list = args[1];
      const listPath = argsPath(path, 1);
      if (!Array.isArray(list)) throw filterError(`The second argument of "in" must be an array of values, found ${describeJson(list)}`, { path: listPath });
      if (list.length === 0) throw filterError('The "in" list is empty: give at least one value', { path: listPath });
      if (list.length > MAX_IN_LIST) throw inListTooLongError(list.length, { path: listPath });
      return { kind: 'in', value, list: list.map((x, i) => scalar(x, `${listPath}[${i}]`, d, w)), at };
    }
    case 'isnull':
      arity(args, 1, 1, op, path);
      return { kind: 'isNull', arg: val(0), at };
    case 'casei':
      arity(args, 1, 1, op, path);
      return { kind: 'casei', arg: val(0), at };
    case 'accenti':
      throw filterError('"accenti" (accent-insensitive comparison) is not supported; "casei" (case-insensitive) is', at);
  }
  const spatial = SPATIAL.get(key);
  if (spatial) {
    arity(args, 2, 2, op, path);
    return { kind: 'spatial', op: spatial, args: [0, 1].map((i) => spatialArg(args[i], argsPath(path, i), d, w)) as [Cql2Node, Cql2Node], at };
  }
  const temporal = TEMPORAL.get(key);
  if (temporal) {
    arity(args, 2, 2, op, path);
    return { kind: 'temporal', op: temporal, args: [0, 1].map((i) => temporalArg(args[i], argsPath(path, i), d, w)) as [Cql2Node, Cql2Node], at };
  }
  if (ARITHMETIC.has(key)) throw filterError(`Arithmetic ("${op}") is not supported in filters`, { path: member(path, 'op') });
  if (ARRAY_OPS.has(key)) throw filterError(`The array operator "${op}" is not supported`, { path: member(path, 'op') });
  throw filterError(`Unknown operation "${op}". Supported: ${SUPPORTED_JSON_OPS}`, { path: member(path, 'op') });
}

/**
 * Parses a CQL2 JSON filter (OGC 21-065 `cql2-json`, already JSON-decoded) into a {@link Cql2Node}.
 * Operation names are matched case-insensitively. Throws YITU_ERR_FILTER_INVALID naming the path
 * of the problem, e.g. `args[1].args[0]`.
 */
export function parseCql2Json(value: unknown): Cql2Node {
  return condition(value, '', 0, { budget: { values: 0 } });
}
