import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';
import type { Db } from '../platform/db.ts';
import { openPglite } from '../platform/db-pglite.ts';
import { openPostgres } from '../platform/db-postgres.ts';
import { testPgUrl } from './pg-url.ts';

/** The backends a storage test runs on. */
export type BackendKind = 'pglite' | 'postgres';

/** A test database and how to get rid of it. */
export interface TestDb {
  db: Db;
  /** For PostgreSQL: the URL of this test's own database. */
  url?: string;
  dispose(): Promise<void>;
}

/** Opens a fresh, migrated database of the given kind (PGlite from the dumped template; PostgreSQL as a copy of the template database). */
export async function openTestDb(kind: BackendKind): Promise<TestDb> {
  if (kind === 'pglite') {
    const tar = await readFile(inject('pgliteTemplate'));
    const db = await openPglite({ loadDataDir: new Blob([tar]) });
    return { db, dispose: () => db.close() };
  }
  const template = inject('pgTemplate');
  const name = `yitu_t_${template.split('_')[2]}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPgUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const u = new URL(testPgUrl());
  u.pathname = `/${name}`;
  const db = await openPostgres(u.toString(), 4);
  return {
    db,
    url: u.toString(),
    async dispose() {
      await db.close();
      const a = new pg.Client({ connectionString: testPgUrl() });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => a.end());
    },
  };
}

/** Backends available to this run, with the reason for any that are skipped (printed once per file). */
export function availableBackends(): BackendKind[] {
  const kinds: BackendKind[] = ['pglite'];
  if (inject('pgAvailable')) kinds.push('postgres');
  return kinds;
}

/**
 * Declares a suite once per backend. Where PostgreSQL is not reachable the suite is skipped with the
 * reason printed (global setup fails the run instead when CI is set).
 */
export function describeEachBackend(title: string, fn: (kind: BackendKind) => void): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    if (kind === 'postgres' && !inject('pgAvailable')) {
      describe.skip(`${title} [postgres: ${inject('pgSkipReason')}]`, () => fn(kind));
      continue;
    }
    describe(`${title} [${kind}]`, () => fn(kind));
  }
}
