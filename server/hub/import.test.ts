import { afterAll, beforeAll, expect, it } from 'vitest';
import pino from 'pino';
import type { Feature } from 'geojson';
import { describeEachBackend, openTestDb, type TestDb } from '../test-support/databases.ts';
import { loadConfig } from '../platform/config.ts';
import { createServices, type Services } from '../services.ts';
import { memorySource } from './formats/memory-source.ts';
import type { ImportRequest } from './import-service.ts';

const pt = (x: number, y: number, props: Record<string, unknown>): Feature => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [x, y] }, properties: props });

const parcels = (): Feature[] => [
  pt(119.97, 30.54, { 编号: 'A001', name: '武康一号', area_mu: 12.5, floors: 3, approved: true, since: '2021-03-01' }),
  pt(119.98, 30.55, { 编号: 'A002', name: '武康二号', area_mu: 8, floors: 5, approved: false, since: '2022-07-15' }),
  pt(119.99, 30.56, { 编号: 'A003', name: '乾元', area_mu: 20.25, floors: null, approved: true, since: '2023-01-09' }),
];

describeEachBackend('hub imports, versions, diff and rollback', (kind) => {
  let t: TestDb;
  let s: Services;
  const run = (req: Omit<ImportRequest, 'source'>, features: Feature[]) =>
    s.hub.importAndWait({ ...req, source: memorySource(features) });

  beforeAll(async () => {
    t = await openTestDb(kind);
    s = createServices(loadConfig({}, {}).config, t.db, pino({ level: process.env.TEST_LOG ?? 'silent' }));
  });
  afterAll(async () => {
    await s?.jobs.shutdown();
    await t?.dispose();
  });

  it('creates a typed dataset with safe names, original titles and catalog extents', async () => {
    const r = await run({ datasetId: 'parcels', mode: 'create', metadata: { titleZh: '地块', theme: 'planning', department: undefined } }, parcels());
    expect(r.version).toBe(1);
    expect(r.imported).toBe(3);
    expect(r.columns).toEqual([
      { name: 'f1', title: '编号', type: 'text' },
      { name: 'name', title: 'name', type: 'text' },
      { name: 'area_mu', title: 'area_mu', type: 'number' },
      { name: 'floors', title: 'floors', type: 'integer' },
      { name: 'approved', title: 'approved', type: 'boolean' },
      { name: 'since', title: 'since', type: 'date' },
    ]);
    const ds = await s.hub.get('parcels');
    expect(ds.featureCount).toBe(3);
    expect(ds.title.zh).toBe('地块');
    expect(ds.bbox).toEqual([119.97, 30.54, 119.99, 30.56]);
    expect(ds.temporalColumn).toBe('since');
    expect(ds.temporal.start?.slice(0, 10)).toBe('2021-03-01');
    const row = await t.db.query<{ floors: number; since: string; approved: boolean }>('SELECT floors, since, approved FROM data.parcels WHERE name = $1', ['武康二号']);
    expect(row.rows[0]).toEqual({ floors: 5, since: '2022-07-15', approved: false });
  });

  it('refuses to create a dataset twice and to append to a missing one', async () => {
    await expect(run({ datasetId: 'parcels', mode: 'create' }, parcels())).rejects.toMatchObject({ code: 'YITU_ERR_DATASET_EXISTS' });
    await expect(run({ datasetId: 'nothing_here', mode: 'append' }, parcels())).rejects.toMatchObject({ code: 'YITU_ERR_DATASET_NOT_FOUND' });
  });

  it('upserts by key: unchanged features stay, changed ones get a new row under the same id', async () => {
    const next = parcels();
    next[1].properties!.floors = 6;
    next.push(pt(120.0, 30.57, { 编号: 'A004', name: '新市', area_mu: 3, floors: 1, approved: true, since: '2024-05-05' }));
    const r = await run({ datasetId: 'parcels', mode: 'upsert', key: '编号' }, next);
    expect(r).toMatchObject({ version: 2, added: 1, changed: 1, unchanged: 2, removed: 0 });
    const ds = await s.hub.get('parcels');
    expect(ds.currentVersion).toBe(2);
    expect(ds.featureCount).toBe(4);
    expect(ds.keyColumn).toBe('f1');
    const diff = await s.hub.diff('parcels', 1, 2, {});
    expect(diff).toMatchObject({ added: 1, removed: 0, changed: 1 });
    const changed = diff.changes.find((c) => c.change === 'changed')!;
    expect(changed.properties).toEqual({ floors: { from: 5, to: 6 } });
    expect(changed.geometryChanged).toBe(false);
  });

  it('replaces with a key: missing features are removed, ids kept for the rest', async () => {
    const next = parcels().slice(0, 2);
    const r = await run({ datasetId: 'parcels', mode: 'replace' }, next);
    // floors of A002 goes back from 6 to 5; A003 and A004 are gone
    expect(r).toMatchObject({ version: 3, added: 0, changed: 1, removed: 2, unchanged: 1 });
    expect((await s.hub.get('parcels')).featureCount).toBe(2);
  });

  it('appends, adding new columns, and types values against existing columns', async () => {
    const r = await run({ datasetId: 'parcels', mode: 'append' }, [pt(120.01, 30.58, { 编号: 'B001', name: '钟管', floors: '7', owner: '集体' })]);
    expect(r).toMatchObject({ version: 4, added: 1, newColumns: ['owner'] });
    const row = await t.db.query<{ floors: number; owner: string }>(`SELECT floors, owner FROM data.parcels WHERE f1 = 'B001'`);
    expect(row.rows[0]).toEqual({ floors: 7, owner: '集体' });
  });

  it('fails bad rows with their location and writes nothing; skips them when asked', async () => {
    const bad = [pt(120.01, 30.58, { 编号: 'C001', floors: 'three' }), pt(500, 30, { 编号: 'C002' })];
    const err = await run({ datasetId: 'parcels', mode: 'append' }, bad).catch((e) => e);
    expect(err.code).toBe('YITU_ERR_IMPORT_ROWS_INVALID');
    expect(err.errors).toEqual([
      { row: 1, field: 'floors', reason: '"three" is not an integer, but the column is integer' },
      expect.objectContaining({ row: 2, field: 'geometry', reason: expect.stringContaining('outside longitude') }),
    ]);
    expect((await s.hub.get('parcels')).currentVersion).toBe(4);
    const ok = await run({ datasetId: 'parcels', mode: 'append', skipInvalid: true }, [...bad, pt(120.02, 30.59, { 编号: 'C003', floors: 2 })]);
    expect(ok).toMatchObject({ version: 5, imported: 1, skipped: 2 });
    const staging = await t.db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'staging'`);
    expect(staging.rows).toEqual([]);
  });

  it('checks the structure of in-memory features like a file reader does', async () => {
    const broken = { type: 'Feature', properties: { n: 1 }, geometry: { type: 'Point', coordinates: ['a', 30] } } as unknown as Feature;
    const err = await run({ datasetId: 'broken_memory', mode: 'create' }, [broken]).catch((e) => e);
    expect(err.code).toBe('YITU_ERR_IMPORT_ROWS_INVALID');
    expect(err.errors[0]).toMatchObject({ row: 1, field: 'geometry' });
  });

  it('repairs invalid geometries and counts them', async () => {
    const bowtie: Feature = { type: 'Feature', properties: { n: 1 }, geometry: { type: 'Polygon', coordinates: [[[120, 30], [120.01, 30.01], [120.01, 30], [120, 30.01], [120, 30]]] } };
    const r = await run({ datasetId: 'shapes', mode: 'create' }, [bowtie]);
    expect(r.repaired).toBe(1);
    const v = await t.db.query<{ ok: boolean }>('SELECT ST_IsValid(geom) AS ok FROM data.shapes');
    expect(v.rows[0].ok).toBe(true);
  });

  it('transforms from the source CRS and removes GCJ-02 offsets', async () => {
    const r = await run({ datasetId: 'gk', mode: 'create', crs: 4549 }, [pt(500000, 3375541.73, { n: 1 })]);
    expect(r.sourceCrs).toBe(4549);
    const g = await t.db.query<{ x: number; y: number }>('SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM data.gk');
    expect(g.rows[0].x).toBeCloseTo(120, 6);
    expect(g.rows[0].y).toBeCloseTo(30.5, 6);
    await run({ datasetId: 'gcj', mode: 'create', coords: 'gcj02' }, [pt(119.97, 30.54, { n: 1 })]);
    const c = await t.db.query<{ d: number }>(`SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(119.97, 30.54), 4326)::geography) AS d FROM data.gcj`);
    expect(c.rows[0].d).toBeGreaterThan(300);
    expect(c.rows[0].d).toBeLessThan(700);
    await expect(run({ datasetId: 'nocrs', mode: 'create', crs: 999999 }, parcels())).rejects.toMatchObject({ code: 'YITU_ERR_CRS_UNKNOWN' });
  });

  it('rolls back to an earlier version as a new version, and lists versions', async () => {
    const before = await s.hub.get('parcels');
    const ds = await s.hub.rollback('parcels', 2);
    expect(ds.currentVersion).toBe(before.currentVersion + 1);
    expect(ds.featureCount).toBe(4);
    const diff = await s.hub.diff('parcels', 2, ds.currentVersion, {});
    expect(diff).toMatchObject({ added: 0, removed: 0, changed: 0 });
    const versions = await s.hub.versions('parcels');
    expect(versions.map((v) => v.mode)).toEqual(['rollback', 'append', 'append', 'replace', 'upsert', 'create']);
    expect(versions.map((v) => v.featureCount)).toEqual([4, 4, 3, 2, 4, 3]);
    await expect(s.hub.rollback('parcels', 99)).rejects.toMatchObject({ code: 'YITU_ERR_VERSION_NOT_FOUND' });
  });

  it('an upsert with duplicate keys fails and leaves the dataset as it was', async () => {
    const dup = [pt(120, 30.5, { 编号: 'D1' }), pt(120, 30.5, { 编号: 'D1' })];
    await expect(run({ datasetId: 'parcels', mode: 'upsert', key: '编号' }, dup)).rejects.toMatchObject({ code: 'YITU_ERR_IMPORT_KEY_INVALID' });
    const v = await s.hub.versions('parcels');
    expect(v[0].mode).toBe('rollback');
  });

  it('a cancelled import rolls back and leaves no trace', async () => {
    function* many() {
      for (let i = 0; i < 200_000; i++) yield pt(120 + (i % 100) / 1000, 30.5, { i });
    }
    const job = await s.hub.submitImport({ datasetId: 'cancelled', mode: 'create', source: memorySource(many(), { estimatedCount: 200_000 }) });
    await new Promise((r) => setTimeout(r, 300));
    const done = await s.jobs.cancel(job.id);
    expect(done.status).toBe('dismissed');
    await expect(s.hub.get('cancelled')).rejects.toMatchObject({ code: 'YITU_ERR_DATASET_NOT_FOUND' });
    const staging = await t.db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'staging'`);
    expect(staging.rows).toEqual([]);
  });
});
