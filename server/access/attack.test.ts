import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from '../test-support/databases.ts';
import { type OgcTestApp, createDataset, openOgcTestApp } from '../ogc/test-app.ts';
import { anonymous, createTestUser, type TestUser } from '../test-support/auth.ts';
import { smallCounty } from '../regions/test-regions.ts';
import { matrixFeatures, tileOf } from './matrix-table.ts';

const OWNER = 'secret-bureau';
const geojsonBody = JSON.stringify({ type: 'FeatureCollection', features: matrixFeatures().map((f) => ({ type: 'Feature', ...f })) });
const upload = { 'content-type': 'application/geo+json', 'content-disposition': 'attachment; filename="x.geojson"' };

/** What an attacker compares: the status, the media type and the body with the id blanked out. */
function shape(res: LightMyRequestResponse, id: string) {
  return { status: res.statusCode, type: res.headers['content-type'], body: res.body.split(id).join('<id>') };
}

/** Data-path attacks (issue 4, §7): guessed ids, expired grants, disabled users, other people's jobs, writes without the right. */
describeEachBackend('access attacks on the data paths', (kind) => {
  let t: OgcTestApp;
  let steward: TestUser;
  let outsider: TestUser;
  let otherSteward: TestUser;

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    const s = t.services;
    await s.regions.loadRegions(smallCounty());
    steward = await createTestUser(s, { roles: ['data_steward'], department: OWNER });
    outsider = await createTestUser(s, { roles: ['analyst'], department: 'curious-bureau' });
    otherSteward = await createTestUser(s, { roles: ['data_steward'], department: 'curious-bureau' });
    await createDataset(s, 'secret_plan', matrixFeatures(), { department: OWNER, classification: 'confidential', editable: true });
    await createDataset(s, 'open_plan', matrixFeatures(), { department: OWNER, classification: 'public', editable: true });
    await createDataset(s, 'staff_plan', matrixFeatures(), { department: OWNER, classification: 'internal', editable: true });
    await s.stats.importRows(['code', 'period', 'pop'], [{ code: '330521001', period: '2023', pop: 1 }], {
      datasetId: 'secret_stats', mode: 'create', metadata: { department: OWNER, classification: 'confidential' },
    });
  }, 300_000);
  afterAll(async () => t?.close());

  it("answers a guessed confidential id in every URL exactly as an id that does not exist", async () => {
    const { z, x, y } = tileOf(120.05, 30.5, 8);
    const urls: Array<{ method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; payload?: string | object; headers?: Record<string, string> }> = [
      { url: '/datasets/{id}' },
      { url: '/collections/{id}' },
      { url: '/collections/{id}/items' },
      { url: '/collections/{id}/items?limit=1&filter=name%3D%27w1%27' },
      { url: '/collections/{id}/items/1' },
      { url: '/collections/{id}/queryables' },
      { url: '/datasets/{id}/export?format=geojson' },
      { url: '/datasets/{id}/export?format=gpkg' },
      { url: '/datasets/{id}/versions' },
      { url: '/datasets/{id}/versions/1' },
      { url: '/datasets/{id}/diff?from=1&to=1' },
      { url: '/stats/{id}' },
      { url: '/stats/{id}/values' },
      { method: 'POST', url: '/datasets/{id}/imports?mode=append', payload: geojsonBody, headers: upload },
      { method: 'POST', url: '/datasets/{id}/imports', payload: geojsonBody, headers: upload },
      { method: 'PATCH', url: '/datasets/{id}', payload: { descriptionEn: 'x' } },
      { method: 'DELETE', url: '/datasets/{id}' },
      { method: 'POST', url: '/datasets/{id}/rollback', payload: { version: 1 } },
      { method: 'POST', url: '/collections/{id}/items', payload: { type: 'Feature', geometry: null, properties: {} } },
      { url: '/collections/{id}/tiles' },
      { url: `/collections/{id}/tiles/WebMercatorQuad/${z}/${y}/${x}` },
      { url: `/tiles/WebMercatorQuad/${z}/${y}/${x}?collections={id}` },
      { url: '/collections/{id}/style' },
      { url: '/collections/{id}/style.json' },
    ];
    const differ: string[] = [];
    for (const who of [outsider.headers, anonymous]) {
      for (const u of urls) {
        const send = (id: string) =>
          t.app.inject({ method: u.method ?? 'GET', url: u.url.replace('{id}', id), headers: { ...who, ...u.headers }, ...(u.payload ? { payload: u.payload } : {}) });
        const [hidden, missing] = [u.url.startsWith('/stats') ? 'secret_stats' : 'secret_plan', 'no_such_plan'];
        const a = shape(await send(hidden), hidden);
        const b = shape(await send(missing), missing);
        if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(`${u.method ?? 'GET'} ${u.url} (${who === anonymous ? 'anonymous' : 'outsider'}): ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
        if (a.status < 400) differ.push(`${u.method ?? 'GET'} ${u.url}: ${a.status}`);
      }
    }
    expect(differ).toEqual([]);
    // Nothing was changed, and the dataset is still there for its owners.
    const own = await t.app.inject({ url: '/datasets/secret_plan', headers: steward.headers });
    expect(own.json()).toMatchObject({ id: 'secret_plan', currentVersion: 1, description: { en: '' } });
  });

  it('does not list a confidential dataset to outsiders, however they search', async () => {
    for (const url of ['/datasets?limit=1000', '/datasets?q=secret', '/datasets?department=' + OWNER, '/collections', '/stats?q=secret']) {
      expect(JSON.stringify((await t.app.inject({ url, headers: outsider.headers })).json())).not.toContain('secret_');
    }
  });

  it('ends access when a grant expires or is revoked', async () => {
    const s = t.services;
    const grant = (interval: string, created = 'now()') =>
      s.db.query(
        `INSERT INTO yitu.dataset_grants (id, dataset_id, department_id, reason, created_at, expires_at, revoked_at)
         VALUES (gen_random_uuid(), 'secret_plan', 'curious-bureau', 'test', ${created}, now() + interval '${interval}', $1)`,
        [null],
      );
    await grant('-1 day', "now() - interval '30 days'");
    s.guard.forget();
    expect((await t.app.inject({ url: '/datasets/secret_plan', headers: outsider.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/collections/secret_plan/items', headers: outsider.headers })).statusCode).toBe(404);
    await s.db.query(
      `INSERT INTO yitu.dataset_grants (id, dataset_id, department_id, reason, expires_at, revoked_at) VALUES (gen_random_uuid(), 'secret_plan', 'curious-bureau', 'test', now() + interval '5 days', now())`,
    );
    s.guard.forget();
    expect((await t.app.inject({ url: '/collections/secret_plan/items', headers: outsider.headers })).statusCode).toBe(404);
    // The control: an active grant opens it (and so the two above failed for the right reason).
    const active = await createTestUser(s, { roles: ['analyst'], department: 'granted-bureau' });
    await s.db.query(
      `INSERT INTO yitu.dataset_grants (id, dataset_id, department_id, reason, expires_at) VALUES (gen_random_uuid(), 'secret_plan', 'granted-bureau', 'test', now() + interval '5 days')`,
    );
    s.guard.forget();
    expect((await t.app.inject({ url: '/collections/secret_plan/items', headers: active.headers })).json().numberReturned).toBe(4);
  });

  it("refuses a disabled user's token everywhere, also on public data", async () => {
    const u = await createTestUser(t.services, { roles: ['data_steward'], department: OWNER });
    expect((await t.app.inject({ url: '/collections/secret_plan/items', headers: u.headers })).statusCode).toBe(200);
    await t.services.db.query('UPDATE yitu.users SET disabled = true WHERE id = $1', [u.id]);
    t.services.guard.forget();
    for (const url of ['/collections/secret_plan/items', '/collections/open_plan/items', '/datasets', '/jobs']) {
      const res = await t.app.inject({ url, headers: u.headers });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().code).toBe('YITU_ERR_AUTH_REQUIRED');
    }
    const patch = await t.app.inject({ method: 'PATCH', url: '/datasets/open_plan', headers: u.headers, payload: { descriptionEn: 'disabled' } });
    expect(patch.statusCode).toBe(401);
  });

  it("hides another user's job as if it did not exist", async () => {
    const res = await t.app.inject({ method: 'POST', url: '/datasets/staff_plan/imports?mode=append', headers: { ...steward.headers, ...upload }, payload: geojsonBody });
    expect(res.statusCode).toBe(202);
    const job = res.json().id as string;
    await t.services.jobs.wait(job);
    expect((await t.app.inject({ url: `/jobs/${job}`, headers: steward.headers })).json()).toMatchObject({ id: job, createdBy: steward.id, status: 'successful' });
    expect((await t.app.inject({ url: '/jobs', headers: steward.headers })).json().jobs.map((j: { id: string }) => j.id)).toContain(job);
    expect((await t.app.inject({ url: '/jobs' })).json().jobs.map((j: { id: string }) => j.id)).toContain(job); // the administrator
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [method, path] of [['GET', ''], ['DELETE', ''], ['GET', '/events']] as const) {
      const a = await t.app.inject({ method, url: `/jobs/${job}${path}`, headers: otherSteward.headers });
      const b = await t.app.inject({ method, url: `/jobs/${unknown}${path}`, headers: otherSteward.headers });
      expect(a.statusCode).toBe(404);
      expect(shape(a, job)).toEqual(shape(b, unknown));
    }
    expect((await t.app.inject({ url: '/jobs', headers: otherSteward.headers })).json().jobs.map((j: { id: string }) => j.id)).not.toContain(job);
    for (const url of ['/jobs', `/jobs/${job}`, `/jobs/${job}/events`]) expect((await t.app.inject({ url, headers: anonymous })).statusCode).toBe(401);
  });

  it('refuses every write of the anonymous with 401', async () => {
    const writes: Array<{ method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: string | object; headers?: Record<string, string> }> = [
      { method: 'PATCH', url: '/datasets/open_plan', payload: { descriptionEn: 'x' } },
      { method: 'PATCH', url: '/datasets/open_plan', payload: { classification: 'internal' } },
      { method: 'DELETE', url: '/datasets/open_plan' },
      { method: 'POST', url: '/datasets/open_plan/imports?mode=append', payload: geojsonBody, headers: upload },
      { method: 'POST', url: '/imports?dataset=anon_new', payload: geojsonBody, headers: upload },
      { method: 'POST', url: '/datasets/preview', payload: geojsonBody, headers: upload },
      { method: 'POST', url: '/datasets/open_plan/rollback', payload: { version: 1 } },
      { method: 'POST', url: '/collections/open_plan/items', payload: { type: 'Feature', geometry: null, properties: { name: 'x' } } },
      { method: 'PUT', url: '/collections/open_plan/items/1', payload: { type: 'Feature', geometry: null, properties: { name: 'x' } } },
      { method: 'PATCH', url: '/collections/open_plan/items/1', payload: { properties: { name: 'x' } } },
      { method: 'DELETE', url: '/collections/open_plan/items/1' },
      { method: 'DELETE', url: '/stats/secret_stats' },
      { method: 'DELETE', url: '/jobs/00000000-0000-4000-8000-000000000000' },
    ];
    for (const w of writes) {
      const res = await t.app.inject({ method: w.method, url: w.url, headers: { ...anonymous, ...w.headers }, ...(w.payload ? { payload: w.payload } : {}) });
      expect(res.statusCode, `${w.method} ${w.url}`).toBe(401);
      expect(res.json().code, `${w.method} ${w.url}`).toBe('YITU_ERR_AUTH_REQUIRED');
    }
    expect((await t.app.inject({ url: '/datasets/open_plan', headers: anonymous })).json()).toMatchObject({ currentVersion: 1, description: { en: '' } });
  });

  it("refuses a steward's writes to another department's datasets with 403", async () => {
    const writes: Array<{ method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: string | object; headers?: Record<string, string> }> = [];
    for (const id of ['open_plan', 'staff_plan']) {
      writes.push(
        { method: 'PATCH', url: `/datasets/${id}`, payload: { descriptionEn: 'x' } },
        { method: 'PATCH', url: `/datasets/${id}`, payload: { classification: 'public' } },
        { method: 'DELETE', url: `/datasets/${id}` },
        { method: 'POST', url: `/datasets/${id}/imports?mode=append`, payload: geojsonBody, headers: upload },
        { method: 'POST', url: `/datasets/${id}/rollback`, payload: { version: 1 } },
        { method: 'POST', url: `/collections/${id}/items`, payload: { type: 'Feature', geometry: null, properties: { name: 'x' } } },
        { method: 'PUT', url: `/collections/${id}/items/1`, payload: { type: 'Feature', geometry: null, properties: { name: 'x' } } },
        { method: 'PATCH', url: `/collections/${id}/items/1`, payload: { properties: { name: 'x' } } },
        { method: 'DELETE', url: `/collections/${id}/items/1` },
      );
    }
    // Creating a dataset in another department's name.
    writes.push({ method: 'POST', url: `/imports?dataset=planted&department=${OWNER}`, payload: geojsonBody, headers: upload });
    for (const w of writes) {
      const res = await t.app.inject({ method: w.method, url: w.url, headers: { ...otherSteward.headers, ...w.headers }, ...(w.payload ? { payload: w.payload } : {}) });
      expect(res.statusCode, `${w.method} ${w.url}`).toBe(403);
      expect(res.json().code).toBe('YITU_ERR_FORBIDDEN');
    }
    const open = (await t.app.inject({ url: '/datasets/open_plan' })).json();
    expect(open).toMatchObject({ currentVersion: 1, classification: 'public', department: OWNER, description: { en: '' } });
    expect((await t.app.inject({ url: '/datasets/planted' })).statusCode).toBe(404);
    // Their own department's new dataset is theirs to create.
    const mine = await t.app.inject({ method: 'POST', url: '/imports?dataset=curious_own', headers: { ...otherSteward.headers, ...upload }, payload: geojsonBody });
    expect(mine.statusCode).toBe(202);
    await t.services.jobs.wait(mine.json().id);
    expect((await t.app.inject({ url: '/datasets/curious_own', headers: otherSteward.headers })).json()).toMatchObject({ department: 'curious-bureau', access: { write: true } });
  });
});
