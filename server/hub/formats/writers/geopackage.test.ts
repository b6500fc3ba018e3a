import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Geometry, Position } from 'geojson';
import initSqlJs from 'sql.js';
import type { Database } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { isYituError } from '../../../platform/errors.ts';
import { writeExport } from './index.ts';
import type { ExportResult } from './types.ts';
import { tempDir, useTempDir } from '../test/temp-dir.ts';
import { LONG_TEXT, POLYGON_WITH_HOLE, input, mixedFeatures, pointFeatures, optionalTool, tool } from './test-fixtures.ts';

/** Independent GeoPackage binary → GeoJSON decoder (little- or big-endian WKB, 2D or ISO Z). */
function decodeGpkg(blob: Uint8Array): { flags: number; srsId: number; envelope: number[]; geometry: Geometry } {
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  expect(String.fromCharCode(blob[0], blob[1])).toBe('GP');
  expect(blob[2]).toBe(0);
  const flags = blob[3];
  const le = (flags & 1) === 1;
  const envLen = [0, 32, 48, 48, 64][(flags >> 1) & 7];
  const envelope = Array.from({ length: envLen / 8 }, (_, i) => dv.getFloat64(8 + i * 8, le));
  let o = 8 + envLen;
  const read = (): Geometry => {
    const l = dv.getUint8(o) === 1;
    const code = dv.getUint32(o + 1, l);
    o += 5;
    const d = code > 1000 ? 3 : 2;
    const u32 = (): number => ((o += 4), dv.getUint32(o - 4, l));
    const pos = (): Position => {
      const p = Array.from({ length: d }, (_, i) => dv.getFloat64(o + i * 8, l));
      o += 8 * d;
      return Number.isNaN(p[0]) ? [] : p;
    };
    const pts = (): Position[] => Array.from({ length: u32() }, pos);
    const rings = (): Position[][] => Array.from({ length: u32() }, pts);
    const many = <T,>(f: () => T): T[] => Array.from({ length: u32() }, f);
    switch (code % 1000) {
      case 1: return { type: 'Point', coordinates: pos() };
      case 2: return { type: 'LineString', coordinates: pts() };
      case 3: return { type: 'Polygon', coordinates: rings() };
      case 4: return { type: 'MultiPoint', coordinates: many(() => (read() as { coordinates: Position }).coordinates) };
      case 5: return { type: 'MultiLineString', coordinates: many(() => (read() as { coordinates: Position[] }).coordinates) };
      case 6: return { type: 'MultiPolygon', coordinates: many(() => (read() as { coordinates: Position[][] }).coordinates) };
      default: return { type: 'GeometryCollection', geometries: many(read) };
    }
  };
  const geometry = read();
  expect(o).toBe(blob.length);
  return { flags, srsId: dv.getInt32(4, le), envelope, geometry };
}

function rowsOf(db: Database, sql: string): Record<string, unknown>[] {
  const st = db.prepare(sql);
  const out: Record<string, unknown>[] = [];
  while (st.step()) out.push(st.getAsObject());
  st.free();
  return out;
}

describe('GeoPackage writer', () => {
  const tmp = useTempDir('yitu-writers-');
  let SQL: Awaited<ReturnType<typeof initSqlJs>>;
  const open = async (r: ExportResult): Promise<Database> => new SQL.Database(await readFile(r.path));
  beforeAll(async () => {
    SQL = await initSqlJs();
  });

  it('writes a GeoPackage 1.3 with the required tables and typed columns', async () => {
    const features = mixedFeatures();
    const r = await writeExport('geopackage', input(features), tmp.dir());
    expect(r).toMatchObject({ fileName: 'test_layer.gpkg', contentType: 'application/geopackage+sqlite3', count: features.length });
    const head = (await readFile(r.path)).subarray(0, 100);
    expect(head.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(head.readUInt32BE(68)).toBe(0x47504b47); // application_id 'GPKG'
    expect(head.readUInt32BE(60)).toBe(10300); // user_version
    const db = await open(r);
    expect(rowsOf(db, 'SELECT srs_id, organization FROM gpkg_spatial_ref_sys ORDER BY srs_id')).toEqual([
      { srs_id: -1, organization: 'NONE' },
      { srs_id: 0, organization: 'NONE' },
      { srs_id: 4326, organization: 'EPSG' },
    ]);
    const [contents] = rowsOf(db, 'SELECT * FROM gpkg_contents');
    expect(contents).toMatchObject({ table_name: 'test_layer', data_type: 'features', identifier: '测试图层', srs_id: 4326 });
    expect(contents).toMatchObject({ min_x: 118, min_y: 28, max_x: 122, max_y: 32 });
    expect(String(contents.last_change)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(rowsOf(db, 'SELECT * FROM gpkg_geometry_columns')).toEqual([
      { table_name: 'test_layer', column_name: 'geom', geometry_type_name: 'GEOMETRY', srs_id: 4326, z: 0, m: 0 },
    ]);
    const cols = rowsOf(db, 'PRAGMA table_info(test_layer)').map((c) => `${c.name} ${c.type}${c.pk ? ' pk' : ''}`);
    expect(cols).toEqual([
      'fid INTEGER pk', 'geom GEOMETRY', 'name TEXT', 'code INTEGER', 'area DOUBLE', 'active BOOLEAN',
      'surveyed DATE', 'updated_at DATETIME', 'attrs TEXT', '土地用途分类 TEXT',
    ]);
    expect(rowsOf(db, "SELECT sql FROM sqlite_master WHERE name = 'test_layer'")[0].sql).toContain('AUTOINCREMENT');

    const rows = rowsOf(db, 'SELECT fid, name, code, area, active, surveyed, updated_at, attrs, "土地用途分类" AS use, CAST(code AS TEXT) AS code_text FROM test_layer ORDER BY fid');
    expect(rows.map((x) => x.fid)).toEqual(features.map((f) => f.id));
    expect(rows[0]).toMatchObject({ name: '要素1', code: 10, area: 1.25, active: 0, surveyed: '2024-03-02', updated_at: '2024-03-01T08:30:01.000Z', use: '耕地' });
    expect(JSON.parse(String(rows[0].attrs))).toEqual({ k: 1, 标签: ['甲', '乙'] });
    expect(rows[1].active).toBe(1);
    expect(rows[6]).toMatchObject({ area: null, active: null, surveyed: null, updated_at: null, attrs: null });
    expect(rows[7].name).toBe(LONG_TEXT);
    expect(rows[8].code_text).toBe('9007199254740993');

    const geoms = rowsOf(db, 'SELECT fid, geom FROM test_layer ORDER BY fid');
    geoms.forEach((g, i) => {
      if (features[i].geometry === null) return expect(g.geom).toBeNull();
      const d = decodeGpkg(g.geom as Uint8Array);
      expect(d.flags).toBe(0b11); // little-endian, xy envelope
      expect(d.srsId).toBe(4326);
      expect(d.geometry).toEqual(features[i].geometry);
    });
    expect(decodeGpkg(geoms[2].geom as Uint8Array).envelope).toEqual([120, 120.01, 30, 30.01]);
    db.close();
  });

  it('builds the R-tree index in the shadow tables and registers it', async () => {
    const r = await writeExport('geopackage', input(mixedFeatures()), tmp.dir());
    const db = await open(r);
    const names = rowsOf(db, "SELECT name, type FROM sqlite_master WHERE name LIKE 'rtree_%' ORDER BY name").map((x) => `${x.type}:${x.name}`);
    expect(names).toEqual([
      'table:rtree_test_layer_geom', 'trigger:rtree_test_layer_geom_delete', 'trigger:rtree_test_layer_geom_insert',
      'table:rtree_test_layer_geom_node', 'table:rtree_test_layer_geom_parent', 'table:rtree_test_layer_geom_rowid',
      'trigger:rtree_test_layer_geom_update1', 'trigger:rtree_test_layer_geom_update2', 'trigger:rtree_test_layer_geom_update3',
      'trigger:rtree_test_layer_geom_update4',
    ]);
    expect(rowsOf(db, "SELECT extension_name, scope FROM gpkg_extensions WHERE table_name = 'test_layer'")).toEqual([
      { extension_name: 'gpkg_rtree_index', scope: 'write-only' },
    ]);
    expect(rowsOf(db, 'SELECT rowid FROM rtree_test_layer_geom_rowid ORDER BY rowid').map((x) => x.rowid)).toEqual([1, 2, 3, 4, 5, 6, 8, 9]);
    db.close();

    if (!(await optionalTool('sqlite3'))) return;
    const out = await tool('sqlite3', [r.path, "SELECT rtreecheck('rtree_test_layer_geom'); SELECT id FROM rtree_test_layer_geom WHERE maxx >= 120.003 AND minx <= 120.0035 AND maxy >= 30.003 AND miny <= 30.0035 ORDER BY id;"]);
    expect(out.trim().split('\n')).toEqual(['ok', '2', '3', '4']); // the line's box covers the query box too
  });

  it('packs a large R-tree that SQLite accepts and queries correctly', async () => {
    const n = 20_000;
    const features = Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      geometry: { type: 'Point' as const, coordinates: [100 + (i % 200) * 0.1, 20 + Math.floor(i / 200) * 0.1] },
      properties: {},
    }));
    const r = await writeExport('geopackage', input(features, { fields: [], geometryType: 'Point' }), tmp.dir());
    if (!(await optionalTool('sqlite3'))) return;
    const out = await tool('sqlite3', [r.path, "SELECT rtreecheck('rtree_test_layer_geom'); SELECT count(*) FROM rtree_test_layer_geom WHERE maxx >= 104.95 AND minx <= 110.05 AND maxy >= 24.95 AND miny <= 30.05;"]);
    const expected = features.filter(({ geometry: { coordinates: [x, y] } }) => x >= 104.95 && x <= 110.05 && y >= 24.95 && y <= 30.05).length;
    expect(out.trim().split('\n')).toEqual(['ok', String(expected)]);
    expect(await tool('sqlite3', [r.path, 'PRAGMA integrity_check'])).toBe('ok\n');
  });

  it('records the layer CRS, titles, and JSON columns', async () => {
    const r = await writeExport('geopackage', input([{ id: 1, geometry: { type: 'Point', coordinates: [500000, 3400000] }, properties: {} }], { crs: 4549 }), tmp.dir());
    const db = await open(r);
    const [srs] = rowsOf(db, 'SELECT * FROM gpkg_spatial_ref_sys WHERE srs_id = 4549');
    expect(srs).toMatchObject({ organization: 'EPSG', organization_coordsys_id: 4549, srs_name: 'CGCS2000 / 3-degree Gauss-Kruger CM 120E' });
    expect(String(srs.definition)).toMatch(/^PROJCS\["CGCS2000 \/ 3-degree Gauss-Kruger CM 120E"/);
    expect(rowsOf(db, 'SELECT srs_id FROM gpkg_contents')[0].srs_id).toBe(4549);
    expect(decodeGpkg(rowsOf(db, 'SELECT geom FROM test_layer')[0].geom as Uint8Array).srsId).toBe(4549);
    expect(rowsOf(db, 'SELECT column_name, name, title, mime_type FROM gpkg_data_columns ORDER BY column_name')).toEqual([
      { column_name: 'area', name: '面积', title: '面积', mime_type: null },
      { column_name: 'attrs', name: null, title: null, mime_type: 'application/json' },
      { column_name: 'name', name: '名称', title: '名称', mime_type: null },
    ]);
    db.close();
  });

  it('declares the geometry type from the hint or the data', async () => {
    const typeOf = async (over: Parameters<typeof input>[1], features = pointFeatures(3)) => {
      const db = await open(await writeExport('geopackage', input(features, over), tmp.dir()));
      const t = rowsOf(db, 'SELECT geometry_type_name AS t FROM gpkg_geometry_columns')[0].t;
      const col = rowsOf(db, 'PRAGMA table_info(test_layer)').find((c) => c.name === 'geom')!.type;
      db.close();
      expect(col).toBe(t); // the column's declared type matches gpkg_geometry_columns
      return t;
    };
    expect(await typeOf({ geometryType: 'Point' })).toBe('POINT');
    expect(await typeOf({})).toBe('POINT');
    expect(await typeOf({}, [{ id: 1, geometry: POLYGON_WITH_HOLE, properties: {} }])).toBe('POLYGON');
    expect(await typeOf({ geometryType: 'MultiPolygon' }, [])).toBe('MULTIPOLYGON');
    const mixed = [{ id: 1, geometry: POLYGON_WITH_HOLE, properties: {} }, { id: 2, geometry: { type: 'MultiPolygon' as const, coordinates: [POLYGON_WITH_HOLE.coordinates] }, properties: {} }];
    expect(await typeOf({ geometryType: 'Polygon' }, mixed)).toBe('GEOMETRY');
  });

  it('handles empty and 3D geometries, duplicate ids and clashing column names', async () => {
    const r = await writeExport(
      'geopackage',
      input(
        [
          { id: 5, geometry: { type: 'Point', coordinates: [1, 2, 3] }, properties: { fid: 'x', geom: 'y' } },
          { id: 5, geometry: { type: 'Polygon', coordinates: [] }, properties: {} },
          { id: 'abc', geometry: { type: 'Point', coordinates: [4, 5, 6] }, properties: {} },
        ],
        { fields: [{ name: 'fid', type: 'text' }, { name: 'geom', type: 'text' }] },
      ),
      tmp.dir(),
    );
    const db = await open(r);
    expect(rowsOf(db, 'PRAGMA table_info(test_layer)').map((c) => c.name)).toEqual(['fid_1', 'geom_1', 'fid', 'geom']);
    const rows = rowsOf(db, 'SELECT fid_1 AS id, geom_1 AS g, fid FROM test_layer ORDER BY fid_1');
    expect(rows.map((x) => x.id)).toEqual([5, 6, 7]);
    expect(rows[0].fid).toBe('x');
    expect(decodeGpkg(rows[0].g as Uint8Array).geometry).toEqual({ type: 'Point', coordinates: [1, 2, 3] });
    const empty = decodeGpkg(rows[1].g as Uint8Array);
    expect(empty.flags).toBe(0b10001); // little-endian, empty, no envelope
    expect(empty.geometry).toEqual({ type: 'Polygon', coordinates: [] });
    expect(rowsOf(db, 'SELECT z FROM gpkg_geometry_columns')[0].z).toBe(1); // every non-empty geometry has Z
    expect(rowsOf(db, 'SELECT count(*) AS n FROM rtree_test_layer_geom_1_rowid')[0].n).toBe(2);
    db.close();
  });

  it('writes a valid empty GeoPackage, and one without spatial index on request', async () => {
    const r = await writeExport('geopackage', input([], { geometryType: 'Point' }), tmp.dir(), { spatialIndex: false });
    expect(r.count).toBe(0);
    const db = await open(r);
    expect(rowsOf(db, 'SELECT count(*) AS n FROM test_layer')[0].n).toBe(0);
    expect(rowsOf(db, 'SELECT min_x FROM gpkg_contents')[0].min_x).toBeNull();
    expect(rowsOf(db, "SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'rtree%'")[0].n).toBe(0);
    db.close();
  });

  it('refuses more features than the limit, suggesting GeoJSON or CSV, and leaves no file', async () => {
    const { dir: own, cleanup: done } = await tempDir('yitu-writers-');
    try {
      const err = await writeExport('geopackage', input(pointFeatures(11)), own, { maxFeatures: 10 }).catch((e: unknown) => e);
      expect(isYituError(err) && err.code).toBe('YITU_ERR_PAYLOAD_TOO_LARGE');
      expect((err as Error).message).toMatch(/GeoJSON or CSV/);
      expect(existsSync(`${own}/test_layer.gpkg`) || existsSync(`${own}/test_layer.gpkg.part`)).toBe(false);
    } finally {
      await done();
    }
  });
});
