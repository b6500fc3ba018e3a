import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import type { Config } from '../platform/config.ts';

/**
 * Origins of the online basemap's tile URL templates (for the CSP): `https://t{s}.tianditu.gov.cn/…`
 * becomes `https://*.tianditu.gov.cn`; a template whose host cannot be told allows its scheme.
 */
export function basemapOrigins(basemapUrl: string | undefined): string[] {
  const out = new Set<string>();
  for (const t of (basemapUrl ?? '').split(/\s+/).filter(Boolean)) {
    const m = /^(https?):\/\/([^/?#]+)/i.exec(t);
    if (!m) continue;
    const [, scheme, host] = m;
    if (!host.includes('{')) out.add(`${scheme}://${host}`);
    else if (/^[^.]*\{[^}]*\}[^.]*\.[^{}]+$/.test(host)) out.add(`${scheme}://*.${host.slice(host.indexOf('.') + 1)}`);
    else out.add(`${scheme}:`);
  }
  return [...out];
}

/**
 * The Content-Security-Policy of Yitu's pages. The web app (Vite build, module scripts only) needs:
 * its own scripts; inline styles (React `style` props, MapLibre and ECharts set element styles);
 * images from data: and blob: (MapLibre's sprites and icons, canvas exports); MapLibre's worker
 * (its own module file, or a blob: URL); fetches to the API and to the online basemap, if one is
 * configured. No eval, no inline script, no plugins, no framing by other sites.
 */
export function contentSecurityPolicy(config: Pick<Config, 'basemapUrl'>): Record<string, string[]> {
  const basemap = basemapOrigins(config.basemapUrl);
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...basemap],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", 'data:', 'blob:', ...basemap],
    'worker-src': ["'self'", 'blob:'],
    'child-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
  };
}

/**
 * Security headers on every response (also errors and the web app's files): the CSP above,
 * `X-Frame-Options: SAMEORIGIN`, `Referrer-Policy: strict-origin-when-cross-origin` (never a path
 * or a `?token=` to another site, while online basemaps that check the referring site keep working),
 * the Cross-Origin-Opener/Resource policies, and HSTS only on requests that came over https
 * (directly or through the proxy's X-Forwarded-Proto), so that a plain-http intranet install is not
 * told to switch to https it does not have. Registered before the auth hook so that its 401s carry
 * them too.
 */
export async function installSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config) },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    frameguard: { action: 'sameorigin' },
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', async (req, reply) => {
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
  });
}
