import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../test-support/databases.ts';
import { body, createDataset, openOgcTestApp, type OgcTestApp, poiFeatures } from '../ogc/test-app.ts';
import { anonymous, createTestUser, type TestUser } from '../test-support/auth.ts';
import type { AuditEvent, Principal } from './model.ts';
import type { DatasetUsage } from './audit-service.ts';

type Events = { events: AuditEvent[]; total: number };

describeEachBackend('audit trail: search, export, usage, immutability', (kind) => {
  let t: OgcTestApp;
  let psSteward: TestUser;
  let psAnalyst: TestUser;
  let trSteward: TestUser;
  let trAnalyst: TestUser;
  let trSupervisor: TestUser;
  let psLeader: TestUser;
  const principal = async (u: TestUser): Promise<Principal> => (await t.services.guard.principalOf(u.id))!;
  const search = async (u: TestUser | null, q: string) => t.app.inject({ url: `/audit/events?${q}`, headers: u ? u.headers : {} });
  const actions = (r: { body: string }) => body<Events>(r).events.map((e) => e.action).sort();

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    psSteward = await createTestUser(t.services, { roles: ['data_steward'], department: 'public-security' });
    psAnalyst = await createTestUser(t.services, { roles: ['analyst'], department: 'public-security' });
    psLeader = await createTestUser(t.services, { roles: ['leader'], department: 'public-security' });
    trSteward = await createTestUser(t.services, { roles: ['data_steward'], department: 'transport' });
    trAnalyst = await createTestUser(t.services, { roles: ['analyst'], department: 'transport' });
    trSupervisor = await createTestUser(t.services, { roles: ['supervisor'], department: 'transport' });
    await createDataset(t.services, 'ps_secret', poiFeatures(), { department: 'public-security', classification: 'confidential' });
    await createDataset(t.services, 'tr_roads', poiFeatures(), { department: 'transport', classification: 'internal' });
    const a = t.services.audit;
    const origin = { ip: '10.1.2.3', userAgent: 'test' };
    await a.record({ principal: await principal(trAnalyst), origin, action: 'auth.sign_in' });
    await a.record({ principal: await principal(psSteward), origin, action: 'dataset.metadata', datasetId: 'ps_secret', classification: 'confidential', details: { changed: ['title', 'note, with comma'] } });
    await a.record({ principal: await principal(trSteward), origin, action: 'dataset.import', datasetId: 'tr_roads', classification: 'internal', targetType: 'job', targetId: '=HYPERLINK("http://evil")' });
    await a.record({ principal: await principal(trAnalyst), origin, action: 'dataset.export', outcome: 'denied', datasetId: 'ps_secret', classification: 'confidential' });
    await a.record({ principal: await principal(psSteward), origin, action: 'dataset.classification', datasetId: 'ps_secret', classification: 'confidential', details: { from: 'internal', to: 'confidential' } });
  }, 180_000);
  afterAll(async () => t?.close());

  it('filters by actor, department, dataset, action or its prefix, outcome and period', async () => {
    const admin = t.admin;
    expect(actions(await search(admin, `actor=${trAnalyst.username}`))).toEqual(['auth.sign_in', 'dataset.export']);
    expect(actions(await search(admin, `actor=${psSteward.id}`))).toEqual(['dataset.classification', 'dataset.metadata']);
    expect(actions(await search(admin, 'department=transport'))).toEqual(['auth.sign_in', 'dataset.export', 'dataset.import']);
    expect(actions(await search(admin, 'dataset=ps_secret'))).toEqual(['dataset.classification', 'dataset.export', 'dataset.metadata']);
    expect(actions(await search(admin, 'action=dataset.import'))).toEqual(['dataset.import']);
    expect(actions(await search(admin, 'action=dataset.&department=public-security'))).toEqual(['dataset.classification', 'dataset.metadata']);
    expect(actions(await search(admin, 'action=dataset.*&outcome=denied'))).toEqual(['dataset.export']);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(body<Events>(await search(admin, `from=${today}&to=${today}&dataset=ps_secret`)).total).toBe(3);
    expect(body<Events>(await search(admin, `from=${tomorrow}`)).total).toBe(0);
    expect(body<Events>(await search(admin, `to=${encodeURIComponent('2020-01-01T00:00:00+08:00')}`)).total).toBe(0);
    const page = body<Events>(await search(admin, 'dataset=ps_secret&limit=2&offset=1'));
    expect(page.total).toBe(3);
    expect(page.events.map((e) => e.action)).toEqual(['dataset.export', 'dataset.metadata']); // newest first
    expect(page.events[1]).toMatchObject({ actorId: psSteward.id, actorName: psSteward.username, department: 'public-security', ip: '10.1.2.3', requests: 1, details: { changed: ['title', 'note, with comma'] } });
    for (const bad of ['from=yesterday', `from=${tomorrow}&to=${today}`, 'to=2026-13-40', 'limit=0', 'limit=5000', 'offset=-1', 'outcome=maybe', 'action=DROP%20TABLE', 'who=me', 'actor=a&actor=b']) {
      const r = await search(admin, bad);
      expect(r.statusCode, bad).toBe(400);
      expect(body(r).code, bad).toBe('YITU_ERR_QUERY_PARAM_INVALID');
    }
  });

  it("shows stewards, supervisors and leaders only their department's people and datasets", async () => {
    // public security: its people's events and events on its datasets (also transport's denied export of ps_secret)
    expect(actions(await search(psSteward, ''))).toEqual(['dataset.classification', 'dataset.export', 'dataset.metadata']);
    expect(actions(await search(psLeader, ''))).toEqual(['dataset.classification', 'dataset.export', 'dataset.metadata']);
    expect(actions(await search(psSteward, 'department=transport'))).toEqual(['dataset.export']);
    expect(actions(await search(trSupervisor, ''))).toEqual(['auth.sign_in', 'dataset.export', 'dataset.import']);
    expect(actions(await search(trSupervisor, 'dataset=ps_secret'))).toEqual(['dataset.export']);
    expect((await search(trAnalyst, '')).statusCode).toBe(403);
    expect((await search(psAnalyst, '')).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/audit/events', headers: anonymous })).statusCode).toBe(401);
    const importEvent = body<Events>(await search(t.admin, 'action=dataset.import')).events[0];
    expect((await t.app.inject({ url: `/audit/events/${importEvent.id}`, headers: trSupervisor.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/audit/events/${importEvent.id}`, headers: psSteward.headers })).statusCode).toBe(404);
    expect(body<AuditEvent>(await t.app.inject({ url: `/audit/events/${importEvent.id}` }))).toMatchObject({ id: importEvent.id, action: 'dataset.import' });
  });

  it('exports the same events as CSV for Excel, and records the export', async () => {
    const r = await t.app.inject({ url: '/audit/events.csv?department=transport', headers: trSupervisor.headers });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="audit-events-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(r.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = r.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('id,at (UTC),actor,actor id,department,action,outcome,dataset,classification,target type,target id,features,requests,ip,user agent,details');
    expect(lines).toHaveLength(1 + 4 + 1); // the export is recorded before it runs: it lists itself
    expect(lines[1]).toContain(`,${trSupervisor.username},${trSupervisor.id},transport,audit.export,success,`);
    const imp = lines.find((l) => l.includes(',dataset.import,'))!;
    expect(imp).toContain(`,${trSteward.username},${trSteward.id},transport,dataset.import,success,tr_roads,internal,job,"'=HYPERLINK(""http://evil"")",,1,10.1.2.3,test,`);
    expect(imp.split(',')[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
    const all = await t.app.inject({ url: '/audit/events.csv?dataset=ps_secret' });
    expect(all.body).toContain('"{""changed"":[""title"",""note, with comma""]}"');
    expect((await t.app.inject({ url: '/audit/events.csv', headers: psAnalyst.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/audit/events.csv?from=nonsense' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/audit/events.csv?limit=5' })).statusCode).toBe(400);
    const exports = body<Events>(await search(t.admin, 'action=audit.export')).events;
    expect(exports.map((e) => e.actorName).sort()).toEqual([t.admin.username, trSupervisor.username].sort());
    expect(exports.find((e) => e.actorName === trSupervisor.username)!.details).toEqual({ filters: { department: 'transport' } });
    // Pages are keyset-paged: every event once, newest first, also across pages.
    const paged: AuditEvent[] = [];
    for await (const p of t.services.auditTrail.all(await principal(t.admin), {}, 2)) paged.push(...p);
    const one = body<Events>(await search(t.admin, 'limit=1000'));
    expect(paged.map((e) => e.id)).toEqual(one.events.map((e) => e.id));
    expect(paged.length).toBe(one.total);
  });

  it("counts a dataset's use from the folded reads, for its stewards", async () => {
    // Reads of items are audited by the features API (features.read, folded per reader and second).
    for (const u of [psAnalyst, psAnalyst, trAnalyst]) {
      expect((await t.app.inject({ url: '/collections/tr_roads/items?limit=2', headers: u.headers })).statusCode).toBe(200);
    }
    t.services.audit.recordRead({ principal: await principal(psLeader), action: 'tiles.read', datasetId: 'tr_roads', classification: 'internal', featureCount: 7 });
    t.services.audit.recordRead({ principal: await principal(psLeader), action: 'tiles.read', datasetId: 'tr_roads', classification: 'internal', featureCount: 3 });
    await t.services.audit.flush();
    const r = await t.app.inject({ url: '/datasets/tr_roads/usage', headers: trSteward.headers });
    expect(r.statusCode, r.body).toBe(200);
    const u = body<DatasetUsage>(r);
    expect(u.total).toEqual({ requests: 5, features: 16, users: 3, departments: 2 });
    expect(u.byDepartment).toEqual([{ department: 'public-security', requests: 4, features: 14 }, { department: 'transport', requests: 1, features: 2 }]);
    expect(u.byUser.find((x) => x.userId === psAnalyst.id)).toEqual({ userId: psAnalyst.id, username: psAnalyst.username, department: 'public-security', requests: 2, features: 4 });
    expect(u.byAction).toEqual([{ action: 'features.read', requests: 3, features: 6 }, { action: 'tiles.read', requests: 2, features: 10 }]);
    expect(u.byDay).toEqual([{ day: new Date().toISOString().slice(0, 10), requests: 5, features: 16 }]);
    expect(u.usageCount).toBe((await t.services.hub.get('tr_roads')).usageCount);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const later = body<DatasetUsage>(await t.app.inject({ url: `/datasets/tr_roads/usage?from=${tomorrow}`, headers: trSteward.headers }));
    expect(later.total).toEqual({ requests: 0, features: 0, users: 0, departments: 0 });
    expect(later.byDay).toEqual([]);
    expect((await t.app.inject({ url: '/datasets/tr_roads/usage', headers: trAnalyst.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/datasets/tr_roads/usage', headers: psSteward.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/datasets/ps_secret/usage', headers: trSteward.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/datasets/tr_roads/usage' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/datasets/tr_roads/usage?from=2026-02-30', headers: trSteward.headers })).statusCode).toBe(400);
  });

  it('cannot be changed: the API answers 405 and the database refuses', async () => {
    for (const url of ['/audit', '/audit/events', '/audit/events/1']) {
      for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
        const r = await t.app.inject({ method, url, payload: {} });
        expect(r.statusCode, `${method} ${url}`).toBe(405);
        expect(body(r).code).toBe('YITU_ERR_AUDIT_IMMUTABLE');
      }
    }
    expect((await t.app.inject({ method: 'DELETE', url: '/audit/events/1' })).headers.allow).toBe('GET, HEAD');
    const n = body<Events>(await search(t.admin, '')).total;
    await expect(t.services.db.query(`UPDATE yitu.audit_events SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.services.db.query(`DELETE FROM yitu.audit_events WHERE action = 'auth.sign_in'`)).rejects.toThrow(/append-only/);
    await expect(t.services.db.query(`TRUNCATE yitu.audit_events`)).rejects.toThrow(/append-only/);
    expect(body<Events>(await search(t.admin, '')).total).toBe(n);
  });
});
