import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../test-support/databases.ts';
import { body, createDataset, type OgcTestApp, openOgcTestApp, parcelFeatures, poiFeatures } from './test-app.ts';

type Feature = { type: string; id: number; geometry: { type: string; coordinates: any } | null; properties: Record<string, unknown> };
type Version = { version: number; mode: string; added: number; removed: number; changed: number; featureCount: number };

const square = (x: number, y: number, d = 0.01) => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
const geojson = { 'content-type': 'application/geo+json' };

describeEachBackend('OGC API – Features Part 4 (create, replace, update, delete)', (kind) => {
  let t: OgcTestApp;
  const send = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { ...(payload === undefined ? {} : geojson), ...headers }, ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }) });
  const versions = async (id = 'parcels') => body<{ versions: Version[] }>(await t.app.inject({ url: `/datasets/${id}/versions` })).versions;
  const dataset = (id = 'parcels') => t.services.hub.get(id);
  const feature = async (fid: number, q = '') => {
    const r = await t.app.inject({ url: `/collections/parcels/items/${fid}${q}` });
    return { status: r.statusCode, etag: r.headers.etag as string, f: r.statusCode === 200 ? body<Feature>(r) : null };
  };
  /** Runs a request that must fail with 400 (or `status`) and write nothing. */
  const refusedUnchanged = async (req: () => ReturnType<typeof send>, status = 400) => {
    const before = await dataset();
    const r = await req();
    expect(r.statusCode, r.body).toBe(status);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const after = await dataset();
    expect(after.currentVersion).toBe(before.currentVersion);
    expect(after.featureCount).toBe(before.featureCount);
    const rows = await t.services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM data.parcels WHERE _vfrom > $1', [before.currentVersion]);
    expect(rows.rows[0].n).toBe(0);
    return body<{ code: string; detail: string; errors?: { field?: string }[] }>(r);
  };

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    await createDataset(t.services, 'parcels', parcelFeatures(), { titleZh: '地块', editable: true });
    await createDataset(t.services, 'poi', poiFeatures(), { titleZh: '兴趣点' });
    await createDataset(t.services, 'registry', [{ geometry: null, properties: { code: '330521', name: '德清县' } }], { editable: true });
  });
  afterAll(async () => t?.close());

  it('refuses writes to a dataset that is not editable, saying how to allow them', async () => {
    const f = { type: 'Feature', geometry: { type: 'Point', coordinates: [120, 30.5] }, properties: { name: 'x' } };
    for (const [method, url] of [['POST', '/collections/poi/items'], ['PUT', '/collections/poi/items/1'], ['PATCH', '/collections/poi/items/1'], ['DELETE', '/collections/poi/items/1']] as const) {
      const r = await send(method, url, method === 'DELETE' ? undefined : f);
      expect(r.statusCode, `${method} ${url}`).toBe(403);
      const p = body<{ code: string; detail: string }>(r);
      expect(p.code).toBe('YITU_ERR_DATASET_NOT_EDITABLE');
      expect(p.detail).toContain('PATCH /datasets/poi {"editable": true}');
    }
    expect((await dataset('poi')).currentVersion).toBe(1);
    const allow = await t.app.inject({ method: 'PATCH', url: '/datasets/poi', payload: { editable: true } });
    expect(allow.statusCode).toBe(200);
    const ok = await send('POST', '/collections/poi/items', f);
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await dataset('poi')).featureCount).toBe(11);
    expect((await send('POST', '/collections/nope/items', f)).statusCode).toBe(404);
  });

  it('creates a feature as a new version: 201, Location, ETag, catalog updated, served at once', async () => {
    const before = await dataset();
    const r = await send('POST', '/collections/parcels/items', { type: 'Feature', geometry: square(120.2, 30.7), properties: { code: 'N1', landuse: '林地', area_mu: 22 } });
    expect(r.statusCode, r.body).toBe(201);
    const created = body<Feature>(r);
    expect(created.id).toBe(10);
    expect(r.headers.location).toBe('http://localhost:80/collections/parcels/items/10');
    expect(r.headers.etag).toMatch(/^"10-\d+"$/);
    expect(created.properties).toEqual({ code: 'N1', landuse: '林地', area_mu: 22 });
    const after = await dataset();
    expect(after.currentVersion).toBe(before.currentVersion + 1);
    expect(after.featureCount).toBe(10);
    expect(after.bbox![2]).toBeCloseTo(120.21, 6);
    const v = (await versions())[0];
    expect(v).toMatchObject({ version: after.currentVersion, mode: 'edit', added: 1, removed: 0, changed: 0, featureCount: 10 });
    const items = body<{ numberMatched: number; features: Feature[] }>(await t.app.inject({ url: '/collections/parcels/items?filter=code%3D%27N1%27' }));
    expect(items.features.map((f) => f.id)).toEqual([10]);
    expect(body<{ 'yitu:version': number }>(await t.app.inject({ url: '/collections/parcels' }))['yitu:version']).toBe(after.currentVersion);
  });

  it('creates a FeatureCollection as one version', async () => {
    const before = await dataset();
    const r = await send('POST', '/collections/parcels/items', {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: square(120.3, 30.7), properties: { code: 'N2', area_mu: '18' } },
        { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [square(120.4, 30.7).coordinates] }, properties: { code: 'N3' } },
      ],
    });
    expect(r.statusCode, r.body).toBe(201);
    const res = body<{ version: number; features: { id: number; href: string }[] }>(r);
    expect(res.version).toBe(before.currentVersion + 1);
    expect(res.features.map((f) => f.id)).toEqual([11, 12]);
    expect((await versions())[0]).toMatchObject({ mode: 'edit', added: 2 });
    expect((await feature(11)).f!.properties.area_mu).toBe(18);
    expect((await dataset()).geometryType).toBe('MultiPolygon');
  });

  it('replaces a feature (PUT): same id, new version, the old one kept in history', async () => {
    const old = await feature(1);
    const v0 = (await dataset()).currentVersion;
    const r = await send('PUT', '/collections/parcels/items/1', { type: 'Feature', id: 1, geometry: square(119.8, 30.4), properties: { code: 'P00', landuse: '水域' } }, { 'if-match': old.etag });
    expect(r.statusCode, r.body).toBe(200);
    const f = body<Feature>(r);
    expect(f.id).toBe(1);
    expect(f.properties).toEqual({ code: 'P00', landuse: '水域', area_mu: null });
    expect(r.headers.etag).not.toBe(old.etag);
    expect(r.headers['x-yitu-dataset-version']).toBe(String(v0 + 1));
    expect((await versions())[0]).toMatchObject({ version: v0 + 1, mode: 'edit', changed: 1, added: 0, removed: 0 });
    expect((await feature(1, `?version=${v0}`)).f!.properties.landuse).toBe('建设用地');
    const rows = await t.services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM data.parcels WHERE _fid = 1');
    expect(rows.rows[0].n).toBe(2);
    expect((await send('PUT', '/collections/parcels/items/999', { type: 'Feature', geometry: null, properties: {} })).statusCode).toBe(404);
  });

  it('updates a feature (PATCH): merge patch of properties and/or geometry', async () => {
    const r = await send('PATCH', '/collections/parcels/items/2', { properties: { area_mu: 99, landuse: null } }, { 'content-type': 'application/merge-patch+json' });
    expect(r.statusCode, r.body).toBe(200);
    const f = body<Feature>(r);
    expect(f.properties).toEqual({ code: 'P01', landuse: null, area_mu: 99 });
    const kept = f.geometry!.coordinates[0][2] as number[];
    expect(kept[0]).toBeCloseTo(119.91, 7);
    expect(kept[1]).toBeCloseTo(30.52, 7);
    const g = await send('PATCH', '/collections/parcels/items/2', { geometry: square(119.7, 30.3) }, { 'content-type': 'application/json' });
    expect(g.statusCode, g.body).toBe(200);
    const moved = body<Feature>(g);
    expect(moved.geometry!.coordinates[0][0]).toEqual([119.7, 30.3]);
    expect(moved.properties.area_mu).toBe(99);
    expect((await versions()).slice(0, 2).map((v) => v.changed)).toEqual([1, 1]);
  });

  it('deletes a feature: 204, gone now, kept at older versions', async () => {
    const before = await dataset();
    const r = await send('DELETE', '/collections/parcels/items/3');
    expect(r.statusCode).toBe(204);
    expect(r.headers['x-yitu-dataset-version']).toBe(String(before.currentVersion + 1));
    expect((await feature(3)).status).toBe(404);
    expect((await feature(3, `?version=${before.currentVersion}`)).status).toBe(200);
    const after = await dataset();
    expect(after.featureCount).toBe(before.featureCount - 1);
    expect((await versions())[0]).toMatchObject({ removed: 1, mode: 'edit' });
    expect((await send('DELETE', '/collections/parcels/items/3')).statusCode).toBe(404);
  });

  it('honours If-Match: a stale ETag gets 412 and writes nothing', async () => {
    const { etag } = await feature(4);
    await send('PATCH', '/collections/parcels/items/4', { properties: { area_mu: 1 } });
    for (const [method, payload] of [['PATCH', { properties: { area_mu: 2 } }], ['PUT', { type: 'Feature', geometry: null, properties: {} }], ['DELETE', undefined]] as const) {
      const p = await refusedUnchanged(() => send(method, '/collections/parcels/items/4', payload, { 'if-match': etag }), 412);
      expect(p.code).toBe('YITU_ERR_PRECONDITION_FAILED');
    }
    const fresh = await feature(4);
    expect(fresh.f!.properties.area_mu).toBe(1);
    expect((await send('PATCH', '/collections/parcels/items/4', { properties: { area_mu: 2 } }, { 'if-match': fresh.etag })).statusCode).toBe(200);
    expect((await send('PATCH', '/collections/parcels/items/4', { properties: { area_mu: 3 } }, { 'if-match': '*' })).statusCode).toBe(200);
    expect((await send('PATCH', '/collections/parcels/items/4', { properties: { area_mu: 4 } }, { 'if-match': `W/${(await feature(4)).etag}` })).statusCode).toBe(412);
  });

  it('refuses bad GeoJSON with 400 and writes nothing', async () => {
    const post = (p: unknown) => () => send('POST', '/collections/parcels/items', p);
    expect((await refusedUnchanged(post({ type: 'Point', coordinates: [1, 2] }))).code).toBe('YITU_ERR_FEATURE_INVALID');
    expect((await refusedUnchanged(post({ type: 'Feature', properties: {} }))).detail).toContain('geometry');
    const ring = await refusedUnchanged(post({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[120, 30], [120.1, 30], [120.1, 30.1], [120, 30.2]]] }, properties: {} }));
    expect(ring.detail).toContain('not closed');
    expect((await refusedUnchanged(post({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[120, 30], ['a', 30], [120.1, 30.1], [120, 30]]] }, properties: {} }))).code).toBe('YITU_ERR_FEATURE_INVALID');
    expect((await refusedUnchanged(post({ type: 'Feature', geometry: square(190, 30), properties: {} }))).code).toBe('YITU_ERR_COORDS_OUT_OF_RANGE');
    const unknown = await refusedUnchanged(post({ type: 'Feature', geometry: square(120, 30), properties: { code: 'X', colour: 'red' } }));
    expect(unknown.detail).toContain('"colour"');
    expect(unknown.errors?.[0].field).toBe('colour');
    expect((await refusedUnchanged(post({ type: 'Feature', geometry: square(120, 30), properties: { area_mu: 'lots' } }))).detail).toContain('area_mu');
    expect((await refusedUnchanged(post({ type: 'Feature', geometry: { type: 'Point', coordinates: [120, 30] }, properties: {} }))).detail).toContain('MultiPolygon');
    expect((await refusedUnchanged(post({ type: 'Feature', geometry: square(120, 30), properties: [] }))).code).toBe('YITU_ERR_FEATURE_INVALID');
    const fc = await refusedUnchanged(post({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: square(120, 30), properties: {} }, { type: 'Feature', geometry: { type: 'Polygon' }, properties: {} }] }));
    expect(fc.detail).toContain('Feature 2');
    expect((await refusedUnchanged(post({ type: 'FeatureCollection', features: [] }))).code).toBe('YITU_ERR_FEATURE_INVALID');
    expect((await refusedUnchanged(() => send('POST', '/collections/parcels/items', '{"type": "Feature", '))).code).toBe('YITU_ERR_INPUT_INVALID');
    expect((await refusedUnchanged(() => send('PUT', '/collections/parcels/items/5', { type: 'Feature', id: 6, geometry: null, properties: {} }))).detail).toContain('ids cannot change');
    expect((await refusedUnchanged(() => send('PATCH', '/collections/parcels/items/5', { colour: 'red' }))).code).toBe('YITU_ERR_FEATURE_INVALID');
    expect((await refusedUnchanged(() => send('PATCH', '/collections/parcels/items/5', { properties: { area_mu: [1] } }))).code).toBe('YITU_ERR_FEATURE_INVALID');
    expect((await refusedUnchanged(() => send('POST', '/collections/parcels/items', { type: 'Feature', geometry: square(120, 30), properties: {} }, { 'content-crs': '<http://example.com/crs>' }))).code).toBe('YITU_ERR_CRS_UNSUPPORTED');
  });

  it('repairs invalid polygons as imports do', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[120, 30], [120.1, 30.1], [120.1, 30], [120, 30.1], [120, 30]]] };
    const r = await send('POST', '/collections/parcels/items', { type: 'Feature', geometry: bowtie, properties: { code: 'BOW' } });
    expect(r.statusCode, r.body).toBe(201);
    const id = body<Feature>(r).id;
    const v = await t.services.db.query<{ ok: boolean }>('SELECT ST_IsValid(geom) AS ok FROM data.parcels WHERE _fid = $1 AND _vto IS NULL', [id]);
    expect(v.rows[0].ok).toBe(true);
  });

  it('reads coordinates in the Content-Crs of the request', async () => {
    // A 100 m square at the central meridian of EPSG:4549, given as northing, easting.
    const ring = [[3320113.4, 500000], [3320113.4, 500100], [3320213.4, 500100], [3320213.4, 500000], [3320113.4, 500000]];
    const r = await send('POST', '/collections/parcels/items', { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { code: 'GK' } }, {
      'content-crs': '<http://www.opengis.net/def/crs/EPSG/0/4549>',
    });
    expect(r.statusCode, r.body).toBe(201);
    const [lon, lat] = body<Feature>(r).geometry!.coordinates[0][0];
    expect(lon).toBeCloseTo(120, 6);
    expect(lat).toBeCloseTo(30, 6);
    const latlon = await send('POST', '/collections/parcels/items', { type: 'Feature', geometry: square(30, 120, 0.001), properties: { code: 'LL' } }, {
      'content-crs': 'http://www.opengis.net/def/crs/EPSG/0/4326',
    });
    expect(latlon.statusCode, latlon.body).toBe(201);
    expect(body<Feature>(latlon).geometry!.coordinates[0][0]).toEqual([120, 30]);
  });

  it('serialises concurrent writers into consecutive versions', async () => {
    const before = await dataset();
    const rs = await Promise.all(
      Array.from({ length: 6 }, (_, i) => send('POST', '/collections/parcels/items', { type: 'Feature', geometry: square(121 + i * 0.02, 31), properties: { code: `C${i}` } })),
    );
    expect(rs.map((r) => r.statusCode)).toEqual(Array(6).fill(201));
    const after = await dataset();
    expect(after.currentVersion).toBe(before.currentVersion + 6);
    expect(after.featureCount).toBe(before.featureCount + 6);
    const vs = (await versions()).slice(0, 6).map((v) => v.version).sort((a, b) => a - b);
    expect(vs).toEqual(Array.from({ length: 6 }, (_, i) => before.currentVersion + 1 + i));
  });

  it('edits tables without geometry', async () => {
    const r = await send('POST', '/collections/registry/items', { type: 'Feature', geometry: null, properties: { code: '330521002', name: '舞阳街道' } });
    expect(r.statusCode, r.body).toBe(201);
    expect(body<Feature>(r).geometry).toBeNull();
    const bad = await send('POST', '/collections/registry/items', { type: 'Feature', geometry: { type: 'Point', coordinates: [120, 30] }, properties: {} });
    expect(bad.statusCode).toBe(400);
    expect(body<{ detail: string }>(bad).detail).toContain('without geometry');
    expect((await t.services.hub.get('registry')).featureCount).toBe(2);
  });
});
