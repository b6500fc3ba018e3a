import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

/** The folder of numbered SQL migrations; the same files run on both backends. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

/** Result of a migration run. */
export interface MigrateResult {
  applied: string[];
  current: string | null;
}

/**
 * Applies the migrations not yet applied, each in its own transaction, in file-name order.
 * On PostgreSQL an advisory lock keeps two starting processes from migrating at once.
 */
export async function migrate(db: Db): Promise<MigrateResult> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f)).sort();
  if (db.capabilities.concurrent) await db.query('SELECT pg_advisory_lock(7251)');
  try {
    await db.exec(`CREATE SCHEMA IF NOT EXISTS yitu;
      CREATE TABLE IF NOT EXISTS yitu.migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await db.query<{ name: string }>('SELECT name FROM yitu.migrations')).rows.map((r) => r.name));
    const applied: string[] = [];
    for (const f of files) {
      if (done.has(f)) continue;
      const sql = await readFile(path.join(MIGRATIONS_DIR, f), 'utf8');
      await db.transaction(async (tx) => {
        await tx.exec(sql);
        await tx.query('INSERT INTO yitu.migrations (name) VALUES ($1)', [f]);
      });
      applied.push(f);
    }
    return { applied, current: files.at(-1) ?? null };
  } finally {
    if (db.capabilities.concurrent) await db.query('SELECT pg_advisory_unlock(7251)');
  }
}
