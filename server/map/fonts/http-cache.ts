import type { FastifyReply, FastifyRequest } from 'fastify';

/** Whether the request's `If-None-Match` names this (strong or weak) ETag, or is `*`. */
export function notModified(req: FastifyRequest, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v.replace(/^W\//, '') === bare;
  });
}

/** Whether the client takes gzip (`Accept-Encoding: gzip`, not refused with `q=0`). */
export function acceptsGzip(req: FastifyRequest): boolean {
  const header = req.headers['accept-encoding'];
  if (!header) return false;
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().split(';');
    if (name.trim().toLowerCase() !== 'gzip' && name.trim() !== '*') return false;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
    return q === undefined || Number(q) > 0;
  });
}

/**
 * Sends a cacheable body: ETag, Cache-Control and Vary; 304 when the client has it; the gzip
 * variant when given and accepted.
 */
export function sendCached(
  req: FastifyRequest,
  reply: FastifyReply,
  r: { body: Buffer; gzip?: Buffer | null; etag: string; type: string; maxAge: number },
): FastifyReply {
  reply.header('etag', r.etag).header('cache-control', `public, max-age=${r.maxAge}`).header('vary', 'Accept-Encoding');
  if (notModified(req, r.etag)) return reply.code(304).send();
  reply.type(r.type);
  if (r.gzip && acceptsGzip(req)) return reply.header('content-encoding', 'gzip').send(r.gzip);
  return reply.send(r.body);
}
