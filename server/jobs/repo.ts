import type { Queryable } from '../platform/db.ts';
import type { Job, JobStatus } from './service.ts';

interface JobRow {
  id: string;
  kind: string;
  status: JobStatus;
  progress: number;
  message: string | null;
  input: Record<string, unknown>;
  result: unknown;
  error: Record<string, unknown> | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
  created_by: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toJob(r: JobRow): Job {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    progress: r.progress,
    message: r.message,
    input: r.input,
    result: r.result,
    error: r.error,
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    updatedAt: iso(r.updated_at)!,
    createdBy: r.created_by ?? null,
  };
}

/** Inserts an accepted job, recording who submitted it (null: the system, the CLI). */
export async function insertJob(db: Queryable, id: string, kind: string, input: Record<string, unknown>, createdBy: string | null = null): Promise<Job> {
  const r = await db.query<JobRow>(
    `INSERT INTO yitu.jobs (id, kind, status, input, created_by) VALUES ($1, $2, 'accepted', $3, $4::uuid) RETURNING *`,
    [id, kind, JSON.stringify(input), createdBy],
  );
  return toJob(r.rows[0]);
}

/** Marks a job running. */
export async function markRunning(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE yitu.jobs SET status = 'running', started_at = now(), updated_at = now() WHERE id = $1`, [id]);
}

/** Writes progress. */
export async function updateProgress(db: Queryable, id: string, progress: number, message: string | null): Promise<void> {
  await db.query(`UPDATE yitu.jobs SET progress = $2, message = $3, updated_at = now() WHERE id = $1 AND status = 'running'`, [id, progress, message]);
}

/** Writes the final state. */
export async function markFinished(db: Queryable, id: string, status: JobStatus, result: unknown, error: unknown, message: string | null): Promise<void> {
  await db.query(
    `UPDATE yitu.jobs SET status = $2, progress = CASE WHEN $2 = 'successful' THEN 100 ELSE progress END,
       result = $3, error = $4, message = COALESCE($5, message), finished_at = now(), updated_at = now() WHERE id = $1`,
    [id, status, result === null ? null : JSON.stringify(result), error === null ? null : JSON.stringify(error), message],
  );
}

/** Reads one job. */
export async function getJob(db: Queryable, id: string): Promise<Job | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const r = await db.query<JobRow>('SELECT * FROM yitu.jobs WHERE id = $1', [id]);
  return r.rows[0] ? toJob(r.rows[0]) : null;
}

/** Lists jobs, newest first; with `createdBy`, only that user's. */
export async function listJobs(db: Queryable, opts: { limit?: number; kind?: string; status?: JobStatus; createdBy?: string }): Promise<Job[]> {
  const r = await db.query<JobRow>(
    `SELECT * FROM yitu.jobs WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR status = $2)
       AND ($4::uuid IS NULL OR created_by = $4::uuid)
     ORDER BY created_at DESC LIMIT $3`,
    [opts.kind ?? null, opts.status ?? null, Math.min(opts.limit ?? 50, 1000), opts.createdBy ?? null],
  );
  return r.rows.map(toJob);
}

/** Fails the jobs a previous process left unfinished. */
export async function failInterrupted(db: Queryable): Promise<number> {
  const r = await db.query(
    `UPDATE yitu.jobs SET status = 'failed', finished_at = now(), updated_at = now(),
       error = '{"code":"YITU_ERR_UNAVAILABLE","detail":"The server stopped while this job ran; nothing of it was kept. Run it again."}'
     WHERE status IN ('accepted', 'running')`,
  );
  return r.rowCount;
}
