import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YituError } from '../../platform/errors.ts';
import { detectFormat, openSource } from './open-source.ts';
import type { OpenedSource, SourceFeature, SourceItem } from './types.ts';

const FIX = join(import.meta.dirname, 'test', 'fixtures');
const BIN = join(import.meta.dirname, 'test', 'binary');
const HAS_ZIP = existsSync(join(import.meta.dirname, 'zip-safe.ts'));
const HAS_SHP = existsSync(join(import.meta.dirname, 'shapefile.ts')) && existsSync(join(BIN, 'utf8-points.shp'));
const HAS_GPKG = existsSync(join(import.meta.dirname, 'geopackage.ts')) && existsSync(join(BIN, 'sample.gpkg'));
const HAS_FGB = existsSync(join(import.meta.dirname, 'flatgeobuf.ts')) && existsSync(join(BIN, 'points.fgb'));

let dir: string;
let scratch: string; // TMPDIR while opening zips, to watch the temporary directories
const savedTmp = process.env.TMPDIR;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yitu-open-test-'));
  scratch = join(dir, 'tmp');
  await mkdir(scratch);
});
afterAll(async () => {
  process.env.TMPDIR = savedTmp;
  if (savedTmp === undefined) delete process.env.TMPDIR;
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, content);
  return p;
}
async function collect(src: OpenedSource): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const it of src.features()) out.push(it);
  return out;
}
async function failure(p: Promise<unknown>, code: string): Promise<YituError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(YituError);
  expect((e as YituError).code).toBe(code);
  return e as YituError;
}
async function zip(name: string, entries: Record<string, Buffer | string>): Promise<string> {
  const z = new yazl.ZipFile();
  for (const [n, data] of Object.entries(entries)) z.addBuffer(Buffer.from(data), n);
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return file(name, Buffer.concat(chunks));
}
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
    const upload = await file('upload-1', await readFile(join(FIX, 'schools.csv')));
    expect((await openSource(upload, { originalName: '学校.csv' })).format).toBe('csv');
    const kml = await file('upload-2', await readFile(join(FIX, 'places.kml')));
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
    expect(await detectFormat(await file('noext4', await readFile(join(FIX, 'places.kml'))))).toBe('kml');
    expect(await detectFormat(await file('noext5', '<kml xmlns="http://www.opengis.net/kml/2.2"></kml>'))).toBe('kml');
    expect(await detectFormat(join(FIX, 'points.geojsonl'))).toBe('ndjson');
    // the explicit format wins
    expect(await detectFormat(await file('data.txt', fc), { format: 'geojson' })).toBe('geojson');
    const src = await openSource(await file('feat.dat', fc), { format: 'geojson' });
    expect(((await collect(src))[0] as SourceFeature).properties).toEqual({ 名称: '甲' });
  });

  it.skipIf(!HAS_GPKG)('detects GeoPackage by its SQLite header', async () => {
    const p = join(dir, 'gpkg-noext');
    await copyFile(join(BIN, 'sample.gpkg'), p);
    expect(await detectFormat(p)).toBe('geopackage');
  });

  it.skipIf(!HAS_FGB)('detects and opens FlatGeobuf by its magic bytes', async () => {
    const p = join(dir, 'fgb-noext');
    await copyFile(join(BIN, 'points.fgb'), p);
    expect(await detectFormat(p)).toBe('flatgeobuf');
    const src = await openSource(p);
    expect(src.format).toBe('flatgeobuf');
    await src.close();
  });

  it.skipIf(!HAS_SHP)('opens a .shp directly', async () => {
    const src = await openSource(join(BIN, 'utf8-points.shp'));
    expect(src.format).toBe('shapefile');
    expect((await collect(src)).length).toBeGreaterThan(0);
    await src.close();
  });

  it('fails clearly on unknown, empty and missing files', async () => {
    const e = await failure(openSource(await file('data.bin', Buffer.from([1, 2, 3, 4]))), 'YITU_ERR_IMPORT_FORMAT_UNKNOWN');
    expect(e.message).toMatch(/GeoJSON.*CSV.*Shapefile.*GeoPackage.*FlatGeobuf.*KML/);
    const x = await failure(openSource(await file('book.xlsx', 'not really')), 'YITU_ERR_IMPORT_FORMAT_UNKNOWN');
    expect(x.message).toMatch(/save the sheet as CSV/);
    await failure(openSource(await file('empty.geojson', '')), 'YITU_ERR_IMPORT_FILE_EMPTY');
    await failure(openSource(await file('empty-upload', ''), { originalName: 'a.csv' }), 'YITU_ERR_IMPORT_FILE_EMPTY');
    await failure(openSource(join(dir, 'missing.csv')), 'YITU_ERR_INPUT_INVALID');
    await failure(openSource(dir), 'YITU_ERR_INPUT_INVALID');
    await failure(openSource(join(FIX, 'places.kml'), { maxKmlBytes: 100 }), 'YITU_ERR_IMPORT_FILE_TOO_LARGE');
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
    for (const ext of ['shp', 'shx', 'dbf', 'prj']) entries[`parcels/utf8-points.${ext}`] = await readFile(join(BIN, `utf8-points.${ext}`));
    entries['parcels/attributes.csv'] = Buffer.from('a,b\n1,2\n');
    const src = await openWatched(await zip('shp.zip', entries), { originalName: '地块.zip' });
    expect(src.format).toBe('shapefile');
    expect((await collect(src)).length).toBeGreaterThan(0);
    await src.close();
    expect(await leftovers()).toEqual([]);
  });

  it('lists several datasets, and picks one by zipEntry or layer', async () => {
    const p = await zip('two.zip', { 'a.geojson': fc, 'b/points.csv': 'name,lon,lat\nx,1,2\n' });
    const e = await failure(openWatched(p), 'YITU_ERR_INPUT_INVALID');
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
    await failure(openWatched(p, { zipEntry: 'nope.csv' }), 'YITU_ERR_INPUT_INVALID');
    expect(await leftovers()).toEqual([]);
  });

  it('says what a zip without a dataset holds', async () => {
    const e = await failure(openWatched(await zip('none.zip', { 'notes.docx': 'x', 'img/a.png': 'y' })), 'YITU_ERR_IMPORT_FORMAT_UNKNOWN');
    expect(e.message).toMatch(/found: notes\.docx, img\/a\.png/);
    expect(await leftovers()).toEqual([]);
  });

  it('reads a KMZ by extension or inside a zip', async () => {
    const kml = await readFile(join(FIX, 'places.kml'));
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
    await failure(openWatched(p, { maxUncompressedBytes: 1000 }), 'YITU_ERR_IMPORT_ZIP_UNSAFE');
    expect(await leftovers()).toEqual([]);
  });
});
