import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openKml } from './kml.ts';
import { FIXTURES, collect, expectFailure, useTempDir, zipBuffer } from './test/reader-helpers.ts';
import { isRowError, type SourceFeature } from './types.ts';

const { file } = useTempDir('yitu-kml-test-');
const tmpKmz = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('yitu-kmz-'));

describe('openKml', () => {
  it('reads placemarks with Chinese names, ExtendedData, folders and all geometry kinds, in EPSG:4326', async () => {
    const src = await openKml(join(FIXTURES, 'places.kml'));
    expect(src).toMatchObject({ format: 'kml', crs: 4326 });
    const items = (await collect(src)) as SourceFeature[];
    expect(items.map((i) => [i.row, i.properties.name, i.geometry?.type])).toEqual([
      [1, '西湖', 'Point'],
      [2, '苏堤', 'LineString'],
      [3, '湖区', 'Polygon'],
    ]);
    expect(items[0].properties).toMatchObject({ description: '杭州西湖', 等级: '5A' });
    expect(items[0].properties).not.toHaveProperty('styleHash');
    expect(items[0].geometry).toEqual({ type: 'Point', coordinates: [120.1485, 30.2425, 0] });
    await src.close();
  });

  it('reads a KMZ (doc.kml inside a zip) and removes its temporary directory on close', async () => {
    const before = await tmpKmz();
    const kml = await readFile(join(FIXTURES, 'places.kml'));
    const p = await file('places.kmz', await zipBuffer({ 'doc.kml': kml, 'files/icon.png': Buffer.alloc(10) }));
    const src = await openKml(p);
    expect((await collect(src)).length).toBe(3);
    expect((await tmpKmz()).length).toBe(before.length + 1);
    await src.close();
    expect(await tmpKmz()).toEqual(before);
    await expectFailure(openKml(await file('nokml.kmz', await zipBuffer({ 'readme.txt': 'x' }))), 'YITU_ERR_IMPORT_FILE_MALFORMED');
    expect(await tmpKmz()).toEqual(before);
  });

  it('decodes a GBK KML named in its XML declaration', async () => {
    const text = (await readFile(join(FIXTURES, 'places.kml'), 'utf8')).replace('encoding="UTF-8"', 'encoding="GBK"');
    const items = (await collect(await openKml(await file('gbk.kml', iconv.encode(text, 'gbk'))))) as SourceFeature[];
    expect(items[0].properties.name).toBe('西湖');
  });

  it('reports malformed XML with its line, non-KML XML, empty and too large files', async () => {
    const bad = '<?xml version="1.0"?>\n<kml>\n<Document>\n<Placemark><name>a</name>\n</Document></kml>';
    const e = await expectFailure(openKml(await file('bad.kml', bad)), 'YITU_ERR_IMPORT_FILE_MALFORMED');
    expect(e.errors?.[0].line).toBeGreaterThanOrEqual(4);
    expect(e.message).toMatch(/line [45]/);
    const e2 = await expectFailure(openKml(await file('svg.kml', '<svg xmlns="http://www.w3.org/2000/svg"/>')), 'YITU_ERR_IMPORT_FILE_MALFORMED');
    expect(e2.message).toMatch(/<svg>/);
    await expectFailure(openKml(await file('trunc.kml', bad.slice(0, 40))), 'YITU_ERR_IMPORT_FILE_MALFORMED');
    await expectFailure(openKml(await file('empty.kml', '')), 'YITU_ERR_IMPORT_FILE_EMPTY');
    const big = await expectFailure(openKml(join(FIXTURES, 'places.kml'), { maxBytes: 100 }), 'YITU_ERR_IMPORT_FILE_TOO_LARGE');
    expect(big.message).toMatch(/limited to/);
  });

  it('reports a placemark with invalid geometry as a row error', async () => {
    const kml = '<kml><Document><Placemark><name>x</name><Polygon><outerBoundaryIs><LinearRing><coordinates>1,1 2,2 1,1</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark><Placemark><name>y</name></Placemark><Placemark><Point><coordinates>abc,1</coordinates></Point></Placemark></Document></kml>';
    const items = await collect(await openKml(await file('ring.kml', kml)));
    expect(isRowError(items[0])).toBe(true);
    expect(items[0]).toMatchObject({ row: 1, field: 'geometry' });
    expect((items[0] as { reason: string }).reason).toMatch(/^Placemark 1 \(x\): its <Polygon> coordinates cannot be read/);
    expect(items[1]).toMatchObject({ row: 2, geometry: null, properties: { name: 'y' } });
    expect(items[2]).toMatchObject({ row: 3, error: true });
  });
});
