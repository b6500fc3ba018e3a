import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import type { DatasetColumn } from '../../hub/model.ts';
import { type CompileContext, type CompiledLayer, compileLayerStyle } from './compile.ts';
import { classLabels, formatNumber } from './expressions.ts';
import { h3ResolutionForZoom } from '../tiles/tile-math.ts';
import { layerStyleSchema } from './spec.ts';
import type { GeometryFamily } from './validate.ts';

const columns: DatasetColumn[] = [
  { name: 'name', title: '名称', type: 'text' },
  { name: 'name_en', title: '名称（英文）', type: 'text' },
  { name: 'land_class', title: '地类名称', type: 'text' },
  { name: 'road_class', title: '道路等级', type: 'text' },
  { name: 'density', title: '人口密度', type: 'number' },
  { name: 'employees', title: '从业人员', type: 'integer' },
  { name: 'floors', title: '层数', type: 'integer' },
];

function compile(family: GeometryFamily, style: unknown, lang: 'zh' | 'en' = 'zh', extra: Partial<CompileContext> = {}): CompiledLayer {
  return compileLayerStyle(layerStyleSchema.parse(style), { id: 'demo', source: 'demo', sourceLayer: 'demo', family, lang, columns, title: '示例图层', ...extra });
}

/** MapLibre's own validator over a style holding the compiled layers. */
function validate(c: CompiledLayer): string[] {
  const style = {
    version: 8 as const,
    glyphs: 'https://example.org/fonts/{fontstack}/{range}.pbf',
    sources: { demo: { type: 'vector' as const, tiles: ['https://example.org/{z}/{x}/{y}'] } },
    layers: c.layers,
  };
  return validateStyleMin(style as never).map((e) => e.message);
}

const CASES: Array<[string, GeometryFamily, unknown, 'zh' | 'en']> = [
  ['simple-polygon-dashed', 'polygon', { kind: 'simple', symbol: { fill: '#e60012', fillOpacity: 0.04, stroke: '#e60012', strokeWidth: 2.2, dash: [3, 1.5] }, label: { field: 'name', minZoom: 11 } }, 'en'],
  ['categories-polygon', 'polygon', {
    kind: 'categories', field: 'land_class', opacity: 0.8,
    items: [{ value: '水田', colour: '#e9e27a', label: { en: 'Paddy field' } }, { value: '乔木林地', colour: '#5fae6b', label: { en: 'Arbor forest' } }],
    symbol: { stroke: '#ffffff', strokeWidth: 0.4 },
  }, 'en'],
  ['categories-line-sizes', 'line', {
    kind: 'categories', field: 'road_class', other: null,
    items: [{ value: 'expressway', colour: '#e8590c', size: 3.5, label: { zh: '高速公路', en: 'Expressway' } }, { value: 'rural', colour: '#b8bfc7', size: 1, label: { zh: '乡村道路' } }],
    label: { field: 'name', minZoom: 13 },
  }, 'zh'],
  ['graduated-polygon', 'polygon', { kind: 'graduated', field: 'density', classes: 4, breaks: [0, 10.5, 100, 1000, 25000], ramp: 'yellow-red', symbol: { strokeWidth: 0 } }, 'zh'],
  ['graduated-point-clustered', 'point', { kind: 'graduated', field: 'employees', classes: 3, breaks: [1, 10, 100, 5000], colours: ['#cccccc', '#888888', '#222222'], minZoom: 11 }, 'zh'],
  ['proportional', 'point', { kind: 'proportional', field: 'employees', maxValue: 400, minRadius: 2, maxRadius: 20, symbol: { fill: '#e6550d' } }, 'en'],
  ['heatmap-weighted', 'point', { kind: 'heatmap', weightField: 'employees', maxWeight: 200, radius: 25, maxZoom: 14 }, 'zh'],
  ['h3-count', 'point', { kind: 'h3', stat: 'count', classes: 5, opacity: 0.7 }, 'en'],
  ['h3-sum', 'point', { kind: 'h3', stat: 'sum', field: 'employees', classes: 3, breaks: [0, 100, 1000, 10000] }, 'zh'],
  ['extrusion', 'polygon', { kind: 'extrusion', heightField: 'floors', multiplier: 3, label: { field: 'name', minZoom: 16 } }, 'zh'],
];

describe('compiling thematic styles to MapLibre layers and legends', () => {
  for (const [name, family, style, lang] of CASES) {
    it(`${name}: matches its golden file and is a valid MapLibre style`, async () => {
      const c = compile(family, style, lang);
      expect(validate(c)).toEqual([]);
      await expect(`${JSON.stringify(c, null, 2)}\n`).toMatchFileSnapshot(`./fixtures/${name}.json`);
    });
  }

  it('sends only the attributes the style reads, with the language companion of labels', () => {
    expect(compile('polygon', CASES[0][2], 'en').properties).toEqual(['name', 'name_en']);
    expect(compile('polygon', { kind: 'graduated', field: 'density', breaks: [0, 1, 2, 3, 4, 5] }).properties).toEqual(['density']);
    expect(compile('point', { kind: 'h3', stat: 'count' }).properties).toEqual([]);
    expect(compile('point', { kind: 'h3', stat: 'avg', field: 'employees' }).aggregate).toEqual({ kind: 'h3', field: 'employees' });
    expect(compile('point', { kind: 'simple' }).properties).toEqual([]);
    const h3 = compile('point', { kind: 'h3', stat: 'count', label: { field: 'name' } });
    expect([h3.properties, h3.layers.map((l) => l.type)]).toEqual([[], ['fill', 'line']]);
  });

  it('labels in English read the English companion column and fall back to Chinese', () => {
    const label = compile('point', { kind: 'simple', label: { field: 'name' } }, 'en').layers.find((l) => l.type === 'symbol' && String(l.id).endsWith('-label'))!;
    expect((label.layout as Record<string, unknown>)['text-field']).toEqual(['coalesce', ['get', 'name_en'], ['get', 'name']]);
    const zh = compile('point', { kind: 'simple', label: { field: 'name' } }, 'zh').layers.find((l) => String(l.id).endsWith('-label'))!;
    expect((zh.layout as Record<string, unknown>)['text-field']).toEqual(['to-string', ['get', 'name']]);
  });

  it('hides a map layer that is switched off and multiplies its opacity in', () => {
    const c = compile('polygon', { kind: 'simple', opacity: 0.5, symbol: { fill: '#336699', fillOpacity: 0.8 } }, 'zh', { visible: false, opacity: 0.5 });
    const fill = c.layers.find((l) => l.type === 'fill')!;
    expect(fill.layout).toEqual({ visibility: 'none' });
    expect((fill.paint as Record<string, number>)['fill-opacity']).toBeCloseTo(0.2);
  });

  it('draws H3 hexagons as fills and scales count breaks across zooms from the reference zoom', () => {
    const c = compile('point', { kind: 'h3', stat: 'count', classes: 3, breaks: [1, 5, 20, 100], referenceZoom: 10 });
    const fill = c.layers.find((l) => l.type === 'fill')!;
    const expr = (fill.paint as Record<string, unknown[]>)['fill-color'];
    expect(expr.slice(0, 2)).toEqual(['step', ['zoom']]);
    const at = (z: number): number[] => {
      let out = expr[2] as unknown[];
      for (let i = 3; i < expr.length; i += 2) if ((expr[i] as number) <= z) out = expr[i + 1] as unknown[];
      return [out[3], out[5]] as number[];
    };
    expect(at(10)).toEqual([5, 20]);
    const coarser = h3ResolutionForZoom(10) - h3ResolutionForZoom(8);
    expect(coarser).toBeGreaterThan(0);
    expect(at(8)).toEqual([5 * 7 ** coarser, 20 * 7 ** coarser]);
    expect(c.layers.some((l) => l.type === 'circle')).toBe(false);
    // Means do not grow with the hexagon: no zoom steps.
    const avg = compile('point', { kind: 'h3', stat: 'avg', field: 'employees', classes: 3, breaks: [0, 5, 10, 50] }).layers[0];
    expect((avg.paint as Record<string, unknown[]>)['fill-color'][1]).toEqual(['to-number', ['get', 'avg'], 0]);
  });

  it('writes class labels that keep neighbouring breaks apart', () => {
    expect(classLabels([0, 10.5, 100, 1000, 25000])).toEqual(['0 – 10.5', '10.5 – 100', '100 – 1,000', '1,000 – 25,000']);
    expect(classLabels([0.012, 0.0135, 0.02])).toEqual(['0.012 – 0.0135', '0.0135 – 0.02']);
    expect(formatNumber(1234567.891, 1000)).toBe('1,234,568');
  });
});

describe('legend field titles', () => {
  it('use the column display title in the legend language, then the other language, then the original name', () => {
    const titled: DatasetColumn[] = [{ name: 'density', title: 'density', type: 'number', titles: { zh: '人口密度', en: 'Population density' } }, { name: 'floors', title: 'floors', type: 'integer', titles: { zh: '层数' } }];
    const graduated = { kind: 'graduated', field: 'density', method: 'quantile', classes: 3, breaks: [0, 1, 2, 3] };
    expect(compile('polygon', graduated, 'zh', { columns: titled }).legend.fieldTitle).toBe('人口密度');
    expect(compile('polygon', graduated, 'en', { columns: titled }).legend.fieldTitle).toBe('Population density');
    const extrusion = { kind: 'extrusion', heightField: 'floors', multiplier: 3 };
    expect(compile('polygon', extrusion, 'en', { columns: titled }).legend.fieldTitle).toBe('层数');
    expect(compile('polygon', graduated, 'en').legend.fieldTitle).toBe('人口密度');
  });
});
