import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.ts';
import { YituError } from '../../platform/errors.ts';
import { intParam } from '../../platform/params.ts';
import { baseUrl, checkAllowed, singleQuery } from '../../ogc/links.ts';
import { headerOf } from '../styles/routes.ts';
import { MVT_MEDIA, TMS_ID } from '../tiles/documents.ts';
import { parseTileAddress } from '../tiles/tile-math.ts';
import { parseLang } from '../styles/service.ts';
import type { SavedMap } from './model.ts';
import { type MapService, mapEtag } from './service.ts';

type IdParams = { id: string };
type TileParams = { id: string; tms: string; z: string; y: string; x: string };

/** Same caching as the tiles routes: keep, but revalidate every use (a 304 costs no encoding). */
const TILE_CACHE_CONTROL = 'public, max-age=0, must-revalidate';

/** The JSON of a saved map; the share token only for whoever already holds it or just made the map. */
export function mapDocument(m: SavedMap, base: string, opts: { withToken: boolean; missing?: Set<string> }): Record<string, unknown> {
  const href = `${base}/maps/${m.id}`;
  const t = m.visibility === 'private' ? `?token=${encodeURIComponent(m.shareToken)}` : '';
  const lt = t ? `${t}&` : '?';
  return {
    id: m.id,
    title: m.title,
    description: m.description,
    visibility: m.visibility,
    view: m.view,
    layers: m.layers.map((l) => (opts.missing?.has(l.dataset) ? { ...l, missing: true } : l)),
    owner: m.owner,
    revision: m.revision,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    ...(opts.withToken ? { shareToken: m.shareToken } : {}),
    links: [
      { href: `${href}${opts.withToken ? t : ''}`, rel: 'self', type: 'application/json', title: 'This map' },
      { href: `${href}/style.json${opts.withToken ? lt : '?'}lang=zh`, rel: 'stylesheet', type: 'application/vnd.mapbox.style+json', title: 'MapLibre style (中文)' },
      { href: `${href}/style.json${opts.withToken ? lt : '?'}lang=en`, rel: 'stylesheet', type: 'application/vnd.mapbox.style+json', title: 'MapLibre style (English)' },
      { href: `${href}/legend${opts.withToken ? t : ''}`, rel: 'describedby', type: 'application/json', title: 'Legend' },
    ],
  };
}

/** A map summary of the list. */
function summary(m: SavedMap, base: string): Record<string, unknown> {
  return {
    id: m.id, title: m.title, description: m.description, visibility: m.visibility, view: m.view,
    layerCount: m.layers.length, updatedAt: m.updatedAt,
    links: [{ href: `${base}/maps/${m.id}`, rel: 'item', type: 'application/json' }],
  };
}

/**
 * Saved maps: `GET/POST /maps`, `GET/PUT/DELETE /maps/{id}` (If-Match on PUT), `POST
 * /maps/{id}/copy`, `/maps/{id}/style.json`, `/maps/{id}/legend` and the map's own tiles
 * `/maps/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}`. A private map needs `?token=`.
 */
export async function mapRoutes(app: FastifyInstance, opts: { maps: MapService; config: Config }): Promise<void> {
  const { maps, config } = opts;
  const base = (req: FastifyRequest) => baseUrl(req, config);
  const tokenOf = (req: FastifyRequest, allowed: string[] = [], where = 'this request') => {
    const q = singleQuery(req);
    checkAllowed(q, ['token', ...allowed], where);
    return { q, token: q.token };
  };
  const sendMap = async (req: FastifyRequest, reply: FastifyReply, m: SavedMap, status: number, withToken: boolean) => {
    const missing = await maps.missingDatasets(m);
    return reply.status(status).header('etag', mapEtag(m)).send(mapDocument(m, base(req), { withToken, missing }));
  };

  app.get('/maps', async (req) => {
    const q = singleQuery(req);
    checkAllowed(q, ['q', 'limit', 'offset'], 'the list of maps');
    const limit = intParam('limit', q.limit, 1, 1000) ?? 100;
    const offset = intParam('offset', q.offset, 0) ?? 0;
    const r = await maps.list({ ...(q.q ? { text: q.q.slice(0, 200) } : {}), limit, offset });
    return { maps: r.items.map((m) => summary(m, base(req))), total: r.total, limit, offset };
  });
  app.post('/maps', async (req, reply) => {
    checkAllowed(singleQuery(req), [], 'creating a map');
    const m = await maps.create(req.body);
    reply.header('location', `${base(req)}/maps/${m.id}`);
    return sendMap(req, reply, m, 201, true);
  });
  app.get<{ Params: IdParams }>('/maps/:id', async (req, reply) => {
    const { token } = tokenOf(req, [], 'a map');
    const m = await maps.get(req.params.id, token);
    const inm = headerOf(req, 'if-none-match');
    if (inm && inm.split(',').some((t) => t.trim() === mapEtag(m))) return reply.status(304).header('etag', mapEtag(m)).send();
    return sendMap(req, reply, m, 200, token !== undefined);
  });
  app.put<{ Params: IdParams }>('/maps/:id', async (req, reply) => {
    const { token } = tokenOf(req, [], 'changing a map');
    const m = await maps.update(req.params.id, req.body, token, headerOf(req, 'if-match'));
    return sendMap(req, reply, m, 200, token !== undefined || m.visibility === 'private');
  });
  app.delete<{ Params: IdParams }>('/maps/:id', async (req, reply) => {
    const { token } = tokenOf(req, [], 'deleting a map');
    await maps.remove(req.params.id, token);
    return reply.status(204).send();
  });
  app.post<{ Params: IdParams }>('/maps/:id/copy', async (req, reply) => {
    const { token } = tokenOf(req, [], 'copying a map');
    const m = await maps.copy(req.params.id, token);
    reply.header('location', `${base(req)}/maps/${m.id}`);
    return sendMap(req, reply, m, 201, true);
  });
  app.get<{ Params: IdParams }>('/maps/:id/style.json', async (req, reply) => {
    const { q, token } = tokenOf(req, ['lang'], 'a map style');
    const doc = await maps.styleJson(req.params.id, token, parseLang(q.lang), base(req));
    return reply.header('cache-control', 'no-cache').send(doc);
  });
  app.get<{ Params: IdParams }>('/maps/:id/legend', async (req) => {
    const { q, token } = tokenOf(req, ['lang'], 'a map legend');
    return maps.legend(req.params.id, token, parseLang(q.lang));
  });
  app.get<{ Params: TileParams }>('/maps/:id/tiles/:tms/:z/:y/:x', async (req, reply) => {
    const { token } = tokenOf(req, [], 'a map tile');
    if (req.params.tms !== TMS_ID) {
      throw new YituError('YITU_ERR_NOT_FOUND', `There is no tile matrix set "${req.params.tms.slice(0, 60)}"; maps are tiled in WebMercatorQuad.`);
    }
    const { z, x, y } = parseTileAddress(req.params.z, req.params.y, req.params.x);
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const tile = await maps.tile(req.params.id, token, z, x, y, gzip);
    reply.header('etag', tile.etag).header('cache-control', TILE_CACHE_CONTROL).header('vary', 'Accept-Encoding');
    const inm = headerOf(req, 'if-none-match');
    if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === tile.etag || t.trim() === '*')) return reply.status(304).send();
    if (!tile.body.length) return reply.status(204).send();
    if (tile.contentEncoding) reply.header('content-encoding', tile.contentEncoding);
    return reply.type(MVT_MEDIA).send(tile.body);
  });
}
