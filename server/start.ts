import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type Config, loadConfig } from './platform/config.ts';
import type { Db } from './platform/db.ts';
import { createLogger } from './platform/logger.ts';
import { migrate } from './platform/migrate.ts';
import { openDb } from './platform/open-db.ts';
import { buildApp, createServices, type Services } from './app.ts';
import { cleanStaging } from './hub/import-service.ts';
import { ensureWebBuild } from './web/build.ts';
import { ensureFirstAdministrator } from './access/bootstrap.ts';

/** An opened Yitu: services over a migrated database, ready to serve or to run a command. */
export interface Runtime {
  config: Config;
  log: Logger;
  db: Db;
  services: Services;
  /** Aborts running jobs (they roll back), then closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the database the configuration names, applies migrations, fails jobs and drops staging
 * tables that a previous process left unfinished, creates the services, and the first
 * administrator when there is no user yet.
 */
export async function openRuntime(
  overrides: Partial<Config> = {},
  opts: { log?: Logger; /** Where a generated first administrator's password is shown (default stdout; never the log). */ announce?: (text: string) => void } = {},
): Promise<Runtime> {
  const { config, warnings } = loadConfig(process.env, overrides);
  const log = opts.log ?? createLogger(config.logLevel);
  for (const w of warnings) log.warn(w);
  const db = await openDb(config);
  try {
    const m = await migrate(db);
    if (m.applied.length) log.info({ applied: m.applied }, 'migrations applied');
    const services = createServices(config, db, log);
    await ensureFirstAdministrator(services, opts.announce ?? ((text) => process.stdout.write(text)));
    const interrupted = await services.jobs.recover();
    const staging = await cleanStaging(db);
    // Uploads of imports that a crash interrupted (a finished job removes its own).
    await rm(path.join(config.dataDir, 'uploads'), { recursive: true, force: true }).catch(() => {});
    if (interrupted || staging) log.warn({ interrupted, staging }, 'cleaned up after an interrupted previous run');
    return {
      config,
      log,
      db,
      services,
      async close() {
        await services.jobs.shutdown();
        await services.hub.flushUsage();
        await services.audit.close();
        await db.close();
      },
    };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}

/** A running server. */
export interface Server {
  runtime: Runtime;
  app: FastifyInstance;
  url: string;
  /** Stops taking requests, rolls back running jobs, closes the database. */
  stop(): Promise<void>;
}

/** Starts the HTTP server over a runtime. */
export async function startServer(runtime: Runtime): Promise<Server> {
  await ensureWebBuild(runtime.log);
  const app = await buildApp(runtime.services);
  await app.listen({ port: runtime.config.port, host: runtime.config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : runtime.config.port;
  const url = runtime.config.publicUrl ?? `http://localhost:${port}`;
  let stopping: Promise<void> | null = null;
  return {
    runtime,
    app,
    url,
    stop() {
      stopping ??= (async () => {
        await runtime.services.jobs.shutdown();
        await app.close();
        await runtime.services.hub.flushUsage();
        await runtime.services.audit.close();
        await runtime.db.close();
      })();
      return stopping;
    },
  };
}
