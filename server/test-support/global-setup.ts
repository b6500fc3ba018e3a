import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { MIGRATIONS_DIR, migrate } from '../platform/migrate.ts';
import { openPglite } from '../platform/db-pglite.ts';
import { openPostgres } from '../platform/db-postgres.ts';
import { testPgUrl } from './pg-url.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgAvailable: boolean;
    pgSkipReason: string;
    pgTemplate: string;
  }
}

async function migrationsHash(): Promise<string> {
  const h = createHash('sha256');
  for (const f of (await readdir(MIGRATIONS_DIR)).sort()) h.update(f).update(await readFile(path.join(MIGRATIONS_DIR, f)));
  return h.digest('hex').slice(0, 16);
}

/** A migrated PGlite data directory, dumped once and reused while the migrations do not change. */
async function pgliteTemplate(): Promise<string> {
  const file = path.join(os.tmpdir(), `yitu-pglite-template-${await migrationsHash()}.tar.gz`);
  if (existsSync(file)) return file;
  const db = await openPglite();
  await migrate(db);
  const dump = await db.pglite.dumpDataDir('gzip');
  await db.close();
  const tmp = `${file}.${process.pid}`;
  await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
  await rename(tmp, file);
  return file;
}

/** A migrated template database on the PostgreSQL server, copied per test file. */
async function postgresTemplate(template: string): Promise<{ ok: boolean; reason: string }> {
  const url = testPgUrl();
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
  } catch (e) {
    return { ok: false, reason: `no PostgreSQL server at ${url.replace(/:[^:@/]*@/, ':***@')} (${(e as Error).message}); set YITU_TEST_DATABASE_URL` };
  }
  try {
    // Leftovers of test runs whose process is gone (several runs may share one server).
    const old = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^yitu_t(pl)?_[0-9]+_'`);
    for (const r of old.rows) {
      const pid = Number(r.datname.split('_')[2]);
      if (!isAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => {});
    }
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${template}`;
  try {
    const db = await openPostgres(u.toString(), 2);
    await migrate(db);
    await db.close();
  } catch (e) {
    return { ok: false, reason: `PostgreSQL is reachable but PostGIS could not be set up: ${(e as Error).message}` };
  }
  return { ok: true, reason: '' };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Vitest global setup: prepares the database templates every test file copies. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pgTemplate = `yitu_tpl_${process.pid}_template`;
  const [template, pgRes] = await Promise.all([pgliteTemplate(), postgresTemplate(pgTemplate)]);
  if (!pgRes.ok) {
    if (process.env.CI) throw new Error(`CI is set but the PostgreSQL tests cannot run: ${pgRes.reason}`);
    console.log(`[yitu] Skipping PostgreSQL backend tests: ${pgRes.reason}`);
  }
  project.provide('pgliteTemplate', template);
  project.provide('pgAvailable', pgRes.ok);
  project.provide('pgSkipReason', pgRes.reason);
  project.provide('pgTemplate', pgTemplate);
  return async () => {
    if (!pgRes.ok) return;
    const admin = new pg.Client({ connectionString: testPgUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pgTemplate} WITH (FORCE)`).catch(() => {});
    await admin.end();
  };
}
