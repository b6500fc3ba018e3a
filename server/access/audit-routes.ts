import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { YituError } from '../platform/errors.ts';
import { originOf } from './auth-hook.ts';
import type { AuditLog } from './audit-log.ts';
import { type AuditService, auditCsv, auditQuerySchema, periodOf } from './audit-service.ts';
import { queryOf } from './zod-input.ts';

type IdParams = { id: string };

/** Paths under `/audit` that answer every change with 405: the trail is append-only. */
export const IMMUTABLE_AUDIT_PATHS = ['/audit', '/audit/events', '/audit/events/:id'] as const;

const timeParam = auditQuerySchema.shape.from;

/**
 * The audit trail over HTTP: `GET /audit/events` (filters, paging), `GET /audit/events.csv` (the
 * same filters, streamed, for Excel; itself audited as `audit.export`), `GET /audit/events/:id`,
 * `GET /datasets/:id/usage`.
 * PUT, PATCH and DELETE on `/audit`, `/audit/events` and `/audit/events/:id` answer 405
 * YITU_ERR_AUDIT_IMMUTABLE.
 */
export async function auditRoutes(app: FastifyInstance, opts: { auditTrail: AuditService; audit: AuditLog }): Promise<void> {
  const { auditTrail, audit } = opts;

  app.get('/audit/events', async (req) => {
    const q = queryOf(req, auditQuerySchema, 'the audit trail');
    return auditTrail.search(req.principal, q);
  });

  app.get('/audit/events.csv', async (req, reply) => {
    const q = queryOf(req, auditQuerySchema.omit({ limit: true, offset: true }), 'the audit export');
    const pages = auditTrail.all(req.principal, q);
    await audit.record({ principal: req.principal, origin: originOf(req), action: 'audit.export', targetType: 'audit_events', details: { filters: q } });
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-events-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(auditCsv(pages)));
  });

  app.get<{ Params: IdParams }>('/audit/events/:id', async (req) => {
    queryOf(req, z.object({}).strict(), 'an audit event');
    return auditTrail.get(req.principal, req.params.id);
  });

  app.get<{ Params: IdParams }>('/datasets/:id/usage', async (req) => {
    const q = queryOf(req, z.object({ from: timeParam, to: timeParam }).strict(), "a dataset's usage");
    return auditTrail.usage(req.principal, req.params.id, periodOf(q.from, q.to));
  });

  for (const path of IMMUTABLE_AUDIT_PATHS) {
    app.route({
      method: ['PUT', 'PATCH', 'DELETE'],
      url: path,
      handler: async (_req, reply): Promise<never> => {
        reply.header('allow', path === '/audit' ? '' : 'GET, HEAD');
        throw new YituError('YITU_ERR_AUDIT_IMMUTABLE', 'Audit events are append-only: no one changes or deletes them, through the API or in the database.');
      },
    });
  }
}
