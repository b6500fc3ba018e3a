import { describe, expect, it } from 'vitest';
import { compileFilter, parseCql2Json } from './index.ts';
import { expectFilterError, stripLocations, testContext } from './test-context.ts';

const ctx = testContext();
const prop = (property: string) => ({ property });

describe('parseCql2Json: valid filters', () => {
  it('builds the same tree shapes as the text parser', () => {
    expect(stripLocations(parseCql2Json({ op: 'and', args: [{ op: '=', args: [prop('a'), 1] }, { op: 'isNull', args: [prop('b')] }] }))).toEqual({
      kind: 'and',
      args: [
        { kind: 'comparison', op: '=', args: [{ kind: 'property', name: 'a' }, { kind: 'number', value: 1 }] },
        { kind: 'isNull', arg: { kind: 'property', name: 'b' } },
      ],
    });
  });

  it('records JSON paths', () => {
    const node = parseCql2Json({ op: 'or', args: [true, { op: '<', args: [prop('pop'), 5] }] }) as {
      at: unknown;
      args: [unknown, { at: unknown; args: { at: unknown }[] }];
    };
    expect(node.at).toEqual({ path: '' });
    expect(node.args[1].at).toEqual({ path: 'args[1]' });
    expect(node.args[1].args[1].at).toEqual({ path: 'args[1].args[1]' });
  });

  it('matches operation names case-insensitively', () => {
    expect(stripLocations(parseCql2Json({ op: 'S_INTERSECTS', args: [prop('geometry'), { bbox: [0, 0, 1, 1] }] }))).toEqual(
      stripLocations(parseCql2Json({ op: 's_intersects', args: [prop('geometry'), { bbox: [0, 0, 1, 1] }] })),
    );
    expect(stripLocations(parseCql2Json({ op: 'ISNULL', args: [prop('a')] }))).toEqual({ kind: 'isNull', arg: { kind: 'property', name: 'a' } });
    expect(stripLocations(parseCql2Json({ op: 't_finishedby', args: [prop('a'), { date: '2020-01-01' }] }))).toMatchObject({ op: 't_finishedBy' });
  });

  it('accepts a bare boolean and a GeoJSON bbox member', () => {
    expect(compileFilter('true', 'cql2-json', ctx)).toEqual({ sql: '$1::boolean', params: [true] });
    const g = { type: 'Point', coordinates: [1, 2], bbox: [1, 2, 1, 2] };
    expect(compileFilter(JSON.stringify({ op: 's_intersects', args: [prop('geometry'), g] }), 'cql2-json', ctx).params).toEqual(['POINT(1 2)']);
  });

  it('compiles every GeoJSON geometry type to WKT', () => {
    const geometries: [unknown, string][] = [
      [{ type: 'Point', coordinates: [1, 2, 3] }, 'POINT Z (1 2 3)'],
      [{ type: 'LineString', coordinates: [[0, 0], [1, 1]] }, 'LINESTRING(0 0,1 1)'],
      [{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, 'POLYGON((0 0,1 0,1 1,0 0))'],
      [{ type: 'MultiPoint', coordinates: [[0, 0], [1, 1]] }, 'MULTIPOINT((0 0),(1 1))'],
      [{ type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]]] }, 'MULTILINESTRING((0 0,1 1))'],
      [{ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] }, 'MULTIPOLYGON(((0 0,1 0,1 1,0 0)))'],
      [
        { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [0, 0] }, { type: 'LineString', coordinates: [[0, 0], [1, 1]] }] },
        'GEOMETRYCOLLECTION(POINT(0 0),LINESTRING(0 0,1 1))',
      ],
    ];
    for (const [g, wkt] of geometries) {
      expect(compileFilter(JSON.stringify({ op: 's_within', args: [prop('geom'), g] }), 'cql2-json', ctx)).toEqual({
        sql: 'ST_Within("geom", ST_GeomFromText($1::text, 4326))',
        params: [wkt],
      });
    }
  });
});

/** [value, path, message fragments…] */
const SHAPE_ERRORS: [unknown, string, ...string[]][] = [
  ['name', '(top level)', 'Expected a condition', 'found the string "name"'],
  [42, '(top level)', 'Expected a condition', 'found number 42'],
  [null, '(top level)', 'Expected a condition', 'found null'],
  [[], '(top level)', 'found an empty array'],
  [{}, '(top level)', 'found an empty object'],
  [{ op: 'and', args: [true] }, 'args', '"and" takes at least 2 arguments in "args", found 1'],
  [{ op: 'and', args: [true, 5] }, 'args[1]', 'Expected a condition', 'found number 5'],
  [{ op: 'and', args: 'x' }, 'args', '"args" must be an array of the arguments of "and"'],
  [{ op: 'and' }, 'args', '"args" must be an array'],
  [{ op: 5, args: [] }, 'op', '"op" must be a string, found number 5'],
  [{ op: '=', args: [prop('a'), 1], extra: 1 }, '(top level)', 'Unexpected member "extra" in an operation', 'allowed members: "op", "args"'],
  [{ op: 'not', args: [true, false] }, 'args', '"not" takes exactly 1 argument in "args", found 2'],
  [{ op: '=', args: [prop('a')] }, 'args', '"=" takes exactly 2 arguments'],
  [{ op: '=', args: [prop('a'), null] }, 'args[1]', 'A null value is not allowed in CQL2', '"isNull"'],
  [{ op: '=', args: [prop('a'), [1]] }, 'args[1]', 'An array is only allowed as the list of an "in" operation'],
  [{ op: '=', args: [prop('a'), { op: '=', args: [1, 1] }] }, 'args[1]', 'A condition ("=") cannot be used as a value here'],
  [{ op: '=', args: [prop('a'), { foo: 1 }] }, 'args[1]', 'Unrecognised value an object with "foo"'],
  [{ op: '=', args: [{ property: '' }, 1] }, 'args[0].property', '"property" must be a non-empty string'],
  [{ op: '=', args: [{ property: 'a', type: 'x' }, 1] }, 'args[0]', 'Unexpected member "type" in a property reference'],
  [{ op: '=', args: [prop('a'), { date: '2024-13-01' }] }, 'args[1].date', 'Invalid date', 'month 13 does not exist'],
  [{ op: '=', args: [prop('a'), { date: 'soon' }] }, 'args[1].date', 'is not a date written YYYY-MM-DD, e.g. {"date": "2024-01-31"}'],
  [{ op: '=', args: [prop('a'), { timestamp: 20240101 }] }, 'args[1].timestamp', '"timestamp" must be a string'],
  [{ op: 'in', args: [prop('a'), 1] }, 'args[1]', 'The second argument of "in" must be an array of values'],
  [{ op: 'in', args: [prop('a'), []] }, 'args[1]', 'The "in" list is empty'],
  [{ op: 'in', args: [prop('a'), [1, { property: 5 }]] }, 'args[1][1].property', '"property" must be a non-empty string'],
  [{ op: 'between', args: [prop('a'), 1] }, 'args', '"between" takes exactly 3 arguments'],
  [{ op: 'like', args: [prop('a'), 'x', 'y'] }, 'args', '"like" takes exactly 2 arguments'],
  [{ op: 'accenti', args: ['a'] }, '(top level)', '"accenti" (accent-insensitive comparison) is not supported'],
  [{ op: 'casei', args: [prop('a')] }, '(top level)', 'Expected a condition', '"casei" gives a value, not a condition'],
  [{ op: '+', args: [1, 2] }, 'op', 'Arithmetic ("+") is not supported'],
  [{ op: 'a_contains', args: [prop('a'), [1]] }, 'op', 'The array operator "a_contains" is not supported'],
  [{ op: 'avg', args: [prop('a')] }, 'op', 'Unknown operation "avg"', 'Supported: and, or, not'],
  [{ op: 's_intersects', args: [prop('geometry'), 'POINT(1 2)'] }, 'args[1]', 'Expected a geometry', 'found the string "POINT(1 2)"'],
  [{ op: 's_intersects', args: [prop('geometry'), { type: 'point', coordinates: [1, 2] }] }, 'args[1].type', 'GeoJSON types are case-sensitive: write "Point"'],
  [{ op: 's_intersects', args: [prop('geometry'), { type: 'Circle', coordinates: [1, 2] }] }, 'args[1].type', 'Unknown geometry type the string "Circle"'],
  [{ op: 's_intersects', args: [prop('geometry'), { type: 'Point', coordinates: [1] }] }, 'args[1].coordinates', 'A position must be an array of 2 or 3 numbers', 'found an array of 1 item'],
  [{ op: 's_intersects', args: [prop('geometry'), { type: 'Point', coordinates: [1, 2], crs: 'x' }] }, 'args[1]', 'Unexpected member "crs" in a GeoJSON geometry'],
  [{ op: 's_intersects', args: [prop('geometry'), { type: 'LineString', coordinates: [[0, 0], [1, '1']] }] }, 'args[1].coordinates[1]', 'A position must be'],
  [{ op: 's_intersects', args: [prop('geometry'), { type: 'LineString', coordinates: [[0, 0]] }] }, 'args[1].coordinates', 'Invalid LineString: a line string needs at least 2 positions'],
  [{ op: 's_intersects', args: [prop('geometry'), { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }] }, 'args[1].coordinates[0]', 'Invalid Polygon', 'must be closed'],
  [{ op: 's_intersects', args: [prop('geometry'), { type: 'Polygon', coordinates: [] }] }, 'args[1].coordinates', 'Expected a non-empty array of rings'],
  [{ op: 's_intersects', args: [prop('geometry'), { type: 'MultiPoint', coordinates: [[0, 0], [1, 1, 1]] }] }, 'args[1]', 'all 2D or all 3D'],
  [{ op: 's_intersects', args: [prop('geometry'), { type: 'GeometryCollection', geometries: [5] }] }, 'args[1].geometries[0]', 'Expected a GeoJSON geometry, found number 5'],
  [{ op: 's_intersects', args: [prop('geometry'), { bbox: [0, 0, 1] }] }, 'args[1].bbox', 'Invalid bbox', 'found 3'],
  [{ op: 's_intersects', args: [prop('geometry'), { bbox: [0, '0', 1, 1] }] }, 'args[1].bbox', '"bbox" must be an array of 4 or 6 numbers'],
  [{ op: 't_after', args: [prop('updated'), '2020-01-01'] }, 'args[1]', 'Expected a temporal value', 'found the string "2020-01-01"'],
  [{ op: 't_after', args: [prop('updated'), { interval: ['2020-01-01'] }] }, 'args[1].interval', '"interval" must be an array of 2 bounds', 'of 1'],
  [{ op: 't_after', args: [prop('updated'), { interval: ['2020-01-01', 'later'] }] }, 'args[1].interval[1]', 'Invalid interval bound', '".." for an open end'],
  [{ op: 't_after', args: [prop('updated'), { interval: ['2020-01-01', 5] }] }, 'args[1].interval[1]', 'An interval bound must be'],
];

describe('parseCql2Json: shape errors name the path', () => {
  it.each(SHAPE_ERRORS)('%j', (value, path, ...fragments) => {
    const e = expectFilterError(() => parseCql2Json(value), 'YITU_ERR_FILTER_INVALID', ...fragments);
    expect(e.errors?.[0]?.field).toBe(path);
    const where = path === '(top level)' ? 'At the top level of the filter: ' : `At ${path}: `;
    expect(e.message.startsWith(where)).toBe(true);
  });
});

describe('compileFilter (cql2-json)', () => {
  it('reports malformed JSON with its position', () => {
    const e = expectFilterError(() => compileFilter('{"op": "=", "args": [', 'cql2-json', ctx), 'YITU_ERR_FILTER_INVALID', 'The filter is not valid JSON');
    expect(e.message).toContain('{"op": "=", "args": [{"property": "name"}, "x"]}');
    expectFilterError(() => compileFilter("{'op': 1}", 'cql2-json', ctx), 'YITU_ERR_FILTER_INVALID', 'not valid JSON');
    expectFilterError(() => compileFilter('', 'cql2-json', ctx), 'YITU_ERR_FILTER_INVALID', 'not valid JSON');
  });

  it('rejects other filter languages', () => {
    const e = expectFilterError(() => compileFilter("name = 'x'", 'ecql', ctx), 'YITU_ERR_FILTER_LANG_UNSUPPORTED', '"ecql" is not supported', 'cql2-text', 'cql2-json');
    expect(e.toProblem().supported).toEqual(['cql2-text', 'cql2-json']);
    expectFilterError(() => compileFilter("name = 'x'", 'CQL2-TEXT', ctx), 'YITU_ERR_FILTER_LANG_UNSUPPORTED');
  });

  it('names the JSON path in compile errors', () => {
    const e = expectFilterError(
      () => compileFilter(JSON.stringify({ op: 'and', args: [true, { op: '=', args: [prop('pop'), 'many'] }] }), 'cql2-json', ctx),
      'YITU_ERR_FILTER_INVALID',
      'At args[1].args[1]: Property "pop" is an integer',
    );
    expect(e.errors).toEqual([{ field: 'args[1].args[1]', reason: expect.stringContaining('the string \'many\'') }]);
    expectFilterError(
      () => compileFilter(JSON.stringify({ op: '=', args: [prop('nope'), 1] }), 'cql2-json', ctx),
      'YITU_ERR_FILTER_PROPERTY_UNKNOWN',
      'At args[0]: Unknown property "nope"',
    );
  });
});
