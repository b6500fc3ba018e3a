import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Db, Queryable, QueryResult } from './db.ts';

/** Value parsers shared by both backends so that rows look the same whatever the database. */
const parsers = {
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => Number(v),
  [types.DATE]: (v: string) => v,
};

/** Options of the embedded database. */
export interface PgliteOptions {
  /** Directory of the data; in memory when absent. */
  dataDir?: string;
  /** A dumped data directory (tarball) to start from instead of initdb. */
  loadDataDir?: Blob;
}

function wrap(q: PGlite | Transaction): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const r = await q.query<T>(sql, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await q.exec(sql);
    },
    async copyIn(table: string, columns: string[], text: string): Promise<void> {
      const cols = columns.map((c) => `"${c}"`).join(', ');
      await q.query(`COPY ${table} (${cols}) FROM '/dev/blob'`, [], { blob: new Blob([text]) });
    },
  };
}

/**
 * Opens the embedded database: PGlite (PostgreSQL in WebAssembly) with its PostGIS extension.
 * PGlite runs one statement at a time for the whole process, so `capabilities.concurrent` is false
 * and long work must be cut into short statements. Its PostGIS has no protobuf: no ST_AsMVT.
 */
export async function openPglite(opts: PgliteOptions = {}): Promise<Db & { pglite: PGlite }> {
  const pglite = await PGlite.create({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    extensions: { postgis },
    parsers,
  });
  const base = wrap(pglite);
  return {
    kind: 'pglite',
    capabilities: { mvt: false, concurrent: false },
    pglite,
    ...base,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return pglite.transaction((tx) => fn(wrap(tx)));
    },
    async close(): Promise<void> {
      if (!pglite.closed) await pglite.close();
    },
  };
}
