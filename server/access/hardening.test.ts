import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, createServices, type Services } from '../app.ts';
import { loadConfig } from '../platform/config.ts';
import { createLogger, redactUrl } from '../platform/logger.ts';
import { describeEachBackend, openTestDb, type TestDb } from '../test-support/databases.ts';
import { ensureFirstAdministrator, FIRST_ADMIN } from './bootstrap.ts';
import { basemapOrigins, contentSecurityPolicy } from './security-headers.ts';

/** A logger whose JSON lines are kept in memory. */
function capturingLogger(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger('trace', { write: (s: string) => void lines.push(s) }) };
}

describeEachBackend('hardening: log redaction and the first administrator', (kind) => {
  let db: TestDb;
  let services: Services;
  let app: FastifyInstance;
  let lines: string[];
  const announced: string[] = [];

  beforeAll(async () => {
    db = await openTestDb(kind);
    const cap = capturingLogger();
    lines = cap.lines;
    const { config } = loadConfig({}, { demoOnEmpty: false, dataDir: '/tmp/yitu-hardening-test' });
    services = createServices(config, db.db, cap.log);
    app = await buildApp(services);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await services?.jobs.shutdown();
    await db?.dispose();
  });

  it('creates the first administrator once, shows a generated password once and never logs it', async () => {
    const first = await ensureFirstAdministrator(services, (text) => announced.push(text));
    expect(first).toEqual({ created: true, generated: true });
    expect(announced).toHaveLength(1);
    const m = /Yitu administrator: admin \/ (\S+) — shown once; change it after signing in/.exec(announced[0]);
    expect(m, announced[0]).not.toBeNull();
    const password = m![1];
    const admin = await services.accounts.getByUsername(FIRST_ADMIN);
    expect(admin).toMatchObject({ roles: ['administrator'], mustChangePassword: true, disabled: false });

    const again = await ensureFirstAdministrator(services, (text) => announced.push(text));
    expect(again).toEqual({ created: false, generated: false });
    expect(announced).toHaveLength(1);
    const n = await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM yitu.users');
    expect(n.rows[0].n).toBe(1);

    const r = await app.inject({ method: 'POST', url: '/auth/sign-in', payload: { username: 'admin', password } });
    expect(r.statusCode, r.body).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ user: { username: 'admin', mustChangePassword: true } });
    expect(lines.join('')).not.toContain(password);
  });

  it('takes the first administrator\'s password from the configuration', async () => {
    const other = await openTestDb(kind);
    try {
      const servicesWith = (password: string) =>
        createServices(loadConfig({ YITU_ADMIN_PASSWORD: password }, { demoOnEmpty: false, logLevel: 'silent', dataDir: '/tmp/yitu-hardening-test' }).config, other.db, createLogger('silent'));
      const said: string[] = [];
      // A configured password that breaks the rules stops the start with a clear message.
      await expect(ensureFirstAdministrator(servicesWith('my admin password'), (x) => said.push(x))).rejects.toMatchObject({ code: 'YITU_ERR_CONFIG_INVALID' });
      const s = servicesWith('configured root secret');
      expect(await ensureFirstAdministrator(s, (x) => said.push(x))).toEqual({ created: true, generated: false });
      expect(said).toEqual([]);
      expect(await s.accounts.getByUsername('admin')).toMatchObject({ mustChangePassword: false });
      const row = await other.db.query<{ password_hash: string }>(`SELECT password_hash FROM yitu.users WHERE username = 'admin'`);
      expect(row.rows[0].password_hash).toMatch(/^scrypt\$/);
    } finally {
      await other.dispose();
    }
  });

  it('keeps passwords, cookies, CSRF and API tokens and share tokens out of the log', async () => {
    const password = 'logged never please';
    const u = await services.accounts.createUser({ username: 'log-test', roles: ['analyst'], password });
    const token = (await services.accounts.createToken(u.id, 'log')).token;
    const shareToken = 'SHARE0TOKEN0SECRET0VALUE';
    const before = lines.length;
    const signIn = await app.inject({ method: 'POST', url: '/auth/sign-in', payload: { username: 'log-test', password } });
    const cookie = signIn.cookies.find((c) => c.name === 'yitu_session')!.value;
    const csrf = JSON.parse(signIn.body).csrfToken as string;
    await app.inject({ method: 'POST', url: '/auth/sign-in', payload: { username: 'log-test', password: `${password}-wrong` } });
    const made = await app.inject({ method: 'POST', url: '/auth/tokens', headers: { cookie: `yitu_session=${cookie}`, 'x-csrf-token': csrf }, payload: { name: 'x' } });
    const newToken = JSON.parse(made.body).token as string;
    await app.inject({ url: `/maps/00000000-0000-0000-0000-000000000000?token=${shareToken}&lang=zh`, headers: { authorization: `Bearer ${token}` } });
    await app.inject({ url: `/collections?token=${shareToken}`, headers: { authorization: `Bearer yitu_${'0'.repeat(32)}_forgedforgedforgedforged` } });
    await app.inject({ method: 'POST', url: '/auth/password', headers: { authorization: `Bearer ${token}` }, payload: { currentPassword: password, newPassword: 'another fine secret' } });
    services.log.info({ headers: { authorization: `Bearer ${token}`, cookie: `yitu_session=${cookie}`, 'x-csrf-token': csrf }, password }, 'a careless log line');
    const out = lines.slice(before).join('');
    expect(out).toContain('incoming request');
    expect(out).toContain('token=***');
    expect(out).toContain('a careless log line');
    // a token's secret part is base64url and may hold '_' itself: cut after the id, not at every '_'
    const tokenSecret = /^yitu_[0-9a-f]{32}_(.+)$/.exec(token)![1];
    for (const secret of [password, 'another fine secret', token, tokenSecret, newToken, cookie, csrf, shareToken]) {
      expect(secret.length, 'a secret to look for').toBeGreaterThan(8);
      expect(out, secret).not.toContain(secret);
    }
  });
});

it('redacts secret query parameters of URLs', () => {
  expect(redactUrl('/maps/1/style.json?token=abc&lang=zh')).toBe('/maps/1/style.json?token=***&lang=zh');
  expect(redactUrl('/x?lang=zh&access_token=abc#y')).toBe('/x?lang=zh&access_token=***#y');
  expect(redactUrl('/collections?tokens=1')).toBe('/collections?tokens=1');
});

it('allows the online basemap\'s hosts in the CSP', () => {
  expect(basemapOrigins('https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY http://tiles.example.org/{z}/{x}/{y}.png')).toEqual(['https://*.tianditu.gov.cn', 'http://tiles.example.org']);
  expect(basemapOrigins(undefined)).toEqual([]);
  const csp = contentSecurityPolicy({ basemapUrl: 'https://t0.tianditu.gov.cn/vec_w/wmts?x={x}' });
  expect(csp['connect-src']).toContain('https://t0.tianditu.gov.cn');
  expect(csp['img-src']).toContain('https://t0.tianditu.gov.cn');
  expect(csp['script-src']).toEqual(["'self'"]);
});
