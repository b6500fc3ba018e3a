import { describe, expect, it } from 'vitest';
import { compileCql2, parseCql2Text } from '../../../server/hub/cql2/index.ts';
import { testContext } from '../../../server/hub/cql2/test-context.ts';
import { datasetIdFromFileName as serverIdFromFileName } from '../../../server/hub/routes.ts';
import type { ColumnType } from '../app/api-types.ts';
import { formatHash, layersFromHash, parseHash } from '../app/url-hash.ts';
import { datasetIdFromFileName } from './file-preview.ts';
import { toCql2, type Condition } from './cql2.ts';

const TYPES: Record<string, ColumnType> = { name: 'text', pop: 'integer', area: 'number', open: 'boolean', built: 'date', updated: 'timestamp' };
const typeOf = (f: string) => TYPES[f];
const ctx = testContext();

/** Compiles the builder's CQL2 text with the server's parser and compiler (what /items will do with it). */
function serverSql(conds: Condition[]): { sql: string; params: unknown[] } {
  const r = toCql2(conds, typeOf);
  if (!r.ok) throw new Error(r.message);
  return compileCql2(parseCql2Text(r.text), ctx);
}

describe('the CQL2 condition builder', () => {
  it('writes conditions the server parses, with values as parameters', () => {
    const c = serverSql([
      { field: 'name', op: 'contains', value: "O'Brien 50%_" },
      { field: 'pop', op: '>=', value: '1200' },
      { field: 'open', op: '=', value: '是' },
      { field: 'built', op: '<', value: '2020-01-01' },
      { field: 'updated', op: '>', value: '2024-05-01' },
      { field: 'area', op: 'null', value: '' },
    ]);
    expect(c.params).toContain("%O'Brien 50\\%\\_%");
    expect(c.params).toContain(1200);
    expect(c.sql).toMatch(/LIKE/);
    expect(c.sql).toMatch(/IS NULL/);
  });

  it('joins with AND and quotes text', () => {
    const r = toCql2([{ field: 'name', op: '=', value: "德清'县" }, { field: 'pop', op: '<>', value: '3' }], typeOf);
    expect(r).toEqual({ ok: true, text: "(name = '德清''县') AND (pop <> 3)" });
    expect(toCql2([], typeOf)).toEqual({ ok: true, text: '' });
  });

  it('refuses values that do not fit the field, saying which', () => {
    expect(toCql2([{ field: 'pop', op: '=', value: 'many' }], typeOf)).toEqual({ ok: false, message: 'pop: "many" is not a number' });
    expect(toCql2([{ field: 'built', op: '=', value: '1/5/2020' }], typeOf)).toMatchObject({ ok: false, message: expect.stringContaining('2024-05-01') });
  });
});

describe('the view state in the URL hash', () => {
  it('reads back what it writes', () => {
    const h = formatHash({ view: 'map', layers: [{ id: 'roads', visible: true, opacity: 1 }, { id: 'rivers', visible: false, opacity: 1 }, { id: 'buildings', visible: true, opacity: 0.5 }], basemap: 'offline', savedMap: 'm_abc' }, null);
    expect(h).toBe('#view=map&l=roads,buildings:0.50&bm=offline&m=m_abc');
    expect(parseHash(h)).toEqual({ view: 'map', layers: [{ id: 'roads', opacity: 1 }, { id: 'buildings', opacity: 0.5 }], basemap: 'offline', savedMap: 'm_abc' });
    expect(parseHash('#c=119.9,30.5&z=12.5&p=40&b=-10')).toEqual({ center: [119.9, 30.5], zoom: 12.5, pitch: 40, bearing: -10 });
  });

  it('ignores what it does not know and orders the tree as the link says', () => {
    expect(parseHash('#view=evil&l=Bad-Id,roads:7&z=abc')).toEqual({ layers: [{ id: 'roads', opacity: 1 }] });
    expect(layersFromHash(['a', 'b', 'c'], [{ id: 'c', opacity: 0.3 }, { id: 'x', opacity: 1 }])).toEqual([
      { id: 'c', visible: true, opacity: 0.3 },
      { id: 'a', visible: false, opacity: 1 },
      { id: 'b', visible: false, opacity: 1 },
    ]);
  });
});

describe('the upload wizard', () => {
  it('proposes the dataset id the server would derive from the file name', () => {
    for (const name of ['土地 parcels-2024.zip', 'Roads.GeoJSON', '2024 points.csv', '地块.shp', 'a__b__.gpkg']) {
      expect(datasetIdFromFileName(name), name).toBe(serverIdFromFileName(name));
    }
  });
});
