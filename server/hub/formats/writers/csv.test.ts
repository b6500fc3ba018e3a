import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { streamCsv, writeExport } from './index.ts';
import { useTempDir } from '../test/temp-dir.ts';
import { FIELDS, LONG_TEXT, collect, input, mixedFeatures, pointFeatures } from './test-fixtures.ts';

function rows(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: false }) as string[][];
}

describe('CSV writer', () => {
  const tmp = useTempDir('yitu-writers-');

  it('writes UTF-8 with a BOM, RFC 4180 quoting and a WKT column', async () => {
    const features = mixedFeatures();
    const r = await writeExport('csv', input(features, { geometryType: 'Geometry' }), tmp.dir());
    expect(r).toMatchObject({ fileName: 'test_layer.csv', contentType: 'text/csv; charset=utf-8', count: features.length });
    const buf = await readFile(r.path);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.toString('utf8');
    expect(text.split('\r\n').length).toBeGreaterThan(features.length); // CRLF line ends
    const [header, ...body] = rows(text);
    expect(header).toEqual([...FIELDS.map((f) => f.name), 'wkt']);
    expect(body).toHaveLength(features.length);
    expect(body[0].slice(0, 7)).toEqual(['要素1', '10', '1.25', 'false', '2024-03-02', '2024-03-01T08:30:01.000Z', '{"k":1,"标签":["甲","乙"]}']);
    expect(body[2][8]).toBe(
      'POLYGON ((120 30,120.01 30,120.01 30.01,120 30.01,120 30),(120.002 30.002,120.002 30.004,120.004 30.004,120.004 30.002,120.002 30.002))',
    );
    expect(body[6]).toEqual(['无几何', '70', '', '', '', '', '', '耕地', '']);
    expect(body[7][0]).toBe(LONG_TEXT);
    expect(body[8][0]).toBe('a "quoted", comma\nnew line');
    expect(body[8][1]).toBe('9007199254740993');
  });

  it('adds longitude and latitude for point layers, with titles as header on request', async () => {
    const text = await collect(streamCsv(input(pointFeatures(3), { geometryType: 'Point' }), { csvHeader: 'title' }));
    const [header, first] = rows(text);
    expect(header).toEqual(['名称', 'code', '面积', 'active', 'surveyed', 'updated_at', 'attrs', '土地用途分类', 'wkt', 'longitude', 'latitude']);
    expect(first.slice(-3)).toEqual(['POINT (120 30)', '120', '30']);
    expect(first[5]).toBe('2024-01-02T10:00:00+08:00');
  });

  it('detects a point layer from the first geometry when there is no hint, after null geometries', async () => {
    const features = [{ id: 0, geometry: null, properties: {} }, ...pointFeatures(2)];
    const [header, nul, pt] = rows(await collect(streamCsv(input(features))));
    expect(header.slice(-3)).toEqual(['wkt', 'longitude', 'latitude']);
    expect(nul.slice(-3)).toEqual(['', '', '']);
    expect(pt.slice(-2)).toEqual(['120', '30']);
  });

  it('renames geometry columns that clash with fields', async () => {
    const [header] = rows(
      await collect(streamCsv(input(pointFeatures(1), { geometryType: 'Point', fields: [{ name: 'wkt', type: 'text' }, { name: 'longitude', type: 'number' }] }))),
    );
    expect(header).toEqual(['wkt', 'longitude', 'wkt_1', 'longitude_1', 'latitude']);
  });

  it('writes GBK on request, without a BOM', async () => {
    const r = await writeExport('csv', input(pointFeatures(2)), tmp.dir(), { encoding: 'gbk' });
    expect(r.contentType).toBe('text/csv; charset=GBK');
    const buf = await readFile(r.path);
    expect(buf[0]).not.toBe(0xef);
    const [header, first] = rows(iconv.decode(buf, 'gbk'));
    expect(header[7]).toBe('土地用途分类');
    expect(first[0]).toBe('点1');
  });

  it('writes a header only for no features', async () => {
    const r = await writeExport('csv', input([]), tmp.dir());
    expect(r.count).toBe(0);
    expect(rows(await readFile(r.path, 'utf8'))).toEqual([[...FIELDS.map((f) => f.name), 'wkt']]);
  });
});
