import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { installProblemHandlers } from './platform/problem.ts';
import { jobRoutes } from './jobs/routes.ts';
import { hubRoutes } from './hub/routes.ts';
import { regionRoutes } from './regions/routes.ts';
import { statsRoutes } from './stats/routes.ts';
import { ogcRoutes } from './ogc/routes.ts';
import { tileRoutes } from './map/tiles/routes.ts';
import { fontRoutes } from './map/fonts/routes.ts';
import { basemapRoutes } from './map/basemap/routes.ts';
import { styleRoutes } from './map/styles/routes.ts';
import { mapRoutes } from './map/maps/routes.ts';
import { webRoutes } from './web/routes.ts';
import { installAuth } from './access/auth-hook.ts';
import { sharingRoutes } from './access/sharing-routes.ts';
import { auditRoutes } from './access/audit-routes.ts';
import { installSecurityHeaders } from './access/security-headers.ts';
import { authRoutes } from './access/auth-routes.ts';
import { adminRoutes } from './access/admin-routes.ts';
import type { Services } from './services.ts';

export { createServices, type Services } from './services.ts';

/** Builds the HTTP app (not listening): tests call `app.inject`, `serve` calls `listen`. */
export async function buildApp(services: Services): Promise<FastifyInstance> {
  const { config, log } = services;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: 50 * 1024 * 1024,
    trustProxy: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  });
  installProblemHandlers(app);
  await installSecurityHeaders(app, config);
  await installAuth(app, services.guard);
  app.addContentTypeParser(['application/geo+json', 'application/merge-patch+json'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (e) {
      (e as { statusCode?: number }).statusCode = 400;
      done(e as Error, undefined);
    }
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });
  app.get('/health', async () => {
    await services.db.query('SELECT 1');
    return { status: 'ok', database: services.db.kind, mvt: services.db.capabilities.mvt };
  });
  await app.register(jobRoutes, { jobs: services.jobs });
  await app.register(hubRoutes, { hub: services.hub, config, guard: services.guard, audit: services.audit });
  await app.register(regionRoutes, { regions: services.regions });
  await app.register(statsRoutes, { stats: services.stats, config, guard: services.guard, audit: services.audit });
  await app.register(ogcRoutes, { hub: services.hub, config, guard: services.guard, audit: services.audit });
  await app.register(tileRoutes, { tiles: services.tiles, config, guard: services.guard, audit: services.audit });
  await app.register(fontRoutes, { fonts: services.fonts });
  await app.register(basemapRoutes, { basemap: services.basemap, config });
  await app.register(styleRoutes, { styles: services.styles, config, guard: services.guard, audit: services.audit });
  await app.register(mapRoutes, { maps: services.maps, config, guard: services.guard, audit: services.audit, tiles: services.tiles });
  await app.register(authRoutes, { services });
  await app.register(adminRoutes, { services });
  await app.register(sharingRoutes, { sharing: services.sharing, grants: services.grants, notifications: services.notifications });
  await app.register(auditRoutes, { auditTrail: services.auditTrail, audit: services.audit });
  await app.register(webRoutes, {});
  return app;
}
