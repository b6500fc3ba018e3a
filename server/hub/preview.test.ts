import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describeEachBackend } from '../test-support/databases.ts';
import type { Services } from '../services.ts';
import { type OgcTestApp, openOgcTestApp } from '../ogc/test-app.ts';
import { BINARY, FIXTURES, zipBuffer } from './formats/test/reader-helpers.ts';
import type { FilePreview } from './preview.ts';
import { multipart } from '../test-support/multipart.ts';

const bin = (name: string) => readFile(path.join(BINARY, name));


describeEachBackend('POST /datasets/preview', (kind) => {
  let t: OgcTestApp;
  let s: Services;
  let app: FastifyInstance;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-preview-'));
    // requests act as an administrator (openOgcTestApp); uploads go to this test's own directory
    t = await openOgcTestApp(kind, { dataDir: dir, maxUploadBytes: 1024 * 1024 });
    s = t.services;
    app = t.app;
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function uploadsLeft(): Promise<string[]> {
    return readdir(path.join(dir, 'uploads')).catch(() => []);
  }

  async function dbState() {
    const q = async (sql: string) => Number((await s.db.query<{ n: number | string }>(sql)).rows[0].n);
    return {
      datasets: await q('SELECT count(*) AS n FROM yitu.datasets'),
      jobs: await q('SELECT count(*) AS n FROM yitu.jobs'),
      staging: await q("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema IN ('staging', 'data')"),
    };
  }

  it('previews a zipped Shapefile with a GBK DBF and a .prj in EPSG:4549, writing nothing to the database', async () => {
    const before = await dbState();
    const zip = await zipBuffer({
      'parcels/地块.shp': await bin('gbk-parcels.shp'),
      'parcels/地块.shx': await bin('gbk-parcels.shx'),
      'parcels/地块.dbf': await bin('gbk-parcels.dbf'),
      'parcels/地块.prj': await bin('gbk-parcels.prj'),
    });
    const res = await app.inject({ method: 'POST', url: '/datasets/preview', ...multipart('地块.zip', zip) });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json<FilePreview>();
    expect(p).toMatchObject({ format: 'shapefile', encoding: 'gbk', crs: { epsg: 4549, source: 'prj' }, sampled: false, read: 3, layers: null });
    expect(p.crs.note).toBeUndefined();
    expect(p.columns.map((c) => c.title)).toEqual(['名称', '面积', '编号', '日期', '有效', '更新']);
    expect(p.columns.find((c) => c.title === '面积')?.type).toBe('number');
    expect(p.columns.every((c) => /^[a-z][a-z0-9_]*$/.test(c.name))).toBe(true);
    expect(p.rows).toHaveLength(3);
    expect(p.rows[0].properties['名称']).toBe('西湖区地块一');
    expect(p.rows[0].geometry).toMatch(/^POLYGON/);
    expect(p.rows[2].geometry).toBeNull();
    expect(p.geometryTypes).toEqual(expect.arrayContaining(['Polygon', 'MultiPolygon', 'null']));
    expect(await dbState()).toEqual(before);
    expect(await uploadsLeft()).toEqual([]);
  });

  it('reports an unknown CRS with a note when the .prj is missing, and applies a given CRS and type overrides', async () => {
    const zip = await zipBuffer({ 'p.shp': await bin('gbk-parcels.shp'), 'p.shx': await bin('gbk-parcels.shx'), 'p.dbf': await bin('gbk-parcels.dbf') });
    const unknown = (await app.inject({ method: 'POST', url: '/datasets/preview', ...multipart('p.zip', zip) })).json<FilePreview>();
    expect(unknown.crs).toMatchObject({ epsg: 4326, source: 'default' });
    expect(unknown.crs.note).toMatch(/\.prj|coordinate system/);
    const given = (await app.inject({ method: 'POST', url: '/datasets/preview', ...multipart('p.zip', zip, { crs: 'EPSG:4549', types: JSON.stringify({ 编号: 'text' }) }) })).json<FilePreview>();
    expect(given.crs).toEqual({ epsg: 4549, source: 'given' });
    expect(given.columns.find((c) => c.title === '编号')?.type).toBe('text');
  });

  it('previews a GeoPackage: its layers, the one read, and a chosen layer', async () => {
    const gpkg = await bin('sample.gpkg');
    const first = await app.inject({ method: 'POST', url: '/datasets/preview?filename=sample.gpkg', headers: { 'content-type': 'application/octet-stream' }, payload: gpkg });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ format: 'geopackage', layers: ['parcels', 'roads'], layer: 'parcels', crs: { epsg: 4549, source: 'geopackage' } });
    const roads = (await app.inject({ method: 'POST', url: '/datasets/preview', ...multipart('sample.gpkg', gpkg, { layer: 'roads' }) })).json<FilePreview>();
    expect(roads.layer).toBe('roads');
    expect(roads.geometryTypes.some((g) => /LineString/.test(g))).toBe(true);
  });

  it('previews a CSV with lon/lat columns and limits the sample', async () => {
    const lines = ['名称,lon,lat,code'];
    for (let i = 0; i < 30; i++) lines.push(`点${i},120.${i},30.${i},00${i}`);
    lines.push('坏行,abc,30.1,001');
    const csv = Buffer.from(lines.join('\n'));
    const p = (await app.inject({ method: 'POST', url: '/datasets/preview', ...multipart('points.csv', csv) })).json<FilePreview>();
    expect(p).toMatchObject({ format: 'csv', sampled: false, read: 31, geometryTypes: ['Point'], crs: { epsg: 4326, source: 'default' } });
    expect(p.rows).toHaveLength(10);
    expect(p.rows[0].geometry).toBe('POINT (120 30)');
    expect(p.columns.find((c) => c.title === 'code')?.type).toBe('text');
    expect(p.problems).toHaveLength(1);
    expect(p.problems[0]).toMatchObject({ row: expect.any(Number) });
    const few = (await app.inject({ method: 'POST', url: '/datasets/preview?sample=5', ...multipart('points.csv', csv) })).json<FilePreview>();
    expect(few).toMatchObject({ sampled: true, read: 5 });
  });

  it('previews a GeoJSON whose crs member comes after the features, and a FlatGeobuf', async () => {
    const gj = await readFile(path.join(FIXTURES, 'crs-after.geojson'));
    const p = (await app.inject({ method: 'POST', url: '/datasets/preview', ...multipart('crs-after.geojson', gj) })).json<FilePreview>();
    expect(p).toMatchObject({ format: 'geojson', geometryTypes: ['Point'], encoding: 'utf-8' });
    expect(p.crs.source).toBe('geojson');
    const fgb = (await app.inject({ method: 'POST', url: '/datasets/preview', ...multipart('parcels.fgb', await bin('parcels.fgb')) })).json<FilePreview>();
    expect(fgb).toMatchObject({ format: 'flatgeobuf', crs: { epsg: 4549, source: 'flatgeobuf' } });
    expect(fgb.columns.map((c) => c.title)).toContain('名称');
  });

  it('previews a KML in EPSG:4326', async () => {
    const kml = await readFile(path.join(FIXTURES, 'places.kml'));
    const p = (await app.inject({ method: 'POST', url: '/datasets/preview', ...multipart('places.kml', kml) })).json<FilePreview>();
    expect(p).toMatchObject({ format: 'kml', crs: { epsg: 4326, source: 'kml' } });
    expect(p.columns.map((c) => c.title)).toContain('name');
    expect(p.rows.length).toBeGreaterThan(0);
  });

  it('reads a Shapefile zip without .dbf as the import does: geometry only, with a note', async () => {
    const noDbf = await zipBuffer({ 'p.shp': await bin('gbk-parcels.shp'), 'p.shx': await bin('gbk-parcels.shx') });
    const p = (await app.inject({ method: 'POST', url: '/datasets/preview', ...multipart('p.zip', noDbf) })).json<FilePreview>();
    expect(p).toMatchObject({ format: 'shapefile', columns: [], read: 3 });
    expect(p.notes.join(' ')).toMatch(/no p\.dbf/);
  });

  it('answers a bad zip, an unknown format and a zip of a .dbf alone with a 4xx problem, keeping no upload', async () => {
    const badZip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    const dbfOnly = await zipBuffer({ 'p.dbf': await bin('gbk-parcels.dbf'), 'p.prj': await bin('gbk-parcels.prj') });
    for (const [name, data] of [['bad.zip', badZip], ['table.xlsx', Buffer.from('not a dataset')], ['p.zip', dbfOnly]] as const) {
      const res = await app.inject({ method: 'POST', url: '/datasets/preview', ...multipart(name, data) });
      expect(res.statusCode, `${name}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${name}: ${res.body}`).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().code).toMatch(/^YITU_ERR_/);
    }
    expect(await uploadsLeft()).toEqual([]);
  });
});
