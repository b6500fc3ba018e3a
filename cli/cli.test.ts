import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeRun, newDataDir, runYitu } from './test-support.ts';

/** The commands and options each `--help` must list. */
const HELP: Array<{ args: string[]; lists: string[] }> = [
  { args: ['--help'], lists: ['serve', 'import', 'export', 'datasets', 'jobs', 'seed', 'migrate'] },
  { args: ['serve', '--help'], lists: ['--port', '--no-demo'] },
  {
    args: ['import', '--help'],
    lists: ['<file>', '--dataset', '--title', '--title-en', '--department', '--mode', 'create', 'append', 'replace', 'upsert', '--key', '--crs', '--coords', '--encoding', '--x', '--y', '--wkt', '--layer', '--theme', '--classification', '--types', '--skip-invalid', '--message', '--json'],
  },
  { args: ['export', '--help'], lists: ['<dataset>', '--format', 'geojson', 'csv', 'gpkg', 'shp', '--out', '--version'] },
  { args: ['datasets', '--help'], lists: ['--q', '--theme', '--json'] },
  { args: ['jobs', '--help'], lists: ['--limit', '--json'] },
  { args: ['seed', '--help'], lists: ['demo'] },
  { args: ['seed', 'demo', '--help'], lists: ['--scale', '--seed', '--replace'] },
  { args: ['migrate', '--help'], lists: ['migrate'] },
  { args: ['help', 'import'], lists: ['--mode', '--crs'] },
];

/** Wrong command lines: exit 2 with a message on stderr, and the database is never opened. */
const USAGE: Array<{ args: string[]; says: RegExp }> = [
  { args: ['bogus'], says: /unknown command 'bogus'/ },
  { args: ['datasets', '--bogus'], says: /unknown option '--bogus'/ },
  { args: ['import', 'a.geojson', '--mode', 'merge'], says: /'--mode <mode>' argument 'merge' is invalid.*create, append, replace, upsert/ },
  { args: ['import'], says: /missing required argument 'file'/ },
  { args: ['import', 'a.geojson', '--crs', 'abc'], says: /--crs/ },
  { args: ['import', 'a.geojson', '--types', '{bad'], says: /--types must be a JSON object/ },
  { args: ['import', 'a.geojson', '--types', '{"a":"blob"}'], says: /--types\.a/ },
  { args: ['import', 'a.geojson', '--dataset', 'Bad-Id'], says: /--dataset "Bad-Id"/ },
  { args: ['export', 'points', '--format', 'pdf'], says: /'--format <format>' argument 'pdf' is invalid/ },
  { args: ['seed', 'demo', '--scale', '0'], says: /--scale must be a whole number 1–100/ },
  { args: ['serve', '--port', 'abc'], says: /yitu serve: --port must be a whole number 0–65535; got "abc"/ },
  { args: ['jobs', '--limit', 'many'], says: /yitu jobs: --limit must be a whole number 1–1000/ },
  { args: ['export', 'points', '--version', 'latest'], says: /yitu export: --version must be a whole number ≥ 1/ },
];

describe('yitu: help and wrong command lines', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await newDataDir();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the help of the program and of each command, exit 0', async () => {
    const runs = await Promise.all(HELP.map((h) => runYitu(h.args, { dataDir: dir })));
    runs.forEach((r, i) => {
      expect(r.code, `${HELP[i].args.join(' ')}: ${describeRun(r)}`).toBe(0);
      expect(r.stdout).toMatch(/^Usage: yitu/);
      for (const word of HELP[i].lists) expect(r.stdout, `${HELP[i].args.join(' ')} lists ${word}`).toContain(word);
    });
  });

  it('refuses unknown commands, unknown options and bad values with exit 2 and a message, without opening the database', async () => {
    const runs = await Promise.all(USAGE.map((u) => runYitu(u.args, { dataDir: dir })));
    runs.forEach((r, i) => {
      expect(r.code, `${USAGE[i].args.join(' ')}: ${describeRun(r)}`).toBe(2);
      expect(r.stderr.replace(/\s+/g, ' '), USAGE[i].args.join(' ')).toMatch(USAGE[i].says);
      expect(r.stdout).toBe('');
    });
    expect(existsSync(path.join(dir, 'pg'))).toBe(false);
    expect(existsSync(path.join(dir, 'yitu.lock'))).toBe(false);
  });
});

const POINTS = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { name: '武康', code: 'A1', n: 1 }, geometry: { type: 'Point', coordinates: [119.97, 30.54] } },
    { type: 'Feature', properties: { name: '乾元', code: 'A2', n: 2 }, geometry: { type: 'Point', coordinates: [120.08, 30.53] } },
    { type: 'Feature', properties: { name: '新市', code: 'A3', n: 3 }, geometry: { type: 'Point', coordinates: [120.27, 30.63] } },
  ],
};
const SITES_CSV = 'name,lon,lat,count\n站点一,119.90,30.50,1\n站点二,120.00,30.60,2\n';
/** Cut inside its second feature: the reader must say where. */
const BROKEN = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[120,30]}},{"type":"Feature","prop';

describe('yitu import, datasets, export, jobs', () => {
  let dir: string;
  let files: string;
  const yitu = (...args: string[]) => runYitu(args, { dataDir: dir });

  beforeAll(async () => {
    dir = await newDataDir(inject('pgliteTemplate'));
    files = path.join(dir, 'files');
    await mkdir(files);
    await writeFile(path.join(files, 'points.geojson'), JSON.stringify(POINTS));
    await writeFile(path.join(files, 'sites.csv'), SITES_CSV);
    await writeFile(path.join(files, 'broken.geojson'), BROKEN);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a GeoJSON file and prints a summary line', async () => {
    const r = await yitu('import', path.join(files, 'points.geojson'));
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(/^Imported 3 features into "points" \(version 1, create\) in [\d.]+ s — added 3, removed 0, changed 0; .*source EPSG:4326/);
    expect(existsSync(path.join(dir, 'yitu.lock')), 'the lock is released').toBe(false);
  });

  it('imports a CSV file with --json and prints the import report', async () => {
    const r = await yitu('import', path.join(files, 'sites.csv'), '--dataset', 'sites', '--title', '站点', '--theme', 'management', '--json');
    expect(r.code, describeRun(r)).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ datasetId: 'sites', version: 1, mode: 'create', format: 'csv', imported: 2, skipped: 0, errors: [], geometryType: 'Point' });
    expect(report.columns.map((c: { title: string }) => c.title)).toEqual(expect.arrayContaining(['name', 'count']));
  });

  it('refuses a malformed file with exit 3, says where it is broken, and imports nothing', async () => {
    const r = await yitu('import', path.join(files, 'broken.geojson'));
    expect(r.code, describeRun(r)).toBe(3);
    expect(r.stderr).toContain('YITU_ERR_IMPORT_FILE_MALFORMED');
    expect(r.stderr).toMatch(/truncated/);
    expect(r.stderr).toMatch(/- row 2, offset \d+: /);
    expect(r.stdout).not.toMatch(/Imported/);
  });

  it('refuses to create a dataset that exists (exit 3) and keeps it as it was', async () => {
    const r = await yitu('import', path.join(files, 'points.geojson'));
    expect(r.code, describeRun(r)).toBe(3);
    expect(r.stderr).toMatch(/Dataset "points" already exists.*\[YITU_ERR_DATASET_EXISTS\]/);
  });

  it('lists the datasets as a table and as JSON', async () => {
    const t = await yitu('datasets');
    expect(t.code, describeRun(t)).toBe(0);
    const lines = t.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+title\s+theme\s+features\s+version\s+department$/);
    expect(lines.find((l) => l.startsWith('points '))).toMatch(/^points\s+points\s+current\s+3\s+1$/);
    expect(lines.find((l) => l.startsWith('sites '))).toMatch(/^sites\s+站点\s+management\s+2\s+1$/);
    expect(lines.at(-1)).toBe('2 datasets');

    const j = await yitu('datasets', '--json');
    expect(j.code, describeRun(j)).toBe(0);
    const items = JSON.parse(j.stdout) as Array<{ id: string; featureCount: number; currentVersion: number }>;
    expect(items.map((d) => [d.id, d.featureCount, d.currentVersion]).sort()).toEqual([
      ['points', 3, 1],
      ['sites', 2, 1],
    ]);
  });

  it('exports GeoJSON, CSV, GeoPackage and zipped Shapefile files that read back', async () => {
    // CSV without --out: <dataset>.csv in the current directory (the data directory here).
    const out = (ext: string) => (ext === 'csv' ? path.join(dir, 'points.csv') : path.join(files, `out.${ext}`));
    for (const format of ['geojson', 'csv', 'gpkg', 'shp']) {
      const r = await yitu('export', 'points', '--format', format, ...(format === 'csv' ? [] : ['--out', out(format)]));
      expect(r.code, `${format}: ${describeRun(r)}`).toBe(0);
      expect(r.stdout).toContain(`Exported 3 features of "points" to ${out(format)}`);
    }
    const gj = JSON.parse(await readFile(out('geojson'), 'utf8'));
    expect(gj.type).toBe('FeatureCollection');
    expect(gj.features).toHaveLength(3);
    expect(gj.features.map((f: { properties: { name: string } }) => f.properties.name).sort()).toEqual(['乾元', '新市', '武康']);
    expect(gj.features.find((f: { properties: { code: string } }) => f.properties.code === 'A1').geometry).toMatchObject({ type: 'Point', coordinates: [119.97, 30.54] });

    const csv = (await readFile(out('csv'), 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(csv).toHaveLength(4);
    expect(csv[0]).toMatch(/name/);
    expect(csv.join('\n')).toContain('武康');

    const gpkg = await readFile(out('gpkg'));
    expect(gpkg.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');

    const shp = await readFile(out('shp'));
    expect(shp.length).toBeGreaterThan(100);
    expect(shp.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    for (const part of ['.shp', '.shx', '.dbf', '.prj']) expect(shp.includes(Buffer.from(part)), `zip holds a ${part}`).toBe(true);
  });

  it('imports its own GeoPackage export again (round trip)', async () => {
    const r = await yitu('import', path.join(files, 'out.gpkg'), '--dataset', 'points_copy', '--json');
    expect(r.code, describeRun(r)).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ datasetId: 'points_copy', format: 'geopackage', imported: 3, geometryType: 'Point' });
  });

  it('refuses to export an unknown dataset (exit 3) and writes no file', async () => {
    const r = await yitu('export', 'nope', '--out', path.join(files, 'nope.geojson'));
    expect(r.code, describeRun(r)).toBe(3);
    expect(r.stderr).toMatch(/There is no dataset "nope".*\[YITU_ERR_DATASET_NOT_FOUND\]/);
    expect(existsSync(path.join(files, 'nope.geojson'))).toBe(false);
  });

  it('lists the jobs: the successful imports and the failed one', async () => {
    const t = await yitu('jobs');
    expect(t.code, describeRun(t)).toBe(0);
    const lines = t.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+kind\s+status\s+progress\s+created\s+message$/);
    expect(lines.filter((l) => /\bimport\s+successful\s+100%/.test(l))).toHaveLength(3);
    expect(lines.filter((l) => /\bimport\s+failed\b/.test(l))).toHaveLength(2);
    expect(t.stdout).toMatch(/truncated/);

    const j = await yitu('jobs', '--json', '--limit', '2');
    expect(j.code, describeRun(j)).toBe(0);
    const jobs = JSON.parse(j.stdout) as Array<{ kind: string; status: string; input: { datasetId: string }; error: { code: string } | null }>;
    expect(jobs.map((x) => [x.input.datasetId, x.status, x.error?.code ?? null])).toEqual([
      ['points_copy', 'successful', null],
      ['points', 'failed', 'YITU_ERR_DATASET_EXISTS'],
    ]);
    expect(jobs.map((x) => x.kind)).toEqual(['import', 'import']);
  });
});
