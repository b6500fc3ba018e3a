import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Geometry, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { openShapefile } from './shapefile.ts';
import { buildDbf, buildShp, pointContent, polyContent } from './test/binary/shapefile-writer.ts';
import { BINARY, collect, collectAndClose, useTempDir } from './test/reader-helpers.ts';
import { isRowError, type SourceFeature, type SourceItem } from './types.ts';

const fx = (f: string) => path.join(BINARY, f);
const tmp = useTempDir('yitu-shp-');
let n = 0;

/** A fresh folder holding copies of fixture files (by name) or given bytes. */
async function folder(files: Record<string, string | Buffer>): Promise<string> {
  const dir = tmp.path(`case-${++n}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  for (const [to, from] of Object.entries(files)) {
    if (typeof from === 'string') await copyFile(fx(from), path.join(dir, to));
    else await writeFile(path.join(dir, to), from);
  }
  return dir;
}

function area(ring: Position[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s / 2;
}

const features = (items: SourceItem[]) => items.filter((i): i is SourceFeature => !isRowError(i));

describe('openShapefile', () => {
  it('reads a GBK shapefile with .cpg and .prj (EPSG:4549), holes and a null shape', async () => {
    const src = await openShapefile(fx('gbk-parcels.shp'), {});
    expect(src.format).toBe('shapefile');
    expect(src.crs).toBe(4549);
    expect(src.encoding).toBe('gbk');
    expect(src.estimatedCount).toBe(3);
    expect(src.fields).toEqual([
      { name: '名称', type: 'text' },
      { name: '面积', type: 'number' },
      { name: '编号', type: 'integer' },
      { name: '日期', type: 'date' },
      { name: '有效', type: 'integer' },
      { name: '更新', type: 'date' },
    ]);
    const items = await collectAndClose(src);
    expect(items).toHaveLength(3);
    const [a, b, c] = features(items);
    expect(a).toMatchObject({ row: 1, properties: { 名称: '西湖区地块一', 面积: 12345.67, 编号: 1, 日期: '2024-01-15', 有效: 1, 更新: '2024-01-15' } });
    const poly = a.geometry as Polygon;
    expect(poly.type).toBe('Polygon');
    expect(poly.coordinates).toHaveLength(2);
    expect(area(poly.coordinates[0])).toBeGreaterThan(0); // RFC 7946: outer counter-clockwise
    expect(area(poly.coordinates[1])).toBeLessThan(0); // hole clockwise
    expect(Math.abs(area(poly.coordinates[1]))).toBe(200 * 200);
    expect(b).toMatchObject({ row: 2, properties: { 名称: '滨江·乙', 面积: 0.5, 日期: null, 有效: 0 } });
    expect(b.geometry?.type).toBe('MultiPolygon');
    const multi = b.geometry as Extract<Geometry, { type: 'MultiPolygon' }>;
    expect(multi.coordinates.map((p) => p.length).sort()).toEqual([1, 2]);
    expect(c).toEqual({ row: 3, geometry: null, properties: { 名称: '无几何', 面积: null, 编号: 3, 日期: '2023-12-31', 有效: null, 更新: '2023-12-31' } });
    expect(src.bytesRead?.()).toBe(src.totalBytes);
  });

  it('takes GBK from the DBF language driver id 0x4D when there is no .cpg', async () => {
    const src = await openShapefile(fx('ldid-parcels.shp'), {});
    expect(src.encoding).toBe('gbk');
    expect(src.crs).toBeUndefined();
    expect(src.notes.join(' ')).toMatch(/no ldid-parcels\.prj/);
    expect(src.fields?.[0].name).toBe('名称');
    expect(features(await collectAndClose(src))[0].properties.名称).toBe('西湖区地块一');
  });

  it('detects GBK without .cpg nor language driver, and UTF-8 from valid records', async () => {
    const dir = await folder({ 'p.shp': 'gbk-parcels.shp', 'p.dbf': 'gbk-parcels.dbf' });
    const gbk = await openShapefile(path.join(dir, 'p.shp'), {});
    expect(gbk.encoding).toBe('gbk');
    expect(features(await collectAndClose(gbk))[1].properties.名称).toBe('滨江·乙');

    const utf8 = await openShapefile(fx('utf8-points.shp'), {});
    expect(utf8.encoding).toBe('utf-8');
    expect(utf8.crs).toBe(4490);
    expect(utf8.fields).toEqual([
      { name: 'name', type: 'text' },
      { name: 'pop', type: 'integer' },
      { name: 'big', type: 'integer' },
      { name: 'ratio', type: 'number' },
      { name: 'founded', type: 'date' },
    ]);
    const items = await collectAndClose(utf8);
    expect(items[0]).toEqual({
      row: 1,
      geometry: { type: 'Point', coordinates: [120.1551, 30.2741] },
      properties: { name: '杭州市', pop: 12204000, big: '9007199254740993', ratio: 0.25, founded: '0589-01-01' },
    });
    expect(items[2]).toMatchObject({ row: 3, geometry: null, properties: { name: '未定位', founded: '2000-02-29' } });
  });

  it('uses opts.encoding when there is no .cpg, and overrides a .cpg that wrongly says UTF-8', async () => {
    const dir = await folder({ 'p.shp': 'gbk-parcels.shp', 'p.dbf': 'gbk-parcels.dbf' });
    const forced = await openShapefile(path.join(dir, 'p.shp'), { encoding: 'gb18030' });
    expect(forced.encoding).toBe('gb18030');
    expect(features(await collectAndClose(forced))[0].properties.名称).toBe('西湖区地块一');
    await writeFile(path.join(dir, 'p.cpg'), 'UTF-8\n');
    const lying = await openShapefile(path.join(dir, 'p.shp'), {});
    expect(lying.encoding).toBe('gbk');
    expect(lying.notes.join(' ')).toMatch(/says UTF-8/);
    await collectAndClose(lying);
    await writeFile(path.join(dir, 'p.cpg'), 'ANSI 936');
    const ansi = await openShapefile(path.join(dir, 'p.shp'), {});
    expect(ansi.encoding).toBe('gbk');
    await collectAndClose(ansi);
  });

  it('reads 3D lines and the zone-prefixed GK .prj (EPSG:4528)', async () => {
    const src = await openShapefile(fx('lines-z.shp'), {});
    expect(src.crs).toBe(4528);
    const items = features(await collectAndClose(src));
    expect(items[0].geometry).toEqual({ type: 'LineString', coordinates: [[40500000, 3350000, 10], [40500100, 3350100, 12.5]] });
    expect(items[1].geometry).toMatchObject({ type: 'MultiLineString', coordinates: [[[40500000, 3350000, 1], [40500010, 3350010, 2]], expect.any(Array)] });
  });

  it('finds siblings case-insensitively', async () => {
    const dir = await folder({ 'PARCELS.SHP': 'gbk-parcels.shp', 'PARCELS.DBF': 'gbk-parcels.dbf', 'parcels.prj': 'gbk-parcels.prj', 'Parcels.Cpg': 'gbk-parcels.cpg' });
    const src = await openShapefile(path.join(dir, 'PARCELS.SHP'), {});
    expect(src.crs).toBe(4549);
    expect(src.encoding).toBe('gbk');
    expect(await collectAndClose(src)).toHaveLength(3);
  });

  it('reads a .shp without .dbf with empty properties and a note', async () => {
    const dir = await folder({ 'p.shp': 'gbk-parcels.shp', 'p.prj': 'gbk-parcels.prj' });
    const src = await openShapefile(path.join(dir, 'p.shp'), {});
    expect(src.fields).toEqual([]);
    expect(src.notes.join(' ')).toMatch(/no p\.dbf/);
    const items = await collectAndClose(src);
    expect(items.map((i) => (i as SourceFeature).properties)).toEqual([{}, {}, {}]);
    expect(items.map((i) => (i as SourceFeature).geometry?.type ?? null)).toEqual(['Polygon', 'MultiPolygon', null]);
  });

  it('refuses a missing .shp clearly', async () => {
    const dir = await folder({ 'p.dbf': 'gbk-parcels.dbf' });
    await expect(openShapefile(path.join(dir, 'p.shp'), {})).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_FILE_MALFORMED',
      message: expect.stringContaining('p.shp is missing'),
    });
  });

  it('reports a truncated .shp with the record number', async () => {
    const shp = await readFile(fx('gbk-parcels.shp'));
    // Record 1 is 100..(100+8+len1); cut inside record 2.
    const len1 = shp.readInt32BE(104) * 2;
    const cut = shp.subarray(0, 100 + 8 + len1 + 20);
    const dir = await folder({ 'p.shp': cut, 'p.dbf': 'gbk-parcels.dbf' });
    const src = await openShapefile(path.join(dir, 'p.shp'), {});
    const seen: SourceItem[] = [];
    await expect(collect(src, seen)).rejects.toMatchObject({ code: 'YITU_ERR_IMPORT_FILE_MALFORMED', message: expect.stringContaining('record 2'), errors: [{ row: 2 }] });
    await src.close();
    expect(seen).toHaveLength(1);
    // Cut exactly at a record boundary: the header still declares the full length.
    const dir2 = await folder({ 'p.shp': shp.subarray(0, 100 + 8 + len1), 'p.dbf': 'gbk-parcels.dbf' });
    await expect(collectAndClose(await openShapefile(path.join(dir2, 'p.shp'), {}))).rejects.toMatchObject({ errors: [{ row: 2 }] });
  });

  it('refuses a file that is not a shapefile', async () => {
    const dir = await folder({ 'p.shp': Buffer.from('x'.repeat(200)) });
    await expect(openShapefile(path.join(dir, 'p.shp'), {})).rejects.toMatchObject({ code: 'YITU_ERR_IMPORT_FILE_MALFORMED' });
  });

  it('skips deleted records, reads L/D/N values and reports bad values as row errors', async () => {
    const { shp, shx } = buildShp(1, [pointContent(1, 1), pointContent(2, 2), pointContent(3, 3), pointContent(4, 4)]);
    const dbf = buildDbf(
      [
        { name: 'ok', type: 'L', length: 1 },
        { name: 'day', type: 'D', length: 8 },
        { name: 'n', type: 'N', length: 20 },
        { name: 'x', type: 'N', length: 8, decimals: 2 },
      ],
      [
        ['T', '20240229', '12345678901234567890', '1.50'],
        ['F', '20240230', '1', '2'],
        ['?', '', '****', ''],
        ['y', '00000000', '-7', '-0.25'],
      ],
      { deleted: [] },
    );
    const dir = await folder({ 't.shp': shp, 't.shx': shx, 't.dbf': dbf });
    const src = await openShapefile(path.join(dir, 't.shp'), {});
    expect(src.fields).toEqual([
      { name: 'ok', type: 'boolean' },
      { name: 'day', type: 'date' },
      { name: 'n', type: 'integer' },
      { name: 'x', type: 'number' },
    ]);
    const items = await collectAndClose(src);
    expect(items[0]).toMatchObject({ row: 1, properties: { ok: true, day: '2024-02-29', n: '12345678901234567890', x: 1.5 } });
    expect(items[1]).toEqual({ row: 2, field: 'day', reason: expect.stringContaining('20240230'), error: true });
    expect(items[2]).toMatchObject({ row: 3, properties: { ok: null, day: null, n: null, x: null } });
    expect(items[3]).toMatchObject({ row: 4, properties: { ok: true, day: null, n: -7, x: -0.25 }, geometry: { type: 'Point', coordinates: [4, 4] } });

    const deleted = buildDbf([{ name: 'v', type: 'C', length: 4 }], [['a'], ['b'], ['c'], ['d']], { deleted: [1] });
    await writeFile(path.join(dir, 't.dbf'), deleted);
    const rows = await collectAndClose(await openShapefile(path.join(dir, 't.shp'), {}));
    expect(rows.map((r) => [r.row, (r as SourceFeature).properties.v])).toEqual([[1, 'a'], [3, 'c'], [4, 'd']]);
  });

  it('assigns holes to the right outer ring, whatever the ring order', async () => {
    const sq = (x: number, y: number, s: number, cw: boolean): number[][] => {
      const r = [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
      return cw ? r.reverse() : r;
    };
    const { shp } = buildShp(5, [
      // outer A, outer B, hole of B, hole of A
      polyContent(5, [sq(0, 0, 10, true), sq(100, 0, 10, true), sq(102, 2, 2, false), sq(2, 2, 2, false)]),
      // a writer that ignored orientation: outer, hole and island all counter-clockwise, unclosed
      polyContent(5, [sq(0, 0, 100, false).slice(0, 4), sq(10, 10, 50, false), sq(20, 20, 10, false)]),
    ]);
    const dir = await folder({ 'r.shp': shp });
    const items = features(await collectAndClose(await openShapefile(path.join(dir, 'r.shp'), {})));
    const ab = items[0].geometry as Extract<Geometry, { type: 'MultiPolygon' }>;
    expect(ab.type).toBe('MultiPolygon');
    expect(ab.coordinates.map((p) => [p[0][0][0], p[1][0][0]])).toEqual([
      [0, 2],
      [100, 102],
    ]);
    for (const p of ab.coordinates) {
      expect(area(p[0])).toBeGreaterThan(0);
      expect(area(p[1])).toBeLessThan(0);
    }
    const nested = items[1].geometry as Extract<Geometry, { type: 'MultiPolygon' }>;
    expect(nested.type).toBe('MultiPolygon');
    expect(nested.coordinates.map((p) => p.length)).toEqual([2, 1]);
    expect(nested.coordinates[0][0]).toHaveLength(5); // closed
    expect(area(nested.coordinates[0][1])).toBeLessThan(0);
    const z = buildShp(15, [polyContent(15, [sq(0, 0, 1, true).map(([x, y]) => [x, y, 7])])]);
    await writeFile(path.join(dir, 'z.shp'), z.shp);
    const [pz] = features(await collectAndClose(await openShapefile(path.join(dir, 'z.shp'), {})));
    expect(pz.geometry).toMatchObject({ type: 'Polygon', coordinates: [[[0, 0, 7], expect.any(Array), expect.any(Array), expect.any(Array), [0, 0, 7]]] });
  });

  it('streams a large generated shapefile with progress', async () => {
    const count = 20_000;
    const records = Array.from({ length: count }, (_, i) => pointContent(i, i, i % 7));
    const { shp, shx } = buildShp(11, records);
    const dbf = buildDbf([{ name: 'id', type: 'N', length: 9 }], records.map((_, i) => [String(i + 1)]));
    const dir = await folder({ 'big.shp': shp, 'big.shx': shx, 'big.dbf': dbf });
    const src = await openShapefile(path.join(dir, 'big.shp'), {});
    expect(src.estimatedCount).toBe(count);
    let seen = 0;
    let last: SourceItem | undefined;
    let midway = 0;
    for await (const item of src.features()) {
      seen++;
      last = item;
      if (seen === count / 2) midway = src.bytesRead!();
    }
    expect(seen).toBe(count);
    expect(last).toMatchObject({ row: count, properties: { id: count }, geometry: { type: 'Point', coordinates: [count - 1, count - 1, (count - 1) % 7] } });
    expect(midway).toBeGreaterThan(0);
    expect(midway).toBeLessThanOrEqual(src.totalBytes!);
    expect(src.bytesRead!()).toBe(src.totalBytes);
    await src.close();
  });
});
