import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../test-support/databases.ts';
import { body, createDataset, type OgcTestApp, openOgcTestApp, parcelFeatures, poiFeatures } from './test-app.ts';

type Fc = { features: { id: number; properties: Record<string, unknown> }[]; numberMatched: number; links: { rel: string; href: string }[] };
type Problem = { code: string; detail: string; status: number; queryables?: string[] };

/** [filter, expected feature ids] in CQL2 text and the same filter in CQL2 JSON. */
const CASES: [string, unknown, number[]][] = [
  ['pop > 500', { op: '>', args: [{ property: 'pop' }, 500] }, [7, 8, 9, 10]],
  ["kind = 'scenic' AND pop >= 500", { op: 'and', args: [{ op: '=', args: [{ property: 'kind' }, 'scenic'] }, { op: '>=', args: [{ property: 'pop' }, 500] }] }, [6]],
  ["kind = 'health' OR kind = 'school'", { op: 'or', args: [{ op: '=', args: [{ property: 'kind' }, 'health'] }, { op: '=', args: [{ property: 'kind' }, 'school'] }] }, [3, 4]],
  ["kind IN ('health', 'school')", { op: 'in', args: [{ property: 'kind' }, ['health', 'school']] }, [3, 4]],
  ["kind NOT IN ('health', 'school', 'government', 'scenic')", { op: 'not', args: [{ op: 'in', args: [{ property: 'kind' }, ['health', 'school', 'government', 'scenic']] }] }, [7, 8, 9, 10]],
  ['pop BETWEEN 200 AND 400', { op: 'between', args: [{ property: 'pop' }, 200, 400] }, [3, 4, 5]],
  ['note IS NULL', { op: 'isNull', args: [{ property: 'note' }] }, [4]],
  ['open = false', { op: '=', args: [{ property: 'open' }, false] }, [2, 4, 6, 8, 10]],
  ['NOT open', { op: 'not', args: [{ property: 'open' }] }, [2, 4, 6, 8, 10]],
  ["name LIKE '%镇%'", { op: 'like', args: [{ property: 'name' }, '%镇%'] }, [3, 4, 9, 10]],
  ["name LIKE '德清%'", { op: 'like', args: [{ property: 'name' }, '德清%'] }, [1]],
  ["CASEI(name) LIKE CASEI('deqing%')", { op: 'like', args: [{ op: 'casei', args: [{ property: 'name' }] }, { op: 'casei', args: ['deqing%'] }] }, [7]],
  ["name = 'O''Brien Café'", { op: '=', args: [{ property: 'name' }, "O'Brien Café"] }, [8]],
  ["built >= DATE('2015-01-01')", { op: '>=', args: [{ property: 'built' }, { date: '2015-01-01' }] }, [6, 7, 8, 9, 10]],
  ["T_AFTER(updated, TIMESTAMP('2024-08-01T00:00:00Z'))", { op: 't_after', args: [{ property: 'updated' }, { timestamp: '2024-08-01T00:00:00Z' }] }, [8, 9]],
  ['pop = area', { op: '=', args: [{ property: 'pop' }, { property: 'area' }] }, [1]],
  ['id IN (2, 5)', { op: 'in', args: [{ property: 'id' }, [2, 5]] }, [2, 5]],
  ['S_INTERSECTS(geometry, BBOX(119.95, 30.41, 120.01, 30.51))', { op: 's_intersects', args: [{ property: 'geometry' }, { bbox: [119.95, 30.41, 120.01, 30.51] }] }, [4, 5, 6]],
  [
    'S_WITHIN(geometry, POLYGON((119.95 30.41, 120.01 30.41, 120.01 30.51, 119.95 30.51, 119.95 30.41)))',
    { op: 's_within', args: [{ property: 'geometry' }, { type: 'Polygon', coordinates: [[[119.95, 30.41], [120.01, 30.41], [120.01, 30.51], [119.95, 30.51], [119.95, 30.41]]] }] },
    [4, 5, 6],
  ],
  ['S_EQUALS(geometry, POINT(120 30))', { op: 's_equals', args: [{ property: 'geometry' }, { type: 'Point', coordinates: [120, 30] }] }, [1]],
  [
    'S_DISJOINT(geometry, BBOX(119.5, 30.3, 120.05, 30.6)) AND pop < 900',
    { op: 'and', args: [{ op: 's_disjoint', args: [{ property: 'geometry' }, { bbox: [119.5, 30.3, 120.05, 30.6] }] }, { op: '<', args: [{ property: 'pop' }, 900] }] },
    [1, 9],
  ],
];

describeEachBackend('OGC API – Features Part 3 (filtering)', (kind) => {
  let t: OgcTestApp;
  const get = (url: string) => t.app.inject({ url });
  const filter = async (f: string, lang = 'cql2-text', extra = '') => {
    const r = await get(`/collections/poi/items?filter=${encodeURIComponent(f)}&filter-lang=${lang}${extra.includes('limit=') ? '' : '&limit=100'}${extra}`);
    expect(r.statusCode, `${f}: ${r.body}`).toBe(200);
    return body<Fc>(r);
  };
  const refused = async (f: string, lang = 'cql2-text', collection = 'poi') => {
    const r = await get(`/collections/${collection}/items?filter=${encodeURIComponent(f)}&filter-lang=${lang}`);
    expect(r.statusCode, `${f}: ${r.body}`).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    return body<Problem>(r);
  };

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    await createDataset(t.services, 'poi', poiFeatures(), { titleZh: '兴趣点', temporalColumn: 'updated' });
    await createDataset(t.services, 'parcels', parcelFeatures(), { titleZh: '地块' });
    await createDataset(t.services, 'villages', [
      { geometry: { type: 'Point', coordinates: [119.95, 30.52] }, properties: { 名称: '五四村', 人口: 2300 } },
      { geometry: { type: 'Point', coordinates: [120.05, 30.6] }, properties: { 名称: '新市镇', 人口: 8800 } },
    ], { titleZh: '村' });
  });
  afterAll(async () => t?.close());

  it('describes the queryables as JSON Schema 2020-12', async () => {
    const r = await get('/collections/poi/queryables');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('application/schema+json');
    const q = body<{ $schema: string; $id: string; type: string; properties: Record<string, Record<string, string>>; queryables: { id: string }[] }>(r);
    expect(q.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(q.$id).toBe('http://localhost:80/collections/poi/queryables');
    expect(q.type).toBe('object');
    expect(q.properties.geometry.format).toBe('geometry-point');
    expect(q.properties.name).toEqual({ title: 'name', type: 'string' });
    expect(q.properties.pop.type).toBe('integer');
    expect(q.properties.area.type).toBe('number');
    expect(q.properties.open.type).toBe('boolean');
    expect(q.properties.built).toEqual({ title: 'built', type: 'string', format: 'date' });
    expect(q.properties.updated.format).toBe('date-time');
    expect(q.queryables.map((x) => x.id)).toContain('name');
    const zh = body<{ properties: Record<string, { title: string }> }>(await get('/collections/villages/queryables'));
    expect(Object.values(zh.properties).map((p) => p.title)).toEqual(expect.arrayContaining(['名称', '人口']));
    const parcels = body<{ properties: Record<string, { format?: string }> }>(await get('/collections/parcels/queryables'));
    expect(parcels.properties.geometry.format).toBe('geometry-polygon');
    expect((await get('/collections/nope/queryables')).statusCode).toBe(404);
  });

  it('applies CQL2 text and CQL2 JSON filters alike', async () => {
    for (const [text, json, expected] of CASES) {
      expect((await filter(text)).features.map((f) => f.id), text).toEqual(expected);
      expect((await filter(JSON.stringify(json), 'cql2-json')).features.map((f) => f.id), JSON.stringify(json)).toEqual(expected);
    }
  });

  it('counts filtered matches and keeps the filter in paging links', async () => {
    const fc = await filter('pop > 100', 'cql2-text', '&limit=3');
    expect(fc.numberMatched).toBe(8);
    const next = new URL(fc.links.find((l) => l.rel === 'next')!.href);
    expect(next.searchParams.get('filter')).toBe('pop > 100');
    expect(next.searchParams.get('filter-lang')).toBe('cql2-text');
    const r = await get(`/collections/poi/items${next.search}`);
    expect(body<Fc>(r).features.map((f) => f.id)).toEqual([6, 7, 8]);
    const both = await filter('pop > 100', 'cql2-text', '&bbox=119.95,30.41,120.01,30.51&datetime=2024-04-01/..');
    expect(both.features.map((f) => f.id)).toEqual([4, 5, 6]);
  });

  it('filters polygons spatially and by Chinese property names', async () => {
    const r = await get(`/collections/parcels/items?filter=${encodeURIComponent("S_CONTAINS(geometry, POINT(119.905 30.505)) OR landuse = '耕地' AND area_mu > 17")}`);
    expect(body<Fc>(r).features.map((f) => f.properties.code)).toEqual(['P00', 'P12', 'P21']);
    const crossing = await get(`/collections/parcels/items?filter=${encodeURIComponent('S_INTERSECTS(geometry, POLYGON((119.915 30.515, 119.925 30.515, 119.925 30.525, 119.915 30.525, 119.915 30.515)))')}`);
    expect(body<Fc>(crossing).features.map((f) => f.properties.code)).toEqual(['P11', 'P12', 'P21', 'P22']);
    const inside = await get(`/collections/parcels/items?filter=${encodeURIComponent('S_OVERLAPS(geometry, BBOX(119.915, 30.515, 119.925, 30.525)) AND NOT S_CROSSES(geometry, LINESTRING(119.9 30.5, 119.905 30.505))')}`);
    expect(body<Fc>(inside).features.map((f) => f.properties.code)).toEqual(['P11', 'P12', 'P21', 'P22']);
    const zh = await get(`/collections/villages/items?filter=${encodeURIComponent('"名称" LIKE \'%镇\' AND 人口 > 1000')}`);
    expect(zh.statusCode, zh.body).toBe(200);
    expect(body<Fc>(zh).features.map((f) => f.id)).toEqual([2]);
  });

  it('accepts cql-text, the draft name GDAL ≤ 3.6 sends', async () => {
    expect((await filter("name = 'Deqing Station'", 'cql-text')).features.map((f) => f.id)).toEqual([7]);
  });

  it('refuses unknown properties with a problem listing the queryables, before any SQL', async () => {
    const p = await refused("colour = 'red'");
    expect(p.code).toBe('YITU_ERR_FILTER_PROPERTY_UNKNOWN');
    expect(p.detail).toContain('colour');
    expect(p.queryables).toEqual(expect.arrayContaining(['name', 'pop', 'geometry', 'id']));
    expect((await refused(JSON.stringify({ op: '=', args: [{ property: 'Name' }, 'x'] }), 'cql2-json')).detail).toContain('did you mean "name"');
    expect((await refused('_rid > 0')).code).toBe('YITU_ERR_FILTER_PROPERTY_UNKNOWN');
    expect((await refused('_vto IS NULL')).code).toBe('YITU_ERR_FILTER_PROPERTY_UNKNOWN');
  });

  it('refuses malformed filters, type errors and unsupported languages with 400', async () => {
    expect((await refused('pop >')).code).toBe('YITU_ERR_FILTER_INVALID');
    expect((await refused("pop = 'many'")).code).toBe('YITU_ERR_FILTER_INVALID');
    expect((await refused('S_INTERSECTS(geometry, POINT(200 30))')).code).toBe('YITU_ERR_FILTER_INVALID');
    expect((await refused('{"op": "=", "args": [', 'cql2-json')).code).toBe('YITU_ERR_FILTER_INVALID');
    expect((await refused('pop > 1', 'ecql')).code).toBe('YITU_ERR_FILTER_LANG_UNSUPPORTED');
    const r = await get('/collections/poi/items?filter-lang=cql2-text');
    expect(r.statusCode).toBe(400);
  });

  it('keeps injection attempts out of the SQL', async () => {
    const attempts: [string, string][] = [
      ["name = 'x''; DROP TABLE data.poi; --'", 'cql2-text'],
      ["name = 'x' OR 1=1; DROP TABLE data.poi", 'cql2-text'],
      ['"name"" = 1; DROP TABLE data.poi; --" = 1', 'cql2-text'],
      ['pop > 1) OR (1=1', 'cql2-text'],
      ["name LIKE '%' || (SELECT current_user) || '%'", 'cql2-text'],
      [JSON.stringify({ op: '=', args: [{ property: 'name" OR 1=1 --' }, 'x'] }), 'cql2-json'],
      [JSON.stringify({ op: 'DROP TABLE', args: [] }), 'cql2-json'],
      [JSON.stringify({ op: 's_intersects', args: [{ property: 'geometry' }, { type: 'Point', coordinates: ['0); DROP TABLE data.poi; --', 1] }] }), 'cql2-json'],
    ];
    const quoted = await filter("name = 'x''; DROP TABLE data.poi; --'");
    expect(quoted.features).toHaveLength(0);
    for (const [f, lang] of attempts.slice(1)) await refused(f, lang);
    for (const q of ['sortby=name;DROP TABLE data.poi', 'properties=name,"pop";--', 'bbox=1,2,3,4);DROP TABLE data.poi']) {
      expect((await get(`/collections/poi/items?${encodeURI(q)}`)).statusCode, q).toBe(400);
    }
    const n = await t.services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM data.poi');
    expect(n.rows[0].n).toBe(10);
  });
});
