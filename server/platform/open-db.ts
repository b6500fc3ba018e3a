import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.ts';
import type { Db } from './db.ts';
import { openPglite } from './db-pglite.ts';
import { openPostgres } from './db-postgres.ts';

/** Opens the database the configuration names: PostgreSQL when DATABASE_URL is set, else the embedded one. */
export async function openDb(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize'>): Promise<Db> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.databasePoolSize);
  const dir = path.join(config.dataDir, 'pg');
  await mkdir(dir, { recursive: true });
  return openPglite({ dataDir: dir });
}
