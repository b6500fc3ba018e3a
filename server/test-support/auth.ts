import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Services } from '../services.ts';
import type { Role } from '../access/model.ts';

/** A user made for a test, with an API token. */
export interface TestUser {
  id: string;
  username: string;
  token: string;
  /** `{ authorization: 'Bearer …' }`, to spread into inject headers. */
  headers: { authorization: string };
}

let n = 0;

/**
 * Creates a user with the given roles (in a department created on the fly when it does not exist)
 * and an API token. Real accounts through the real service: no test principal shortcut.
 */
export async function createTestUser(
  services: Services,
  opts: { roles: Role[]; department?: string | null; regionCodes?: string[]; username?: string; password?: string } ,
): Promise<TestUser> {
  const department = opts.department === undefined ? null : opts.department;
  if (department) {
    await services.db.query(
      `INSERT INTO yitu.departments (id, name_zh, name_en) VALUES ($1, $1, $1) ON CONFLICT (id) DO NOTHING`,
      [department],
    );
  }
  const username = opts.username ?? `${opts.roles[0] ?? 'staff'}-${++n}-${Math.random().toString(36).slice(2, 8)}`.replaceAll('_', '-');
  const user = await services.accounts.createUser({
    username,
    department,
    roles: opts.roles,
    ...(opts.regionCodes ? { regionCodes: opts.regionCodes } : {}),
    ...(opts.password ? { password: opts.password } : {}),
  });
  const t = await services.accounts.createToken(user.id, 'test');
  return { id: user.id, username, token: t.token, headers: { authorization: `Bearer ${t.token}` } };
}

/**
 * Makes every `app.inject` of this app send `headers` unless the call sets `authorization` or
 * `cookie` itself (or `authorization: ''`-style opt-outs via {@link anonymous}). Tests written
 * before access control keep working as the administrator; access tests pass their own headers.
 */
export function injectAsDefault(app: FastifyInstance, headers: Record<string, string>): void {
  // Calling it again replaces the default (it wraps Fastify's own inject, never a wrapper).
  const holder = app as unknown as { [ORIGINAL]?: (o: InjectOptions | string) => ReturnType<FastifyInstance['inject']> };
  const original = (holder[ORIGINAL] ??= app.inject.bind(app) as (o: InjectOptions | string) => ReturnType<FastifyInstance['inject']>);
  const patched = (o?: InjectOptions | string) => {
    if (o === undefined) return original(undefined as unknown as string);
    const opts: InjectOptions = typeof o === 'string' ? { url: o, method: 'GET' } : o;
    const given = (opts.headers ?? {}) as Record<string, unknown>;
    if (ANON in given) {
      const { [ANON]: _drop, ...rest } = given;
      return original({ ...opts, headers: rest as InjectOptions['headers'] });
    }
    if ('authorization' in given || 'cookie' in given || 'Authorization' in given || 'Cookie' in given) return original(opts);
    return original({ ...opts, headers: { ...headers, ...given } as InjectOptions['headers'] });
  };
  (app as unknown as { inject: typeof patched }).inject = patched;
}

const ANON = 'x-test-anonymous';
const ORIGINAL = Symbol('fastify inject');

/** Headers that make an `injectAsDefault` app send the request without credentials. */
export const anonymous: Record<string, string> = { [ANON]: '1' };
