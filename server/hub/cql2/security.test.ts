import { describe, expect, it } from 'vitest';
import type { Cql2Node } from './ast.ts';
import { MAX_DEPTH, MAX_FILTER_BYTES, MAX_IN_LIST, compileCql2, compileFilter, parseCql2Json, parseCql2Text } from './index.ts';
import { expectFilterError, testContext } from './test-context.ts';

const ctx = testContext({ idColumn: 'fid' });

/** SQL with its quoted (context-supplied) column names removed must hold no quote or semicolon. */
function expectOnlySafeSql(sql: string): void {
  const withoutColumns = sql.replace(/"[a-z_][a-z0-9_]*"/g, 'COL');
  expect(withoutColumns).toMatch(/^[A-Za-z0-9_$:(),. <>=\-]*$/);
}

const PAYLOADS = [
  "x'; DROP TABLE t; --",
  "' OR '1'='1",
  '"; DELETE FROM yitu.datasets; --',
  '$1::text); SELECT pg_sleep(10); --',
  '\\x27 OR 1=1',
  'Robert\'); DROP TABLE students;--',
  '/* comment */ name',
  '北京市 -- 注释',
  "E'\\047'",
];

describe('user text never reaches the SQL', () => {
  it('rejects a statement separator outside strings', () => {
    expectFilterError(() => compileFilter("name = 'x'; DROP TABLE t; --'", 'cql2-text', ctx), 'YITU_ERR_FILTER_INVALID', 'At offset 10', "Unexpected character ';'");
  });

  it.each(PAYLOADS)('string value %j is a parameter (text and JSON)', (payload) => {
    const escaped = payload.replace(/\\/g, '\\\\').replace(/'/g, "''");
    const fromText = compileFilter(`name = '${escaped}' OR name LIKE '${escaped}' OR name IN ('a', '${escaped}')`, 'cql2-text', ctx);
    const fromJson = compileFilter(
      JSON.stringify({
        op: 'or',
        args: [
          { op: '=', args: [{ property: 'name' }, payload] },
          { op: 'like', args: [{ property: 'name' }, payload] },
          { op: 'in', args: [{ property: 'name' }, ['a', payload]] },
        ],
      }),
      'cql2-json',
      ctx,
    );
    expect(fromText).toEqual({
      sql: '("name" = $1::text OR "name" LIKE $2::text OR "name" IN ($3::text, $4::text))',
      params: [payload, payload, 'a', payload],
    });
    expect(fromJson).toEqual(fromText);
    expectOnlySafeSql(fromText.sql);
  });

  it.each(PAYLOADS)('property name %j is looked up, never emitted', (payload) => {
    const quoted = `"${payload.replace(/"/g, '""')}"`;
    const e = expectFilterError(() => compileFilter(`${quoted} = 1`, 'cql2-text', ctx), 'YITU_ERR_FILTER_PROPERTY_UNKNOWN', 'Unknown property');
    expect(e.errors?.[0]?.offset).toBe(0);
    expectFilterError(
      () => compileFilter(JSON.stringify({ op: '=', args: [{ property: payload }, 1] }), 'cql2-json', ctx),
      'YITU_ERR_FILTER_PROPERTY_UNKNOWN',
      'At args[0]: Unknown property',
    );
    // A queryable may have any name: only its validated column reaches the SQL.
    const c = testContext();
    c.properties.set(payload, { column: 'safe_col', type: 'text' });
    expect(compileFilter(`${quoted} = 'v'`, 'cql2-text', c)).toEqual({ sql: '"safe_col" = $1::text', params: ['v'] });
    expect(compileFilter(JSON.stringify({ op: '=', args: [{ property: payload }, 'v'] }), 'cql2-json', c).sql).toBe('"safe_col" = $1::text');
  });

  it('rejects the NUL character, which PostgreSQL text cannot hold', () => {
    expectFilterError(() => compileFilter("name = 'a\u0000b'", 'cql2-text', ctx), 'YITU_ERR_FILTER_INVALID', 'At offset 7', 'NUL character');
    expectFilterError(() => compileFilter('{"op":"like","args":[{"property":"name"},"\\u0000"]}', 'cql2-json', ctx), 'YITU_ERR_FILTER_INVALID', 'At args[1]', 'NUL');
  });

  it('handles the doubled quote of "na""me" as part of a name', () => {
    expectFilterError(() => compileFilter('"na""me" = 1', 'cql2-text', ctx), 'YITU_ERR_FILTER_PROPERTY_UNKNOWN', 'Unknown property "na"me"');
    const c = testContext();
    c.properties.set('na"me', { column: 'na_me', type: 'integer' });
    expect(compileFilter('"na""me" = 1', 'cql2-text', c)).toEqual({ sql: '"na_me" = $1::int8', params: [1] });
  });

  it('does not let an operation name through', () => {
    expectFilterError(
      () => compileFilter(JSON.stringify({ op: '= 1 OR 1=1 --', args: [{ property: 'name' }, 'x'] }), 'cql2-json', ctx),
      'YITU_ERR_FILTER_INVALID',
      'Unknown operation "= 1 OR 1=1 --"',
    );
    expectFilterError(() => compileFilter("name = 'x' OR 1=1 --", 'cql2-text', ctx), 'YITU_ERR_FILTER_INVALID', "Unexpected '-'");
  });

  it('sends geometries as serialised parameters', () => {
    const out = compileFilter(
      JSON.stringify({ op: 's_intersects', args: [{ property: 'geometry' }, { type: 'Point', coordinates: [1, 2], bbox: [1, 2, 1, 2] }] }),
      'cql2-json',
      ctx,
    );
    expect(out).toEqual({ sql: 'ST_Intersects("geom", ST_GeomFromText($1::text, 4326))', params: ['POINT(1 2)'] });
    expectFilterError(() => compileFilter("S_INTERSECTS(geometry, POINT(1 2)'); DROP TABLE t; --')", 'cql2-text', ctx), 'YITU_ERR_FILTER_INVALID');
  });

  it('emits only safe SQL for a broad mix of filters', () => {
    const filters = [
      "name = 'a' AND (pop > 1 OR area <= 2.5) AND NOT open AND built >= DATE('2020-01-01')",
      "CASEI(name) IN (CASEI('a'), 'b') AND name NOT LIKE '%x%' AND pop NOT BETWEEN -1 AND 1e6",
      "S_INTERSECTS(geometry, BBOX(170, -10, -170, 10)) OR S_WITHIN(geom, POLYGON((0 0, 1 0, 1 1, 0 0)))",
      "T_DISJOINT(INTERVAL(touchdown, liftOff), INTERVAL('..', '2020-01-01T00:00:00Z')) AND id IN (1, 'x')",
      'attrs IS NULL AND geometry IS NOT NULL AND TRUE',
    ];
    for (const f of filters) expectOnlySafeSql(compileFilter(f, 'cql2-text', ctx).sql);
  });
});

describe('limits (DoS protection)', () => {
  it(`rejects filters over ${MAX_FILTER_BYTES} bytes`, () => {
    const long = `name = '${'x'.repeat(MAX_FILTER_BYTES)}'`;
    expectFilterError(() => parseCql2Text(long), 'YITU_ERR_FILTER_INVALID', `at most ${MAX_FILTER_BYTES} bytes`);
    expectFilterError(() => compileFilter(JSON.stringify({ op: '=', args: [{ property: 'name' }, 'x'.repeat(MAX_FILTER_BYTES)] }), 'cql2-json', ctx), 'YITU_ERR_FILTER_INVALID', 'bytes long');
    // Counted in UTF-8 bytes: 40,000 CJK characters are 120,000 bytes.
    expectFilterError(() => parseCql2Text(`name = '${'区'.repeat(40_000)}'`), 'YITU_ERR_FILTER_INVALID', 'The filter is 120009 bytes long');
    expect(() => parseCql2Text(`name = '${'x'.repeat(MAX_FILTER_BYTES - 20)}'`)).not.toThrow();
  });

  it(`accepts ${MAX_DEPTH} levels of nesting and rejects more`, () => {
    expect(() => parseCql2Text(`${'NOT '.repeat(MAX_DEPTH)}open`)).not.toThrow();
    expectFilterError(() => parseCql2Text(`${'NOT '.repeat(MAX_DEPTH + 1)}open`), 'YITU_ERR_FILTER_INVALID', `nested more than ${MAX_DEPTH} levels`);
    expect(() => parseCql2Text(`${'('.repeat(MAX_DEPTH)}open${')'.repeat(MAX_DEPTH)}`)).not.toThrow();
    const e = expectFilterError(() => parseCql2Text(`${'('.repeat(MAX_DEPTH + 1)}open${')'.repeat(MAX_DEPTH + 1)}`), 'YITU_ERR_FILTER_INVALID', 'nested more than');
    expect(e.errors?.[0]?.offset).toBe(MAX_DEPTH);
    expectFilterError(() => parseCql2Text(`${'CASEI('.repeat(MAX_DEPTH + 1)}name${')'.repeat(MAX_DEPTH + 1)} = 'a'`), 'YITU_ERR_FILTER_INVALID', 'nested more than');
    const gc = `${'GEOMETRYCOLLECTION('.repeat(MAX_DEPTH + 1)}POINT(1 2)${')'.repeat(MAX_DEPTH + 1)}`;
    expectFilterError(() => parseCql2Text(`S_INTERSECTS(geometry, ${gc})`), 'YITU_ERR_FILTER_INVALID', 'nested more than');
  });

  it('limits nesting in JSON, and in hand-built trees without overflowing the stack', () => {
    const nest = (levels: number): unknown => {
      let v: unknown = true;
      for (let i = 0; i < levels; i++) v = { op: 'not', args: [v] };
      return v;
    };
    expect(() => parseCql2Json(nest(MAX_DEPTH))).not.toThrow();
    expectFilterError(() => parseCql2Json(nest(MAX_DEPTH + 1)), 'YITU_ERR_FILTER_INVALID', 'nested more than');
    let g: unknown = { type: 'Point', coordinates: [0, 0] };
    for (let i = 0; i < MAX_DEPTH + 1; i++) g = { type: 'GeometryCollection', geometries: [g] };
    expectFilterError(() => parseCql2Json({ op: 's_intersects', args: [{ property: 'geometry' }, g] }), 'YITU_ERR_FILTER_INVALID', 'nested more than');

    let node: Cql2Node = { kind: 'boolean', value: true };
    for (let i = 0; i < 100_000; i++) node = { kind: 'not', arg: node };
    expectFilterError(() => compileCql2(node, ctx), 'YITU_ERR_FILTER_INVALID', 'nested more than');
  });

  it('compiles long flat AND chains', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `pop <> ${i}`).join(' AND ');
    const out = compileFilter(text, 'cql2-text', ctx);
    expect(out.params).toHaveLength(5000);
    expect(out.sql.endsWith('"pop" <> $5000::int8)')).toBe(true);
  });

  it(`accepts ${MAX_IN_LIST} IN values and rejects more`, () => {
    const list = (k: number) => Array.from({ length: k }, (_, i) => i);
    expect(compileFilter(`pop IN (${list(MAX_IN_LIST).join(',')})`, 'cql2-text', ctx).params).toHaveLength(MAX_IN_LIST);
    expectFilterError(() => parseCql2Text(`pop IN (${list(MAX_IN_LIST + 1).join(',')})`), 'YITU_ERR_FILTER_INVALID', `at most ${MAX_IN_LIST}`);
    expectFilterError(
      () => parseCql2Json({ op: 'in', args: [{ property: 'pop' }, list(MAX_IN_LIST + 1)] }),
      'YITU_ERR_FILTER_INVALID',
      `The IN list has ${MAX_IN_LIST + 1} values`,
    );
    const handBuilt: Cql2Node = { kind: 'in', value: { kind: 'property', name: 'pop' }, list: list(MAX_IN_LIST + 1).map((value) => ({ kind: 'number', value })) };
    expectFilterError(() => compileCql2(handBuilt, ctx), 'YITU_ERR_FILTER_INVALID', `at most ${MAX_IN_LIST}`);
  });

  it('limits the number of JSON values of a directly passed object', () => {
    const coordinates = Array.from({ length: 200_001 }, (_, i) => [i % 180, 0]);
    expectFilterError(
      () => parseCql2Json({ op: 's_intersects', args: [{ property: 'geometry' }, { type: 'LineString', coordinates }] }),
      'YITU_ERR_FILTER_INVALID',
      'more than 200000 JSON values',
    );
  });
});
