import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp, createServices, type Services } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { loadConfig } from '../../server/platform/config.ts';
import { openPglite } from '../../server/platform/db-pglite.ts';
import { migrate } from '../../server/platform/migrate.ts';
import { ensureWebBuild } from '../../server/web/build.ts';
import { createTestUser, type TestUser } from '../../server/test-support/auth.ts';
import type { Role } from '../../server/access/model.ts';

/** The password of every user the harness creates (meets the password rules). */
export const E2E_PASSWORD = 'Deqing-e2e-2026!';

/** A user made for the browser tests: signs in with {@link E2E_PASSWORD}, or calls the API with its token. */
export interface E2eUser extends TestUser {
  password: string;
  displayName: string;
}

/** The users every browser test may act as. */
export interface E2eUsers {
  /** An administrator (sees everything). */
  admin: E2eUser;
  /** A data steward of the Bureau of Natural Resources and Planning (owns confidential `geohazard_points`). */
  steward: E2eUser;
  /** An analyst of the Bureau of Agriculture and Rural Affairs (another department). */
  analyst: E2eUser;
}

/** A Yitu listening on a free port of 127.0.0.1, over an embedded database seeded with the demo county. */
export interface RunningYitu {
  url: string;
  services: Services;
  users: E2eUsers;
  close(): Promise<void>;
}

/** Creates the test users through the real account service (after the demo's departments are in). */
async function createUsers(services: Services): Promise<E2eUsers> {
  const make = async (username: string, displayName: string, roles: Role[], department: string | null): Promise<E2eUser> => {
    const u = await createTestUser(services, { username, roles, department, password: E2E_PASSWORD });
    await services.db.query('UPDATE yitu.users SET display_name = $2 WHERE id = $1', [u.id, displayName]);
    return { ...u, password: E2E_PASSWORD, displayName };
  };
  return {
    admin: await make('e2e-admin', '周测试', ['administrator'], null),
    steward: await make('e2e-steward', '吴测试', ['data_steward'], 'natural-resources-planning'),
    analyst: await make('e2e-analyst', '郑测试', ['analyst'], 'agriculture-rural'),
  };
}

/**
 * Signs the page's browser context in as `user` through the API (`POST /auth/sign-in`; the session
 * cookie lands in the context, shared by its pages). Load or reload the app afterwards.
 */
export async function signIn(page: Page, yitu: RunningYitu, user: E2eUser): Promise<void> {
  const res = await page.request.post(`${yitu.url}/auth/sign-in`, { data: { username: user.username, password: user.password } });
  if (!res.ok()) throw new Error(`signing in as ${user.username} failed: ${res.status()} ${await res.text()}`);
}

/**
 * Builds the web app if needed, opens PGlite (from the migrated template dump when given), seeds
 * the demo county at `scale` and listens on port 0.
 */
export async function startYitu(opts: { template?: string; scale?: number } = {}): Promise<RunningYitu> {
  const log = pino({ level: 'warn' });
  const built = await ensureWebBuild(log, { force: true });
  if (!built) throw new Error('the web app could not be built (see the log above)');
  const db = opts.template && existsSync(opts.template) ? await openPglite({ loadDataDir: new Blob([await readFile(opts.template)]) }) : await openPglite();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'yitu-e2e-'));
  try {
    await migrate(db);
    const { config } = loadConfig({}, { demoOnEmpty: false, logLevel: 'warn', dataDir });
    const services = createServices(config, db, log);
    await seedDemo(services, { scale: opts.scale ?? 0.25 });
    const users = await createUsers(services);
    const app = await buildApp(services);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    return {
      url: `http://127.0.0.1:${port}`,
      services,
      users,
      async close() {
        await app.close();
        await services.jobs.shutdown();
        await services.hub.flushUsage().catch(() => {});
        await db.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}

/** Where Chromium is, or null: `YITU_CHROMIUM`, else Debian's and other usual paths. */
export function findChromium(): string | null {
  const candidates = [process.env.YITU_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * Launches headless Chromium with a fresh profile, no network beyond what the page asks of Yitu,
 * and WebGL through SwiftShader (software), so that MapLibre renders without a GPU.
 */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--ignore-gpu-blocklist',
      '--font-render-hinting=none',
    ],
  });
}

/** The test hook the app puts on `window` once its map has loaded. */
export interface YituHook {
  map: import('maplibre-gl').Map;
  store: { get(): Record<string, unknown>; set(p: Record<string, unknown>): void };
}

/** Waits until the workspace map exists, its style and visible tiles are loaded, and it is not moving. */
export async function waitForMapIdle(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => !!(window as unknown as { __yitu?: unknown }).__yitu, undefined, { timeout });
  await page.waitForFunction(
    () => {
      const m = (window as unknown as { __yitu: YituHook }).__yitu.map;
      return m.loaded() && m.areTilesLoaded() && !m.isMoving();
    },
    undefined,
    { timeout, polling: 200 },
  );
  // One more frame so that the canvas shows what is loaded.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Rendered features of a dataset's map layers, its own or an open saved map's (`queryRenderedFeatures` over the whole view). */
export function renderedCount(page: Page, dataset: string): Promise<number> {
  return page.evaluate((id) => {
    const { map: m, store } = (window as unknown as { __yitu: YituHook }).__yitu;
    const ofMap = ((store.get().mapLayers ?? []) as Array<{ id: string; dataset: string }>).filter((l) => l.dataset === id).map((l) => `ml:${l.id}:`);
    const layers = m.getStyle().layers.filter((l) => l.id.startsWith(`ds:${id}:`) || ofMap.some((p) => l.id.startsWith(p))).map((l) => l.id);
    return layers.length ? m.queryRenderedFeatures({ layers }).length : 0;
  }, dataset);
}

/** Fraction of pixels that differ between two PNG screenshots of the same size (decoded in the page). */
export async function changedPixels(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate(
    async ([x, y]) => {
      const load = async (b64: string) => {
        const img = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
        const c = new OffscreenCanvas(img.width, img.height);
        const g = c.getContext('2d')!;
        g.drawImage(img, 0, 0);
        return g.getImageData(0, 0, img.width, img.height).data;
      };
      const [p, q] = await Promise.all([load(x), load(y)]);
      if (p.length !== q.length) return 1;
      let diff = 0;
      for (let i = 0; i < p.length; i += 4) if (Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1]) + Math.abs(p[i + 2] - q[i + 2]) > 30) diff++;
      return diff / (p.length / 4);
    },
    [a.toString('base64'), b.toString('base64')] as const,
  );
}
