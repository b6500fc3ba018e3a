import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openNdjson } from './ndjson.ts';
import { FIXTURES, collect, expectFailure, useTempDir } from './test/reader-helpers.ts';
import { isRowError, type SourceFeature } from './types.ts';

const { file } = useTempDir('yitu-ndjson-test-');
const line = (name: string, x = 1) => JSON.stringify({ type: 'Feature', properties: { 名称: name }, geometry: { type: 'Point', coordinates: [x, 2] } });

describe('openNdjson', () => {
  it('reads one feature per line; bad lines are row errors numbered by line', async () => {
    const src = await openNdjson(join(FIXTURES, 'points.geojsonl'));
    expect(src.format).toBe('ndjson');
    expect(src.crs).toBeUndefined();
    const items = await collect(src);
    expect(items.map((i) => (isRowError(i) ? `E${i.row}` : `F${i.row}`))).toEqual(['F1', 'F2', 'E4', 'E5', 'F6']);
    expect((items[0] as SourceFeature).properties).toEqual({ 名称: '甲' });
    const errs = items.filter(isRowError);
    expect(errs[0]).toMatchObject({ row: 4, field: 'geometry' });
    expect(errs[0].reason).toMatch(/^line 4: .*non-number/);
    expect(errs[1].reason).toMatch(/^line 5 is not valid JSON/);
    expect((items[4] as SourceFeature).geometry).toBeNull();
  });

  it('reads GeoJSON text sequences (RS-prefixed), CRLF, a BOM and a last line without newline', async () => {
    const text = `\uFEFF\u001e${line('a')}\r\n\u001e${line('b')}\u001e${line('c')}\n\u001e${line('d')}`;
    const items = (await collect(await openNdjson(await file('seq.geojsons', text)))) as SourceFeature[];
    expect(items.map((i) => [i.row, i.properties.名称])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [2, 'c'],
      [3, 'd'],
    ]);
  });

  it('reports a truncated last line as a row error, and a FeatureCollection line', async () => {
    const text = `${line('a')}\n{"type":"FeatureCollection","features":[]}\n${line('b').slice(0, 30)}`;
    const items = await collect(await openNdjson(await file('cut.ndjson', text)));
    expect(items.map((i) => (isRowError(i) ? `E${i.row}` : `F${i.row}`))).toEqual(['F1', 'E2', 'E3']);
    expect((items[1] as { reason: string }).reason).toMatch(/FeatureCollection/);
  });

  it('handles lines across chunk boundaries and GBK text', async () => {
    const many = Array.from({ length: 20000 }, (_, i) => line(`点${i}`, i)).join('\n');
    const items = (await collect(await openNdjson(await file('many.ndjson', many)))) as SourceFeature[];
    expect(items).toHaveLength(20000);
    expect(items[19999]).toMatchObject({ row: 20000, properties: { 名称: '点19999' } });
    const gbk = await openNdjson(await file('gbk.ndjson', iconv.encode(`${line('城关镇')}\n${line('东湖')}\n`, 'gbk')));
    expect(gbk.encoding).toBe('gbk');
    expect(((await collect(gbk)) as SourceFeature[]).map((i) => i.properties.名称)).toEqual(['城关镇', '东湖']);
  });

  it('fails on empty and whitespace-only files', async () => {
    for (const [name, content] of [['e.ndjson', ''], ['w.ndjson', '\n\n  \u001e\n']]) {
      await expectFailure(openNdjson(await file(name, content)), 'YITU_ERR_IMPORT_FILE_EMPTY');
    }
  });
});
