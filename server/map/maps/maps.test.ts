import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type OgcTestApp, body, createDataset, openOgcTestApp, parcelFeatures, poiFeatures } from '../../ogc/test-app.ts';
import { describeEachBackend } from '../../test-support/databases.ts';
import { type TestUser, anonymous, createTestUser, injectAsDefault } from '../../test-support/auth.ts';

type Doc = Record<string, any>;

/** The WebMercatorQuad tile holding a point. */
function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.asinh(Math.tan(r)) / Math.PI) / 2) * n) };
}

const MAP = {
  title: { zh: '测试专题图', en: 'Test map' },
  description: { zh: '图斑与兴趣点' },
  visibility: 'public',
  view: { center: [119.95, 30.52], zoom: 12 },
  layers: [
    { dataset: 'parcels' },
    { dataset: 'poi', style: { kind: 'graduated', field: 'pop', method: 'equal', classes: 3, ramp: 'reds' }, filter: 'pop >= 500', legendTitle: { zh: '人口点', en: 'Population points' } },
  ],
};

describeEachBackend('saved maps', (kind) => {
  let t: OgcTestApp;
  let id: string;
  /** Makes the maps (the default for every request); `other` is another analyst. */
  let owner: TestUser;
  let other: TestUser;
  const req = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    owner = await createTestUser(t.services, { roles: ['analyst'], department: 'natural-resources-planning' });
    other = await createTestUser(t.services, { roles: ['analyst'], department: 'transport' });
    injectAsDefault(t.app, owner.headers);
    await createDataset(t.services, 'parcels', parcelFeatures(), { titleZh: '地块', titleEn: 'Parcels', theme: 'current' });
    await createDataset(t.services, 'poi', poiFeatures(), { titleZh: '兴趣点', titleEn: 'Points of interest', theme: 'socioeconomic' });
  });
  afterAll(async () => t?.close());

  it('creates a map: an id, a share token, layer ids, and class breaks computed from the data', async () => {
    const r = await req('POST', '/maps', MAP);
    expect(r.statusCode).toBe(201);
    const m = body<Doc>(r);
    id = m.id;
    expect(id).toMatch(/^[a-z][0-9a-z]{9}$/);
    expect(r.headers.location).toBe(`http://localhost:80/maps/${id}`);
    expect(r.headers.etag).toBe('"r1"');
    expect(m.shareToken).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(m.layers.map((l: Doc) => l.id)).toEqual(['parcels', 'poi']);
    expect(m.layers[0]).toMatchObject({ style: null, filter: null, visible: true, opacity: 1 });
    expect(m.layers[1].style).toMatchObject({ kind: 'graduated', breaks: [0, 300, 600, 900] });
    expect(m.view).toEqual({ center: [119.95, 30.52], zoom: 12, pitch: 0, bearing: 0, basemap: 'offline' });
    expect(m.owner).toBe(owner.id);
  });

  it('refuses a map naming a missing dataset, a filter that does not compile, an unknown field', async () => {
    const missing = await req('POST', '/maps', { ...MAP, layers: [{ dataset: 'parcels' }, { dataset: 'no_such_layer' }] });
    expect(missing.statusCode).toBe(400);
    expect(body(missing)).toMatchObject({ code: 'YITU_ERR_MAP_INVALID' });
    expect(body(missing).detail).toMatch(/layers\[1\] \("no_such_layer"\) names the dataset "no_such_layer", which does not exist/);
    const filter = await req('POST', '/maps', { ...MAP, layers: [{ dataset: 'poi', filter: 'pop >>= 3' }] });
    expect(filter.statusCode).toBe(400);
    expect(body(filter).code).toMatch(/^YITU_ERR_FILTER_/);
    expect(body(filter).detail).toMatch(/layers\[0\] \("poi"\): the filter does not compile: /);
    const unknown = await req('POST', '/maps', { ...MAP, layers: [{ dataset: 'poi', filter: 'height > 3' }] });
    expect(body(unknown).code).toBe('YITU_ERR_FILTER_PROPERTY_UNKNOWN');
    const field = await req('POST', '/maps', { ...MAP, layers: [{ dataset: 'poi', style: { kind: 'graduated', field: 'height' } }] });
    expect(body(field)).toMatchObject({ status: 400, code: 'YITU_ERR_STYLE_INVALID' });
    expect(body(field).detail).toMatch(/Its fields are: name \(text\), kind \(text\), pop \(integer\)/);
    const untitled = await req('POST', '/maps', { ...MAP, title: {} });
    expect(body(untitled).detail).toMatch(/title: give a title/);
    expect((await req('POST', '/maps', { ...MAP, layers: [{ dataset: 'poi', id: 'a' }, { dataset: 'parcels', id: 'a' }] })).statusCode).toBe(400);
    expect((await req('GET', '/maps')).json().total).toBe(1);
  });

  it('lists public maps and one\'s own, finds them by text, and reads a private map only as its owner or with its token', async () => {
    const priv = body<Doc>(await req('POST', '/maps', { ...MAP, title: { zh: '内部专题图' }, visibility: 'private' }));
    expect(body<Doc>(await req('GET', '/maps')).maps.map((m: Doc) => m.id).sort()).toEqual([id, priv.id].sort());
    expect(body<Doc>(await req('GET', '/maps', undefined, anonymous)).maps.map((m: Doc) => m.id)).toEqual([id]);
    const list = body<Doc>(await req('GET', '/maps', undefined, other.headers));
    expect(list.maps.map((m: Doc) => m.id)).toEqual([id]);
    expect(list.maps[0]).toMatchObject({ title: MAP.title, layerCount: 2 });
    expect(body<Doc>(await req('GET', '/maps?q=Test', undefined, other.headers)).total).toBe(1);
    expect(body<Doc>(await req('GET', '/maps?q=无此')).total).toBe(0);
    expect(body<Doc>(await req('GET', `/maps/${id}`)).shareToken).toBeUndefined();

    const denied = await req('GET', `/maps/${priv.id}`, undefined, other.headers);
    expect(denied.statusCode).toBe(404);
    expect(body(denied).code).toBe('YITU_ERR_MAP_NOT_FOUND');
    expect((await req('GET', `/maps/${priv.id}?token=wrong`, undefined, other.headers)).statusCode).toBe(404);
    expect((await req('GET', `/maps/${priv.id}/style.json`, undefined, other.headers)).statusCode).toBe(404);
    expect((await req('GET', `/maps/${priv.id}`)).statusCode).toBe(200);
    const ok = await req('GET', `/maps/${priv.id}?token=${priv.shareToken}`, undefined, other.headers);
    expect(ok.statusCode).toBe(200);
    expect(body(ok).shareToken).toBe(priv.shareToken);
    const style = body<Doc>(await req('GET', `/maps/${priv.id}/style.json?token=${priv.shareToken}`));
    expect(style.sources['yitu-map'].tiles[0]).toBe(`http://localhost:80/maps/${priv.id}/tiles/WebMercatorQuad/{z}/{y}/{x}?token=${priv.shareToken}`);
    expect((await req('DELETE', `/maps/${priv.id}`, undefined, other.headers)).statusCode).toBe(404);
    // the share token lets others read the map, not change it
    const notOwner = await req('DELETE', `/maps/${priv.id}?token=${priv.shareToken}`, undefined, other.headers);
    expect(notOwner.statusCode).toBe(403);
    expect(body(notOwner).code).toBe('YITU_ERR_FORBIDDEN');
    expect((await req('DELETE', `/maps/${priv.id}?token=${priv.shareToken}`, undefined, anonymous)).statusCode).toBe(401);
    expect((await req('DELETE', `/maps/${priv.id}`)).statusCode).toBe(204);
    expect((await req('GET', `/maps/${priv.id}?token=${priv.shareToken}`)).statusCode).toBe(404);
  });

  it('changes a map with If-Match and refuses a stale change with 412', async () => {
    const read = await req('GET', `/maps/${id}`);
    expect((await req('GET', `/maps/${id}`, undefined, { 'if-none-match': '"r1"' })).statusCode).toBe(304);
    const changed = { ...MAP, view: { ...MAP.view, zoom: 13, pitch: 45 } };
    const r = await req('PUT', `/maps/${id}`, changed, { 'if-match': read.headers.etag as string });
    expect(r.statusCode).toBe(200);
    expect(r.headers.etag).toBe('"r2"');
    expect(body<Doc>(r)).toMatchObject({ revision: 2, view: { zoom: 13, pitch: 45 } });
    const stale = await req('PUT', `/maps/${id}`, MAP, { 'if-match': '"r1"' });
    expect(stale.statusCode).toBe(412);
    expect(body(stale)).toMatchObject({ code: 'YITU_ERR_PRECONDITION_FAILED', etag: '"r2"' });
    expect((await req('PUT', `/maps/${id}`, { ...MAP, id: 'other' })).statusCode).toBe(400);
    expect(body<Doc>(await req('GET', `/maps/${id}`)).view.zoom).toBe(13);
  });

  it('copies a map into a new private map', async () => {
    const r = await req('POST', `/maps/${id}/copy`);
    expect(r.statusCode).toBe(201);
    const c = body<Doc>(r);
    expect(c.id).not.toBe(id);
    expect(c).toMatchObject({ visibility: 'private', title: { zh: '测试专题图（副本）', en: 'Test map (copy)' }, revision: 1 });
    expect(c.layers).toEqual(body<Doc>(await req('GET', `/maps/${id}`)).layers);
    expect(c.shareToken).toBeTruthy();
    expect(c.owner).toBe(owner.id);
    expect(body<Doc>(await req('GET', '/maps', undefined, other.headers)).total).toBe(1);
    expect(body<Doc>(await req('GET', '/maps')).maps.map((m: Doc) => m.id)).toContain(c.id);
    expect((await req('POST', `/maps/${id}/copy`, undefined, anonymous)).statusCode).toBe(401);
  });

  it('takes labels from the map layer: an override adds them (and their attribute), null turns them off', async () => {
    const labelled = body<Doc>(await req('POST', '/maps', {
      ...MAP,
      visibility: 'private',
      layers: [{ dataset: 'poi', id: 'named', label: { field: 'name', minZoom: 9, size: 14 } }, { dataset: 'poi', id: 'quiet', style: { kind: 'simple', label: { field: 'name' } }, label: null }],
    }));
    const q = `?token=${labelled.shareToken}`;
    const s = body<Doc>(await req('GET', `/maps/${labelled.id}/style.json${q}&lang=en`));
    expect(validateStyleMin(s as never)).toEqual([]);
    const label = s.layers.find((l: Doc) => l.id === 'layer-named-label');
    expect(label).toMatchObject({ minzoom: 9, layout: { 'text-size': 14, 'text-field': ['to-string', ['get', 'name']] } });
    expect(s.layers.some((l: Doc) => l.id === 'layer-quiet-label')).toBe(false);
    const { z, x, y } = tileOf(119.95, 30.52, 10);
    const tile = new VectorTile(new PbfReader((await req('GET', `/maps/${labelled.id}/tiles/WebMercatorQuad/${z}/${y}/${x}${q}`)).rawPayload));
    expect(Object.keys(tile.layers.named.feature(0).properties).sort()).toEqual(['kind', 'name']);
    expect(Object.keys(tile.layers.quiet.feature(0).properties)).toEqual([]);
    expect((await req('GET', `/maps/${labelled.id}/tiles/WebMercatorQuad/${z}/${y}/${x}`, undefined, other.headers)).statusCode).toBe(404);
  });

  it('serves the map as a complete, valid MapLibre style with the basemap, and its legend', async () => {
    const r = await req('GET', `/maps/${id}/style.json?lang=en`);
    expect(r.statusCode).toBe(200);
    const s = body<Doc>(r);
    expect(validateStyleMin(s as never)).toEqual([]);
    expect(s).toMatchObject({ version: 8, name: 'Test map', center: [119.95, 30.52], zoom: 13, pitch: 45, glyphs: 'http://localhost:80/fonts/{fontstack}/{range}.pbf' });
    expect(s.layers.filter((l: Doc) => l.id.startsWith('basemap-')).length).toBeGreaterThan(3);
    const own = s.layers.filter((l: Doc) => l.source === 'yitu-map').map((l: Doc) => l.id);
    expect(own).toEqual(['layer-parcels-fill', 'layer-parcels-outline', 'layer-poi-cluster', 'layer-poi-cluster-count', 'layer-poi-circle']);
    expect(s.metadata['yitu:missing']).toEqual([]);
    expect(s.metadata['yitu:legend'].map((g: Doc) => g.title)).toEqual(['Population points', 'Parcels']);
    const legend = body<Doc>(await req('GET', `/maps/${id}/legend`));
    expect(legend.title).toBe('测试专题图');
    expect(legend.layers.map((g: Doc) => [g.id, g.title])).toEqual([['poi', '人口点'], ['parcels', '地块']]);
    expect(legend.layers[0].entries.map((e: Doc) => e.label)).toEqual(['0 – 300', '300 – 600', '600 – 900']);
  });

  it('serves one tile with every visible layer, only the attributes their styles read, filters applied', async () => {
    const { z, x, y } = tileOf(119.95, 30.52, 10);
    const url = `/maps/${id}/tiles/WebMercatorQuad/${z}/${y}/${x}`;
    const r = await req('GET', url);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    const tile = new VectorTile(new PbfReader(r.rawPayload));
    expect(Object.keys(tile.layers).sort()).toEqual(['parcels', 'poi']);
    expect(tile.layers.parcels.length).toBe(9);
    for (let i = 0; i < tile.layers.parcels.length; i++) expect(tile.layers.parcels.feature(i).properties).toEqual({});
    const pops: number[] = [];
    for (let i = 0; i < tile.layers.poi.length; i++) {
      const p = tile.layers.poi.feature(i).properties;
      expect(Object.keys(p)).toEqual(['pop']);
      pops.push(Number(p.pop));
    }
    const inTile = poiFeatures().filter((f) => {
      const [lon, lat] = (f.geometry as { coordinates: number[] }).coordinates;
      const tt = tileOf(lon, lat, z);
      return tt.x === x && tt.y === y && Number(f.properties.pop) >= 500;
    });
    expect(pops.sort((a, b) => a - b)).toEqual(inTile.map((f) => Number(f.properties.pop)).sort((a, b) => a - b));
    expect(pops.length).toBeGreaterThan(0);

    const etag = r.headers.etag as string;
    expect(etag).toMatch(/^"r2-/);
    expect((await req('GET', url, undefined, { 'if-none-match': etag })).statusCode).toBe(304);
    const gz = await req('GET', url, undefined, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(r.rawPayload)).toBe(true);
    expect((await req('GET', `/maps/${id}/tiles/WebMercatorQuad/${z}/0/0`)).statusCode).toBe(204);
    expect((await req('GET', `/maps/${id}/tiles/Other/${z}/${y}/${x}`)).statusCode).toBe(404);
  });

  it('follows a change of the dataset style at once: the next tile carries the attributes it reads', async () => {
    const { z, x, y } = tileOf(119.95, 30.52, 10);
    const url = `/maps/${id}/tiles/WebMercatorQuad/${z}/${y}/${x}`;
    const before = await req('GET', url);
    const put = await req('PUT', '/collections/parcels/style', { kind: 'categories', field: 'landuse', items: [{ value: '耕地', colour: '#f0ea8f' }, { value: '建设用地', colour: '#f0553f' }] }, t.admin.headers);
    expect(put.statusCode).toBe(200);
    const after = await req('GET', url);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const parcels = new VectorTile(new PbfReader(after.rawPayload)).layers.parcels;
    const uses = new Set<string>();
    for (let i = 0; i < parcels.length; i++) {
      expect(Object.keys(parcels.feature(i).properties)).toEqual(['landuse']);
      uses.add(String(parcels.feature(i).properties.landuse));
    }
    expect([...uses].sort()).toEqual(['建设用地', '耕地']);
    const legend = body<Doc>(await req('GET', `/maps/${id}/legend?lang=en`));
    expect(legend.layers[1].entries.map((e: Doc) => e.label)).toEqual(['耕地', '建设用地', 'Other']);
    await req('DELETE', '/collections/parcels/style', undefined, t.admin.headers);
  });

  it('keeps working when a dataset is removed: the layer is reported missing and skipped', async () => {
    expect((await req('DELETE', '/datasets/poi', undefined, t.admin.headers)).statusCode).toBe(204);
    const m = body<Doc>(await req('GET', `/maps/${id}`));
    expect(m.layers.map((l: Doc) => [l.id, l.missing ?? false])).toEqual([['parcels', false], ['poi', true]]);
    const s = body<Doc>(await req('GET', `/maps/${id}/style.json`));
    expect(validateStyleMin(s as never)).toEqual([]);
    expect(s.metadata['yitu:missing']).toEqual(['poi']);
    expect(s.metadata['yitu:layers'][1]).toMatchObject({ id: 'poi', missing: true, problem: 'dataset "poi" no longer exists', layers: [] });
    expect(s.layers.some((l: Doc) => l.id.startsWith('layer-poi'))).toBe(false);
    expect(body<Doc>(await req('GET', `/maps/${id}/legend`)).missing).toEqual(['poi']);
    const { z, x, y } = tileOf(119.95, 30.52, 10);
    const tile = await req('GET', `/maps/${id}/tiles/WebMercatorQuad/${z}/${y}/${x}`);
    expect(tile.statusCode).toBe(200);
    expect(Object.keys(new VectorTile(new PbfReader(tile.rawPayload)).layers)).toEqual(['parcels']);
    // Saving it again is refused until the layer is removed or the dataset comes back.
    expect((await req('PUT', `/maps/${id}`, MAP)).statusCode).toBe(400);
  });

  it('deletes a map', async () => {
    expect((await req('DELETE', `/maps/${id}`)).statusCode).toBe(204);
    expect((await req('GET', `/maps/${id}`)).statusCode).toBe(404);
    expect((await req('POST', `/maps/${id}/copy`)).statusCode).toBe(404);
  });
});
