import { describe, expect, it } from 'vitest';
import { parseCql2Text } from './index.ts';
import { expectFilterError, stripLocations } from './test-context.ts';

const p = (name: string) => ({ kind: 'property', name });
const s = (value: string) => ({ kind: 'string', value });
const n = (value: number) => ({ kind: 'number', value });
const eq = (l: unknown, r: unknown) => ({ kind: 'comparison', op: '=', args: [l, r] });

function tree(text: string): unknown {
  return stripLocations(parseCql2Text(text));
}

describe('parseCql2Text: structure', () => {
  it('gives NOT precedence over AND over OR', () => {
    expect(tree('a = 1 OR b = 2 AND NOT c = 3')).toEqual({
      kind: 'or',
      args: [eq(p('a'), n(1)), { kind: 'and', args: [eq(p('b'), n(2)), { kind: 'not', arg: eq(p('c'), n(3)) }] }],
    });
  });

  it('keeps chains of AND / OR flat and honours parentheses', () => {
    expect(tree('a = 1 AND b = 2 AND c = 3')).toEqual({ kind: 'and', args: [eq(p('a'), n(1)), eq(p('b'), n(2)), eq(p('c'), n(3))] });
    expect(tree('(a = 1 OR b = 2) AND c = 3')).toEqual({
      kind: 'and',
      args: [{ kind: 'or', args: [eq(p('a'), n(1)), eq(p('b'), n(2))] }, eq(p('c'), n(3))],
    });
  });

  it('reads keywords in any case', () => {
    expect(tree("a = 1 aNd NoT b LiKe 'x%' oR c iS nOt NuLl")).toEqual(
      tree("a = 1 AND NOT b LIKE 'x%' OR c IS NOT NULL"),
    );
  });

  it('represents NOT LIKE / NOT BETWEEN / NOT IN / IS NOT NULL as NOT of the positive form', () => {
    expect(tree("a NOT LIKE 'x'")).toEqual({ kind: 'not', arg: { kind: 'like', args: [p('a'), s('x')] } });
    expect(tree('a NOT BETWEEN 1 AND 2')).toEqual({ kind: 'not', arg: { kind: 'between', args: [p('a'), n(1), n(2)] } });
    expect(tree('a NOT IN (1)')).toEqual({ kind: 'not', arg: { kind: 'in', value: p('a'), list: [n(1)] } });
    expect(tree('a IS NOT NULL')).toEqual({ kind: 'not', arg: { kind: 'isNull', arg: p('a') } });
  });

  it('records character offsets', () => {
    const node = parseCql2Text("  name = 'x'") as { at: unknown; args: { at: unknown }[] };
    expect(node.at).toEqual({ offset: 2 });
    expect(node.args[1].at).toEqual({ offset: 9 });
  });
});

describe('parseCql2Text: literals and names', () => {
  it.each([
    ["'O''Brien'", "O'Brien"],
    ["'it\\'s'", "it's"],
    ["'a\\\\b'", 'a\\b'],
    ["'tab\\there'", 'tab\there'],
    ["'100\\%'", '100\\%'],
    ["'C:\\dir'", 'C:\\dir'],
    ["'北京市 海淀区'", '北京市 海淀区'],
    ["''", ''],
    ["'a;--\"b'", 'a;--"b'],
  ])('string %s', (literal, value) => {
    expect(tree(`x = ${literal}`)).toEqual(eq(p('x'), s(value)));
  });

  it.each([
    ['0', 0],
    ['42', 42],
    ['-7', -7],
    ['+7', 7],
    ['3.25', 3.25],
    ['.5', 0.5],
    ['5.', 5],
    ['-1.5e3', -1500],
    ['2E-2', 0.02],
  ])('number %s', (literal, value) => {
    expect(tree(`x = ${literal}`)).toEqual(eq(p('x'), n(value)));
  });

  it('reads booleans, dates and timestamps', () => {
    expect(tree('x = true')).toEqual(eq(p('x'), { kind: 'boolean', value: true }));
    expect(tree("x = date('2024-02-29')")).toEqual(eq(p('x'), { kind: 'date', value: '2024-02-29' }));
    expect(tree("x = TIMESTAMP('2024-01-01T00:00:00.5Z')")).toEqual(eq(p('x'), { kind: 'timestamp', value: '2024-01-01T00:00:00.5Z' }));
  });

  it('reads bare, Unicode and double-quoted property names', () => {
    expect(tree('名称 = 1')).toEqual(eq(p('名称'), n(1)));
    expect(tree('"土地 用途" = 1')).toEqual(eq(p('土地 用途'), n(1)));
    expect(tree('"na""me" = 1')).toEqual(eq(p('na"me'), n(1)));
    expect(tree('eo:cloud_cover = 1')).toEqual(eq(p('eo:cloud_cover'), n(1)));
    expect(tree('a.b_2 = 1')).toEqual(eq(p('a.b_2'), n(1)));
    expect(tree('"AND" = 1')).toEqual(eq(p('AND'), n(1)));
    expect(tree("date = DATE('2020-01-01')")).toEqual(eq(p('date'), { kind: 'date', value: '2020-01-01' }));
    expect(tree('point = 1')).toEqual(eq(p('point'), n(1)));
  });

  it('reads WKT geometries and BBOX', () => {
    const geom = (text: string) => (tree(`S_INTERSECTS(g, ${text})`) as { args: unknown[] }).args[1];
    expect(geom('POINT(1 2)')).toEqual({ kind: 'geometry', geometry: { type: 'Point', coordinates: [1, 2] } });
    expect(geom('point z(1 2 3)')).toEqual({ kind: 'geometry', geometry: { type: 'Point', coordinates: [1, 2, 3] } });
    expect(geom('POINT(1 2 3)')).toEqual({ kind: 'geometry', geometry: { type: 'Point', coordinates: [1, 2, 3] } });
    expect(geom('MULTIPOINT(1 2, (3 4))')).toEqual({ kind: 'geometry', geometry: { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] } });
    expect(geom('GEOMETRYCOLLECTION(POINT(0 0), GEOMETRYCOLLECTION(LINESTRING(0 0, 1 1)))')).toEqual({
      kind: 'geometry',
      geometry: {
        type: 'GeometryCollection',
        geometries: [
          { type: 'Point', coordinates: [0, 0] },
          { type: 'GeometryCollection', geometries: [{ type: 'LineString', coordinates: [[0, 0], [1, 1]] }] },
        ],
      },
    });
    expect(geom('BBOX(-1, -2, 3, 4)')).toEqual({ kind: 'bbox', values: [-1, -2, 3, 4] });
  });

  it('reads intervals with open ends and property bounds', () => {
    expect(tree("T_INTERSECTS(t, INTERVAL('2020-01-01', '..'))")).toEqual({
      kind: 'temporal',
      op: 't_intersects',
      args: [p('t'), { kind: 'interval', start: { kind: 'date', value: '2020-01-01' }, end: '..' }],
    });
    expect(tree("t_during(INTERVAL(a, \"b c\"), INTERVAL(TIMESTAMP('2020-01-01T00:00:00Z'), '2021-01-01T00:00:00Z'))")).toEqual({
      kind: 'temporal',
      op: 't_during',
      args: [
        { kind: 'interval', start: p('a'), end: p('b c') },
        { kind: 'interval', start: { kind: 'timestamp', value: '2020-01-01T00:00:00Z' }, end: { kind: 'timestamp', value: '2021-01-01T00:00:00Z' } },
      ],
    });
  });
});

/** [filter, offset, message fragments…] */
const SYNTAX_ERRORS: [string, number, ...string[]][] = [
  ["name = 'abc", 7, 'At offset 7', 'not terminated', "closing single quote (')"],
  ["name = 'C:\\'", 7, 'not terminated', "a string ending with a backslash is written 'C:\\\\'"],
  ['"name = 1', 0, 'quoted property name', 'not terminated'],
  ['"" = 1', 0, 'cannot be empty'],
  ['', 0, 'The filter is empty'],
  ['   ', 0, 'The filter is empty'],
  ['name =', 6, 'Expected a value or a property name but found the end of the filter'],
  ["name = 'a' AND", 14, 'The filter ends too early'],
  ["(name = 'a'", 11, "Expected ')' to close the '(' at offset 0"],
  ["name = 'a')", 10, "Unbalanced ')'"],
  ["name = 'a' name = 'b'", 11, 'Expected AND, OR or the end of the filter but found \'name\''],
  ['name != 1', 5, 'Use <> for'],
  ['name == 1', 5, 'Use a single ='],
  ['pop + 1 > 2', 4, 'arithmetic (+ - * / ^) is not supported'],
  ['pop * 2 > 2', 4, 'arithmetic'],
  ['(pop) > 2', 6, 'A comparison cannot follow a parenthesised expression', 'parentheses group conditions, not values'],
  ['(pop > 2', 8, "Expected ')' to close the '(' at offset 0"],
  ["name 'x'", 5, 'Expected a comparison', "after the property \"name\" but found the string 'x'"],
  ['5', 1, 'Expected a comparison', 'after the number 5'],
  ['name = NULL', 7, 'NULL is not a value in CQL2', 'IS NULL'],
  ['name IS 5', 8, 'Expected NULL or NOT NULL after IS'],
  ['name NOT = 5', 5, 'NOT after a value must be followed by LIKE, BETWEEN or IN'],
  ['IN = 5', 0, 'found the keyword IN', 'double quotes: "IN"'],
  ['pop BETWEEN 1 OR 2', 14, 'Expected AND between the two bounds of BETWEEN'],
  ['pop IN ()', 8, 'The IN list is empty'],
  ['pop IN (1, 2', 12, "Expected ',' or ')' in the IN list"],
  ['pop IN 1, 2', 7, "Expected '(' to start the IN list"],
  ['12abc = 1', 0, 'is not a valid number'],
  ['pop = 1e999', 6, 'too large'],
  ['pop = [1, 2]', 6, 'array literals and array operators are not supported'],
  ['pop = 1; DROP TABLE t', 7, "Unexpected character ';'", 'the operators = <> < > <= >='],
  ['pop = 1 -- comment', 8, "Unexpected '-'", 'arithmetic'],
  ['pop = @x', 6, "Unexpected character '@'"],
  ['pop = 1\u0000', 7, "Unexpected character 'U+0000'"],
  ['foo(pop) = 1', 0, "Unknown function 'foo'", 'Supported: S_INTERSECTS'],
  ['avg(windSpeed) < 4', 0, "Unknown function 'avg'"],
  ['ACCENTI(name) = 1', 0, 'ACCENTI (accent-insensitive comparison) is not supported'],
  ['A_CONTAINS(layer, 1)', 0, 'The array operator A_CONTAINS is not supported'],
  ['S_INTERSECTS(geometry, POINT(1 2)) = TRUE', 35, 'Expected AND, OR or the end of the filter'],
  ['x = S_INTERSECTS(geometry, POINT(1 2))', 4, 'S_INTERSECTS(…) is a condition and cannot be used as a value'],
  ['S_INTERSECTS(geometry)', 21, "Expected ',' between the two arguments of S_INTERSECTS"],
  ['S_INTERSECTS(geometry, POINT(1 2), POINT(3 4))', 33, 'it takes exactly two arguments'],
  ["S_INTERSECTS(geometry, 'POINT(1 2)')", 23, 'Expected a geometry', "found the string 'POINT(1 2)'"],
  ['S_INTERSECTS(geometry, POINT(1))', 30, 'Expected a second coordinate (y)'],
  ['S_INTERSECTS(geometry, POINT(1 2 3 4))', 35, 'at most 3 coordinates'],
  ['S_INTERSECTS(geometry, POINT EMPTY)', 29, 'Empty geometries are not supported'],
  ['S_INTERSECTS(geometry, POINT M (1 2 3))', 29, 'M (measure) coordinates are not supported'],
  ['S_INTERSECTS(geometry, POINT Z (1 2))', 23, 'declared Z (3D) but its positions have 2 coordinates'],
  ['S_INTERSECTS(geometry, LINESTRING(1 2))', 33, 'Invalid LINESTRING: a line string needs at least 2 positions'],
  ['S_INTERSECTS(geometry, LINESTRING(0 0, 1 1 1))', 23, 'all 2D or all 3D'],
  ['S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1)))', 31, 'Invalid POLYGON: a polygon ring needs at least 4 positions'],
  ['S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 1)))', 31, 'must be closed', 'must repeat the first (0 0)'],
  ['S_INTERSECTS(geometry, POLYGON(0 0, 1 0, 1 1, 0 0))', 31, "Expected '(' to start a list of positions"],
  ['S_INTERSECTS(geometry, BBOX(0, 0, 1))', 23, 'Invalid BBOX', '4 numbers', 'found 3'],
  ['S_INTERSECTS(geometry, BBOX(0, 10, 1, 5))', 23, "miny (10) is greater than its maxy (5)"],
  ["T_AFTER(updated, '2020-01-01')", 17, 'Expected a temporal value', "found the string '2020-01-01'"],
  ["T_AFTER(updated, DATE('2020-13-01'))", 22, 'Invalid date', 'month 13 does not exist'],
  ["T_AFTER(updated, DATE('20200101'))", 22, 'is not a date written YYYY-MM-DD'],
  ["T_AFTER(updated, TIMESTAMP('2020-01-01T10:00:00'))", 27, 'add the time zone: Z for UTC'],
  ["T_AFTER(updated, TIMESTAMP('2020-01-01T25:00:00Z'))", 27, 'between 00:00:00 and 23:59:59'],
  ["T_AFTER(updated, INTERVAL('2020-01-01', 'soon'))", 40, 'Invalid interval bound', "'..' for an open end"],
  ["T_AFTER(updated, INTERVAL('2020-01-01'))", 38, "Expected ',' between the start and the end of the interval"],
  ['CASEI(name = 1', 11, "Expected ')' to close CASEI"],
];

describe('parseCql2Text: syntax errors', () => {
  it.each(SYNTAX_ERRORS)('%s', (filter, offset, ...fragments) => {
    const e = expectFilterError(() => parseCql2Text(filter), 'YITU_ERR_FILTER_INVALID', ...fragments);
    expect(e.errors?.[0]?.offset).toBe(offset);
    expect(e.message.startsWith(`At offset ${offset}: `)).toBe(true);
  });

  it('rejects a non-string filter', () => {
    expectFilterError(() => parseCql2Text(42 as unknown as string), 'YITU_ERR_FILTER_INVALID', 'must be a string');
  });
});
