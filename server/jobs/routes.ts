import type { FastifyInstance, FastifyRequest } from 'fastify';
import { YituError } from '../platform/errors.ts';
import { requireUser } from '../access/guard.ts';
import { isAdmin } from '../access/policy.ts';
import { type Job, type JobService, type JobStatus, isFinal } from './service.ts';

const STATUSES = new Set(['accepted', 'running', 'successful', 'failed', 'dismissed']);

/**
 * Routes of jobs: list, read, follow live (Server-Sent Events), cancel. A job is its submitter's:
 * signed-in users see and cancel their own jobs, the administrator everyone's; another user's job
 * answers exactly like one that does not exist (404), and the anonymous get 401.
 */
export async function jobRoutes(app: FastifyInstance, opts: { jobs: JobService }): Promise<void> {
  const { jobs } = opts;

  /** The job when the caller may see it; otherwise the same 404 as for an unknown id. */
  const own = async (req: FastifyRequest): Promise<Job> => {
    const p = req.principal;
    requireUser(p);
    const id = (req.params as { id: string }).id;
    const job = await jobs.get(id);
    if (isAdmin(p) || job.createdBy === p.userId) return job;
    throw new YituError('YITU_ERR_JOB_NOT_FOUND', `There is no job ${id}. List jobs with GET /jobs.`);
  };

  app.get('/jobs', async (req) => {
    const p = req.principal;
    requireUser(p);
    const q = req.query as Record<string, string | undefined>;
    if (q.status && !STATUSES.has(q.status)) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `status must be one of ${[...STATUSES].join(', ')}.`);
    const limit = q.limit ? Number(q.limit) : 50;
    if (!Number.isInteger(limit) || limit < 1) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', 'limit must be a whole number ≥ 1.');
    return {
      jobs: await jobs.list({
        limit,
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.status ? { status: q.status as JobStatus } : {}),
        ...(isAdmin(p) ? {} : { createdBy: p.userId }),
      }),
    };
  });
  app.get('/jobs/:id', async (req) => own(req));
  app.delete('/jobs/:id', async (req) => jobs.cancel((await own(req)).id));

  // Live progress: one `progress` event per update, a final `job` event with the whole job, then the stream ends.
  app.get('/jobs/:id/events', async (req, reply) => {
    const job = await own(req);
    const id = job.id;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('job', job);
    if (isFinal(job.status)) return res.end();
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    let stop = () => {};
    const end = () => {
      clearInterval(keepAlive);
      stop();
      res.end();
    };
    stop = jobs.subscribe(id, (u) => {
      if ('id' in u) {
        send('job', u);
        if (u.status && isFinal(u.status)) end();
      } else send('progress', u);
    });
    // The job may have finished between the read and the subscription.
    const again = await jobs.get(id);
    if (isFinal(again.status)) {
      send('job', again);
      end();
    }
    req.raw.on('close', end);
  });
}
