import { describe, expect, it } from 'vitest';
import { metadataSchema } from '../hub/model.ts';
import { buildDemoCounty } from './build-demo-county.ts';
import { layerMetadata } from './seed.ts';

const county = buildDemoCounty({ scale: 0.05 });

describe('demo column titles', () => {
  it('gives every column of every demo layer a Chinese and an English title', () => {
    const missing: string[] = [];
    for (const layer of county.layers) {
      expect(layer.fields.length, layer.id).toBeGreaterThan(0);
      for (const f of layer.fields) {
        const { zh, en } = f.title;
        if (!zh?.trim() || !en?.trim() || zh.length > 200 || en.length > 200) missing.push(`${layer.id}.${f.name}`);
        // The Chinese title is Chinese, the English one is not.
        if (!/[\u4e00-\u9fff]/.test(zh) || /[\u4e00-\u9fff]/.test(en)) missing.push(`${layer.id}.${f.name} (${zh} / ${en})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('passes them to the catalog as valid columnTitles, one per column', () => {
    for (const layer of county.layers) {
      const m = layerMetadata(layer);
      expect(metadataSchema.safeParse(m).success, layer.id).toBe(true);
      expect(Object.keys(m.columnTitles ?? {}), layer.id).toEqual(layer.fields.map((f) => f.name));
      for (const f of layer.fields) expect(m.columnTitles?.[f.name], `${layer.id}.${f.name}`).toEqual({ zh: f.title.zh, en: f.title.en });
    }
  });
});
