import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import { YituError } from '../platform/errors.ts';
import { intParam } from '../platform/params.ts';
import { LEVELS, type Region, type RegionLevel } from './model.ts';
import type { RegionService } from './service.ts';

type Query = Record<string, string | undefined>;

const MAX_LIMIT = 1000;

function boolParam(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `${name} must be true or false; got "${v}".`);
}

function levelParam(v: string | undefined): RegionLevel | undefined {
  if (v === undefined || v === '') return undefined;
  if (!(LEVELS as readonly string[]).includes(v)) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `level must be one of ${LEVELS.join(', ')}; got "${v}".`);
  return v as RegionLevel;
}

function formatParam(q: Query): 'json' | 'geojson' {
  const f = q.f ?? 'json';
  if (f !== 'json' && f !== 'geojson') throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `f must be json or geojson; got "${f}".`);
  return f;
}

function numberParam(name: string, v: string | undefined): number {
  if (v === undefined || v.trim() === '') throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `${name} is required: GET /regions/locate?lon=119.97&lat=30.54 (or ?point=119.97,30.54).`);
  const n = Number(v);
  if (!Number.isFinite(n)) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `${name} must be a number in degrees; got "${v.slice(0, 40)}".`);
  return n;
}

/** A region as a GeoJSON Feature (id: its code). */
export function regionFeature(r: Region): Feature<MultiPolygon | null> {
  const { geometry, bbox: _bbox, name, ...rest } = r;
  return { type: 'Feature', id: r.code, geometry: geometry ?? null, properties: { ...rest, nameZh: name.zh, nameEn: name.en } };
}

function sendList(reply: FastifyReply, f: 'json' | 'geojson', r: { regions: Region[]; total: number }) {
  if (f === 'json') return reply.send({ regions: r.regions, total: r.total });
  const fc: FeatureCollection & { numberMatched: number; numberReturned: number } = {
    type: 'FeatureCollection',
    features: r.regions.map(regionFeature) as FeatureCollection['features'],
    numberMatched: r.total,
    numberReturned: r.regions.length,
  };
  return reply.type('application/geo+json').send(fc);
}

function pageOf(q: Query, f: 'json' | 'geojson') {
  return {
    limit: intParam('limit', q.limit, 1, MAX_LIMIT) ?? 100,
    offset: intParam('offset', q.offset, 0) ?? 0,
    // GeoJSON always carries the boundaries; JSON only when asked (geometry=true).
    geometry: f === 'geojson' ? boolParam('geometry', q.geometry) !== false : boolParam('geometry', q.geometry) ?? false,
  };
}

/** Routes of the admin hierarchy: list, read, children, locate a point. */
export async function regionRoutes(app: FastifyInstance, opts: { regions: RegionService }): Promise<void> {
  const { regions } = opts;

  app.get('/regions', async (req, reply) => {
    const q = req.query as Query;
    const f = formatParam(q);
    const level = levelParam(q.level);
    const r = await regions.list({
      ...pageOf(q, f),
      ...(level ? { level } : {}),
      ...(q.parent ? { parent: q.parent } : {}),
      ...(q.q?.trim() ? { q: q.q.trim().slice(0, 100) } : {}),
    });
    return sendList(reply, f, r);
  });

  app.get('/regions/locate', async (req) => {
    const q = req.query as Query;
    let lon: number;
    let lat: number;
    if (q.point !== undefined) {
      const parts = q.point.split(',');
      if (parts.length !== 2) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `point must be "longitude,latitude", e.g. point=119.97,30.54; got "${q.point.slice(0, 60)}".`);
      lon = numberParam('point longitude', parts[0]);
      lat = numberParam('point latitude', parts[1]);
    } else {
      lon = numberParam('lon', q.lon);
      lat = numberParam('lat', q.lat);
    }
    return regions.locate(lon, lat);
  });

  app.get('/regions/:code', async (req, reply) => {
    const f = formatParam(req.query as Query);
    const r = await regions.get((req.params as { code: string }).code);
    if (f === 'json') return r;
    const feature = regionFeature(r);
    return reply.type('application/geo+json').send({ ...feature, properties: { ...feature.properties, parents: r.parents.map((p) => p.code), childrenCount: r.childrenCount } });
  });

  app.get('/regions/:code/children', async (req, reply) => {
    const q = req.query as Query;
    const f = formatParam(q);
    return sendList(reply, f, await regions.children((req.params as { code: string }).code, pageOf(q, f)));
  });
}
