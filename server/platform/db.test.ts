import { afterAll, beforeAll, expect, it } from 'vitest';
import { copyText } from './db.ts';
import { describeEachBackend, openTestDb, type TestDb } from '../test-support/databases.ts';

describeEachBackend('Db', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
  });
  afterAll(async () => t?.dispose());

  it('runs migrated PostGIS SQL and parses values the same way on both backends', async () => {
    const r = await t.db.query<{ n: number; d: string; area: number }>(
      `SELECT 9007199254740::int8 AS n, DATE '2024-02-29' AS d,
              ST_Area(ST_Transform(ST_MakeEnvelope(120, 30, 120.01, 30.01, 4326), 4549)) AS area`,
    );
    expect(r.rows[0].n).toBe(9007199254740);
    expect(r.rows[0].d).toBe('2024-02-29');
    expect(r.rows[0].area).toBeGreaterThan(1_000_000);
    const m = await t.db.query<{ name: string }>('SELECT name FROM yitu.migrations ORDER BY name');
    expect(m.rows[0].name).toBe('001-foundation.sql');
  });

  it('rolls a failed transaction back and commits a good one', async () => {
    await t.db.exec('CREATE TABLE t_tx (a int PRIMARY KEY)');
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query('INSERT INTO t_tx VALUES (1)');
        await tx.query('INSERT INTO t_tx VALUES (1)');
      }),
    ).rejects.toThrow();
    expect((await t.db.query('SELECT * FROM t_tx')).rows).toHaveLength(0);
    await t.db.transaction(async (tx) => {
      await tx.query('INSERT INTO t_tx VALUES (2)');
    });
    expect((await t.db.query('SELECT * FROM t_tx')).rows).toHaveLength(1);
  });

  it('loads rows with COPY, escaping tabs, newlines and backslashes', async () => {
    await t.db.exec('CREATE TABLE t_copy (a int, b text, c jsonb)');
    const rows = [
      [1, 'tab\there', { k: '换行\n' }],
      [2, 'back\\slash', null],
      [3, null, [1, 2]],
    ];
    await t.db.copyIn('t_copy', ['a', 'b', 'c'], copyText(rows));
    const r = await t.db.query<{ a: number; b: string | null; c: unknown }>('SELECT * FROM t_copy ORDER BY a');
    expect(r.rows).toEqual([
      { a: 1, b: 'tab\there', c: { k: '换行\n' } },
      { a: 2, b: 'back\\slash', c: null },
      { a: 3, b: null, c: [1, 2] },
    ]);
  });
});
