import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend } from '../test-support/databases.ts';
import { openOgcTestApp, type OgcTestApp, createDataset, poiFeatures } from '../ogc/test-app.ts';
import { createTestUser } from '../test-support/auth.ts';

describeEachBackend('access core', (kind) => {
  let t: OgcTestApp;
  beforeAll(async () => {
    t = await openOgcTestApp(kind);
  }, 120_000);
  afterAll(async () => t?.close());

  it('resolves an API token to its user, and refuses a forged one', async () => {
    const u = await createTestUser(t.services, { roles: ['analyst'], department: 'water-resources' });
    const p = await t.services.guard.token(u.token);
    expect(p).toMatchObject({ kind: 'user', username: u.username, departmentId: 'water-resources', roles: ['analyst'], via: 'token' });
    expect(await t.services.guard.token(u.token.slice(0, -2) + 'xx')).toBeNull();
    const res = await t.app.inject({ url: '/health', headers: { authorization: 'Bearer yitu_nope' } });
    expect(res.statusCode).toBe(401);
  });

  it('keeps the audit trail append-only in the database', async () => {
    await t.services.audit.record({ principal: (await t.services.guard.principalOf((await createTestUser(t.services, { roles: ['leader'] })).id))!, action: 'test.event' });
    await expect(t.services.db.query(`UPDATE yitu.audit_events SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.services.db.query(`DELETE FROM yitu.audit_events`)).rejects.toThrow(/append-only/);
    await expect(t.services.db.query(`TRUNCATE yitu.audit_events`)).rejects.toThrow(/append-only/);
    const n = await t.services.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM yitu.audit_events WHERE action = 'test.event'`);
    expect(n.rows[0].n).toBe(1);
  });

  it('hides a confidential dataset from another department and shows it to its own', async () => {
    await t.services.db.query(`INSERT INTO yitu.departments (id, name_zh, name_en) VALUES ('public-security', '公安局', 'Public Security') ON CONFLICT DO NOTHING`);
    await createDataset(t.services, 'secret_pois', poiFeatures(), { department: 'public-security', classification: 'confidential' });
    const other = await t.services.guard.token((await createTestUser(t.services, { roles: ['analyst'], department: 'transport' })).token);
    const own = await t.services.guard.token((await createTestUser(t.services, { roles: ['analyst'], department: 'public-security' })).token);
    await expect(t.services.guard.readable(other!, 'secret_pois')).rejects.toMatchObject({ code: 'YITU_ERR_DATASET_NOT_FOUND' });
    await expect(t.services.guard.readable(own!, 'secret_pois')).resolves.toMatchObject({ id: 'secret_pois' });
    const vis = await t.services.guard.visibility(other!);
    const r = await t.services.hub.search({ visible: vis! });
    expect(r.items.map((d) => d.id)).not.toContain('secret_pois');
  });
});
