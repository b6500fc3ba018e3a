import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../platform/config.ts';
import { YituError } from '../platform/errors.ts';
import type { Services } from '../services.ts';
import { SESSION_COOKIE, originOf } from './auth-hook.ts';
import { requireUser } from './guard.ts';
import { canAdminister, canReadAudit } from './policy.ts';
import { parseInput } from './zod-input.ts';
import { SignInService } from './sign-in.ts';

const signInSchema = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1024) }).strict();
const passwordSchema = z.object({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024) }).strict();
const tokenSchema = z.object({ name: z.string().trim().min(1).max(100), days: z.number().int().min(1).max(3650).optional() }).strict();

/** True when the session cookie must be marked Secure for this request. */
export function secureCookie(config: Config, req: FastifyRequest): boolean {
  return config.cookieSecure === 'always' || (config.cookieSecure === 'auto' && req.protocol === 'https');
}

/** Sets `Retry-After` from a lock-out or rate-limit error, then throws it on. */
function withRetryAfter(reply: FastifyReply, e: unknown): never {
  const retry = e instanceof YituError ? e.extra?.retryAfter : undefined;
  if (typeof retry === 'number') reply.header('retry-after', String(retry));
  throw e;
}

/**
 * Signing in and out, one's own session, password and API tokens: `POST /auth/sign-in`,
 * `POST /auth/sign-out`, `GET /auth/session`, `POST /auth/password`, `GET/POST /auth/tokens`,
 * `DELETE /auth/tokens/:id`.
 */
export async function authRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { config, accounts, audit, guard, db } = opts.services;
  const departments = opts.services.departments;
  const signIns = new SignInService(db, accounts, audit, guard, {
    maxFailures: config.signInMaxFailures,
    lockMinutes: config.signInLockMinutes,
    maxPerIp: config.signInMaxPerIp,
    ipWindowMinutes: 15,
  });

  app.post('/auth/sign-in', async (req, reply) => {
    const b = parseInput(signInSchema, req.body);
    const r = await signIns.signIn(b.username, b.password, originOf(req)).catch((e: unknown) => withRetryAfter(reply, e));
    // A new session id at every sign-in; the one the browser came with (if any) ends.
    if (req.session) await accounts.endSession(req.session.idHash);
    reply.setCookie(SESSION_COOKIE, r.session.cookieValue, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: secureCookie(config, req),
      expires: new Date(r.session.expiresAt),
    });
    reply.header('cache-control', 'no-store');
    return { user: r.user, csrfToken: r.session.csrfToken, expiresAt: r.session.expiresAt };
  });

  app.post('/auth/sign-out', async (req, reply) => {
    if (req.session) {
      await accounts.endSession(req.session.idHash);
      await audit.record({ principal: req.principal, origin: originOf(req), action: 'auth.sign_out' });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie(config, req) });
    return reply.status(204).send();
  });

  app.get('/auth/session', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const p = req.principal;
    if (p.kind !== 'user' || !p.userId) return { authenticated: false };
    const user = await accounts.getUser(p.userId);
    return {
      authenticated: true,
      user,
      department: user.department ? await departments.find(user.department) : null,
      csrfToken: req.session?.csrfToken ?? null,
      expiresAt: req.session ? await accounts.sessionExpiry(req.session.idHash) : null,
      permissions: { administer: canAdminister(p), readAudit: canReadAudit(p) },
    };
  });

  app.post('/auth/password', async (req, reply) => {
    const p = req.principal;
    requireUser(p);
    const b = parseInput(passwordSchema, req.body);
    try {
      await accounts.changeOwnPassword(p.userId, b.currentPassword, b.newPassword, req.session?.idHash);
    } catch (e) {
      const wrong = e instanceof YituError && e.code === 'YITU_ERR_FORBIDDEN';
      await audit.record({ principal: p, origin: originOf(req), action: 'auth.password_change', outcome: 'failure', details: { reason: wrong ? 'wrong current password' : 'rules' } });
      throw e;
    }
    await audit.record({ principal: p, origin: originOf(req), action: 'auth.password_change', targetType: 'user', targetId: p.userId });
    return reply.status(204).send();
  });

  app.get('/auth/tokens', async (req) => {
    const p = req.principal;
    requireUser(p);
    return { tokens: await accounts.listTokens(p.userId) };
  });

  app.post('/auth/tokens', async (req, reply) => {
    const p = req.principal;
    requireUser(p);
    const b = parseInput(tokenSchema, req.body);
    const t = await accounts.createToken(p.userId, b.name, b.days ?? null);
    await audit.record({ principal: p, origin: originOf(req), action: 'token.create', targetType: 'token', targetId: t.id, details: { name: t.name, expiresAt: t.expiresAt } });
    return reply.status(201).header('cache-control', 'no-store').send(t);
  });

  app.delete<{ Params: { id: string } }>('/auth/tokens/:id', async (req, reply) => {
    const p = req.principal;
    requireUser(p);
    await accounts.revokeToken(p.userId, req.params.id);
    await audit.record({ principal: p, origin: originOf(req), action: 'token.revoke', targetType: 'token', targetId: req.params.id });
    return reply.status(204).send();
  });
}
