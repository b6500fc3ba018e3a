import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat, openSource } from './open-source.ts';
import { BINARY, FIXTURES, collect, expectFailure, useTempDir, zipBuffer } from './test/reader-helpers.ts';
import type { OpenedSource, SourceFeature } from './types.ts';

const HAS_ZIP = existsSync(join(import.meta.dirname, 'zip-safe.ts'));
const HAS_SHP = existsSync(join(import.meta.dirname, 'shapefile.ts')) && existsSync(join(BINARY, 'utf8-points.shp'));
const HAS_GPKG = existsSync(join(import.meta.dirname, 'geopackage.ts')) && existsSync(join(BINARY, 'sample.gpkg'));
const HAS_FGB = existsSync(join(import.meta.dirname, 'flatgeobuf.ts')) && existsSync(join(BINARY, 'points.fgb'));

const tmp = useTempDir('yitu-open-test-');
const { file } = tmp;
let scratch: string; // TMPDIR while opening zips, to watch the temporary directories
const savedTmp = process.env.TMPDIR;
beforeAll(async () => {
  scratch = tmp.path('tmp');
  await mkdir(scratch);
});
afterAll(() => {
  process.env.TMPDIR = savedTmp;
  if (savedTmp === undefined) delete process.env.TMPDIR;
});

const zip = async (name: string, entries: Record<string, Buffer | string>): Promise<string> => file(name, await zipBuffer(entries));
/** Opens with TMPDIR pointed at `scratch`, so the zip's temporary directory can be watched. */
async function openWatched(path: string, opts: Parameters<typeof openSource>[1] = {}): Promise<OpenedSource> {
  process.env.TMPDIR = scratch;
  try {
    return await openSource(path, opts);
  } finally {
    process.env.TMPDIR = savedTmp;
    if (savedTmp === undefined) delete process.env.TMPDIR;
  }
}
const feature = JSON.stringify({ type: 'Feature', properties: { 名称: '甲' }, geometry: { type: 'Point', coordinates: [1, 2] } });
const fc = `{"type":"FeatureCollection","features":[${feature}]}`;

describe('openSource: format detection', () => {
  it('uses the original name when the upload path has no extension', async () => {
    const upload = await file('upload-1', await readFile(join(FIXTURES, 'schools.csv')));
    expect((await openSource(upload, { originalName: '学校.csv' })).format).toBe('csv');
    const kml = await file('upload-2', await readFile(join(FIXTURES, 'places.kml')));
    expect((await openSource(kml, { originalName: 'a.KML' })).format).toBe('kml');
    const tsv = await openSource(await file('upload-3', 'a\tb\tlon\tlat\n1\t2\t3\t4\n'), { originalName: 'x.tsv' });
    expect(tsv).toMatchObject({ format: 'csv', delimiter: '\t' });
  });

  it('detects text formats from their first bytes', async () => {
    expect(await detectFormat(await file('noext1', fc))).toBe('geojson');
    expect(await detectFormat(await file('noext2', `\u001e${feature}\n\u001e${feature}\n`))).toBe('ndjson');
    expect(await detectFormat(await file('noext3', `${feature}\n${feature}\n`))).toBe('ndjson');
    expect(await detectFormat(await file('nd.json', `${feature}\n${feature}\n`))).toBe('ndjson');
    expect(await detectFormat(await file('one.json', fc))).toBe('geojson');
    expect(await detectFormat(await file('pretty.geojson', JSON.stringify(JSON.parse(fc), null, 2)))).toBe('geojson');
    expect(await detectFormat(await file('noext4', await readFile(join(FIXTURES, 'places.kml'))))).toBe('kml');
    expect(await detectFormat(await file('noext5', '<kml xmlns="http://www.opengis.net/kml/2.2"></kml>'))).toBe('kml');
    expect(await detectFormat(join(FIXTURES, 'points.geojsonl'))).toBe('ndjson');
    // the explicit format wins
    expect(await detectFormat(await file('data.txt', fc), { format: 'geojson' })).toBe('geojson');
    const src = await openSource(await file('feat.dat', fc), { format: 'geojson' });
    expect(((await collect(src))[0] as SourceFeature).properties).toEqual({ 名称: '甲' });
  });

  it.skipIf(!HAS_GPKG)('detects GeoPackage by its SQLite header', async () => {
    const p = tmp.path('gpkg-noext');
    await copyFile(join(BINARY, 'sample.gpkg'), p);
    expect(await detectFormat(p)).toBe('geopackage');
  });

  it.skipIf(!HAS_FGB)('detects and opens FlatGeobuf by its magic bytes', async () => {
    const p = tmp.path('fgb-noext');
    await copyFile(join(BINARY, 'points.fgb'), p);
    expect(await detectFormat(p)).toBe('flatgeobuf');
    const src = await openSource(p);
    expect(src.format).toBe('flatgeobuf');
    await src.close();
  });

  it.skipIf(!HAS_SHP)('opens a .shp directly', async () => {
    const src = await openSource(join(BINARY, 'utf8-points.shp'));
    expect(src.format).toBe('shapefile');
    expect((await collect(src)).length).toBeGreaterThan(0);
    await src.close();
  });

  it('fails clearly on unknown, empty and missing files', async () => {
    const e = await expectFailure(openSource(await file('data.bin', Buffer.from([1, 2, 3, 4]))), 'YITU_ERR_IMPORT_FORMAT_UNKNOWN');
    expect(e.message).toMatch(/GeoJSON.*CSV.*Shapefile.*GeoPackage.*FlatGeobuf.*KML/);
    const x = await expectFailure(openSource(await file('book.xlsx', 'not really')), 'YITU_ERR_IMPORT_FORMAT_UNKNOWN');
    expect(x.message).toMatch(/save the sheet as CSV/);
    await expectFailure(openSource(await file('empty.geojson', '')), 'YITU_ERR_IMPORT_FILE_EMPTY');
    await expectFailure(openSource(await file('empty-upload', ''), { originalName: 'a.csv' }), 'YITU_ERR_IMPORT_FILE_EMPTY');
    await expectFailure(openSource(tmp.path('missing.csv')), 'YITU_ERR_INPUT_INVALID');
    await expectFailure(openSource(tmp.dir()), 'YITU_ERR_INPUT_INVALID');
    await expectFailure(openSource(join(FIXTURES, 'places.kml'), { maxKmlBytes: 100 }), 'YITU_ERR_IMPORT_FILE_TOO_LARGE');
  });
});

describe.skipIf(!HAS_ZIP)('openSource: zip archives', () => {
  const leftovers = async () => readdir(scratch);

  it('opens the single dataset inside (in a folder) and removes the temporary directory on close', async () => {
    const p = await zip('one.zip', { '数据/学校.geojson': fc, 'readme.txt': '说明' });
    const src = await openWatched(p);
    expect(src.format).toBe('geojson');
    expect(await leftovers()).toHaveLength(1);
    expect(((await collect(src))[0] as SourceFeature).properties).toEqual({ 名称: '甲' });
    await src.close();
    expect(await leftovers()).toEqual([]);
  });

  it.skipIf(!HAS_SHP)('prefers a shapefile inside a zip', async () => {
    const entries: Record<string, Buffer> = {};
    for (const ext of ['shp', 'shx', 'dbf', 'prj']) entries[`parcels/utf8-points.${ext}`] = await readFile(join(BINARY, `utf8-points.${ext}`));
    entries['parcels/attributes.csv'] = Buffer.from('a,b\n1,2\n');
    const src = await openWatched(await zip('shp.zip', entries), { originalName: '地块.zip' });
    expect(src.format).toBe('shapefile');
    expect((await collect(src)).length).toBeGreaterThan(0);
    await src.close();
    expect(await leftovers()).toEqual([]);
  });

  it('lists several datasets, and picks one by zipEntry or layer', async () => {
    const p = await zip('two.zip', { 'a.geojson': fc, 'b/points.csv': 'name,lon,lat\nx,1,2\n' });
    const e = await expectFailure(openWatched(p), 'YITU_ERR_INPUT_INVALID');
    expect(e.message).toMatch(/several datasets: a\.geojson, b\/points\.csv/);
    expect(await leftovers()).toEqual([]);
    const byEntry = await openWatched(p, { zipEntry: 'b/points.csv' });
    expect(byEntry.format).toBe('csv');
    await byEntry.close();
    const byLayer = await openWatched(p, { layer: 'a' });
    expect(byLayer.format).toBe('geojson');
    await byLayer.close();
    const byFormat = await openWatched(p, { format: 'csv' });
    expect(byFormat.format).toBe('csv');
    await byFormat.close();
    await expectFailure(openWatched(p, { zipEntry: 'nope.csv' }), 'YITU_ERR_INPUT_INVALID');
    expect(await leftovers()).toEqual([]);
  });

  it('says what a zip without a dataset holds', async () => {
    const e = await expectFailure(openWatched(await zip('none.zip', { 'notes.docx': 'x', 'img/a.png': 'y' })), 'YITU_ERR_IMPORT_FORMAT_UNKNOWN');
    expect(e.message).toMatch(/found: notes\.docx, img\/a\.png/);
    expect(await leftovers()).toEqual([]);
  });

  it('reads a KMZ by extension or inside a zip', async () => {
    const kml = await readFile(join(FIXTURES, 'places.kml'));
    const kmz = await zip('places.kmz', { 'doc.kml': kml });
    const src = await openSource(kmz);
    expect(src.format).toBe('kml');
    expect(await collect(src)).toHaveLength(3);
    await src.close();
    const inZip = await openWatched(await zip('kml.zip', { 'places.kml': kml }));
    expect(inZip.format).toBe('kml');
    await inZip.close();
    expect(await leftovers()).toEqual([]);
  });

  it('passes the uncompressed-size limit to the safe extractor', async () => {
    const p = await zip('big.zip', { 'a.geojson': `${fc}${' '.repeat(100_000)}` });
    await expectFailure(openWatched(p, { maxUncompressedBytes: 1000 }), 'YITU_ERR_IMPORT_ZIP_UNSAFE');
    expect(await leftovers()).toEqual([]);
  });
});
