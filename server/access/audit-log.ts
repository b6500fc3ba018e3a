import type { Logger } from 'pino';
import type { Db } from '../platform/db.ts';
import type { Principal } from './model.ts';

/** Where a request came from, recorded with each event. */
export interface RequestOrigin {
  ip: string;
  userAgent: string;
}

/** An event to record. */
export interface AuditInput {
  principal: Principal;
  origin?: RequestOrigin;
  /** Dotted verb: `auth.sign_in`, `dataset.import`, `dataset.read`, `grant.create`, … */
  action: string;
  outcome?: 'success' | 'failure' | 'denied';
  datasetId?: string;
  classification?: string;
  targetType?: string;
  targetId?: string;
  featureCount?: number;
  details?: Record<string, unknown>;
  /** Who, when the principal is anonymous but a name was given (a failed sign-in's user name). */
  actorName?: string;
}

interface Pending extends AuditInput {
  at: Date;
  requests: number;
}

/** Longest a read event waits in memory before it is written. */
const FLUSH_MS = 1_000;

/**
 * Writes the audit trail (`yitu.audit_events`, append-only: the table's triggers refuse UPDATE,
 * DELETE and TRUNCATE). Writes, sign-ins and grants are recorded at once (`record`, awaited).
 * Reads of internal or confidential data are many (a map view is dozens of tile requests), so
 * `recordRead` keeps them in memory and writes them once a second in one INSERT, folding reads
 * of the same dataset by the same person through the same path from the same address into one
 * event with a request count and the features summed. A crash loses at most that second.
 */
export class AuditLog {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  /** Records one event now. */
  async record(e: AuditInput): Promise<void> {
    await this.insert([{ ...e, at: new Date(), requests: 1 }]);
  }

  /** Records a read of restricted data (buffered; see the class comment). Reads of public data are not audited. */
  recordRead(e: AuditInput & { classification: string }): void {
    if (e.classification === 'public') return;
    const key = [e.principal.userId ?? '', e.action, e.datasetId ?? '', e.targetId ?? '', e.origin?.ip ?? ''].join('\u0000');
    const hit = this.pending.get(key);
    if (hit) {
      hit.requests += 1;
      if (e.featureCount !== undefined) hit.featureCount = (hit.featureCount ?? 0) + e.featureCount;
    } else {
      this.pending.set(key, { ...e, at: new Date(), requests: 1 });
    }
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes the buffered reads now (also on shutdown, and in tests before reading the trail). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.flushing = this.flushing.then(async () => {
      if (!batch.length) return;
      try {
        await this.insert(batch);
      } catch (err) {
        this.log.error({ err, events: batch.length }, 'audit: buffered reads could not be written');
      }
    });
    await this.flushing;
  }

  private async insert(events: Pending[]): Promise<void> {
    const cols = 14;
    const params: unknown[] = [];
    const rows = events.map((e, i) => {
      params.push(
        e.at.toISOString(),
        e.principal.userId,
        e.principal.username ?? e.actorName ?? '',
        e.principal.departmentId,
        e.action,
        e.outcome ?? 'success',
        e.datasetId ?? null,
        e.classification ?? null,
        e.targetType ?? null,
        e.targetId ?? null,
        e.origin?.ip ?? '',
        (e.origin?.userAgent ?? '').slice(0, 500),
        e.featureCount ?? null,
        JSON.stringify(e.details ?? {}),
      );
      const b = i * cols;
      return `(${Array.from({ length: cols }, (_, k) => `$${b + k + 1}`).join(', ')}, ${Math.trunc(e.requests)})`;
    });
    await this.db.query(
      `INSERT INTO yitu.audit_events (at, actor_id, actor_name, department_id, action, outcome, dataset_id, classification,
         target_type, target_id, ip, user_agent, feature_count, details, requests)
       SELECT at::timestamptz, actor_id::uuid, actor_name, department_id, action, outcome, dataset_id, classification,
         target_type, target_id, ip, user_agent, feature_count::bigint, details::jsonb, requests
       FROM (VALUES ${rows.join(', ')}) AS v(at, actor_id, actor_name, department_id, action, outcome, dataset_id, classification,
         target_type, target_id, ip, user_agent, feature_count, details, requests)`,
      params,
    );
  }

  /** Flushes and stops the timer (server shutdown). */
  async close(): Promise<void> {
    await this.flush();
  }
}
