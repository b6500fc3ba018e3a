// Benchmark: import 1,000,000 points (GeoJSON and CSV) on each backend, against COPY through psql.
// Usage: npx tsx bench/import-points.ts [rows] ; PostgreSQL via BENCH_DATABASE_URL (default: the test server).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { run, writePointFiles } from './lib.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres:yitu@127.0.0.1:5432/yitu_bench';
const dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-bench-points-'));
const files = await writePointFiles(rows, path.join(dir, 'points'));
console.log(`# import of ${rows.toLocaleString('en')} points (${new Date().toISOString()}, ${os.cpus().length} cores)`);

async function yituImport(file: string, env: NodeJS.ProcessEnv) {
  const out = await run(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'import-child.ts'), file, 'bench_points'], env);
  const r = JSON.parse(out.trim().split('\n').pop()!) as { rows: number; seconds: number; maxRssMb: number; load: string; timings: Record<string, number> };
  const t = r.timings;
  console.log(`${env.DATABASE_URL ? 'PostgreSQL' : 'embedded'} ${path.extname(file)}: ${r.seconds.toFixed(1)} s (${r.load}; read ${(t.readMs / 1000).toFixed(1)} s, type ${(t.typeMs / 1000).toFixed(1)} s, index and commit ${(t.commitMs / 1000).toFixed(1)} s)`);
  return r;
}

async function copyReference(): Promise<number> {
  const admin = pgUrl.replace(/\/[^/]*$/, '/postgres');
  const db = new URL(pgUrl).pathname.slice(1);
  await run('psql', [admin, '-qc', `DROP DATABASE IF EXISTS ${db}`]);
  await run('psql', [admin, '-qc', `CREATE DATABASE ${db}`]);
  await run('psql', [pgUrl, '-qc', 'CREATE EXTENSION IF NOT EXISTS postgis; CREATE TABLE ref (geom geometry(Point,4326), id bigint, name text, category text, value double precision)']);
  const t0 = performance.now();
  await run('psql', [pgUrl, '-qc', `\\copy ref FROM '${files.copy}'`]);
  await run('psql', [pgUrl, '-qc', 'CREATE INDEX ON ref USING gist (geom)']);
  return (performance.now() - t0) / 1000;
}

const results: string[] = [];
const line = (backend: string, format: string, r: { rows: number; seconds: number; maxRssMb: number }, ref?: number) =>
  results.push(
    `| ${backend} | ${format} | ${r.seconds.toFixed(1)} | ${Math.round(r.rows / r.seconds).toLocaleString('en')} | ${Math.round(r.maxRssMb)} | ${ref ? `${(r.seconds / ref).toFixed(2)}×` : '–'} |`,
  );

let ref: number | undefined;
try {
  ref = await copyReference();
  console.log(`COPY through psql (+ GiST index): ${ref.toFixed(1)} s`);
} catch (e) {
  console.log(`PostgreSQL reference skipped: ${(e as Error).message.split('\n')[0]}`);
}
for (const [format, file] of [['GeoJSON', files.geojson], ['CSV', files.csv]] as const) {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  line('embedded (PGlite)', format, await yituImport(file, env), ref);
  if (ref) line('PostgreSQL 15', format, await yituImport(file, { ...process.env, DATABASE_URL: pgUrl }), ref);
}
console.log('\n| backend | format | seconds | rows/s | peak RSS MB | vs COPY |\n|---|---|---|---|---|---|');
console.log(results.join('\n'));
await rm(dir, { recursive: true, force: true });
