// Benchmark: one page of OGC API – Features items (bbox, limit=1000) over N points, on each backend,
// against the same page built by one SQL query on the same database.
// Usage: npx tsx bench/items-page.ts [points]   (default 1,000,000; at least 5,000)
// PostgreSQL: a fresh database yitu_bench_items on the test server (YITU_TEST_DATABASE_URL or
// postgres://postgres:yitu@127.0.0.1:5432/postgres), dropped at the end; skipped when unreachable.
//
// Per backend: N synthetic points (bench/lib.ts pointRows) are imported as a Yitu dataset through
// the hub's import, and two apps are listening on 127.0.0.1:0 over the same services and database:
// one with the default exactCountThreshold (numberMatched counted below it) and one with 0
// (numberMatched always the planner's estimate). Over 200 fixed bbox windows, each matching at least
// 1,000 points, three things are timed for every window, in rotating order, after a warm-up pass:
//   - GET /collections/{id}/items?bbox=…&limit=1000 from each app, over HTTP with Node's fetch, from
//     a worker thread (so the client's work is not on the server's thread), until the body is read;
//   - the reference: the same 1,000 features as one SQL statement (json_build_object/json_agg of
//     ST_AsGeoJSON, ::text) run directly on the same database, until its text is received.
// The warm-up pass checks that each response has 1,000 features, the same ones as the reference.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp, createServices, type Services } from '../server/app.ts';
import { memorySource } from '../server/hub/formats/memory-source.ts';
import { tableOf } from '../server/hub/model.ts';
import { type Config, loadConfig } from '../server/platform/config.ts';
import { type Db, ident } from '../server/platform/db.ts';
import { migrate } from '../server/platform/migrate.ts';
import { openDb } from '../server/platform/open-db.ts';
import { testPgUrl } from '../server/test-support/pg-url.ts';
import { percentile, pointFeatures, pointRows, prng } from './lib.ts';

const points = Number(process.argv[2] ?? 1_000_000);
if (!Number.isSafeInteger(points) || points < 5000) throw new Error(`points must be a whole number ≥ 5,000; got "${process.argv[2]}"`);
const WINDOWS = 200;
const LIMIT = 1000;
const DATASET = 'bench_items';
const PG_DB = 'yitu_bench_items';
/** The extent of pointRows (Deqing County). */
const EXTENT = { minx: 119.74, miny: 30.42, maxx: 120.24, maxy: 30.72 };

interface Window {
  bbox: [number, number, number, number];
  /** Points inside (counted here, from the generated coordinates). */
  matched: number;
}

/**
 * 200 windows with the county's aspect ratio at deterministic places, their expected match counts
 * spread log-uniformly from 1,500 to all points; each is grown until it holds at least 1,100
 * points (a margin over the 1,000 of a full page for float rounding of the index boxes).
 */
function makeWindows(n: number): Window[] {
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let i = 0;
  for (const [lon, lat] of pointRows(n)) {
    xs[i] = lon;
    ys[i++] = lat;
  }
  const count = (b: Window['bbox']) => {
    let c = 0;
    for (let k = 0; k < n; k++) if (xs[k] >= b[0] && xs[k] <= b[2] && ys[k] >= b[1] && ys[k] <= b[3]) c++;
    return c;
  };
  const r = prng(20240611);
  const lo = Math.log(1500);
  const hi = Math.log(n);
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const out: Window[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    let scale = Math.sqrt(Math.min(1, Math.exp(lo + r() * (hi - lo)) / n));
    const fx = r();
    const fy = r();
    for (;;) {
      const width = (EXTENT.maxx - EXTENT.minx) * scale;
      const height = (EXTENT.maxy - EXTENT.miny) * scale;
      const minx = round(EXTENT.minx + fx * (EXTENT.maxx - EXTENT.minx - width));
      const miny = round(EXTENT.miny + fy * (EXTENT.maxy - EXTENT.miny - height));
      const bbox: Window['bbox'] = [minx, miny, round(minx + width), round(miny + height)];
      const matched = count(bbox);
      if (matched >= 1100 || scale >= 1) {
        out.push({ bbox, matched });
        break;
      }
      scale = Math.min(1, scale * 1.1);
    }
  }
  return out;
}

// ---- the HTTP client, in a worker thread -------------------------------------------------------

interface Fetched {
  ms: number;
  status: number;
  bytes: number;
  /** The whole body when asked for, else its first 400 characters. */
  text: string;
}

const CLIENT = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ url, full, headers }) => {
  try {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    const buf = new Uint8Array(await res.arrayBuffer());
    const ms = performance.now() - t0;
    const text = new TextDecoder().decode(full ? buf : buf.subarray(0, 400));
    parentPort.postMessage({ ms, status: res.status, bytes: buf.byteLength, text });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.stack || e) });
  }
});
`;

class Client {
  private readonly worker = new Worker(CLIENT, { eval: true });
  /** Sent with every request (a signed-in analyst's API token: the dataset is internal). */
  headers: Record<string, string> = {};

  async get(url: string, full = false): Promise<Fetched> {
    const reply = once(this.worker, 'message');
    this.worker.postMessage({ url, full, headers: this.headers });
    const [m] = (await reply) as [Fetched & { error?: string }];
    if (m.error) throw new Error(`GET ${url}: ${m.error}`);
    return m;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

// ---- one backend ---------------------------------------------------------------------------------

/** A database with Yitu's schema, and the direct SQL connection of the reference query. */
interface Backend {
  label: string;
  config: Config;
  db: Db;
  /** Runs the reference query, returning its one text value. */
  reference(sql: string, params: unknown[]): Promise<string>;
  dispose(): Promise<void>;
}

interface Series {
  ms: number[];
  bytes: number[];
  estimated: number;
  /** numberMatched of each window. */
  matched: number[];
}

const emptySeries = (): Series => ({ ms: [], bytes: [], estimated: 0, matched: [] });

interface BackendResult {
  label: string;
  importSeconds: number;
  exact: Series;
  estimate: Series;
  sql: Series;
}

function head(text: string): { matched: number; estimated: boolean; returned: number } {
  const m = /"numberMatched":(\d+),("numberMatchedEstimated":true,)?"numberReturned":(\d+)/.exec(text);
  if (!m) throw new Error(`Unexpected items response: ${text.slice(0, 300)}`);
  return { matched: Number(m[1]), estimated: Boolean(m[2]), returned: Number(m[3]) };
}

async function listen(services: Services, config: Config): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp({ ...services, config });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

async function benchBackend(backend: Backend, windows: Window[], client: Client): Promise<BackendResult> {
  const { db, config } = backend;
  const services = createServices(config, db, pino({ level: 'silent' }));
  const apps: FastifyInstance[] = [];
  try {
    await migrate(db);
    await db.exec(`DROP TABLE IF EXISTS ${tableOf(DATASET)}; DELETE FROM yitu.datasets WHERE id = '${DATASET}'`);
    const t0 = performance.now();
    const report = await services.hub.importAndWait({
      datasetId: DATASET,
      mode: 'create',
      source: memorySource(pointFeatures(points), { estimatedCount: points }),
      originalName: 'bench-points.geojson',
    });
    const importSeconds = (performance.now() - t0) / 1000;
    if (report.imported !== points) throw new Error(`imported ${report.imported} of ${points} points`);
    console.log(`${backend.label}: imported ${points.toLocaleString('en')} points in ${importSeconds.toFixed(1)} s`);

    const ds = await services.hub.get(DATASET);
    const columns = ds.columns.map((c) => ident(c.name)).join(', ');
    const refSql =
      `SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(ST_AsGeoJSON(t.*, 'geom', 7)::json))::text AS page ` +
      `FROM (SELECT _fid, geom, ${columns} FROM ${tableOf(DATASET)} ` +
      `WHERE _vto IS NULL AND geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) ORDER BY _fid LIMIT ${LIMIT}) t`;

    // Pages are read as a signed-in analyst (the dataset is internal), so each pays for the access check.
    const analyst = await services.accounts.createUser({ username: `bench-analyst-${Date.now()}`, roles: ['analyst'], department: null });
    client.headers = { authorization: `Bearer ${(await services.accounts.createToken(analyst.id, 'bench')).token}` };
    const exactApp = await listen(services, config);
    apps.push(exactApp.app);
    const estimateApp = await listen(services, { ...config, exactCountThreshold: 0 });
    apps.push(estimateApp.app);
    const itemsUrl = (base: string, w: Window) => `${base}/collections/${DATASET}/items?bbox=${w.bbox.join(',')}&limit=${LIMIT}`;

    type Kind = 'exact' | 'estimate' | 'sql';
    const runOne = async (kind: Kind, w: Window, full: boolean): Promise<{ ms: number; bytes: number; text: string }> => {
      if (kind === 'sql') {
        // On PGlite a Yitu request's usage count is still queued after its response: let it run first.
        await db.query('SELECT 1');
        const t = performance.now();
        const text = await backend.reference(refSql, w.bbox);
        const ms = performance.now() - t;
        return { ms, bytes: Buffer.byteLength(text), text };
      }
      const r = await client.get(itemsUrl(kind === 'exact' ? exactApp.url : estimateApp.url, w), full);
      if (r.status !== 200) throw new Error(`HTTP ${r.status} for ${kind} bbox=${w.bbox.join(',')}: ${r.text.slice(0, 300)}`);
      return r;
    };

    // Warm-up pass (untimed), which also checks every page against the reference.
    const fids = (features: { id?: number; properties?: { _fid?: number } }[]) => features.map((f) => f.id ?? f.properties?._fid).join(',');
    for (const w of windows) {
      const ref = JSON.parse((await runOne('sql', w, true)).text) as { features: { properties: { _fid: number } }[] };
      for (const kind of ['exact', 'estimate'] as const) {
        const page = JSON.parse((await runOne(kind, w, true)).text) as { numberReturned: number; features: { id: number }[] };
        if (page.numberReturned !== LIMIT || fids(page.features) !== fids(ref.features)) {
          throw new Error(`${backend.label} ${kind}: bbox=${w.bbox.join(',')} returned ${page.numberReturned} features, not the reference's ${ref.features.length}`);
        }
      }
    }

    const series: Record<Kind, Series> = { exact: emptySeries(), estimate: emptySeries(), sql: emptySeries() };
    const kinds: Kind[] = ['exact', 'estimate', 'sql'];
    for (let i = 0; i < windows.length; i++) {
      for (let k = 0; k < kinds.length; k++) {
        const kind = kinds[(i + k) % kinds.length];
        const r = await runOne(kind, windows[i], false);
        const s = series[kind];
        s.ms.push(r.ms);
        s.bytes.push(r.bytes);
        if (kind !== 'sql') {
          const h = head(r.text);
          if (h.returned !== LIMIT) throw new Error(`${backend.label} ${kind}: numberReturned ${h.returned}`);
          s.matched.push(h.matched);
          if (h.estimated) s.estimated++;
        }
      }
    }
    return { label: backend.label, importSeconds, ...series };
  } finally {
    for (const app of apps) await app.close();
    await services.jobs.shutdown();
    await backend.dispose();
  }
}

async function pgliteBackend(): Promise<Backend> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-bench-items-'));
  const { config } = loadConfig({}, { dataDir: dir, logLevel: 'silent', demoOnEmpty: false });
  const db = await openDb(config);
  return {
    label: 'embedded (PGlite)',
    config,
    db,
    reference: async (sql, params) => (await db.query<{ page: string }>(sql, params)).rows[0].page,
    async dispose() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the PostgreSQL server, or the reason it cannot be had. */
async function postgresBackend(): Promise<Backend | string> {
  const adminUrl = testPgUrl();
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${PG_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${PG_DB}`);
  } catch (e) {
    return `${adminUrl.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1:***@')}: ${(e as Error).message}`;
  } finally {
    await admin.end().catch(() => {});
  }
  const u = new URL(adminUrl);
  u.pathname = `/${PG_DB}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-bench-items-'));
  const { config } = loadConfig({}, { dataDir: dir, databaseUrl: u.toString(), logLevel: 'silent', demoOnEmpty: false });
  const dropDb = async () => {
    const a = new pg.Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${PG_DB} WITH (FORCE)`).finally(() => a.end());
    await rm(dir, { recursive: true, force: true });
  };
  let db: Db;
  try {
    db = await openDb(config);
  } catch (e) {
    await dropDb();
    throw e;
  }
  // The reference gets its own session, with the settings Yitu's page transaction sets (no JIT, no parallel workers).
  const ref = new pg.Client({ connectionString: u.toString(), options: '-c jit=off -c max_parallel_workers_per_gather=0' });
  await ref.connect();
  return {
    label: 'PostgreSQL',
    config,
    db,
    reference: async (sql, params) => (await ref.query<{ page: string }>(sql, params)).rows[0].page,
    async dispose() {
      await ref.end();
      await db.close();
      await dropDb();
    },
  };
}

// ---- report --------------------------------------------------------------------------------------

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const p = (xs: number[], q: number) => percentile(sorted(xs), q);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
const kb = (xs: number[]) => (mean(xs) / 1024).toFixed(0);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

const windows = makeWindows(points);
const matchedSorted = sorted(windows.map((w) => w.matched));
const defaults = loadConfig({}, {}).config;
console.log(`# items page (bbox, limit=${LIMIT}) over ${points.toLocaleString('en')} points (${new Date().toISOString()}, ${os.cpus().length} cores, Node ${process.version})`);
console.log(
  `${windows.length} bbox windows; points matched: min ${matchedSorted[0].toLocaleString('en')}, median ${percentile(matchedSorted, 50).toLocaleString('en')}, max ${matchedSorted.at(-1)!.toLocaleString('en')}; ` +
    `${windows.filter((w) => w.matched >= defaults.exactCountThreshold).length} at or above the default exactCountThreshold (${defaults.exactCountThreshold.toLocaleString('en')})`,
);

const client = new Client();
const results: BackendResult[] = [];
try {
  results.push(await benchBackend(await pgliteBackend(), windows, client));
  const pgBackend = await postgresBackend();
  if (typeof pgBackend === 'string') console.log(`PostgreSQL skipped: ${pgBackend}`);
  else results.push(await benchBackend(pgBackend, windows, client));
} finally {
  await client.close();
}

console.log(`\nYitu: GET …/items over HTTP (sequential, keep-alive); SQL: the same page by one query on the same database. ms per page; req/s = 1 / mean latency.\n`);
console.log('| backend | numberMatched | Yitu p50 ms | Yitu p95 ms | req/s | KB/page | SQL p50 ms | SQL p95 ms | SQL KB/page | Yitu/SQL p50 | Yitu/SQL p95 |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  for (const [name, s] of [
    [`exact below ${defaults.exactCountThreshold.toLocaleString('en')} (default; ${s2(r.exact)})`, r.exact],
    [`estimated (threshold 0; ${s2(r.estimate)})`, r.estimate],
  ] as const) {
    console.log(
      `| ${r.label} | ${name} | ${ms(p(s.ms, 50))} | ${ms(p(s.ms, 95))} | ${Math.round(1000 / mean(s.ms))} | ${kb(s.bytes)} | ${ms(p(r.sql.ms, 50))} | ${ms(p(r.sql.ms, 95))} | ${kb(r.sql.bytes)} | ${ratio(p(s.ms, 50), p(r.sql.ms, 50))} | ${ratio(p(s.ms, 95), p(r.sql.ms, 95))} |`,
    );
  }
}
function s2(s: Series): string {
  return `${s.estimated}/${s.ms.length} estimated`;
}

// By size of the match: counting costs grow with it, the page does not.
const buckets: [string, (n: number) => boolean][] = [
  ['1k–10k', (n) => n < 10_000],
  ['10k–100k', (n) => n >= 10_000 && n < 100_000],
  ['≥ 100k', (n) => n >= 100_000],
];
console.log('\n| backend | points matched | windows | exact p50 ms | estimated p50 ms | SQL p50 ms | exact/SQL | estimated/SQL |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of results) {
  for (const [name, inBucket] of buckets) {
    const idx = windows.map((w, i) => (inBucket(w.matched) ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) continue;
    const pick = (xs: number[]) => p(idx.map((i) => xs[i]), 50);
    const [e, est, sql] = [pick(r.exact.ms), pick(r.estimate.ms), pick(r.sql.ms)];
    console.log(`| ${r.label} | ${name} | ${idx.length} | ${ms(e)} | ${ms(est)} | ${ms(sql)} | ${ratio(e, sql)} | ${ratio(est, sql)} |`);
  }
}

// How far the planner's estimates are from the true counts.
for (const r of results) {
  const errors = sorted(windows.map((w, i) => Math.abs(r.estimate.matched[i] - w.matched) / w.matched));
  console.log(`\n${r.label}: estimated numberMatched off by a median ${(percentile(errors, 50) * 100).toFixed(1)} %, p95 ${(percentile(errors, 95) * 100).toFixed(1)} %, max ${(errors.at(-1)! * 100).toFixed(1)} %.`);
}
