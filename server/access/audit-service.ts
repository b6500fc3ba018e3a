import { z } from 'zod';
import type { Db } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import { loadSqlTemplate } from '../platform/sql-template.ts';
import type { AuditEvent, Principal } from './model.ts';
import { canGrant, canReadAudit, isAdmin } from './policy.ts';
import { type AccessGuard, forbidden, requireUser } from './guard.ts';

const sql = (name: string) => loadSqlTemplate(new URL(`./sql/${name}.sql`, import.meta.url));
const eventsSql = sql('audit-events');
const usageSql = sql('dataset-usage')({});

/** The audit actions that are reads of data: what a dataset's usage figures count. */
export const READ_ACTIONS = ['dataset.read', 'features.read', 'tiles.read', 'dataset.export', 'dataset.versions', 'dataset.diff', 'stats.read'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** A time bound: a date (`2026-11-01`, UTC day) or a date-time (`2026-11-01T08:00:00+08:00`; UTC when no offset). */
const timeParam = z
  .string()
  .refine((s) => (DATE.test(s) || DATE_TIME.test(s)) && realCalendar(s) && Number.isFinite(parseTime(s).getTime()), 'give a real date (2026-11-01) or date-time (2026-11-01T08:00:00+08:00)');

/** True when the date and time fields exist (no 30 February, no 25:00), which `Date` would roll over. */
function realCalendar(s: string): boolean {
  const [y, mo, d, h = 0, mi = 0, sec = 0] = (s.match(/\d+/g) ?? []).slice(0, 6).map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === sec;
}

const intParam = (min: number, max: number) =>
  z.string().regex(/^\d{1,9}$/, 'a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

/** The filters of `GET /audit/events` (and `.csv`): query parameters as strings. */
export const auditQuerySchema = z
  .object({
    actor: z.string().min(1).max(100).optional(),
    department: z.string().min(1).max(64).optional(),
    dataset: z.string().min(1).max(200).optional(),
    action: z.string().regex(/^[a-z][a-z0-9_.]*\*?$/, 'an action such as share.approve, or a prefix such as share. or share.*').max(64).optional(),
    outcome: z.enum(['success', 'failure', 'denied']).optional(),
    from: timeParam.optional(),
    to: timeParam.optional(),
    limit: intParam(1, 1000).optional(),
    offset: intParam(0, 100_000_000).optional(),
  })
  .strict();

/** Parsed audit filters. */
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** A period: from (inclusive) and to (exclusive), either open. */
export interface Period {
  from: Date | null;
  to: Date | null;
}

function parseTime(s: string): Date {
  if (DATE.test(s)) return new Date(`${s}T00:00:00Z`);
  const t = s.replace(' ', 'T');
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(t) ? t : `${t}Z`);
}

/**
 * The period of `from`/`to` parameters: `from` is inclusive; a `to` date includes that whole day,
 * a `to` date-time is the (exclusive) end. `from` after `to` is a 400.
 */
export function periodOf(from?: string, to?: string): Period {
  const f = from ? parseTime(from) : null;
  let t = to ? parseTime(to) : null;
  if (t && to && DATE.test(to)) t = new Date(t.getTime() + 86_400_000);
  if (f && t && f >= t) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `from (${from}) must be before to (${to}).`);
  return { from: f, to: t };
}

interface EventRow {
  id: number;
  at: Date;
  at_key: string;
  actor_id: string | null;
  actor_name: string;
  department_id: string | null;
  action: string;
  outcome: AuditEvent['outcome'];
  dataset_id: string | null;
  classification: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string;
  user_agent: string;
  feature_count: number | null;
  requests: number;
  details: Record<string, unknown> | string;
}

function toEvent(r: EventRow): AuditEvent {
  return {
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    department: r.department_id,
    action: r.action,
    outcome: r.outcome,
    datasetId: r.dataset_id,
    classification: r.classification,
    targetType: r.target_type,
    targetId: r.target_id,
    ip: r.ip,
    userAgent: r.user_agent,
    featureCount: r.feature_count === null ? null : Number(r.feature_count),
    requests: Number(r.requests),
    details: typeof r.details === 'string' ? (JSON.parse(r.details) as Record<string, unknown>) : r.details,
  };
}

/** Figures of one group of a dataset's usage. */
export interface UsageFigures {
  requests: number;
  features: number;
}

/** A dataset's usage figures over a period. */
export interface DatasetUsage {
  datasetId: string;
  from: string | null;
  to: string | null;
  /** The catalog's counter of reads through the API (all readers, also anonymous ones of public data, all time). */
  usageCount: number;
  total: UsageFigures & { users: number; departments: number };
  byDepartment: (UsageFigures & { department: string | null })[];
  byUser: (UsageFigures & { userId: string | null; username: string; department: string | null })[];
  byAction: (UsageFigures & { action: string })[];
  byDay: (UsageFigures & { day: string })[];
}

/**
 * Reads the audit trail: search with filters (actor, department, dataset, action or its prefix,
 * outcome, period), export (in keyset pages, for streaming) and per-dataset usage figures. The
 * administrator sees every event; data stewards, supervisors and leaders (policy `canReadAudit`)
 * those whose actor was of their department or whose dataset their department owns; others none.
 * Writing is `AuditLog`'s; nothing here changes an event (the table refuses it anyway).
 */
export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly guard: AccessGuard,
  ) {}

  /** One page of events, newest first, and how many match. */
  async search(p: Principal, q: AuditQuery): Promise<{ events: AuditEvent[]; total: number }> {
    const { where, params } = this.filter(p, q);
    const total = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM yitu.audit_events e WHERE ${where}`, params);
    const page = `LIMIT $${params.length + 1} OFFSET $${params.length + 2}`;
    const r = await this.db.query<EventRow>(eventsSql({ where, page }), [...params, q.limit ?? 100, q.offset ?? 0]);
    return { events: r.rows.map(toEvent), total: total.rows[0].n };
  }

  /** One event the principal may see (the same visibility as the search), or 404. */
  async get(p: Principal, id: string): Promise<AuditEvent> {
    const { where, params } = this.filter(p, {});
    const n = /^\d{1,15}$/.test(id) ? Number(id) : null;
    const r = n === null ? { rows: [] } : await this.db.query<EventRow>(eventsSql({ where: `${where} AND e.id = $${params.length + 1}`, page: '' }), [...params, n]);
    if (!r.rows[0]) throw new YituError('YITU_ERR_NOT_FOUND', `There is no audit event ${id.slice(0, 40)} that you may see.`);
    return toEvent(r.rows[0]);
  }

  /**
   * Every matching event, newest first, in pages of `pageSize` (keyset paging on (at, id): stable
   * while new events arrive). Access and filters are checked at once, before the first page is read.
   */
  all(p: Principal, q: AuditQuery, pageSize = 1000): AsyncGenerator<AuditEvent[]> {
    const { where, params } = this.filter(p, q);
    return this.pages(where, params, pageSize);
  }

  private async *pages(where: string, params: unknown[], pageSize: number): AsyncGenerator<AuditEvent[]> {
    let after: { at: string; id: number } | null = null;
    for (;;) {
      const keyset: string = after ? ` AND (e.at, e.id) < ($${params.length + 1}::timestamptz, $${params.length + 2}::bigint)` : '';
      const page = `LIMIT ${Math.trunc(pageSize)}`;
      const r: { rows: EventRow[] } = await this.db.query<EventRow>(eventsSql({ where: where + keyset, page }), after ? [...params, after.at, after.id] : params);
      if (!r.rows.length) return;
      yield r.rows.map(toEvent);
      if (r.rows.length < pageSize) return;
      const last = r.rows[r.rows.length - 1];
      after = { at: last.at_key, id: Number(last.id) };
    }
  }

  /** The SQL condition of the filters and of what the principal may see (403 for who may read none). */
  private filter(p: Principal, q: AuditQuery): { where: string; params: unknown[] } {
    requireUser(p);
    if (!canReadAudit(p)) throw forbidden(p, 'Only administrators, data stewards, supervisors and leaders read the audit trail.');
    const params: unknown[] = [];
    const v = (x: unknown) => `$${params.push(x)}`;
    const where: string[] = [];
    if (!isAdmin(p)) {
      if (!p.departmentId) where.push('false');
      else {
        const d = v(p.departmentId);
        where.push(`(e.department_id = ${d} OR e.dataset_id IN (SELECT id FROM yitu.datasets WHERE department_id = ${d}))`);
      }
    }
    if (q.actor) where.push(UUID.test(q.actor) ? `e.actor_id = ${v(q.actor)}::uuid` : `e.actor_name = ${v(q.actor)}`);
    if (q.department) where.push(`e.department_id = ${v(q.department)}`);
    if (q.dataset) where.push(`e.dataset_id = ${v(q.dataset)}`);
    if (q.action) {
      const prefix = q.action.endsWith('*') ? q.action.slice(0, -1) : q.action.endsWith('.') ? q.action : null;
      if (prefix !== null) where.push(`starts_with(e.action, ${v(prefix)})`);
      else where.push(`e.action = ${v(q.action)}`);
    }
    if (q.outcome) where.push(`e.outcome = ${v(q.outcome)}`);
    const period = periodOf(q.from, q.to);
    if (period.from) where.push(`e.at >= ${v(period.from.toISOString())}::timestamptz`);
    if (period.to) where.push(`e.at < ${v(period.to.toISOString())}::timestamptz`);
    return { where: where.join(' AND ') || 'true', params };
  }

  /**
   * Usage figures of a dataset from the audit trail (reads only, successful ones), for its stewards
   * and the administrator: a dataset the principal may not see is not found, one they see but do
   * not manage is 403.
   */
  async usage(p: Principal, datasetId: string, period: Period): Promise<DatasetUsage> {
    requireUser(p);
    const ds = await this.guard.readable(p, datasetId);
    if (!canGrant(p, ds)) throw forbidden(p, `Only the data stewards of ${ds.department ?? 'the owning department'} (or an administrator) see the usage of dataset ${ds.id}.`);
    type Row = { g: number; department_id: string | null; actor_id: string | null; actor_name: string; actor_department: string | null; action: string; day: string; requests: number | null; features: number | null; users: number; departments: number };
    const r = await this.db.query<Row>(usageSql, [ds.id, READ_ACTIONS, period.from?.toISOString() ?? null, period.to?.toISOString() ?? null]);
    const figures = (x: Row): UsageFigures => ({ requests: Number(x.requests ?? 0), features: Number(x.features ?? 0) });
    const rows = (g: number) => r.rows.filter((x) => Number(x.g) === g);
    const total = rows(15)[0];
    return {
      datasetId: ds.id,
      from: period.from?.toISOString() ?? null,
      to: period.to?.toISOString() ?? null,
      usageCount: ds.usageCount,
      total: { ...(total ? figures(total) : { requests: 0, features: 0 }), users: total?.users ?? 0, departments: total?.departments ?? 0 },
      byDepartment: rows(7).map((x) => ({ department: x.department_id, ...figures(x) })),
      byUser: rows(11).map((x) => ({ userId: x.actor_id, username: x.actor_name, department: x.actor_department, ...figures(x) })),
      byAction: rows(13).map((x) => ({ action: x.action, ...figures(x) })),
      byDay: rows(14).map((x) => ({ day: x.day, ...figures(x) })),
    };
  }
}

/** CSV columns of the export, in order. */
const CSV_COLUMNS: [string, (e: AuditEvent) => string | number | null][] = [
  ['id', (e) => e.id],
  ['at (UTC)', (e) => e.at.replace('T', ' ').replace('Z', '')],
  ['actor', (e) => e.actorName],
  ['actor id', (e) => e.actorId],
  ['department', (e) => e.department],
  ['action', (e) => e.action],
  ['outcome', (e) => e.outcome],
  ['dataset', (e) => e.datasetId],
  ['classification', (e) => e.classification],
  ['target type', (e) => e.targetType],
  ['target id', (e) => e.targetId],
  ['features', (e) => e.featureCount],
  ['requests', (e) => e.requests],
  ['ip', (e) => e.ip],
  ['user agent', (e) => e.userAgent],
  ['details', (e) => (Object.keys(e.details).length ? JSON.stringify(e.details) : '')],
];

/** One CSV cell: quoted when needed; text that a spreadsheet would run as a formula is prefixed with `'`. */
function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The audit events as CSV for Excel: a UTF-8 byte-order mark (so that Chinese opens right), a
 * header row, CRLF line ends; one chunk per page of events.
 */
export async function* auditCsv(pages: AsyncIterable<AuditEvent[]>): AsyncGenerator<string> {
  yield `\uFEFF${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n`;
  for await (const events of pages) {
    yield events.map((e) => CSV_COLUMNS.map(([, get]) => csvCell(get(e))).join(',')).join('\r\n') + '\r\n';
  }
}
