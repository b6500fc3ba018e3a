import type { FastifyInstance } from 'fastify';
import { YituError } from '../platform/errors.ts';
import { type JobService, type JobStatus, isFinal } from './service.ts';

const STATUSES = new Set(['accepted', 'running', 'successful', 'failed', 'dismissed']);

/** Routes of jobs: list, read, follow live (Server-Sent Events), cancel. */
export async function jobRoutes(app: FastifyInstance, opts: { jobs: JobService }): Promise<void> {
  const { jobs } = opts;
  app.get('/jobs', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.status && !STATUSES.has(q.status)) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `status must be one of ${[...STATUSES].join(', ')}.`);
    const limit = q.limit ? Number(q.limit) : 50;
    if (!Number.isInteger(limit) || limit < 1) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', 'limit must be a whole number ≥ 1.');
    return { jobs: await jobs.list({ limit, ...(q.kind ? { kind: q.kind } : {}), ...(q.status ? { status: q.status as JobStatus } : {}) }) };
  });
  app.get('/jobs/:id', async (req) => jobs.get((req.params as { id: string }).id));
  app.delete('/jobs/:id', async (req) => jobs.cancel((req.params as { id: string }).id));

  // Live progress: one `progress` event per update, a final `job` event with the whole job, then the stream ends.
  app.get('/jobs/:id/events', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const job = await jobs.get(id);
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
