import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { YituError } from './errors.ts';
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
  const release = await lockDataDir(config.dataDir);
  try {
    const db = await openPglite({ dataDir: dir });
    const close = db.close.bind(db);
    return Object.assign(db, {
      async close() {
        await close();
        await release();
      },
    });
  } catch (e) {
    await release();
    throw e;
  }
}

/**
 * The embedded database belongs to one process: a second process on the same directory would
 * corrupt it. Takes a lock file holding our pid; a stale lock (its process is gone) is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, 'yitu.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return async () => {
        await unlink(file).catch(() => {});
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(await readFile(file, 'utf8').catch(() => ''));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new YituError(
          'YITU_ERR_DB_UNAVAILABLE',
          `Another Yitu process (pid ${pid}) is using the embedded database in ${dataDir}. Stop it first, use its HTTP API, or set DATABASE_URL to share a PostgreSQL server.`,
        );
      }
      await unlink(file).catch(() => {});
    }
  }
  throw new YituError('YITU_ERR_DB_UNAVAILABLE', `Could not lock ${file}; remove it if no Yitu process is running.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
