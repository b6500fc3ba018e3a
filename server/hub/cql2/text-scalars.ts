import {
  SPATIAL_OPERATORS,
  TEMPORAL_OPERATORS,
  type BboxNode,
  type Cql2Node,
  type DateNode,
  type IntervalBound,
  type IntervalNode,
  type PropertyNode,
  type SpatialOperator,
  type TemporalOperator,
  type TimestampNode,
} from './ast.ts';
import { bboxProblem } from './geometry.ts';
import { dateProblem, instantKind, timestampProblem } from './instants.ts';
import { atGeometry, parseWkt } from './text-wkt.ts';
import { describeToken, type TokenCursor } from './token-cursor.ts';

/** Upper-case CQL2 text spelling → spatial operator. */
export const SPATIAL_FUNCTIONS: ReadonlyMap<string, SpatialOperator> = new Map(
  SPATIAL_OPERATORS.map((op) => [op.toUpperCase(), op]),
);

/** Upper-case CQL2 text spelling → temporal operator. */
export const TEMPORAL_FUNCTIONS: ReadonlyMap<string, TemporalOperator> = new Map(
  TEMPORAL_OPERATORS.map((op) => [op.toUpperCase(), op]),
);

const ARRAY_FUNCTIONS = new Set(['A_EQUALS', 'A_CONTAINS', 'A_CONTAINEDBY', 'A_OVERLAPS']);

/** Words that cannot be bare property names (double-quote them to use them as names). */
export const RESERVED_WORDS = new Set(['AND', 'OR', 'NOT', 'LIKE', 'BETWEEN', 'IN', 'IS', 'NULL']);

/** The functions CQL2 text accepts, for messages. */
export const SUPPORTED_FUNCTIONS =
  'S_INTERSECTS, S_WITHIN, S_CONTAINS, S_DISJOINT, S_EQUALS, S_TOUCHES, S_CROSSES, S_OVERLAPS, ' +
  'T_AFTER, T_BEFORE, T_DURING, T_INTERSECTS, T_EQUALS (and the other T_ operators), ' +
  'DATE, TIMESTAMP, INTERVAL, BBOX, CASEI and the WKT geometries (POINT, LINESTRING, POLYGON, MULTI…, GEOMETRYCOLLECTION)';

/** Parses a property name (bare identifier or "quoted"), failing with `what` otherwise. */
export function parsePropertyName(c: TokenCursor, what: string): PropertyNode {
  const tok = c.peek();
  if (tok.type === 'quotedIdent') {
    c.next();
    return { kind: 'property', name: tok.value, at: { offset: tok.offset } };
  }
  if (tok.type === 'ident' && !RESERVED_WORDS.has(tok.value.toUpperCase()) && c.peek(1).type !== '(') {
    c.next();
    return { kind: 'property', name: tok.value, at: { offset: tok.offset } };
  }
  return c.fail(`Expected ${what} but found ${describeToken(tok)}`, tok);
}

/** Parses `DATE('…')` or `TIMESTAMP('…')` (the cursor is at the keyword). */
export function parseInstant(c: TokenCursor): DateNode | TimestampNode {
  const kw = c.next();
  const kind = kw.value.toUpperCase() === 'DATE' ? 'date' : 'timestamp';
  c.expect('(', `'(' after ${kw.value}`);
  const str = c.expect('string', `a quoted ${kind} after ${kw.value}(`);
  const problem = kind === 'date' ? dateProblem(str.value) : timestampProblem(str.value);
  if (problem) c.fail(`Invalid ${kind}: ${problem}`, str);
  c.expect(')', `')' to close ${kw.value}(…)`);
  return { kind, value: str.value, at: { offset: kw.offset } };
}

function intervalBound(c: TokenCursor): IntervalBound {
  const tok = c.peek();
  if (tok.type === 'string') {
    c.next();
    if (tok.value === '..') return '..';
    const kind = instantKind(tok.value);
    const problem =
      kind === 'date' ? dateProblem(tok.value) : kind === 'timestamp' ? timestampProblem(tok.value) : 'not a date or timestamp';
    if (problem || !kind) {
      c.fail(`Invalid interval bound: ${problem}. Use a date ('2024-01-31'), a timestamp ('2024-01-31T08:30:00Z') or '..' for an open end`, tok);
    }
    return { kind, value: tok.value, at: { offset: tok.offset } } as DateNode | TimestampNode;
  }
  if (tok.type === 'ident' && ['DATE', 'TIMESTAMP'].includes(tok.value.toUpperCase()) && c.peek(1).type === '(') {
    return parseInstant(c);
  }
  return parsePropertyName(c, "an interval bound: a date, a timestamp, '..' or a property name");
}

/** Parses `INTERVAL(start, end)` (the cursor is at the keyword). */
export function parseInterval(c: TokenCursor): IntervalNode {
  const kw = c.next();
  c.expect('(', "'(' after INTERVAL");
  const start = intervalBound(c);
  c.expect(',', "',' between the start and the end of the interval");
  const end = intervalBound(c);
  c.expect(')', "')' to close INTERVAL(…)");
  return { kind: 'interval', start, end, at: { offset: kw.offset } };
}

/** Parses `BBOX(minx, miny, maxx, maxy)` or its 6-number form (the cursor is at the keyword). */
export function parseBbox(c: TokenCursor): BboxNode {
  const kw = c.next();
  c.expect('(', "'(' after BBOX");
  const values = [c.expect('number', 'a number (minx)').num as number];
  while (c.accept(',')) values.push(c.expect('number', 'a number').num as number);
  c.expect(')', "',' or ')' in BBOX(minx, miny, maxx, maxy)");
  const problem = bboxProblem(values);
  if (problem) c.fail(`Invalid BBOX: ${problem}`, kw);
  return { kind: 'bbox', values, at: { offset: kw.offset } };
}

/**
 * Parses a scalar operand: a literal (string, number, boolean, DATE, TIMESTAMP, INTERVAL,
 * geometry, BBOX), CASEI(…) or a property name.
 */
export function parseScalar(c: TokenCursor): Cql2Node {
  const tok = c.peek();
  const at = { offset: tok.offset };
  switch (tok.type) {
    case 'string':
      c.next();
      return { kind: 'string', value: tok.value, at };
    case 'number':
      c.next();
      return { kind: 'number', value: tok.num as number, at };
    case 'quotedIdent':
      c.next();
      return { kind: 'property', name: tok.value, at };
    case 'ident':
      break;
    case '(':
      return c.fail('Parentheses group conditions, not values: arithmetic is not supported in filters', tok);
    default:
      return c.fail(`Expected a value or a property name but found ${describeToken(tok)}`, tok);
  }
  const upper = tok.value.toUpperCase();
  if (upper === 'TRUE' || upper === 'FALSE') {
    c.next();
    return { kind: 'boolean', value: upper === 'TRUE', at };
  }
  if (upper === 'NULL') {
    c.fail('NULL is not a value in CQL2: to test for a missing value write "<property> IS NULL" or "<property> IS NOT NULL"', tok);
  }
  if (RESERVED_WORDS.has(upper)) {
    c.fail(
      `Expected a value or a property name but found the keyword ${upper}. ` +
        `If ${tok.value} is a property name, write it in double quotes: "${tok.value}"`,
      tok,
    );
  }
  if (atGeometry(c)) return parseWkt(c);
  if (c.peek(1).type !== '(') {
    c.next();
    return { kind: 'property', name: tok.value, at };
  }
  switch (upper) {
    case 'DATE':
    case 'TIMESTAMP':
      return parseInstant(c);
    case 'INTERVAL':
      return parseInterval(c);
    case 'BBOX':
      return parseBbox(c);
    case 'CASEI': {
      c.next();
      c.expect('(', "'(' after CASEI");
      c.enter(tok);
      const arg = parseScalar(c);
      c.leave();
      c.expect(')', "')' to close CASEI(…)");
      return { kind: 'casei', arg, at };
    }
    case 'ACCENTI':
      return c.fail('ACCENTI (accent-insensitive comparison) is not supported; CASEI (case-insensitive) is', tok);
  }
  if (SPATIAL_FUNCTIONS.has(upper) || TEMPORAL_FUNCTIONS.has(upper)) {
    c.fail(`${upper}(…) is a condition and cannot be used as a value; write it on its own, e.g. ${upper}(a, b) AND …`, tok);
  }
  if (ARRAY_FUNCTIONS.has(upper)) c.fail(`The array operator ${upper} is not supported`, tok);
  return c.fail(`Unknown function '${tok.value}'. Supported: ${SUPPORTED_FUNCTIONS}`, tok);
}
