import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from '../test-support/databases.ts';
import { body, openOgcTestApp, type OgcTestApp } from '../ogc/test-app.ts';
import { anonymous, createTestUser } from '../test-support/auth.ts';

const PASSWORD = 'correct horse battery';
/** Requests of a browser on this site: same Host and Origin. */
const SITE = { host: 'yitu.test', origin: 'http://yitu.test' };

interface Session {
  cookie: string;
  csrf: string;
}

describeEachBackend('sign-in, sessions and API tokens', (kind) => {
  let t: OgcTestApp;
  let ipN = 0;
  /** Each test signs in from its own address so that the per-address limit of one does not touch another. */
  const nextIp = () => `10.0.${Math.floor(++ipN / 250)}.${ipN % 250}`;

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
  }, 120_000);
  afterAll(async () => t?.close());

  const signIn = (username: string, password: string, ip = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/auth/sign-in', headers: { ...anonymous, ...SITE, 'x-forwarded-for': ip }, payload: { username, password } });
  const sessionOf = (r: LightMyRequestResponse): Session => {
    const c = r.cookies.find((x) => x.name === 'yitu_session');
    expect(c, 'session cookie').toBeDefined();
    return { cookie: `yitu_session=${c!.value}`, csrf: body<{ csrfToken: string }>(r).csrfToken };
  };
  const asSession = (s: Session, extra: Record<string, string> = {}) => ({ ...SITE, cookie: s.cookie, 'x-csrf-token': s.csrf, ...extra });
  const user = (roles: Parameters<typeof createTestUser>[1]['roles'] = ['analyst']) => createTestUser(t.services, { roles, department: 'water-resources', password: PASSWORD });

  it('signs in with a secure session cookie, reports the session, and signs out', async () => {
    const u = await user();
    const r = await signIn(u.username, PASSWORD, nextIp());
    expect(r.statusCode, r.body).toBe(200);
    const c = r.cookies.find((x) => x.name === 'yitu_session')!;
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(c.secure).toBeFalsy();
    const b = body<{ user: { username: string; mustChangePassword: boolean }; csrfToken: string; expiresAt: string }>(r);
    expect(b.user.username).toBe(u.username);
    expect(b.csrfToken.length).toBeGreaterThan(20);
    expect(Date.parse(b.expiresAt)).toBeGreaterThan(Date.now() + 11 * 3600_000);
    const s = sessionOf(r);

    const me = await t.app.inject({ url: '/auth/session', headers: { cookie: s.cookie } });
    expect(body(me)).toMatchObject({ authenticated: true, user: { username: u.username }, csrfToken: b.csrfToken, department: { id: 'water-resources' }, permissions: { administer: false } });
    const last = await t.services.db.query<{ last_sign_in_at: Date | null }>('SELECT last_sign_in_at FROM yitu.users WHERE id = $1', [u.id]);
    expect(last.rows[0].last_sign_in_at).not.toBeNull();

    const out = await t.app.inject({ method: 'POST', url: '/auth/sign-out', headers: asSession(s) });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((x) => x.name === 'yitu_session')?.value).toBe('');
    // The old cookie is nobody now: reading is anonymous, acting is refused.
    const after = await t.app.inject({ url: '/auth/session', headers: { cookie: s.cookie } });
    expect(body(after)).toEqual({ authenticated: false });
    const act = await t.app.inject({ method: 'POST', url: '/auth/tokens', headers: asSession(s), payload: { name: 'x' } });
    expect(act.statusCode).toBe(401);
    await t.services.audit.flush();
    const ev = await t.services.db.query<{ action: string }>(`SELECT action FROM yitu.audit_events WHERE actor_id = $1 ORDER BY id`, [u.id]);
    expect(ev.rows.map((e) => e.action)).toEqual(['auth.sign_in', 'auth.sign_out']);
  });

  it('gives a new session id at each sign-in and ends the one the browser came with', async () => {
    const u = await user();
    const first = sessionOf(await signIn(u.username, PASSWORD, nextIp()));
    const again = await t.app.inject({ method: 'POST', url: '/auth/sign-in', headers: { ...SITE, cookie: first.cookie, 'x-forwarded-for': nextIp() }, payload: { username: u.username, password: PASSWORD } });
    expect(again.statusCode, again.body).toBe(200);
    const second = sessionOf(again);
    expect(second.cookie).not.toBe(first.cookie);
    expect(body(await t.app.inject({ url: '/auth/session', headers: { cookie: first.cookie } }))).toEqual({ authenticated: false });
    expect(body(await t.app.inject({ url: '/auth/session', headers: { cookie: second.cookie } }))).toMatchObject({ authenticated: true });
  });

  it('marks the cookie Secure behind an https proxy', async () => {
    const u = await user();
    const r = await t.app.inject({ method: 'POST', url: '/auth/sign-in', headers: { ...anonymous, 'x-forwarded-proto': 'https', 'x-forwarded-for': nextIp() }, payload: { username: u.username, password: PASSWORD } });
    expect(r.cookies.find((x) => x.name === 'yitu_session')?.secure).toBe(true);
    expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('refuses a missing or forged CSRF token and a cross-site Origin on a cookie request', async () => {
    const u = await user();
    const s = sessionOf(await signIn(u.username, PASSWORD, nextIp()));
    const post = (headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/auth/tokens', headers, payload: { name: 'script' } });
    const missing = await post({ ...SITE, cookie: s.cookie });
    expect(missing.statusCode).toBe(403);
    expect(body(missing).code).toBe('YITU_ERR_CSRF');
    const forged = await post(asSession(s, { 'x-csrf-token': s.csrf.slice(0, -2) + 'AA' }));
    expect(body(forged).code).toBe('YITU_ERR_CSRF');
    const crossSite = await post(asSession(s, { origin: 'https://evil.example' }));
    expect(crossSite.statusCode).toBe(403);
    expect(body(crossSite).code).toBe('YITU_ERR_CSRF');
    const sameSitePort = await post(asSession(s, { host: 'yitu.test:80' }));
    expect(sameSitePort.statusCode, 'a default port written out is the same site').toBe(201);
    const otherPort = await post(asSession(s, { host: 'yitu.test:8080' }));
    expect(body(otherPort).code).toBe('YITU_ERR_CSRF');
    const ok = await post(asSession(s));
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await t.services.accounts.listTokens(u.id)).map((x) => x.name).sort()).toEqual(['script', 'script', 'test']);
  });

  it('answers an unknown user and a wrong password alike', async () => {
    const u = await user();
    const disabled = await user();
    await t.services.accounts.updateUser(disabled.id, { disabled: true });
    const noPassword = await createTestUser(t.services, { roles: ['analyst'] });
    const answers = await Promise.all([
      signIn('nobody-here', PASSWORD, nextIp()),
      signIn(u.username, 'wrong password 1', nextIp()),
      signIn(disabled.username, PASSWORD, nextIp()),
      signIn(noPassword.username, PASSWORD, nextIp()),
    ]);
    const strip = (r: LightMyRequestResponse) => {
      const { instance: _i, ...rest } = body(r);
      return rest;
    };
    expect(strip(answers[0]).code).toBe('YITU_ERR_SIGN_IN_FAILED');
    for (const a of answers) {
      expect(a.statusCode).toBe(401);
      expect(a.cookies).toEqual([]);
      expect(strip(a)).toEqual(strip(answers[0]));
    }
    await t.services.audit.flush();
    const ev = await t.services.db.query<{ actor_name: string; outcome: string }>(`SELECT actor_name, outcome FROM yitu.audit_events WHERE action = 'auth.sign_in_failed' AND actor_name = 'nobody-here'`);
    expect(ev.rows).toEqual([{ actor_name: 'nobody-here', outcome: 'failure' }]);
  });

  it('locks a name after repeated failures, answers unknown names the same, and lifts the lock', async () => {
    const u = await user();
    const ip = nextIp();
    const max = t.services.config.signInMaxFailures;
    const tries = async (name: string) => {
      const out = [];
      for (let i = 0; i < max + 1; i++) out.push(await signIn(name, `wrong password ${i}`, ip));
      return out;
    };
    const known = await tries(u.username);
    const unknown = await tries('ghost-user');
    for (const series of [known, unknown]) {
      expect(series.map((r) => r.statusCode)).toEqual([...Array(max - 1).fill(401), 429, 429]);
      expect(Number(series[max].headers['retry-after'])).toBeGreaterThan(800);
      expect(body(series[max]).code).toBe('YITU_ERR_SIGN_IN_LOCKED');
    }
    expect(body(known[max]).detail).toBe(body(unknown[max]).detail);
    // The right password does not open a locked account.
    expect((await signIn(u.username, PASSWORD, ip)).statusCode).toBe(429);
    await t.services.audit.flush();
    const locks = await t.services.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM yitu.audit_events WHERE action = 'auth.locked' AND actor_name = $1`, [u.username]);
    expect(locks.rows[0].n).toBe(1);
    // Time passes.
    await t.services.db.query(`UPDATE yitu.users SET locked_until = now() - interval '1 second' WHERE id = $1`, [u.id]);
    const r = await signIn(u.username, PASSWORD, ip);
    expect(r.statusCode, r.body).toBe(200);
    const row = await t.services.db.query<{ failed_attempts: number; locked_until: Date | null }>('SELECT failed_attempts, locked_until FROM yitu.users WHERE id = $1', [u.id]);
    expect(row.rows[0]).toEqual({ failed_attempts: 0, locked_until: null });
  });

  it('limits failed sign-ins per address', async () => {
    const ip = nextIp();
    const limit = t.services.config.signInMaxPerIp;
    for (let i = 0; i < limit; i++) expect((await signIn(`someone-${i}`, 'wrong password', ip)).statusCode).toBe(401);
    const r = await signIn('someone-else', 'wrong password', ip);
    expect(r.statusCode).toBe(429);
    expect(body(r).code).toBe('YITU_ERR_RATE_LIMITED');
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    const u = await user();
    expect((await signIn(u.username, PASSWORD, nextIp())).statusCode).toBe(200);
  });

  it('changes the password by the rules and ends the other sessions', async () => {
    const u = await user();
    const a = sessionOf(await signIn(u.username, PASSWORD, nextIp()));
    const b = sessionOf(await signIn(u.username, PASSWORD, nextIp()));
    const change = (currentPassword: string, newPassword: string) => t.app.inject({ method: 'POST', url: '/auth/password', headers: asSession(a), payload: { currentPassword, newPassword } });
    const wrong = await change('not my password', 'a much better secret');
    expect(wrong.statusCode).toBe(403);
    for (const weak of ['short', '1234567890', `${u.username}-secret-2024`, 'aaaaaaaaaaaa']) {
      const r = await change(PASSWORD, weak);
      expect(r.statusCode, weak).toBe(400);
      expect(body(r).code).toBe('YITU_ERR_PASSWORD_WEAK');
    }
    expect((await change(PASSWORD, 'a much better secret')).statusCode).toBe(204);
    expect(body(await t.app.inject({ url: '/auth/session', headers: { cookie: a.cookie } }))).toMatchObject({ authenticated: true });
    expect(body(await t.app.inject({ url: '/auth/session', headers: { cookie: b.cookie } }))).toEqual({ authenticated: false });
    expect((await signIn(u.username, PASSWORD, nextIp())).statusCode).toBe(401);
    expect((await signIn(u.username, 'a much better secret', nextIp())).statusCode).toBe(200);
  });

  it('lists, creates and revokes own API tokens; revoked, expired and disabled users\' tokens fail at once', async () => {
    const u = await user();
    const created = await t.app.inject({ method: 'POST', url: '/auth/tokens', headers: u.headers, payload: { name: 'nightly', days: 30 } });
    expect(created.statusCode).toBe(201);
    const tok = body<{ id: string; token: string; expiresAt: string }>(created);
    expect(tok.token).toMatch(/^yitu_[0-9a-f]{32}_/);
    const bearer = { authorization: `Bearer ${tok.token}` };
    const list = body<{ tokens: Array<{ id: string; name: string; revokedAt: string | null }> }>(await t.app.inject({ url: '/auth/tokens', headers: bearer }));
    expect(list.tokens.map((x) => x.name).sort()).toEqual(['nightly', 'test']);
    // the secret (base64url: it may hold '_' itself) is never listed
    const secret = /^yitu_[0-9a-f]{32}_(.+)$/.exec(tok.token)![1];
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect(JSON.stringify(list)).not.toContain(secret);
    // Another user cannot revoke it.
    const other = await user();
    expect((await t.app.inject({ method: 'DELETE', url: `/auth/tokens/${tok.id}`, headers: other.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/auth/session', headers: bearer })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/auth/tokens/${tok.id}`, headers: u.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/auth/session', headers: bearer })).statusCode).toBe(401);

    const expiring = await t.services.accounts.createToken(u.id, 'short', 1);
    expect((await t.app.inject({ url: '/auth/session', headers: { authorization: `Bearer ${expiring.token}` } })).statusCode).toBe(200);
    await t.services.db.query(`UPDATE yitu.api_tokens SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.id]);
    t.services.guard.forget();
    expect((await t.app.inject({ url: '/auth/session', headers: { authorization: `Bearer ${expiring.token}` } })).statusCode).toBe(401);

    expect((await t.app.inject({ url: '/auth/session', headers: u.headers })).statusCode).toBe(200);
    const off = await t.app.inject({ method: 'PATCH', url: `/users/${u.id}`, payload: { disabled: true } });
    expect(off.statusCode, off.body).toBe(200);
    expect((await t.app.inject({ url: '/auth/session', headers: u.headers })).statusCode).toBe(401);
    await t.services.audit.flush();
    const ev = await t.services.db.query<{ action: string }>(`SELECT action FROM yitu.audit_events WHERE actor_id = $1 AND action LIKE 'token.%' ORDER BY id`, [u.id]);
    expect(ev.rows.map((e) => e.action)).toEqual(['token.create', 'token.revoke']);
  });

  it('sends security headers on pages, API answers and errors, HSTS only over https', async () => {
    for (const r of [
      await t.app.inject({ url: '/health', headers: anonymous }),
      await t.app.inject({ url: '/health', headers: { authorization: 'Bearer yitu_forged' } }),
      await t.app.inject({ url: '/app/', headers: anonymous }),
    ]) {
      const csp = String(r.headers['content-security-policy']);
      for (const d of ["default-src 'self'", "script-src 'self'", "worker-src 'self' blob:", "img-src 'self' data: blob:", "frame-ancestors 'self'", "object-src 'none'"]) expect(csp).toContain(d);
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(r.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['strict-transport-security']).toBeUndefined();
    }
    const https = await t.app.inject({ url: '/health', headers: { ...anonymous, 'x-forwarded-proto': 'https' } });
    expect(https.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  });

  it('validates sign-in and token bodies', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/auth/sign-in', headers: anonymous, payload: { username: 'x' } });
    expect(r.statusCode).toBe(400);
    expect(body(r).code).toBe('YITU_ERR_INPUT_INVALID');
    const u = await user();
    const bad = await t.app.inject({ method: 'POST', url: '/auth/tokens', headers: u.headers, payload: { name: '', days: 0 } });
    expect(bad.statusCode).toBe(400);
    expect((await t.app.inject({ url: '/auth/tokens', headers: anonymous })).statusCode).toBe(401);
  });
});
