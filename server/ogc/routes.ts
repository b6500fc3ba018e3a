import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../platform/config.ts';
import { YituError } from '../platform/errors.ts';
import type { HubService } from '../hub/service.ts';
import { conformanceDocument, landingPage } from './conformance.ts';
import { parseCrs } from './crs.ts';
import { MEDIA, baseUrl, checkFormat, singleQuery, urlWith } from './links.ts';
import { openApiDocument } from './openapi.ts';
import { type LinkContext, type OgcAccess, OgcService, type Reader, parseFid } from './service.ts';
import { type FeatureChange, writeFeatures } from './transactions.ts';
import { originOf } from '../access/auth-hook.ts';
import { requireUser } from '../access/guard.ts';

type IdParams = { id: string };
type FeatureParams = { id: string; fid: string };

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

/**
 * OGC API – Features (Parts 1–4) over the data hub: landing page, conformance, OpenAPI, the
 * datasets as collections, their features (paging, bbox, datetime, properties, sortby, CRS, CQL2
 * filters, versions) and feature editing of editable datasets. The landing page, conformance and
 * OpenAPI are public; collections are what the caller may see (see {@link OgcService}); edits are
 * the owning department's stewards' (`guard.writable`), each audited as `features.edit`.
 */
export async function ogcRoutes(app: FastifyInstance, opts: { hub: HubService; config: Config } & OgcAccess): Promise<void> {
  const { config, guard, audit } = opts;
  const ogc = new OgcService(opts.hub, config, app.log, { guard, audit });
  const reader = (req: FastifyRequest): Reader => ({ principal: req.principal, origin: originOf(req) });
  const base = (req: FastifyRequest) => baseUrl(req, config);
  const json = (reply: FastifyReply, type: string, doc: unknown) => reply.type(type).send(doc);
  const links = (req: FastifyRequest): LinkContext => {
    const b = base(req);
    return { base: b, urlWith: (changes) => urlWith(req, b, changes) };
  };
  const checked = (req: FastifyRequest) => {
    const q = singleQuery(req);
    checkFormat(q);
    return q;
  };

  app.get('/', async (req, reply) => {
    checked(req);
    return json(reply, MEDIA.json, landingPage(base(req)));
  });
  app.get('/conformance', async (req, reply) => {
    checked(req);
    return json(reply, MEDIA.json, conformanceDocument());
  });
  app.get('/api', async (req, reply) => {
    checked(req);
    // With the charset given, Fastify keeps the media type as written (`version=3.0`, unquoted), as GDAL expects.
    return json(reply, `${MEDIA.openapi};charset=utf-8`, openApiDocument(base(req)));
  });
  app.get('/collections', async (req, reply) => {
    checked(req);
    return json(reply, MEDIA.json, await ogc.collections(reader(req), base(req)));
  });
  app.get<{ Params: IdParams }>('/collections/:id', async (req, reply) => {
    checked(req);
    return json(reply, MEDIA.json, await ogc.collection(reader(req), req.params.id, base(req)));
  });
  app.get<{ Params: IdParams }>('/collections/:id/queryables', async (req, reply) => {
    const q = checked(req);
    // application/schema+json (Part 3), or application/json for clients that accept only that (GDAL ≤ 3.6).
    const accept = header(req, 'accept') ?? '';
    const plain = accept.includes(MEDIA.json) && !accept.includes(MEDIA.schema) && !accept.includes('*/*');
    return json(reply, plain ? MEDIA.json : MEDIA.schema, await ogc.queryables(reader(req), req.params.id, base(req), titleLang(q.lang)));
  });

  app.get<{ Params: IdParams }>('/collections/:id/items', async (req, reply) => {
    const r = await ogc.items(reader(req), req.params.id, singleQuery(req), links(req));
    return reply.type(MEDIA.geojson).headers(r.headers).send(r.body);
  });
  app.get<{ Params: FeatureParams }>('/collections/:id/items/:fid', async (req, reply) => {
    const r = await ogc.feature(reader(req), req.params.id, req.params.fid, singleQuery(req), base(req));
    reply.headers(r.headers).header('etag', r.etag);
    if (header(req, 'if-none-match')?.split(',').some((t) => t.trim().replace(/^W\//, '') === r.etag || t.trim() === '*')) {
      return reply.status(304).send();
    }
    return reply.type(MEDIA.geojson).send(r.body);
  });

  // Part 4: every write is one new version of the dataset, by the dataset's stewards only.
  const write = async (req: FastifyRequest<{ Params: IdParams | FeatureParams }>, change: FeatureChange) => {
    const p = req.principal;
    requireUser(p);
    const ds = await guard.writable(p, req.params.id);
    const crs = parseCrs(header(req, 'content-crs'), 'Content-Crs');
    const res = await writeFeatures(opts.hub.db, req.params.id, crs, change, `${change.kind} through OGC API – Features`);
    opts.hub.notifyChange(req.params.id);
    await audit.record({
      principal: p,
      origin: originOf(req),
      action: 'features.edit',
      datasetId: ds.id,
      classification: ds.classification,
      targetType: 'feature',
      ...('fid' in change ? { targetId: String(change.fid) } : res.features.length === 1 ? { targetId: String(res.features[0].id) } : {}),
      featureCount: Math.max(res.features.length, 1),
      details: { operation: change.kind, version: res.version },
    });
    return res;
  };
  const storedFeature = async (req: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply, fid: number, status: number, version: number) => {
    const r = await ogc.feature(reader(req), req.params.id, String(fid), {}, base(req), false);
    return reply.status(status).type(MEDIA.geojson).headers(r.headers).header('x-yitu-dataset-version', String(version)).header('etag', r.etag).send(r.body);
  };

  app.post<{ Params: IdParams }>('/collections/:id/items', async (req, reply) => {
    const res = await write(req, { kind: 'create', body: req.body });
    const href = (fid: number) => `${base(req)}/collections/${req.params.id}/items/${fid}`;
    reply.header('location', href(res.features[0].id));
    if (!res.collection) return storedFeature(req, reply, res.features[0].id, 201, res.version);
    return reply.status(201).type(MEDIA.json).header('x-yitu-dataset-version', String(res.version)).send({
      version: res.version,
      features: res.features.map((f) => ({ id: f.id, etag: f.etag, href: href(f.id) })),
    });
  });
  app.put<{ Params: FeatureParams }>('/collections/:id/items/:fid', async (req, reply) => {
    const fid = parseFid(req.params.fid, req.params.id);
    const res = await write(req, { kind: 'replace', fid, body: req.body, ...ifMatchOf(req) });
    return storedFeature(req, reply, fid, 200, res.version);
  });
  app.patch<{ Params: FeatureParams }>('/collections/:id/items/:fid', async (req, reply) => {
    const fid = parseFid(req.params.fid, req.params.id);
    const res = await write(req, { kind: 'patch', fid, body: req.body, ...ifMatchOf(req) });
    return storedFeature(req, reply, fid, 200, res.version);
  });
  app.delete<{ Params: FeatureParams }>('/collections/:id/items/:fid', async (req, reply) => {
    const fid = parseFid(req.params.fid, req.params.id);
    const res = await write(req, { kind: 'delete', fid, ...ifMatchOf(req) });
    return reply.status(204).header('x-yitu-dataset-version', String(res.version)).send();
  });

  /** The language of display titles: `lang=zh|en` (as the style.json endpoints take it), Chinese by default. */
  function titleLang(lang: string | undefined): 'zh' | 'en' {
    if (lang === undefined || lang === 'zh' || lang === 'en') return lang ?? 'zh';
    throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `lang=${lang.slice(0, 20)} is not available; give lang=zh (Chinese, the default) or lang=en (English).`);
  }

  function ifMatchOf(req: FastifyRequest): { ifMatch?: string } {
    const v = header(req, 'if-match');
    return v === undefined ? {} : { ifMatch: v };
  }
}
