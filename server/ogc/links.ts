import type { FastifyRequest } from 'fastify';
import type { Config } from '../platform/config.ts';
import { YituError } from '../platform/errors.ts';

/** A link of an OGC API document. */
export interface Link {
  href: string;
  rel: string;
  type?: string;
  title?: string;
  hreflang?: string;
}

/** Media types the features API speaks. */
export const MEDIA = {
  json: 'application/json',
  geojson: 'application/geo+json',
  openapi: 'application/vnd.oai.openapi+json;version=3.0',
  schema: 'application/schema+json',
} as const;

/** The absolute base URL of links: config.publicUrl, else the request's protocol and host. */
export function baseUrl(req: FastifyRequest, config: Config): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  return `${req.protocol}://${req.host}`;
}

/** Query parameters of a request as single strings; a parameter given twice is refused. */
export function singleQuery(req: FastifyRequest): Record<string, string> {
  const raw = (req.query ?? {}) as Record<string, string | string[] | undefined>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `The query parameter "${k}" is given ${v.length} times; give it once.`);
    out[k] = v;
  }
  return out;
}

/** Output formats (`f`) of JSON documents and of features. */
const FORMATS = ['json', 'geojson'];

/** Checks the `f` parameter: JSON only for now (HTML comes with the web app). */
export function checkFormat(q: Record<string, string>): void {
  if (q.f === undefined || FORMATS.includes(q.f.toLowerCase())) return;
  throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `f=${q.f.slice(0, 40)} is not available; this API answers f=json (documents) and f=geojson (features), which are also the default.`, {
    extra: { supported: FORMATS },
  });
}

/** Refuses query parameters outside `allowed` (`f` is always allowed), listing the allowed ones. */
export function checkAllowed(q: Record<string, string>, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(q).filter((k) => k !== 'f' && !allowed.includes(k));
  if (unknown.length) {
    throw new YituError(
      'YITU_ERR_QUERY_PARAM_INVALID',
      `Unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k.slice(0, 40)}"`).join(', ')} for ${where}. Allowed: ${['f', ...allowed].join(', ')}.`,
      { extra: { allowed: ['f', ...allowed] } },
    );
  }
}

/** The request's URL (absolute) with some query parameters changed (others kept as given). */
export function urlWith(req: FastifyRequest, base: string, changes: Record<string, string | null>): string {
  const [path, qs = ''] = req.url.split('?', 2);
  const params = new URLSearchParams(qs);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) params.delete(k);
    else params.set(k, v);
  }
  const s = params.toString();
  return `${base}${path}${s ? `?${s}` : ''}`;
}
