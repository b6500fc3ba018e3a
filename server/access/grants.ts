import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import type { HubService } from '../hub/service.ts';
import type { Dataset } from '../hub/model.ts';
import type { Grant, Principal } from './model.ts';
import { canGrant } from './policy.ts';
import { type AccessGuard, forbidden, requireUser } from './guard.ts';
import type { AuditLog, RequestOrigin } from './audit-log.ts';
import type { NotificationService } from './notifications.ts';

/** The columns of a grant with its status (`g` is yitu.dataset_grants). */
export const GRANT_COLUMNS = `g.id, g.dataset_id, g.department_id, g.user_id, g.granted_by, g.request_id, g.reason,
  g.created_at, g.expires_at, g.revoked_at,
  CASE WHEN g.revoked_at IS NOT NULL THEN 'revoked' WHEN g.expires_at <= now() THEN 'expired' ELSE 'active' END AS status`;

/** A grant row as selected with {@link GRANT_COLUMNS}. */
export interface GrantRow {
  id: string;
  dataset_id: string;
  department_id: string | null;
  user_id: string | null;
  granted_by: string | null;
  request_id: string | null;
  reason: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  status: Grant['status'];
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** A grant as the API shows it. */
export function toGrant(r: GrantRow): Grant {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    department: r.department_id,
    userId: r.user_id,
    grantedBy: r.granted_by,
    requestId: r.request_id,
    reason: r.reason,
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at)!,
    revokedAt: iso(r.revoked_at),
    status: r.status,
  };
}

/** A grant to write: to a department or to one user, for a number of days from now. */
export interface NewGrant {
  datasetId: string;
  department?: string | null;
  userId?: string | null;
  grantedBy: string | null;
  requestId?: string | null;
  reason: string;
  days: number;
}

/** Writes a grant (in the caller's transaction) and returns it. */
export async function insertGrant(tx: Queryable, g: NewGrant): Promise<Grant> {
  const r = await tx.query<GrantRow>(
    `INSERT INTO yitu.dataset_grants AS g (id, dataset_id, department_id, user_id, granted_by, request_id, reason, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(days => $8::int))
     RETURNING ${GRANT_COLUMNS}`,
    [randomUUID(), g.datasetId, g.department ?? null, g.userId ?? null, g.grantedBy, g.requestId ?? null, g.reason, g.days],
  );
  return toGrant(r.rows[0]);
}

/** What a steward gives in `POST /datasets/:id/grants`. */
export interface GrantInput {
  department?: string;
  userId?: string;
  days: number;
  reason: string;
}

/**
 * Direct grants on a dataset (`GET/POST /datasets/:id/grants`, `DELETE /grants/:id`), decided by
 * the dataset's stewards and the administrator (policy `canGrant`). A grant ends by itself at its
 * expiry (the guard reads only active ones); revoking ends it at once. Every change is audited
 * (`grant.create`, `grant.revoke`) and drops the guard's cached grant sets.
 */
export class GrantService {
  constructor(
    private readonly db: Db,
    private readonly hub: HubService,
    private readonly guard: AccessGuard,
    private readonly audit: AuditLog,
    private readonly notifications: NotificationService,
  ) {}

  /** The dataset when the principal decides its grants: 404 when not visible, 403 when visible but not theirs. */
  async grantable(p: Principal, datasetId: string): Promise<Dataset> {
    const ds = await this.guard.readable(p, datasetId);
    if (!canGrant(p, ds)) throw forbidden(p, `Only the data stewards of ${ds.department ?? 'the owning department'} (or an administrator) manage grants on dataset ${ds.id}.`);
    return ds;
  }

  /** Every grant of the dataset (active, expired and revoked), newest first. */
  async list(p: Principal, datasetId: string): Promise<Grant[]> {
    const ds = await this.grantable(p, datasetId);
    const r = await this.db.query<GrantRow>(`SELECT ${GRANT_COLUMNS} FROM yitu.dataset_grants g WHERE g.dataset_id = $1 ORDER BY g.created_at DESC, g.id`, [ds.id]);
    return r.rows.map(toGrant);
  }

  /** Grants read access on the dataset to a department or a user. */
  async create(p: Principal, datasetId: string, input: GrantInput, origin?: RequestOrigin): Promise<Grant> {
    requireUser(p);
    const ds = await this.grantable(p, datasetId);
    if (input.department) {
      const d = await this.db.query(`SELECT 1 FROM yitu.departments WHERE id = $1`, [input.department]);
      if (!d.rows.length) throw new YituError('YITU_ERR_DEPARTMENT_NOT_FOUND', `There is no department '${input.department}'. GET /departments lists them.`);
      if (input.department === ds.department) throw new YituError('YITU_ERR_INPUT_INVALID', `Department ${input.department} owns dataset ${ds.id} and reads it without a grant.`);
    } else if (input.userId) {
      const u = await this.db.query(`SELECT 1 FROM yitu.users WHERE id = $1`, [input.userId]);
      if (!u.rows.length) throw new YituError('YITU_ERR_USER_NOT_FOUND', `There is no user ${input.userId}.`);
    }
    const grant = await insertGrant(this.db, { datasetId: ds.id, department: input.department ?? null, userId: input.userId ?? null, grantedBy: p.userId, reason: input.reason, days: input.days });
    this.guard.forget();
    await this.audit.record({
      principal: p, origin, action: 'grant.create', datasetId: ds.id, classification: ds.classification, targetType: 'grant', targetId: grant.id,
      details: { department: grant.department, userId: grant.userId, days: input.days, expiresAt: grant.expiresAt, reason: input.reason },
    });
    return grant;
  }

  /**
   * Revokes a grant at once. A grant on a dataset the principal may not see is not found; one
   * they see but do not manage is 403. Revoking a grant that has ended changes nothing.
   */
  async revoke(p: Principal, grantId: string, origin?: RequestOrigin): Promise<Grant> {
    requireUser(p);
    const found = /^[0-9a-f-]{36}$/i.test(grantId)
      ? (await this.db.query<GrantRow>(`SELECT ${GRANT_COLUMNS} FROM yitu.dataset_grants g WHERE g.id = $1`, [grantId])).rows[0]
      : undefined;
    const missing = new YituError('YITU_ERR_GRANT_NOT_FOUND', `There is no grant ${grantId.slice(0, 40)} that you may see. GET /datasets/{id}/grants lists a dataset's grants.`);
    if (!found) throw missing;
    let ds: Dataset;
    try {
      ds = await this.grantable(p, found.dataset_id);
    } catch (e) {
      if (e instanceof YituError && e.code === 'YITU_ERR_DATASET_NOT_FOUND') throw missing;
      if (e instanceof YituError && e.code === 'YITU_ERR_FORBIDDEN') {
        await this.audit.record({ principal: p, origin, action: 'grant.revoke', outcome: 'denied', datasetId: found.dataset_id, targetType: 'grant', targetId: grantId });
      }
      throw e;
    }
    if (found.status === 'revoked') return toGrant(found);
    const r = await this.db.query<GrantRow>(
      `UPDATE yitu.dataset_grants g SET revoked_at = now(), revoked_by = $2 WHERE g.id = $1 AND g.revoked_at IS NULL RETURNING ${GRANT_COLUMNS}`,
      [grantId, p.userId],
    );
    if (!r.rows[0]) return toGrant(found);
    const grant = toGrant(r.rows[0]);
    this.guard.forget();
    await this.audit.record({
      principal: p, origin, action: 'grant.revoke', datasetId: ds.id, classification: ds.classification, targetType: 'grant', targetId: grant.id,
      details: { department: grant.department, userId: grant.userId, requestId: grant.requestId, wasStatus: found.status },
    });
    if (grant.requestId) {
      const req = await this.db.query<{ requester_id: string }>(`SELECT requester_id FROM yitu.share_requests WHERE id = $1`, [grant.requestId]);
      await this.notifications.send(req.rows.map((x) => x.requester_id), {
        kind: 'grant.revoked',
        title: `数据使用授权已撤销：${ds.title.zh}`,
        body: `${p.displayName || p.username} 撤销了 ${grant.department ?? '您'} 对数据集 ${ds.title.zh} 的使用授权。\nAccess to dataset ${ds.title.en || ds.id} granted on your request has been revoked.`,
        link: `/share-requests/${grant.requestId}`,
      });
    }
    return grant;
  }
}
