import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describeEachBackend } from '../test-support/databases.ts';
import type { Services } from '../services.ts';
import { type OgcTestApp, openOgcTestApp } from '../ogc/test-app.ts';
import { memorySource } from './formats/memory-source.ts';
import { multipart } from '../test-support/multipart.ts';

const geojson = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [119.97, 30.54] }, properties: { 名称: '武康中学', 类别: '学校', 学生数: 1200 } },
    { type: 'Feature', geometry: { type: 'Point', coordinates: [120.08, 30.6] }, properties: { 名称: '新市卫生院', 类别: '医院', 学生数: null } },
  ],
});

describeEachBackend('hub HTTP API', (kind) => {
  let t: OgcTestApp;
  let s: Services;
  let app: FastifyInstance;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-routes-'));
    // requests act as an administrator (openOgcTestApp); uploads go to this test's own directory
    t = await openOgcTestApp(kind, { dataDir: dir, maxUploadBytes: 64 * 1024 });
    s = t.services;
    app = t.app;
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function waitJob(id: string) {
    await s.jobs.wait(id);
    return (await app.inject({ url: `/jobs/${id}` })).json();
  }

  it('uploads a raw GeoJSON body, runs the import job and lists the dataset', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/datasets/facilities/imports?title=公共设施&theme=current&classification=public',
      headers: { 'content-type': 'application/geo+json', 'content-disposition': 'attachment; filename="facilities.geojson"' },
      payload: geojson,
    });
    expect(res.statusCode).toBe(202);
    expect(res.headers.location).toMatch(/^\/jobs\//);
    const job = await waitJob(res.json().id);
    expect(job.status).toBe('successful');
    expect(job.result).toMatchObject({ imported: 2, version: 1, format: 'geojson' });
    const list = (await app.inject({ url: '/datasets?q=设施' })).json();
    expect(list.total).toBe(1);
    expect(list.datasets[0]).toMatchObject({ id: 'facilities', title: { zh: '公共设施' }, classification: 'public', featureCount: 2 });
    const uploads = path.join(dir, 'uploads');
    const left = await import('node:fs/promises').then((fs) => fs.readdir(uploads));
    expect(left).toEqual([]);
  });

  it('uploads multipart form data, then exports GeoJSON and CSV', async () => {
    const res = await app.inject({ method: 'POST', url: '/imports', ...multipart('f.geojson', geojson, { dataset: 'facilities2' }, 'application/geo+json') });
    expect(res.statusCode).toBe(202);
    expect((await waitJob(res.json().id)).status).toBe('successful');
    const gj = await app.inject({ url: '/datasets/facilities2/export?format=geojson' });
    expect(gj.statusCode).toBe(200);
    expect(gj.json().features).toHaveLength(2);
    const csv = await app.inject({ url: '/datasets/facilities2/export?format=csv' });
    expect(csv.body).toContain('武康中学');
  });

  it('exports datasets with more columns than json_build_object takes (100 arguments)', async () => {
    const props = Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`indicator_${i + 1}`, i + 0.5]));
    await s.hub.importAndWait({
      datasetId: 'wide',
      mode: 'create',
      source: memorySource([{ type: 'Feature', geometry: { type: 'Point', coordinates: [120, 30.5] }, properties: props }]),
    });
    const gj = await app.inject({ url: '/datasets/wide/export?format=geojson' });
    expect(gj.statusCode).toBe(200);
    const f = gj.json().features[0];
    expect(Object.keys(f.properties)).toEqual(Object.keys(props));
    expect(f.properties.indicator_90).toBe(89.5);
    const csv = await app.inject({ url: '/datasets/wide/export?format=csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('indicator_90');
  });

  it('answers problems as RFC 9457 documents with actionable details', async () => {
    const missing = await app.inject({ url: '/datasets/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({ code: 'YITU_ERR_DATASET_NOT_FOUND', status: 404, detail: expect.stringContaining("'nope'") });

    const badMeta = await app.inject({ method: 'PATCH', url: '/datasets/facilities', payload: { theme: 'weather', colour: 'red' } });
    expect(badMeta.statusCode).toBe(400);
    expect(badMeta.json().code).toBe('YITU_ERR_DATASET_METADATA_INVALID');

    const badId = await app.inject({ method: 'POST', url: '/datasets/Bad-Id/imports', headers: { 'content-type': 'application/octet-stream' }, payload: geojson });
    expect(badId.statusCode).toBe(400);

    const badMode = await app.inject({ method: 'POST', url: '/datasets/x1/imports?mode=merge', headers: { 'content-type': 'application/octet-stream' }, payload: geojson });
    expect(badMode.statusCode).toBe(400);
    expect(badMode.json().detail).toContain('mode');

    const badTypes = await app.inject({ method: 'POST', url: '/datasets/x1/imports?types=%7Bbad', headers: { 'content-type': 'application/octet-stream' }, payload: geojson });
    expect(badTypes.statusCode).toBe(400);
    expect(badTypes.json().detail).toContain('types');

    const empty = await app.inject({ method: 'POST', url: '/datasets/x2/imports', headers: { 'content-type': 'application/octet-stream' }, payload: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe('YITU_ERR_IMPORT_FILE_EMPTY');

    const tooBig = await app.inject({ method: 'POST', url: '/datasets/x3/imports', headers: { 'content-type': 'application/octet-stream' }, payload: 'x'.repeat(70 * 1024) });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().code).toBe('YITU_ERR_IMPORT_FILE_TOO_LARGE');

    const badBbox = await app.inject({ url: '/datasets?bbox=1,2,3' });
    expect(badBbox.json().code).toBe('YITU_ERR_BBOX_INVALID');

    const nowhere = await app.inject({ url: '/no/such/route' });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json().code).toBe('YITU_ERR_NOT_FOUND');
  });

  it('reports a malformed upload as a failed job with the location, and keeps nothing', async () => {
    const res = await app.inject({ method: 'POST', url: '/datasets/broken/imports?filename=b.geojson', headers: { 'content-type': 'application/octet-stream' }, payload: geojson.slice(0, 150) });
    expect(res.statusCode).toBe(202);
    const job = await waitJob(res.json().id);
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('YITU_ERR_IMPORT_FILE_MALFORMED');
    expect((await app.inject({ url: '/datasets/broken' })).statusCode).toBe(404);
  });

  it('versions, diff and rollback over HTTP', async () => {
    const next = JSON.parse(geojson);
    next.features[0].properties.学生数 = 1300;
    const res = await app.inject({ method: 'POST', url: '/datasets/facilities/imports?mode=upsert&key=名称&filename=f.geojson', headers: { 'content-type': 'application/octet-stream' }, payload: JSON.stringify(next) });
    expect((await waitJob(res.json().id)).status).toBe('successful');
    const versions = (await app.inject({ url: '/datasets/facilities/versions' })).json().versions;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const diff = (await app.inject({ url: '/datasets/facilities/diff?from=1&to=2' })).json();
    expect(diff).toMatchObject({ added: 0, removed: 0, changed: 1 });
    const rb = await app.inject({ method: 'POST', url: '/datasets/facilities/rollback', payload: { version: 1 } });
    expect(rb.statusCode).toBe(200);
    expect(rb.json().currentVersion).toBe(3);
    const bad = await app.inject({ method: 'POST', url: '/datasets/facilities/rollback', payload: { version: 'one' } });
    expect(bad.statusCode).toBe(400);
  });

  it('points statistical tables to /stats instead of failing on feature paths', async () => {
    await s.db.query(`INSERT INTO yitu.datasets (id, kind, title_en) VALUES ('stats_table', 'statistics', 'GDP')`);
    for (const url of ['/datasets/stats_table/export', '/datasets/stats_table/diff', '/datasets/stats_table/versions', '/collections/stats_table/items', '/collections/stats_table']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().detail, url).toContain('/stats/stats_table');
    }
    const cols = (await app.inject({ url: '/collections' })).json().collections.map((c: { id: string }) => c.id);
    expect(cols).not.toContain('stats_table');
    const imp = await app.inject({ method: 'POST', url: '/datasets/stats_table/imports?mode=append&filename=f.geojson', headers: { 'content-type': 'application/octet-stream' }, payload: geojson });
    const job = await waitJob(imp.json().id);
    expect(job.error.code).toBe('YITU_ERR_CONFLICT');
    await s.db.query(`DELETE FROM yitu.datasets WHERE id = 'stats_table'`);
  });

  it('streams job progress as Server-Sent Events while the job runs, then the final job', async () => {
    function* many() {
      for (let i = 0; i < 30_000; i++) yield { type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [120 + (i % 300) / 1000, 30.5] }, properties: { i } };
    }
    const job = await s.hub.submitImport({ datasetId: 'sse_live', mode: 'create', source: memorySource(many(), { estimatedCount: 30_000 }) });
    const events = await app.inject({ url: `/jobs/${job.id}/events` });
    expect(events.headers['content-type']).toContain('text/event-stream');
    const names = [...events.body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names[0]).toBe('job');
    expect(names).toContain('progress');
    expect(names.at(-1)).toBe('job');
    expect(events.body.trim().split('\n').at(-1)).toContain('"status":"successful"');
    // A finished job: one event, and the stream ends.
    const again = await app.inject({ url: `/jobs/${job.id}/events` });
    expect([...again.body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1])).toEqual(['job']);
    expect((await app.inject({ url: '/jobs/00000000-0000-0000-0000-000000000000' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/jobs?status=weird' })).statusCode).toBe(400);
  });
});
