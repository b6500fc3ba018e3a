/**
 * Interoperability with @camptocamp/ogc-client, the OGC API client of geOrchestra and GeoNetwork UIs.
 *
 * The library's Node build (package "main": dist/dist-node.js) polyfills what it takes from the
 * browser: it sets `globalThis.location` to http://localhost (it resolves every URL against it),
 * `CustomEvent`, `Blob` and `fetch` (node-fetch) when missing, and runs its worker tasks on the main
 * thread. Node 20 has `fetch`, `Blob` and `CustomEvent`, and has no Cache Storage (`caches`), so the
 * library keeps no persistent cache between calls here. Nothing else has to be polyfilled.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type OgcApiCollectionItem, OgcApiEndpoint } from '@camptocamp/ogc-client';
import { describeEachBackend } from '../test-support/databases.ts';
import { createDataset, type OgcTestApp, openOgcTestApp, poiFeatures } from './test-app.ts';

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const EPSG = 'http://www.opengis.net/def/crs/EPSG/0/';

/** A property of an item (the library types items as OGC API Records, whose properties differ). */
const prop = (f: OgcApiCollectionItem, name: string): unknown => (f.properties as unknown as Record<string, unknown>)[name];

describeEachBackend('@camptocamp/ogc-client reads Yitu as an OGC API – Features server', (kind) => {
  let t: OgcTestApp;
  let base = '';
  let endpoint: OgcApiEndpoint;
  const requests: string[] = [];
  /** Items requests seen by the server since the last reset. */
  const itemRequests = () => requests.filter((r) => r.startsWith('/collections/poi/items'));

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    // The client reads over HTTP without credentials, as the public reads public data.
    await createDataset(t.services, 'poi', poiFeatures(), { titleZh: '兴趣点', titleEn: 'Points of interest', descriptionEn: 'POIs', temporalColumn: 'updated', classification: 'public' });
    await createDataset(t.services, 'registry', [
      { geometry: null, properties: { code: '330521', name: '德清县' } },
      { geometry: null, properties: { code: '330521001', name: '武康街道' } },
    ], { titleEn: 'Register', classification: 'public' });
    t.app.addHook('onRequest', async (req) => {
      requests.push(decodeURIComponent(req.url.replace(/\+/g, ' ')));
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = t.app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    endpoint = new OgcApiEndpoint(`${base}/`);
  });
  afterAll(async () => t?.close());

  it('reads the landing page (endpoint info) and the conformance classes', async () => {
    const info = await endpoint.info;
    expect(info.title).toBe('Yitu (一图)');
    expect(info.description).toContain('OGC API – Features');
    const classes = await endpoint.conformanceClasses;
    expect(classes).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core');
    expect(classes).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson');
    expect(classes).toContain('http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter');
    expect(classes).toContain('http://www.opengis.net/spec/cql2/1.0/conf/cql2-text');
    expect(await endpoint.hasFeatures).toBe(true);
    // Yitu serves vector tiles (OGC API – Tiles), but neither styles nor records.
    expect(await endpoint.hasTiles).toBe(true);
    expect(await endpoint.hasStyles).toBe(false);
    expect(await endpoint.hasRecords).toBe(false);
  });

  it('lists the feature collections', async () => {
    expect((await endpoint.featureCollections).sort()).toEqual(['poi', 'registry']);
    const all = await endpoint.allCollections;
    expect(all.find((c) => c.name === 'poi')).toMatchObject({ name: 'poi', hasFeatures: true });
    expect(await endpoint.recordCollections).toEqual([]);
    // Collections with geometry have vector tiles; the table without geometry has none.
    expect(await endpoint.vectorTileCollections).toEqual(['poi']);
    expect(await endpoint.getVectorTilesetUrl('poi')).toBe(`${base}/collections/poi/tiles/WebMercatorQuad`);
  });

  it('also works from a URL pointing inside the API (collections/, a collection)', async () => {
    // The library climbs from a nested URL to the landing page by dropping path segments. It never
    // climbs from a one-segment path such as http://host/collections (its getParentPath returns null
    // below two segments, expecting an app prefix like /ogcapi/), so `${base}/collections` fails in
    // the library whatever the server says; with the trailing slash it climbs to `/`.
    const fromCollections = new OgcApiEndpoint(`${base}/collections/`);
    expect((await fromCollections.featureCollections).sort()).toEqual(['poi', 'registry']);
    requests.length = 0;
    const fromCollection = new OgcApiEndpoint(`${base}/collections/poi`);
    expect(await fromCollection.featureCollections).toEqual(['poi']);
    expect((await fromCollection.info).title).toBe((await endpoint.info).title);
    // It found the landing page through `/collections/` (which Yitu answers like `/collections`).
    expect(requests.slice(0, 3)).toEqual(['/collections/poi?f=json', '/collections/?f=json', '/?f=json']);
    expect((await fromCollection.getCollectionItems('poi', 1))[0].id).toBe(1);
  });

  it('reads a collection: title, extent (bbox), CRS list, item formats and queryables', async () => {
    const c = await endpoint.getCollectionInfo('poi');
    expect(c.id).toBe('poi');
    expect(c.title).toBe('兴趣点');
    expect(c.description).toBe('POIs');
    expect(c.itemType).toBe('feature');
    expect(c.itemFormats).toContain('application/geo+json');
    expect(c.crs[0]).toBe(CRS84);
    expect(c.crs).toEqual(expect.arrayContaining([`${EPSG}4326`, `${EPSG}4490`, `${EPSG}3857`, `${EPSG}4549`]));
    expect(c.storageCrs).toBe(CRS84);
    // The model types `extent` as a BoundingBox, but it passes the server's OGC extent object through.
    const extent = c.extent as unknown as { spatial: { bbox: number[][]; crs: string }; temporal: { interval: string[][] } };
    expect(extent.spatial.crs).toBe(CRS84);
    expect(extent.spatial.bbox[0].map((v) => Math.round(v * 100) / 100)).toEqual([119.92, 30, 120.08, 30.58]);
    expect(extent.temporal.interval[0][0]).toMatch(/^2024-01-15T08:00:00/);
    const q = Object.fromEntries(c.queryables.map((p) => [p.name, p.type]));
    expect(Object.keys(q)).toEqual(expect.arrayContaining(['id', 'geometry', 'name', 'kind', 'pop', 'area', 'open', 'built', 'updated', 'attrs', 'note']));
    expect(q).toMatchObject({ id: 'integer', name: 'string', kind: 'string', pop: 'integer', area: 'number' });
    expect(c.queryables.find((p) => p.name === 'name')?.title).toBe('name');
    // Yitu links no sortables document (Part 5 draft); the library then reports none.
    expect(c.sortables).toEqual([]);
    expect(c.vectorTileFormats).toEqual(['application/vnd.mapbox-vector-tile']);
    expect(c.mapTileFormats).toEqual([]);
    const reg = await endpoint.getCollectionInfo('registry');
    expect(reg.title).toBe('Register');
    expect(Object.keys(Object.fromEntries(reg.queryables.map((p) => [p.name, p])))).toEqual(expect.arrayContaining(['code', 'name']));
    await expect(endpoint.getCollectionInfo('nope')).rejects.toThrow(/Collection not found/);
  });

  it('fetches items as GeoJSON with a limit, and pages with offset', async () => {
    requests.length = 0;
    const first = await endpoint.getCollectionItems('poi', 3);
    expect(first.map((f) => f.id)).toEqual([1, 2, 3]);
    expect(first[0].type).toBe('Feature');
    expect(first[0].geometry).toEqual({ type: 'Point', coordinates: [120, 30] });
    expect(first[0].properties).toMatchObject({ name: '德清县人民政府', kind: 'government', pop: 0 });
    const second = await endpoint.getCollectionItems('poi', 3, 3);
    expect(second.map((f) => f.id)).toEqual([4, 5, 6]);
    expect(itemRequests().some((r) => /limit=3/.test(r) && /offset=3/.test(r))).toBe(true);
    expect((await endpoint.getCollectionItems('poi', 100)).length).toBe(10);
  });

  // Positional arguments: (collectionId, limit, offset, skipGeometry, sortBy, boundingBox, properties,
  // dateTime, query); `undefined` leaves one out (the library's defaults are null, meaning "not sent").
  it('fetches items within a bbox (sent to the server)', async () => {
    requests.length = 0;
    const items = await endpoint.getCollectionItems('poi', 10, 0, undefined, undefined, [119.95, 30.41, 120.01, 30.51]);
    expect(items.map((f) => prop(f, 'name'))).toEqual(['新市镇中学', '莫干山景区', '下渚湖湿地']);
    expect(items[2].geometry).toEqual({ type: 'Point', coordinates: [120, 30.5] });
    expect(itemRequests().some((r) => r.includes('bbox=119.95,30.41,120.01,30.51'))).toBe(true);
  });

  it('sorts, selects properties and filters by datetime', async () => {
    const sorted = await endpoint.getCollectionItems('poi', 3, 0, undefined, ['-pop']);
    expect(sorted.map((f) => f.id)).toEqual([10, 9, 8]);
    const props = await endpoint.getCollectionItems('poi', 2, 0, undefined, undefined, undefined, ['name', 'kind']);
    expect(Object.keys(props[0].properties).sort()).toEqual(['kind', 'name']);
    // updated is 2024-0(i % 9 + 1)-15: January for features 1 and 10, February for 2, March for 3.
    const q1 = await endpoint.getCollectionItems('poi', 10, 0, undefined, ['pop'], undefined, undefined, {
      start: new Date('2024-01-01T00:00:00Z'),
      end: new Date('2024-03-31T00:00:00Z'),
    });
    expect(q1.map((f) => f.id)).toEqual([1, 2, 3, 10]);
    const open = await endpoint.getCollectionItems('poi', 10, 0, undefined, ['pop'], undefined, undefined, { start: new Date('2024-08-01T00:00:00Z') });
    expect(open.map((f) => f.id)).toEqual([8, 9]);
  });

  it('fetches a feature by id', async () => {
    const f = await endpoint.getCollectionItem('poi', '7');
    expect(f.id).toBe(7);
    expect(f.type).toBe('Feature');
    expect(prop(f, 'name')).toBe('Deqing Station');
    expect(f.geometry).toEqual({ type: 'Point', coordinates: [120.02, 30.52] });
    await expect(endpoint.getCollectionItem('poi', '999')).rejects.toThrow(/could not be fetched/);
  });

  it('sends a CQL2 filter through the free-form query of getCollectionItems', async () => {
    requests.length = 0;
    const byName = await endpoint.getCollectionItems('poi', 10, 0, undefined, undefined, undefined, undefined, undefined, "filter=name = 'Deqing Station'&filter-lang=cql2-text");
    expect(byName.map((f) => f.id)).toEqual([7]);
    expect(itemRequests().some((r) => r.includes("filter=name = 'Deqing Station'"))).toBe(true);
    const chinese = await endpoint.getCollectionItems('poi', 10, 0, undefined, ['pop'], undefined, undefined, undefined, "filter=kind = 'scenic' AND name LIKE '%湖%'");
    expect(chinese.map((f) => prop(f, 'name'))).toEqual(['下渚湖湿地']);
    const spatial = await endpoint.getCollectionItems('poi', 10, 0, undefined, ['pop'], undefined, undefined, undefined, 'filter=S_INTERSECTS(geometry, POLYGON((119.95 30.41, 120.01 30.41, 120.01 30.51, 119.95 30.51, 119.95 30.41)))');
    expect(spatial.map((f) => f.id)).toEqual([4, 5, 6]);
  });

  it('builds items URLs with an output CRS and a bbox CRS that Yitu honours', async () => {
    const url = await endpoint.getCollectionItemsUrl('poi', {
      asJson: true,
      limit: 10,
      outputCrs: `${EPSG}4490`,
      extent: [30.41, 119.95, 30.51, 120.01],
      extentCrs: `${EPSG}4490`,
    });
    expect(url.startsWith(`${base}/collections/poi/items?`)).toBe(true);
    const res = await fetch(url);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('content-crs')).toBe(`<${EPSG}4490>`);
    const fc = (await res.json()) as { features: { id: number; geometry: { coordinates: number[] } }[] };
    expect(fc.features.map((f) => f.id)).toEqual([4, 5, 6]);
    // EPSG:4490 is latitude, longitude.
    expect(fc.features[2].geometry.coordinates).toEqual([30.5, 120]);
  });

  // The library types a geometry queryable only from a `$ref` naming a GeoJSON schema; Yitu writes it next to Part 3's `format`.
  it('types the geometry queryable as a point', async () => {
    const c = await endpoint.getCollectionInfo('poi');
    expect(c.queryables.find((p) => p.name === 'geometry')?.type).toBe('point');
  });

  // The library's skipGeometry option sends `skipGeometry=true` (not in Parts 1–4; Yitu accepts it as an extension).
  it('skips geometries when asked (skipGeometry=true)', async () => {
    const items = await endpoint.getCollectionItems('poi', 2, 0, true);
    expect(items.map((f) => f.geometry)).toEqual([null, null]);
  });
});
