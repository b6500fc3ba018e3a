import { describe, expect, it } from 'vitest';
import { type DatetimeFilter, datetimeSql, parseDatetime } from './datetime.ts';
import { ifMatch } from './feature-input.ts';
import { Params, sqlTemplate } from './sql.ts';

const sql = (f: DatetimeFilter, type: 'date' | 'timestamp') => {
  const p = new Params();
  return { sql: datetimeSql(f, '"t"', type, p.add), params: p.values };
};

describe('datetime', () => {
  it('parses instants, intervals and open intervals', () => {
    expect(parseDatetime('2024-05-01')).toEqual({ instant: true, start: { kind: 'date', value: '2024-05-01' }, end: { kind: 'date', value: '2024-05-01' } });
    expect(parseDatetime('2024-05-01T16:00:00+08:00').start).toEqual({ kind: 'timestamp', value: '2024-05-01T08:00:00.000Z' });
    expect(parseDatetime('../2024-05-01')).toMatchObject({ instant: false, start: null, end: { kind: 'date' } });
    expect(parseDatetime('2024-05-01/')).toMatchObject({ start: { kind: 'date' }, end: null });
    for (const bad of ['2024-5-1', '2024-05-01T10:00', 'now', '2024-02-30', '2024-05-02/2024-05-01', '1/2/3']) {
      expect(() => parseDatetime(bad), bad).toThrow(/datetime/);
    }
  });

  it('compiles dates as whole UTC days on timestamp columns', () => {
    expect(sql(parseDatetime('2024-05-01'), 'timestamp')).toEqual({
      sql: '"t" >= $1::timestamptz AND "t" < $2::timestamptz',
      params: ['2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z'],
    });
    expect(sql(parseDatetime('2024-05-01T08:00:00Z'), 'timestamp')).toEqual({ sql: '"t" = $1::timestamptz', params: ['2024-05-01T08:00:00.000Z'] });
    expect(sql(parseDatetime('2024-05-01T23:30:00-02:00/..'), 'date')).toEqual({ sql: '"t" >= $1::date', params: ['2024-05-02'] });
    expect(sql(parseDatetime('../..'), 'date').sql).toBe('"t" IS NOT NULL');
  });
});

describe('If-Match', () => {
  it('matches strong tags, lists and *, never weak tags', () => {
    expect(ifMatch(undefined, '"1-2"')).toBe(true);
    expect(ifMatch('"1-2"', '"1-2"')).toBe(true);
    expect(ifMatch('"1-1", "1-2"', '"1-2"')).toBe(true);
    expect(ifMatch('*', '"1-2"')).toBe(true);
    expect(ifMatch('W/"1-2"', '"1-2"')).toBe(false);
    expect(ifMatch('"1-3"', '"1-2"')).toBe(false);
  });
});

describe('SQL templates', () => {
  it('fill every slot and refuse missing ones', () => {
    const t = sqlTemplate('replace-feature');
    expect(() => t({})).toThrow(/no value/);
    const s = t({ table: 'data."x"', columns: '', values: '', base: 'o', geometry: 'o.geom' });
    expect(s).not.toContain('{{');
    expect(s).not.toMatch(/^--/m);
  });
});
