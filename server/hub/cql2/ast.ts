import type { Geometry } from 'geojson';

/**
 * Where a node came from in the user's filter, for error messages: a 0-based character offset
 * for CQL2 text, a path such as `args[1].args[0]` for CQL2 JSON (empty string = the top level).
 */
export interface SourceLocation {
  offset?: number;
  path?: string;
}

/** Binary comparison operators of Basic CQL2. */
export type ComparisonOperator = '=' | '<>' | '<' | '>' | '<=' | '>=';

/** Spatial operators (CQL2 "Spatial Functions"), in their CQL2 JSON spelling. */
export const SPATIAL_OPERATORS = [
  's_intersects',
  's_equals',
  's_disjoint',
  's_touches',
  's_within',
  's_overlaps',
  's_crosses',
  's_contains',
] as const;

/** A spatial operator. */
export type SpatialOperator = (typeof SPATIAL_OPERATORS)[number];

/** Temporal operators (CQL2 "Temporal Functions"), in their CQL2 JSON spelling. */
export const TEMPORAL_OPERATORS = [
  't_after',
  't_before',
  't_contains',
  't_disjoint',
  't_during',
  't_equals',
  't_finishedBy',
  't_finishes',
  't_intersects',
  't_meets',
  't_metBy',
  't_overlappedBy',
  't_overlaps',
  't_startedBy',
  't_starts',
] as const;

/** A temporal operator. */
export type TemporalOperator = (typeof TEMPORAL_OPERATORS)[number];

interface Located {
  /** Where the node starts in the source filter, when it was parsed from one. */
  at?: SourceLocation;
}

/** `a AND b AND …` (at least one argument; parsers produce at least two). */
export interface AndNode extends Located {
  kind: 'and';
  args: Cql2Node[];
}

/** `a OR b OR …`. */
export interface OrNode extends Located {
  kind: 'or';
  args: Cql2Node[];
}

/** `NOT a`; also the form of `NOT LIKE`, `NOT BETWEEN`, `NOT IN` and `IS NOT NULL`. */
export interface NotNode extends Located {
  kind: 'not';
  arg: Cql2Node;
}

/** `a <op> b`. */
export interface ComparisonNode extends Located {
  kind: 'comparison';
  op: ComparisonOperator;
  args: [Cql2Node, Cql2Node];
}

/** `value LIKE pattern`, `%` and `_` wildcards, `\` escapes the next character. */
export interface LikeNode extends Located {
  kind: 'like';
  args: [Cql2Node, Cql2Node];
}

/** `value BETWEEN low AND high` (inclusive). */
export interface BetweenNode extends Located {
  kind: 'between';
  args: [Cql2Node, Cql2Node, Cql2Node];
}

/** `value IN (item, …)`. */
export interface InNode extends Located {
  kind: 'in';
  value: Cql2Node;
  list: Cql2Node[];
}

/** `value IS NULL`. */
export interface IsNullNode extends Located {
  kind: 'isNull';
  arg: Cql2Node;
}

/** `S_<OP>(a, b)`. */
export interface SpatialNode extends Located {
  kind: 'spatial';
  op: SpatialOperator;
  args: [Cql2Node, Cql2Node];
}

/** `T_<OP>(a, b)`. */
export interface TemporalNode extends Located {
  kind: 'temporal';
  op: TemporalOperator;
  args: [Cql2Node, Cql2Node];
}

/** A reference to a queryable property (or to the geometry, or the feature id). */
export interface PropertyNode extends Located {
  kind: 'property';
  name: string;
}

/** A character string literal (quotes already removed, escapes resolved). */
export interface StringNode extends Located {
  kind: 'string';
  value: string;
}

/** A numeric literal (always finite). */
export interface NumberNode extends Located {
  kind: 'number';
  value: number;
}

/** `TRUE` / `FALSE`. */
export interface BooleanNode extends Located {
  kind: 'boolean';
  value: boolean;
}

/** `DATE('YYYY-MM-DD')`, validated. */
export interface DateNode extends Located {
  kind: 'date';
  value: string;
}

/** `TIMESTAMP('YYYY-MM-DDTHH:MM:SS[.fff]Z')`, validated; an explicit offset is accepted too. */
export interface TimestampNode extends Located {
  kind: 'timestamp';
  value: string;
}

/** One end of an interval: an instant, a property, or `'..'` for an open end. */
export type IntervalBound = DateNode | TimestampNode | PropertyNode | '..';

/** `INTERVAL(start, end)`. */
export interface IntervalNode extends Located {
  kind: 'interval';
  start: IntervalBound;
  end: IntervalBound;
}

/** A geometry literal (WKT in text, GeoJSON in JSON), held as a validated GeoJSON geometry. */
export interface GeometryNode extends Located {
  kind: 'geometry';
  geometry: Geometry;
}

/** `BBOX(minx, miny, maxx, maxy)` or with elevations `BBOX(minx, miny, minz, maxx, maxy, maxz)`. */
export interface BboxNode extends Located {
  kind: 'bbox';
  values: number[];
}

/** `CASEI(expr)`: case-insensitive comparison of a character expression. */
export interface CaseiNode extends Located {
  kind: 'casei';
  arg: Cql2Node;
}

/** The one syntax tree both CQL2 parsers produce and the compiler consumes. */
export type Cql2Node =
  | AndNode
  | OrNode
  | NotNode
  | ComparisonNode
  | LikeNode
  | BetweenNode
  | InNode
  | IsNullNode
  | SpatialNode
  | TemporalNode
  | PropertyNode
  | StringNode
  | NumberNode
  | BooleanNode
  | DateNode
  | TimestampNode
  | IntervalNode
  | GeometryNode
  | BboxNode
  | CaseiNode;

/** Node kinds that are conditions (evaluate to true/false) by construction. */
export const CONDITION_KINDS: ReadonlySet<Cql2Node['kind']> = new Set([
  'and',
  'or',
  'not',
  'comparison',
  'like',
  'between',
  'in',
  'isNull',
  'spatial',
  'temporal',
]);

/** A short person-readable description of a node, for error messages ("the number 5"). */
export function describeNode(node: Cql2Node): string {
  switch (node.kind) {
    case 'string':
      return `the string '${truncate(node.value)}'`;
    case 'number':
      return `the number ${node.value}`;
    case 'boolean':
      return `the boolean ${node.value ? 'TRUE' : 'FALSE'}`;
    case 'date':
      return `the date ${node.value}`;
    case 'timestamp':
      return `the timestamp ${node.value}`;
    case 'interval':
      return 'an interval';
    case 'geometry':
      return `a ${node.geometry.type} geometry`;
    case 'bbox':
      return 'a bounding box';
    case 'property':
      return `the property "${truncate(node.name)}"`;
    case 'casei':
      return 'a CASEI(…) expression';
    default:
      return `a condition (${node.kind})`;
  }
}

/** Shortens user text quoted back in a message. */
export function truncate(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
