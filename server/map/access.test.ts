import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type OgcTestApp, body, createDataset, openOgcTestApp, parcelFeatures, poiFeatures } from '../ogc/test-app.ts';
import { smallCounty } from '../regions/test-regions.ts';
import { describeEachBackend } from '../test-support/databases.ts';
import { type TestUser, anonymous, createTestUser } from '../test-support/auth.ts';

type Doc = Record<string, any>;

/** The WebMercatorQuad tile holding a point. */
function tileOf(lon: number, lat: number, z: number): string {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return `${z}/${Math.floor(((1 - Math.asinh(Math.tan(r)) / Math.PI) / 2) * n)}/${Math.floor(((lon + 180) / 360) * n)}`;
}

/** Ids of the features of a layer of an MVT response (empty for a 204). */
function fids(payload: Buffer, layer: string): number[] {
  if (!payload.length) return [];
  const l = new VectorTile(new PbfReader(payload)).layers[layer];
  if (!l) return [];
  return Array.from({ length: l.length }, (_, i) => Number(l.feature(i).properties._fid ?? l.feature(i).id)).sort((a, b) => a - b);
}

/** A problem body without the parts that name what was asked for. */
const shape = (r: { statusCode: number; body: string }, id: string) => ({ status: r.statusCode, ...JSON.parse(r.body.replaceAll(id, '<id>')), instance: undefined });

describeEachBackend('access on the map side (tiles, styles, saved maps, basemap)', (kind) => {
  let t: OgcTestApp;
  let own: TestUser;
  let other: TestUser;
  let steward: TestUser;
  let scoped: TestUser;
  const tile = tileOf(120.0, 30.5, 8);
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ url, headers });

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    await t.services.regions.loadRegions(smallCounty());
    own = await createTestUser(t.services, { roles: ['analyst'], department: 'public-security' });
    steward = await createTestUser(t.services, { roles: ['data_steward'], department: 'public-security' });
    other = await createTestUser(t.services, { roles: ['analyst', 'data_steward'], department: 'transport' });
    scoped = await createTestUser(t.services, { roles: ['grid_worker'], department: 'town-wukang', regionCodes: ['330521001'] });
    await createDataset(t.services, 'secret_poi', poiFeatures(), { department: 'public-security', classification: 'confidential' });
    await createDataset(t.services, 'staff_poi', poiFeatures(), { department: 'public-security', classification: 'internal' });
    await createDataset(t.services, 'open_parcels', parcelFeatures(), { department: 'transport', classification: 'public' });
  }, 120_000);
  afterAll(async () => t?.close());

  it('answers a hidden dataset\'s tiles exactly like a dataset that does not exist', async () => {
    for (const path of [`/tiles/WebMercatorQuad/${tile}`, '/tiles', '/tiles/WebMercatorQuad', '/style', '/style.json', '/classify?field=pop']) {
      const hidden = await get(`/collections/secret_poi${path}`, other.headers);
      const missing = await get(`/collections/no_such_poi${path}`, other.headers);
      expect(hidden.statusCode, path).toBe(404);
      expect(shape(hidden, 'secret_poi'), path).toEqual(shape(missing, 'no_such_poi'));
      expect((await get(`/collections/secret_poi${path}`, anonymous)).statusCode, path).toBe(404);
      expect((await get(`/collections/staff_poi${path}`, anonymous)).statusCode, path).toBe(404);
      expect((await get(`/collections/secret_poi${path}`, own.headers)).statusCode, path).toBe(200);
    }
    const multi = await get(`/tiles/WebMercatorQuad/${tile}?collections=open_parcels,secret_poi`, other.headers);
    expect(multi.statusCode).toBe(404);
    expect((await get(`/tiles/WebMercatorQuad/${tile}?collections=open_parcels,secret_poi`, own.headers)).statusCode).toBe(200);
    expect((await get(`/collections/open_parcels/tiles/WebMercatorQuad/${tileOf(119.91, 30.51, 12)}`, anonymous)).statusCode).toBe(200);
  });

  it('draws only the features inside a scoped user\'s region, and everything of public data', async () => {
    const all = fids((await get(`/collections/staff_poi/tiles/WebMercatorQuad/${tile}`, own.headers)).rawPayload, 'staff_poi');
    const mine = fids((await get(`/collections/staff_poi/tiles/WebMercatorQuad/${tile}`, scoped.headers)).rawPayload, 'staff_poi');
    // points 2–8 of poiFeatures lie in 武康街道 (119.9–120.05°E); 9–10 are in 新市镇
    expect(mine).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(all.length).toBeGreaterThan(mine.length);
    expect(all).toEqual(expect.arrayContaining([9, 10]));
  });

  it('records tile reads of restricted data in the audit trail, with the features drawn, and not those of public data', async () => {
    await t.services.audit.flush();
    const before = await t.services.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM yitu.audit_events WHERE action = 'tiles.read'`);
    await get(`/collections/staff_poi/tiles/WebMercatorQuad/${tile}`, scoped.headers);
    await get(`/collections/staff_poi/tiles/WebMercatorQuad/${tile}`, scoped.headers);
    await get(`/collections/open_parcels/tiles/WebMercatorQuad/${tile}`, scoped.headers);
    await t.services.audit.flush();
    const r = await t.services.db.query<{ dataset_id: string; actor_name: string; feature_count: number; requests: number }>(
      `SELECT dataset_id, actor_name, feature_count, requests FROM yitu.audit_events WHERE action = 'tiles.read' ORDER BY id OFFSET $1`,
      [before.rows[0].n],
    );
    expect(r.rows.map((e) => e.dataset_id)).toEqual(['staff_poi']);
    expect(r.rows[0]).toMatchObject({ actor_name: scoped.username, requests: 2, feature_count: 14 });
  });

  it('lets the dataset\'s stewards change its style, and no one else', async () => {
    const style = { kind: 'simple', symbol: { fill: '#336699' } };
    expect((await t.app.inject({ method: 'PUT', url: '/collections/staff_poi/style', payload: style, headers: own.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: '/collections/staff_poi/style', payload: style, headers: other.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: '/collections/staff_poi/style', payload: style, headers: anonymous })).statusCode).toBe(404);
    const ok = await t.app.inject({ method: 'PUT', url: '/collections/staff_poi/style', payload: style, headers: steward.headers });
    expect(ok.statusCode, ok.body).toBe(200);
    const e = await t.services.db.query<{ actor_name: string }>(`SELECT actor_name FROM yitu.audit_events WHERE action = 'style.update' AND dataset_id = 'staff_poi'`);
    expect(e.rows.map((x) => x.actor_name)).toEqual([steward.username]);
  });

  it('shows each reader of a saved map only the layers they may read', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/maps',
      headers: own.headers,
      payload: { title: { zh: '混合专题图' }, visibility: 'public', view: { center: [120, 30.5], zoom: 9 }, layers: [{ dataset: 'open_parcels' }, { dataset: 'secret_poi' }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = body<Doc>(created).id;
    // another department cannot save a map naming the hidden dataset: it is not there for them
    const refused = await t.app.inject({ method: 'POST', url: '/maps', headers: other.headers, payload: { title: { zh: 'x' }, visibility: 'private', view: { center: [120, 30.5], zoom: 9 }, layers: [{ dataset: 'secret_poi' }] } });
    expect(refused.statusCode).toBe(400);
    expect(body(refused).detail).toMatch(/does not exist/);

    const publicDoc = body<Doc>(await get(`/maps/${id}`, anonymous));
    expect(publicDoc.layers.map((l: Doc) => l.dataset)).toEqual(['open_parcels']);
    expect(publicDoc.restrictedLayers).toBe(1);
    const publicStyle = body<Doc>(await get(`/maps/${id}/style.json`, anonymous));
    expect(JSON.stringify(publicStyle)).not.toContain('secret_poi');
    expect(publicStyle.metadata['yitu:restricted']).toBe(1);
    const legend = body<Doc>(await get(`/maps/${id}/legend`, anonymous));
    expect(legend.layers).toHaveLength(1);

    const z = tileOf(120.0, 30.5, 9);
    const anonTile = await get(`/maps/${id}/tiles/WebMercatorQuad/${z}`, anonymous);
    const ownTile = await get(`/maps/${id}/tiles/WebMercatorQuad/${z}`, own.headers);
    expect(Object.keys(new VectorTile(new PbfReader(anonTile.rawPayload)).layers)).toEqual(['open_parcels']);
    expect(Object.keys(new VectorTile(new PbfReader(ownTile.rawPayload)).layers).sort()).toEqual(['open_parcels', 'secret_poi']);
    expect(anonTile.headers.etag).not.toBe(ownTile.headers.etag);
    expect(body<Doc>(await get(`/maps/${id}`, own.headers)).restrictedLayers).toBe(0);

    // only the owner (or an administrator) changes it
    expect((await t.app.inject({ method: 'DELETE', url: `/maps/${id}`, headers: other.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/maps/${id}`, headers: anonymous })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'DELETE', url: `/maps/${id}`, headers: own.headers })).statusCode).toBe(204);
  });
});
