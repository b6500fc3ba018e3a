import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.ts';
import { baseUrl, checkAllowed, singleQuery } from '../../ogc/links.ts';
import { z } from 'zod';
import { YituError } from '../../platform/errors.ts';
import { type DatasetStyle, type StyleService, parseLang } from './service.ts';
import { describeIssues } from './spec.ts';
import type { AccessGuard } from '../../access/guard.ts';
import type { AuditLog } from '../../access/audit-log.ts';
import { originOf } from '../../access/auth-hook.ts';

/** Body of POST /collections/{id}/style.json (the style itself is checked against the dataset later). */
const compileBodySchema = z.strictObject({
  style: z.unknown().optional(),
  label: z.unknown().optional(),
  title: z.string().max(200).optional(),
});

type IdParams = { id: string };

/** The header of a request as one string. */
export function headerOf(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

const styleDoc = (s: DatasetStyle) => ({ dataset: s.dataset, stored: s.stored, style: s.style });

/**
 * Dataset styles: `GET/PUT/DELETE /collections/{id}/style` (the stored or default thematic
 * style, with an ETag for If-Match), `/collections/{id}/style.json` (a MapLibre fragment) and
 * `/collections/{id}/classify` (class breaks of a numeric field).
 */
export async function styleRoutes(app: FastifyInstance, opts: { styles: StyleService; config: Config; guard: AccessGuard; audit: AuditLog }): Promise<void> {
  const { styles, config, guard, audit } = opts;
  // Reading a style (or classifying a field) needs read access to the dataset; changing it is a
  // steward's change of the dataset's presentation.
  app.addHook('preHandler', async (req) => {
    const id = (req.params as Partial<IdParams>).id;
    if (id === undefined) return;
    if (req.method === 'PUT' || req.method === 'DELETE') await guard.writable(req.principal, id);
    else await guard.readable(req.principal, id);
  });
  const audited = async (req: FastifyRequest, id: string, what: 'put' | 'remove') =>
    audit.record({ principal: req.principal, origin: originOf(req), action: 'style.update', datasetId: id, targetType: 'style', targetId: id, details: { change: what } });

  app.get<{ Params: IdParams }>('/collections/:id/style', async (req, reply) => {
    checkAllowed(singleQuery(req), [], 'a style');
    const s = await styles.get(req.params.id);
    return reply.header('etag', s.etag).header('cache-control', 'no-cache').send(styleDoc(s));
  });
  app.put<{ Params: IdParams }>('/collections/:id/style', async (req, reply) => {
    const s = await styles.put(req.params.id, req.body, headerOf(req, 'if-match'));
    await audited(req, req.params.id, 'put');
    return reply.header('etag', s.etag).send(styleDoc(s));
  });
  app.delete<{ Params: IdParams }>('/collections/:id/style', async (req, reply) => {
    const s = await styles.remove(req.params.id);
    await audited(req, req.params.id, 'remove');
    return reply.header('etag', s.etag).send(styleDoc(s));
  });
  app.get<{ Params: IdParams }>('/collections/:id/style.json', async (req, reply) => {
    const q = singleQuery(req);
    checkAllowed(q, ['lang'], 'a style document');
    const doc = await styles.styleJson(req.params.id, parseLang(q.lang), baseUrl(req, config));
    return reply.header('cache-control', 'no-cache').send(doc);
  });
  // Compiles a style sent in the body (a saved map layer's own spec) without storing it: the web app
  // draws each map layer from its dataset's tiles this way, keeping identify, tables and per-layer
  // visibility/opacity/order of its workspace.
  app.post<{ Params: IdParams }>('/collections/:id/style.json', async (req, reply) => {
    const q = singleQuery(req);
    checkAllowed(q, ['lang'], 'a style document');
    const b = compileBodySchema.safeParse(req.body ?? {});
    if (!b.success) throw new YituError('YITU_ERR_STYLE_INVALID', `The body is {"style": <a style spec or null>, "label"?: <labels or null>, "title"?: "<legend title>"}: ${describeIssues(b.error)}.`);
    const doc = await styles.styleJson(req.params.id, parseLang(q.lang), baseUrl(req, config), b.data);
    return reply.header('cache-control', 'no-store').send(doc);
  });
  app.get<{ Params: IdParams }>('/collections/:id/classify', async (req) => styles.classify(req.params.id, singleQuery(req)));
}
