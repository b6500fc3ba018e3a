import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import { ROLES, type Role, type User, usernameSchema } from './model.ts';
import { checkPasswordRules, hashPassword, randomSecret, sha256 } from './passwords.ts';
import type { AccessGuard } from './guard.ts';

/** A new user. */
export interface NewUser {
  username: string;
  displayName?: string;
  email?: string;
  phone?: string;
  department?: string | null;
  roles?: Role[];
  regionCodes?: string[];
  /** Checked against the password rules unless `skipRules` (generated passwords). */
  password?: string;
  mustChangePassword?: boolean;
}

/** A new API token: the secret is shown once and never stored. */
export interface IssuedToken {
  id: string;
  name: string;
  token: string;
  expiresAt: string | null;
}

/** A new session: the cookie value and the CSRF token. */
export interface IssuedSession {
  cookieValue: string;
  csrfToken: string;
  expiresAt: string;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  email: string;
  phone: string;
  department_id: string | null;
  roles: Role[];
  region_codes: string[];
  disabled: boolean;
  must_change_password: boolean;
  locked_until: Date | string | null;
  last_sign_in_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

/** Maps a `yitu.users` row to the API's user (never the hash). */
export function toUser(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    email: r.email,
    phone: r.phone,
    department: r.department_id,
    roles: r.roles,
    regionCodes: r.region_codes,
    disabled: r.disabled,
    mustChangePassword: r.must_change_password,
    lockedUntil: iso(r.locked_until),
    lastSignInAt: iso(r.last_sign_in_at),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

/** Columns of a user as the API shows them. */
export const USER_COLUMNS = `id, username, display_name, email, phone, department_id, roles, region_codes, disabled,
  must_change_password, locked_until, last_sign_in_at, created_at, updated_at`;

/**
 * Users, sessions and API tokens. Every change that could alter what a principal may do calls
 * `guard.forget()` so that cached sessions and tokens are looked up again.
 */
export class AccountService {
  constructor(
    readonly db: Db,
    private readonly guard: AccessGuard,
    private readonly opts: { sessionHours: number },
  ) {}

  /** Creates a user; the password (when given) must meet the rules. */
  async createUser(u: NewUser, q: Queryable = this.db): Promise<User> {
    const username = usernameSchema.safeParse(u.username);
    if (!username.success) throw new YituError('YITU_ERR_USER_INVALID', `username: ${username.error.issues[0].message}`);
    const roles = u.roles ?? [];
    const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (bad.length) throw new YituError('YITU_ERR_USER_INVALID', `Unknown role ${bad.join(', ')}; roles are ${ROLES.join(', ')}.`);
    if (u.password !== undefined) checkPasswordRules(u.password, u.username);
    const hash = u.password !== undefined ? await hashPassword(u.password) : null;
    if (u.department) {
      const d = await q.query('SELECT 1 FROM yitu.departments WHERE id = $1', [u.department]);
      if (!d.rows.length) throw new YituError('YITU_ERR_DEPARTMENT_NOT_FOUND', `There is no department '${u.department}'.`);
    }
    const exists = await q.query('SELECT 1 FROM yitu.users WHERE username = $1', [u.username]);
    if (exists.rows.length) throw new YituError('YITU_ERR_USER_EXISTS', `The user name '${u.username}' is taken; choose another.`);
    const r = await q.query<UserRow>(
      `INSERT INTO yitu.users (id, username, display_name, email, phone, department_id, roles, region_codes, password_hash,
         password_changed_at, must_change_password)
       VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8::text[], $9, CASE WHEN $9::text IS NULL THEN NULL ELSE now() END, $10)
       RETURNING ${USER_COLUMNS}`,
      [randomUUID(), u.username, u.displayName ?? '', u.email ?? '', u.phone ?? '', u.department ?? null, roles, u.regionCodes ?? [], hash, u.mustChangePassword ?? false],
    );
    return toUser(r.rows[0]);
  }

  /** A user by id. */
  async getUser(id: string): Promise<User> {
    const r = /^[0-9a-f-]{36}$/i.test(id) ? await this.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM yitu.users WHERE id = $1`, [id]) : { rows: [] };
    if (!r.rows[0]) throw new YituError('YITU_ERR_USER_NOT_FOUND', `There is no user '${id}'.`);
    return toUser(r.rows[0]);
  }

  /** Issues an API token for a user; `days` null = no expiry. */
  async createToken(userId: string, name: string, days: number | null = null): Promise<IssuedToken> {
    const id = randomUUID();
    const secret = randomSecret(32);
    const r = await this.db.query<{ expires_at: Date | string | null }>(
      `INSERT INTO yitu.api_tokens (id, user_id, name, secret_hash, expires_at)
       VALUES ($1, $2, $3, $4, CASE WHEN $5::float8 IS NULL THEN NULL ELSE now() + make_interval(secs => $5::float8 * 86400) END)
       RETURNING expires_at`,
      [id, userId, name, sha256(secret), days],
    );
    return { id, name, token: `yitu_${id.replaceAll('-', '')}_${secret}`, expiresAt: iso(r.rows[0].expires_at) };
  }

  /** Starts a browser session for a user (after a successful sign-in). */
  async createSession(userId: string, origin: { ip: string; userAgent: string }): Promise<IssuedSession> {
    const cookieValue = randomSecret(32);
    const csrfToken = randomSecret(24);
    const r = await this.db.query<{ expires_at: Date | string }>(
      `INSERT INTO yitu.sessions (id_hash, user_id, csrf_token, ip, user_agent, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::float8 * 3600)) RETURNING expires_at`,
      [sha256(cookieValue), userId, csrfToken, origin.ip, origin.userAgent.slice(0, 500), this.opts.sessionHours],
    );
    return { cookieValue, csrfToken, expiresAt: iso(r.rows[0].expires_at)! };
  }

  /** Ends a session (sign-out). */
  async endSession(idHash: string): Promise<void> {
    await this.db.query('DELETE FROM yitu.sessions WHERE id_hash = $1', [idHash]);
    this.guard.forget();
  }
}
