import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as flatbuffers from 'flatbuffers';
import { Feature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import { serialize } from 'flatgeobuf/lib/mjs/geojson.js';
import { describe, expect, it } from 'vitest';
import { openFlatGeobuf } from './flatgeobuf.ts';
import { BINARY, collect, collectAndClose, useTempDir } from './test/reader-helpers.ts';
import type { SourceItem } from './types.ts';

const tmp = useTempDir('yitu-fgb-');

describe('openFlatGeobuf', () => {
  it('reads header CRS, fields, count, and polygons with holes (spatially indexed file)', async () => {
    const src = await openFlatGeobuf(join(BINARY, 'parcels.fgb'), {});
    expect(src.format).toBe('flatgeobuf');
    expect(src.crs).toBe(4549);
    expect(src.estimatedCount).toBe(2);
    expect(src.fields).toEqual([
      { name: '名称', type: 'text' },
      { name: '面积', type: 'number' },
      { name: '编号', type: 'integer' },
      { name: '日期', type: 'timestamp' },
      { name: '有效', type: 'boolean' },
      { name: '更新', type: 'timestamp' },
    ]);
    const items = await collectAndClose(src);
    expect(items).toHaveLength(2);
    const byName = Object.fromEntries(items.map((i) => [(i as unknown as { properties: { 名称: string } }).properties.名称, i]));
    expect(byName['西湖区地块一']).toMatchObject({
      properties: { 面积: 12345.67, 编号: 1, 有效: true, 日期: '2024-01-15T00:00:00', 更新: expect.stringMatching(/^2024-01-15T08:30:00/) },
      geometry: { type: 'Polygon' },
    });
    const poly = byName['西湖区地块一'] as { geometry: { coordinates: number[][][] } };
    expect(poly.geometry.coordinates).toHaveLength(2);
    expect(byName['滨江·乙']).toMatchObject({ properties: { 日期: null, 更新: null, 有效: false }, geometry: { type: 'MultiPolygon' } });
    expect((byName['滨江·乙'] as { geometry: { coordinates: unknown[] } }).geometry.coordinates).toHaveLength(2);
    expect(src.bytesRead?.()).toBe(src.totalBytes);
  });

  it('keeps 64-bit integers exact and reads points without index', async () => {
    const src = await openFlatGeobuf(join(BINARY, 'points.fgb'), {});
    expect(src.crs).toBe(4490);
    expect(src.fields).toContainEqual({ name: 'big', type: 'integer' });
    const items = await collectAndClose(src);
    expect(items[0]).toEqual({
      row: 1,
      geometry: { type: 'Point', coordinates: [120.1551, 30.2741] },
      properties: { name: '杭州市', pop: 12204000, big: '9007199254740993', ratio: 0.25, founded: '0589-01-01T00:00:00' },
    });
    expect(items[1]).toMatchObject({ row: 2, properties: { name: '余杭区', big: 1, ratio: null, founded: null } });
  });

  it('reads a feature without geometry as geometry null', async () => {
    const b = new flatbuffers.Builder();
    Feature.startFeature(b);
    b.finishSizePrefixed(Feature.endFeature(b));
    const base = await readFile(join(BINARY, 'points.fgb'));
    const file = await tmp.file('null-geom.fgb', Buffer.concat([base, b.asUint8Array()]));
    const items = await collectAndClose(await openFlatGeobuf(file, {}));
    expect(items).toHaveLength(3);
    expect(items[2]).toEqual({ row: 3, geometry: null, properties: { name: null, pop: null, big: null, ratio: null, founded: null } });
  });

  it('reads files written by the flatgeobuf package (3D lines, EPSG from the header)', async () => {
    const bytes = serialize(
      {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { n: 'a' }, geometry: { type: 'LineString', coordinates: [[1, 2, 3], [4, 5, 6]] } },
        ],
      },
      4528,
    );
    const src = await openFlatGeobuf(await tmp.file('lib.fgb', bytes), {});
    expect(src.crs).toBe(4528);
    expect(await collectAndClose(src)).toEqual([
      { row: 1, geometry: { type: 'LineString', coordinates: [[1, 2, 3], [4, 5, 6]] }, properties: { n: 'a' } },
    ]);
  });

  it('refuses a file with a bad signature or a broken header', async () => {
    const bad = await tmp.file('bad.fgb', Buffer.from('not a flatgeobuf file at all'));
    await expect(openFlatGeobuf(bad, {})).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_FILE_MALFORMED',
      message: expect.stringContaining('signature'),
    });
    const base = await readFile(join(BINARY, 'parcels.fgb'));
    const cut = await tmp.file('cut-header.fgb', base.subarray(0, 40));
    await expect(openFlatGeobuf(cut, {})).rejects.toMatchObject({ code: 'YITU_ERR_IMPORT_FILE_MALFORMED' });
    const cutIndex = await tmp.file('cut-index.fgb', base.subarray(0, 12 + base.readUInt32LE(8) + 10));
    await expect(openFlatGeobuf(cutIndex, {})).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_FILE_MALFORMED',
      message: expect.stringContaining('index'),
    });
  });

  it('reports a truncated file with the feature number', async () => {
    const base = await readFile(join(BINARY, 'points.fgb'));
    const file = await tmp.file('truncated.fgb', base.subarray(0, base.length - 10));
    const src = await openFlatGeobuf(file, {});
    const seen: SourceItem[] = [];
    await expect(collect(src, seen)).rejects.toMatchObject({ code: 'YITU_ERR_IMPORT_FILE_MALFORMED', errors: [{ row: 2 }] });
    await src.close();
    expect(seen).toHaveLength(1);
  });
});
