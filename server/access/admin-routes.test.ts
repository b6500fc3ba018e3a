import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../test-support/databases.ts';
import { body, openOgcTestApp, type OgcTestApp } from '../ogc/test-app.ts';
import { anonymous, createTestUser } from '../test-support/auth.ts';
import type { User } from './model.ts';

const TOWN = '330521101';

describeEachBackend('administration of users, departments and roles', (kind) => {
  let t: OgcTestApp;
  let n = 0;
  const ip = () => ({ 'x-forwarded-for': `10.1.0.${++n}` });
  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    await t.services.db.query(
      `INSERT INTO yitu.regions (code, stat_code, level, kind, name_zh, name_en, geom)
       VALUES ($1, '330521101000', 'town', 'town', '武康街道', 'Wukang', ST_Multi(ST_MakeEnvelope(119.9, 30.5, 120.0, 30.6, 4326)))`,
      [TOWN],
    );
  }, 120_000);
  afterAll(async () => t?.close());

  const signIn = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/auth/sign-in', headers: { ...anonymous, ...ip() }, payload: { username, password } });

  it('lets only administrators in: 401 for the anonymous, 403 for staff', async () => {
    const analyst = await createTestUser(t.services, { roles: ['analyst', 'data_steward'], department: 'transport' });
    const id = t.admin.id;
    const cases: Array<[string, string, unknown?]> = [
      ['GET', '/users'],
      ['POST', '/users', { username: 'someone', roles: [] }],
      ['GET', `/users/${id}`],
      ['PATCH', `/users/${id}`, { displayName: 'x' }],
      ['POST', `/users/${id}/password`],
      ['DELETE', `/users/${id}/sessions`],
      ['POST', '/departments', { id: 'x-dept', name: { zh: '某局', en: 'X' } }],
      ['PATCH', '/departments/transport', { kind: 'town' }],
    ];
    for (const [method, url, payload] of cases) {
      const as = async (headers: Record<string, string>) => t.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload: payload as object } : {}) });
      const anon = await as(anonymous);
      expect(anon.statusCode, `${method} ${url} anonymous`).toBe(401);
      expect(body(anon).code).toBe('YITU_ERR_AUTH_REQUIRED');
      const staff = await as(analyst.headers);
      expect(staff.statusCode, `${method} ${url} analyst`).toBe(403);
      expect(body(staff).code).toBe('YITU_ERR_FORBIDDEN');
    }
    for (const url of ['/departments', '/departments/transport', '/roles']) expect((await t.app.inject({ url, headers: anonymous })).statusCode, url).toBe(200);
    const roles = body<{ roles: Array<{ id: string; title: { zh: string } }> }>(await t.app.inject({ url: '/roles', headers: anonymous }));
    expect(roles.roles.find((r) => r.id === 'grid_worker')?.title.zh).toBe('网格员');
  });

  it('creates a user with a one-time password that must be changed, lists and filters users', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/users', payload: { username: 'li.wei', displayName: '李伟', department: 'transport', roles: ['analyst'], regionCodes: [TOWN] } });
    expect(r.statusCode, r.body).toBe(201);
    const { user, password } = body<{ user: User; password: string }>(r);
    expect(user).toMatchObject({ username: 'li.wei', displayName: '李伟', department: 'transport', roles: ['analyst'], regionCodes: [TOWN], mustChangePassword: true });
    expect(password.length).toBeGreaterThanOrEqual(16);
    const s = await signIn('li.wei', password);
    expect(s.statusCode).toBe(200);
    expect(body(s)).toMatchObject({ user: { mustChangePassword: true } });

    expect((await t.app.inject({ method: 'POST', url: '/users', payload: { username: 'li.wei', roles: [] } })).statusCode).toBe(409);
    const weak = await t.app.inject({ method: 'POST', url: '/users', payload: { username: 'weak.one', roles: [], password: 'weak.one-2024!' } });
    expect(body(weak).code).toBe('YITU_ERR_PASSWORD_WEAK');
    const given = await t.app.inject({ method: 'POST', url: '/users', payload: { username: 'zhang.min', roles: ['leader'], password: 'a long enough passphrase' } });
    expect(given.statusCode).toBe(201);
    expect(body(given)).not.toHaveProperty('password');
    for (const [payload, code] of [
      [{ username: 'Bad Name', roles: [] }, 'YITU_ERR_USER_INVALID'],
      [{ username: 'ok.name', roles: ['king'] }, 'YITU_ERR_USER_INVALID'],
      [{ username: 'ok.name', roles: [], department: 'no-such-dept' }, 'YITU_ERR_DEPARTMENT_NOT_FOUND'],
      [{ username: 'ok.name', roles: [], regionCodes: ['999999'] }, 'YITU_ERR_USER_INVALID'],
      [{ username: 'ok.name', roles: [], extra: 1 }, 'YITU_ERR_USER_INVALID'],
    ] as const) {
      expect(body(await t.app.inject({ method: 'POST', url: '/users', payload })).code, JSON.stringify(payload)).toBe(code);
    }

    const list = body<{ users: User[]; total: number }>(await t.app.inject({ url: '/users?department=transport&role=analyst' }));
    expect(list.users.map((u) => u.username)).toContain('li.wei');
    expect(list.users.every((u) => u.department === 'transport' && u.roles.includes('analyst'))).toBe(true);
    expect(body<{ users: User[] }>(await t.app.inject({ url: '/users?q=%E6%9D%8E' })).users.map((u) => u.username)).toEqual(['li.wei']);
    expect((await t.app.inject({ url: '/users?role=king' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/users?limit=0' })).statusCode).toBe(400);
    expect(JSON.stringify(list)).not.toMatch(/scrypt|password_hash/);
    await t.services.audit.flush();
    const ev = await t.services.db.query<{ actor_name: string }>(`SELECT actor_name FROM yitu.audit_events WHERE action = 'user.create' AND target_id = $1`, [user.id]);
    expect(ev.rows).toEqual([{ actor_name: 'test-admin' }]);
  });

  it('changes roles and disables a user with effect at once; resets passwords and ends sessions', async () => {
    const u = await createTestUser(t.services, { roles: ['analyst'], department: 'transport', password: 'first pass phrase' });
    expect((await t.app.inject({ url: '/users', headers: u.headers })).statusCode).toBe(403);
    const promote = await t.app.inject({ method: 'PATCH', url: `/users/${u.id}`, payload: { roles: ['analyst', 'administrator'] } });
    expect(promote.statusCode, promote.body).toBe(200);
    expect((await t.app.inject({ url: '/users', headers: u.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PATCH', url: `/users/${u.id}`, payload: { roles: ['analyst'] } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/users', headers: u.headers })).statusCode).toBe(403);

    const cookie = (r: { cookies: Array<{ name: string; value: string }> }) => `yitu_session=${r.cookies.find((c) => c.name === 'yitu_session')!.value}`;
    const session = cookie(await signIn(u.username, 'first pass phrase'));
    const me = async (headers: Record<string, string>) => body<{ authenticated: boolean }>(await t.app.inject({ url: '/auth/session', headers })).authenticated;
    expect(await me({ cookie: session })).toBe(true);
    expect((await t.app.inject({ method: 'DELETE', url: `/users/${u.id}/sessions` })).statusCode).toBe(204);
    expect(await me({ cookie: session })).toBe(false);

    const reset = await t.app.inject({ method: 'POST', url: `/users/${u.id}/password` });
    const { password } = body<{ password: string }>(reset);
    expect((await signIn(u.username, 'first pass phrase')).statusCode).toBe(401);
    const again = await signIn(u.username, password);
    expect(body(again)).toMatchObject({ user: { mustChangePassword: true } });

    const second = cookie(again);
    const off = await t.app.inject({ method: 'PATCH', url: `/users/${u.id}`, payload: { disabled: true } });
    expect(body(off)).toMatchObject({ disabled: true });
    expect(await me({ cookie: second })).toBe(false);
    expect((await t.app.inject({ url: '/auth/tokens', headers: u.headers })).statusCode).toBe(401);
    expect((await signIn(u.username, password)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'PATCH', url: `/users/${u.id}`, payload: { disabled: false } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/auth/tokens', headers: u.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PATCH', url: `/users/${u.id}`, payload: { roles: ['emperor'] } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PATCH', url: '/users/00000000-0000-0000-0000-000000000000', payload: {} })).statusCode).toBe(404);

    await t.services.audit.flush();
    const ev = await t.services.db.query<{ action: string }>(`SELECT action FROM yitu.audit_events WHERE target_id = $1 AND action LIKE 'user.%' ORDER BY id`, [u.id]);
    expect(ev.rows.map((e) => e.action)).toEqual(['user.update', 'user.update', 'user.update', 'user.password_reset', 'user.update', 'user.update']);
  });

  it('keeps the last active administrator', async () => {
    const others = await t.services.accounts.listUsers({ role: 'administrator' });
    for (const o of others.users.filter((x) => x.id !== t.admin.id && !x.disabled)) await t.services.accounts.updateUser(o.id, { disabled: true });
    for (const payload of [{ disabled: true }, { roles: ['analyst'] }]) {
      const r = await t.app.inject({ method: 'PATCH', url: `/users/${t.admin.id}`, payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(409);
      expect(body(r).detail).toMatch(/last active administrator/);
    }
    const second = await createTestUser(t.services, { roles: ['administrator'] });
    expect((await t.app.inject({ method: 'PATCH', url: `/users/${second.id}`, payload: { disabled: true } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PATCH', url: `/users/${t.admin.id}`, payload: { disabled: true } })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'PATCH', url: `/users/${second.id}`, payload: { disabled: false } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PATCH', url: `/users/${second.id}`, payload: { roles: ['leader'] } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/users/${t.admin.id}` })).statusCode).toBe(200);
  });

  it('creates and changes departments with a checked jurisdiction', async () => {
    const create = (payload: object) => t.app.inject({ method: 'POST', url: '/departments', payload });
    const ok = await create({ id: 'wukang-office', name: { zh: '武康街道办事处', en: 'Wukang Office' }, kind: 'town', regionCodes: [TOWN], caseCategories: ['land.illegal_building'] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(body(ok)).toEqual({ id: 'wukang-office', name: { zh: '武康街道办事处', en: 'Wukang Office' }, kind: 'town', regionCodes: [TOWN], caseCategories: ['land.illegal_building'] });
    expect((await create({ id: 'wukang-office', name: { zh: 'x' } })).statusCode).toBe(409);
    for (const bad of [
      { id: 'Bad Id', name: { zh: 'x' } },
      { id: 'ok-dept', name: { zh: 'x' }, kind: 'ministry' },
      { id: 'ok-dept', name: { zh: 'x' }, regionCodes: ['330521999'] },
      { id: 'ok-dept' },
    ]) {
      const r = await create(bad);
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      expect(body(r).code).toBe('YITU_ERR_DEPARTMENT_INVALID');
    }
    // A new jurisdiction is the scope of the department's people at once.
    const u = await createTestUser(t.services, { roles: ['analyst'], department: 'wukang-office' });
    expect((await t.services.guard.token(u.token))?.scope).toEqual([TOWN]);
    const patch = await t.app.inject({ method: 'PATCH', url: '/departments/wukang-office', payload: { regionCodes: [], name: { zh: '武康街道', en: 'Wukang' } } });
    expect(body(patch)).toMatchObject({ regionCodes: [], name: { zh: '武康街道' } });
    expect((await t.services.guard.token(u.token))?.scope).toBeNull();
    expect((await t.app.inject({ method: 'PATCH', url: '/departments/nope-dept', payload: { kind: 'town' } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/departments/nope-dept', headers: anonymous })).statusCode).toBe(404);
    const all = body<{ departments: Array<{ id: string }> }>(await t.app.inject({ url: '/departments', headers: anonymous }));
    expect(all.departments.map((d) => d.id)).toContain('wukang-office');
    await t.services.audit.flush();
    const ev = await t.services.db.query<{ action: string }>(`SELECT action FROM yitu.audit_events WHERE target_id = 'wukang-office' ORDER BY id`);
    expect(ev.rows.map((e) => e.action)).toEqual(['department.create', 'department.update']);
  });
});
