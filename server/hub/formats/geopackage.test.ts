import { readFile } from 'node:fs/promises';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { openGeoPackage } from './geopackage.ts';
import { BINARY, collect, collectAndClose, useTempDir } from './test/reader-helpers.ts';
import { isRowError } from './types.ts';
import { encodeGeoPackageGeometry } from './wkb.ts';

const sample = path.join(BINARY, 'sample.gpkg');
const tmp = useTempDir('yitu-gpkg-');

/** Copies the sample GeoPackage, runs SQL on the copy with sql.js and returns its path. */
async function variant(name: string, sql: string, params: Record<string, unknown> = {}): Promise<string> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(await readFile(sample));
  const stmts = sql.split(';').map((s) => s.trim()).filter(Boolean);
  for (const s of stmts) db.run(s, params as never);
  const file = await tmp.file(name, db.export());
  db.close();
  return file;
}

describe('openGeoPackage', () => {
  it('lists the feature layers and reads the first one with its CRS and fields', async () => {
    const src = await openGeoPackage(sample, {});
    try {
      expect(src.format).toBe('geopackage');
      expect(src.layers).toEqual(['parcels', 'roads']);
      expect(src.crs).toBe(4549);
      expect(src.estimatedCount).toBe(3);
      expect(src.fields).toEqual([
        { name: '名称', type: 'text' },
        { name: '面积', type: 'number' },
        { name: '编号', type: 'integer' },
        { name: '日期', type: 'date' },
        { name: '有效', type: 'boolean' },
        { name: '更新', type: 'timestamp' },
      ]);
      const items = await collect(src);
      expect(items).toHaveLength(3);
      expect(items[0]).toMatchObject({
        row: 1,
        id: 1,
        properties: { 名称: '西湖区地块一', 面积: 12345.67, 编号: 1, 日期: '2024-01-15', 有效: true, 更新: '2024-01-15T08:30:00.000Z' },
        geometry: { type: 'Polygon' },
      });
      const poly = items[0] as { geometry: { coordinates: number[][][] } };
      expect(poly.geometry.coordinates).toHaveLength(2);
      expect(poly.geometry.coordinates[1][0]).toEqual([500200, 3350200]);
      expect(items[1]).toMatchObject({ row: 2, id: 2, properties: { 有效: false, 日期: null }, geometry: { type: 'MultiPolygon' } });
      expect(items[2]).toMatchObject({ row: 3, id: 3, geometry: null, properties: { 名称: '无几何', 有效: null } });
      expect(src.bytesRead?.()).toBe(src.totalBytes);
    } finally {
      await src.close();
    }
  });

  it('reads a named layer (case-insensitively) with 3D geometries', async () => {
    const src = await openGeoPackage(sample, { layer: 'ROADS' });
    try {
      expect(src.crs).toBe(4528);
      expect(src.fields).toEqual([{ name: 'road', type: 'text' }]);
      const items = await collect(src);
      expect(items[0]).toMatchObject({
        properties: { road: '文一路' },
        geometry: { type: 'LineString', coordinates: [[40500000, 3350000, 10], [40500100, 3350100, 12.5]] },
      });
      expect(items[1]).toMatchObject({ geometry: { type: 'MultiLineString' } });
    } finally {
      await src.close();
    }
  });

  it('refuses an unknown layer, listing the layers', async () => {
    await expect(openGeoPackage(sample, { layer: 'codes' })).rejects.toMatchObject({
      code: 'YITU_ERR_INPUT_INVALID',
      message: expect.stringContaining('parcels, roads'),
      extra: { layers: ['parcels', 'roads'] },
    });
  });

  it('refuses files that are not GeoPackages', async () => {
    const text = await tmp.file('not.gpkg', 'this is not a database, just some text');
    await expect(openGeoPackage(text, {})).rejects.toMatchObject({ code: 'YITU_ERR_IMPORT_FILE_MALFORMED' });
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE t (a INTEGER)');
    const plain = await tmp.file('plain.sqlite', db.export());
    db.close();
    await expect(openGeoPackage(plain, {})).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_FILE_MALFORMED',
      message: expect.stringContaining('gpkg_contents'),
    });
    const truncated = await tmp.file('truncated.gpkg', (await readFile(sample)).subarray(0, 3000));
    await expect(openGeoPackage(truncated, {})).rejects.toMatchObject({ code: 'YITU_ERR_IMPORT_FILE_MALFORMED' });
  });

  it('refuses a file over the in-memory limit', async () => {
    await expect(openGeoPackage(sample, { maxFileBytes: 1000 })).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_FILE_TOO_LARGE',
      message: expect.stringContaining('in memory'),
    });
  });

  it('reports an unreadable geometry as a row error and keeps reading', async () => {
    const file = await variant('bad-geom.gpkg', "UPDATE parcels SET geom = X'47500001E6100000010300' WHERE fid = 2");
    const src = await openGeoPackage(file, {});
    const items = await collectAndClose(src);
    expect(items.map((i) => isRowError(i))).toEqual([false, true, false]);
    expect(items[1]).toMatchObject({ row: 2, field: 'geom', error: true, reason: expect.stringContaining('truncated') });
  });

  it('keeps 64-bit integers exact and maps a non-EPSG srs through its WKT', async () => {
    const wkt = 'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]';
    const file = await variant(
      'custom.gpkg',
      `INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition) VALUES ('local', 99001, 'NONE', 99001, $wkt);
       UPDATE gpkg_geometry_columns SET srs_id = 99001 WHERE table_name = 'roads';
       UPDATE gpkg_contents SET srs_id = 99001 WHERE table_name = 'roads';
       ALTER TABLE roads ADD COLUMN big INTEGER;
       UPDATE roads SET big = 9007199254740993 WHERE fid = 1;
       UPDATE roads SET big = 42, geom = $geom WHERE fid = 2`,
      { $wkt: wkt, $geom: encodeGeoPackageGeometry({ type: 'Point', coordinates: [120, 30] }, 99001).blob },
    );
    const src = await openGeoPackage(file, { layer: 'roads' });
    const items = await collectAndClose(src);
    expect(src.crs).toBe(4490);
    expect(src.fields).toContainEqual({ name: 'big', type: 'integer' });
    expect(items[0]).toMatchObject({ properties: { big: '9007199254740993' } });
    expect(items[1]).toMatchObject({ properties: { big: 42 }, geometry: { type: 'Point', coordinates: [120, 30] } });
  });

  it('stops cleanly when the consumer stops early', async () => {
    const src = await openGeoPackage(sample, {});
    for await (const item of src.features()) {
      expect(item.row).toBe(1);
      break;
    }
    const again = await collect(src);
    expect(again).toHaveLength(3);
    await src.close();
    await src.close();
  });
});
