import { existsSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

/** The web app's folder (sources, Vite config) in this checkout. */
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));
/** Where the built app is (served under {@link APP_PREFIX}). */
export const WEB_DIST = path.join(WEB_DIR, 'dist');

async function newestMtime(p: string): Promise<number> {
  const s = await stat(p).catch(() => null);
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const e of await readdir(p)) newest = Math.max(newest, await newestMtime(path.join(p, e)));
  return newest;
}

/** True when `web/dist` is missing or older than a web source (src, public, index.html, vite config). */
export async function webBuildIsStale(): Promise<boolean> {
  const built = await stat(path.join(WEB_DIST, 'index.html')).catch(() => null);
  if (!built) return true;
  const sources = await Promise.all(['src', 'public', 'index.html', 'vite.config.ts'].map((f) => newestMtime(path.join(WEB_DIR, f))));
  return Math.max(...sources) > built.mtimeMs;
}

let building: Promise<boolean> | null = null;

/**
 * Builds the web app with Vite when `web/dist` is missing or older than its sources (a few seconds),
 * into a temporary folder that replaces `dist` at the end, so a server never serves half a build.
 * Returns whether a usable build exists; a failed build is logged and the API is served anyway.
 * Under Vitest (`VITEST` set) it builds only when `force` is given.
 */
export function ensureWebBuild(log: Pick<Logger, 'info' | 'error'>, opts: { force?: boolean } = {}): Promise<boolean> {
  building ??= (async () => {
    if (!existsSync(path.join(WEB_DIR, 'index.html'))) return false;
    if (!(await webBuildIsStale().catch(() => true))) return true;
    // `yitu serve` children of the test suite do not spend half a minute of CI on a build they never
    // use; the browser tests build it themselves (force).
    if (process.env.VITEST && !opts.force) return existsSync(path.join(WEB_DIST, 'index.html'));
    const t0 = Date.now();
    log.info('building the web app (web/dist) with Vite…');
    const out = path.join(WEB_DIR, `dist.tmp-${process.pid}`);
    try {
      const { build } = await import('vite');
      await build({ configFile: path.join(WEB_DIR, 'vite.config.ts'), root: WEB_DIR, logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
      await rm(WEB_DIST, { recursive: true, force: true });
      await rename(out, WEB_DIST);
      log.info({ ms: Date.now() - t0 }, 'web app built');
      return true;
    } catch (e) {
      await rm(out, { recursive: true, force: true }).catch(() => {});
      log.error({ err: e }, 'the web app could not be built; the API is served without it');
      return existsSync(path.join(WEB_DIST, 'index.html'));
    } finally {
      building = null;
    }
  })();
  return building;
}
