import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { describeEachBackend, openTestDb, type TestDb } from '../test-support/databases.ts';
import { loadConfig } from '../platform/config.ts';
import { buildApp } from '../app.ts';
import { createServices, type Services } from '../services.ts';
import { createTestUser, injectAsDefault } from '../test-support/auth.ts';
import { smallCounty } from '../regions/test-regions.ts';
import { multipart } from '../test-support/multipart.ts';

const TOWNS = '区划代码,乡镇,年份,常住人口（人）,地区生产总值（亿元）\n330521001,武康街道,2023,"200,000",320.5\n330521102,新市镇,2023,"45,000",80\n330521001,武康街道,2022,"199,000",300\n';

/** A multipart/form-data body with one CSV file and some fields. */
const form = (file: Buffer, name: string, fields: Record<string, string> = {}) => multipart(name, file, fields, 'text/csv');

describeEachBackend('statistics HTTP API', (kind) => {
  let t: TestDb;
  let s: Services;
  let app: FastifyInstance;
  let dir: string;
  const get = (url: string) => app.inject({ url });

  beforeAll(async () => {
    t = await openTestDb(kind);
    dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-stats-routes-'));
    s = createServices(loadConfig({}, { dataDir: dir, maxUploadBytes: 64 * 1024 }).config, t.db, pino({ level: 'silent' }));
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

  it('imports a GBK CSV uploaded as a form, synchronously, and lists it', async () => {
    const f = form(iconv.encode(TOWNS, 'gbk'), '乡镇经济.csv', {
      dataset: 'town_economy', title: '乡镇经济', titleEn: 'Town economy',
      indicators: JSON.stringify({ 地区生产总值: { titleEn: 'GDP' }, 常住人口: { titleEn: 'Residents' } }),
    });
    const res = await app.inject({ method: 'POST', url: '/stats', ...f });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('/stats/town_economy');
    expect(res.json()).toMatchObject({
      datasetId: 'town_economy', version: 1, encoding: 'gbk', imported: 3, ignoredColumns: ['乡镇'],
      indicators: [{ name: '常住人口', unit: '人', title: { zh: '常住人口', en: 'Residents' } }, { name: '地区生产总值', unit: '亿元', title: { en: 'GDP' } }],
    });
    expect(await readdir(path.join(dir, 'uploads'))).toEqual([]);
    expect((await get('/stats')).json()).toMatchObject({ total: 1, tables: [{ id: 'town_economy', kind: 'statistics', title: { zh: '乡镇经济', en: 'Town economy' } }] });
    expect((await get('/datasets?kind=statistics')).json()).toMatchObject({ total: 1 });
  });

  it('appends a raw CSV body with options in the query string', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/stats/town_economy/imports?filename=2021.csv&period=2021',
      headers: { 'content-type': 'text/csv' },
      payload: '行政区划代码,常住人口,地区生产总值\n330521001,198000,280\n',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ mode: 'append', version: 2, added: 1, periods: ['2021'] });
  });

  it('describes a table, answers values and a thematic FeatureCollection', async () => {
    const meta = (await get('/stats/town_economy')).json();
    expect(meta).toMatchObject({ id: 'town_economy', currentVersion: 2, featureCount: 4, periods: ['2021', '2022', '2023'], periodType: 'year', regions: { count: 2, byLevel: { town: 2 } } });
    expect(meta.indicators.map((i: { name: string; unit: string; max: number }) => [i.name, i.unit, i.max])).toEqual([['常住人口', '人', 200000], ['地区生产总值', '亿元', 320.5]]);
    const values = (await get(`/stats/town_economy/values?indicator=${encodeURIComponent('常住人口')}&period=2023&level=town`)).json();
    expect(values).toMatchObject({ total: 2, indicators: [{ name: '常住人口' }], rows: [{ regionCode: '330521001', name: { zh: '武康街道' }, period: '2023', values: { 常住人口: 200000 } }, { regionCode: '330521102' }] });
    expect((await get('/stats/town_economy/values?region=330521001&limit=1&offset=2')).json()).toMatchObject({ total: 3, rows: [{ period: '2023' }] });
    const map = await get(`/stats/town_economy/geojson?indicator=${encodeURIComponent('地区生产总值')}&period=2022`);
    expect(map.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(map.json()).toMatchObject({ type: 'FeatureCollection', period: '2022', level: 'town', features: [{ id: '330521001', geometry: { type: 'MultiPolygon' }, properties: { 地区生产总值: 300 } }] });
  });

  it('exports CSV (UTF-8 with BOM by default, GBK on request)', async () => {
    const res = await get('/stats/town_economy/export?period=2023');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="town_economy.csv"');
    expect(res.body).toBe('\uFEFFregion_code,name_zh,name_en,level,period,常住人口 (人),地区生产总值 (亿元)\r\n330521001,武康街道,Wukang Subdistrict,town,2023,200000,320.5\r\n330521102,新市镇,Xinshi Town,town,2023,45000,80\r\n');
    const gbk = await get('/stats/town_economy/values?f=csv&encoding=gbk&region=330521102');
    expect(iconv.decode(gbk.rawPayload, 'gbk')).toContain('330521102,新市镇,Xinshi Town,town,2023,45000,80');
  });

  it('answers bad uploads and queries with problem documents and writes nothing', async () => {
    const bad = await app.inject({ method: 'POST', url: '/stats?dataset=bad_rows', headers: { 'content-type': 'text/csv' }, payload: 'code,year,pop\n330521001,2023,many\n' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.json()).toMatchObject({ code: 'YITU_ERR_STATS_INVALID', errors: [{ row: 1, field: 'pop', reason: expect.stringContaining('"many" is not a number') }] });
    const unknown = await app.inject({ method: 'POST', url: '/stats?dataset=unknown', headers: { 'content-type': 'text/csv' }, payload: 'code,year,pop\n330599001,2023,1\n' });
    expect(unknown.json()).toMatchObject({ code: 'YITU_ERR_STATS_INVALID', unknownRegions: ['330599001'] });
    expect((await app.inject({ method: 'POST', url: '/stats?dataset=empty', headers: { 'content-type': 'text/csv' }, payload: '' })).json().code).toBe('YITU_ERR_IMPORT_FILE_EMPTY');
    expect((await app.inject({ method: 'POST', url: '/stats?dataset=x&mode=merge', headers: { 'content-type': 'text/csv' }, payload: 'a' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/stats?dataset=x&indicators=%7Bnot', headers: { 'content-type': 'text/csv' }, payload: 'a' })).statusCode).toBe(400);
    const big = await app.inject({ method: 'POST', url: '/stats?dataset=big', headers: { 'content-type': 'text/csv' }, payload: `code,year,v\n${'330521,2023,1\n'.repeat(6000)}` });
    expect(big.statusCode).toBe(413);
    expect((await get('/stats')).json().total).toBe(1);
    expect(await readdir(path.join(dir, 'uploads'))).toEqual([]);
    const cases: Array<[string, number]> = [
      ['/stats/nothing', 404],
      ['/stats/nothing/values', 404],
      ['/stats/town_economy/values?indicator=gdp', 400],
      ['/stats/town_economy/values?level=province', 400],
      ['/stats/town_economy/values?region=33', 400],
      ['/stats/town_economy/values?limit=0', 400],
      ['/stats/town_economy/values?version=9', 404],
      ['/stats/town_economy/values?f=xml', 400],
      ['/stats/town_economy/geojson?period=1999', 400],
      ['/stats/town_economy/export?format=shp', 400],
      ['/stats/town_economy/export?encoding=latin1', 400],
      ['/stats/nothing/export', 404],
    ];
    for (const [url, status] of cases) {
      const res = await get(url);
      expect({ url, status: res.statusCode, type: res.headers['content-type'] }).toEqual({ url, status, type: expect.stringMatching(/^application\/problem\+json/) });
    }
  });

  it('deletes a table', async () => {
    expect((await app.inject({ method: 'DELETE', url: '/stats/town_economy' })).statusCode).toBe(204);
    expect((await get('/stats/town_economy')).statusCode).toBe(404);
  });
});
