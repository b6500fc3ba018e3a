import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Db } from '../platform/db.ts';
import { YituError, isYituError } from '../platform/errors.ts';
import * as repo from './repo.ts';

/** Job states (the same as OGC API – Processes' statusInfo). */
export type JobStatus = 'accepted' | 'running' | 'successful' | 'failed' | 'dismissed';

/** A job as clients see it. */
export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  progress: number;
  message: string | null;
  input: Record<string, unknown>;
  result: unknown;
  error: Record<string, unknown> | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  /** The user who submitted it (null: the system or the command line). */
  createdBy: string | null;
}

/** What a running job's work function gets. */
export interface JobContext {
  id: string;
  /** Aborted when the job is cancelled or the server shuts down; work must stop and roll back. */
  signal: AbortSignal;
  /** Reports progress 0–100 with an optional message; cheap to call often (writes are throttled). */
  progress(pct: number, message?: string): void;
}

/** The work of a job; its resolved value becomes the job's result. */
export type JobWork = (ctx: JobContext) => Promise<unknown>;

const FINAL: ReadonlySet<JobStatus> = new Set(['successful', 'failed', 'dismissed']);

/** True when the job will not change any more. */
export function isFinal(status: JobStatus): boolean {
  return FINAL.has(status);
}

/**
 * Runs jobs in this process and keeps their state in `yitu.jobs`, so that any process can read it.
 * Progress is pushed to subscribers at once (Server-Sent Events) and written to the table at most
 * every 500 ms. Imports use it now; OGC API – Processes will run its jobs through it too.
 */
export class JobService {
  private readonly events = new EventEmitter();
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly queue: Array<() => void> = [];
  private active = 0;
  private closing = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    /** Jobs that run at the same time; PGlite runs one statement at a time, so 1 there. */
    private readonly concurrency = db.capabilities.concurrent ? 2 : 1,
  ) {
    this.events.setMaxListeners(0);
  }

  /** Marks jobs left accepted or running by a previous process as failed. */
  async recover(): Promise<number> {
    return repo.failInterrupted(this.db);
  }

  /**
   * Creates a job and starts (or queues) its work; returns the accepted job at once. `createdBy`
   * (a user id) is whose job it is: only they and the administrator see it.
   */
  async submit(kind: string, input: Record<string, unknown>, work: JobWork, createdBy: string | null = null): Promise<Job> {
    if (this.closing) throw new YituError('YITU_ERR_UNAVAILABLE', 'The server is shutting down; submit the job again once it is back.');
    const id = randomUUID();
    const job = await repo.insertJob(this.db, id, kind, input, createdBy);
    const abort = new AbortController();
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    this.running.set(id, { abort, done });
    const start = () => {
      this.active++;
      void this.execute(id, work, abort).finally(() => {
        this.active--;
        this.running.delete(id);
        resolveDone();
        this.queue.shift()?.();
      });
    };
    if (this.active < this.concurrency) start();
    else this.queue.push(start);
    return job;
  }

  private async execute(id: string, work: JobWork, abort: AbortController): Promise<void> {
    if (abort.signal.aborted) {
      await this.finish(id, 'dismissed', { error: { code: 'YITU_ERR_IMPORT_CANCELLED', detail: 'Cancelled before it started.' } });
      return;
    }
    let lastWrite = 0;
    let pending: ReturnType<typeof setTimeout> | undefined;
    let latest = { progress: 0, message: null as string | null };
    const flush = async () => {
      pending = undefined;
      lastWrite = Date.now();
      await repo.updateProgress(this.db, id, latest.progress, latest.message).catch((e) => this.log.warn({ err: e, job: id }, 'job progress write failed'));
    };
    await repo.markRunning(this.db, id);
    this.emit(id);
    const ctx: JobContext = {
      id,
      signal: abort.signal,
      progress: (pct, message) => {
        latest = { progress: Math.max(0, Math.min(100, Math.round(pct * 10) / 10)), message: message ?? latest.message };
        this.events.emit(id, { ...latest, status: 'running' });
        if (!pending) pending = setTimeout(() => void flush(), Math.max(0, 500 - (Date.now() - lastWrite)));
      },
    };
    try {
      const result = await work(ctx);
      if (pending) clearTimeout(pending);
      await this.finish(id, 'successful', { result, message: latest.message });
    } catch (e) {
      if (pending) clearTimeout(pending);
      const cancelled = abort.signal.aborted;
      const err = isYituError(e)
        ? { code: e.code, title: e.title, status: e.status, detail: e.message, ...(e.errors ? { errors: e.errors } : {}), ...(e.extra ?? {}) }
        : { code: 'YITU_ERR_INTERNAL', title: 'Internal error', status: 500, detail: 'The job failed unexpectedly; the server log has the details.' };
      if (!isYituError(e)) this.log.error({ err: e, job: id }, 'job failed');
      await this.finish(id, cancelled ? 'dismissed' : 'failed', { error: err });
    }
  }

  private async finish(id: string, status: JobStatus, out: { result?: unknown; error?: Record<string, unknown>; message?: string | null }): Promise<void> {
    const message = out.message ?? (typeof out.error?.detail === 'string' ? out.error.detail : null);
    await repo.markFinished(this.db, id, status, out.result ?? null, out.error ?? null, message);
    this.emit(id);
  }

  private emit(id: string): void {
    void this.get(id).then(
      (job) => this.events.emit(id, job),
      () => {},
    );
  }

  /** Reads a job. */
  async get(id: string): Promise<Job> {
    const job = await repo.getJob(this.db, id);
    if (!job) throw new YituError('YITU_ERR_JOB_NOT_FOUND', `There is no job ${id}. List jobs with GET /jobs.`);
    return job;
  }

  /** Lists the newest jobs (with `createdBy`, only that user's). */
  async list(opts: { limit?: number; kind?: string; status?: JobStatus; createdBy?: string } = {}): Promise<Job[]> {
    return repo.listJobs(this.db, opts);
  }

  /**
   * Follows a job: `listener` gets partial updates (progress, message) and full job states;
   * returns the function that stops following.
   */
  subscribe(id: string, listener: (update: Partial<Job>) => void): () => void {
    this.events.on(id, listener);
    return () => this.events.off(id, listener);
  }

  /** Waits until the job is final and returns it. */
  async wait(id: string): Promise<Job> {
    const r = this.running.get(id);
    if (r) await r.done;
    return this.get(id);
  }

  /** Cancels a running or queued job: its work is aborted and rolled back; the job ends as dismissed. */
  async cancel(id: string): Promise<Job> {
    const job = await this.get(id);
    const r = this.running.get(id);
    if (!r || isFinal(job.status)) return job;
    r.abort.abort(new YituError('YITU_ERR_IMPORT_CANCELLED', 'The job was cancelled.'));
    await r.done;
    return this.get(id);
  }

  /** Stops taking jobs, aborts the running ones and waits until they have rolled back. */
  async shutdown(): Promise<void> {
    this.closing = true;
    for (const r of this.running.values()) r.abort.abort(new YituError('YITU_ERR_IMPORT_CANCELLED', 'The server shut down during the job; nothing of it was kept. Run it again.'));
    await Promise.all([...this.running.values()].map((r) => r.done));
  }
}
