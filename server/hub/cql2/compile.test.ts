import { describe, expect, it } from 'vitest';
import { compileCql2, compileFilter, parseCql2Text } from './index.ts';
import { expectFilterError, testContext } from './test-context.ts';

const ctx = testContext({ idColumn: 'fid' });

/** [filter, expected SQL, expected params] */
const TEXT_CASES: [string, string, unknown[]][] = [
  // Basic CQL2: comparisons and literals
  ["name = 'Toronto'", '"name" = $1::text', ['Toronto']],
  ["name <> 'x'", '"name" <> $1::text', ['x']],
  ['pop > 1000', '"pop" > $1::int8', [1000]],
  ['pop >= -5', '"pop" >= $1::int8', [-5]],
  ['pop < 2.5', '"pop" < $1::float8', [2.5]],
  ['pop <= 1e3', '"pop" <= $1::int8', [1000]],
  ["pop = '42'", '"pop" = $1::int8', [42]],
  ['area > 0.5', '"area" > $1::float8', [0.5]],
  ['area = 3', '"area" = $1::float8', [3]],
  ['area < -.25E-2', '"area" < $1::float8', [-0.0025]],
  ['open = TRUE', '"is_open" = $1::boolean', [true]],
  ['open <> false', '"is_open" <> $1::boolean', [false]],
  ["built >= DATE('1970-01-01')", '"built" >= $1::date', ['1970-01-01']],
  ["built < '2024-02-29'", '"built" < $1::date', ['2024-02-29']],
  ["updated > TIMESTAMP('2024-01-31T08:30:00Z')", '"updated_at" > $1::timestamptz', ['2024-01-31T08:30:00Z']],
  ["updated > TIMESTAMP('2024-01-31T08:30:00.123+08:00')", '"updated_at" > $1::timestamptz', ['2024-01-31T08:30:00.123+08:00']],
  ["updated >= DATE('2024-01-31')", '"updated_at" >= $1::date', ['2024-01-31']],
  ["name = 'O''Brien'", '"name" = $1::text', ["O'Brien"]],
  ["name = 'it\\'s'", '"name" = $1::text', ["it's"]],
  ["name = ''", '"name" = $1::text', ['']],
  ["1000 < pop", '$1::int8 < "pop"', [1000]],
  ['pop = area', '"pop" = "area"', []],
  ['1 = 1', '$1::int8 = $2::int8', [1, 1]],
  ['"名称" = \'北京市\'', '"f_mingcheng" = $1::text', ['北京市']],
  ["名称 = '北京市'", '"f_mingcheng" = $1::text', ['北京市']],
  ['"eo:cloud_cover" <= 0.2', '"eo_cloud_cover" <= $1::float8', [0.2]],
  ['eo:cloud_cover <= 0.2', '"eo_cloud_cover" <= $1::float8', [0.2]],
  // Boolean structure and precedence (NOT > AND > OR)
  ["name = 'a' AND pop > 1", '("name" = $1::text AND "pop" > $2::int8)', ['a', 1]],
  ["name = 'a' OR pop > 1 AND area < 2", '("name" = $1::text OR ("pop" > $2::int8 AND "area" < $3::float8))', ['a', 1, 2]],
  ["(name = 'a' OR pop > 1) AND area < 2", '(("name" = $1::text OR "pop" > $2::int8) AND "area" < $3::float8)', ['a', 1, 2]],
  ["NOT name = 'a' AND pop > 1", '(NOT ("name" = $1::text) AND "pop" > $2::int8)', ['a', 1]],
  ["NOT (name = 'a' AND pop > 1)", 'NOT ("name" = $1::text AND "pop" > $2::int8)', ['a', 1]],
  ["not not name = 'a'", 'NOT (NOT ("name" = $1::text))', ['a']],
  ["name = 'a' and pop = 1 or pop = 2 and not open", '(("name" = $1::text AND "pop" = $2::int8) OR ("pop" = $3::int8 AND NOT ("is_open")))', ['a', 1, 2]],
  ['open', '"is_open"', []],
  ['open AND TRUE', '("is_open" AND $1::boolean)', [true]],
  ['FALSE', '$1::boolean', [false]],
  ["((((name = 'a'))))", '"name" = $1::text', ['a']],
  // Advanced comparison operators
  ["name LIKE 'Smith%'", '"name" LIKE $1::text', ['Smith%']],
  ["name like 'S_ith\\%'", '"name" LIKE $1::text', ['S_ith\\%']],
  ["name NOT LIKE 'foo%'", '"name" NOT LIKE $1::text', ['foo%']],
  ["名称 LIKE '%区'", '"f_mingcheng" LIKE $1::text', ['%区']],
  ['pop BETWEEN 100 AND 150', '"pop" BETWEEN $1::int8 AND $2::int8', [100, 150]],
  ['area BETWEEN 100.0 AND 150.5', '"area" BETWEEN $1::float8 AND $2::float8', [100, 150.5]],
  ['pop NOT BETWEEN 1 AND 2', '"pop" NOT BETWEEN $1::int8 AND $2::int8', [1, 2]],
  ["built BETWEEN DATE('2020-01-01') AND DATE('2020-12-31')", '"built" BETWEEN $1::date AND $2::date', ['2020-01-01', '2020-12-31']],
  ["name IN ('Toronto', 'Frankfurt', 'Tokyo', 'New York')", '"name" IN ($1::text, $2::text, $3::text, $4::text)', ['Toronto', 'Frankfurt', 'Tokyo', 'New York']],
  ['pop NOT IN (1, 2, 3, 4)', '"pop" NOT IN ($1::int8, $2::int8, $3::int8, $4::int8)', [1, 2, 3, 4]],
  ['pop IN (1, 2.5)', '"pop" IN ($1::int8, $2::float8)', [1, 2.5]],
  ['name IS NULL', '"name" IS NULL', []],
  ['name IS NOT NULL', '"name" IS NOT NULL', []],
  ['attrs IS NOT NULL', '"attrs" IS NOT NULL', []],
  ['geometry IS NULL', '"geom" IS NULL', []],
  ['NOT (name IS NULL)', '"name" IS NOT NULL', []],
  // Case-insensitive comparison
  ["CASEI(name) = CASEI('Toronto')", 'lower("name") = lower($1::text)', ['Toronto']],
  ["CASEI(road_class) IN (CASEI('Οδος'), CASEI('Straße'))", 'lower("road_class") IN (lower($1::text), lower($2::text))', ['Οδος', 'Straße']],
  ["casei(name) LIKE casei('sm%')", 'lower("name") LIKE lower($1::text)', ['sm%']],
  // The feature id (no idType: compared as text)
  ['id = 5', '"fid"::text = $1::text', ['5']],
  ["id IN ('a', 7)", '"fid"::text IN ($1::text, $2::text)', ['a', '7']],
  // Spatial operators
  ['S_INTERSECTS(geometry, POINT(36.319836 32.288087))', 'ST_Intersects("geom", ST_GeomFromText($1::text, 4326))', ['POINT(36.319836 32.288087)']],
  ['s_intersects(geom, point(1 2))', 'ST_Intersects("geom", ST_GeomFromText($1::text, 4326))', ['POINT(1 2)']],
  ['S_WITHIN(geometry, BBOX(-118, 33.8, -117.9, 34))', 'ST_Within("geom", ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326))', [-118, 33.8, -117.9, 34]],
  ['S_INTERSECTS(geometry, BBOX(-180, -90, 0, 180, 90, 100))', 'ST_Intersects("geom", ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326))', [-180, -90, 180, 90]],
  ['S_CONTAINS(geometry, LINESTRING(0 0, 1 1, 2 0))', 'ST_Contains("geom", ST_GeomFromText($1::text, 4326))', ['LINESTRING(0 0,1 1,2 0)']],
  ['S_DISJOINT(geometry, POLYGON((0 0, 1 0, 1 1, 0 1, 0 0), (0.2 0.2, 0.4 0.2, 0.4 0.4, 0.2 0.2)))', 'ST_Disjoint("geom", ST_GeomFromText($1::text, 4326))', ['POLYGON((0 0,1 0,1 1,0 1,0 0),(0.2 0.2,0.4 0.2,0.4 0.4,0.2 0.2))']],
  ['S_EQUALS(geometry, MULTIPOINT((1 2), (3 4)))', 'ST_Equals("geom", ST_GeomFromText($1::text, 4326))', ['MULTIPOINT((1 2),(3 4))']],
  ['S_TOUCHES(geometry, MULTIPOINT(1 2, 3 4))', 'ST_Touches("geom", ST_GeomFromText($1::text, 4326))', ['MULTIPOINT((1 2),(3 4))']],
  ['S_CROSSES(geometry, MULTILINESTRING((0 0, 1 1), (2 2, 3 3)))', 'ST_Crosses("geom", ST_GeomFromText($1::text, 4326))', ['MULTILINESTRING((0 0,1 1),(2 2,3 3))']],
  ['S_OVERLAPS(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2))))', 'ST_Overlaps("geom", ST_GeomFromText($1::text, 4326))', ['MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((2 2,3 2,3 3,2 2)))']],
  ['S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1)))', 'ST_Intersects("geom", ST_GeomFromText($1::text, 4326))', ['GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(0 0,1 1))']],
  ['S_INTERSECTS(geometry, POINT Z (1 2 3))', 'ST_Intersects("geom", ST_GeomFromText($1::text, 4326))', ['POINT Z (1 2 3)']],
  ['S_INTERSECTS(geometry, POLYGON Z ((0 0 5, 1 0 5, 1 1 5, 0 0 5)))', 'ST_Intersects("geom", ST_GeomFromText($1::text, 4326))', ['POLYGON Z ((0 0 5,1 0 5,1 1 5,0 0 5))']],
  ['S_INTERSECTS(geometry, geom)', 'ST_Intersects("geom", "geom")', []],
  ['S_INTERSECTS(POINT(1 2), BBOX(0, 0, 3, 3))', 'ST_Intersects(ST_GeomFromText($1::text, 4326), ST_MakeEnvelope($2::float8, $3::float8, $4::float8, $5::float8, 4326))', ['POINT(1 2)', 0, 0, 3, 3]],
  [
    'S_INTERSECTS(geometry, BBOX(170, -10, -170, 10))',
    'ST_Intersects("geom", ST_Collect(ST_MakeEnvelope($1::float8, $2::float8, 180, $4::float8, 4326), ST_MakeEnvelope(-180, $2::float8, $3::float8, $4::float8, 4326)))',
    [170, -10, -170, 10],
  ],
  // Temporal operators (an instant property is an interval whose begin = end)
  ["T_BEFORE(built, DATE('2015-01-01'))", '"built" < $1::date', ['2015-01-01']],
  ["T_AFTER(updated, TIMESTAMP('2024-01-01T00:00:00Z'))", '"updated_at" > $1::timestamptz', ['2024-01-01T00:00:00Z']],
  ["T_EQUALS(built, DATE('2020-05-01'))", '"built" = $1::date', ['2020-05-01']],
  ["T_INTERSECTS(built, INTERVAL('2020-01-01', '2020-12-31'))", '("built" <= $2::date AND "built" >= $1::date)', ['2020-01-01', '2020-12-31']],
  ["T_INTERSECTS(updated, INTERVAL('2020-01-01T00:00:00Z', '..'))", '("updated_at" <= $2::timestamptz AND "updated_at" >= $1::timestamptz)', ['2020-01-01T00:00:00Z', 'infinity']],
  ["T_DISJOINT(built, INTERVAL('..', DATE('2020-12-31')))", '("built" > $2::date OR "built" < $1::date)', ['-infinity', '2020-12-31']],
  [
    "T_DURING(INTERVAL(touchdown, liftOff), INTERVAL('1969-07-16T13:32:00Z', '1969-07-24T16:50:35Z'))",
    '("touchdown" > $1::timestamptz AND "lift_off" < $2::timestamptz)',
    ['1969-07-16T13:32:00Z', '1969-07-24T16:50:35Z'],
  ],
  ["T_MEETS(INTERVAL(touchdown, liftOff), TIMESTAMP('2000-01-01T00:00:00Z'))", '"lift_off" = $1::timestamptz', ['2000-01-01T00:00:00Z']],
  [
    "T_OVERLAPS(INTERVAL(touchdown, liftOff), INTERVAL('2000-01-01T00:00:00Z', '2000-02-01T00:00:00Z'))",
    '("touchdown" < $1::timestamptz AND "lift_off" > $1::timestamptz AND "lift_off" < $2::timestamptz)',
    ['2000-01-01T00:00:00Z', '2000-02-01T00:00:00Z'],
  ],
  ["T_STARTS(built, INTERVAL(built, '..'))", '("built" = "built" AND "built" < $1::date)', ['infinity']],
  // Spec example 8 (mixed)
  [
    "beamMode='ScanSAR Narrow' AND S_INTERSECTS(geometry,POLYGON((-77.117938 38.936860, -77.040604 39.995648, -76.910536 38.892912, -77.117938 38.936860)))".replace('beamMode', 'name'),
    '("name" = $1::text AND ST_Intersects("geom", ST_GeomFromText($2::text, 4326)))',
    ['ScanSAR Narrow', 'POLYGON((-77.117938 38.93686,-77.040604 39.995648,-76.910536 38.892912,-77.117938 38.93686))'],
  ],
];

describe('compileFilter (cql2-text) → SQL', () => {
  it.each(TEXT_CASES)('%s', (filter, sql, params) => {
    expect(compileFilter(filter, 'cql2-text', ctx)).toEqual({ sql, params });
  });
});

describe('compile context', () => {
  it('continues $n numbering after paramOffset', () => {
    const out = compileFilter("name = 'a' AND pop IN (1, 2)", 'cql2-text', testContext({ paramOffset: 3 }));
    expect(out).toEqual({ sql: '("name" = $4::text AND "pop" IN ($5::int8, $6::int8))', params: ['a', 1, 2] });
  });

  it('transforms literals from filterCrs to EPSG:4326', () => {
    const c = testContext({ filterCrs: 3857 });
    expect(compileFilter('S_INTERSECTS(geometry, POINT(12958000 4853000))', 'cql2-text', c)).toEqual({
      sql: 'ST_Intersects("geom", ST_Transform(ST_GeomFromText($1::text, 3857), 4326))',
      params: ['POINT(12958000 4853000)'],
    });
    expect(compileFilter('S_WITHIN(geometry, BBOX(0, 0, 1000, 1000))', 'cql2-text', c)).toEqual({
      sql: 'ST_Within("geom", ST_Transform(ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 3857), 4326))',
      params: [0, 0, 1000, 1000],
    });
  });

  it('uses custom geometry names', () => {
    const c = testContext({ geometryNames: ['footprint'] });
    expect(compileFilter('S_INTERSECTS(footprint, POINT(1 2))', 'cql2-text', c).sql).toBe(
      'ST_Intersects("geom", ST_GeomFromText($1::text, 4326))',
    );
    expectFilterError(() => compileFilter('S_INTERSECTS(geometry, POINT(1 2))', 'cql2-text', c), 'YITU_ERR_FILTER_PROPERTY_UNKNOWN', '"footprint"');
  });

  it('compares the id natively when idType is given', () => {
    const c = testContext({ idColumn: 'fid', idType: 'integer' });
    expect(compileFilter('id IN (1, 2)', 'cql2-text', c)).toEqual({ sql: '"fid" IN ($1::int8, $2::int8)', params: [1, 2] });
    expectFilterError(() => compileFilter("id = 'abc'", 'cql2-text', c), 'YITU_ERR_FILTER_INVALID', 'Property "id" is an integer');
  });

  it('prefers a queryable named id over idColumn', () => {
    const c = testContext({ idColumn: 'fid' });
    c.properties.set('id', { column: 'source_id', type: 'text' });
    expect(compileFilter("id = 'x'", 'cql2-text', c).sql).toBe('"source_id" = $1::text');
  });

  it('rejects unsafe column names from the context as an internal error', () => {
    const c = testContext();
    c.properties.set('bad', { column: 'x"; DROP TABLE t; --', type: 'text' });
    expectFilterError(() => compileFilter("bad = 'a'", 'cql2-text', c), 'YITU_ERR_INTERNAL', 'not a safe SQL identifier');
    expectFilterError(() => compileFilter('S_INTERSECTS(geometry, POINT(1 2))', 'cql2-text', testContext({ geometryColumn: 'Geom' })), 'YITU_ERR_INTERNAL');
    expectFilterError(() => compileFilter("name = 'a'", 'cql2-text', testContext({ paramOffset: -1 })), 'YITU_ERR_INTERNAL');
    expectFilterError(() => compileFilter("name = 'a'", 'cql2-text', testContext({ filterCrs: 4326.5 })), 'YITU_ERR_INTERNAL');
  });

  it('compiles hand-built trees and reports their problems', () => {
    expect(compileCql2({ kind: 'and', args: [{ kind: 'boolean', value: true }] }, ctx)).toEqual({ sql: '$1::boolean', params: [true] });
    expectFilterError(() => compileCql2({ kind: 'or', args: [] }, ctx), 'YITU_ERR_FILTER_INVALID', 'OR needs at least one condition');
    expectFilterError(
      () => compileCql2({ kind: 'in', value: { kind: 'property', name: 'pop' }, list: [] }, ctx),
      'YITU_ERR_FILTER_INVALID',
      'IN list is empty',
    );
    expectFilterError(
      () => compileCql2({ kind: 'comparison', op: '=', args: [{ kind: 'property', name: 'pop' }, { kind: 'number', value: Number.NaN }] }, ctx),
      'YITU_ERR_FILTER_INVALID',
      'finite',
    );
  });

  it('returns fresh params on every call (no shared state)', () => {
    const node = parseCql2Text("name = 'a'");
    expect(compileCql2(node, ctx)).toEqual(compileCql2(node, ctx));
    expect(compileCql2(node, testContext({ paramOffset: 1 })).sql).toBe('"name" = $2::text');
  });
});

/** [filter, code, message fragments…] */
const TYPE_ERRORS: [string, string, ...string[]][] = [
  ["pop = 'abc'", 'YITU_ERR_FILTER_INVALID', 'At offset 6', 'Property "pop" is an integer', "the string 'abc'", 'use a number'],
  ['name = 5', 'YITU_ERR_FILTER_INVALID', 'Property "name" is text', 'the number 5', "single quotes, e.g. '42'"],
  ["open = 'yes'", 'YITU_ERR_FILTER_INVALID', 'Property "open" is a boolean', 'TRUE or FALSE'],
  ["built = 'yesterday'", 'YITU_ERR_FILTER_INVALID', 'Property "built" is a date', "DATE('2024-01-31')"],
  ["built = '2023-02-29'", 'YITU_ERR_FILTER_INVALID', 'day 29 does not exist in month 2 of 2023'],
  ['updated > 5', 'YITU_ERR_FILTER_INVALID', 'Property "updated" is a timestamp', 'TIMESTAMP('],
  ["attrs = 'x'", 'YITU_ERR_FILTER_INVALID', 'Property "attrs" holds JSON', 'IS NULL'],
  ["name = pop", 'YITU_ERR_FILTER_INVALID', 'property "name" (text) and property "pop" (an integer)', 'types differ'],
  ["'a' = 1", 'YITU_ERR_FILTER_INVALID', "the string 'a' and the number 1", 'types differ'],
  ["pop LIKE '1%'", 'YITU_ERR_FILTER_INVALID', 'LIKE works on text', 'property "pop" (an integer) is not text'],
  ['name LIKE pop', 'YITU_ERR_FILTER_INVALID', 'LIKE pattern must be a string'],
  ["name LIKE 'a\\\\'", 'YITU_ERR_FILTER_INVALID', 'At offset 10', 'ends with the escape character'],
  ["name LIKE '\\\\\\\\\\\\'", 'YITU_ERR_FILTER_INVALID', 'ends with the escape character'],
  ["name BETWEEN 'a' AND 'z'", 'YITU_ERR_FILTER_INVALID', 'BETWEEN works on numbers, dates and timestamps', 'property "name" is text'],
  ["pop BETWEEN 'a' AND 10", 'YITU_ERR_FILTER_INVALID', 'Property "pop" is an integer', "the string 'a'"],
  ["pop IN (1, 'two')", 'YITU_ERR_FILTER_INVALID', "the string 'two'"],
  ['CASEI(pop) = 1', 'YITU_ERR_FILTER_INVALID', 'CASEI applies to text', 'property "pop" (an integer)'],
  ['pop', 'YITU_ERR_FILTER_INVALID', 'Property "pop" is an integer, not a boolean', 'pop IS NOT NULL'],
  ["geometry = 'POINT(1 2)'", 'YITU_ERR_FILTER_INVALID', 'is the geometry', 'S_INTERSECTS'],
  ['S_INTERSECTS(name, POINT(1 2))', 'YITU_ERR_FILTER_INVALID', 'S_INTERSECTS compares geometries', 'property "name" is text', 'the geometry property is "geometry"'],
  ['S_INTERSECTS(geometry, POINT(200 10))', 'YITU_ERR_FILTER_INVALID', 'outside longitude -180..180', 'longitude first'],
  ['S_INTERSECTS(geometry, BBOX(0, 0, 200, 10))', 'YITU_ERR_FILTER_INVALID', 'outside longitude -180..180'],
  ["T_AFTER(name, DATE('2020-01-01'))", 'YITU_ERR_FILTER_INVALID', 'T_AFTER compares dates and timestamps', 'property "name" is text'],
  ['T_AFTER(geometry, updated)', 'YITU_ERR_FILTER_INVALID', 'property "geometry" is the geometry'],
  ["'abc' IS NULL", 'YITU_ERR_FILTER_INVALID', 'IS NULL tests a property'],
  ["POINT(1 2) = name", 'YITU_ERR_FILTER_INVALID', 'A Point geometry cannot be used with the comparison =', 'S_INTERSECTS'],
  ["INTERVAL('2020-01-01', '..') = built", 'YITU_ERR_FILTER_INVALID', 'An interval cannot be used', 'T_INTERSECTS'],
  ["nmae = 'x'", 'YITU_ERR_FILTER_PROPERTY_UNKNOWN', 'Unknown property "nmae"', 'Queryable properties: "name", "pop", "area"', '"geometry", "geom", "id"'],
  ["NAME = 'x'", 'YITU_ERR_FILTER_PROPERTY_UNKNOWN', 'case-sensitive: did you mean "name"?'],
  ['S_INTERSECTS(shape, POINT(1 2))', 'YITU_ERR_FILTER_PROPERTY_UNKNOWN', 'Unknown property "shape"'],
];

describe('type and property errors', () => {
  it.each(TYPE_ERRORS)('%s → %s', (filter, code, ...fragments) => {
    expectFilterError(() => compileFilter(filter, 'cql2-text', ctx), code as never, ...fragments);
  });

  it('lists the queryables in the problem document of an unknown property', () => {
    const e = expectFilterError(() => compileFilter("x = 'a'", 'cql2-text', ctx), 'YITU_ERR_FILTER_PROPERTY_UNKNOWN');
    expect(e.toProblem().queryables).toContain('name');
    expect(e.errors).toEqual([{ offset: 0, reason: expect.stringContaining('Unknown property "x"') }]);
    expect(e.status).toBe(400);
  });
});
