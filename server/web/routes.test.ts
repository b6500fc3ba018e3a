import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOgcTestApp, type OgcTestApp } from '../ogc/test-app.ts';
import { webRoutes } from './routes.ts';

const INDEX = '<!doctype html><html><body><div id="root"></div><script type="module" src="/app/assets/index-abc123.js"></script></body></html>';

describe('the web app: served under /app/, its page at / for browsers only', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-web-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), INDEX);
    await writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'favicon.svg'), '<svg/>');
    app = Fastify();
    await app.register(webRoutes, { dist: dir });
    app.get('/', async () => ({ title: 'landing page' }));
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a browser at / with the page, an API client with the JSON landing page', async () => {
    const browser = await app.inject({ url: '/', headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(browser.statusCode).toBe(200);
    expect(browser.headers['content-type']).toContain('text/html');
    expect(browser.body).toBe(INDEX);
    expect(browser.headers.vary).toBe('Accept');
    for (const accept of ['application/json', '*/*', 'text/html;q=0, application/json', undefined]) {
      const r = await app.inject({ url: '/', headers: accept ? { accept } : {} });
      expect(r.json(), String(accept)).toEqual({ title: 'landing page' });
    }
    expect((await app.inject({ url: '/?f=html', headers: { accept: 'application/json' } })).body).toBe(INDEX);
    expect((await app.inject({ url: '/?f=json', headers: { accept: 'text/html' } })).json()).toEqual({ title: 'landing page' });
    expect((await app.inject({ url: '/app' })).body).toBe(INDEX);
  });

  it('serves the built files with long caching for hashed assets, and nothing outside the build', async () => {
    const js = await app.inject({ url: '/app/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await app.inject({ url: '/app/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
    for (const url of ['/app/assets/missing.js', '/app/../routes.ts', '/app/%2e%2e/routes.ts', '/app/.hidden']) {
      expect((await app.inject({ url })).statusCode, url).toBe(404);
    }
    expect((await app.inject({ url: '/app/assets/%E0%A4%A' })).statusCode).toBe(400);
  });
});

describe('the web app in the Yitu app', () => {
  let t: OgcTestApp;
  beforeAll(async () => {
    t = await openOgcTestApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the OGC landing page at / for API clients and adds no route to the API', async () => {
    const r = await t.app.inject({ url: '/', headers: { accept: 'application/json' } });
    expect(r.statusCode).toBe(200);
    expect(r.json().links.map((l: { rel: string }) => l.rel)).toContain('conformance');
    const html = await t.app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('Yitu');
    expect(t.app.printRoutes({ commonPrefix: false })).not.toMatch(/\/app(\/|\s|\(|$)/m);
  });
});
