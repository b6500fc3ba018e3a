/**
 * OGC CQL2 (OGC 21-065) for OGC API – Features Part 3: parsers for cql2-text and cql2-json into one
 * syntax tree, and a compiler to parameterised PostgreSQL/PostGIS SQL.
 */
export type {
  AndNode,
  BboxNode,
  BetweenNode,
  CaseiNode,
  ComparisonNode,
  ComparisonOperator,
  Cql2Node,
  DateNode,
  GeometryNode,
  InNode,
  IntervalBound,
  IntervalNode,
  IsNullNode,
  LikeNode,
  NotNode,
  NumberNode,
  OrNode,
  PropertyNode,
  SourceLocation,
  SpatialNode,
  SpatialOperator,
  StringNode,
  TemporalNode,
  TemporalOperator,
  TimestampNode,
  BooleanNode,
} from './ast.ts';
export { SPATIAL_OPERATORS, TEMPORAL_OPERATORS } from './ast.ts';
export type { CompileContext, CompiledFilter, QueryableProperty, QueryableType } from './compile-context.ts';
export { compileCql2 } from './compile.ts';
export { FILTER_LANGUAGES, compileFilter, parseFilter, type Cql2Language } from './compile-filter.ts';
export { MAX_DEPTH, MAX_FILTER_BYTES, MAX_IN_LIST, MAX_JSON_VALUES } from './filter-errors.ts';
export { parseCql2Json } from './json-parser.ts';
export { parseCql2Text } from './text-parser.ts';
