import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import pino from 'pino';
import type { Feature, Geometry } from 'geojson';
import { describeEachBackend, openTestDb, type TestDb } from '../test-support/databases.ts';
import { JobService } from '../jobs/service.ts';
import { HubService } from './service.ts';
import { memorySource } from './formats/memory-source.ts';
import { openSource } from './formats/open-source.ts';
import { DirectMisfit, SAMPLE_ROWS } from './import-direct.ts';
import { loadDirect } from './import-direct-load.ts';
import type { ImportReport, ImportRequest } from './import-service.ts';

const feature = (geometry: Geometry | null, properties: Record<string, unknown>): Feature => ({ type: 'Feature', geometry, properties }) as Feature;
const pt = (x: number, y: number, properties: Record<string, unknown>) => feature({ type: 'Point', coordinates: [x, y] }, properties);
const bowtie: Geometry = { type: 'Polygon', coordinates: [[[120, 30.5], [120.1, 30.6], [120.1, 30.5], [120, 30.6], [120, 30.5]]] };

/** Values that exercise every column type, escaping and the inference rules. */
const mixed = (): Feature[] => [
  pt(119.97, 30.54, { 编号: '00123', name: 'tab\there, new\nline, back\\slash', area: 12.5, floors: 3, ok: true, since: '2021-03-01', at: '2021-03-01T08:00:00Z', meta: { a: 1, b: [1, 2] }, mix: 1, code: '456', blank: '' }),
  pt(119.98, 30.55, { 编号: 'A002', name: '武康二号', area: '8.50', floors: '5', ok: 'TRUE', since: '2022-07-15', at: '2022-07-15 10:30', meta: { c: null }, mix: 'abc', code: 789, blank: null }),
  feature({ type: 'Point', coordinates: [119.99, 30.56, 12.5] }, { 编号: 'A003', name: null, area: 1e-7, floors: -0, ok: 'false', since: null, at: '2023-01-09', meta: null, mix: true, code: null }),
  feature(bowtie, { 编号: 'A004', name: '蝴蝶', area: 3, floors: 1, ok: false, since: '2020-02-29', at: null, meta: { d: 'x' }, mix: 2.5, code: '0012' }),
  feature({ type: 'MultiPolygon', coordinates: [[[[120, 30], [120.1, 30], [120.1, 30.1], [120, 30]]]] }, { 编号: 'A005', name: 'multi', area: null, floors: 2, ok: null, since: '2024-12-31', at: null, meta: { e: true } }),
  feature(null, { 编号: 'A006', name: 'no geometry', area: 7, floors: 9, ok: true, since: null, at: null, meta: null, mix: null }),
];

/** More rows than the sample: `v` widens to number, `late` first appears after the sample, `sparse` is empty in it. */
const long = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})): Feature[] =>
  Array.from({ length: n }, (_, k) => {
    const i = k + 1;
    const props: Record<string, unknown> = { id: i, v: i > SAMPLE_ROWS ? i + 0.5 : i, d: i > SAMPLE_ROWS + 5 ? `2024-01-0${(i % 9) + 1} 12:00` : '2024-01-01', sparse: i > SAMPLE_ROWS + 3 ? String(i) : null, ...extra(i) };
    if (i > SAMPLE_ROWS + 10) props.late = i % 7;
    return pt(119.7 + (i % 1000) / 2000, 30.4 + (i % 997) / 3000, props);
  });

describeEachBackend('direct import (COPY into the typed table)', (kind) => {
  let t: TestDb;
  let hub: HubService;
  let jobs: JobService;
  let dir: string;
  let n = 0;

  beforeAll(async () => {
    t = await openTestDb(kind);
    const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
    jobs = new JobService(t.db, log);
    hub = new HubService(t.db, jobs, log);
    dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-direct-'));
  });
  afterAll(async () => {
    await jobs?.shutdown();
    await t?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const writeGeoJson = async (features: Feature[]) => {
    const file = path.join(dir, `f${++n}.geojson`);
    await writeFile(file, JSON.stringify({ type: 'FeatureCollection', features }));
    return file;
  };
  const fromFile = async (req: Omit<ImportRequest, 'file' | 'source'>, features: Feature[]) => {
    const file = await writeGeoJson(features);
    return hub.importAndWait({ ...req, file, originalName: path.basename(file) });
  };
  const fromMemory = (req: Omit<ImportRequest, 'file' | 'source'>, features: Feature[]) => hub.importAndWait({ ...req, source: memorySource(features) });
  /** Every stored value of a table, in row order. */
  const rows = async (table: string) =>
    (
      await t.db.query<{ r: unknown }>(
        `SELECT to_jsonb(x) - '_same' || jsonb_build_object('geom', encode(ST_AsEWKB(geom), 'hex')) AS r FROM ${table} x ORDER BY _rid`,
      )
    ).rows.map((r) => r.r);
  const same = (a: ImportReport, b: ImportReport) => {
    for (const k of ['columns', 'imported', 'repaired', 'nullGeometries', 'geometryType', 'added', 'removed', 'changed', 'unchanged'] as const) expect(a[k], k).toEqual(b[k]);
  };

  it('stores what the staged path stores: types, escapes, JSON, repaired and 3D geometries', async () => {
    const a = await fromFile({ datasetId: 'mixed_direct', mode: 'create' }, mixed());
    const b = await fromMemory({ datasetId: 'mixed_staged', mode: 'create' }, mixed());
    expect(a.load).toBe('direct');
    expect(b.load).toBe('staged');
    same(a, b);
    expect(a.repaired).toBe(1);
    expect(a.columns.map((c) => `${c.title}:${c.type}`)).toEqual([
      '编号:text', 'name:text', 'area:number', 'floors:integer', 'ok:boolean', 'since:date', 'at:timestamp', 'meta:json', 'mix:text', 'code:text', 'blank:text',
    ]);
    expect(await rows('data.mixed_direct')).toEqual(await rows('data.mixed_staged'));
    const name = await t.db.query<{ name: string }>('SELECT name FROM data.mixed_direct WHERE _rid = 1');
    expect(name.rows[0].name).toBe('tab\there, new\nline, back\\slash');
    // Identities continue after the loaded rows.
    await t.db.exec(`INSERT INTO data.mixed_direct (_vfrom) VALUES (2)`);
    const last = await t.db.query<{ _rid: number; _fid: number }>('SELECT _rid, _fid FROM data.mixed_direct ORDER BY _rid DESC LIMIT 1');
    expect(last.rows[0]).toEqual({ _rid: 7, _fid: 7 });
  });

  it('follows the file past the sample: widens in place, casts late and sparse columns', async () => {
    const features = long(SAMPLE_ROWS + 50);
    const a = await fromFile({ datasetId: 'long_direct', mode: 'create' }, features);
    const b = await fromMemory({ datasetId: 'long_staged', mode: 'create' }, features);
    expect(a.load).toBe('direct');
    same(a, b);
    expect(a.columns.map((c) => `${c.title}:${c.type}`)).toEqual(['id:integer', 'v:number', 'd:timestamp', 'sparse:integer', 'late:integer']);
    expect(await rows('data.long_direct')).toEqual(await rows('data.long_staged'));
  });

  it('reads the file again through staging when a sampled type does not hold', async () => {
    const features = long(SAMPLE_ROWS + 20, (i) => ({ code: i > SAMPLE_ROWS + 1 ? `c${i}` : i, note: i === SAMPLE_ROWS + 2 ? { x: 1 } : null }));
    const a = await fromFile({ datasetId: 'misfit_direct', mode: 'create' }, features);
    const b = await fromMemory({ datasetId: 'misfit_staged', mode: 'create' }, features);
    expect(a.load).toBe('staged');
    same(a, b);
    expect(a.columns.find((c) => c.title === 'code')?.type).toBe('text');
    expect(await rows('data.misfit_direct')).toEqual(await rows('data.misfit_staged'));
  });

  it('appends and upserts into an existing dataset as the staged path does, coercing to its types', async () => {
    for (const id of ['app_direct', 'app_staged']) await fromMemory({ datasetId: id, mode: 'create', key: 'id' }, [pt(120, 30.5, { id: 1, n: 1.5, s: 'a' })]);
    const more = [pt(120.1, 30.5, { id: '2', n: '2', s: 5, extra: '2024-05-01' }), pt(120.2, 30.5, { id: 3, n: null, s: 'c', extra: null })];
    const a = await fromFile({ datasetId: 'app_direct', mode: 'append' }, more);
    const b = await fromMemory({ datasetId: 'app_staged', mode: 'append' }, more);
    expect(a.load).toBe('direct');
    same(a, b);
    expect(a.newColumns).toEqual(['extra']);
    const upd = [pt(120.1, 30.5, { id: 2, n: 2, s: '5', extra: '2024-05-01' }), pt(120.3, 30.5, { id: 4, n: 4, s: 'd', extra: '2024-06-01' })];
    const c = await fromFile({ datasetId: 'app_direct', mode: 'upsert', key: 'id' }, upd);
    const d = await fromMemory({ datasetId: 'app_staged', mode: 'upsert', key: 'id' }, upd);
    same(c, d);
    expect(await rows('data.app_direct')).toEqual(await rows('data.app_staged'));
  });

  it('lists row errors with their locations and leaves nothing behind', async () => {
    const bad = [pt(120, 30.5, { n: 1 }), pt(500, 30.5, { n: 2 }), pt(120, 30.5, { n: 3 })];
    await expect(fromFile({ datasetId: 'bad_direct', mode: 'create' }, bad)).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_ROWS_INVALID',
      errors: [{ row: 2, field: 'geometry' }],
    });
    await expect(hub.get('bad_direct')).rejects.toMatchObject({ code: 'YITU_ERR_DATASET_NOT_FOUND' });
    const left = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'staging'`);
    expect(left.rows[0].n).toBe(0);
    const r = await fromFile({ datasetId: 'bad_direct', mode: 'create', skipInvalid: true }, bad);
    expect([r.imported, r.skipped, r.load]).toEqual([2, 1, 'direct']);
  });

  it('reads in a worker thread: the same table, errors and cancellation cross back', async () => {
    const features = long(SAMPLE_ROWS + 30);
    const file = await writeGeoJson(features);
    const load = async (table: string, worker: boolean, signal = new AbortController().signal) => {
      const source = await openSource(file);
      try {
        return await loadDirect(t.db, source, {
          typed: table, existing: null, types: {}, enforce: [], version: 1, coords: 'wgs84', skipInvalid: false, signal, primaryKey: true,
          onProgress: () => {},
          ...(worker ? { worker: { file, reader: {}, minBytes: 0 } } : {}),
        });
      } finally {
        await source.close();
      }
    };
    const here = await load('staging.w_here', false);
    const there = await load('staging.w_there', true);
    expect(here.inWorker).toBe(false);
    expect(there.inWorker).toBe(true);
    expect({ ...there, inWorker: false, finishMs: 0 }).toEqual({ ...here, finishMs: 0 });
    expect(await rows('staging.w_there')).toEqual(await rows('staging.w_here'));

    const truncated = path.join(dir, 'truncated.geojson');
    await writeFile(truncated, JSON.stringify({ type: 'FeatureCollection', features }).slice(0, -200));
    const source = await openSource(truncated);
    await expect(
      loadDirect(t.db, source, {
        typed: 'staging.w_trunc', existing: null, types: {}, enforce: [], version: 1, coords: 'wgs84', skipInvalid: false, primaryKey: true,
        signal: new AbortController().signal, onProgress: () => {}, worker: { file: truncated, reader: {}, minBytes: 0 },
      }),
    ).rejects.toMatchObject({ code: 'YITU_ERR_IMPORT_FILE_MALFORMED', message: expect.stringContaining('truncated') });
    await source.close();

    const misfitFile = await writeGeoJson(long(SAMPLE_ROWS + 5, (i) => ({ code: i > SAMPLE_ROWS ? `c${i}` : i })));
    const misfitSource = await openSource(misfitFile);
    await expect(
      loadDirect(t.db, misfitSource, {
        typed: 'staging.w_misfit', existing: null, types: {}, enforce: [], version: 1, coords: 'wgs84', skipInvalid: false, primaryKey: true,
        signal: new AbortController().signal, onProgress: () => {}, worker: { file: misfitFile, reader: {}, minBytes: 0 },
      }),
    ).rejects.toBeInstanceOf(DirectMisfit);
    await misfitSource.close();

    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(load('staging.w_cancel', true, ac.signal)).rejects.toThrow('stop');
    for (const x of ['w_here', 'w_there', 'w_trunc', 'w_misfit', 'w_cancel']) await t.db.exec(`DROP TABLE IF EXISTS staging.${x}`);
  });
});
