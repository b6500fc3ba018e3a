import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Deterministic PRNG (mulberry32) so that every run imports the same rows. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATEGORIES = ['学校', '医院', '公交站', '农贸市场', '公园', '养老院', '企业', '监测点'];

/** One synthetic point row over Deqing County's bbox: lon, lat, id, name, category, value. */
export function* pointRows(n: number, seed = 42): Generator<[number, number, number, string, string, number]> {
  const r = prng(seed);
  for (let i = 1; i <= n; i++) {
    const lon = 119.74 + r() * 0.5;
    const lat = 30.42 + r() * 0.3;
    yield [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6, i, `点位${i}`, CATEGORIES[i % CATEGORIES.length], Math.round(r() * 100000) / 100];
  }
}

/** Writes the rows as a GeoJSON FeatureCollection, a CSV and a PostgreSQL COPY text file. */
export async function writePointFiles(n: number, base: string): Promise<{ geojson: string; csv: string; copy: string }> {
  const files = { geojson: `${base}.geojson`, csv: `${base}.csv`, copy: `${base}.tsv` };
  const gj = createWriteStream(files.geojson);
  const csv = createWriteStream(files.csv);
  const cp = createWriteStream(files.copy);
  const write = async (s: NodeJS.WritableStream, text: string) => {
    if (!s.write(text)) await once(s, 'drain');
  };
  await write(gj, '{"type":"FeatureCollection","features":[\n');
  await write(csv, 'lon,lat,id,name,category,value\n');
  let first = true;
  for (const [lon, lat, id, name, cat, v] of pointRows(n)) {
    await write(gj, `${first ? '' : ',\n'}{"type":"Feature","geometry":{"type":"Point","coordinates":[${lon},${lat}]},"properties":{"id":${id},"name":"${name}","category":"${cat}","value":${v}}}`);
    await write(csv, `${lon},${lat},${id},${name},${cat},${v}\n`);
    await write(cp, `SRID=4326;POINT(${lon} ${lat})\t${id}\t${name}\t${cat}\t${v}\n`);
    first = false;
  }
  await write(gj, '\n]}\n');
  for (const s of [gj, csv, cp]) {
    s.end();
    await once(s, 'finish');
  }
  return files;
}

/** Runs a command; resolves with its stdout, rejects with its stderr. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`))));
  });
}

/** Percentile of sorted numbers. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The rows of {@link pointRows} as GeoJSON point features (for an in-memory import source). */
export function* pointFeatures(n: number, seed = 42): Generator<{ geometry: { type: 'Point'; coordinates: [number, number] }; properties: Record<string, unknown> }> {
  for (const [lon, lat, id, name, category, value] of pointRows(n, seed)) {
    yield { geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { id, name, category, value } };
  }
}
