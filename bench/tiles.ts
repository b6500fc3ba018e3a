// Benchmark: vector tiles of the demo county over HTTP, on each backend.
// Usage: npx tsx bench/tiles.ts        (PostgreSQL: a fresh database yitu_bench_tiles on the test
// server, YITU_TEST_DATABASE_URL or postgres://postgres:yitu@127.0.0.1:5432/postgres, dropped at the
// end; skipped when unreachable. PGlite: a fresh data directory in the temp dir.)
//
// Per backend the demo county is seeded (seedDemo) into a fresh database and the app listens on
// 127.0.0.1:0. The fixed tile list: for each of the largest layers (buildings, land_use_parcels,
// permanent_basic_farmland, population_grid, enterprises) and each zoom 8–16, the tiles holding 6
// deterministic features of the layer. A worker thread (so the client is off the server's thread)
// fetches every tile with 4 requests in flight (Node fetch, gzip accepted), timing each until its
// body is read:
//   - cold: tile cache cleared first, so every tile is generalised and encoded (after one untimed
//     pass that warms the database's buffers; three timed rounds, alternating with the SQL);
//   - warm: the same list again, every tile from the cache;
//   - SQL (PostgreSQL only): the same ST_AsMVT SQL the server runs (layerQuery + ST_AsMVT, and
//     its re-encoding of a tile over budget), run directly on the same database with 4
//     connections and the same planner settings, until the bytes are received;
//   - static: the warm tiles' bytes written to files and served by @fastify/static (gzip stored,
//     content-encoding set), fetched the same way.
// Tile bytes (uncompressed MVT) are reported per zoom for the list, and checked against 500 KB
// for every source (all datasets with geometry, regions, region_labels) over z0–z16: every tile
// covering the county up to z12, and above it the tiles of 24 deterministic features per layer.
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import pg from 'pg';
import pino from 'pino';
import { buildApp, createServices, type Services } from '../server/app.ts';
import { seedDemo } from '../server/demo/seed.ts';
import { layerQuery } from '../server/map/tiles/layer-query.ts';
import { MVT_EXTENT } from '../server/map/tiles/mvt-encoder.ts';
import { TILE_BUDGET_BYTES } from '../server/map/tiles/service.ts';
import { DETAIL_ZOOM } from '../server/map/tiles/tile-math.ts';
import { loadConfig } from '../server/platform/config.ts';
import { migrate } from '../server/platform/migrate.ts';
import { openDb } from '../server/platform/open-db.ts';
import { testPgUrl } from '../server/test-support/pg-url.ts';
import { percentile } from './lib.ts';

const LAYERS = ['buildings', 'land_use_parcels', 'permanent_basic_farmland', 'population_grid', 'enterprises'];
const ZOOMS = [8, 9, 10, 11, 12, 13, 14, 15, 16];
const PER_ZOOM = 6;
const CONCURRENCY = 4;
const LIMIT_BYTES = 500 * 1024;
const PG_DB = 'yitu_bench_tiles';

interface Tile { layer: string; z: number; x: number; y: number }
const tileOf = (lon: number, lat: number, z: number) => {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n) };
};

const CLIENT = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ urls, concurrency, headers }) => {
  try {
    const ms = new Array(urls.length);
    const bytes = new Array(urls.length);
    let next = 0;
    const t0 = performance.now();
    const one = async () => {
      for (;;) {
        const i = next++;
        if (i >= urls.length) return;
        const s = performance.now();
        const res = await fetch(urls[i], { headers: { 'accept-encoding': 'gzip', ...headers } });
        const buf = await res.arrayBuffer();
        if (res.status !== 200 && res.status !== 204) throw new Error(urls[i] + ' answered ' + res.status + ' ' + new TextDecoder().decode(buf).slice(0, 300));
        ms[i] = performance.now() - s;
        bytes[i] = buf.byteLength;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, one));
    parentPort.postMessage({ ms, bytes, total: performance.now() - t0 });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.stack || e) });
  }
});
`;

interface Run { ms: number[]; total: number }

/** Timed cold passes (and SQL passes) per backend. */
const ROUNDS = 3;

/** Several runs as one: all latencies, the summed time. */
function mergeRuns(runs: Run[]): Run {
  return { ms: runs.flatMap((r) => r.ms), total: runs.reduce((a, r) => a + r.total, 0) };
}

/**
 * The reference on PostgreSQL: the same ST_AsMVT SQL the server runs, directly on the same database
 * with CONCURRENCY connections and the same connection settings as the server's pool (no JIT, no
 * parallel workers), including the server's re-encoding of a tile over
 * its byte budget without its smallest geometries. Returns a timed pass (after one untimed warm-up).
 */
async function sqlReference(databaseUrl: string | undefined, services: Services, list: Tile[]): Promise<((() => Promise<Run>) & { close(): Promise<void> }) | undefined> {
  if (!databaseUrl) return undefined;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CONCURRENCY, options: '-c jit=off -c max_parallel_workers_per_gather=0' });
  const sources = new Map(await Promise.all(LAYERS.map(async (l) => [l, await services.tiles.resolve(l)] as const)));
  const run = () => timed(list, async (t) => {
    for (let factor = 1; ; factor *= 2) {
      const q = layerQuery(sources.get(t.layer)!, {}, t, factor);
      const r = await pool.query<{ mvt: Buffer }>(`SELECT ST_AsMVT(q, $${q.params.length + 1}::text, ${MVT_EXTENT}, 'geom', '_fid') AS mvt FROM (${q.sql}) q`, [...q.params, t.layer]);
      if (!(r.rows[0].mvt.length > TILE_BUDGET_BYTES && t.z < DETAIL_ZOOM && factor < 64)) break;
    }
  });
  await run();
  return Object.assign(run, { close: () => pool.end() });
}

class Client {
  private readonly worker = new Worker(CLIENT, { eval: true });
  /** Sent with every request (the signed-in analyst's API token: the demo's layers are not all public). */
  headers: Record<string, string> = {};
  async run(urls: string[]): Promise<Run> {
    const reply = once(this.worker, 'message');
    this.worker.postMessage({ urls, concurrency: CONCURRENCY, headers: this.headers });
    const [m] = (await reply) as [Run & { error?: string }];
    if (m.error) throw new Error(m.error);
    return m;
  }
  close() {
    return this.worker.terminate();
  }
}

/** Runs `fn` over the items with `CONCURRENCY` in flight, timing each. */
async function timed<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<Run> {
  const ms: number[] = new Array(items.length);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      const s = performance.now();
      await fn(items[i]);
      ms[i] = performance.now() - s;
    }
  }));
  return { ms, total: performance.now() - t0 };
}

const stats = (r: Run) => {
  const s = [...r.ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), rps: (r.ms.length / r.total) * 1000 };
};

interface Result {
  label: string;
  seedSeconds: number;
  tiles: number;
  cold: ReturnType<typeof stats>;
  warm: ReturnType<typeof stats>;
  sql?: ReturnType<typeof stats>;
  stat: ReturnType<typeof stats>;
  listBytes: Map<number, number[]>;
  allBytes: Map<number, number[]>;
  worst: { bytes: number; what: string };
}

async function benchBackend(label: string, databaseUrl: string | undefined, dataDir: string, client: Client): Promise<Result> {
  const { config } = loadConfig({}, { ...(databaseUrl ? { databaseUrl } : {}), dataDir, demoOnEmpty: false, logLevel: 'silent', tileCacheMb: 1024 });
  const db = await openDb(config);
  await migrate(db);
  const services = createServices(config, db, pino({ level: 'silent' }));
  const t0 = performance.now();
  await seedDemo(services);
  const seedSeconds = (performance.now() - t0) / 1000;
  console.log(`${label}: demo county seeded in ${seedSeconds.toFixed(1)} s`);
  const app = await buildApp(services);
  // Tiles are read as a signed-in analyst, so every request pays for the access check as in use.
  const analyst = await services.accounts.createUser({ username: `bench-analyst-${Date.now()}`, roles: ['analyst'], department: null });
  client.headers = { authorization: `Bearer ${(await services.accounts.createToken(analyst.id, 'bench')).token}` };
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const staticDir = await mkdtemp(path.join(os.tmpdir(), 'yitu-bench-tiles-static-'));
  const staticApp = Fastify();
  try {
    // The fixed list: tiles of deterministic features (every k-th by feature id) of each layer.
    const list: Tile[] = [];
    const seen = new Set<string>();
    const pointsOf = async (layer: string, n: number) =>
      (await db.query<{ lon: number; lat: number }>(
        `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p, _fid FROM data."${layer}" WHERE _vto IS NULL) q
         WHERE _fid % greatest(1, (SELECT count(*) FROM data."${layer}") / $1) = 0 ORDER BY _fid LIMIT $1`, [n])).rows;
    for (const layer of LAYERS) {
      const pts = await pointsOf(layer, PER_ZOOM * ZOOMS.length);
      ZOOMS.forEach((z, zi) => {
        for (let k = 0; k < PER_ZOOM; k++) {
          const p = pts[(zi * PER_ZOOM + k) % pts.length];
          const t = { layer, ...tileOf(p.lon, p.lat, z) };
          const key = `${layer}/${t.z}/${t.x}/${t.y}`;
          if (!seen.has(key)) seen.add(key), list.push(t);
        }
      });
    }
    const url = (t: Tile) => `${base}/collections/${t.layer}/tiles/WebMercatorQuad/${t.z}/${t.y}/${t.x}`;
    const urls = list.map(url);

    // Cold: an untimed pass warms the database's buffers (as a server in use has them); then ROUNDS
    // timed passes, each after clearing the tile cache, alternating with the SQL reference on
    // PostgreSQL so that both see the same machine (figures are the sums over the rounds).
    services.tiles.cache.clear();
    await client.run(urls);
    const sqlRound = await sqlReference(databaseUrl, services, list);
    const colds: Run[] = [];
    const sqls: Run[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      if (sqlRound) sqls.push(await sqlRound());
      services.tiles.cache.clear();
      colds.push(await client.run(urls));
    }
    await sqlRound?.close();
    const cold = mergeRuns(colds);
    const sql = sqls.length ? mergeRuns(sqls) : undefined;
    // Warm: one untimed pass makes sure every tile is cached, then two timed passes.
    await client.run(urls);
    const w1 = await client.run(urls);
    const w2 = await client.run(urls);
    const warm = { ms: [...w1.ms, ...w2.ms], total: w1.total + w2.total };

    // Tile bytes of the list (uncompressed), and the stored bytes for the static server.
    const listBytes = new Map<number, number[]>();
    for (const t of list) {
      const raw = await services.tiles.getTile([{ source: t.layer }], t.z, t.x, t.y);
      const gz = await services.tiles.getTile([{ source: t.layer }], t.z, t.x, t.y, { gzip: true });
      (listBytes.get(t.z) ?? listBytes.set(t.z, []).get(t.z)!).push(raw.body.length);
      const file = path.join(staticDir, t.layer, String(t.z), String(t.y), `${t.x}.mvt`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, gz.body);
    }
    await staticApp.register(fastifyStatic, {
      root: staticDir,
      setHeaders: (res) => {
        res.header('content-encoding', 'gzip');
        res.header('content-type', 'application/vnd.mapbox-vector-tile');
      },
    });
    await staticApp.listen({ host: '127.0.0.1', port: 0 });
    const sbase = `http://127.0.0.1:${(staticApp.server.address() as AddressInfo).port}`;
    const surls = list.map((t) => `${sbase}/${t.layer}/${t.z}/${t.y}/${t.x}.mvt`);
    await client.run(surls);
    const s1 = await client.run(surls);
    const s2 = await client.run(surls);
    const stat = { ms: [...s1.ms, ...s2.ms], total: s1.total + s2.total };

    // Every source, z0–z16: bytes per zoom, checked against 500 KB.
    const all = (await services.hub.search({ limit: 1000 })).items.filter((d) => d.kind === 'features' && d.geometryType).map((d) => d.id);
    const sources = [...all, 'regions', 'region_labels'];
    const county = (await db.query<{ b: number[] }>(`SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS b FROM (SELECT ST_Extent(geom) AS e FROM yitu.regions WHERE level = 'county') q`)).rows[0].b;
    const allBytes = new Map<number, number[]>();
    let worst = { bytes: 0, what: '' };
    for (let z = 0; z <= 16; z++) {
      for (const source of sources) {
        const tiles: { x: number; y: number }[] = [];
        if (z <= 12) {
          const a = tileOf(county[0], county[3], z);
          const b = tileOf(county[2], county[1], z);
          for (let x = a.x; x <= b.x; x++) for (let y = a.y; y <= b.y; y++) tiles.push({ x, y });
        } else {
          for (const p of await pointsOf(source === 'regions' || source === 'region_labels' ? 'land_use_parcels' : source, 24)) tiles.push(tileOf(p.lon, p.lat, z));
        }
        for (const t of tiles) {
          const r = await services.tiles.getTile([{ source }], z, t.x, t.y);
          (allBytes.get(z) ?? allBytes.set(z, []).get(z)!).push(r.body.length);
          if (r.body.length > worst.bytes) worst = { bytes: r.body.length, what: `${source} ${z}/${t.y}/${t.x}` };
        }
      }
    }
    return { label, seedSeconds, tiles: list.length, cold: stats(cold), warm: stats(warm), ...(sql ? { sql: stats(sql) } : {}), stat: stats(stat), listBytes, allBytes, worst };
  } finally {
    await staticApp.close();
    await app.close();
    await services.jobs.shutdown();
    await db.close();
    await rm(staticDir, { recursive: true, force: true });
  }
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const kb = (n: number) => `${(n / 1024).toFixed(1)}`;

const client = new Client();
const results: Result[] = [];
const liteDir = await mkdtemp(path.join(os.tmpdir(), 'yitu-bench-tiles-'));
try {
  results.push(await benchBackend('PGlite', undefined, liteDir, client));
} finally {
  await rm(liteDir, { recursive: true, force: true });
}
const admin = testPgUrl();
const adminClient = new pg.Client(admin);
let pgOk = true;
try {
  await adminClient.connect();
} catch (e) {
  pgOk = false;
  console.log(`PostgreSQL skipped: ${String(e)}`);
}
if (pgOk) {
  await adminClient.query(`DROP DATABASE IF EXISTS ${PG_DB}`);
  await adminClient.query(`CREATE DATABASE ${PG_DB}`);
  const u = new URL(admin);
  u.pathname = `/${PG_DB}`;
  try {
    results.push(await benchBackend('PostgreSQL', u.toString(), liteDir, client));
  } finally {
    await adminClient.query(`DROP DATABASE IF EXISTS ${PG_DB}`);
    await adminClient.end();
  }
}
await client.close();

console.log(`\n${results[0].tiles} tiles (z8–z16 of ${LAYERS.join(', ')}), ${CONCURRENCY} requests in flight; latency in ms.\n`);
console.log('| backend | cold p50 | cold p95 | cold req/s | ST_AsMVT SQL req/s | cold / SQL | warm p50 | warm p95 | warm req/s | static req/s | warm / static |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  console.log(`| ${r.label} | ${fmt(r.cold.p50)} | ${fmt(r.cold.p95)} | ${fmt(r.cold.rps)} | ${r.sql ? fmt(r.sql.rps) : 'n/a (no ST_AsMVT)'} | ${r.sql ? (r.cold.rps / r.sql.rps).toFixed(2) : '–'} | ${fmt(r.warm.p50)} | ${fmt(r.warm.p95)} | ${fmt(r.warm.rps)} | ${fmt(r.stat.rps)} | ${(r.warm.rps / r.stat.rps).toFixed(2)} |`);
}
for (const r of results) {
  console.log(`\n${r.label}: tile bytes (uncompressed MVT, KB) per zoom — the list, and every source over the county (z0–z16)\n`);
  console.log('| zoom | list tiles | list max | list p95 | all-source tiles | all max | all p95 |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (let z = 0; z <= 16; z++) {
    const l = [...(r.listBytes.get(z) ?? [])].sort((a, b) => a - b);
    const a = [...(r.allBytes.get(z) ?? [])].sort((x, y) => x - y);
    console.log(`| ${z} | ${l.length || ''} | ${l.length ? kb(l[l.length - 1]) : ''} | ${l.length ? kb(percentile(l, 95)) : ''} | ${a.length} | ${kb(a[a.length - 1] ?? 0)} | ${kb(percentile(a, 95) || 0)} |`);
  }
  const over = [...r.allBytes.values()].flat().filter((b) => b > LIMIT_BYTES).length;
  console.log(`\nLargest tile: ${kb(r.worst.bytes)} KB (${r.worst.what}); tiles over 500 KB: ${over}.`);
}
