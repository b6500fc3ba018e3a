import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.ts';
import { YituError } from '../../platform/errors.ts';
import { baseUrl } from '../../ogc/links.ts';
import { acceptsGzip, notModified } from '../fonts/http-cache.ts';
import { parseTileAddress } from '../tiles/tile-math.ts';
import { THEMES, type BasemapTheme } from './palette.ts';
import type { BasemapService, StyleRequest } from './service.ts';

/** Basemap tiles change only with the county's data: clients revalidate after a minute by ETag. */
const TILE_MAX_AGE = 60;

function oneOf<T extends string>(req: FastifyRequest, name: string, allowed: readonly T[], fallback: T): T {
  const raw = (req.query as Record<string, unknown>)[name];
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw)) {
    throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `${name} must be one of ${allowed.join(', ')}; got "${String(raw).slice(0, 40)}".`);
  }
  return raw as T;
}

/** Routes of the basemaps: the list, the offline basemap's style and its vector tiles. */
export async function basemapRoutes(app: FastifyInstance, opts: { basemap: BasemapService; config: Config }): Promise<void> {
  const { basemap, config } = opts;

  app.get('/basemaps', async (req) => ({ basemaps: basemap.list(baseUrl(req, config)) }));

  app.get('/basemap/style.json', async (req, reply) => {
    const kinds: StyleRequest['basemap'][] = basemap.online ? ['offline', 'xyz'] : ['offline'];
    const style = await basemap.style({
      baseUrl: baseUrl(req, config),
      lang: oneOf(req, 'lang', ['zh', 'en'] as const, 'zh'),
      theme: oneOf<BasemapTheme>(req, 'theme', THEMES, 'light'),
      basemap: oneOf(req, 'basemap', kinds, 'offline'),
    });
    return reply.header('cache-control', 'no-cache').send(style);
  });

  app.get('/basemap/tiles/WebMercatorQuad/:z/:y/:x', async (req, reply) => {
    const p = req.params as { z: string; y: string; x: string };
    const t = parseTileAddress(p.z, p.y, p.x);
    const gzip = acceptsGzip(req);
    const tile = await basemap.tile(t.z, t.x, t.y, { gzip });
    reply.header('etag', tile.etag).header('cache-control', `public, max-age=${TILE_MAX_AGE}`).header('vary', 'Accept-Encoding');
    if (notModified(req, tile.etag)) return reply.code(304).send();
    if (tile.body.length === 0) return reply.code(204).send();
    if (tile.contentEncoding) reply.header('content-encoding', tile.contentEncoding);
    return reply.type('application/vnd.mapbox-vector-tile').send(tile.body);
  });
}
