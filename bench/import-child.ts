// One import in its own process, so that its peak RSS is its own. Prints one JSON line.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../server/platform/config.ts';
import { openDb } from '../server/platform/open-db.ts';
import { migrate } from '../server/platform/migrate.ts';
import { createServices } from '../server/services.ts';

const [file, datasetId] = process.argv.slice(2);
const dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-bench-'));
const { config } = loadConfig(process.env, { dataDir: dir, logLevel: 'silent' });
const db = await openDb(config);
await migrate(db);
const s = createServices(config, db, pino({ level: 'silent' }));
await db.exec(`DROP TABLE IF EXISTS data."${datasetId}"; DELETE FROM yitu.datasets WHERE id = '${datasetId}'`);
const t0 = performance.now();
const report = await s.hub.importAndWait({ datasetId, mode: 'create', file, originalName: path.basename(file) });
const seconds = (performance.now() - t0) / 1000;
await db.exec(`DROP TABLE IF EXISTS data."${datasetId}"; DELETE FROM yitu.datasets WHERE id = '${datasetId}'`);
await db.close();
await rm(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ rows: report.imported, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, timings: report.timings, load: report.load })}\n`);
