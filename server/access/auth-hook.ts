import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import { YituError } from '../platform/errors.ts';
import { ANONYMOUS, type Principal } from './model.ts';
import type { AccessGuard, SessionAuth } from './guard.ts';
import type { RequestOrigin } from './audit-log.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking (the anonymous public when not signed in). */
    principal: Principal;
    /** The session the request came with, when by cookie. */
    session: SessionAuth | null;
  }
}

/** Name of the session cookie. */
export const SESSION_COOKIE = 'yitu_session';
/** Header carrying the CSRF token on unsafe requests made with the session cookie. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Unsafe requests that need no CSRF token: signing in creates the session (SameSite=Lax and the Origin check guard it). */
const CSRF_EXEMPT = new Set(['/auth/sign-in']);

/** Where the request came from, for the audit trail. */
export function originOf(req: FastifyRequest): RequestOrigin {
  return { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '') };
}

/**
 * Resolves who is asking on every request, before any route runs: an API token
 * (`Authorization: Bearer yitu_…`) or the session cookie; otherwise the anonymous public.
 * An unknown, expired, revoked or disabled credential is refused with 401 rather than downgraded
 * silently, except a stale session cookie, which is dropped (the browser signs in again).
 *
 * CSRF: an unsafe request (POST, PUT, PATCH, DELETE) authenticated by the cookie must carry the
 * session's token in `X-CSRF-Token` (the web app gets it from `GET /auth/session`), and a cross-site
 * `Origin` is refused; token-authenticated requests carry no ambient credential and need neither.
 */
export async function installAuth(app: FastifyInstance, guard: AccessGuard): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (req, reply) => {
    req.principal = ANONYMOUS;
    req.session = null;
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      const p = m ? await guard.token(m[1]) : null;
      if (!p) {
        throw new YituError(
          'YITU_ERR_AUTH_REQUIRED',
          'The API token is not valid (unknown, revoked, expired, or its user is disabled). Send "Authorization: Bearer yitu_…" with a current token.',
        );
      }
      req.principal = p;
      return;
    }
    const value = req.cookies[SESSION_COOKIE];
    if (!value) return;
    const s = value.length <= 200 ? await guard.session(value) : null;
    if (!s) {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    req.session = s;
    req.principal = s.principal;
    if (SAFE_METHODS.has(req.method)) return;
    const origin = req.headers.origin;
    if (origin && origin !== 'null' && !sameOrigin(origin, req)) {
      throw new YituError('YITU_ERR_CSRF', `A request from ${origin} may not use this site's session. Use an API token for cross-site clients.`);
    }
    const path = req.url.split('?')[0];
    if (CSRF_EXEMPT.has(path)) return;
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !safeEqual(sent, s.csrfToken)) {
      throw new YituError('YITU_ERR_CSRF', `Send the session's CSRF token in the ${CSRF_HEADER} header (from GET /auth/session).`);
    }
  });
}

/** True when `Origin` names this host (a scheme's default port written or not: `localhost:80` = `localhost`). */
function sameOrigin(origin: string, req: FastifyRequest): boolean {
  try {
    const u = new URL(origin);
    const bare = (host: string) => host.toLowerCase().replace(u.protocol === 'https:' ? /:443$/ : /:80$/, '');
    return bare(u.host) === bare(req.host);
  } catch {
    return false;
  }
}

/** Constant-time comparison of two tokens (node:crypto's timingSafeEqual needs equal lengths). */
function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
