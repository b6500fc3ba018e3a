import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { departmentIdSchema } from './model.ts';
import { requireUser } from './guard.ts';
import { originOf } from './auth-hook.ts';
import type { SharingService } from './sharing-service.ts';
import type { GrantService } from './grants.ts';
import { type NotificationService, notificationNotFound } from './notifications.ts';
import { bodyOf, parseInput, queryOf } from './zod-input.ts';

type IdParams = { id: string };

const page = {
  limit: z.string().regex(/^\d{1,4}$/, 'a whole number 1–500').transform(Number).pipe(z.number().int().min(1).max(500)).optional(),
  offset: z.string().regex(/^\d{1,9}$/, 'a whole number ≥ 0').transform(Number).optional(),
};
const reason = z.string().trim().max(2000, 'at most 2000 characters');
const days = z.number({ error: 'a whole number of days' }).int('a whole number of days').min(1, 'at least 1 day').max(366, 'at most 366 days');

/** Body of `POST /datasets/:id/share-requests`. */
export const shareRequestBody = z
  .object({ purpose: z.string().trim().min(10, 'say what the data is for, in 10 characters or more').max(2000, 'at most 2000 characters'), days })
  .strict();
/** Body of `POST /share-requests/:id/approve`. */
export const approveBody = z.object({ reason: reason.optional(), days: days.optional() }).strict();
/** Body of `POST /share-requests/:id/refuse`: the requester reads the reason. */
export const refuseBody = z.object({ reason: reason.min(1, 'say why the request is refused') }).strict();
/** Body of `POST /datasets/:id/grants`: to a department or to one user. */
export const grantBody = z
  .object({
    department: departmentIdSchema.optional(),
    userId: z.uuid('a user id (uuid)').optional(),
    days,
    reason: reason.min(1, 'say why access is granted'),
  })
  .strict()
  .refine((g) => (g.department === undefined) !== (g.userId === undefined), { message: 'give either department or userId, not both' });

/**
 * Sharing and notifications over HTTP: `GET /sharing/catalog`, `POST /datasets/:id/share-requests`,
 * `GET /share-requests`, `GET /share-requests/:id`, `POST /share-requests/:id/approve|refuse|withdraw`,
 * `GET/POST /datasets/:id/grants`, `DELETE /grants/:id`, `GET /notifications`,
 * `POST /notifications/:id/read`, `POST /notifications/read-all`.
 */
export async function sharingRoutes(app: FastifyInstance, opts: { sharing: SharingService; grants: GrantService; notifications: NotificationService }): Promise<void> {
  const { sharing, grants, notifications } = opts;

  app.get('/sharing/catalog', async (req) => {
    const q = queryOf(req, z.object({ q: z.string().trim().max(200).optional() }).strict(), 'the sharing catalog');
    return { datasets: await sharing.catalog(req.principal, q.q || undefined) };
  });

  app.post<{ Params: IdParams }>('/datasets/:id/share-requests', async (req, reply) => {
    queryOf(req, z.object({}).strict(), 'a sharing request');
    requireUser(req.principal);
    const body = parseInput(shareRequestBody, bodyOf(req), 'YITU_ERR_SHARE_REQUEST_INVALID', 'sharing request');
    const r = await sharing.request(req.principal, req.params.id, body, originOf(req));
    return reply.status(201).header('location', `/share-requests/${r.id}`).send(r);
  });

  app.get('/share-requests', async (req) => {
    const q = queryOf(
      req,
      z.object({
        box: z.enum(['outgoing', 'incoming']).default('outgoing'),
        status: z.enum(['pending', 'approved', 'refused', 'withdrawn']).optional(),
        dataset: z.string().max(200).optional(),
        ...page,
      }).strict(),
      'the list of sharing requests',
    );
    const requests = await sharing.list(req.principal, { box: q.box, status: q.status, datasetId: q.dataset, limit: q.limit, offset: q.offset });
    return { requests };
  });

  app.get<{ Params: IdParams }>('/share-requests/:id', async (req) => {
    queryOf(req, z.object({}).strict(), 'a sharing request');
    return sharing.get(req.principal, req.params.id);
  });

  app.post<{ Params: IdParams }>('/share-requests/:id/approve', async (req) => {
    requireUser(req.principal);
    const body = parseInput(approveBody, bodyOf(req), 'YITU_ERR_SHARE_REQUEST_INVALID', 'approval');
    return sharing.approve(req.principal, req.params.id, body, originOf(req));
  });

  app.post<{ Params: IdParams }>('/share-requests/:id/refuse', async (req) => {
    requireUser(req.principal);
    const body = parseInput(refuseBody, bodyOf(req), 'YITU_ERR_SHARE_REQUEST_INVALID', 'refusal');
    return sharing.refuse(req.principal, req.params.id, body, originOf(req));
  });

  app.post<{ Params: IdParams }>('/share-requests/:id/withdraw', async (req) => {
    parseInput(z.object({}).strict(), bodyOf(req), 'YITU_ERR_SHARE_REQUEST_INVALID', 'withdrawal (send no body)');
    return sharing.withdraw(req.principal, req.params.id, originOf(req));
  });

  app.get<{ Params: IdParams }>('/datasets/:id/grants', async (req) => {
    queryOf(req, z.object({}).strict(), "a dataset's grants");
    return { grants: await grants.list(req.principal, req.params.id) };
  });

  app.post<{ Params: IdParams }>('/datasets/:id/grants', async (req, reply) => {
    requireUser(req.principal);
    const body = parseInput(grantBody, bodyOf(req), 'YITU_ERR_INPUT_INVALID', 'grant');
    const g = await grants.create(req.principal, req.params.id, body, originOf(req));
    return reply.status(201).send(g);
  });

  app.delete<{ Params: IdParams }>('/grants/:id', async (req, reply) => {
    await grants.revoke(req.principal, req.params.id, originOf(req));
    return reply.status(204).send();
  });

  app.get('/notifications', async (req) => {
    const q = queryOf(req, z.object({ unread: z.enum(['true', 'false']).optional(), ...page }).strict(), 'notifications');
    requireUser(req.principal);
    return notifications.list(req.principal.userId, { unread: q.unread === 'true', limit: q.limit, offset: q.offset });
  });

  app.post<{ Params: IdParams }>('/notifications/:id/read', async (req) => {
    requireUser(req.principal);
    if (!/^\d{1,15}$/.test(req.params.id)) throw notificationNotFound(req.params.id);
    return notifications.markRead(req.principal.userId, Number(req.params.id));
  });

  app.post('/notifications/read-all', async (req) => {
    requireUser(req.principal);
    const marked = await notifications.markAllRead(req.principal.userId);
    return { marked, unread: 0 };
  });
}
