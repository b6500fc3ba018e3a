import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { crsFromGeoJson, epsgFromCrsName, openGeoJson } from './geojson.ts';
import { FIXTURES, collect, expectFailure, logStreamStats, streamFeatures, useTempDir, writeLargeFile } from './test/reader-helpers.ts';
import { isRowError, type SourceFeature, type SourceItem } from './types.ts';

const tmp = useTempDir('yitu-geojson-test-');
const { file } = tmp;
const fc = (features: string[], extra = '') => `{"type":"FeatureCollection"${extra},"features":[${features.join(',')}]}`;
const pt = (props: object, coords = '[1,2]') => `{"type":"Feature","properties":${JSON.stringify(props)},"geometry":{"type":"Point","coordinates":${coords}}}`;

describe('openGeoJson', () => {
  it('reads a FeatureCollection with Chinese properties, ids, null properties and null geometry', async () => {
    const src = await openGeoJson(join(FIXTURES, 'districts.geojson'));
    expect(src.format).toBe('geojson');
    expect(src.crs).toBe(4490);
    expect(src.crsName).toBe('urn:ogc:def:crs:EPSG::4490');
    expect(src.encoding).toBe('utf-8');
    const items = await collect(src);
    expect(items).toHaveLength(4);
    expect(items.every((i) => !isRowError(i))).toBe(true);
    const [a, b, c, d] = items as SourceFeature[];
    expect(a).toMatchObject({ row: 1, id: 1, properties: { 名称: '城关镇中心小学', 学生数: 820, 备注: '含 "引号" 与 {括号} 和 \\ 反斜杠' } });
    expect(a.geometry).toEqual({ type: 'Point', coordinates: [116.3912, 39.9073] });
    expect(b).toMatchObject({ row: 2, id: 'p-2', properties: { 标签: ['绿地', '水体'] } });
    expect(b.geometry?.type).toBe('Polygon');
    expect(c).toMatchObject({ row: 3, properties: {} });
    expect(c.geometry?.type).toBe('MultiLineString');
    expect(d).toMatchObject({ row: 4, geometry: null, properties: { 名称: '无坐标记录' } });
    expect(src.bytesRead!()).toBe(src.totalBytes);
    // features() can be iterated again
    expect(await collect(src)).toHaveLength(4);
    await src.close();
  });

  it('reads a crs member placed after the features (small file, and a tail scan of a large one)', async () => {
    const small = await openGeoJson(join(FIXTURES, 'crs-after.geojson'));
    expect(small.crs).toBe(4549);
    const items = (await collect(small)) as SourceFeature[];
    expect(items.map((i) => i.properties.name)).toEqual(['a', 'b ]}, "crs": {']);

    const many = Array.from({ length: 5000 }, (_, i) => pt({ i, s: 'x'.repeat(40), crs: '}]"' }));
    const big = await file('crs-tail.geojson', fc(many).replace(/\]\}$/, '],"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"name":"图层"}'));
    const src = await openGeoJson(big);
    expect(src.crs).toBe(4326);
    expect(await collect(src)).toHaveLength(5000);
  });

  it('maps CRS names to EPSG codes', () => {
    expect(epsgFromCrsName('urn:ogc:def:crs:EPSG::4490')).toBe(4490);
    expect(epsgFromCrsName('urn:ogc:def:crs:EPSG:6.6:4326')).toBe(4326);
    expect(epsgFromCrsName('EPSG:4549')).toBe(4549);
    expect(epsgFromCrsName('urn:ogc:def:crs:OGC:1.3:CRS84')).toBe(4326);
    expect(epsgFromCrsName('http://www.opengis.net/def/crs/EPSG/0/4547')).toBe(4547);
    expect(epsgFromCrsName('Beijing 1954 local')).toBeUndefined();
    expect(crsFromGeoJson({ type: 'EPSG', properties: { code: 4490 } })).toEqual({ epsg: 4490, name: 'EPSG:4490' });
    expect(crsFromGeoJson(null)).toEqual({});
  });

  it('keeps an unknown crs name for the caller, without an EPSG code', async () => {
    const p = await file('odd-crs.geojson', fc([pt({})], ',"crs":{"type":"name","properties":{"name":"西安80 自定义"}}'));
    const src = await openGeoJson(p);
    expect(src.crs).toBeUndefined();
    expect(src.crsName).toBe('西安80 自定义');
  });

  it('reads a single Feature, a bare geometry, a BOM and an empty FeatureCollection', async () => {
    const one = await collect(await openGeoJson(join(FIXTURES, 'feature.geojson')));
    expect(one).toEqual([
      { row: 1, id: '单个', geometry: { type: 'LineString', coordinates: [[120.1, 30.2], [120.2, 30.3]] }, properties: { 道路名称: '文三路', 等级: '主干路' } },
    ]);
    const bare = await collect(await openGeoJson(await file('bare.geojson', '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}')));
    expect(bare).toEqual([{ row: 1, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, properties: {} }]);
    const bom = await openGeoJson(await file('bom.geojson', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(fc([pt({ 名: '值' })]))])));
    expect(((await collect(bom))[0] as SourceFeature).properties).toEqual({ 名: '值' });
    expect(await collect(await openGeoJson(await file('empty-fc.geojson', '{"type":"FeatureCollection","features":[]}')))).toEqual([]);
  });

  it('reports invalid features as row errors and goes on', async () => {
    const p = await file(
      'rows.geojson',
      fc([
        pt({ ok: 1 }),
        pt({}, '["1",2]'),
        pt({}, '[1e999,2]'),
        '{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}}',
        '{"type":"Feature","properties":{},"geometry":{"type":"Circle","coordinates":[0,0]}}',
        '{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[1,2]}}',
        '{"type":"Feature","properties":[1],"geometry":null}',
        '{"type":"FeatureCollection","features":[]}',
        pt({ ok: 2 }),
      ]),
    );
    const items = await collect(await openGeoJson(p));
    expect(items.map((i) => (isRowError(i) ? `E${i.row}` : `F${i.row}`))).toEqual(['F1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8', 'F9']);
    const errs = items.filter(isRowError);
    expect(errs[0]).toMatchObject({ row: 2, field: 'geometry' });
    expect(errs[0].reason).toMatch(/non-number/);
    expect(errs[1].reason).toMatch(/non-finite/);
    expect(errs[2].reason).toMatch(/at least 4/);
    expect(errs[3].reason).toMatch(/unknown geometry type "Circle"/);
    expect(errs[4].reason).toMatch(/not a position|position/);
    expect(errs[5]).toMatchObject({ field: 'properties' });
  });

  it('fails on empty and whitespace-only files', async () => {
    await expectFailure(openGeoJson(await file('empty.geojson', '')), 'YITU_ERR_IMPORT_FILE_EMPTY');
    await expectFailure(openGeoJson(await file('ws.geojson', ' \n\t\n')), 'YITU_ERR_IMPORT_FILE_EMPTY');
  });

  it('reports a truncated file with the feature number and byte offset', async () => {
    const text = fc([pt({ a: 1 }), pt({ a: 2 }), pt({ a: 3 })]);
    const cut = text.slice(0, text.indexOf('"a":3') + 3);
    const src = await openGeoJson(await file('cut.geojson', cut));
    const seen: SourceItem[] = [];
    const e = await expectFailure(
      (async () => {
        for await (const it of src.features()) seen.push(it);
      })(),
      'YITU_ERR_IMPORT_FILE_MALFORMED',
    );
    expect(seen).toHaveLength(2);
    expect(e.message).toMatch(/ends inside feature 3/);
    expect(e.errors?.[0]).toMatchObject({ row: 3, offset: cut.length });
    // cut between features and at the very end
    const e2 = await expectFailure(collect(await openGeoJson(await file('cut2.geojson', text.slice(0, -2)))), 'YITU_ERR_IMPORT_FILE_MALFORMED');
    expect(e2.message).toMatch(/truncated/);
  });

  it('reports malformed JSON inside a feature with its number and offset', async () => {
    const bad = '{"type":"Feature","properties":{"a":1,},"geometry":null}';
    const text = fc([pt({ a: 0 }), bad]);
    const e = await expectFailure(collect(await openGeoJson(await file('bad.geojson', text))), 'YITU_ERR_IMPORT_FILE_MALFORMED');
    expect(e.errors?.[0].row).toBe(2);
    const off = e.errors?.[0].offset ?? -1;
    expect(off).toBeGreaterThanOrEqual(text.indexOf(bad));
    expect(off).toBeLessThanOrEqual(text.indexOf(bad) + bad.length);
    expect(e.message).toMatch(/Feature 2 is not valid JSON/);
  });

  it('rejects JSON that is not a GeoJSON object', async () => {
    await expectFailure(openGeoJson(await file('arr.geojson', '[{"type":"Feature"}]')), 'YITU_ERR_IMPORT_FILE_MALFORMED');
    await expectFailure(openGeoJson(await file('text.geojson', 'hello')), 'YITU_ERR_IMPORT_FILE_MALFORMED');
    await expectFailure(openGeoJson(await file('notype.geojson', '{"a":1}')), 'YITU_ERR_IMPORT_FILE_MALFORMED');
    await expectFailure(openGeoJson(await file('topo.geojson', '{"type":"Topology","objects":{}}')), 'YITU_ERR_IMPORT_FORMAT_UNKNOWN');
    const e = await expectFailure(collect(await openGeoJson(await file('two.geojson', `${fc([pt({})])}\n${fc([pt({})])}`))), 'YITU_ERR_IMPORT_FILE_MALFORMED');
    expect(e.message).toMatch(/after the end/);
  });

  it('parses runs of whole features in one call, and falls back to the byte scan where a run is not whole features', async () => {
    // A `},{` inside a property value looks like a feature boundary: the run fails to parse and the byte scan reads it.
    const nested = fc([pt({ a: 1 }), pt({ list: [{ x: 1 }, { y: '},{' }] }), pt({ b: 2 })]);
    const items = (await collect(await openGeoJson(await file('nested.geojson', nested)))) as SourceFeature[];
    expect(items.map((i) => [i.row, i.properties])).toEqual([[1, { a: 1 }], [2, { list: [{ x: 1 }, { y: '},{' }] }], [3, { b: 2 }]]);
    // An element that is not an object fails the file as before, with its number.
    const e = await expectFailure(collect(await openGeoJson(await file('scalar.geojson', fc([pt({ a: 1 }), '5', pt({ b: 2 }), pt({ c: 3 })])))), 'YITU_ERR_IMPORT_FILE_MALFORMED');
    expect(e.message).toMatch(/Feature 2 is not a JSON object/);
    // Many chunks: rows stay numbered in file order.
    const big = fc(Array.from({ length: 30_000 }, (_, i) => pt({ i, s: 'x'.repeat(i % 50) })));
    const all = (await collect(await openGeoJson(await file('many.geojson', big)))) as SourceFeature[];
    expect(all).toHaveLength(30_000);
    expect(all.every((f, k) => f.row === k + 1 && f.properties.i === k)).toBe(true);
  });

  it('handles escapes and multi-byte characters cut by chunk boundaries', async () => {
    // Place a `\"` and a multi-byte character on the 1 MiB chunk boundary.
    const head = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"pad":"';
    for (const shift of [0, 1, 2]) {
      const padLen = 1024 * 1024 - Buffer.byteLength(head) - 1 - shift;
      const text = `${head}${'x'.repeat(padLen)}\\"}]{中文","b":1},"geometry":null},${pt({ z: 1 })}]}`;
      const items = (await collect(await openGeoJson(await file(`edge${shift}.geojson`, text)))) as SourceFeature[];
      expect(items).toHaveLength(2);
      expect(items[0].properties.pad).toBe(`${'x'.repeat(padLen)}"}]{中文`);
      expect(items[1].properties).toEqual({ z: 1 });
    }
  });

  it('reads GBK-encoded GeoJSON (detected), including trail bytes that look like a backslash', async () => {
    // Find a CJK character whose GBK encoding ends with 0x5C ("\\").
    let tricky = '';
    for (let cp = 0x4e00; cp < 0x9fa5 && !tricky; cp++) {
      const b = iconv.encode(String.fromCharCode(cp), 'gbk');
      if (b.length === 2 && b[1] === 0x5c) tricky = String.fromCharCode(cp);
    }
    expect(tricky).not.toBe('');
    const text = fc([pt({ 名称: `测试${tricky}`, 类别: '学校' }), pt({ 名称: '第二' })]);
    const src = await openGeoJson(await file('gbk.geojson', iconv.encode(text, 'gbk')));
    expect(src.encoding).toBe('gbk');
    const items = (await collect(src)) as SourceFeature[];
    expect(items.map((i) => i.properties.名称)).toEqual([`测试${tricky}`, '第二']);
  });

  it('streams 1 M points without holding them (count, time and RSS are printed)', async () => {
    const n = Number(process.env.YITU_BIG_N ?? 1_000_000);
    const p = tmp.path('big.geojson');
    await writeLargeFile(
      p,
      '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4490"}},"features":[\n',
      n,
      (i) =>
        `${i ? ',\n' : ''}{"type":"Feature","properties":{"id":${i},"名称":"点位${i}","类别":"学校","面积":${i * 0.5}},"geometry":{"type":"Point","coordinates":[${(100 + (i % 1000) * 0.01).toFixed(5)},${(30 + i * 1e-6).toFixed(6)}]}}`,
      '\n]}\n',
    );
    const stats = await streamFeatures(() => openGeoJson(p));
    expect(stats.count).toBe(n);
    expect(stats.src.crs).toBe(4490);
    logStreamStats('GeoJSON', n, stats);
    await rm(p);
  });
});
