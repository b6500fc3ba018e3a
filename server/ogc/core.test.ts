import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../test-support/databases.ts';
import { memorySource } from '../hub/formats/memory-source.ts';
import { CONFORMANCE_CLASSES } from './conformance.ts';
import { body, createDataset, type OgcTestApp, openOgcTestApp, poiFeatures } from './test-app.ts';

type Fc = {
  type: string;
  features: { id: number; geometry: { coordinates: number[] } | null; properties: Record<string, unknown> }[];
  numberMatched: number;
  numberReturned: number;
  numberMatchedEstimated?: boolean;
  links: { rel: string; href: string; type?: string }[];
  timeStamp: string;
};

/** Paths of the app's routes (from Fastify's route tree), with `:param` written `{}`. */
function routePaths(tree: string): Set<string> {
  const out = new Set<string>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)(?:├── |└── )(\S.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.replace(/\u00a0/g, ' '));
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack[depth] = m[2];
    const methods = (m[3] ?? '').split(',').map((s) => s.trim()).filter((s) => s && s !== 'HEAD' && s !== 'OPTIONS');
    if (methods.length) out.add(stack.join('').replace(/:[^/]+/g, '{}'));
  }
  return out;
}

describeEachBackend('OGC API – Features core', (kind) => {
  let t: OgcTestApp;
  const get = async (url: string) => t.app.inject({ url });
  const items = async (q: string) => {
    const r = await get(`/collections/poi/items?${q}`);
    expect(r.statusCode, r.body).toBe(200);
    return body<Fc>(r);
  };
  const ids = (fc: Fc) => fc.features.map((f) => f.id);

  beforeAll(async () => {
    t = await openOgcTestApp(kind, { publicUrl: 'https://yitu.example.gov.cn/' });
    await createDataset(t.services, 'poi', poiFeatures(), { titleZh: '兴趣点', titleEn: 'Points of interest', descriptionEn: 'POIs', temporalColumn: 'updated', keywords: ['poi'] });
    await createDataset(t.services, 'registry', [
      { geometry: null, properties: { code: '330521', name: '德清县' } },
      { geometry: null, properties: { code: '330521001', name: '武康街道' } },
    ], { titleEn: 'Register' });
  });
  afterAll(async () => t?.close());

  it('serves the landing page with absolute links from publicUrl', async () => {
    const r = await get('/');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('application/json');
    const links = body<{ links: { rel: string; href: string; type: string }[] }>(r).links;
    const rel = (x: string) => links.find((l) => l.rel === x)!;
    expect(rel('self').href).toBe('https://yitu.example.gov.cn/');
    expect(rel('service-desc')).toMatchObject({ href: 'https://yitu.example.gov.cn/api', type: 'application/vnd.oai.openapi+json;version=3.0' });
    expect(rel('conformance').href).toBe('https://yitu.example.gov.cn/conformance');
    expect(rel('data').href).toBe('https://yitu.example.gov.cn/collections');
  });

  it('declares the conformance classes of Parts 1–4 and CQL2', async () => {
    const c = body<{ conformsTo: string[] }>(await get('/conformance')).conformsTo;
    expect(c).toEqual([...CONFORMANCE_CLASSES]);
    for (const x of [
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
      'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
      'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
      'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
      'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
      'http://www.opengis.net/spec/cql2/1.0/conf/cql2-json',
      'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
      'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
      'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-operators',
      'http://www.opengis.net/spec/cql2/1.0/conf/spatial-operators',
      'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete',
      'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update',
      'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features',
    ]) expect(c).toContain(x);
    expect(c.some((x) => x.endsWith('queryables-query-parameters'))).toBe(false);
  });

  it('describes every route in a valid OpenAPI 3.0 document, and only routes that exist', async () => {
    const r = await get('/api');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('application/vnd.oai.openapi+json;version=3.0');
    const doc = body<{ openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, unknown>> }>(r);
    expect(doc.openapi).toMatch(/^3\.0\.\d$/);
    expect(doc.info.title).toBeTruthy();
    // Every $ref resolves inside the document.
    const refs = [...r.body.matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      const target = ref.split('/').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc);
      expect(target, ref).toBeDefined();
    }
    // Every operation has responses; every templated path declares its path parameters.
    const methods = ['get', 'put', 'post', 'patch', 'delete'];
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      documented.add(path.replace(/\{[^}]+\}/g, '{}'));
      for (const m of methods.filter((x) => item[x])) {
        expect((item[m] as { responses: object }).responses, `${m} ${path}`).toBeTruthy();
      }
      const declared = JSON.stringify(item);
      for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
        expect(declared.includes(`"name":"${name}"`) || declared.includes(`parameters/${name}"`), `${path} declares ${name}`).toBe(true);
      }
    }
    const routes = routePaths(t.app.printRoutes({ commonPrefix: false }));
    expect(routes.size).toBeGreaterThan(15);
    for (const route of routes) expect(documented, `route ${route} is in /api`).toContain(route);
    for (const path of documented) expect(routes, `documented ${path} exists`).toContain(path);
    // GDAL (≤ 3.6) reads the filter languages from the items parameters.
    expect(r.body).toContain('"cql-text"');
  });

  it('lists the datasets as collections with titles, extents, CRSs and links', async () => {
    const r = await get('/collections');
    expect(r.statusCode).toBe(200);
    const cs = body<{ collections: Record<string, any>[] }>(r).collections;
    expect(cs.map((c) => c.id).sort()).toEqual(['poi', 'registry']);
    const poi = cs.find((c) => c.id === 'poi')!;
    expect(poi.title).toBe('兴趣点');
    expect(poi['yitu:title']).toEqual({ zh: '兴趣点', en: 'Points of interest' });
    expect(poi.description).toBe('POIs');
    expect(poi.itemType).toBe('feature');
    expect(poi.extent.spatial.crs).toBe('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
    const [minx, miny, maxx, maxy] = poi.extent.spatial.bbox[0];
    expect([minx, miny, maxx, maxy].map((v: number) => Math.round(v * 100) / 100)).toEqual([119.92, 30, 120.08, 30.58]);
    expect(poi.extent.temporal.interval[0][0]).toMatch(/^2024-01-15T08:00:00/);
    expect(poi.crs).toContain('http://www.opengis.net/def/crs/EPSG/0/4549');
    expect(poi.storageCrs).toBe('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
    const link = (rel: string) => poi.links.find((l: { rel: string }) => l.rel === rel);
    expect(link('items')).toMatchObject({ href: 'https://yitu.example.gov.cn/collections/poi/items', type: 'application/geo+json' });
    expect(link('describedby').href).toBe('https://yitu.example.gov.cn/datasets/poi');
    expect(link('http://www.opengis.net/def/rel/ogc/1.0/queryables').href).toBe('https://yitu.example.gov.cn/collections/poi/queryables');
    const reg = cs.find((c) => c.id === 'registry')!;
    expect(reg.title).toBe('Register');
    expect(reg.extent?.spatial).toBeUndefined();
    const one = await get('/collections/poi');
    expect(body(one)).toEqual(poi);
    const missing = await get('/collections/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
  });

  it('pages with limit and offset, keeping the other parameters in next/prev links', async () => {
    const first = await items('limit=3&sortby=pop');
    expect(first.type).toBe('FeatureCollection');
    expect(first.numberMatched).toBe(10);
    expect(first.numberReturned).toBe(3);
    expect(ids(first)).toEqual([1, 2, 3]);
    expect(first.timeStamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(first.links.find((l) => l.rel === 'prev')).toBeUndefined();
    const next = new URL(first.links.find((l) => l.rel === 'next')!.href);
    expect(next.origin).toBe('https://yitu.example.gov.cn');
    expect(next.searchParams.get('sortby')).toBe('pop');
    expect(next.searchParams.get('offset')).toBe('3');
    const second = await items(next.search.slice(1));
    expect(ids(second)).toEqual([4, 5, 6]);
    expect(new URL(second.links.find((l) => l.rel === 'prev')!.href).searchParams.get('offset')).toBe('0');
    const last = await items('limit=3&offset=9');
    expect(ids(last)).toEqual([10]);
    expect(last.links.find((l) => l.rel === 'next')).toBeUndefined();
    const beyond = await items('limit=3&offset=50');
    expect(beyond.numberReturned).toBe(0);
    expect(beyond.numberMatched).toBe(10);
    expect((await items('')).numberReturned).toBe(10);
  });

  it('clamps limit to the maximum and refuses bad limits and offsets', async () => {
    const cfg = t.services.config;
    const before = [cfg.itemsMaxLimit, cfg.itemsDefaultLimit];
    cfg.itemsMaxLimit = 4;
    cfg.itemsDefaultLimit = 2;
    try {
      expect((await items('')).numberReturned).toBe(2);
      const fc = await items('limit=50');
      expect(fc.numberReturned).toBe(4);
      expect(new URL(fc.links.find((l) => l.rel === 'next')!.href).searchParams.get('limit')).toBe('4');
    } finally {
      [cfg.itemsMaxLimit, cfg.itemsDefaultLimit] = before;
    }
    for (const q of ['limit=0', 'limit=-1', 'limit=abc', 'offset=-2', 'offset=1.5', 'limit=1&limit=2']) {
      const r = await get(`/collections/poi/items?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(body<{ code: string }>(r).code).toBe('YITU_ERR_QUERY_PARAM_INVALID');
    }
  });

  it('refuses unknown query parameters (listing the allowed ones) and formats other than JSON', async () => {
    const r = await get('/collections/poi/items?colour=red');
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const p = body<{ detail: string; allowed: string[] }>(r);
    expect(p.detail).toContain('colour');
    expect(p.allowed).toContain('filter-lang');
    expect((await get('/collections/poi/items?f=json')).statusCode).toBe(200);
    expect((await get('/collections/poi/items?f=geojson')).statusCode).toBe(200);
    for (const url of ['/collections/poi/items?f=html', '/?f=xml', '/collections?f=html', '/collections/poi/items/1?f=csv']) {
      const x = await get(url);
      expect(x.statusCode, url).toBe(400);
      expect(body<{ detail: string }>(x).detail).toContain('f=json');
    }
    expect((await get('/collections/poi/items/1?colour=red')).statusCode).toBe(400);
  });

  it('filters by bbox and counts the matches; refuses bad boxes', async () => {
    const fc = await items('bbox=119.95,30.41,120.01,30.51');
    expect(ids(fc)).toEqual([4, 5, 6]);
    expect(fc.numberMatched).toBe(3);
    const paged = await items('bbox=119.95,30.41,120.01,30.51&limit=2');
    expect(paged.numberMatched).toBe(3);
    expect(paged.links.some((l) => l.rel === 'next')).toBe(true);
    // the count comes with the page (the embedded database) or beside it (a server): the same answer
    // on a middle page, a last page, and a page past the end (an empty page counts apart)
    const middle = await items('bbox=119.95,30.41,120.01,30.51&limit=1&offset=1');
    expect([ids(middle), middle.numberMatched, middle.numberMatchedEstimated]).toEqual([[5], 3, undefined]);
    expect((await items('bbox=119.95,30.41,120.01,30.51&limit=2&offset=2')).numberMatched).toBe(3);
    const past = await items('bbox=119.95,30.41,120.01,30.51&limit=2&offset=5');
    expect([past.numberReturned, past.numberMatched]).toEqual([0, 3]);
    expect((await items('bbox=0,0,1,1')).numberReturned).toBe(0);
    expect(ids(await items('bbox=119.95,30.41,0,120.01,30.51,100'))).toEqual([4, 5, 6]);
    for (const q of ['bbox=1,2,3', 'bbox=a,b,c,d', 'bbox=-200,0,10,10', 'bbox=0,-95,10,10', 'bbox=10,0,0,10', 'bbox-crs=http://www.opengis.net/def/crs/EPSG/0/3857']) {
      const r = await get(`/collections/poi/items?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('estimates numberMatched from the planner above the exact-count threshold', async () => {
    const cfg = t.services.config;
    const before = cfg.exactCountThreshold;
    cfg.exactCountThreshold = 1;
    try {
      const fc = await items('bbox=119,29,121,31&limit=2');
      expect(fc.numberMatchedEstimated).toBe(true);
      expect(fc.numberMatched).toBeGreaterThan(0);
      expect(fc.links.some((l) => l.rel === 'next')).toBe(true);
      // Without bbox/datetime/filter the catalog's count is exact.
      const all = await items('limit=2');
      expect(all.numberMatched).toBe(10);
      expect(all.numberMatchedEstimated).toBeUndefined();
    } finally {
      cfg.exactCountThreshold = before;
    }
    const exact = await items('bbox=119,29,121,31&limit=2');
    expect(exact.numberMatched).toBe(10);
    expect(exact.numberMatchedEstimated).toBeUndefined();
  });

  it('filters by datetime on the temporal column: instants, intervals, open intervals', async () => {
    expect(ids(await items('datetime=2024-01-15'))).toEqual([1, 10]);
    expect(ids(await items('datetime=2024-05-15T08:00:00Z'))).toEqual([5]);
    expect(ids(await items('datetime=2024-05-15T16:00:00%2B08:00'))).toEqual([5]);
    expect(ids(await items('datetime=2024-03-01/2024-04-30'))).toEqual([3, 4]);
    expect(ids(await items('datetime=../2024-02-15T08:00:00Z'))).toEqual([1, 2, 10]);
    expect(ids(await items('datetime=2024-09-01/..'))).toEqual([9]);
    expect((await items('datetime=2024-03-01/2024-04-30')).numberMatched).toBe(2);
    for (const q of ['datetime=yesterday', 'datetime=2024-13-01', 'datetime=2024-05-01/2024-04-01', 'datetime=a/b/c', 'datetime=2024-02-30']) {
      const r = await get(`/collections/poi/items?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(body<{ code: string }>(r).code).toBe('YITU_ERR_DATETIME_INVALID');
    }
    // A dataset without a temporal column ignores datetime.
    const reg = await get('/collections/registry/items?datetime=2024-01-01');
    expect(body<Fc>(reg).numberReturned).toBe(2);
  });

  it('returns a subset of properties, and refuses unknown ones', async () => {
    const fc = await items('properties=name,pop&limit=1');
    expect(fc.features[0].properties).toEqual({ name: '德清县人民政府', pop: 0 });
    expect((await items('properties=&limit=1')).features[0].properties).toEqual({});
    const r = await get('/collections/poi/items?properties=name,colour');
    expect(r.statusCode).toBe(400);
    expect(body<{ detail: string }>(r).detail).toContain('colour');
  });

  it('outputs every column type as GeoJSON with the feature id', async () => {
    const f = (await items('limit=1')).features[0];
    expect(f.id).toBe(1);
    expect(f.geometry).toEqual({ type: 'Point', coordinates: [120, 30] });
    expect(f.properties).toMatchObject({ name: '德清县人民政府', kind: 'government', pop: 0, area: 0, open: true, built: '2010-06-01', attrs: { floors: 0 } });
    expect(Date.parse(f.properties.updated as string)).toBe(Date.parse('2024-01-15T08:00:00Z'));
    const four = (await items('limit=1&offset=3')).features[0];
    expect(four.properties.note).toBeNull();
  });

  it('sorts by sortby with the feature id as tie breaker, and refuses unknown keys', async () => {
    expect(ids(await items('sortby=-pop'))).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(ids(await items('sortby=kind,-pop'))).toEqual([10, 2, 1, 3, 9, 6, 5, 4, 8, 7]);
    expect(ids(await items('sortby=%2Bkind,-id'))).toEqual([10, 2, 1, 3, 9, 6, 5, 4, 8, 7]);
    expect(ids(await items('sortby=open&limit=2'))).toEqual([2, 4]);
    const r = await get('/collections/poi/items?sortby=colour');
    expect(r.statusCode).toBe(400);
    expect(body<{ detail: string }>(r).detail).toContain('colour');
  });

  it('serves one feature with an ETag, and 404 for unknown ones', async () => {
    const r = await get('/collections/poi/items/2');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('application/geo+json');
    expect(r.headers.etag).toMatch(/^"2-\d+"$/);
    const f = body<{ id: number; properties: { name: string }; links: { rel: string }[] }>(r);
    expect(f.id).toBe(2);
    expect(f.properties.name).toBe('武康街道办事处');
    expect(f.links.map((l) => l.rel)).toEqual(['self', 'collection']);
    const again = await t.app.inject({ url: '/collections/poi/items/2', headers: { 'if-none-match': r.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    for (const url of ['/collections/poi/items/999', '/collections/poi/items/abc', '/collections/poi/items/0', '/collections/nope/items/1']) {
      const x = await get(url);
      expect(x.statusCode, url).toBe(404);
      expect(x.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('serves features without geometry for table datasets', async () => {
    const fc = body<Fc>(await get('/collections/registry/items'));
    expect(fc.features.map((f) => f.geometry)).toEqual([null, null]);
    expect(fc.features[0].properties).toEqual({ code: '330521', name: '德清县' });
  });

  it('serves new datasets and new versions at once, and older versions with ?version', async () => {
    await createDataset(t.services, 'towns', [{ geometry: { type: 'Point', coordinates: [119.97, 30.54] }, properties: { name: '武康' } }]);
    const cs = body<{ collections: { id: string }[] }>(await get('/collections')).collections;
    expect(cs.map((c) => c.id)).toContain('towns');
    expect(body<Fc>(await get('/collections/towns/items')).numberMatched).toBe(1);
    await t.services.hub.importAndWait({
      datasetId: 'towns', mode: 'append', source: memorySource([{ geometry: { type: 'Point', coordinates: [120.1, 30.6] }, properties: { name: '新市' } }]),
    });
    const now = body<Fc>(await get('/collections/towns/items'));
    expect(now.features.map((f) => f.properties.name)).toEqual(['武康', '新市']);
    expect(body<Record<string, unknown>>(await get('/collections/towns'))['yitu:version']).toBe(2);
    const v1 = body<Fc>(await get('/collections/towns/items?version=1'));
    expect(v1.features.map((f) => f.properties.name)).toEqual(['武康']);
    expect(v1.numberMatched).toBe(1);
    expect(body<Fc>(await get('/collections/towns/items?version=1&bbox=119,30,121,31')).numberMatched).toBe(1);
    expect((await get('/collections/towns/items/2?version=1')).statusCode).toBe(404);
    expect((await get('/collections/towns/items/2?version=2')).statusCode).toBe(200);
    for (const v of ['3', '0']) {
      const r = await get(`/collections/towns/items?version=${v}`);
      expect(r.statusCode, v).toBe(v === '0' ? 400 : 404);
    }
  });

  it('counts feature reads as uses of the dataset', async () => {
    await t.services.hub.flushUsage();
    const before = (await t.services.hub.get('registry')).usageCount;
    await get('/collections/registry/items');
    await get('/collections/registry/items/1');
    // Uses are added up in memory and written in one statement at the next flush.
    expect((await t.services.hub.get('registry')).usageCount).toBe(before);
    await t.services.hub.flushUsage();
    expect((await t.services.hub.get('registry')).usageCount).toBe(before + 2);
  });
});
