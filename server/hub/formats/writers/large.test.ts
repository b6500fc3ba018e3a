import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import type { ExportFormat } from '../types.ts';
import { writeExport } from './index.ts';
import type { ExportFeature } from './types.ts';
import { useTempDir } from '../test/temp-dir.ts';
import { FIELDS, hasTool, input, tool, unzip } from './test-fixtures.ts';

const N = 100_000;

/** N small parcels on a grid, generated lazily (the writers must not need them all at once). */
async function* parcels(): AsyncIterable<ExportFeature> {
  for (let i = 0; i < N; i++) {
    const x = 119 + (i % 400) * 0.005;
    const y = 29 + Math.floor(i / 400) * 0.005;
    yield {
      id: i + 1,
      geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.004, y], [x + 0.004, y + 0.004], [x, y + 0.004], [x, y]]] },
      properties: {
        name: `地块${i}`,
        code: i,
        area: i * 0.37,
        active: i % 3 === 0,
        surveyed: '2023-12-31',
        updated_at: '2024-01-02T03:04:05Z',
        attrs: { i },
        土地用途分类: i % 2 ? '耕地' : '建设用地',
      },
    };
  }
}

describe(`exports of ${N.toLocaleString('en')} features`, () => {
  const tmp = useTempDir('yitu-writers-');

  const time = async (format: ExportFormat) => {
    const t = performance.now();
    const r = await writeExport(format, input(parcels(), { geometryType: 'Polygon', fields: FIELDS }), tmp.path(format));
    const ms = performance.now() - t;
    console.log(`${format}: ${N} features in ${(ms / 1000).toFixed(2)} s, ${(r.bytes / 1e6).toFixed(1)} MB, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
    expect(r.count).toBe(N);
    return r;
  };

  it('GeoJSON', async () => {
    const r = await time('geojson');
    const fc = JSON.parse(await readFile(r.path, 'utf8'));
    expect(fc.features).toHaveLength(N);
    expect(fc.features[N - 1].properties.name).toBe(`地块${N - 1}`);
  });

  it('CSV', async () => {
    const r = await time('csv');
    const lines = (await readFile(r.path, 'utf8')).split('\r\n');
    expect(lines).toHaveLength(N + 2); // header, rows, empty after the last CRLF
  });

  it('GeoPackage', async () => {
    const r = await time('geopackage');
    const SQL = await initSqlJs();
    const db = new SQL.Database(await readFile(r.path));
    expect(db.exec('SELECT count(*), max(fid) FROM test_layer')[0].values[0]).toEqual([N, N]);
    expect(db.exec('SELECT count(*) FROM rtree_test_layer_geom_rowid')[0].values[0][0]).toBe(N);
    db.close();
    if (await hasTool('sqlite3')) expect(await tool('sqlite3', [r.path, "SELECT rtreecheck('rtree_test_layer_geom')"])).toBe('ok\n');
    if (await hasTool('ogrinfo')) expect(await tool('ogrinfo', ['-so', r.path, 'test_layer'])).toContain(`Feature Count: ${N}`);
  });

  it('Shapefile', async () => {
    const r = await time('shapefile');
    const out = tmp.path('shp-out');
    await import('node:fs/promises').then((fs) => fs.mkdir(out));
    await unzip(r.path, out);
    const shx = await readFile(join(out, 'test_layer.shx'));
    expect((shx.length - 100) / 8).toBe(N);
    const dbf = await readFile(join(out, 'test_layer.dbf'));
    expect(dbf.readUInt32LE(4)).toBe(N);
    if (await hasTool('ogrinfo')) expect(await tool('ogrinfo', ['-so', `/vsizip/${r.path}`, 'test_layer'])).toContain(`Feature Count: ${N}`);
  });
});
