import { copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeExport } from './index.ts';
import { useTempDir } from '../test/temp-dir.ts';
import { VALIDATE_GPKG, input, mixedFeatures, pointFeatures, requireTool, tool } from './test-fixtures.ts';

/**
 * Cross-checks with GDAL (Debian gdal-bin): the files must open in GDAL with the right feature
 * count, geometry type and CRS. Skipped with a printed reason when ogrinfo is missing; fails then
 * when process.env.CI is set.
 */

/** `ogrinfo -al -so` summary per layer: geometry type, count and EPSG of the CRS. */
async function summary(dataset: string): Promise<Record<string, { geometry: string; count: number; epsg?: number }>> {
  const out = await tool('ogrinfo', ['-al', '-so', dataset]);
  const layers: Record<string, { geometry: string; count: number; epsg?: number }> = {};
  for (const block of out.split(/\n(?=Layer name: )/).filter((b) => b.startsWith('Layer name: '))) {
    const name = /^Layer name: (.*)$/m.exec(block)![1];
    const ids = [...block.matchAll(/^ {4}ID\["EPSG",(\d+)\]\]$/gm)];
    layers[name] = {
      geometry: /^Geometry: (.*)$/m.exec(block)![1],
      count: Number(/^Feature Count: (\d+)$/m.exec(block)![1]),
      epsg: ids.length ? Number(ids[ids.length - 1][1]) : undefined,
    };
  }
  return layers;
}

/** Number of features GDAL returns for a bbox filter (uses the R-tree for a GeoPackage). */
async function countIn(dataset: string, layer: string, box: number[]): Promise<number> {
  const out = await tool('ogrinfo', ['-q', '-spat', ...box.map(String), dataset, layer]);
  return (out.match(/^OGRFeature\(/gm) ?? []).length;
}

describe('GDAL reads the exports', () => {
  const tmp = useTempDir('yitu-writers-');
  let ogr = false;
  beforeAll(async () => {
    ogr = await requireTool('ogrinfo');
  });

  it('opens the GeoPackage with the right count, type and CRS, and uses its R-tree', async () => {
    if (!ogr) return;
    const mixed = await writeExport('geopackage', input(mixedFeatures()), tmp.path('a'));
    expect(await summary(mixed.path)).toEqual({ test_layer: { geometry: 'Unknown (any)', count: 9, epsg: 4326 } });
    const points = await writeExport('geopackage', input(pointFeatures(4), { geometryType: 'Point', crs: 4549 }), tmp.path('b'));
    expect(await summary(points.path)).toEqual({ test_layer: { geometry: 'Point', count: 4, epsg: 4549 } });

    // spatial filter through the index: the polygon with a hole, the multipolygon containing it, the line…
    const body = [120.0005, 30.0005, 120.001, 30.001];
    expect(await countIn(mixed.path, 'test_layer', body)).toBe(3);
    // …but inside the hole only the line
    expect(await countIn(mixed.path, 'test_layer', [120.003, 30.003, 120.0035, 30.0035])).toBe(1);
    const sql = await tool('ogrinfo', ['-q', mixed.path, '-sql', "SELECT rtreecheck('rtree_test_layer_geom') AS r"]);
    expect(sql).toMatch(/r \(String\) = ok/);
    // the maintenance triggers run in GDAL (which provides ST_MinX…): deleting a feature updates the index
    const copy = tmp.path('edit.gpkg');
    await copyFile(mixed.path, copy);
    await tool('ogrinfo', [copy, '-sql', 'DELETE FROM test_layer WHERE fid = 3']);
    expect(await countIn(copy, 'test_layer', body)).toBe(2);
    expect(await tool('ogrinfo', ['-q', copy, '-sql', "SELECT count(*) AS n FROM rtree_test_layer_geom"])).toMatch(/n \(Integer\) = 7/);
  });

  it("passes GDAL's GeoPackage validator", async () => {
    if (!ogr) return;
    if (!VALIDATE_GPKG) {
      console.warn('validate_gpkg.py (python3-gdal) is not installed; skipping the GeoPackage validator.');
      return;
    }
    const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    for (const [name, inp] of [
      ['mixed', input(mixedFeatures())],
      ['empty', input([], { geometryType: 'Polygon' })],
      ['gk', input(pointFeatures(3), { crs: 4549 })],
    ] as const) {
      const r = await writeExport('geopackage', inp, tmp.path(`v-${name}`));
      await expect(tool(python, [VALIDATE_GPKG, '--extra', '--warning-as-error', r.path]), name).resolves.toBeDefined();
    }
  });

  it('opens the zipped Shapefiles with the right counts, types and CRS', async () => {
    if (!ogr) return;
    const mixed = await writeExport('shapefile', input(mixedFeatures()), tmp.path('c'));
    expect(await summary(`/vsizip/${mixed.path}`)).toEqual({
      test_layer_point: { geometry: 'Multi Point', count: 5, epsg: 4326 },
      test_layer_line: { geometry: 'Line String', count: 2, epsg: 4326 },
      test_layer_polygon: { geometry: 'Polygon', count: 2, epsg: 4326 },
    });
    const points = await writeExport('shapefile', input(pointFeatures(4), { geometryType: 'Point', crs: 4549 }), tmp.path('d'));
    expect(await summary(`/vsizip/${points.path}`)).toEqual({ test_layer: { geometry: 'Point', count: 4, epsg: 4549 } });
    const empty = await writeExport('shapefile', input([], { geometryType: 'Polygon', crs: 4490 }), tmp.path('e'));
    expect(await summary(`/vsizip/${empty.path}`)).toEqual({ test_layer: { geometry: 'Polygon', count: 0, epsg: 4490 } });

    // attributes as GDAL reads them: UTF-8 via the .cpg, nulls as nulls, holes as inner rings
    const out = await tool('ogrinfo', ['-q', `/vsizip/${mixed.path}`, 'test_layer_polygon', '-where', 'code = 30']);
    expect(out).toContain('name (String) = 要素3');
    expect(out).toContain('土地用 (String) = 耕地');
    expect(out).toContain(
      'POLYGON ((120 30,120.0 30.01,120.01 30.01,120.01 30.0,120 30),(120.002 30.002,120.004 30.002,120.004 30.004,120.002 30.004,120.002 30.002))',
    );
    const nul = await tool('ogrinfo', ['-q', `/vsizip/${mixed.path}`, 'test_layer_point', '-where', 'code = 70']);
    expect(nul).toContain('area (Real) = (null)');
    expect(nul).not.toMatch(/surveyed/); // a blank date is unset
  });
});
