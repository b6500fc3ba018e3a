import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import { ROLES, type Role, type TokenInfo, type User, usernameSchema } from './model.ts';
import { checkPasswordRules, generatePassword, hashPassword, randomSecret, sha256, verifyPassword } from './passwords.ts';
import type { AccessGuard } from './guard.ts';
import { checkRegionCodes } from './departments.ts';

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
  /** Skip the password rules (a generated password). */
  skipRules?: boolean;
  mustChangePassword?: boolean;
}

/** A new API token: the secret is shown once and never stored. */
export interface IssuedToken {
  id: string;
  name: string;
  token: string;
  expiresAt: string | null;
}

/** Changes an administrator may make to a user (absent = unchanged). */
export type UserPatch = Pick<NewUser, 'displayName' | 'email' | 'phone' | 'department' | 'roles' | 'regionCodes'> & { disabled?: boolean };

/** Filters of the user list. */
export interface UserQuery {
  q?: string;
  department?: string;
  role?: Role;
  limit?: number;
  offset?: number;
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
    if (u.password !== undefined && !u.skipRules) checkPasswordRules(u.password, u.username);
    const hash = u.password !== undefined ? await hashPassword(u.password) : null;
    if (u.department) {
      const d = await q.query('SELECT 1 FROM yitu.departments WHERE id = $1', [u.department]);
      if (!d.rows.length) throw new YituError('YITU_ERR_DEPARTMENT_NOT_FOUND', `There is no department '${u.department}'.`);
    }
    if (u.regionCodes?.length) await checkRegionCodes(q, u.regionCodes, 'YITU_ERR_USER_INVALID');
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

  /** A user by user name, or null. */
  async findByUsername(username: string): Promise<User | null> {
    const r = await this.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM yitu.users WHERE username = $1`, [username]);
    return r.rows[0] ? toUser(r.rows[0]) : null;
  }

  /** A user by user name; YITU_ERR_USER_NOT_FOUND when there is none. */
  async getByUsername(username: string): Promise<User> {
    const u = await this.findByUsername(username);
    if (!u) throw new YituError('YITU_ERR_USER_NOT_FOUND', `There is no user '${username.slice(0, 64)}'.`);
    return u;
  }

  /** Users matching the filters, by user name, with the total. */
  async listUsers(f: UserQuery = {}): Promise<{ users: User[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    if (f.q) {
      const like = p(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(username ILIKE ${like} OR display_name ILIKE ${like} OR email ILIKE ${like})`);
    }
    if (f.department) where.push(`department_id = ${p(f.department)}`);
    if (f.role) where.push(`${p(f.role)} = ANY(roles)`);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM yitu.users ${w}`, params);
    const r = await this.db.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM yitu.users ${w} ORDER BY username LIMIT ${p(f.limit ?? 100)} OFFSET ${p(f.offset ?? 0)}`,
      params,
    );
    return { users: r.rows.map(toUser), total: total.rows[0].n };
  }

  /**
   * Changes a user. Disabling ends their sessions (their tokens stop working because the guard
   * checks `disabled`). The last active administrator cannot be disabled or lose the role
   * (YITU_ERR_CONFLICT). Takes effect at once (`guard.forget()`).
   */
  async updateUser(id: string, patch: UserPatch): Promise<User> {
    const before = await this.getUser(id);
    const roles = patch.roles;
    if (roles) {
      const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
      if (bad.length) throw new YituError('YITU_ERR_USER_INVALID', `Unknown role ${bad.join(', ')}; roles are ${ROLES.join(', ')}.`);
    }
    const user = await this.db.transaction(async (tx) => {
      if (patch.department) {
        const d = await tx.query('SELECT 1 FROM yitu.departments WHERE id = $1', [patch.department]);
        if (!d.rows.length) throw new YituError('YITU_ERR_DEPARTMENT_NOT_FOUND', `There is no department '${patch.department}'.`);
      }
      if (patch.regionCodes?.length) await checkRegionCodes(tx, patch.regionCodes, 'YITU_ERR_USER_INVALID');
      const losesAdmin = before.roles.includes('administrator') && !before.disabled && (patch.disabled === true || (roles !== undefined && !roles.includes('administrator')));
      if (losesAdmin) await assertAnotherAdmin(tx, id);
      const sets: string[] = [];
      const params: unknown[] = [id];
      const set = (col: string, v: unknown, cast = '') => sets.push(`${col} = $${params.push(v)}${cast}`);
      if (patch.displayName !== undefined) set('display_name', patch.displayName);
      if (patch.email !== undefined) set('email', patch.email);
      if (patch.phone !== undefined) set('phone', patch.phone);
      if (patch.department !== undefined) set('department_id', patch.department);
      if (roles !== undefined) set('roles', [...new Set(roles)], '::text[]');
      if (patch.regionCodes !== undefined) set('region_codes', [...new Set(patch.regionCodes)], '::text[]');
      if (patch.disabled !== undefined) set('disabled', patch.disabled);
      if (patch.disabled === false) sets.push('failed_attempts = 0', 'locked_until = NULL');
      const r = await tx.query<UserRow>(`UPDATE yitu.users SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${USER_COLUMNS}`, params);
      if (patch.disabled === true) await tx.query('DELETE FROM yitu.sessions WHERE user_id = $1', [id]);
      return toUser(r.rows[0]);
    });
    this.guard.forget();
    return user;
  }

  /**
   * Sets a user's password. With `generate` a random one is made, returned once and must be
   * changed at the next sign-in; otherwise `password` must meet the rules. Ends the user's
   * sessions except `keepSession` (an id hash).
   */
  async setPassword(id: string, opts: { password?: string; mustChange?: boolean; keepSession?: string }): Promise<string> {
    const user = await this.getUser(id);
    const password = opts.password ?? generatePassword();
    if (opts.password !== undefined) checkPasswordRules(password, user.username);
    const hash = await hashPassword(password);
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE yitu.users SET password_hash = $2, password_changed_at = now(), must_change_password = $3, failed_attempts = 0,
           locked_until = NULL, updated_at = now() WHERE id = $1`,
        [id, hash, opts.mustChange ?? opts.password === undefined],
      );
      await tx.query('DELETE FROM yitu.sessions WHERE user_id = $1 AND id_hash <> $2', [id, opts.keepSession ?? '']);
    });
    this.guard.forget();
    return password;
  }

  /**
   * Changes one's own password: the current one must be right (YITU_ERR_FORBIDDEN otherwise), the
   * new one must meet the rules and differ. Other sessions end; `keepSession` stays.
   */
  async changeOwnPassword(id: string, current: string, next: string, keepSession?: string): Promise<void> {
    const r = await this.db.query<{ password_hash: string | null; username: string }>('SELECT password_hash, username FROM yitu.users WHERE id = $1', [id]);
    const row = r.rows[0];
    if (!(await verifyPassword(current, row?.password_hash ?? null))) {
      throw new YituError('YITU_ERR_FORBIDDEN', 'The current password is not right; the password was not changed.');
    }
    if (current === next) throw new YituError('YITU_ERR_PASSWORD_WEAK', 'Choose another password: the new password must differ from the current one.');
    await this.setPassword(id, { password: next, mustChange: false, ...(keepSession ? { keepSession } : {}) });
  }

  /** Ends all sessions of a user (they sign in again). */
  async endSessions(userId: string): Promise<number> {
    await this.getUser(userId);
    const r = await this.db.query('DELETE FROM yitu.sessions WHERE user_id = $1', [userId]);
    this.guard.forget();
    return r.rowCount ?? 0;
  }

  /** When a session ends (its expiry), or null when it is unknown. */
  async sessionExpiry(idHash: string): Promise<string | null> {
    const r = await this.db.query<{ expires_at: Date | string }>('SELECT expires_at FROM yitu.sessions WHERE id_hash = $1', [idHash]);
    return r.rows[0] ? iso(r.rows[0].expires_at) : null;
  }

  /** A user's API tokens, newest first (without secrets). */
  async listTokens(userId: string): Promise<TokenInfo[]> {
    const r = await this.db.query<{ id: string; name: string; created_at: Date; expires_at: Date | null; last_used_at: Date | null; revoked_at: Date | null }>(
      'SELECT id, name, created_at, expires_at, last_used_at, revoked_at FROM yitu.api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id',
      [userId],
    );
    return r.rows.map((t) => ({ id: t.id, name: t.name, createdAt: iso(t.created_at)!, expiresAt: iso(t.expires_at), lastUsedAt: iso(t.last_used_at), revokedAt: iso(t.revoked_at) }));
  }

  /** Revokes one of the user's tokens; YITU_ERR_TOKEN_NOT_FOUND when it is not theirs or already revoked. */
  async revokeToken(userId: string, tokenId: string): Promise<void> {
    const r = /^[0-9a-f-]{36}$/i.test(tokenId)
      ? await this.db.query('UPDATE yitu.api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL', [tokenId, userId])
      : { rowCount: 0 };
    if (!r.rowCount) throw new YituError('YITU_ERR_TOKEN_NOT_FOUND', `You have no active API token '${tokenId.slice(0, 40)}'.`);
    this.guard.forget();
  }
}

/** Throws YITU_ERR_CONFLICT unless an active administrator other than `id` remains (rows locked until the transaction ends). */
async function assertAnotherAdmin(tx: Queryable, id: string): Promise<void> {
  const r = await tx.query<{ id: string }>(`SELECT id FROM yitu.users WHERE 'administrator' = ANY(roles) AND NOT disabled FOR UPDATE`);
  if (!r.rows.some((u) => u.id !== id)) {
    throw new YituError('YITU_ERR_CONFLICT', 'This is the last active administrator: make another user an administrator first, then disable or demote this one.');
  }
}
