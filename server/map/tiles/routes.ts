import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.ts';
import { YituError } from '../../platform/errors.ts';
import { baseUrl, singleQuery } from '../../ogc/links.ts';
import { MVT_MEDIA, TMS_ID, tileJsonDocument, tileMatrixSetsDocument, tilesetDocument, tilesetsDocument, webMercatorQuadDocument } from './documents.ts';
import { selectColumns } from './layer-query.ts';
import type { TileLayerRequest, TileResponse, TileService } from './service.ts';
import { parseTileAddress } from './tile-math.ts';
import { type AccessGuard, notFound } from '../../access/guard.ts';
import type { AuditLog } from '../../access/audit-log.ts';
import { originOf } from '../../access/auth-hook.ts';
import type { Principal } from '../../access/model.ts';
import type { Dataset } from '../../hub/model.ts';

/**
 * Tiles change whenever their dataset gets a new version, and a new import must show at once, so
 * browsers keep them but revalidate every use: a 304 for an unchanged ETag costs no encoding.
 */
const CACHE_CONTROL = 'public, max-age=0, must-revalidate';
const MAX_COLLECTIONS = 50;

type TileParams = { id: string; tms: string; z: string; y: string; x: string };

function checkTms(tms: string): void {
  if (tms !== TMS_ID) throw new YituError('YITU_ERR_NOT_FOUND', `There is no tile matrix set "${tms.slice(0, 60)}"; this server has ${TMS_ID} (GET /tileMatrixSets).`);
}

function list(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

/** The layer options of a tile request's query (properties, filter, aggregate). */
export function layerFromQuery(source: string, q: Record<string, string>): TileLayerRequest {
  const layer: TileLayerRequest = { source };
  const props = list(q.properties);
  if (props) layer.properties = props;
  if (q.filter !== undefined) {
    const lang = q['filter-lang'] ?? 'cql2-text';
    if (lang !== 'cql2-text' && lang !== 'cql2-json') throw new YituError('YITU_ERR_FILTER_LANG_UNSUPPORTED', `filter-lang "${lang.slice(0, 40)}" is not supported; use cql2-text (the default) or cql2-json.`);
    layer.filter = q.filter;
    layer.filterLang = lang;
  } else if (q['filter-lang'] !== undefined) {
    throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', 'filter-lang describes a filter, but no filter is given.');
  }
  if (q.aggregate !== undefined) {
    if (q.aggregate !== 'h3') throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `aggregate "${q.aggregate.slice(0, 40)}" is not supported; use aggregate=h3 (hexagons with count, and sum/avg of aggregate-field).`);
    layer.aggregate = { kind: 'h3', ...(q['aggregate-field'] ? { field: q['aggregate-field'] } : {}) };
  } else if (q['aggregate-field'] !== undefined) {
    throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', 'aggregate-field needs aggregate=h3.');
  }
  return layer;
}

/** What a reader may draw of one tile source: nothing (404), or all of it, or only within a regional scope. */
export interface LayerAccess {
  dataset: Dataset | null;
  scope: readonly string[] | undefined;
}

/**
 * Checks that the principal may read a tile source: registered sources (regions) are public; a
 * dataset the principal may not see is not found, with the same answer as a dataset that does not
 * exist (checked before anything about the dataset is told, such as "it has no geometry").
 */
export async function authorizeSource(tiles: TileService, guard: AccessGuard, p: Principal, id: string): Promise<LayerAccess> {
  if (tiles.registeredSources().includes(id)) return { dataset: null, scope: undefined };
  let src;
  try {
    src = await tiles.resolve(id);
  } catch (e) {
    if (e instanceof YituError && e.code === 'YITU_ERR_DATASET_NOT_FOUND') await guard.readable(p, id);
    throw e;
  }
  if (!src.dataset || !(await guard.mayRead(p, src.dataset))) throw notFound(id);
  const scope = guard.scope(p, src.dataset);
  return { dataset: src.dataset, scope: scope ?? undefined };
}

/** Records the tile's reads of restricted datasets in the audit trail (buffered; public data is not recorded). */
export function auditTileRead(audit: AuditLog, req: FastifyRequest, layers: Array<{ name: string; access: LayerAccess }>, tile: TileResponse): void {
  for (const l of layers) {
    const ds = l.access.dataset;
    if (!ds || ds.classification === 'public') continue;
    audit.recordRead({
      principal: req.principal,
      origin: originOf(req),
      action: 'tiles.read',
      datasetId: ds.id,
      classification: ds.classification,
      featureCount: tile.featureCounts[l.name] ?? 0,
    });
  }
}

/**
 * OGC API – Tiles (vector tiles, WebMercatorQuad) over the tile service: tile matrix sets, each
 * collection's tilesets, tileset metadata or TileJSON (`?f=tilejson`), tiles, and several
 * collections in one tile (`/tiles/WebMercatorQuad/{z}/{y}/{x}?collections=a,b`).
 */
export async function tileRoutes(app: FastifyInstance, opts: { tiles: TileService; config: Config; guard: AccessGuard; audit: AuditLog }): Promise<void> {
  const { tiles, config, guard, audit } = opts;
  const base = (req: FastifyRequest) => baseUrl(req, config);

  const send = (req: FastifyRequest, reply: FastifyReply, tile: TileResponse) => {
    reply.header('etag', tile.etag).header('cache-control', CACHE_CONTROL).header('vary', 'Accept-Encoding');
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === tile.etag || t.trim() === '*')) return reply.status(304).send();
    if (!tile.body.length) return reply.status(204).send();
    if (tile.contentEncoding) reply.header('content-encoding', tile.contentEncoding);
    return reply.type(MVT_MEDIA).send(tile.body);
  };
  const acceptsGzip = (req: FastifyRequest) => /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const checkF = (q: Record<string, string>, allowed: string[]) => {
    if (q.f !== undefined && !allowed.includes(q.f)) throw new YituError('YITU_ERR_NOT_ACCEPTABLE', `f=${q.f.slice(0, 40)} is not offered here; use ${allowed.join(' or ')}.`);
  };

  app.get('/tileMatrixSets', async (req, reply) => {
    checkF(singleQuery(req), ['json']);
    return reply.type('application/json').send(tileMatrixSetsDocument(base(req)));
  });
  app.get<{ Params: { tms: string } }>('/tileMatrixSets/:tms', async (req, reply) => {
    checkF(singleQuery(req), ['json']);
    checkTms(req.params.tms);
    return reply.type('application/json').send(webMercatorQuadDocument());
  });
  app.get<{ Params: { id: string } }>('/collections/:id/tiles', async (req, reply) => {
    checkF(singleQuery(req), ['json']);
    await authorizeSource(tiles, guard, req.principal, req.params.id);
    return reply.type('application/json').send(tilesetsDocument(await tiles.resolve(req.params.id), base(req)));
  });
  app.get<{ Params: { id: string; tms: string } }>('/collections/:id/tiles/:tms', async (req, reply) => {
    const q = singleQuery(req);
    checkF(q, ['json', 'tilejson']);
    checkTms(req.params.tms);
    await authorizeSource(tiles, guard, req.principal, req.params.id);
    const src = await tiles.resolve(req.params.id);
    const layer = layerFromQuery(src.id, q);
    const columns = selectColumns(src, layer.properties);
    const doc = q.f === 'tilejson' ? tileJsonDocument(src, columns, base(req), q) : tilesetDocument(src, columns, base(req), q);
    return reply.type('application/json').send(doc);
  });
  app.get<{ Params: TileParams }>('/collections/:id/tiles/:tms/:z/:y/:x', async (req, reply) => {
    const q = singleQuery(req);
    checkF(q, ['mvt']);
    checkTms(req.params.tms);
    const t = parseTileAddress(req.params.z, req.params.y, req.params.x);
    const access = await authorizeSource(tiles, guard, req.principal, req.params.id);
    const layer = layerFromQuery(req.params.id, q);
    if (access.scope) layer.scope = access.scope;
    const tile = await tiles.getTile([layer], t.z, t.x, t.y, { gzip: acceptsGzip(req) });
    auditTileRead(audit, req, [{ name: req.params.id, access }], tile);
    return send(req, reply, tile);
  });
  app.get<{ Params: Omit<TileParams, 'id'> }>('/tiles/:tms/:z/:y/:x', async (req, reply) => {
    const q = singleQuery(req);
    checkF(q, ['mvt']);
    checkTms(req.params.tms);
    const t = parseTileAddress(req.params.z, req.params.y, req.params.x);
    const ids = list(q.collections);
    if (!ids?.length) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', 'Name the layers of the tile: ?collections=a,b (dataset ids, or regions / region_labels).');
    if (ids.length > MAX_COLLECTIONS) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `At most ${MAX_COLLECTIONS} collections per tile; got ${ids.length}.`);
    const access = await Promise.all(ids.map((id) => authorizeSource(tiles, guard, req.principal, id)));
    const layers = ids.map((source, i): TileLayerRequest => (access[i].scope ? { source, scope: access[i].scope } : { source }));
    const tile = await tiles.getTile(layers, t.z, t.x, t.y, { gzip: acceptsGzip(req) });
    auditTileRead(audit, req, ids.map((name, i) => ({ name, access: access[i] })), tile);
    return send(req, reply, tile);
  });
}
