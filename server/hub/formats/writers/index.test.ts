import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isYituError } from '../../../platform/errors.ts';
import type { ExportFormat } from '../types.ts';
import { checkExportSize, exportContentType, isStreamable, streamCsv, streamGeoJson, writeExport } from './index.ts';
import type { ExportFeature } from './types.ts';
import { useTempDir } from '../test/temp-dir.ts';
import { input, pointFeatures } from './test-fixtures.ts';

describe('writeExport', () => {
  const tmp = useTempDir('yitu-writers-');

  it('refuses an unknown format and an unsafe layer name', async () => {
    const e1 = await writeExport('kml' as ExportFormat, input([]), tmp.dir()).catch((e: unknown) => e);
    expect(isYituError(e1) && e1.code).toBe('YITU_ERR_EXPORT_FORMAT_UNKNOWN');
    const e2 = await writeExport('csv', input([], { layerName: '../x' }), tmp.dir()).catch((e: unknown) => e);
    expect(isYituError(e2) && e2.code).toBe('YITU_ERR_INPUT_INVALID');
  });

  it('writes every format for the same input, leaving only the finished files', async () => {
    for (const format of ['geojson', 'csv', 'geopackage', 'shapefile'] as const) {
      const r = await writeExport(format, input(pointFeatures(3), { geometryType: 'Point' }), tmp.dir());
      expect(r.count).toBe(3);
      expect(r.bytes).toBeGreaterThan(0);
      expect(r.contentType).toBe(exportContentType(format));
    }
    expect((await readdir(tmp.dir())).sort()).toEqual(['test_layer.csv', 'test_layer.geojson', 'test_layer.gpkg', 'test_layer.zip']);
  });

  it('tells which formats stream and refuses oversized GeoPackages up front', () => {
    expect(isStreamable('geojson') && isStreamable('csv')).toBe(true);
    expect(isStreamable('geopackage') || isStreamable('shapefile')).toBe(false);
    expect(() => checkExportSize('geopackage', 2_000_001)).toThrow(/GeoJSON or CSV/);
    expect(() => checkExportSize('geopackage', 2_000_000)).not.toThrow();
    expect(() => checkExportSize('csv', 50_000_000)).not.toThrow();
  });

  it('closes the source when a streaming consumer stops early', async () => {
    for (const stream of [streamGeoJson, streamCsv]) {
      let closed = false;
      async function* source(): AsyncIterable<ExportFeature> {
        try {
          for (let i = 0; ; i++) yield { id: i, geometry: null, properties: { name: 'x'.repeat(1000) } };
        } finally {
          closed = true;
        }
      }
      for await (const chunk of stream(input(source()))) {
        expect(chunk.length).toBeGreaterThan(0);
        break;
      }
      expect(closed).toBe(true);
    }
  });
});
