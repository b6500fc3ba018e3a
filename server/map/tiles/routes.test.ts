import { afterAll, beforeAll, expect, it } from 'vitest';
import { memorySource } from '../../hub/formats/memory-source.ts';
import { type OgcTestApp, body, createDataset, openOgcTestApp } from '../../ogc/test-app.ts';
import { smallCounty } from '../../regions/test-regions.ts';
import { describeEachBackend } from '../../test-support/databases.ts';
import { decodeTile, densePoints, mixedFeatures, tileOf } from './test-fixtures.ts';

describeEachBackend('OGC API – Tiles over HTTP', (kind) => {
  let t: OgcTestApp;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
  const z11 = tileOf(120.05, 30.5, 11);
  const tileUrl = (id: string, a = z11, q = '') => `/collections/${id}/tiles/WebMercatorQuad/${a.z}/${a.y}/${a.x}${q}`;
  const tile = async (url: string) => {
    const r = await get(url, { 'accept-encoding': 'gzip' });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    return decodeTile(r.rawPayload);
  };

  beforeAll(async () => {
    t = await openOgcTestApp(kind, { publicUrl: 'https://yitu.example.gov.cn' });
    await createDataset(t.services, 'mixed', mixedFeatures(), { titleZh: '混合', titleEn: 'Mixed' });
    await createDataset(t.services, 'dense', densePoints(2500));
    await createDataset(t.services, 'registry', [{ geometry: null, properties: { code: 'a' } }]);
    await t.services.regions.loadRegions(smallCounty());
    await t.services.stats.importRows(['region_code', 'period', 'pop'], [{ region_code: '330521', period: '2023', pop: 1 }], { datasetId: 'pop_stats', mode: 'create' });
  }, 120_000);
  afterAll(async () => t?.close());

  it('serves the tile matrix set and links every collection with geometry to its tilesets', async () => {
    const list = body<{ tileMatrixSets: { id: string }[] }>(await get('/tileMatrixSets'));
    expect(list.tileMatrixSets.map((s) => s.id)).toEqual(['WebMercatorQuad']);
    const tms = body<{ tileMatrices: { id: string; matrixWidth: number }[] }>(await get('/tileMatrixSets/WebMercatorQuad'));
    expect(tms.tileMatrices).toHaveLength(23);
    expect(tms.tileMatrices[10]).toMatchObject({ id: '10', matrixWidth: 1024 });
    expect((await get('/tileMatrixSets/WorldCRS84Quad')).statusCode).toBe(404);
    const links = body<{ links: { rel: string; href: string }[] }>(await get('/collections/mixed')).links;
    expect(links).toContainEqual(expect.objectContaining({ rel: 'http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector', href: 'https://yitu.example.gov.cn/collections/mixed/tiles' }));
    expect(body<{ links: { rel: string }[] }>(await get('/collections/registry')).links.map((l) => l.rel)).not.toContain('http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector');
    const sets = body<{ tilesets: { dataType: string; links: { rel: string; href: string }[] }[] }>(await get('/collections/mixed/tiles'));
    expect(sets.tilesets[0].dataType).toBe('vector');
    expect(sets.tilesets[0].links.find((l) => l.rel === 'item')?.href).toBe('https://yitu.example.gov.cn/collections/mixed/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}');
    const conf = body<{ conformsTo: string[] }>(await get('/conformance')).conformsTo;
    expect(conf).toContain('http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt');
  });

  it('gives MapLibre a valid TileJSON 3.0.0 with the layer and its fields', async () => {
    const tj = body<Record<string, unknown> & { vector_layers: { id: string; fields: Record<string, string> }[]; bounds: number[] }>(await get('/collections/mixed/tiles/WebMercatorQuad?f=tilejson'));
    expect(tj).toMatchObject({ tilejson: '3.0.0', minzoom: 0, maxzoom: 16, scheme: 'xyz', tiles: ['https://yitu.example.gov.cn/collections/mixed/tiles/WebMercatorQuad/{z}/{y}/{x}'] });
    expect(tj.bounds).toHaveLength(4);
    // The dataset's extent (the fixture's large polygon reaches 119.79°E).
    expect(tj.bounds[0]).toBeLessThanOrEqual(119.8);
    expect(tj.bounds[0]).toBeGreaterThan(119.75);
    expect(tj.vector_layers[0].id).toBe('mixed');
    expect(tj.vector_layers[0].fields).toMatchObject({ name: 'String', n: 'Number', v: 'Number', ok: 'Boolean', day: 'String' });
    const some = body<typeof tj>(await get('/collections/mixed/tiles/WebMercatorQuad?f=tilejson&properties=name'));
    expect(Object.keys(some.vector_layers[0].fields)).toEqual(['name']);
    expect((some.tiles as string[])[0]).toMatch(/\{x\}\?properties=name$/);
    const meta = body<{ dataType: string; layers: { id: string }[] }>(await get('/collections/mixed/tiles/WebMercatorQuad'));
    expect(meta.dataType).toBe('vector');
    expect(meta.layers[0].id).toBe('mixed');
  });

  it('answers a tile as MVT, gzip when accepted, 304 for its ETag, 204 when empty', async () => {
    const gz = await get(tileUrl('mixed'), { 'accept-encoding': 'gzip, deflate' });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toContain('must-revalidate');
    const plain = await get(tileUrl('mixed'));
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.etag).toBe(gz.headers.etag);
    expect(decodeTile(plain.rawPayload)).toEqual(decodeTile(gz.rawPayload));
    const features = decodeTile(plain.rawPayload).mixed;
    expect(features.map((f) => f.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(features[0].properties).toEqual({ name: '要素0', kind: 'a', n: -3, v: 0, ok: true, day: '2024-01-15', at: '2024-05-01T08:30:00Z', meta: '{"i": 0}' });
    const again = await get(tileUrl('mixed'), { 'if-none-match': String(gz.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const empty = await get(tileUrl('mixed', { z: 10, x: 0, y: 0 }));
    expect(empty.statusCode).toBe(204);
  });

  it('refuses bad addresses, unknown collections and tables without geometry with problem+json', async () => {
    const problem = async (url: string, status: number, text: RegExp) => {
      const r = await get(url);
      expect(r.statusCode, url).toBe(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(body<{ detail: string }>(r).detail).toMatch(text);
    };
    await problem('/collections/mixed/tiles/WebMercatorQuad/23/0/0', 404, /0 to 22/);
    await problem('/collections/mixed/tiles/WebMercatorQuad/3/8/0', 404, /0 to 7/);
    await problem('/collections/mixed/tiles/WebMercatorQuad/3/x/0', 400, /whole number/);
    await problem('/collections/mixed/tiles/WorldCRS84Quad/3/0/0', 404, /WebMercatorQuad/);
    await problem('/collections/nope/tiles/WebMercatorQuad/3/0/0', 404, /nope/);
    await problem('/collections/registry/tiles/WebMercatorQuad/3/0/0', 404, /no geometry/);
    await problem('/collections/pop_stats/tiles/WebMercatorQuad/3/0/0', 404, /statistical table/);
    await problem('/collections/pop_stats/tiles', 404, /statistical table/);
    await problem(tileUrl('mixed', z11, '?properties=nope'), 400, /no property "nope"/);
    await problem(tileUrl('mixed', z11, '?filter=nope%20%3D%201'), 400, /nope/);
    await problem(tileUrl('mixed', z11, '?aggregate=grid'), 400, /aggregate=h3/);
    await problem(tileUrl('dense', z11, '?aggregate=h3&aggregate-field=nope'), 400, /numeric property/);
    await problem('/tiles/WebMercatorQuad/3/0/0', 400, /collections=/);
  });

  it('puts only the requested properties and the filtered features into the tile', async () => {
    const some = (await tile(tileUrl('mixed', z11, '?properties=name,n'))).mixed;
    for (const f of some) expect(Object.keys(f.properties).sort()).toEqual(['n', 'name']);
    const none = (await tile(tileUrl('mixed', z11, '?properties='))).mixed;
    for (const f of none) expect(f.properties).toEqual({});
    const filtered = (await tile(tileUrl('mixed', z11, `?filter=${encodeURIComponent("kind = 'a' OR n > 2")}`))).mixed;
    expect(filtered.map((f) => f.id)).toEqual([1, 4, 7]);
    const json = (await tile(tileUrl('mixed', z11, `?filter-lang=cql2-json&filter=${encodeURIComponent('{"op":"=","args":[{"property":"kind"},"b"]}')}`))).mixed;
    expect(json.map((f) => f.id)).toEqual([2, 5]);
  });

  it('clusters dense points at low zoom (point_count), and not from zoom 15', async () => {
    const low = tileOf(119.96, 30.46, 10);
    const fs = (await tile(tileUrl('dense', low))).dense;
    const clusters = fs.filter((f) => f.properties.point_count !== undefined);
    expect(clusters.length).toBeGreaterThan(0);
    expect(fs.length).toBeLessThan(2500);
    const total = fs.reduce((n, f) => n + (f.properties.point_count === undefined ? 1 : Number(f.properties.point_count)), 0);
    expect(total).toBe(2500);
    for (const f of fs.filter((x) => x.properties.point_count === undefined)) expect(f.properties.id).toBeTypeOf('number');
    const high = tileOf(119.96, 30.46, 15);
    const hs = (await tile(tileUrl('dense', high))).dense;
    expect(hs.length).toBeGreaterThan(0);
    expect(hs.every((f) => f.properties.point_count === undefined && f.id !== undefined)).toBe(true);
  });

  it('aggregates into H3 hexagons with count, sum and avg on the server', async () => {
    const low = tileOf(119.96, 30.46, 10);
    const hex = (await tile(tileUrl('dense', low, '?aggregate=h3&aggregate-field=value'))).dense;
    expect(hex.length).toBeGreaterThan(1);
    expect(hex.length).toBeLessThan(200);
    expect(hex.every((f) => f.type === 3 && typeof f.properties.h3 === 'string')).toBe(true);
    expect(hex.reduce((n, f) => n + Number(f.properties.count), 0)).toBe(2500);
    // value = id % 10 over 2,500 points: 250 × 45.
    expect(hex.reduce((n, f) => n + Number(f.properties.sum), 0)).toBeCloseTo(11_250, 6);
    for (const f of hex) expect(Number(f.properties.avg)).toBeCloseTo(Number(f.properties.sum) / Number(f.properties.count), 9);
  });

  it('serves the region sources and several collections in one tile', async () => {
    const r = await get(`/tiles/WebMercatorQuad/${z11.z}/${z11.y}/${z11.x}?collections=mixed,regions,region_labels`);
    expect(r.statusCode).toBe(200);
    const layers = decodeTile(r.rawPayload);
    expect(Object.keys(layers).sort()).toEqual(['mixed', 'region_labels', 'regions']);
    expect(layers.regions.map((f) => f.properties.code)).toContain('330521');
    expect(layers.regions[0].properties).toHaveProperty('name_zh');
    expect(layers.region_labels.every((f) => f.type === 1)).toBe(true);
    expect((await get(`/tiles/WebMercatorQuad/${z11.z}/${z11.y}/${z11.x}?collections=mixed,nope`)).statusCode).toBe(404);
    // Admin levels appear by zoom: the county alone at z7, down to the grids from z12.
    const levels = async (z: number) => {
      const a = tileOf(119.92, 30.42, z);
      return new Set((await tile(tileUrl('regions', a))).regions.map((f) => f.properties.level));
    };
    expect(await levels(7)).toEqual(new Set(['county']));
    expect(await levels(12)).toEqual(new Set(['county', 'town', 'village', 'grid']));
  });

  it("shows a new import at once and evicts only that dataset's tiles", async () => {
    const denseUrl = tileUrl('dense', tileOf(119.96, 30.46, 12));
    await get(denseUrl);
    const before = await get(tileUrl('mixed'));
    const cache = t.services.tiles.cache;
    await t.services.hub.importAndWait({
      datasetId: 'mixed',
      mode: 'append',
      source: memorySource([{ geometry: { type: 'Point', coordinates: [120.06, 30.5] }, properties: { name: '新增', kind: 'z' } }]),
    });
    const after = await get(tileUrl('mixed'));
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(decodeTile(after.rawPayload).mixed.map((f) => f.properties.name)).toContain('新增');
    const hits = cache.stats.hits;
    const dense = await get(denseUrl);
    expect(dense.statusCode).toBe(200);
    expect(cache.stats.hits).toBe(hits + 1);
    // An edit through the features API evicts too.
    await t.services.hub.updateMetadata('mixed', { editable: true });
    const del = await t.app.inject({ method: 'DELETE', url: '/collections/mixed/items/1' });
    expect(del.statusCode).toBe(204);
    const edited = decodeTile((await get(tileUrl('mixed'))).rawPayload).mixed;
    expect(edited.map((f) => f.id)).not.toContain(1);
  });
});
