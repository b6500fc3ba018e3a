import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend } from '../test-support/databases.ts';
import { CRS_URIS, parseCrs, parseCrsBbox } from './crs.ts';
import { body, createDataset, type OgcTestApp, openOgcTestApp, parcelFeatures, poiFeatures } from './test-app.ts';

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const EPSG = (n: number) => `http://www.opengis.net/def/crs/EPSG/0/${n}`;
type Fc = { features: { id: number; geometry: { type: string; coordinates: any } }[]; numberMatched: number };

describe('CRS parameters (no database)', () => {
  it('resolves the supported URIs and refuses others with the list', () => {
    expect(parseCrs(undefined, 'crs').srid).toBe(4326);
    expect(parseCrs(`<${EPSG(4549)}>`, 'crs')).toMatchObject({ srid: 4549, swap: true });
    expect(parseCrs('https://www.opengis.net/def/crs/EPSG/0/3857', 'crs')).toMatchObject({ srid: 3857, swap: false });
    expect(() => parseCrs('EPSG:9999', 'crs')).toThrow(/Supported coordinate reference systems: .*CRS84/);
    expect(CRS_URIS).toHaveLength(5);
  });

  it('reads bboxes in the axis order of their CRS', () => {
    expect(parseCrsBbox('30,120,31,121', parseCrs(EPSG(4326), 'bbox-crs'))).toMatchObject({ minx: 120, miny: 30, maxx: 121, maxy: 31 });
    expect(parseCrsBbox('3320000,499900,3320200,500100', parseCrs(EPSG(4549), 'bbox-crs'))).toMatchObject({ minx: 499900, miny: 3320000 });
    expect(() => parseCrsBbox('120,30,121,31', parseCrs(EPSG(4326), 'bbox-crs'))).toThrow(/latitude, longitude/);
  });
});

describeEachBackend('OGC API – Features Part 2 (CRS)', (kind) => {
  let t: OgcTestApp;
  const get = (url: string) => t.app.inject({ url });
  const one = async (crs: string) => {
    const r = await get(`/collections/poi/items/1?crs=${encodeURIComponent(crs)}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-crs']).toBe(`<${crs}>`);
    return body<{ geometry: { coordinates: number[] } }>(r).geometry.coordinates;
  };
  const ids = async (q: string) => {
    const r = await get(`/collections/poi/items?${q}`);
    expect(r.statusCode, r.body).toBe(200);
    return body<Fc>(r).features.map((f) => f.id);
  };

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    await createDataset(t.services, 'poi', poiFeatures(), { titleZh: '兴趣点' });
    await createDataset(t.services, 'parcels', parcelFeatures(), { titleZh: '地块' });
  });
  afterAll(async () => t?.close());

  it('lists the CRSs and the storage CRS of every collection', async () => {
    const c = body<{ crs: string[]; storageCrs: string }>(await get('/collections/poi'));
    expect(c.crs).toEqual([CRS84, EPSG(4326), EPSG(4490), EPSG(3857), EPSG(4549)]);
    expect(c.storageCrs).toBe(CRS84);
  });

  it('outputs a known point (120°E, 30°N) in every CRS with its axis order', async () => {
    expect(await one(CRS84)).toEqual([120, 30]);
    expect(await one(EPSG(4326))).toEqual([30, 120]);
    const cgcs = await one(EPSG(4490));
    expect(cgcs[0]).toBeCloseTo(30, 5);
    expect(cgcs[1]).toBeCloseTo(120, 5);
    const merc = await one(EPSG(3857));
    expect(merc[0]).toBeCloseTo(13358338.9, 1);
    expect(merc[1]).toBeCloseTo(3503549.84, 1);
    // EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E): northing, easting (as `gdalsrsinfo EPSG:4549` lists its axes).
    const gk = await one(EPSG(4549));
    expect(gk[0]).toBeCloseTo(3320113.4, 1);
    expect(gk[1]).toBeCloseTo(500000, 1);
  });

  it('sends Content-Crs on items (CRS84 by default) and rounds projected output to centimetres', async () => {
    const def = await get('/collections/parcels/items?limit=1');
    expect(def.headers['content-crs']).toBe(`<${CRS84}>`);
    const r = await get(`/collections/parcels/items?limit=2&crs=${encodeURIComponent(EPSG(4549))}`);
    expect(r.headers['content-crs']).toBe(`<${EPSG(4549)}>`);
    const fc = body<Fc>(r);
    const ring = fc.features[0].geometry.coordinates[0] as number[][];
    expect(ring).toHaveLength(5);
    for (const [n, e] of ring) {
      expect(n).toBeGreaterThan(3_300_000);
      expect(e).toBeGreaterThan(400_000);
      expect(e).toBeLessThan(500_000);
      expect(Math.round(n * 100) / 100).toBe(n);
    }
  });

  it('refuses unknown CRSs with a 400 listing the supported ones', async () => {
    for (const q of ['crs=EPSG:4326', 'crs=http://www.opengis.net/def/crs/EPSG/0/2000', `bbox=1,2,3,4&bbox-crs=foo`, 'filter=pop>1&filter-crs=bar']) {
      const r = await get(`/collections/poi/items?${q}`);
      expect(r.statusCode, q).toBe(400);
      const p = body<{ code: string; detail: string; supported: string[] }>(r);
      expect(p.code).toBe('YITU_ERR_CRS_UNSUPPORTED');
      expect(p.supported).toContain(EPSG(4549));
    }
    expect((await get('/collections/poi/items/1?crs=EPSG:3857')).statusCode).toBe(400);
  });

  it('filters with bbox given in each bbox-crs (transformed to the storage CRS)', async () => {
    expect(await ids('bbox=119.95,30.41,120.01,30.51')).toEqual([4, 5, 6]);
    expect(await ids(`bbox=30.41,119.95,30.51,120.01&bbox-crs=${EPSG(4326)}`)).toEqual([4, 5, 6]);
    expect(await ids(`bbox=29.99,119.99,30.01,120.01&bbox-crs=${EPSG(4490)}`)).toEqual([1]);
    expect(await ids(`bbox=13358300,3503500,13358400,3503600&bbox-crs=${EPSG(3857)}`)).toEqual([1]);
    expect(await ids(`bbox=3320000,499900,3320200,500100&bbox-crs=${EPSG(4549)}`)).toEqual([1]);
    expect(await ids(`bbox=3320000,499900,3320200,500100&bbox-crs=${EPSG(4549)}&crs=${EPSG(3857)}`)).toEqual([1]);
    const swapped = await get(`/collections/poi/items?bbox=119.95,30.41,120.01,30.51&bbox-crs=${EPSG(4326)}`);
    expect(swapped.statusCode).toBe(400);
    expect(body<{ detail: string }>(swapped).detail).toContain('latitude, longitude');
  });

  it('reads filter geometries in filter-crs with its axis order', async () => {
    const f = (s: string) => encodeURIComponent(s);
    expect(await ids(`filter=${f('S_INTERSECTS(geometry, POINT(120 30))')}`)).toEqual([1]);
    expect(await ids(`filter=${f('S_INTERSECTS(geometry, POINT(30 120))')}&filter-crs=${EPSG(4326)}`)).toEqual([1]);
    expect(await ids(`filter=${f('S_INTERSECTS(geometry, BBOX(29.99, 119.99, 30.01, 120.01))')}&filter-crs=${EPSG(4490)}`)).toEqual([1]);
    expect(await ids(`filter=${f('S_WITHIN(geometry, BBOX(3320000, 499900, 3320200, 500100))')}&filter-crs=${EPSG(4549)}`)).toEqual([1]);
    expect(await ids(`filter=${f('S_INTERSECTS(geometry, POLYGON((13358300 3503500, 13358400 3503500, 13358400 3503600, 13358300 3503600, 13358300 3503500)))')}&filter-crs=${EPSG(3857)}`)).toEqual([1]);
    const json = JSON.stringify({ op: 's_intersects', args: [{ property: 'geometry' }, { type: 'Point', coordinates: [30, 120] }] });
    expect(await ids(`filter=${f(json)}&filter-lang=cql2-json&filter-crs=${EPSG(4326)}`)).toEqual([1]);
    const r = await get(`/collections/poi/items?filter=${f('S_INTERSECTS(geometry, POINT(120 30))')}&filter-crs=${EPSG(4326)}`);
    expect(r.statusCode).toBe(400);
  });
});
