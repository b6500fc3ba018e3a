import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Feature, Geometry, Polygon, Position } from 'geojson';
import * as shapefile from 'shapefile';
import { describe, expect, it } from 'vitest';
import { isYituError } from '../../../platform/errors.ts';
import { crsDefinition } from './crs-defs.ts';
import { writeExport } from './index.ts';
import { ringArea2 } from './shp-geometry.ts';
import type { ExportFeature, ExportInput, ExportOptions } from './types.ts';
import { useTempDir } from '../test/temp-dir.ts';
import { LONG_TEXT, POLYGON_WITH_HOLE, input, mixedFeatures, pointFeatures, unzip } from './test-fixtures.ts';

/** Reads a Shapefile with the `shapefile` npm reader (independent of our writer). */
async function readShp(base: string): Promise<Feature[]> {
  const src = await shapefile.open(`${base}.shp`, `${base}.dbf`, { encoding: 'utf-8' });
  const out: Feature[] = [];
  for (let r = await src.read(); !r.done; r = await src.read()) out.push(r.value);
  return out;
}

/** The shape type in a .shp header, and the record count from the .shx length. */
async function shpInfo(base: string): Promise<{ type: number; records: number; box: number[] }> {
  const shp = await readFile(`${base}.shp`);
  const shx = await readFile(`${base}.shx`);
  expect(shp.readInt32BE(0)).toBe(9994);
  expect(shp.readInt32BE(24) * 2).toBe(shp.length);
  expect(shx.readInt32BE(24) * 2).toBe(shx.length);
  expect(shp.readInt32LE(28)).toBe(1000);
  expect(shx.readInt32LE(32)).toBe(shp.readInt32LE(32));
  return { type: shp.readInt32LE(32), records: (shx.length - 100) / 8, box: [0, 1, 2, 3].map((i) => shp.readDoubleLE(36 + i * 8)) };
}

/** Ring as a set of "x y" strings (orientation-free comparison). */
const ringSet = (r: Position[]): string[] => [...new Set(r.map((p) => `${p[0]} ${p[1]}`))].sort();

describe('Shapefile writer', () => {
  const tmp = useTempDir('yitu-writers-');
  let n = 0;

  /** Writes and unzips an export; returns the folder and entries. */
  async function exportShp(inp: ExportInput, options?: ExportOptions): Promise<{ out: string; entries: string[]; count: number }> {
    const out = tmp.path(`x${n++}`);
    await mkdir(out);
    const r = await writeExport('shapefile', inp, out, options);
    expect(r).toMatchObject({ fileName: 'test_layer.zip', contentType: 'application/zip' });
    const entries = (await unzip(r.path, out)).sort();
    return { out, entries, count: r.count };
  }

  it('writes one Shapefile per geometry family, with UTF-8 attributes', async () => {
    const features = mixedFeatures();
    const { out, entries, count } = await exportShp(input(features));
    expect(count).toBe(features.length);
    expect(entries).toEqual(
      ['line', 'point', 'polygon'].flatMap((f) => ['cpg', 'dbf', 'prj', 'shp', 'shx'].map((e) => `test_layer_${f}.${e}`)).sort(),
    );
    const read = async (f: string) => ({ info: await shpInfo(join(out, `test_layer_${f}`)), features: await readShp(join(out, `test_layer_${f}`)) });
    const point = await read('point');
    const line = await read('line');
    const polygon = await read('polygon');
    expect([point.info.type, line.info.type, polygon.info.type]).toEqual([8, 3, 5]); // points promoted to MultiPoint by feature 5
    // the null-geometry feature goes to the first Shapefile; every feature is written once
    expect(point.features.map((f) => f.properties!.code)).toEqual([10, 50, 70, 80, 9007199254740992]);
    expect(line.features.map((f) => f.properties!.code)).toEqual([20, 60]);
    expect(polygon.features.map((f) => f.properties!.code)).toEqual([30, 40]);
    expect(point.info.records + line.info.records + polygon.info.records).toBe(count);

    expect(point.features[0].geometry).toEqual({ type: 'MultiPoint', coordinates: [[120.5, 30.25]] });
    expect(point.features[2].geometry).toBeNull();
    expect(line.features[1].geometry).toEqual(features[5].geometry);
    const p = point.features[0].properties!;
    expect(Object.keys(p)).toEqual(['name', 'code', 'area', 'active', 'surveyed', 'updated_at', 'attrs', '土地用']);
    expect(p).toMatchObject({ name: '要素1', area: 1.25, active: false, updated_at: '2024-03-01T08:30:01.000Z', 土地用: '耕地' });
    expect((p.surveyed as Date).getDate()).toBe(2);
    expect(JSON.parse(String(p.attrs))).toEqual({ k: 1, 标签: ['甲', '乙'] });
    expect(point.features[2].properties).toMatchObject({ name: '无几何', area: null, active: null, attrs: null });
    // long text cut at 254 bytes on a character boundary
    expect(point.features[3].properties!.name).toBe('长'.repeat(84));
    expect(LONG_TEXT.startsWith(String(point.features[3].properties!.name))).toBe(true);
    expect(point.features[4].properties!.name).toBe('a "quoted", comma\nnew line');

    // holes are holes
    const poly = polygon.features[0].geometry as Polygon;
    expect(poly.type).toBe('Polygon');
    expect(poly.coordinates.map(ringSet)).toEqual(POLYGON_WITH_HOLE.coordinates.map(ringSet));
    const multi = polygon.features[1].geometry as Geometry;
    expect(multi.type).toBe('MultiPolygon');
    expect(multi.type === 'MultiPolygon' && multi.coordinates.map((x) => x.length)).toEqual([1, 2]);

    expect(await readFile(join(out, 'test_layer_point.cpg'), 'utf8')).toBe('UTF-8');
    expect(await readFile(join(out, 'test_layer_point.prj'), 'utf8')).toBe(crsDefinition(4326)!.esriWkt);
    const dbf = await readFile(join(out, 'test_layer_point.dbf'));
    expect(dbf[0]).toBe(0x03);
    expect(dbf[29]).toBe(0); // language driver: none, the .cpg says UTF-8
    expect(dbf.readUInt32LE(4)).toBe(5);
    const types = Array.from({ length: 8 }, (_, i) => String.fromCharCode(dbf[32 + i * 32 + 11])).join('');
    expect(types).toBe('CNNLDCCC');
    expect(dbf[dbf.length - 1]).toBe(0x1a);
  });

  it('writes rings clockwise outside and counter-clockwise inside, whatever the input orientation', async () => {
    const reversed = POLYGON_WITH_HOLE.coordinates.map((r) => [...r].reverse());
    const { out } = await exportShp(input([{ id: 1, geometry: { type: 'Polygon', coordinates: reversed }, properties: {} }], { fields: [] }));
    const shp = await readFile(join(out, 'test_layer.shp'));
    const parts = shp.readInt32LE(100 + 8 + 36);
    const points = shp.readInt32LE(100 + 8 + 40);
    expect(parts).toBe(2);
    const at = (i: number): Position => [shp.readDoubleLE(100 + 8 + 44 + 8 + i * 16), shp.readDoubleLE(100 + 8 + 44 + 8 + i * 16 + 8)];
    const start2 = shp.readInt32LE(100 + 8 + 44 + 4);
    const outer = Array.from({ length: start2 }, (_, i) => at(i));
    const hole = Array.from({ length: points - start2 }, (_, i) => at(start2 + i));
    expect(ringArea2(outer)).toBeLessThan(0);
    expect(ringArea2(hole)).toBeGreaterThan(0);
    const [f] = await readShp(join(out, 'test_layer'));
    expect((f.geometry as Polygon).coordinates).toHaveLength(2);
  });

  it('writes a single Shapefile named after the layer for one type, with the layer CRS', async () => {
    const { out, entries } = await exportShp(input(pointFeatures(4), { geometryType: 'Point', crs: 4549 }));
    expect(entries).toEqual(['test_layer.cpg', 'test_layer.dbf', 'test_layer.prj', 'test_layer.shp', 'test_layer.shx']);
    const info = await shpInfo(join(out, 'test_layer'));
    expect(info).toEqual({ type: 1, records: 4, box: [120, 30, 120.03, 30.03] });
    expect(await readFile(join(out, 'test_layer.prj'), 'utf8')).toContain('CGCS2000_3_Degree_GK_CM_120E');
    const features = await readShp(join(out, 'test_layer'));
    expect(features.map((f) => f.properties!.name)).toEqual(['点1', '点2', '点3', '点4']);
  });

  it('promotes points to MultiPoint after leading null geometries, and splits collections', async () => {
    const features: ExportFeature[] = [
      { id: 1, geometry: null, properties: {} },
      { id: 2, geometry: { type: 'Point', coordinates: [1, 2] }, properties: {} },
      { id: 3, geometry: { type: 'MultiPoint', coordinates: [[3, 4], [5, 6]] }, properties: {} },
      {
        id: 4,
        geometry: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [7, 8] }, POLYGON_WITH_HOLE] },
        properties: {},
      },
    ];
    const { out, entries } = await exportShp(input(features, { fields: [{ name: 'code', type: 'integer' }] }));
    expect(entries.filter((e) => e.endsWith('.shp'))).toEqual(['test_layer_point.shp', 'test_layer_polygon.shp']);
    const points = await readShp(join(out, 'test_layer_point'));
    expect(points.map((f) => f.geometry)).toEqual([
      null,
      { type: 'MultiPoint', coordinates: [[1, 2]] },
      { type: 'MultiPoint', coordinates: [[3, 4], [5, 6]] },
      { type: 'MultiPoint', coordinates: [[7, 8]] },
    ]);
    expect((await readShp(join(out, 'test_layer_polygon'))).length).toBe(1);
  });

  it('writes valid empty Shapefiles, typed by the hint', async () => {
    for (const [hint, type] of [['MultiPolygon', 5], [undefined, 0]] as const) {
      const { out, count } = await exportShp(input([], { geometryType: hint }));
      expect(count).toBe(0);
      expect(await shpInfo(join(out, 'test_layer'))).toEqual({ type, records: 0, box: [0, 0, 0, 0] });
      expect(await readShp(join(out, 'test_layer'))).toEqual([]);
      const dbf = await readFile(join(out, 'test_layer.dbf'));
      expect(dbf.readUInt32LE(4)).toBe(0);
    }
  });

  it('writes null shapes for a layer without geometry', async () => {
    const { out } = await exportShp(input([{ id: 1, geometry: null, properties: { name: '甲' } }, { id: 2, geometry: null, properties: { name: '乙' } }]));
    expect((await shpInfo(join(out, 'test_layer'))).type).toBe(0);
    expect((await readShp(join(out, 'test_layer'))).map((f) => [f.geometry, f.properties!.name])).toEqual([[null, '甲'], [null, '乙']]);
  });

  it('truncates field names to 10 bytes and keeps them unique', async () => {
    const fields = ['population_2020', 'population_2021', '规划用地性质代码', '规划用地性质名称'].map((name) => ({ name, type: 'text' as const }));
    const { out } = await exportShp(input([{ id: 1, geometry: { type: 'Point', coordinates: [1, 1] }, properties: { population_2020: 'a', 规划用地性质名称: '居住' } }], { fields }));
    const [f] = await readShp(join(out, 'test_layer'));
    expect(f.properties).toEqual({ population: 'a', populati_1: null, 规划用: null, 规划_1: '居住' });
  });

  it('refuses a .shp or .dbf over the size limit with a clear error', async () => {
    const many = pointFeatures(100);
    const shpErr = await exportShp(input(many, { fields: [] }), { maxFileBytes: 1000 }).catch((e: unknown) => e);
    expect(isYituError(shpErr) && shpErr.code).toBe('YITU_ERR_PAYLOAD_TOO_LARGE');
    expect((shpErr as Error).message).toMatch(/\.shp.*GeoPackage, GeoJSON or CSV/);
    const long = many.map((f) => ({ ...f, properties: { name: LONG_TEXT } }));
    const dbfErr = await exportShp(input(long, { fields: [{ name: 'name', type: 'text' }] }), { maxFileBytes: 10_000 }).catch((e: unknown) => e);
    expect(isYituError(dbfErr) && (dbfErr as Error).message).toMatch(/\.dbf/);
    expect(existsSync(tmp.path(`x${n - 1}`, 'test_layer.zip'))).toBe(false);
  });
});
