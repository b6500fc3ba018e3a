import type { Db } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import type { HubService } from '../hub/service.ts';
import type { Dataset, DatasetVisibility } from '../hub/model.ts';
import { ANONYMOUS, type Principal, type Role } from './model.ts';
import { canCreateDataset, canRead, canWrite, datasetVisibility, featureScope } from './policy.ts';
import { sha256 } from './passwords.ts';

/** A resolved session: the principal and what the CSRF check needs. */
export interface SessionAuth {
  principal: Principal;
  idHash: string;
  csrfToken: string;
}

interface PrincipalRow {
  user_id: string;
  username: string;
  display_name: string;
  department_id: string | null;
  roles: Role[];
  user_regions: string[];
  department_regions: string[] | null;
  disabled: boolean;
}

interface Cached<T> {
  value: T;
  until: number;
}

/** How long a resolved session, token or grant set is reused without asking the database. */
const CACHE_MS = 5_000;

/** The columns a principal is built from; callers add the join and the condition. */
const principalColumns = `u.id AS user_id, u.username, u.display_name, u.department_id, u.roles,
  u.region_codes AS user_regions, d.region_codes AS department_regions, u.disabled`;
const principalFrom = 'FROM yitu.users u LEFT JOIN yitu.departments d ON d.id = u.department_id';
const principalSql = `SELECT ${principalColumns}\n  ${principalFrom}`;

/**
 * Decides what a principal may see and do with datasets, and resolves credentials to principals.
 * Every data path asks it: `readable` before reading (404 for what the reader may not see, so a
 * confidential dataset's existence is not told), `writable` before writing. Resolved sessions,
 * tokens and grant sets are kept for a few seconds (tiles come in dozens per second); `forget`
 * drops them at once when a user, session, token or grant changes in this process.
 */
export class AccessGuard {
  private readonly sessions = new Map<string, Cached<SessionAuth | null>>();
  private readonly tokens = new Map<string, Cached<Principal | null>>();
  private readonly grants = new Map<string, Cached<Map<string, number>>>();

  constructor(
    private readonly db: Db,
    private readonly hub: HubService,
  ) {}

  /** Drops every cached session, token and grant set (after any change to users, sessions, tokens or grants). */
  forget(): void {
    this.sessions.clear();
    this.tokens.clear();
    this.grants.clear();
  }

  /** The session behind a cookie value, or null when unknown, expired, or its user is disabled. */
  async session(cookieValue: string): Promise<SessionAuth | null> {
    const idHash = sha256(cookieValue);
    const now = Date.now();
    const hit = this.sessions.get(idHash);
    if (hit && hit.until > now) return hit.value;
    const r = await this.db.query<PrincipalRow & { csrf_token: string }>(
      `SELECT ${principalColumns}, s.csrf_token ${principalFrom}
       JOIN yitu.sessions s ON s.user_id = u.id
       WHERE s.id_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
      [idHash],
    );
    const row = r.rows[0];
    const value = row ? { principal: toPrincipal(row, 'session'), idHash, csrfToken: row.csrf_token } : null;
    if (value) void this.db.query(`UPDATE yitu.sessions SET last_seen_at = now() WHERE id_hash = $1 AND last_seen_at < now() - interval '1 minute'`, [idHash]).catch(() => {});
    this.remember(this.sessions, idHash, value, now);
    return value;
  }

  /** The principal of an API token (`yitu_<id>_<secret>`), or null when unknown, revoked, expired or its user disabled. */
  async token(token: string): Promise<Principal | null> {
    const m = /^yitu_([0-9a-f]{32})_([A-Za-z0-9_-]{20,100})$/.exec(token);
    if (!m) return null;
    const id = `${m[1].slice(0, 8)}-${m[1].slice(8, 12)}-${m[1].slice(12, 16)}-${m[1].slice(16, 20)}-${m[1].slice(20)}`;
    const secretHash = sha256(m[2]);
    const key = `${id}:${secretHash}`;
    const now = Date.now();
    const hit = this.tokens.get(key);
    if (hit && hit.until > now) return hit.value;
    const r = await this.db.query<PrincipalRow>(
      `${principalSql}
       JOIN yitu.api_tokens t ON t.user_id = u.id
       WHERE t.id = $1 AND t.secret_hash = $2 AND t.revoked_at IS NULL
         AND (t.expires_at IS NULL OR t.expires_at > now()) AND NOT u.disabled`,
      [id, secretHash],
    );
    const value = r.rows[0] ? toPrincipal(r.rows[0], 'token') : null;
    if (value) void this.db.query(`UPDATE yitu.api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [id]).catch(() => {});
    this.remember(this.tokens, key, value, now);
    return value;
  }

  /** A user's principal by id (for jobs and the CLI), or null when unknown or disabled. */
  async principalOf(userId: string): Promise<Principal | null> {
    const r = await this.db.query<PrincipalRow>(`${principalSql} WHERE u.id = $1 AND NOT u.disabled`, [userId]);
    return r.rows[0] ? toPrincipal(r.rows[0], 'none') : null;
  }

  private remember<T>(cache: Map<string, Cached<T>>, key: string, value: T, now: number): void {
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { value, until: now + CACHE_MS });
  }

  /** Ids of the datasets the principal holds an active grant on (to them or their department). */
  async granted(p: Principal): Promise<ReadonlySet<string>> {
    if (p.kind !== 'user' || !p.userId) return new Set();
    const key = `${p.userId}:${p.departmentId ?? ''}`;
    const now = Date.now();
    let hit = this.grants.get(key);
    if (!hit || hit.until <= now) {
      const r = await this.db.query<{ dataset_id: string; expires: number }>(
        `SELECT dataset_id, max(extract(epoch FROM expires_at) * 1000)::float8 AS expires
         FROM yitu.dataset_grants
         WHERE revoked_at IS NULL AND expires_at > now() AND (user_id = $1 OR department_id = $2)
         GROUP BY dataset_id`,
        [p.userId, p.departmentId],
      );
      hit = { value: new Map(r.rows.map((g) => [g.dataset_id, g.expires])), until: now + CACHE_MS };
      this.grants.set(key, hit);
    }
    // a grant that ends while cached ends on time
    return new Set([...hit.value].filter(([, expires]) => expires > now).map(([id]) => id));
  }

  /** The catalog filter for the principal (null: everything). */
  async visibility(p: Principal): Promise<DatasetVisibility | null> {
    return datasetVisibility(p, await this.granted(p));
  }

  /**
   * The dataset when the principal may read it; otherwise YITU_ERR_DATASET_NOT_FOUND, worded the
   * same as for a dataset that does not exist.
   */
  async readable(p: Principal, id: string): Promise<Dataset> {
    let ds: Dataset | null = null;
    try {
      ds = await this.hub.get(id);
    } catch (e) {
      if (!(e instanceof YituError) || e.code !== 'YITU_ERR_DATASET_NOT_FOUND') throw e;
    }
    if (ds && canRead(p, ds, await this.granted(p))) return ds;
    throw notFound(id);
  }

  /** True when the principal may read the dataset (for filtering lists such as a map's layers). */
  async mayRead(p: Principal, ds: Dataset): Promise<boolean> {
    return canRead(p, ds, await this.granted(p));
  }

  /**
   * The dataset when the principal may write it. A dataset the principal may not see is not
   * found; one they see but may not change is YITU_ERR_FORBIDDEN (or YITU_ERR_AUTH_REQUIRED when
   * anonymous).
   */
  async writable(p: Principal, id: string): Promise<Dataset> {
    const ds = await this.readable(p, id);
    if (!canWrite(p, ds)) throw forbidden(p, `Only the data stewards of ${ds.department ?? 'the owning department'} change dataset ${id}.`);
    return ds;
  }

  /** Throws unless the principal may create a dataset owned by `department`. */
  assertCreate(p: Principal, department: string | null): void {
    if (!canCreateDataset(p, department)) {
      throw forbidden(
        p,
        department === null
          ? 'Only an administrator creates a dataset without a department; give the department that owns it.'
          : `Only the data stewards of ${department} (or an administrator) create its datasets.`,
      );
    }
  }

  /** Region codes the principal's reads of the dataset's features are limited to (null: none). */
  scope(p: Principal, ds: Dataset): readonly string[] | null {
    return featureScope(p, ds);
  }
}

/** The uniform "not found" of a dataset, the same whether it is missing or hidden. */
export function notFound(id: string): YituError {
  return new YituError('YITU_ERR_DATASET_NOT_FOUND', `There is no dataset '${id}' that you may see. Check the id, or sign in with an account that may read it.`);
}

/** 401 for the anonymous, 403 for a signed-in user without the right. */
export function forbidden(p: Principal, message: string): YituError {
  return p.kind === 'user' ? new YituError('YITU_ERR_FORBIDDEN', message) : new YituError('YITU_ERR_AUTH_REQUIRED', `Sign in first. ${message}`);
}

/** Throws YITU_ERR_AUTH_REQUIRED for the anonymous. */
export function requireUser(p: Principal): asserts p is Principal & { kind: 'user'; userId: string; username: string } {
  if (p.kind !== 'user') throw new YituError('YITU_ERR_AUTH_REQUIRED', 'Sign in first (a session cookie from POST /auth/sign-in, or an API token as "Authorization: Bearer yitu_…").');
}

function toPrincipal(r: PrincipalRow, via: Principal['via']): Principal {
  const scope = r.user_regions.length ? r.user_regions : r.department_regions?.length ? r.department_regions : null;
  return Object.freeze({
    kind: 'user',
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    departmentId: r.department_id,
    roles: Object.freeze([...r.roles]),
    scope: scope ? Object.freeze([...scope]) : null,
    via,
  });
}
