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
import { type MapReader, type MapService, mapEtag } from './service.ts';
import type { AccessGuard } from '../../access/guard.ts';
import type { AuditLog } from '../../access/audit-log.ts';
import { originOf } from '../../access/auth-hook.ts';
import { isAdmin } from '../../access/policy.ts';
import type { TileService } from '../tiles/service.ts';
import { type LayerAccess, auditTileRead, authorizeSource } from '../tiles/routes.ts';

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
export async function mapRoutes(
  app: FastifyInstance,
  opts: { maps: MapService; config: Config; guard: AccessGuard; audit: AuditLog; tiles: TileService },
): Promise<void> {
  const { maps, config, guard, audit, tiles } = opts;
  const base = (req: FastifyRequest) => baseUrl(req, config);
  /** The request's principal as the map service sees it; dataset access answered through the tile sources (cached briefly). */
  const readerOf = (req: FastifyRequest): MapReader & { seen: Map<string, LayerAccess> } => {
    const seen = new Map<string, LayerAccess>();
    return {
      userId: req.principal.userId,
      admin: isAdmin(req.principal),
      seen,
      async dataset(id) {
        try {
          const a = await authorizeSource(tiles, guard, req.principal, id);
          seen.set(id, a);
          return a.scope ? { scope: a.scope } : {};
        } catch (e) {
          if (e instanceof YituError && e.status === 404) return null;
          throw e;
        }
      },
    };
  };
  const audited = (req: FastifyRequest, action: 'map.create' | 'map.update' | 'map.delete', id: string) =>
    audit.record({ principal: req.principal, origin: originOf(req), action, targetType: 'map', targetId: id });
  const tokenOf = (req: FastifyRequest, allowed: string[] = [], where = 'this request') => {
    const q = singleQuery(req);
    checkAllowed(q, ['token', ...allowed], where);
    return { q, token: q.token };
  };
  const sendMap = async (req: FastifyRequest, reply: FastifyReply, full: SavedMap, status: number, withToken: boolean) => {
    const { map: m, hidden, missing } = await maps.visibleTo(full, readerOf(req));
    return reply.status(status).header('etag', mapEtag(full)).send({ ...mapDocument(m, base(req), { withToken, missing }), restrictedLayers: hidden });
  };

  app.get('/maps', async (req) => {
    const q = singleQuery(req);
    checkAllowed(q, ['q', 'limit', 'offset'], 'the list of maps');
    const limit = intParam('limit', q.limit, 1, 1000) ?? 100;
    const offset = intParam('offset', q.offset, 0) ?? 0;
    const r = await maps.list({ ...(q.q ? { text: q.q.slice(0, 200) } : {}), limit, offset }, readerOf(req));
    return { maps: r.items.map((m) => summary(m, base(req))), total: r.total, limit, offset };
  });
  app.post('/maps', async (req, reply) => {
    checkAllowed(singleQuery(req), [], 'creating a map');
    const m = await maps.create(req.body, readerOf(req));
    await audited(req, 'map.create', m.id);
    reply.header('location', `${base(req)}/maps/${m.id}`);
    return sendMap(req, reply, m, 201, true);
  });
  app.get<{ Params: IdParams }>('/maps/:id', async (req, reply) => {
    const { token } = tokenOf(req, [], 'a map');
    const m = await maps.get(req.params.id, token, readerOf(req));
    const inm = headerOf(req, 'if-none-match');
    if (inm && inm.split(',').some((t) => t.trim() === mapEtag(m))) return reply.status(304).header('etag', mapEtag(m)).send();
    return sendMap(req, reply, m, 200, token !== undefined);
  });
  app.put<{ Params: IdParams }>('/maps/:id', async (req, reply) => {
    const { token } = tokenOf(req, [], 'changing a map');
    const m = await maps.update(req.params.id, req.body, token, headerOf(req, 'if-match'), readerOf(req));
    await audited(req, 'map.update', m.id);
    return sendMap(req, reply, m, 200, token !== undefined || m.visibility === 'private');
  });
  app.delete<{ Params: IdParams }>('/maps/:id', async (req, reply) => {
    const { token } = tokenOf(req, [], 'deleting a map');
    await maps.remove(req.params.id, token, readerOf(req));
    await audited(req, 'map.delete', req.params.id);
    return reply.status(204).send();
  });
  app.post<{ Params: IdParams }>('/maps/:id/copy', async (req, reply) => {
    const { token } = tokenOf(req, [], 'copying a map');
    const m = await maps.copy(req.params.id, token, readerOf(req));
    await audited(req, 'map.create', m.id);
    reply.header('location', `${base(req)}/maps/${m.id}`);
    return sendMap(req, reply, m, 201, true);
  });
  app.get<{ Params: IdParams }>('/maps/:id/style.json', async (req, reply) => {
    const { q, token } = tokenOf(req, ['lang'], 'a map style');
    const doc = await maps.styleJson(req.params.id, token, parseLang(q.lang), base(req), readerOf(req));
    return reply.header('cache-control', 'no-cache').send(doc);
  });
  app.get<{ Params: IdParams }>('/maps/:id/legend', async (req) => {
    const { q, token } = tokenOf(req, ['lang'], 'a map legend');
    return maps.legend(req.params.id, token, parseLang(q.lang), readerOf(req));
  });
  app.get<{ Params: TileParams }>('/maps/:id/tiles/:tms/:z/:y/:x', async (req, reply) => {
    const { token } = tokenOf(req, [], 'a map tile');
    if (req.params.tms !== TMS_ID) {
      throw new YituError('YITU_ERR_NOT_FOUND', `There is no tile matrix set "${req.params.tms.slice(0, 60)}"; maps are tiled in WebMercatorQuad.`);
    }
    const { z, x, y } = parseTileAddress(req.params.z, req.params.y, req.params.x);
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const reader = readerOf(req);
    const tile = await maps.tile(req.params.id, token, z, x, y, gzip, reader);
    auditTileRead(audit, req, tile.layers.map((name, i) => ({ name, access: reader.seen.get(tile.datasets[i]) ?? { dataset: null, scope: undefined } })), tile);
    reply.header('etag', tile.etag).header('cache-control', TILE_CACHE_CONTROL).header('vary', 'Accept-Encoding');
    const inm = headerOf(req, 'if-none-match');
    if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === tile.etag || t.trim() === '*')) return reply.status(304).send();
    if (!tile.body.length) return reply.status(204).send();
    if (tile.contentEncoding) reply.header('content-encoding', tile.contentEncoding);
    return reply.type(MVT_MEDIA).send(tile.body);
  });
}
