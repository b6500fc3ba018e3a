import type { Db, Queryable } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';

/** An in-app notification as the API shows it. */
export interface Notification {
  id: number;
  /** What it is about: `share.request`, `share.approved`, `share.refused`, `share.withdrawn`, `grant.revoked`, later cases. */
  kind: string;
  title: string;
  body: string;
  /** Where the web app goes from it (a path of the API or the app, such as `/share-requests/<id>`). */
  link: string;
  createdAt: string;
  readAt: string | null;
}

/** A notification to send. */
export interface NewNotification {
  kind: string;
  title: string;
  body?: string;
  link?: string;
}

interface NotificationRow {
  id: number;
  kind: string;
  title: string;
  body: string;
  link: string;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = 'id, kind, title, body, link, created_at, read_at';

function toNotification(r: NotificationRow): Notification {
  return {
    id: Number(r.id),
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    createdAt: new Date(r.created_at).toISOString(),
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  };
}

/**
 * In-app notifications (`yitu.notifications`): a sharing request to decide, a decision, a revoked
 * grant; later cases. Senders pass their transaction so that a notification is sent exactly when
 * the change it tells of is committed. Each user reads and marks only their own.
 */
export class NotificationService {
  constructor(private readonly db: Db) {}

  /** Sends one notification to each of the users (in the caller's transaction when given). */
  async send(userIds: readonly string[], n: NewNotification, tx: Queryable = this.db): Promise<void> {
    const ids = [...new Set(userIds)];
    if (!ids.length) return;
    await tx.query(
      `INSERT INTO yitu.notifications (user_id, kind, title, body, link)
       SELECT u, $2, $3, $4, $5 FROM unnest($1::uuid[]) AS u`,
      [ids, n.kind, n.title.slice(0, 500), (n.body ?? '').slice(0, 4000), n.link ?? ''],
    );
  }

  /**
   * Ids of the users who decide for a department's data: its enabled data stewards, or the
   * administrators when the department has none (someone must see the request).
   */
  async stewardsOf(departmentId: string | null, tx: Queryable = this.db): Promise<string[]> {
    const r = await tx.query<{ id: string }>(
      `SELECT id FROM yitu.users
       WHERE NOT disabled AND (
         (department_id = $1::text AND 'data_steward' = ANY(roles))
         OR ('administrator' = ANY(roles) AND NOT EXISTS (
           SELECT 1 FROM yitu.users s WHERE NOT s.disabled AND s.department_id = $1::text AND 'data_steward' = ANY(s.roles))))`,
      [departmentId],
    );
    return r.rows.map((x) => x.id);
  }

  /** A user's notifications, newest first, and how many are unread. */
  async list(userId: string, opts: { unread?: boolean; limit?: number; offset?: number } = {}): Promise<{ notifications: Notification[]; unread: number }> {
    const r = await this.db.query<NotificationRow>(
      `SELECT ${COLUMNS} FROM yitu.notifications
       WHERE user_id = $1 AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
       ORDER BY id DESC LIMIT $3 OFFSET $4`,
      [userId, opts.unread ?? false, opts.limit ?? 50, opts.offset ?? 0],
    );
    return { notifications: r.rows.map(toNotification), unread: await this.unread(userId) };
  }

  /** How many of a user's notifications are unread. */
  async unread(userId: string): Promise<number> {
    const r = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM yitu.notifications WHERE user_id = $1 AND read_at IS NULL`, [userId]);
    return r.rows[0].n;
  }

  /** Marks one of the user's notifications read; another user's (or none) is not found. */
  async markRead(userId: string, id: number): Promise<Notification> {
    const r = await this.db.query<NotificationRow>(
      `UPDATE yitu.notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
      [id, userId],
    );
    if (!r.rows[0]) throw notificationNotFound(String(id));
    return toNotification(r.rows[0]);
  }

  /** Marks all of the user's notifications read; returns how many were unread. */
  async markAllRead(userId: string): Promise<number> {
    const r = await this.db.query<{ id: number }>(`UPDATE yitu.notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL RETURNING id`, [userId]);
    return r.rows.length;
  }
}

/** The uniform "not found" of a notification (missing, or another user's). */
export function notificationNotFound(id: string): YituError {
  return new YituError('YITU_ERR_NOTIFICATION_NOT_FOUND', `You have no notification ${id.slice(0, 40)}. GET /notifications lists yours.`);
}
