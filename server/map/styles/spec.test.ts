import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../hub/model.ts';
import { rampColours } from './palettes.ts';
import { layerStyleSchema, parseLayerStyle } from './spec.ts';
import { checkStyle } from './validate.ts';

const problems = (input: unknown) => {
  const r = parseLayerStyle(input);
  return r.ok ? '' : r.message;
};

/** A catalog entry for validation tests (only what validation reads matters). */
export function fakeDataset(geometryType: string | null, columns: Dataset['columns']): Dataset {
  return {
    id: 'parcels', kind: 'features', title: { zh: '图斑', en: 'Parcels' }, description: { zh: '', en: '' }, department: null, theme: 'current',
    keywords: [], licence: '', classification: 'public', updateFrequency: 'once', source: '', contact: '', editable: false, shareable: true, geometryType, columns,
    keyColumn: null, temporalColumn: null, currentVersion: 1, featureCount: 10, bbox: null, temporal: { start: null, end: null }, usageCount: 0, createdAt: '', updatedAt: '',
  };
}

const parcels = fakeDataset('MultiPolygon', [
  { name: 'land_class', title: '地类名称', type: 'text' },
  { name: 'area_mu', title: '面积（亩）', type: 'number' },
  { name: 'floors', title: '层数', type: 'integer' },
  { name: 'attrs', title: 'attrs', type: 'json' },
]);

describe('the thematic style spec', () => {
  it('fills in defaults so a stored style is complete', () => {
    expect(layerStyleSchema.parse({ kind: 'graduated', field: 'area_mu' })).toEqual({
      kind: 'graduated', field: 'area_mu', opacity: 1, minZoom: 0, maxZoom: 24, label: null,
      method: 'quantile', classes: 5, ramp: 'yellow-red', reverse: false, symbol: {},
    });
    expect(layerStyleSchema.parse({ kind: 'categories', field: 'land_class', items: [{ value: '水田', colour: '#e9e27a' }] })).toMatchObject({ other: { colour: '#bdbdbd' } });
    expect(layerStyleSchema.parse({ kind: 'simple', label: { field: 'name' } }).label).toEqual({ field: 'name', size: 12, colour: '#333333', halo: '#ffffff', haloWidth: 1.5, minZoom: 12 });
  });

  it('refuses inconsistent styles with messages naming the place', () => {
    expect(problems({ kind: 'simple', symbol: { fill: 'red' } })).toMatch(/symbol\.fill: a colour is written #rgb/);
    expect(problems({ kind: 'graduated', field: 'a', classes: 4, breaks: [0, 1, 2] })).toMatch(/breaks/);
    expect(problems({ kind: 'graduated', field: 'a', classes: 3, breaks: [0, 5, 2, 9] })).toMatch(/breaks\.2: breaks must increase: 5 then 2/);
    expect(problems({ kind: 'graduated', field: 'a', classes: 3, colours: ['#000', '#111'] })).toMatch(/colours/);
    expect(problems({ kind: 'graduated', field: 'a', classes: 12 })).toMatch(/classes: at most 9/);
    expect(problems({ kind: 'graduated', field: 'a', classes: 2 })).toMatch(/classes: at least 3/);
    expect(problems({ kind: 'categories', field: 'a', items: [{ value: 1, colour: '#000' }, { value: '1', colour: '#fff' }] })).toMatch(/listed twice/);
    expect(problems({ kind: 'h3', stat: 'sum' })).toMatch(/field: stat "sum" needs the numeric field/);
    expect(problems({ kind: 'simple', minZoom: 12, maxZoom: 8 })).toMatch(/maxZoom \(8\) is below minZoom \(12\)/);
    expect(problems({ kind: 'simple', colour: '#fff' })).toMatch(/colour/);
    expect(problems({ kind: 'pie' })).not.toBe('');
    expect(problems({ kind: 'proportional', field: 'a', minRadius: 10, maxRadius: 5 })).toMatch(/maxRadius must be larger/);
  });

  it('checks fields against the dataset and names its fields when one is unknown', () => {
    expect(() => checkStyle({ kind: 'graduated', field: 'area' }, parcels)).toThrow(/graduated field "area" is not a field of dataset "parcels". Its fields are: land_class \(地类名称, text\), area_mu \(面积（亩）, number\)/);
    expect(() => checkStyle({ kind: 'graduated', field: 'land_class' }, parcels)).toThrow(/is text, not a number. Numeric fields: area_mu \(面积（亩）, number\), floors \(层数, integer\)/);
    expect(() => checkStyle({ kind: 'categories', field: 'attrs', items: [{ value: 'a', colour: '#000' }] }, parcels)).toThrow(/is JSON/);
    expect(() => checkStyle({ kind: 'simple', label: { field: 'nom' } }, parcels)).toThrow(/label field "nom"/);
    expect(() => checkStyle({ kind: 'heatmap' }, parcels)).toThrow(/a heatmap style draws points/);
    expect(() => checkStyle({ kind: 'extrusion', heightField: 'floors' }, fakeDataset('Point', parcels.columns))).toThrow(/extrusion style raises polygons/);
    expect(() => checkStyle({ kind: 'simple' }, fakeDataset(null, parcels.columns))).toThrow(/no geometry/);
    try {
      checkStyle({ kind: 'graduated', field: 'nope' }, parcels);
    } catch (e) {
      expect((e as { status: number; code: string }).status).toBe(400);
      expect((e as { code: string }).code).toBe('YITU_ERR_STYLE_INVALID');
    }
    expect(checkStyle({ kind: 'extrusion', heightField: 'floors', multiplier: 3 }, parcels)).toMatchObject({ kind: 'extrusion', multiplier: 3, colour: '#d8cfc0' });
    expect(checkStyle({ kind: 'h3', stat: 'avg', field: 'area_mu' }, parcels)).toMatchObject({ kind: 'h3', stat: 'avg' });
  });

  it('interpolates ramps from light to dark, and reversed', () => {
    const five = rampColours('blues', 5);
    expect(five).toEqual(['#eef4fb', '#bcd6ec', '#6aaed6', '#2a77b8', '#0b3c80']);
    expect(rampColours('blues', 3)).toEqual(['#eef4fb', '#6aaed6', '#0b3c80']);
    expect(rampColours('blues', 5, true)).toEqual([...five].reverse());
    expect(rampColours('viridis', 9)).toHaveLength(9);
  });
});
