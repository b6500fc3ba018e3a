import { describeNode, type ComparisonOperator, type Cql2Node } from './ast.ts';
import { MAX_IN_LIST, checkFilterSize, filterError, inListTooLongError } from './filter-errors.ts';
import { tokenize, type Token } from './lexer.ts';
import {
  SPATIAL_FUNCTIONS,
  TEMPORAL_FUNCTIONS,
  parseBbox,
  parseInstant,
  parseInterval,
  parsePropertyName,
  parseScalar,
} from './text-scalars.ts';
import { atGeometry, parseWkt } from './text-wkt.ts';
import { TokenCursor, describeToken } from './token-cursor.ts';

const COMPARISON_HINT = 'a comparison (=, <>, <, >, <=, >=, LIKE, BETWEEN, IN or IS NULL)';

function spatialArg(c: TokenCursor): Cql2Node {
  if (atGeometry(c)) return parseWkt(c);
  if (c.isKeyword('BBOX') && c.peek(1).type === '(') return parseBbox(c);
  return parsePropertyName(c, 'a geometry: the geometry property, a WKT geometry such as POINT(116.4 39.9), or BBOX(minx, miny, maxx, maxy)');
}

function temporalArg(c: TokenCursor): Cql2Node {
  if ((c.isKeyword('DATE') || c.isKeyword('TIMESTAMP')) && c.peek(1).type === '(') return parseInstant(c);
  if (c.isKeyword('INTERVAL') && c.peek(1).type === '(') return parseInterval(c);
  return parsePropertyName(c, "a temporal value: DATE('…'), TIMESTAMP('…'), INTERVAL(start, end) or a date/timestamp property");
}

function twoArgs(c: TokenCursor, kw: Token, arg: (c: TokenCursor) => Cql2Node): [Cql2Node, Cql2Node] {
  const name = kw.value.toUpperCase();
  c.expect('(', `'(' after ${name}`);
  const a = arg(c);
  c.expect(',', `',' between the two arguments of ${name}`);
  const b = arg(c);
  c.expect(')', `')' to close ${name}(…, …): it takes exactly two arguments`);
  return [a, b];
}

function predicateTail(c: TokenCursor, left: Cql2Node): Cql2Node {
  const tok = c.peek();
  const at = left.at;
  if (tok.type === 'op') {
    c.next();
    return { kind: 'comparison', op: tok.value as ComparisonOperator, args: [left, parseScalar(c)], at };
  }
  let negation: Token | null = null;
  if (c.isKeyword('NOT')) {
    const after = c.peek(1);
    if (!(after.type === 'ident' && ['LIKE', 'BETWEEN', 'IN'].includes(after.value.toUpperCase()))) {
      c.fail(`NOT after a value must be followed by LIKE, BETWEEN or IN, but found ${describeToken(after)}`, tok);
    }
    negation = c.next();
  }
  let node: Cql2Node;
  if (c.acceptKeyword('LIKE')) {
    node = { kind: 'like', args: [left, parseScalar(c)], at };
  } else if (c.acceptKeyword('BETWEEN')) {
    const low = parseScalar(c);
    c.expectKeyword('AND', "AND between the two bounds of BETWEEN (x BETWEEN 1 AND 10)");
    node = { kind: 'between', args: [left, low, parseScalar(c)], at };
  } else if (c.acceptKeyword('IN')) {
    c.expect('(', "'(' to start the IN list, e.g. x IN (1, 2, 3)");
    if (c.peek().type === ')') c.fail('The IN list is empty: give at least one value', c.peek());
    const list = [parseScalar(c)];
    while (c.accept(',')) {
      if (list.length >= MAX_IN_LIST) throw inListTooLongError(list.length + 1, { offset: c.peek().offset });
      list.push(parseScalar(c));
    }
    c.expect(')', "',' or ')' in the IN list");
    node = { kind: 'in', value: left, list, at };
  } else if (c.acceptKeyword('IS')) {
    const not = c.acceptKeyword('NOT');
    c.expectKeyword('NULL', not ? 'NULL after IS NOT' : 'NULL or NOT NULL after IS');
    node = { kind: 'isNull', arg: left, at };
    return not ? { kind: 'not', arg: node, at } : node;
  } else {
    const ends = tok.type === 'eof' || tok.type === ')' || c.isKeyword('AND') || c.isKeyword('OR');
    if (ends && (left.kind === 'property' || left.kind === 'boolean')) return left;
    return c.fail(`Expected ${COMPARISON_HINT} after ${describeNode(left)} but found ${describeToken(tok)}`, tok);
  }
  return negation ? { kind: 'not', arg: node, at } : node;
}

function primary(c: TokenCursor): Cql2Node {
  const tok = c.peek();
  if (tok.type === '(') {
    c.next();
    c.enter(tok);
    const inner = or(c);
    c.leave();
    c.expect(')', `')' to close the '(' at offset ${tok.offset}`);
    if (c.peek().type === 'op') {
      c.fail(`A comparison cannot follow a parenthesised expression: parentheses group conditions, not values (arithmetic is not supported)`);
    }
    return inner;
  }
  if (tok.type === 'ident' && c.peek(1).type === '(') {
    const upper = tok.value.toUpperCase();
    const spatial = SPATIAL_FUNCTIONS.get(upper);
    if (spatial) {
      c.next();
      return { kind: 'spatial', op: spatial, args: twoArgs(c, tok, spatialArg), at: { offset: tok.offset } };
    }
    const temporal = TEMPORAL_FUNCTIONS.get(upper);
    if (temporal) {
      c.next();
      return { kind: 'temporal', op: temporal, args: twoArgs(c, tok, temporalArg), at: { offset: tok.offset } };
    }
  }
  if (tok.type === 'eof') c.fail('The filter ends too early: a condition is missing', tok);
  return predicateTail(c, parseScalar(c));
}

function not(c: TokenCursor): Cql2Node {
  const tok = c.acceptKeyword('NOT');
  if (!tok) return primary(c);
  c.enter(tok);
  const arg = not(c);
  c.leave();
  return { kind: 'not', arg, at: { offset: tok.offset } };
}

function and(c: TokenCursor): Cql2Node {
  const start = c.peek().offset;
  const args = [not(c)];
  while (c.acceptKeyword('AND')) args.push(not(c));
  return args.length === 1 ? args[0] : { kind: 'and', args, at: { offset: start } };
}

function or(c: TokenCursor): Cql2Node {
  const start = c.peek().offset;
  const args = [and(c)];
  while (c.acceptKeyword('OR')) args.push(and(c));
  return args.length === 1 ? args[0] : { kind: 'or', args, at: { offset: start } };
}

/**
 * Parses a CQL2 text filter (OGC 21-065 `cql2-text`) into a {@link Cql2Node}.
 * Keywords and function names are case-insensitive; property names are kept as written.
 * Throws YITU_ERR_FILTER_INVALID with the character offset of the problem.
 */
export function parseCql2Text(text: string): Cql2Node {
  if (typeof text !== 'string') throw filterError('A cql2-text filter must be a string');
  checkFilterSize(text);
  const c = new TokenCursor(text, tokenize(text));
  if (c.peek().type === 'eof') throw filterError("The filter is empty: write a condition such as name = 'x'", { offset: 0 });
  const node = or(c);
  const tok = c.peek();
  if (tok.type === ')') c.fail("Unbalanced ')': there is no matching '('", tok);
  if (tok.type !== 'eof') c.fail(`Expected AND, OR or the end of the filter but found ${describeToken(tok)}`, tok);
  return node;
}
