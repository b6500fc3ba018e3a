import { gunzipSync } from 'node:zlib';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { anonymous } from '../../test-support/auth.ts';
import { body, createDataset, type FixtureFeature, type OgcTestApp, openOgcTestApp } from '../../ogc/test-app.ts';
import { box, smallCounty } from '../../regions/test-regions.ts';
import { describeEachBackend } from '../../test-support/databases.ts';
import { decodeTile, tileOf } from '../tiles/test-fixtures.ts';
import { BasemapService } from './service.ts';

const line = (coords: number[][], properties: Record<string, unknown>): FixtureFeature => ({ geometry: { type: 'LineString', coordinates: coords }, properties });

/** Rivers, a lake and roads inside the small county (119.9–120.2°E, 30.4–30.7°N), shaped like the demo's. */
async function loadBasemapData(t: OgcTestApp): Promise<void> {
  await t.services.regions.loadRegions(smallCounty());
  await createDataset(t.services, 'rivers', [
    line([[119.91, 30.45], [120.05, 30.58], [120.19, 30.65]], { name: '东苕溪', name_en: 'East Tiaoxi', river_type: 'river', width_m: 60 }),
    line([[119.95, 30.61], [119.975, 30.63], [120.0, 30.62]], { name: '余英溪', name_en: 'Yuying Stream', river_type: 'stream', width_m: 10 }),
  ], { classification: 'public' });
  await createDataset(t.services, 'lakes_reservoirs', [
    { geometry: box(120.1, 30.48, 120.13, 30.5), properties: { name: '下渚湖', name_en: 'Xiazhu Lake', water_type: '湖泊', area_ha: 600 } },
  ], { classification: 'public' });
  await createDataset(t.services, 'roads', [
    line([[119.9, 30.41], [120.05, 30.55], [120.2, 30.69]], { name: '申嘉湖杭高速', name_en: 'Shenjiahuhang Expressway', ref: 'S13', road_class: 'expressway', lanes: 6 }),
    line([[119.96, 30.6], [119.975, 30.625], [119.99, 30.65]], { name: '城北村道', name_en: 'Chengbei Village Road', ref: '', road_class: 'rural', lanes: 2 }),
    line([[119.92, 30.62], [119.975, 30.624], [120.03, 30.63]], { name: '武新线', name_en: 'Wuxin Road', ref: 'X301', road_class: 'county', lanes: 2 }),
  ], { classification: 'public' });
}

describeEachBackend('the offline basemap', (kind) => {
  let t: OgcTestApp;
  const tileUrl = (z: number, lon: number, lat: number) => {
    const a = tileOf(lon, lat, z);
    return `/basemap/tiles/WebMercatorQuad/${a.z}/${a.y}/${a.x}`;
  };
  const tileAt = async (z: number, lon: number, lat: number) => {
    const r = await t.app.inject({ url: tileUrl(z, lon, lat) });
    expect(r.statusCode, r.body).toBe(200);
    return decodeTile(r.rawPayload);
  };
  const names = (fs: { properties: Record<string, unknown> }[] | undefined, key = 'name') => (fs ?? []).map((f) => f.properties[key]).sort();

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    await loadBasemapData(t);
  });
  afterAll(async () => t?.close());

  it('holds water, waterways, roads, boundaries and places with only the attributes the style uses', async () => {
    const tile = await tileAt(12, 119.975, 30.625);
    expect(Object.keys(tile).sort()).toEqual(['boundary', 'place', 'road', 'waterway']);
    expect(names(tile.road)).toEqual(['城北村道', '武新线']);
    expect(Object.keys(tile.road[0].properties).sort()).toEqual(['name', 'name_en', 'ref', 'road_class']);
    expect(names(tile.waterway)).toEqual(['余英溪']);
    expect(Object.keys(tile.waterway[0].properties).sort()).toEqual(['name', 'name_en', 'river_type']);
    // Village boundaries and labels from zoom 11/12 on; never the grid.
    expect([...new Set(names(tile.boundary, 'level'))]).toEqual(['county', 'town', 'village']);
    expect(Object.keys(tile.boundary[0].properties)).toEqual(['level']);
    expect(tile.place.find((f) => f.properties.level === 'village')?.properties).toEqual({ level: 'village', name_zh: '城北村', name_en: 'Chengbei Village' });
    const lake = await tileAt(12, 120.115, 30.49);
    expect(lake.water.map((f) => f.properties)).toEqual([{ water_type: '湖泊' }]);
    // One label point per lake, inside it.
    expect(lake.water_label.map((f) => [f.type, f.properties])).toEqual([[1, { name: '下渚湖', name_en: 'Xiazhu Lake' }]]);
  });

  it('thins out when zoomed out: trunk roads and main rivers, towns, no names on lines', async () => {
    const z8 = await tileAt(8, 120.05, 30.55);
    expect(names(z8.road, 'road_class')).toEqual(['expressway']);
    expect(Object.keys(z8.road[0].properties)).toEqual(['road_class']);
    expect(names(z8.waterway, 'river_type')).toEqual(['river']);
    expect(names(z8.boundary, 'level')).toEqual(['county', 'town', 'town']);
    expect(names(z8.place, 'level')).toEqual(['county']);
    expect(z8.water).toHaveLength(1);
    const z5 = await tileAt(5, 120.05, 30.55);
    expect(Object.keys(z5).sort()).toEqual(expect.arrayContaining(['boundary', 'place']));
    expect(z5.road).toBeUndefined();
    expect(z5.waterway).toBeUndefined();
    expect(names(z5.boundary, 'level')).toEqual(['county']);
  });

  it('leaves out a layer whose dataset is missing, and still draws boundaries and places', async () => {
    const svc = new BasemapService(t.services.tiles, { ...t.services.config, basemapDatasets: 'water=no_such_lakes,waterway=rivers,road=' });
    expect(svc.datasets).toEqual({ water: 'no_such_lakes', waterway: 'rivers', road: null });
    const a = tileOf(119.975, 30.625, 12);
    const tile = decodeTile((await svc.tile(12, a.x, a.y)).body);
    expect(Object.keys(tile).sort()).toEqual(['boundary', 'place', 'waterway']);
    const lake = tileOf(120.115, 30.49, 12);
    expect(Object.keys(decodeTile((await svc.tile(12, lake.x, lake.y)).body)).sort()).toEqual(['boundary', 'place']);
    expect(Object.keys(await t.app.inject({ url: tileUrl(12, 120.115, 30.49) }).then((r) => decodeTile(r.rawPayload))).sort()).toEqual(['boundary', 'place', 'water', 'water_label']);
  });

  it('draws only public datasets: a restricted one is left out, and its view is not served', async () => {
    await createDataset(t.services, 'secret_roads', [
      line([[119.96, 30.6], [119.975, 30.625], [119.99, 30.65]], { name: '专用道', name_en: 'Restricted Road', ref: '', road_class: 'county', lanes: 2 }),
    ], { classification: 'internal' });
    const svc = new BasemapService(t.services.tiles, { ...t.services.config, basemapDatasets: 'water=lakes_reservoirs,waterway=rivers,road=secret_roads' });
    const a = tileOf(119.975, 30.625, 12);
    const tile = decodeTile((await svc.tile(12, a.x, a.y)).body);
    expect(Object.keys(tile)).not.toContain('road');
    const view = await t.app.inject({ url: `/collections/basemap:road:secret_roads/tiles/WebMercatorQuad/12/${a.y}/${a.x}`, headers: anonymous });
    expect(view.statusCode).toBe(404);
  });

  it('does not count drawing the basemap as a use of its datasets', async () => {
    const usage = async () => {
      await t.services.hub.flushUsage();
      return Promise.all(['roads', 'rivers', 'lakes_reservoirs'].map(async (id) => (await t.services.hub.get(id)).usageCount));
    };
    const before = await usage();
    for (const z of [9, 12, 14]) await tileAt(z, 120.05, 30.55);
    expect(await usage()).toEqual(before);
  });

  it('serves tiles with gzip, ETag, 304, 204 when empty and 404 outside the grid', async () => {
    const url = tileUrl(10, 120.05, 30.55);
    const plain = await t.app.inject({ url });
    expect(plain.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gz = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(gz.headers.etag).toBe(plain.headers.etag);
    expect((await t.app.inject({ url, headers: { 'if-none-match': String(plain.headers.etag) } })).statusCode).toBe(304);
    expect((await t.app.inject({ url: tileUrl(10, 0, 0) })).statusCode).toBe(204);
    const bad = await t.app.inject({ url: '/basemap/tiles/WebMercatorQuad/3/8/1' });
    expect(bad.statusCode).toBe(404);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('serves a complete style with absolute URLs on this server, centred on the county', async () => {
    const r = await t.app.inject({ url: '/basemap/style.json?lang=en&theme=dark', headers: { host: 'yitu.test:8081' } });
    expect(r.statusCode).toBe(200);
    const style = body<{ center: number[]; zoom: number; glyphs: string; sources: Record<string, { tiles: string[]; bounds: number[] }>; layers: unknown[] }>(r);
    expect(validateStyleMin(style as never)).toEqual([]);
    expect(style.glyphs).toBe('http://yitu.test:8081/fonts/{fontstack}/{range}.pbf');
    expect(style.sources.basemap.tiles[0]).toBe('http://yitu.test:8081/basemap/tiles/WebMercatorQuad/{z}/{y}/{x}');
    expect(style.sources.basemap.bounds).toEqual([119.9, 30.4, 120.2, 30.7]);
    expect(style.center).toEqual([120.05, 30.55]);
    expect(style.zoom).toBeGreaterThan(9);
    expect(style.zoom).toBeLessThan(12);
    for (const q of ['lang=fr', 'theme=blue', 'basemap=xyz']) {
      const bad = await t.app.inject({ url: `/basemap/style.json?${q}` });
      expect(bad.statusCode, q).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
    }
    // The glyphs it names are served.
    const glyphs = await t.app.inject({ url: style.glyphs.replace('http://yitu.test:8081', '').replace('{fontstack}', encodeURIComponent('Noto Sans Bold')).replace('{range}', '0-255') });
    expect(glyphs.statusCode).toBe(200);
  });

  it('lists the offline basemap, and the online one when configured', async () => {
    const r = await t.app.inject({ url: '/basemaps' });
    expect(body<{ basemaps: { id: string }[] }>(r).basemaps.map((b) => b.id)).toEqual(['offline']);
    const url = 'https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=vec&TILEMATRIXSET=w&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k';
    const svc = new BasemapService(t.services.tiles, { ...t.services.config, basemapUrl: url, basemapAttribution: '天地图', basemapName: '天地图' });
    const list = svc.list('http://h');
    expect(list.map((b) => [b.id, b.type, b.style])).toEqual([
      ['offline', 'vector', 'http://h/basemap/style.json'],
      ['xyz', 'raster', 'http://h/basemap/style.json?basemap=xyz'],
    ]);
    const style = await svc.style({ baseUrl: 'http://h', lang: 'zh', theme: 'light', basemap: 'xyz' });
    expect(validateStyleMin(style as never)).toEqual([]);
    expect(JSON.stringify(style)).toContain(JSON.stringify(url));
  });
});
