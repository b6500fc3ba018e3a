import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../test-support/databases.ts';
import { body, createDataset, openOgcTestApp, type OgcTestApp, poiFeatures } from '../ogc/test-app.ts';
import { anonymous, createTestUser, type TestUser } from '../test-support/auth.ts';
import type { AuditEvent, Grant } from './model.ts';
import type { ShareRequest, SharingCatalogEntry } from './sharing-service.ts';
import type { Notification } from './notifications.ts';

const PURPOSE = '交通事故黑点分析需要摄像头点位 (traffic black spots)';

describeEachBackend('sharing requests, grants and notifications', (kind) => {
  let t: OgcTestApp;
  let analyst: TestUser; // transport
  let steward: TestUser; // public security, decides
  let psAnalyst: TestUser; // public security, not a steward
  let otherSteward: TestUser; // transport steward

  const as = (u: TestUser, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: u.headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const items = (u: TestUser, id: string) => as(u, 'GET', `/collections/${id}/items?limit=2`);
  const ask = (u: TestUser, id: string, days = 30) => as(u, 'POST', `/datasets/${id}/share-requests`, { purpose: PURPOSE, days });
  const notes = async (u: TestUser) => body<{ notifications: Notification[]; unread: number }>(await as(u, 'GET', '/notifications'));
  const confidential = (id: string, shareable = true) =>
    createDataset(t.services, id, poiFeatures(), { department: 'public-security', classification: 'confidential', shareable, titleZh: `治安 ${id}`, titleEn: `Security ${id}` });

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    analyst = await createTestUser(t.services, { roles: ['analyst'], department: 'transport' });
    steward = await createTestUser(t.services, { roles: ['data_steward'], department: 'public-security' });
    psAnalyst = await createTestUser(t.services, { roles: ['analyst'], department: 'public-security' });
    otherSteward = await createTestUser(t.services, { roles: ['data_steward'], department: 'transport' });
    for (const id of ['ps_cameras', 'ps_patrols', 'ps_stations', 'ps_grant_a', 'ps_grant_b']) await confidential(id);
    await confidential('ps_hidden', false);
  }, 180_000);
  afterAll(async () => t?.close());

  it('goes from ask to use: catalog, request, notification, approval, read, audit', async () => {
    expect((await items(analyst, 'ps_cameras')).statusCode).toBe(404);

    const cat = body<{ datasets: SharingCatalogEntry[] }>(await as(analyst, 'GET', '/sharing/catalog'));
    const entry = cat.datasets.find((d) => d.id === 'ps_cameras')!;
    expect(entry).toMatchObject({ department: 'public-security', access: 'requestable', classification: 'confidential', geometryType: 'Point', title: { zh: '治安 ps_cameras' } });
    for (const k of ['featureCount', 'bbox', 'columns', 'usageCount']) expect(entry).not.toHaveProperty(k);
    expect(cat.datasets.map((d) => d.id)).not.toContain('ps_hidden');
    const found = body<{ datasets: SharingCatalogEntry[] }>(await as(analyst, 'GET', '/sharing/catalog?q=CAMERAS'));
    expect(found.datasets.map((d) => d.id)).toEqual(['ps_cameras']);

    const created = await ask(analyst, 'ps_cameras');
    expect(created.statusCode, created.body).toBe(201);
    const req = body<ShareRequest>(created);
    expect(created.headers.location).toBe(`/share-requests/${req.id}`);
    expect(req).toMatchObject({ datasetId: 'ps_cameras', department: 'transport', status: 'pending', days: 30, grant: null, requester: { id: analyst.id, username: analyst.username } });
    const twice = await ask(analyst, 'ps_cameras');
    expect(twice.statusCode).toBe(409);
    expect(body(twice)).toMatchObject({ code: 'YITU_ERR_CONFLICT', pendingRequestId: req.id });
    expect(body<{ datasets: SharingCatalogEntry[] }>(await as(analyst, 'GET', '/sharing/catalog')).datasets.find((d) => d.id === 'ps_cameras')!.pendingRequestId).toBe(req.id);

    const toSteward = (await notes(steward)).notifications.find((n) => n.link === `/share-requests/${req.id}`);
    expect(toSteward).toMatchObject({ kind: 'share.request', readAt: null });
    expect(toSteward!.title).toContain('治安 ps_cameras');
    expect((await notes(psAnalyst)).notifications).toHaveLength(0);
    const incoming = body<{ requests: ShareRequest[] }>(await as(steward, 'GET', '/share-requests?box=incoming&status=pending'));
    expect(incoming.requests.map((r) => r.id)).toContain(req.id);
    expect((await as(analyst, 'GET', '/share-requests?box=incoming')).statusCode).toBe(403);
    expect(body<{ requests: ShareRequest[] }>(await as(analyst, 'GET', '/share-requests')).requests.map((r) => r.id)).toEqual([req.id]);

    // Only the owning department's stewards (or an administrator) decide.
    expect((await as(psAnalyst, 'POST', `/share-requests/${req.id}/approve`, {})).statusCode).toBe(403);
    expect((await as(otherSteward, 'POST', `/share-requests/${req.id}/approve`, {})).statusCode).toBe(403);
    expect((await as(analyst, 'POST', `/share-requests/${req.id}/approve`, {})).statusCode).toBe(403);
    expect((await as(steward, 'POST', `/share-requests/${req.id}/approve`, { days: 31 })).statusCode).toBe(400);

    const approved = await as(steward, 'POST', `/share-requests/${req.id}/approve`, { days: 10, reason: '同意，限十天' });
    expect(approved.statusCode, approved.body).toBe(200);
    const a = body<ShareRequest>(approved);
    expect(a).toMatchObject({ status: 'approved', decidedBy: { id: steward.id }, decisionReason: '同意，限十天', grant: { department: 'transport', status: 'active', requestId: req.id, datasetId: 'ps_cameras' } });
    const days = (Date.parse(a.grant!.expiresAt) - Date.parse(a.grant!.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(10, 3);

    expect((await items(analyst, 'ps_cameras')).statusCode).toBe(200);
    expect((await items(otherSteward, 'ps_cameras')).statusCode).toBe(200); // the grant is to the department
    expect(body<{ datasets: SharingCatalogEntry[] }>(await as(analyst, 'GET', '/sharing/catalog')).datasets.find((d) => d.id === 'ps_cameras')).toMatchObject({ access: 'granted', grantExpiresAt: a.grant!.expiresAt });
    expect((await notes(analyst)).notifications[0]).toMatchObject({ kind: 'share.approved', link: `/share-requests/${req.id}` });

    expect((await as(steward, 'POST', `/share-requests/${req.id}/approve`, {})).statusCode).toBe(409);
    expect((await as(steward, 'POST', `/share-requests/${req.id}/refuse`, { reason: 'too late' })).statusCode).toBe(409);
    expect((await ask(analyst, 'ps_cameras')).statusCode).toBe(409); // already readable

    const trail = body<{ events: AuditEvent[] }>(await t.app.inject({ url: '/audit/events?dataset=ps_cameras&limit=50' })).events;
    const steps = trail.map((e) => `${e.action}:${e.outcome}:${e.actorName}`).reverse();
    expect(steps).toEqual(expect.arrayContaining([
      `share.request:success:${analyst.username}`,
      `share.approve:denied:${psAnalyst.username}`,
      `share.approve:denied:${otherSteward.username}`,
      `share.approve:success:${steward.username}`,
      `grant.create:success:${steward.username}`,
    ]));
    expect(trail.find((e) => e.action === 'grant.create')).toMatchObject({ targetType: 'grant', targetId: a.grant!.id, department: 'public-security', classification: 'confidential' });
  });

  it('refuses with a reason only, and the requester reads it', async () => {
    const req = body<ShareRequest>(await ask(analyst, 'ps_patrols'));
    const noReason = await as(steward, 'POST', `/share-requests/${req.id}/refuse`, {});
    expect(noReason.statusCode).toBe(400);
    expect(body(noReason)).toMatchObject({ code: 'YITU_ERR_SHARE_REQUEST_INVALID' });
    expect((await as(steward, 'POST', `/share-requests/${req.id}/refuse`, { reason: '   ' })).statusCode).toBe(400);
    const refused = await as(steward, 'POST', `/share-requests/${req.id}/refuse`, { reason: '涉及在办案件，不宜共享' });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(body<ShareRequest>(refused)).toMatchObject({ status: 'refused', decisionReason: '涉及在办案件，不宜共享', grant: null });
    const n = (await notes(analyst)).notifications.find((x) => x.link === `/share-requests/${req.id}`)!;
    expect(n.kind).toBe('share.refused');
    expect(n.body).toContain('涉及在办案件，不宜共享');
    expect((await items(analyst, 'ps_patrols')).statusCode).toBe(404);
    const ev = body<{ events: AuditEvent[] }>(await t.app.inject({ url: `/audit/events?dataset=ps_patrols&action=share.refuse` })).events;
    expect(ev).toHaveLength(1);
    expect(ev[0].details).toMatchObject({ reason: '涉及在办案件，不宜共享' });
  });

  it('lets only the requester withdraw, while pending', async () => {
    const req = body<ShareRequest>(await ask(analyst, 'ps_stations'));
    expect((await as(otherSteward, 'POST', `/share-requests/${req.id}/withdraw`)).statusCode).toBe(403);
    const stranger = await createTestUser(t.services, { roles: ['analyst'], department: 'health' });
    expect((await as(stranger, 'GET', `/share-requests/${req.id}`)).statusCode).toBe(404);
    expect((await as(stranger, 'POST', `/share-requests/${req.id}/withdraw`)).statusCode).toBe(404);
    const w = await as(analyst, 'POST', `/share-requests/${req.id}/withdraw`);
    expect(w.statusCode, w.body).toBe(200);
    expect(body<ShareRequest>(w).status).toBe('withdrawn');
    expect((await as(analyst, 'POST', `/share-requests/${req.id}/withdraw`)).statusCode).toBe(409);
    expect((await as(steward, 'POST', `/share-requests/${req.id}/approve`, {})).statusCode).toBe(409);
    expect((await notes(steward)).notifications.some((n) => n.kind === 'share.withdrawn' && n.link === `/share-requests/${req.id}`)).toBe(true);
    expect((await ask(analyst, 'ps_stations')).statusCode).toBe(201); // a new request after withdrawal
    const trail = body<{ events: AuditEvent[] }>(await t.app.inject({ url: '/audit/events?dataset=ps_stations&action=share.' })).events;
    expect(trail.map((e) => e.action).sort()).toEqual(['share.request', 'share.request', 'share.withdraw']);
  });

  it('answers a hidden, unlisted dataset exactly like a missing one, and checks the input', async () => {
    const hidden = await ask(analyst, 'ps_hidden');
    const missing = await ask(analyst, 'ps_nowhere');
    expect(hidden.statusCode).toBe(404);
    expect(body<{ detail: string }>(hidden).detail).toBe(body<{ detail: string }>(missing).detail.replace('ps_nowhere', 'ps_hidden'));
    expect((await ask(psAnalyst, 'ps_hidden')).statusCode).toBe(409); // its own department reads it
    const nobody = await createTestUser(t.services, { roles: ['analyst'], department: null });
    expect((await ask(nobody, 'ps_patrols')).statusCode).toBe(403);
    const bad = await as(analyst, 'POST', '/datasets/ps_patrols/share-requests', { purpose: 'short', days: 400 });
    expect(bad.statusCode).toBe(400);
    expect(body(bad).detail).toMatch(/purpose.*days/s);
    expect((await as(analyst, 'POST', '/datasets/ps_patrols/share-requests', { purpose: PURPOSE, days: 3, extra: 1 })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/sharing/catalog', headers: anonymous })).statusCode).toBe(401);
    expect((await as(analyst, 'GET', '/share-requests/not-a-uuid')).statusCode).toBe(404);
  });

  it('ends access when a grant expires or is revoked', async () => {
    const g = await as(steward, 'POST', '/datasets/ps_grant_a/grants', { department: 'transport', days: 5, reason: '联合执法' });
    expect(g.statusCode, g.body).toBe(201);
    const grant = body<Grant>(g);
    expect(grant).toMatchObject({ department: 'transport', status: 'active', grantedBy: steward.id });
    expect((await items(analyst, 'ps_grant_a')).statusCode).toBe(200);
    await t.services.db.query(`UPDATE yitu.dataset_grants SET created_at = now() - interval '10 days', expires_at = now() - interval '1 day' WHERE id = $1`, [grant.id]);
    t.services.guard.forget();
    expect((await items(analyst, 'ps_grant_a')).statusCode).toBe(404);
    const list = body<{ grants: Grant[] }>(await as(steward, 'GET', '/datasets/ps_grant_a/grants')).grants;
    expect(list.find((x) => x.id === grant.id)!.status).toBe('expired');

    const g2 = body<Grant>(await as(steward, 'POST', '/datasets/ps_grant_b/grants', { userId: analyst.id, days: 30, reason: '专项' }));
    expect(g2.userId).toBe(analyst.id);
    expect((await items(analyst, 'ps_grant_b')).statusCode).toBe(200);
    expect((await items(otherSteward, 'ps_grant_b')).statusCode).toBe(404); // to the user, not the department
    expect((await as(psAnalyst, 'DELETE', `/grants/${g2.id}`)).statusCode).toBe(403);
    expect((await as(analyst, 'DELETE', `/grants/${g2.id}`)).statusCode).toBe(403);
    expect((await as(otherSteward, 'DELETE', `/grants/${g2.id}`)).statusCode).toBe(404);
    expect((await as(steward, 'DELETE', `/grants/${g2.id}`)).statusCode).toBe(204);
    expect((await items(analyst, 'ps_grant_b')).statusCode).toBe(404); // at once
    expect((await as(steward, 'DELETE', `/grants/${g2.id}`)).statusCode).toBe(204);
    const after = body<{ grants: Grant[] }>(await as(steward, 'GET', '/datasets/ps_grant_b/grants')).grants;
    expect(after.find((x) => x.id === g2.id)).toMatchObject({ status: 'revoked' });
    const trail = body<{ events: AuditEvent[] }>(await t.app.inject({ url: '/audit/events?dataset=ps_grant_b&action=grant.*' })).events;
    expect(trail.map((e) => `${e.action}:${e.outcome}`).sort()).toEqual(['grant.create:success', 'grant.revoke:denied', 'grant.revoke:denied', 'grant.revoke:success']);

    expect((await as(analyst, 'GET', '/datasets/ps_grant_a/grants')).statusCode).toBe(404);
    expect((await as(psAnalyst, 'GET', '/datasets/ps_grant_a/grants')).statusCode).toBe(403);
    expect((await as(steward, 'POST', '/datasets/ps_grant_a/grants', { department: 'transport', userId: analyst.id, days: 5, reason: 'x' })).statusCode).toBe(400);
    expect((await as(steward, 'POST', '/datasets/ps_grant_a/grants', { department: 'no-such-dept', days: 5, reason: 'x' })).statusCode).toBe(404);
    expect((await as(steward, 'POST', '/datasets/ps_grant_a/grants', { department: 'transport', days: 0, reason: 'x' })).statusCode).toBe(400);
  });

  it('shows each user only their own notifications', async () => {
    const mine = await notes(steward);
    expect(mine.unread).toBeGreaterThan(0);
    const id = mine.notifications[0].id;
    const theirs = await as(analyst, 'POST', `/notifications/${id}/read`);
    expect(theirs.statusCode).toBe(404);
    expect(body(theirs)).toMatchObject({ code: 'YITU_ERR_NOTIFICATION_NOT_FOUND' });
    expect((await as(analyst, 'POST', '/notifications/abc/read')).statusCode).toBe(404);
    const read = await as(steward, 'POST', `/notifications/${id}/read`);
    expect(read.statusCode).toBe(200);
    expect(body<Notification>(read).readAt).not.toBeNull();
    expect((await notes(steward)).unread).toBe(mine.unread - 1);
    const unread = body<{ notifications: Notification[] }>(await as(steward, 'GET', '/notifications?unread=true')).notifications;
    expect(unread.every((n) => n.readAt === null)).toBe(true);
    expect(body<{ marked: number }>(await as(steward, 'POST', '/notifications/read-all')).marked).toBe(mine.unread - 1);
    expect((await notes(steward)).unread).toBe(0);
    expect((await notes(analyst)).unread).toBeGreaterThan(0);
  });
});
