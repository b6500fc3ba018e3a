import { YituError } from '../platform/errors.ts';
import type { Db } from '../platform/db.ts';
import { ANONYMOUS, type User } from './model.ts';
import { verifyPassword } from './passwords.ts';
import type { AccountService, IssuedSession } from './accounts.ts';
import type { AuditLog, RequestOrigin } from './audit-log.ts';
import type { AccessGuard } from './guard.ts';

/** Limits of signing in. */
export interface SignInLimits {
  /** Failed sign-ins of one name in a row before it is locked. */
  maxFailures: number;
  /** Minutes a locked name stays locked. */
  lockMinutes: number;
  /** Failed sign-ins from one address within `ipWindowMinutes` before the address must wait. */
  maxPerIp: number;
  /** The window of the per-address limit, in minutes. */
  ipWindowMinutes: number;
}

/** A successful sign-in. */
export interface SignedIn {
  user: User;
  session: IssuedSession;
}

interface Counter {
  count: number;
  /** Locked (a name) or the window's end (an address), ms since the epoch. */
  until: number;
}

interface AccountRow {
  id: string;
  password_hash: string | null;
  disabled: boolean;
  locked_until: Date | string | null;
}

/** Most names and addresses tracked in memory; beyond that the oldest are forgotten. */
const MAX_TRACKED = 20_000;

/** The one answer to every failed sign-in, whatever the cause. */
function failed(): YituError {
  return new YituError('YITU_ERR_SIGN_IN_FAILED', 'The user name or the password is not right, or this account may not sign in. Check both and try again.');
}

/** The one answer to a locked name, whether or not it exists. */
function locked(retryAfter: number): YituError {
  return new YituError(
    'YITU_ERR_SIGN_IN_LOCKED',
    `Too many failed sign-ins for this user name: try again in ${Math.max(1, Math.round(retryAfter / 60))} minute(s), or ask an administrator to reset the password.`,
    { extra: { retryAfter } },
  );
}

/**
 * Signing in with a user name and password. Every failure answers the same (401
 * YITU_ERR_SIGN_IN_FAILED) whether the name is unknown, the password wrong, the account disabled
 * or without a password, and costs the same time (an unknown name is checked against a dummy hash).
 *
 * Lock-out: after `maxFailures` failures in a row a name is locked for `lockMinutes` (429
 * YITU_ERR_SIGN_IN_LOCKED with a retry time). Known accounts count in `yitu.users` (failed_attempts,
 * locked_until, shared by every process); unknown names count in memory the same way, so that the
 * answers do not tell whether an account exists. Each address may fail `maxPerIp` times per window
 * (429 YITU_ERR_RATE_LIMITED), which slows guessing across many names.
 */
export class SignInService {
  private readonly unknownNames = new Map<string, Counter>();
  private readonly addresses = new Map<string, Counter>();

  constructor(
    private readonly db: Db,
    private readonly accounts: AccountService,
    private readonly audit: AuditLog,
    private readonly guard: AccessGuard,
    private readonly limits: SignInLimits,
  ) {}

  /** Checks the password and starts a session; throws the uniform errors above. */
  async signIn(username: string, password: string, origin: RequestOrigin): Promise<SignedIn> {
    const now = Date.now();
    const ip = this.addresses.get(origin.ip);
    if (ip && ip.until > now && ip.count >= this.limits.maxPerIp) {
      const retryAfter = Math.ceil((ip.until - now) / 1000);
      throw new YituError('YITU_ERR_RATE_LIMITED', `Too many failed sign-ins from your address: try again in ${Math.ceil(retryAfter / 60)} minute(s).`, { extra: { retryAfter } });
    }
    const name = username.trim().toLowerCase().slice(0, 64);
    const r = await this.db.query<AccountRow>('SELECT id, password_hash, disabled, locked_until FROM yitu.users WHERE username = $1', [name]);
    const row = r.rows[0];
    const lockedUntil = row ? (row.locked_until ? new Date(row.locked_until).getTime() : 0) : (this.unknownNames.get(name)?.until ?? 0);
    const failure = { principal: ANONYMOUS, origin, actorName: name, outcome: 'failure' as const, ...(row ? { targetType: 'user', targetId: row.id } : {}) };
    if (lockedUntil > now) {
      await this.audit.record({ ...failure, action: 'auth.sign_in_failed', details: { reason: 'locked' } });
      throw locked(Math.ceil((lockedUntil - now) / 1000));
    }
    const ok = (await verifyPassword(password, row?.password_hash ?? null)) && !!row && !row.disabled;
    if (!ok) {
      this.countAddress(origin.ip, now);
      const reason = !row ? 'unknown user' : row.disabled ? 'disabled' : row.password_hash === null ? 'no password' : 'wrong password';
      await this.audit.record({ ...failure, action: 'auth.sign_in_failed', details: { reason } });
      const until = row ? await this.countAccount(row.id) : this.countUnknown(name, now);
      if (until !== null) {
        await this.audit.record({ ...failure, action: 'auth.locked', details: { minutes: this.limits.lockMinutes } });
        throw locked(Math.ceil((until - now) / 1000));
      }
      throw failed();
    }
    await this.db.query('UPDATE yitu.users SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = now() WHERE id = $1', [row.id]);
    const session = await this.accounts.createSession(row.id, origin);
    const principal = await this.guard.principalOf(row.id);
    await this.audit.record({ principal: principal ?? ANONYMOUS, origin, action: 'auth.sign_in', actorName: name, targetType: 'user', targetId: row.id });
    return { user: await this.accounts.getUser(row.id), session };
  }

  /** Counts a failure of a known account; returns when it is now locked, or null. */
  private async countAccount(id: string): Promise<number | null> {
    const r = await this.db.query<{ locked_until: Date | string | null }>(
      `UPDATE yitu.users SET
         locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(secs => $3::float8 * 60) ELSE locked_until END,
         failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END
       WHERE id = $1 RETURNING locked_until`,
      [id, this.limits.maxFailures, this.limits.lockMinutes],
    );
    const until = r.rows[0]?.locked_until ? new Date(r.rows[0].locked_until).getTime() : 0;
    return until > Date.now() ? until : null;
  }

  /** Counts a failure of an unknown name, the same way as {@link countAccount}. */
  private countUnknown(name: string, now: number): number | null {
    const c = this.unknownNames.get(name) ?? { count: 0, until: 0 };
    c.count += 1;
    this.unknownNames.delete(name);
    if (c.count >= this.limits.maxFailures) {
      c.count = 0;
      c.until = now + this.limits.lockMinutes * 60_000;
    }
    this.track(this.unknownNames, name, c);
    return c.until > now ? c.until : null;
  }

  private countAddress(ip: string, now: number): void {
    const c = this.addresses.get(ip);
    if (c && c.until > now) c.count += 1;
    else this.track(this.addresses, ip, { count: 1, until: now + this.limits.ipWindowMinutes * 60_000 });
  }

  private track(map: Map<string, Counter>, key: string, c: Counter): void {
    if (map.size >= MAX_TRACKED) map.delete(map.keys().next().value!);
    map.set(key, c);
  }
}
