import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { describeEachBackend, openTestDb, type TestDb } from '../test-support/databases.ts';
import { loadConfig } from '../platform/config.ts';
import { buildApp } from '../app.ts';
import { createServices, type Services } from '../services.ts';
import { createTestUser, injectAsDefault } from '../test-support/auth.ts';
import { smallCounty } from './test-regions.ts';

describeEachBackend('regions HTTP API', (kind) => {
  let t: TestDb;
  let s: Services;
  let app: FastifyInstance;
  let dir: string;
  const get = (url: string) => app.inject({ url });

  beforeAll(async () => {
    t = await openTestDb(kind);
    dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-regions-'));
    s = createServices(loadConfig({}, { dataDir: dir }).config, t.db, pino({ level: 'silent' }));
    app = await buildApp(s);
    injectAsDefault(app, (await createTestUser(s, { roles: ['administrator'], username: 'test-admin' })).headers);
    await s.regions.loadRegions(smallCounty());
  });
  afterAll(async () => {
    await app?.close();
    await s?.jobs.shutdown();
    await t?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists regions as JSON (no geometry by default) and as a GeoJSON FeatureCollection', async () => {
    const res = await get('/regions?level=town');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 2, regions: [{ code: '330521001', name: { zh: '武康街道' } }, { code: '330521102' }] });
    expect(res.json().regions[0].geometry).toBeUndefined();
    expect((await get('/regions?level=town&geometry=true')).json().regions[0].geometry.type).toBe('MultiPolygon');
    const fc = await get('/regions?parent=330521001&f=geojson');
    expect(fc.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(fc.json()).toMatchObject({
      type: 'FeatureCollection',
      numberMatched: 2,
      numberReturned: 2,
      features: [
        { type: 'Feature', id: '330521001001', geometry: { type: 'MultiPolygon' }, properties: { code: '330521001001', nameZh: '城东社区', level: 'village', kind: 'community', population: 5000 } },
        { id: '330521001002' },
      ],
    });
    expect((await get('/regions?q=新市&limit=1')).json()).toMatchObject({ total: 1, regions: [{ code: '330521102' }] });
    expect((await get('/regions?limit=2&offset=5')).json().regions.map((r: { code: string }) => r.code)).toEqual(['330521001001001']);
  });

  it('reads one region (JSON with its chain, or a Feature) and its children', async () => {
    const r = (await get('/regions/330521001001')).json();
    expect(r).toMatchObject({ code: '330521001001', parents: [{ code: '330521' }, { code: '330521001' }], childrenCount: 1, geometry: { type: 'MultiPolygon' } });
    const f = (await get('/regions/330521001001?f=geojson')).json();
    expect(f).toMatchObject({ type: 'Feature', id: '330521001001', properties: { parents: ['330521', '330521001'], childrenCount: 1 } });
    expect((await get('/regions/330521001/children')).json()).toMatchObject({ total: 2 });
    expect((await get('/regions/330521001/children?f=geojson')).json().features).toHaveLength(2);
  });

  it('locates a point given as lon/lat or as point=lon,lat', async () => {
    const a = (await get('/regions/locate?lon=119.92&lat=30.42')).json();
    expect(a.regions.map((r: { code: string }) => r.code)).toEqual(['330521', '330521001', '330521001001', '330521001001001']);
    const b = (await get('/regions/locate?point=120.1,30.5')).json();
    expect(b).toMatchObject({ lon: 120.1, lat: 30.5, regions: [{ level: 'county' }, { code: '330521102', level: 'town' }] });
  });

  it('answers bad requests with problem documents, never a 500', async () => {
    const cases: Array<[string, number, string]> = [
      ['/regions/locate?lon=121.5&lat=31.2', 404, 'YITU_ERR_REGION_NOT_FOUND'],
      ['/regions/locate?lon=200&lat=30', 400, 'YITU_ERR_COORDS_OUT_OF_RANGE'],
      ['/regions/locate?lon=east&lat=30', 400, 'YITU_ERR_QUERY_PARAM_INVALID'],
      ['/regions/locate?lat=30', 400, 'YITU_ERR_QUERY_PARAM_INVALID'],
      ['/regions/locate?point=120', 400, 'YITU_ERR_QUERY_PARAM_INVALID'],
      ['/regions/330521999', 404, 'YITU_ERR_REGION_NOT_FOUND'],
      ['/regions/33x', 400, 'YITU_ERR_INPUT_INVALID'],
      ['/regions/330521999/children', 404, 'YITU_ERR_REGION_NOT_FOUND'],
      ['/regions?level=province', 400, 'YITU_ERR_QUERY_PARAM_INVALID'],
      ['/regions?limit=0', 400, 'YITU_ERR_QUERY_PARAM_INVALID'],
      ['/regions?limit=5000', 400, 'YITU_ERR_QUERY_PARAM_INVALID'],
      ['/regions?geometry=maybe', 400, 'YITU_ERR_QUERY_PARAM_INVALID'],
      ['/regions?f=kml', 400, 'YITU_ERR_QUERY_PARAM_INVALID'],
      ['/regions?parent=12', 400, 'YITU_ERR_INPUT_INVALID'],
    ];
    for (const [url, status, code] of cases) {
      const res = await get(url);
      expect({ url, status: res.statusCode, code: res.json().code }).toEqual({ url, status, code });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await get('/regions/locate?lon=121.5&lat=31.2')).json().detail).toContain('outside 德清县 Deqing County (330521)');
  });
});
