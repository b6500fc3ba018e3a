import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPglite } from '../server/platform/db-pglite.ts';
import { type ServeProcess, YITU_BIN, describeRun, newDataDir, runYitu, startServe, within, yituEnv } from './test-support.ts';

interface JobJson {
  id: string;
  status: string;
  progress: number;
  message: string | null;
  error: { code?: string; detail?: string } | null;
  input: { datasetId?: string };
}

const SMALL = JSON.stringify({
  type: 'FeatureCollection',
  features: [1, 2, 3, 4, 5].map((i) => ({ type: 'Feature', properties: { i, name: `点${i}` }, geometry: { type: 'Point', coordinates: [119.9 + i / 100, 30.5 + i / 100] } })),
});

/** Writes a GeoJSON file of `n` points (streamed; ~30 MB for 300,000). */
async function writeBigGeoJson(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('{"type":"FeatureCollection","features":[\n');
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const lon = (119.7 + ((i * 7919) % 100_000) / 250_000).toFixed(6);
    const lat = (30.4 + ((i * 104_729) % 100_000) / 300_000).toFixed(6);
    chunk += `${i ? ',' : ''}{"type":"Feature","properties":{"i":${i},"kind":"k${i % 17}","v":${(i % 1000) / 10}},"geometry":{"type":"Point","coordinates":[${lon},${lat}]}}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.write(`${chunk}]}\n`);
  out.end();
  await once(out, 'finish');
}

/** An administrator's API token (made with the CLI before the server starts): imports and jobs need a signed-in user. */
const auth: Record<string, string> = {};

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: auth });
  expect(res.status, `GET ${url}`).toBe(200);
  return (await res.json()) as T;
}

async function postImport(base: string, id: string, fileName: string, body: Buffer | string, query = ''): Promise<JobJson> {
  const res = await fetch(`${base}/datasets/${id}/imports?filename=${fileName}${query}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...auth }, body });
  const text = await res.text();
  expect(res.status, `POST import ${id}: ${text}`).toBe(202);
  return JSON.parse(text) as JobJson;
}

/** Polls a job until `done` says so. */
async function pollJob(base: string, id: string, done: (j: JobJson) => boolean, timeoutMs: number): Promise<JobJson> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const j = await getJson<JobJson>(`${base}/jobs/${id}`);
    if (done(j)) return j;
    if (Date.now() > end) throw new Error(`job ${id} is still ${j.status} at ${j.progress}% (${j.message})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('yitu serve and import: the data directory lock, graceful shutdown and crash recovery', () => {
  let dir: string;
  let serve: ServeProcess | undefined;
  let smallJob: JobJson;
  const bigJobs: JobJson[] = [];
  let bigFile: string;

  beforeAll(async () => {
    dir = await newDataDir(inject('pgliteTemplate'));
    const add = await runYitu(['users', 'add', 'ops', '--role', 'administrator'], { dataDir: dir });
    expect(add.code, describeRun(add)).toBe(0);
    const token = await runYitu(['tokens', 'create', '--user', 'ops', '--name', 'serve test'], { dataDir: dir });
    expect(token.code, describeRun(token)).toBe(0);
    auth.authorization = `Bearer ${token.stdout.trim()}`;
    bigFile = path.join(dir, 'big.geojson');
    await writeBigGeoJson(bigFile, 300_000);
  });
  afterAll(async () => {
    if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill('SIGKILL');
      await serve.exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('serves, and imports a small dataset over HTTP', async () => {
    serve = await startServe(dir);
    expect(serve.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(serve.url).not.toMatch(/:0$/);
    expect(serve.stdout()).toMatch(/Yitu is running at http:\/\/localhost:\d+ {2}\(collections: http:\/\/localhost:\d+\/collections, database: pglite\)/);
    smallJob = await postImport(serve.url, 'small', 'a.geojson', SMALL);
    const done = await pollJob(serve.url, smallJob.id, (j) => j.status !== 'accepted' && j.status !== 'running', 30_000);
    expect(done.status, JSON.stringify(done)).toBe('successful');
    const ds = await getJson<{ featureCount: number }>(`${serve.url}/datasets/small`);
    expect(ds.featureCount).toBe(5);
  });

  it('another yitu on the same data directory exits 4 and names the serving process', async () => {
    const r = await runYitu(['datasets'], { dataDir: dir });
    expect(r.code, describeRun(r)).toBe(4);
    expect(r.stderr).toContain(`Another Yitu process (pid ${serve!.child.pid}) is using the embedded database in ${dir}`);
    expect(r.stderr).toContain('[YITU_ERR_DB_UNAVAILABLE]');
    expect(r.stdout).toBe('');
    expect(await readFile(path.join(dir, 'yitu.lock'), 'utf8'), 'the lock stays the server’s').toBe(String(serve!.child.pid));
  });

  /** What the shutdown itself left, read before any yitu (whose start cleans up after crashes) opens the directory again. */
  async function expectRolledBack(jobId?: string): Promise<string> {
    const db = await openPglite({ dataDir: path.join(dir, 'pg') });
    try {
      jobId ??= (await db.query<{ id: string }>(`SELECT id FROM yitu.jobs WHERE input->>'datasetId' = 'big' ORDER BY created_at DESC LIMIT 1`)).rows[0]?.id;
      expect(jobId, 'the import left a job').toBeDefined();
      const staging = await db.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'staging'`);
      expect(staging.rows, 'no staging tables remain').toEqual([]);
      const big = await db.query<{ t: string | null }>(`SELECT to_regclass('data.big')::text AS t`);
      expect(big.rows[0].t, 'the big dataset has no table').toBeNull();
      const catalog = await db.query<{ id: string }>(`SELECT id FROM yitu.datasets ORDER BY id`);
      expect(catalog.rows.map((r) => r.id)).toEqual(['small']);
      const small = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM data.small`);
      expect(small.rows[0].n).toBe(5);
      const job = await db.query<{ status: string; error: { code: string } | null }>(`SELECT status, error FROM yitu.jobs WHERE id = $1`, [jobId]);
      expect(job.rows[0].status, 'the interrupted job was closed by the shutdown, not by a later recovery').toBe('dismissed');
      expect(job.rows[0].error?.code).toBe('YITU_ERR_IMPORT_CANCELLED');
      return jobId!;
    } finally {
      await db.close();
    }
  }

  /** Posts the big file, sends SIGTERM once `when` holds for its job, and checks the server ends well. */
  async function interruptImport(phase: string, when: (j: JobJson) => boolean, query = ''): Promise<JobJson> {
    const s = serve!;
    const job = await postImport(s.url, 'big', 'big.geojson', await readFile(bigFile), query);
    const seen = await pollJob(s.url, job.id, (j) => when(j) || (j.status !== 'accepted' && j.status !== 'running'), 60_000);
    expect(seen.status, `the import is still running when the signal comes (${phase})`).toBe('running');
    expect(seen.progress).toBeGreaterThan(0);
    expect(seen.progress).toBeLessThan(100);

    const t0 = Date.now();
    s.child.kill('SIGTERM');
    const exit = await within(s.exited, 30_000, 'yitu serve ends after SIGTERM');
    const stopMs = Date.now() - t0;
    expect(exit, `stdout: ${s.stdout()}\nstderr: ${s.stderr()}`).toEqual({ code: 0, signal: null });
    expect(s.stderr()).not.toMatch(/error|unhandled/i);
    expect(s.stdout(), 'the server logged no error').not.toMatch(/"level":(50|60)/);
    expect(existsSync(path.join(dir, 'yitu.lock')), 'the lock is released').toBe(false);
    expect(await readdir(path.join(dir, 'uploads')), 'the upload is removed').toEqual([]);
    console.log(`[cli/serve] SIGTERM at ${seen.progress}% (${seen.message}) of the 300,000-point import; the server stopped in ${stopMs} ms`);
    await expectRolledBack(job.id);
    return job;
  }

  it('a SIGTERM while the file is being read rolls that import back, exits 0 and loses nothing committed', async () => {
    bigJobs.push(await interruptImport('reading', (j) => j.status === 'running' && j.progress >= 20));
  });

  it('restarted, it serves the committed data; a SIGTERM while the rows are typed rolls back too', async () => {
    // This time the port comes from --port (0: any free port), which wins over PORT.
    serve = await startServe(dir, { args: ['--port', '0'], env: { PORT: 'not-a-port' } });
    expect(serve.stdout() + serve.stderr(), 'nothing was left to clean up').not.toMatch(/interrupted previous run/);
    expect((await getJson<{ featureCount: number }>(`${serve.url}/datasets/small`)).featureCount).toBe(5);
    expect((await fetch(`${serve.url}/datasets/big`)).status).toBe(404);
    // An EPSG:4326 file goes by COPY straight into its typed table, whose last phase (indexes) can be
    // over before the signal lands; CGCS2000 (EPSG:4490, same coordinates) takes the staged path,
    // whose typing phase is the long one this interrupts.
    bigJobs.push(await interruptImport('typing', (j) => j.status === 'running' && j.progress >= 67, '&crs=4490'));
  });

  it('after the shutdowns, yitu sees the small dataset intact, no big one, and both big jobs dismissed, with nothing to clean up', async () => {
    const d = await runYitu(['datasets', '--json'], { dataDir: dir });
    expect(d.code, describeRun(d)).toBe(0);
    expect(d.stderr, 'nothing was left to clean up').not.toMatch(/interrupted previous run/);
    const items = JSON.parse(d.stdout) as Array<{ id: string; featureCount: number; currentVersion: number }>;
    expect(items.map((x) => [x.id, x.featureCount, x.currentVersion])).toEqual([['small', 5, 1]]);

    const j = await runYitu(['jobs', '--json'], { dataDir: dir });
    expect(j.code, describeRun(j)).toBe(0);
    const jobs = JSON.parse(j.stdout) as JobJson[];
    const byId = new Map(jobs.map((x) => [x.id, x]));
    expect(byId.get(smallJob.id)?.status).toBe('successful');
    expect(bigJobs).toHaveLength(2);
    for (const big of bigJobs) {
      expect(byId.get(big.id)).toMatchObject({ status: 'dismissed', error: { code: 'YITU_ERR_IMPORT_CANCELLED' } });
      expect(byId.get(big.id)?.error?.detail).toMatch(/shut down/);
    }
  });

  it('a SIGTERM in the middle of `yitu import` rolls it back and exits 130', async () => {
    const child = spawn(process.execPath, [YITU_BIN, 'import', bigFile, '--dataset', 'big'], { env: yituEnv(dir), cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    await within(
      new Promise<void>((resolve) =>
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
          if (/importing big [2-6]\d%/.test(stderr)) resolve();
        }),
      ),
      60_000,
      'yitu import reports 20 % read',
    ).catch((e: Error) => {
      child.kill('SIGKILL');
      throw new Error(`${e.message}\nstdout: ${stdout}\nstderr: ${stderr}`);
    });
    child.kill('SIGTERM');
    const exit = await within(exited, 30_000, 'yitu import ends after SIGTERM');
    expect(exit, `stdout: ${stdout}\nstderr: ${stderr}`).toEqual({ code: 130, signal: null });
    expect(stderr).toContain('yitu: interrupted; rolling back');
    expect(stdout).not.toMatch(/Imported/);
    expect(existsSync(path.join(dir, 'yitu.lock')), 'the lock is released').toBe(false);
    await expectRolledBack();
  });

  it('after a crash (SIGKILL) mid-import, the next yitu takes over the stale lock, fails the job, drops its staging tables and loses nothing committed', async () => {
    const s = await startServe(dir);
    serve = s;
    const job = await postImport(s.url, 'big', 'big.geojson', await readFile(bigFile));
    const seen = await pollJob(s.url, job.id, (j) => (j.status === 'running' && j.progress >= 20) || (j.status !== 'accepted' && j.status !== 'running'), 60_000);
    expect(seen.status).toBe('running');
    s.child.kill('SIGKILL');
    expect(await within(s.exited, 10_000, 'yitu serve ends after SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await readFile(path.join(dir, 'yitu.lock'), 'utf8'), 'a dead process’s lock is left').toBe(String(s.child.pid));

    const j = await runYitu(['jobs', '--json'], { dataDir: dir });
    expect(j.code, describeRun(j)).toBe(0);
    // The clean-up is logged on stderr (stdout stays the JSON asked for).
    const cleanup = j.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; interrupted?: number; staging?: number })
      .find((l) => l.msg === 'cleaned up after an interrupted previous run');
    expect(cleanup, describeRun(j)).toMatchObject({ interrupted: 1 });
    expect(cleanup!.staging, 'the crashed import had staging tables to drop').toBeGreaterThanOrEqual(1);
    const jobs = JSON.parse(j.stdout) as JobJson[];
    const crashed = jobs.find((x) => x.id === job.id);
    expect(crashed?.status).toBe('failed');
    expect(crashed?.error?.detail).toMatch(/stopped while this job ran/);
    expect(existsSync(path.join(dir, 'yitu.lock')), 'the taken-over lock is released').toBe(false);
    expect(existsSync(path.join(dir, 'uploads')), 'the crashed import’s upload is removed').toBe(false);

    const d = await runYitu(['datasets', '--json'], { dataDir: dir });
    expect(d.code, describeRun(d)).toBe(0);
    expect(d.stderr, 'the first start after the crash cleaned everything').not.toMatch(/interrupted previous run/);
    expect((JSON.parse(d.stdout) as Array<{ id: string; featureCount: number }>).map((x) => [x.id, x.featureCount])).toEqual([['small', 5]]);
  });
});
