import { readFile } from 'node:fs/promises';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { streamGeoJson, writeExport } from './index.ts';
import { useTempDir } from '../test/temp-dir.ts';
import { FIELDS, LONG_TEXT, collect, input, mixedFeatures } from './test-fixtures.ts';

describe('GeoJSON writer', () => {
  const tmp = useTempDir('yitu-writers-');

  it('writes a FeatureCollection that parses back feature for feature', async () => {
    const features = mixedFeatures();
    const r = await writeExport('geojson', input(features), tmp.dir());
    expect(r).toMatchObject({ fileName: 'test_layer.geojson', contentType: 'application/geo+json', count: features.length });
    const text = await readFile(r.path, 'utf8');
    expect(r.bytes).toBe(Buffer.byteLength(text));
    const fc = JSON.parse(text) as FeatureCollection & { crs?: unknown; name: string };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.name).toBe('test_layer');
    expect(fc.crs).toBeUndefined();
    expect(fc.features).toHaveLength(features.length);
    fc.features.forEach((f, i) => {
      expect(f.id).toBe(features[i].id);
      expect(f.geometry).toEqual(features[i].geometry);
      expect(Object.keys(f.properties!)).toEqual(FIELDS.map((x) => x.name));
    });
    const p = fc.features[0].properties!;
    expect(p).toMatchObject({ name: '要素1', code: 10, area: 1.25, active: false, surveyed: '2024-03-02', updated_at: '2024-03-01T08:30:01.000Z' });
    expect(p.attrs).toEqual({ k: 1, 标签: ['甲', '乙'] });
    expect(fc.features[6].geometry).toBeNull();
    expect(fc.features[6].properties).toMatchObject({ area: null, active: null, surveyed: null, attrs: null });
    expect(fc.features[7].properties!.name).toBe(LONG_TEXT);
    // Chinese text is written as UTF-8, not \u escapes; numbers unchanged
    expect(text).toContain('"要素1"');
    expect(text).not.toMatch(/\\u[0-9a-f]{4}/i);
    expect(text).toContain('121.123456789012,31.987654321098');
    expect(text).toContain('"code":9007199254740993');
  });

  it('adds the crs member only for a CRS other than 4326', async () => {
    const fc = JSON.parse(
      await collect(streamGeoJson(input([{ id: 'a', geometry: { type: 'Point', coordinates: [500000, 3400000] }, properties: {} }], { crs: 4549 }))),
    );
    expect(fc.crs).toEqual({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4549' } });
    expect(fc.features[0].id).toBe('a');
  });

  it('writes an empty FeatureCollection for no features', async () => {
    const r = await writeExport('geojson', input([]), tmp.dir());
    expect(r.count).toBe(0);
    expect(JSON.parse(await readFile(r.path, 'utf8'))).toMatchObject({ type: 'FeatureCollection', features: [] });
  });

  it('streams in chunks without holding the collection', async () => {
    async function* many() {
      for (let i = 0; i < 5000; i++) yield { id: i, geometry: { type: 'Point' as const, coordinates: [i, i] }, properties: { name: 'x'.repeat(50) } };
    }
    let chunks = 0;
    let max = 0;
    for await (const c of streamGeoJson(input(many()))) {
      chunks++;
      max = Math.max(max, c.length);
    }
    expect(chunks).toBeGreaterThan(5);
    expect(max).toBeLessThan(80 * 1024);
  });
});
