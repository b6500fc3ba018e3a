import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import { loadSqlTemplate } from '../platform/sql-template.ts';
import type { HubService } from '../hub/service.ts';
import type { Dataset } from '../hub/model.ts';
import type { Grant, Principal } from './model.ts';
import { canGrant, hasRole, isAdmin } from './policy.ts';
import { type AccessGuard, forbidden, notFound, requireUser } from './guard.ts';
import type { AuditLog, RequestOrigin } from './audit-log.ts';
import type { NotificationService } from './notifications.ts';
import { type GrantRow, insertGrant, toGrant } from './grants.ts';

const sql = (name: string) => loadSqlTemplate(new URL(`./sql/${name}.sql`, import.meta.url));
const catalogSql = sql('sharing-catalog')({});
const requestsSql = sql('share-requests');

/** A person as a sharing request shows them. */
export interface PersonRef {
  id: string;
  username: string;
  displayName: string;
}

/** A sharing request: department A asks for department B's dataset, with a purpose and a period. */
export interface ShareRequest {
  id: string;
  datasetId: string;
  datasetTitle: { zh: string; en: string };
  /** The department that owns the dataset (whose stewards decide). */
  datasetDepartment: string | null;
  requester: PersonRef;
  /** The requesting department (the grant goes to it). */
  department: string;
  purpose: string;
  days: number;
  status: 'pending' | 'approved' | 'refused' | 'withdrawn';
  decidedBy: PersonRef | null;
  decidedAt: string | null;
  decisionReason: string;
  grant: Grant | null;
  createdAt: string;
}

/** One dataset of the sharing catalog: only what a person needs to decide to ask. */
export interface SharingCatalogEntry {
  id: string;
  title: { zh: string; en: string };
  description: { zh: string; en: string };
  department: string | null;
  departmentName: { zh: string; en: string } | null;
  theme: string;
  geometryType: string | null;
  classification: string;
  /** `own`: the caller's department owns it; `granted`: the caller reads it by a grant (or as administrator); `requestable`: ask for it. */
  access: 'granted' | 'own' | 'requestable';
  /** The end of the caller's active grant. */
  grantExpiresAt?: string;
  /** The caller's department's pending request for it. */
  pendingRequestId?: string;
}

/** Which requests to list: those the caller's department made, or those on its datasets. */
export interface ShareRequestQuery {
  box: 'outgoing' | 'incoming';
  status?: ShareRequest['status'];
  datasetId?: string;
  limit?: number;
  offset?: number;
}

interface RequestRow extends Record<string, unknown> {
  id: string;
  dataset_id: string;
  title_zh: string;
  title_en: string;
  owner_department: string | null;
  requester_id: string;
  requester_username: string;
  requester_display_name: string;
  department_id: string;
  purpose: string;
  days: number;
  status: ShareRequest['status'];
  decided_by: string | null;
  decider_username: string | null;
  decider_display_name: string | null;
  decided_at: Date | null;
  decision_reason: string;
  created_at: Date;
}

function toRequest(r: RequestRow): ShareRequest {
  const g = r.g_id ? (Object.fromEntries(Object.entries(r).filter(([k]) => k.startsWith('g_')).map(([k, v]) => [k.slice(2), v])) as unknown as GrantRow) : null;
  return {
    id: r.id,
    datasetId: r.dataset_id,
    datasetTitle: { zh: r.title_zh, en: r.title_en },
    datasetDepartment: r.owner_department,
    requester: { id: r.requester_id, username: r.requester_username, displayName: r.requester_display_name },
    department: r.department_id,
    purpose: r.purpose,
    days: r.days,
    status: r.status,
    decidedBy: r.decided_by ? { id: r.decided_by, username: r.decider_username ?? '', displayName: r.decider_display_name ?? '' } : null,
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    decisionReason: r.decision_reason,
    grant: g ? toGrant(g) : null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The uniform "not found" of a sharing request (missing, or not the caller's to see). */
function requestNotFound(id: string): YituError {
  return new YituError('YITU_ERR_SHARE_REQUEST_NOT_FOUND', `There is no sharing request ${id.slice(0, 40)} that you may see. GET /share-requests lists yours.`);
}

/** Escapes a text for ILIKE and wraps it in `%…%`. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Sharing requests (有条件共享): a user of department A finds department B's confidential dataset
 * in the sharing catalog and asks for it with a purpose and a period; B's data stewards are
 * notified and approve (a grant to department A that expires by itself, written in the same
 * transaction as the decision) or refuse with a reason; the requester is notified and may
 * withdraw while it is pending. Every step is an audit event.
 */
export class SharingService {
  constructor(
    private readonly db: Db,
    private readonly hub: HubService,
    private readonly guard: AccessGuard,
    private readonly audit: AuditLog,
    private readonly notifications: NotificationService,
  ) {}

  /** The sharing catalog of a signed-in user (see {@link SharingCatalogEntry}). */
  async catalog(p: Principal, q?: string): Promise<SharingCatalogEntry[]> {
    requireUser(p);
    const r = await this.db.query<Record<string, string | null> & { grant_expires_at: Date | null }>(catalogSql, [p.userId, p.departmentId, q ? likePattern(q) : null]);
    return r.rows.map((x) => {
      const own = x.department_id !== null && x.department_id === p.departmentId;
      const entry: SharingCatalogEntry = {
        id: x.id!,
        title: { zh: x.title_zh!, en: x.title_en! },
        description: { zh: x.description_zh!, en: x.description_en! },
        department: x.department_id,
        departmentName: x.department_zh === null ? null : { zh: x.department_zh, en: x.department_en ?? '' },
        theme: x.theme!,
        geometryType: x.geometry_type,
        classification: x.classification!,
        access: own ? 'own' : x.grant_expires_at || isAdmin(p) ? 'granted' : 'requestable',
      };
      if (x.grant_expires_at) entry.grantExpiresAt = new Date(x.grant_expires_at).toISOString();
      if (x.pending_request_id) entry.pendingRequestId = x.pending_request_id;
      return entry;
    });
  }

  /** Asks for read access to a dataset for the caller's department. */
  async request(p: Principal, datasetId: string, input: { purpose: string; days: number }, origin?: RequestOrigin): Promise<ShareRequest> {
    requireUser(p);
    const department = p.departmentId;
    if (!department) throw forbidden(p, 'Sharing requests are made for a department, and your account has none. Ask an administrator to set your department.');
    const ds = await this.dataset(datasetId);
    const readable = ds ? await this.guard.mayRead(p, ds) : false;
    if (!ds || (!readable && !(ds.classification === 'confidential' && ds.shareable))) throw notFound(datasetId);
    if (readable) throw new YituError('YITU_ERR_CONFLICT', `You can already read dataset ${ds.id}; there is nothing to ask for.`);
    const id = randomUUID();
    const inserted = await this.db.transaction(async (tx) => {
      const r = await tx.query(
        `INSERT INTO yitu.share_requests (id, dataset_id, requester_id, department_id, purpose, days) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (dataset_id, department_id) WHERE status = 'pending' DO NOTHING RETURNING id`,
        [id, ds.id, p.userId, department, input.purpose, input.days],
      );
      if (!r.rows.length) return false;
      const name = await this.departmentName(tx, department);
      await this.notifications.send(await this.notifications.stewardsOf(ds.department, tx), {
        kind: 'share.request',
        title: `数据共享申请：${ds.title.zh}`,
        body: `${p.displayName || p.username}（${name}）申请使用数据集「${ds.title.zh}」${input.days} 天。用途：${input.purpose}\n${p.username} (${department}) asks to use dataset ${ds.title.en || ds.id} for ${input.days} days.`,
        link: `/share-requests/${id}`,
      }, tx);
      return true;
    });
    if (!inserted) {
      const pending = await this.db.query<{ id: string }>(`SELECT id FROM yitu.share_requests WHERE dataset_id = $1 AND department_id = $2 AND status = 'pending'`, [ds.id, department]);
      const pendingId = pending.rows[0]?.id;
      throw new YituError('YITU_ERR_CONFLICT', `Your department already has a pending request for dataset ${ds.id} (${pendingId}); wait for its decision or withdraw it first.`, {
        extra: { pendingRequestId: pendingId },
      });
    }
    await this.audit.record({
      principal: p, origin, action: 'share.request', datasetId: ds.id, classification: ds.classification, targetType: 'share_request', targetId: id,
      details: { days: input.days, purpose: input.purpose },
    });
    return this.load(id);
  }

  /** Requests of the caller's department (`outgoing`), or on its datasets for its stewards (`incoming`; all for the administrator). */
  async list(p: Principal, q: ShareRequestQuery): Promise<ShareRequest[]> {
    requireUser(p);
    const params: unknown[] = [];
    const v = (x: unknown) => `$${params.push(x)}`;
    const where: string[] = [];
    if (q.box === 'outgoing') {
      where.push(p.departmentId ? `r.department_id = ${v(p.departmentId)}` : `r.requester_id = ${v(p.userId)}`);
    } else if (!isAdmin(p)) {
      if (!hasRole(p, 'data_steward') || !p.departmentId) throw forbidden(p, "Only data stewards see the requests for their department's datasets.");
      where.push(`d.department_id = ${v(p.departmentId)}`);
    }
    if (q.status) where.push(`r.status = ${v(q.status)}`);
    if (q.datasetId) where.push(`r.dataset_id = ${v(q.datasetId)}`);
    const page = `LIMIT ${v(q.limit ?? 100)} OFFSET ${v(q.offset ?? 0)}`;
    const r = await this.db.query<RequestRow>(requestsSql({ where: where.join(' AND ') || 'true', page }), params);
    return r.rows.map(toRequest);
  }

  /** One request, for its requester's department, the dataset's stewards and the administrator. */
  async get(p: Principal, id: string): Promise<ShareRequest> {
    requireUser(p);
    const r = await this.load(id);
    if (isAdmin(p) || r.requester.id === p.userId || r.department === p.departmentId || (await this.decides(p, r))) return r;
    throw requestNotFound(id);
  }

  /**
   * Approves a pending request: a grant to the requesting department for `days` (at most the days
   * asked for; by default those), in one transaction with the decision.
   */
  async approve(p: Principal, id: string, input: { reason?: string; days?: number }, origin?: RequestOrigin): Promise<ShareRequest> {
    requireUser(p);
    const { req, ds } = await this.decidable(p, id, 'share.approve', origin);
    const days = input.days ?? req.days;
    if (days > req.days) {
      throw new YituError('YITU_ERR_SHARE_REQUEST_INVALID', `The request asks for ${req.days} days; an approval may shorten the period but not lengthen it (got ${days}).`);
    }
    const reason = input.reason ?? '';
    const grant = await this.db.transaction(async (tx) => {
      await this.lockPending(tx, id);
      const g = await insertGrant(tx, { datasetId: ds.id, department: req.department, grantedBy: p.userId, requestId: id, reason: reason || req.purpose, days });
      await tx.query(
        `UPDATE yitu.share_requests SET status = 'approved', decided_by = $2, decided_at = now(), decision_reason = $3, grant_id = $4, updated_at = now() WHERE id = $1`,
        [id, p.userId, reason, g.id],
      );
      await this.notifications.send([req.requester.id], {
        kind: 'share.approved',
        title: `共享申请已批准：${ds.title.zh}`,
        body: `${p.displayName || p.username} 批准了您对数据集「${ds.title.zh}」的申请，有效期 ${days} 天，至 ${g.expiresAt.slice(0, 10)}。${reason ? `说明：${reason}` : ''}\nYour request for dataset ${ds.title.en || ds.id} is approved until ${g.expiresAt}.`,
        link: `/share-requests/${id}`,
      }, tx);
      return g;
    });
    this.guard.forget();
    const common = { principal: p, origin, datasetId: ds.id, classification: ds.classification };
    await this.audit.record({ ...common, action: 'share.approve', targetType: 'share_request', targetId: id, details: { days, asked: req.days, reason, grantId: grant.id, department: req.department } });
    await this.audit.record({ ...common, action: 'grant.create', targetType: 'grant', targetId: grant.id, details: { department: req.department, days, expiresAt: grant.expiresAt, requestId: id } });
    return this.load(id);
  }

  /** Refuses a pending request with a reason the requester reads. */
  async refuse(p: Principal, id: string, input: { reason: string }, origin?: RequestOrigin): Promise<ShareRequest> {
    requireUser(p);
    const { req, ds } = await this.decidable(p, id, 'share.refuse', origin);
    await this.db.transaction(async (tx) => {
      await this.lockPending(tx, id);
      await tx.query(`UPDATE yitu.share_requests SET status = 'refused', decided_by = $2, decided_at = now(), decision_reason = $3, updated_at = now() WHERE id = $1`, [id, p.userId, input.reason]);
      await this.notifications.send([req.requester.id], {
        kind: 'share.refused',
        title: `共享申请未获批准：${ds.title.zh}`,
        body: `${p.displayName || p.username} 未批准您对数据集「${ds.title.zh}」的申请。理由：${input.reason}\nYour request for dataset ${ds.title.en || ds.id} was refused: ${input.reason}`,
        link: `/share-requests/${id}`,
      }, tx);
    });
    await this.audit.record({ principal: p, origin, action: 'share.refuse', datasetId: ds.id, classification: ds.classification, targetType: 'share_request', targetId: id, details: { reason: input.reason, department: req.department } });
    return this.load(id);
  }

  /** Withdraws a pending request (its requester only). */
  async withdraw(p: Principal, id: string, origin?: RequestOrigin): Promise<ShareRequest> {
    requireUser(p);
    const req = await this.get(p, id);
    if (req.requester.id !== p.userId) throw forbidden(p, `Only ${req.requester.username}, who made request ${id}, withdraws it.`);
    if (req.status !== 'pending') throw notPending(req);
    await this.db.transaction(async (tx) => {
      await this.lockPending(tx, id);
      await tx.query(`UPDATE yitu.share_requests SET status = 'withdrawn', decided_by = $2, decided_at = now(), updated_at = now() WHERE id = $1`, [id, p.userId]);
      await this.notifications.send(await this.notifications.stewardsOf(req.datasetDepartment, tx), {
        kind: 'share.withdrawn',
        title: `共享申请已撤回：${req.datasetTitle.zh}`,
        body: `${p.displayName || p.username}（${req.department}）撤回了对数据集「${req.datasetTitle.zh}」的申请。\n${p.username} withdrew the request for dataset ${req.datasetTitle.en || req.datasetId}.`,
        link: `/share-requests/${id}`,
      }, tx);
    });
    await this.audit.record({ principal: p, origin, action: 'share.withdraw', datasetId: req.datasetId, targetType: 'share_request', targetId: id, details: { department: req.department } });
    return this.load(id);
  }

  /** The request and its dataset when the principal decides it (403 otherwise, recorded as denied); 409 unless pending. */
  private async decidable(p: Principal, id: string, action: string, origin?: RequestOrigin): Promise<{ req: ShareRequest; ds: Dataset }> {
    const req = await this.load(id);
    const ds = await this.hub.get(req.datasetId);
    if (!canGrant(p, ds)) {
      await this.audit.record({ principal: p, origin, action, outcome: 'denied', datasetId: ds.id, classification: ds.classification, targetType: 'share_request', targetId: id });
      throw forbidden(p, `Only the data stewards of ${ds.department ?? 'the owning department'} (or an administrator) decide requests for dataset ${ds.id}.`);
    }
    if (req.status !== 'pending') throw notPending(req);
    return { req, ds };
  }

  /** Locks the request row for the decision; 409 when someone decided it meanwhile. */
  private async lockPending(tx: Queryable, id: string): Promise<void> {
    const r = await tx.query<{ status: string }>(`SELECT status FROM yitu.share_requests WHERE id = $1 FOR UPDATE`, [id]);
    if (r.rows[0]?.status !== 'pending') throw notPending({ id, status: (r.rows[0]?.status ?? 'gone') as ShareRequest['status'] });
  }

  private async decides(p: Principal, r: ShareRequest): Promise<boolean> {
    return canGrant(p, { id: r.datasetId, classification: 'confidential', department: r.datasetDepartment });
  }

  /** A request by id, without access checks. */
  private async load(id: string): Promise<ShareRequest> {
    if (!UUID.test(id)) throw requestNotFound(id);
    const r = await this.db.query<RequestRow>(requestsSql({ where: 'r.id = $1', page: '' }), [id]);
    if (!r.rows[0]) throw requestNotFound(id);
    return toRequest(r.rows[0]);
  }

  private async dataset(id: string): Promise<Dataset | null> {
    try {
      return await this.hub.get(id);
    } catch (e) {
      if (e instanceof YituError && e.code === 'YITU_ERR_DATASET_NOT_FOUND') return null;
      throw e;
    }
  }

  private async departmentName(tx: Queryable, id: string): Promise<string> {
    const r = await tx.query<{ name_zh: string }>(`SELECT name_zh FROM yitu.departments WHERE id = $1`, [id]);
    return r.rows[0]?.name_zh ?? id;
  }
}

function notPending(r: { id: string; status: ShareRequest['status'] | 'gone' }): YituError {
  return new YituError('YITU_ERR_CONFLICT', `Sharing request ${r.id} is ${r.status}, not pending; it was decided already.`, { extra: { status: r.status } });
}
