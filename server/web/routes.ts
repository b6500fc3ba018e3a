import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { WEB_DIST } from './build.ts';

/** URL prefix of the built app's files (no API route starts with it). */
export const APP_PREFIX = '/app/';

/** True when a GET of `/` comes from a browser: `Accept` names text/html (with q > 0) and no `f` other than html. */
export function wantsHtml(req: FastifyRequest): boolean {
  const f = (req.query as Record<string, unknown> | undefined)?.f;
  if (f !== undefined) return f === 'html';
  const accept = String(req.headers.accept ?? '');
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().split(';');
    if (type.trim().toLowerCase() !== 'text/html') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>Yitu 一图</title>
<body style="font-family:sans-serif;padding:2em"><h1>一图 Yitu</h1>
<p>网页应用尚未构建。The web app is not built yet: run <code>npm start</code> (builds it) or <code>npx vite build web</code>.</p>
<p>API: <a href="/?f=json">/?f=json</a>, <a href="/collections">/collections</a>, <a href="/api">/api</a></p></body></html>`;

/**
 * The web app: its built files under {@link APP_PREFIX}, and its page at `/` for browsers (content
 * negotiation: `Accept: text/html` or `?f=html`); API clients keep the OGC landing page at `/`.
 * Registered without encapsulation so that its hook sees every request.
 */
async function webRoutesPlugin(app: FastifyInstance, opts: { dist?: string }): Promise<void> {
  const dist = opts.dist ?? WEB_DIST;
  let index: { html: string; mtime: number } | null = null;
  // Read again when a new build replaced it (names of its assets change with every build).
  const page = async (): Promise<string> => {
    const file = path.join(dist, 'index.html');
    const s = await stat(file).catch(() => null);
    if (!s) return NOT_BUILT;
    if (index?.mtime !== s.mtimeMs) index = { html: await readFile(file, 'utf8'), mtime: s.mtimeMs };
    return index.html;
  };
  const sendPage = async (reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('vary', 'Accept').send(await page());

  // Files are sent from this hook rather than from a route so that the API's route table (checked against
  // /api) stays the API's own.
  await app.register(fastifyStatic, { root: dist, serve: false });
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return;
    const p = req.url.split('?', 1)[0];
    if (p === '/' && wantsHtml(req)) return sendPage(reply);
    if (p === '/') reply.header('vary', 'Accept');
    if (p === '/app' || p === APP_PREFIX) return sendPage(reply);
    if (p.startsWith(APP_PREFIX)) {
      let rel: string;
      try {
        rel = decodeURIComponent(p.slice(APP_PREFIX.length));
      } catch {
        return;
      }
      if (rel.split('/').some((s) => s === '..' || s === '' || s.startsWith('.'))) return;
      // File names under assets/ carry a content hash.
      reply.header('cache-control', rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.sendFile(rel, dist, { cacheControl: false });
    }
  });
}
(webRoutesPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

/** Fastify plugin serving the web app (see {@link webRoutesPlugin}). */
export const webRoutes = webRoutesPlugin;
