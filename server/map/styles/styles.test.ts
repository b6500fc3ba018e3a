import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FixtureFeature, type OgcTestApp, body, createDataset, openOgcTestApp } from '../../ogc/test-app.ts';
import { describeEachBackend } from '../../test-support/databases.ts';
import { classify } from './classify.ts';

/** Points with a value column: 1…10 (v), two clusters of three and one of three (w), a text column. */
function valueFeatures(): FixtureFeature[] {
  const w = [1, 2, 3, 10, 11, 12, 30, 31, 32, null];
  return Array.from({ length: 10 }, (_, i) => ({
    geometry: { type: 'Point', coordinates: [120 + i * 0.01, 30.5] },
    properties: { v: i + 1, w: w[i], big: i * 10, kind: i % 3 === 0 ? 'school' : i % 3 === 1 ? 'hospital' : 'park', name: `点${i}` },
  }));
}

describeEachBackend('dataset styles and classification', (kind) => {
  let t: OgcTestApp;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const put = (url: string, payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'PUT', url, payload: payload as object, headers });

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    await createDataset(t.services, 'values', valueFeatures(), { titleZh: '数值点', titleEn: 'Value points', theme: 'socioeconomic' });
    await createDataset(t.services, 'plain', [{ geometry: null, properties: { a: 1 } }]);
  });
  afterAll(async () => t?.close());

  it('classifies with equal intervals from min and max, with counts', async () => {
    const r = await get('/collections/values/classify?field=big&method=equal&classes=3');
    expect(r.statusCode).toBe(200);
    expect(body(r)).toEqual({ field: 'big', method: 'equal', classes: 3, breaks: [0, 30, 60, 90], counts: [3, 3, 4], min: 0, max: 90, count: 10, sampled: false });
  });

  it('classifies by quantiles (percentile_cont), by hand: 1…10 in 5 classes', async () => {
    const c = body<{ breaks: number[]; counts: number[] }>(await get('/collections/values/classify?field=v&method=quantile&classes=5'));
    // percentile_cont(p) over 1…10 = 1 + 9p.
    expect(c.breaks).toEqual([1, 2.8, 4.6, 6.4, 8.2, 10]);
    expect(c.counts).toEqual([2, 2, 2, 2, 2]);
  });

  it('classifies by natural breaks (Ckmeans), finding the three clusters; nulls are left out', async () => {
    const c = body<{ breaks: number[]; counts: number[]; count: number; classes: number }>(await get('/collections/values/classify?field=w&method=jenks&classes=3'));
    expect(c).toMatchObject({ breaks: [1, 10, 30, 32], counts: [3, 3, 3], count: 9, classes: 3 });
    // Fewer distinct values than classes: fewer classes (nine values make at most eight intervals, the last one closed).
    const few = body<{ classes: number; breaks: number[]; counts: number[] }>(await get('/collections/values/classify?field=w&method=jenks&classes=12'));
    expect(few).toMatchObject({ classes: 8, breaks: [1, 2, 3, 10, 11, 12, 30, 31, 32], counts: [1, 1, 1, 1, 1, 1, 1, 2] });
  });

  it('computes natural breaks of a big table from a deterministic sample, and still counts every feature', async () => {
    const ds = await t.services.hub.get('values');
    const a = await classify(t.services.db, ds, 'big', 'jenks', 3, { maxValues: 4 });
    const b = await classify(t.services.db, ds, 'big', 'jenks', 3, { maxValues: 4 });
    expect(a.sampled).toBe(true);
    expect(a).toEqual(b);
    expect(a.breaks[0]).toBe(0);
    expect(a.breaks.at(-1)).toBe(90);
    expect(a.counts.reduce((x, y) => x + y, 0)).toBe(10);
    expect((await classify(t.services.db, ds, 'big', 'jenks', 3)).sampled).toBe(false);
  });

  it('refuses non-numeric and unknown fields, bad methods and class counts with a 400', async () => {
    const text = await get('/collections/values/classify?field=kind');
    expect(text.statusCode).toBe(400);
    expect(body(text).detail).toMatch(/Field "kind" of "values" is text; only numbers can be classified. Numeric fields: v \(integer\), w \(integer\), big \(integer\)/);
    expect(body(await get('/collections/values/classify?field=nope')).detail).toMatch(/"nope" is not a field of dataset "values"/);
    expect((await get('/collections/values/classify?field=v&method=kmeans')).statusCode).toBe(400);
    expect((await get('/collections/values/classify?field=v&classes=40')).statusCode).toBe(400);
    expect((await get('/collections/values/classify')).statusCode).toBe(400);
    expect((await get('/collections/nothing/classify?field=v')).statusCode).toBe(404);
  });

  it('serves a default style, stores an edited one with breaks computed once, and goes back to the default', async () => {
    const d = await get('/collections/values/style');
    expect(d.statusCode).toBe(200);
    expect(body(d)).toMatchObject({ dataset: 'values', stored: false, style: { kind: 'categories', field: 'kind' } });
    const etag = d.headers.etag as string;
    expect(etag).toBe('"d1"');

    const p = await put('/collections/values/style', { kind: 'graduated', field: 'v', method: 'equal', classes: 3, ramp: 'blues' }, { 'if-match': etag });
    expect(p.statusCode).toBe(200);
    expect(body(p)).toMatchObject({ stored: true, style: { kind: 'graduated', breaks: [1, 4, 7, 10], classes: 3 } });
    expect(p.headers.etag).toBe('"s1"');
    const again = await get('/collections/values/style');
    expect(body(again).style).toEqual(body(p).style);

    const stale = await put('/collections/values/style', { kind: 'simple' }, { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    expect(body(stale).code).toBe('YITU_ERR_PRECONDITION_FAILED');

    const prop = await put('/collections/values/style', { kind: 'proportional', field: 'big' }, { 'if-match': '"s1"' });
    expect(body(prop)).toMatchObject({ style: { kind: 'proportional', maxValue: 90 } });
    expect(prop.headers.etag).toBe('"s2"');

    const del = await t.app.inject({ method: 'DELETE', url: '/collections/values/style' });
    expect(del.statusCode).toBe(200);
    expect(body(del)).toMatchObject({ stored: false, style: { kind: 'categories' } });
  });

  it('refuses a style naming an unknown field with a 400 that lists the fields', async () => {
    const r = await put('/collections/values/style', { kind: 'graduated', field: 'height' });
    expect(r.statusCode).toBe(400);
    expect(body(r).code).toBe('YITU_ERR_STYLE_INVALID');
    expect(body(r).detail).toMatch(/graduated field "height" is not a field of dataset "values". Its fields are: v \(integer\), w \(integer\), big \(integer\), kind \(text\), name \(text\)/);
    expect(body(r).fields).toEqual(['v', 'w', 'big', 'kind', 'name']);
    expect((await put('/collections/values/style', { kind: 'simple', symbol: { fill: 'blue' } })).statusCode).toBe(400);
    expect((await put('/collections/plain/style', { kind: 'simple' })).statusCode).toBe(404);
  });

  it('serves a valid MapLibre fragment with a tile source asking only for the attributes needed', async () => {
    await put('/collections/values/style', { kind: 'graduated', field: 'v', method: 'quantile', classes: 5, label: { field: 'name' } });
    const r = await get('/collections/values/style.json?lang=en');
    expect(r.statusCode).toBe(200);
    const doc = body<Record<string, any>>(r);
    expect(validateStyleMin(doc as never)).toEqual([]);
    expect(doc.sources.values.tiles[0]).toBe('http://localhost:80/collections/values/tiles/WebMercatorQuad/{z}/{y}/{x}?properties=v,name');
    expect(doc.sources.values.bounds).toEqual([120, 30.5, 120.09, 30.5]);
    expect(doc.name).toBe('Value points');
    expect(doc.metadata['yitu:legend'][0]).toMatchObject({ title: 'Value points', field: 'v', entries: [{ label: '1 – 2.8' }, {}, {}, {}, { label: '8.2 – 10' }] });
    expect(doc.layers.map((l: { id: string }) => l.id)).toEqual(['values-cluster', 'values-cluster-count', 'values-circle', 'values-label']);
    expect((await get('/collections/values/style.json?lang=fr')).statusCode).toBe(400);
  });

  it('compiles a style sent with POST (a map layer\'s own) without storing it, and refuses one that does not fit', async () => {
    const before = body<Record<string, any>>(await get('/collections/values/style'));
    const post = (payload: unknown) => t.app.inject({ method: 'POST', url: '/collections/values/style.json?lang=zh', payload: payload as object });
    const r = await post({ style: { kind: 'graduated', field: 'big', method: 'equal', classes: 3, ramp: 'greens' }, label: null, title: '我的图层' });
    expect(r.statusCode).toBe(200);
    const doc = body<Record<string, any>>(r);
    expect(validateStyleMin(doc as never)).toEqual([]);
    // Breaks computed from the data, the legend titled as asked, labels off, only the field read by the tiles.
    expect(doc.metadata['yitu:style']).toMatchObject({ kind: 'graduated', field: 'big', breaks: [0, 30, 60, 90], label: null });
    expect(doc.metadata['yitu:legend'][0]).toMatchObject({ title: '我的图层', field: 'big', entries: [{ label: '0 – 30' }, {}, {}] });
    expect(doc.sources.values.tiles[0]).toMatch(/\?properties=big$/);
    expect(doc.layers.some((l: { id: string }) => l.id === 'values-label')).toBe(false);
    // Nothing stored: the dataset's style is as before.
    expect(body<Record<string, any>>(await get('/collections/values/style'))).toEqual(before);
    // No style: the dataset's own.
    expect(body<Record<string, any>>(await post({ style: null })).metadata['yitu:style']).toEqual(before.style);
    const bad = await post({ style: { kind: 'graduated', field: 'height' } });
    expect(bad.statusCode).toBe(400);
    expect(body(bad).detail).toMatch(/"height" is not a field of dataset "values"/);
    expect((await post({ colour: 'red' })).statusCode).toBe(400);
  });
});
