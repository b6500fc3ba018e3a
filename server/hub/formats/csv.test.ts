import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer, detectDelimiter, openCsv, uniqueHeader } from './csv.ts';
import { FIXTURES, collect, expectFailure, logStreamStats, streamFeatures, useTempDir, writeLargeFile } from './test/reader-helpers.ts';
import { isRowError, type SourceFeature } from './types.ts';

const tmp = useTempDir('yitu-csv-test-');
const { file } = tmp;

function tokenize(text: string, delimiter = ',', chunk = 3): { values: string[]; line: number }[] {
  const out: { values: string[]; line: number }[] = [];
  const t = new CsvTokenizer(delimiter, (values, line) => out.push({ values, line }));
  for (let i = 0; i < text.length; i += chunk) t.push(text.slice(i, i + chunk));
  t.end();
  return out;
}

describe('CsvTokenizer', () => {
  it('handles quotes, escaped quotes, newlines in quotes, CRLF and chunk boundaries', () => {
    const text = 'a,b,c\r\n1,"x, ""y""",3\r\n"multi\r\nline",,z\n"",last,"end"';
    for (const chunk of [1, 2, 3, 7, 1000]) {
      expect(tokenize(text, ',', chunk)).toEqual([
        { values: ['a', 'b', 'c'], line: 1 },
        { values: ['1', 'x, "y"', '3'], line: 2 },
        { values: ['multi\r\nline', '', 'z'], line: 3 },
        { values: ['', 'last', 'end'], line: 5 },
      ]);
    }
  });

  it('keeps stray quotes inside unquoted values and text after a closing quote', () => {
    expect(tokenize('5" pipe,"a"b\n', ',').map((r) => r.values)).toEqual([['5" pipe', 'ab']]);
  });

  it('throws on a quote that is never closed, naming the line', () => {
    expect(() => tokenize('a,b\n1,"open\n2,3\n')).toThrow(/line 2/);
  });

  it('detects delimiters and makes header names unique', () => {
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a\tb\tc,d')).toBe('\t');
    expect(detectDelimiter('"x;y",b,c')).toBe(',');
    expect(detectDelimiter('a|b|c')).toBe('|');
    expect(detectDelimiter('single')).toBe(',');
    expect(uniqueHeader(['名称', '', '名称', ' x ', 'name_2', 'name', 'name'])).toEqual(['名称', 'column_2', '名称_2', 'x', 'name_2', 'name', 'name_3']);
  });
});

describe('openCsv', () => {
  it('reads a UTF-8 BOM CSV with Chinese lon/lat headers, quoted values and CRLF', async () => {
    const src = await openCsv(join(FIXTURES, 'schools.csv'));
    expect(src).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', geometryColumns: { x: '经度', y: '纬度' } });
    expect(src.fields).toEqual(['id', '名称', '类别', '经度', '纬度', '备注'].map((name) => ({ name, type: 'text' })));
    const items = (await collect(src)) as SourceFeature[];
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({
      row: 1,
      geometry: { type: 'Point', coordinates: [116.3912, 39.9073] },
      properties: { id: '1', 名称: '城关镇中心小学', 类别: '学校', 经度: '116.3912', 纬度: '39.9073', 备注: '含逗号, 和 "引号"' },
    });
    expect(items[1].properties.备注).toBeNull();
    expect(items[2].properties.名称).toBe('多行\r\n名称');
    expect(src.bytesRead!()).toBe(src.totalBytes);
  });

  it('reads a GBK CSV (detected) and honours an explicit encoding', async () => {
    const text = '名称,东经,北纬,说明\n城关镇中心小学,116.39,39.90,学校\n东湖公园,116.40,39.91,公园\n';
    const p = await file('gbk.csv', iconv.encode(text, 'gbk'));
    const src = await openCsv(p);
    expect(src.encoding).toBe('gbk');
    expect(src.geometryColumns).toEqual({ x: '东经', y: '北纬' });
    const items = (await collect(src)) as SourceFeature[];
    expect(items.map((i) => i.properties.名称)).toEqual(['城关镇中心小学', '东湖公园']);
    const forced = await openCsv(p, { encoding: 'gb18030' });
    expect(forced.encoding).toBe('gb18030');
    expect(((await collect(forced))[1] as SourceFeature).properties.说明).toBe('公园');
  });

  it('fails with YITU_ERR_IMPORT_ENCODING when GBK is read as UTF-8', async () => {
    const p = await file('gbk2.csv', iconv.encode('名称,x,y\n测试,1,2\n', 'gbk'));
    const e = await expectFailure(collect(await openCsv(p, { encoding: 'utf-8' })), 'YITU_ERR_IMPORT_ENCODING');
    expect(e.errors?.[0].offset).toBe(0);
    expect(e.message).toMatch(/encoding=gbk/);
    // ASCII for the first MiB, then GBK: detection looks past the ASCII head.
    const mixed = Buffer.concat([Buffer.from(`a,b\n${'1,2\n'.repeat(300_000)}`), iconv.encode('中文,3\n', 'gbk')]);
    const src = await openCsv(await file('mixed.csv', mixed));
    expect(src.encoding).toBe('gbk');
    const items = await collect(src);
    expect((items.at(-1) as SourceFeature).properties.a).toBe('中文');
  });

  it('rejects an unknown encoding option', async () => {
    await expectFailure(openCsv(join(FIXTURES, 'schools.csv'), { encoding: 'latin1' as never }), 'YITU_ERR_INPUT_INVALID');
  });

  it('reads WKT geometry with a semicolon delimiter, leaving the WKT column out of properties', async () => {
    const src = await openCsv(join(FIXTURES, 'parcels-wkt.csv'));
    expect(src.delimiter).toBe(';');
    expect(src.geometryColumns).toEqual({ wkt: 'WKT' });
    expect(src.fields?.map((f) => f.name)).toEqual(['编号', '用途']);
    const items = await collect(src);
    expect(items).toHaveLength(5);
    expect((items[0] as SourceFeature).geometry?.type).toBe('Polygon');
    expect((items[0] as SourceFeature).properties).toEqual({ 编号: 'A-01', 用途: '住宅' });
    expect((items[1] as SourceFeature).geometry?.type).toBe('MultiPolygon');
    expect((items[2] as SourceFeature).geometry).toEqual({ type: 'Point', coordinates: [120.1, 30.1, 12] });
    expect((items[3] as SourceFeature).geometry).toBeNull();
    expect(items[4]).toMatchObject({ row: 5, field: 'WKT', error: true });
    expect((items[4] as { reason: string }).reason).toMatch(/line 6.*invalid WKT/);
  });

  it('reads EWKT with an SRID as the source CRS, and hex EWKB', async () => {
    const src = await openCsv(
      await file('ewkt.csv', 'name,geom\na,SRID=4490;POINT(116 39)\nb,0101000020AA110000000000000000F03F0000000000000040\n'),
    );
    expect(src.crs).toBe(4490);
    const items = (await collect(src)) as SourceFeature[];
    expect(items[0].geometry).toEqual({ type: 'Point', coordinates: [116, 39] });
    expect(items[1].geometry).toEqual({ type: 'Point', coordinates: [1, 2] });
  });

  it('uses xField / yField / wktField and rejects unknown columns', async () => {
    const p = await file('custom.csv', 'name|east|north|shape_txt\na|500000|3400000|POINT(1 2)\n');
    const xy = await openCsv(p, { xField: 'EAST', yField: 'north' });
    expect(xy.geometryColumns).toEqual({ x: 'east', y: 'north' });
    expect(((await collect(xy))[0] as SourceFeature).geometry).toEqual({ type: 'Point', coordinates: [500000, 3400000] });
    const wkt = await openCsv(p, { wktField: 'shape_txt' });
    expect(((await collect(wkt))[0] as SourceFeature).geometry).toEqual({ type: 'Point', coordinates: [1, 2] });
    const e = await expectFailure(openCsv(p, { xField: 'lng', yField: 'north' }), 'YITU_ERR_INPUT_INVALID');
    expect(e.message).toMatch(/name, east, north, shape_txt/);
    await expectFailure(openCsv(p, { xField: 'east' }), 'YITU_ERR_INPUT_INVALID');
  });

  it('detects English x/y names of both families, preferring lon/lat', async () => {
    const src = await openCsv(await file('xy.csv', 'X,Y,Longitude,LAT\n1,2,116,39\n'));
    expect(src.geometryColumns).toEqual({ x: 'Longitude', y: 'LAT' });
    const src2 = await openCsv(await file('xy2.csv', 'X坐标\tY坐标\n500000\t3400000\n'));
    expect(src2.geometryColumns).toEqual({ x: 'X坐标', y: 'Y坐标' });
    // a "shape" column that does not hold geometry is not taken for WKT
    const src3 = await openCsv(await file('shape.csv', 'name,shape,lng,lat\na,round,1,2\n'));
    expect(src3.geometryColumns).toEqual({ x: 'lng', y: 'lat' });
  });

  it('reads a table without geometry columns with null geometries', async () => {
    const src = await openCsv(await file('plain.csv', '指标,数值\n人口,52000\n面积,\n'));
    expect(src.geometryColumns).toBeUndefined();
    expect(await collect(src)).toEqual([
      { row: 1, geometry: null, properties: { 指标: '人口', 数值: '52000' } },
      { row: 2, geometry: null, properties: { 指标: '面积', 数值: null } },
    ]);
  });

  it('reports bad coordinates and ragged rows as row errors with row, line and column', async () => {
    const text = 'name,lon,lat\na,116,39\nb,abc,39\nc,116,\nd,116,39,extra\ne\n\n,,\nf,117.5,40\n';
    const items = await collect(await openCsv(await file('bad.csv', text)));
    expect(items.map((i) => (isRowError(i) ? `E${i.row}` : `F${i.row}`))).toEqual(['F1', 'E2', 'E3', 'E4', 'E5', 'F6']);
    const errs = items.filter(isRowError);
    expect(errs[0]).toMatchObject({ row: 2, field: 'lon' });
    expect(errs[0].reason).toMatch(/line 3.*"lon" is not a number \("abc"\)/);
    expect(errs[1]).toMatchObject({ row: 3, field: 'lat' });
    expect(errs[1].reason).toMatch(/is empty/);
    expect(errs[2].reason).toMatch(/row 4 \(line 5\) has 4 values; the header has 3 columns/);
    expect(errs[3].reason).toMatch(/has 1 values/);
  });

  it('makes duplicate (case-insensitively) and empty header names unique', async () => {
    const src = await openCsv(await file('dup.csv', 'name,,name,Name\n1,2,3,4\n'));
    expect(src.fields?.map((f) => f.name)).toEqual(['name', 'column_2', 'name_2', 'Name_3']);
    expect(((await collect(src))[0] as SourceFeature).properties).toEqual({ name: '1', column_2: '2', name_2: '3', Name_3: '4' });
  });

  it('handles header-only, empty, whitespace-only and truncated files', async () => {
    const header = await openCsv(await file('header.csv', 'a,b\n'));
    expect(header.fields?.map((f) => f.name)).toEqual(['a', 'b']);
    expect(await collect(header)).toEqual([]);
    await expectFailure(openCsv(await file('empty.csv', '')), 'YITU_ERR_IMPORT_FILE_EMPTY');
    await expectFailure(openCsv(await file('ws.csv', '\n \r\n')), 'YITU_ERR_IMPORT_FILE_EMPTY');
    await expectFailure(openCsv(await file('bom-only.csv', Buffer.from([0xef, 0xbb, 0xbf]))), 'YITU_ERR_IMPORT_FILE_EMPTY');
    const e = await expectFailure(collect(await openCsv(await file('open.csv', 'a,b\n1,"unterminated\n2,3\n'))), 'YITU_ERR_IMPORT_FILE_MALFORMED');
    expect(e.errors?.[0].line).toBe(2);
  });

  it('reads old Mac CR line ends and a last line without a line end', async () => {
    const items = (await collect(await openCsv(await file('cr.csv', 'a,lon,lat\r1,1,2\r2,3,4')))) as SourceFeature[];
    expect(items.map((i) => i.geometry)).toEqual([
      { type: 'Point', coordinates: [1, 2] },
      { type: 'Point', coordinates: [3, 4] },
    ]);
  });

  it('streams 1 M points without holding them (count, time and RSS are printed)', async () => {
    const n = Number(process.env.YITU_BIG_N ?? 1_000_000);
    const p = tmp.path('big.csv');
    await writeLargeFile(p, 'id,名称,类别,经度,纬度,面积,地址,备注\n', n, (i) =>
      `${i},点位${i},学校,${(100 + (i % 1000) * 0.01).toFixed(6)},${(30 + i * 1e-6).toFixed(6)},${(i * 1.5).toFixed(2)},某某省某某市某某县城关镇${i % 97}号,${i % 10 === 0 ? '"含逗号, 的备注"' : '普通备注'}\n`,
    );
    const stats = await streamFeatures(() => openCsv(p));
    expect(stats.count).toBe(n);
    logStreamStats('CSV', n, stats);
    await rm(p);
  });
});
