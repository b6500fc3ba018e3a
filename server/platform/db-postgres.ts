import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db, Queryable, QueryResult } from './db.ts';
import { YituError } from './errors.ts';

const typeParsers: Record<number, (v: string) => unknown> = {
  20: (v) => Number(v), // int8
  1700: (v) => Number(v), // numeric
  1082: (v) => v, // date stays 'YYYY-MM-DD', never shifted by the time zone
};

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    return typeParsers[oid] ?? pg.types.getTypeParser(oid, format);
  },
};

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const r = await client.query({ text: sql, values: params, types: pgTypes } as pg.QueryConfig);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
    async copyIn(table: string, columns: string[], text: string): Promise<void> {
      const cols = columns.map((c) => `"${c}"`).join(', ');
      const run = async (c: pg.PoolClient) => {
        const stream = c.query(copyFrom(`COPY ${table} (${cols}) FROM STDIN`));
        await pipeline(Readable.from([text]), stream);
      };
      if (client instanceof pg.Pool) {
        const c = await client.connect();
        try {
          await run(c);
        } finally {
          c.release();
        }
      } else {
        await run(client);
      }
    },
  };
}

/** Detects whether this server's PostGIS can build vector tiles (built with protobuf). */
async function hasMvt(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query(`SELECT ST_AsMVT(q, 'l') FROM (SELECT 1 AS a, ST_AsMVTGeom(ST_MakePoint(0,0), ST_MakeEnvelope(0,0,1,1)) AS g) q`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Settings of every connection. UTC so that dates read the same on both backends. No JIT
 * compilation and no parallel workers: this pool serves interactive requests (pages, counts, tiles)
 * whose PostGIS-heavy plans cost far above `jit_above_cost`, and compiling them or starting workers
 * (10–30 ms each, measured) costs more than running them. Set per connection rather than per
 * transaction because the extra BEGIN/SET/COMMIT round trips cost tiles a fifth of their throughput on
 * two cores (bench/tiles.ts: 0.72 → 0.90 of the direct SQL). A long analysis that wants parallel
 * workers opts in with `SET LOCAL` in its own transaction.
 */
const CONNECTION_OPTIONS = '-c timezone=UTC -c jit=off -c max_parallel_workers_per_gather=0';

/** Opens a pooled connection to a PostgreSQL + PostGIS server. */
export async function openPostgres(url: string, poolSize = 10): Promise<Db & { pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: CONNECTION_OPTIONS });
  pool.on('error', () => {
    /* an idle client's error: the pool replaces it; queries report their own errors */
  });
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => {});
    const redacted = url.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1:***@');
    throw new YituError('YITU_ERR_DB_UNAVAILABLE', `Cannot connect to PostgreSQL at ${redacted}: ${(e as Error).message}. Check DATABASE_URL and that the server is running.`, { cause: e });
  }
  await pool.query('CREATE EXTENSION IF NOT EXISTS postgis');
  const mvt = await hasMvt(pool);
  const base = wrap(pool);
  return {
    kind: 'postgres',
    capabilities: { mvt, concurrent: true },
    pool,
    ...base,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const r = await fn(wrap(c));
        await c.query('COMMIT');
        return r;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
    async close(): Promise<void> {
      await pool.end();
    },
  };
}
