import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describeEachBackend, openTestDb, type TestDb } from '../test-support/databases.ts';
import { RegionService } from '../regions/service.ts';
import { smallCounty } from '../regions/test-regions.ts';
import type { StatImportOptions } from './model.ts';
import { StatsService } from './service.ts';

const ECONOMY = [
  '行政区划代码,地区名称,年份,常住人口(人),GDP（亿元）,备注',
  '330521,德清县,2022,"645,000",620.5,',
  '330521,德清县,2023,"650,000","1,234.5",',
  '330521001,武康街道,2022,199000,300,',
  '330521001,武康街道,2023,200000,320.25,',
  '330521102000,新市镇,2023,45000,,统计用代码',
  '330521001001,城东社区,2023,5000,8.5,',
].join('\r\n');

describeEachBackend('statistical tables', (kind) => {
  let t: TestDb;
  let s: StatsService;
  let dir: string;
  let n = 0;
  const csv = async (text: string | Buffer, name = `t${++n}.csv`) => {
    const f = path.join(dir, name);
    await writeFile(f, text);
    return f;
  };
  const load = async (text: string | Buffer, opts: Partial<StatImportOptions> & { datasetId: string }) =>
    s.importCsv(await csv(text), { mode: 'create', ...opts });
  const fails = async (text: string | Buffer, opts: Partial<StatImportOptions> & { datasetId: string }) => {
    const existed = (await t.db.query('SELECT 1 FROM yitu.datasets WHERE id = $1', [opts.datasetId])).rows.length > 0;
    const e = await load(text, opts).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    // All or nothing: a failed create leaves no catalog entry and no values.
    if (!existed) {
      expect((await t.db.query('SELECT 1 FROM yitu.datasets WHERE id = $1', [opts.datasetId])).rows).toHaveLength(0);
      expect((await t.db.query('SELECT 1 FROM yitu.stat_values WHERE dataset_id = $1', [opts.datasetId])).rows).toHaveLength(0);
    }
    return e as { code: string; status: number; message: string; errors?: Array<{ row?: number; field?: string; reason: string }> };
  };

  beforeAll(async () => {
    t = await openTestDb(kind);
    dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-stats-'));
    s = new StatsService(t.db);
    await new RegionService(t.db).loadRegions(smallCounty());
    await t.db.query(`INSERT INTO yitu.departments (id, name_zh, name_en) VALUES ('statistics', '统计局', 'Statistics Bureau')`);
  });
  afterAll(async () => {
    await t?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a UTF-8 table: detects the columns, units, thousands separators and statistical codes', async () => {
    const r = await load(ECONOMY, { datasetId: 'economy', metadata: { titleZh: '主要经济指标', department: 'statistics' }, originalName: '经济.csv' });
    expect(r).toMatchObject({
      version: 1, encoding: 'utf-8', read: 6, imported: 6, skipped: 0, added: 6, regionColumn: '行政区划代码', periodColumns: ['年份'],
      ignoredColumns: ['地区名称', '备注'], periods: ['2022', '2023'],
      indicators: [
        { name: '常住人口', unit: '人', title: { zh: '常住人口', en: '' } },
        { name: 'GDP', unit: '亿元', title: { zh: '', en: 'GDP' } },
      ],
    });
    const table = await s.get('economy');
    expect(table).toMatchObject({
      kind: 'statistics', theme: 'socioeconomic', title: { zh: '主要经济指标' }, department: 'statistics', featureCount: 6, currentVersion: 1,
      periods: ['2022', '2023'], periodType: 'year', regions: { count: 4, byLevel: { county: 1, town: 2, village: 1 }, unknown: 0 },
      bbox: [119.9, 30.4, 120.2, 30.7], temporal: { start: '2022-01-01T00:00:00.000Z', end: '2023-12-31T23:59:59.000Z' },
    });
    expect(table.indicators[0]).toMatchObject({ name: '常住人口', count: 6, min: 5000, max: 650000 });
    expect(table.indicators[1]).toMatchObject({ name: 'GDP', count: 5, min: 8.5, max: 1234.5 });
    expect(table.columns.map((c) => c.name)).toEqual(['region_code', 'period', '常住人口', 'GDP']);
    expect((await s.list()).tables.map((x) => x.id)).toEqual(['economy']);
  });

  it('answers values joined to region names, filtered by indicator, period, level and region', async () => {
    const all = await s.values('economy');
    expect(all.total).toBe(6);
    expect(all.rows[0]).toEqual({ regionCode: '330521', name: { zh: '德清县', en: 'Deqing County' }, level: 'county', parentCode: null, period: '2022', values: { 常住人口: 645000, GDP: 620.5 } });
    const towns = await s.values('economy', { level: 'town', periods: ['2023'], indicators: ['GDP'] });
    expect(towns.rows).toEqual([
      expect.objectContaining({ regionCode: '330521001', period: '2023', values: { GDP: 320.25 } }),
      expect.objectContaining({ regionCode: '330521102', name: { zh: '新市镇', en: 'Xinshi Town' }, values: { GDP: null } }),
    ]);
    expect((await s.values('economy', { region: '330521001' })).rows.map((r) => `${r.regionCode}/${r.period}`)).toEqual(['330521001/2022', '330521001/2023', '330521001001/2023']);
    expect((await s.values('economy', { limit: 2, offset: 4 })).rows.map((r) => r.regionCode)).toEqual(['330521102', '330521001001']);
    await expect(s.values('economy', { indicators: ['人口'] })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('常住人口, GDP') });
    await expect(s.values('economy', { periods: ['去年'] })).rejects.toMatchObject({ status: 400 });
    await expect(s.values('nothing')).rejects.toMatchObject({ code: 'YITU_ERR_DATASET_NOT_FOUND' });
  });

  it('joins a period’s values to the boundaries of a level for thematic maps', async () => {
    const fc = await s.geojson('economy', { indicators: ['常住人口'] });
    expect(fc).toMatchObject({ type: 'FeatureCollection', period: '2023', level: 'town', periods: ['2022', '2023'] });
    expect(fc.features.map((f) => [f.id, f.properties])).toEqual([
      ['330521001', { code: '330521001', nameZh: '武康街道', nameEn: 'Wukang Subdistrict', level: 'town', parentCode: '330521', period: '2023', 常住人口: 200000 }],
      ['330521102', expect.objectContaining({ 常住人口: 45000 })],
    ]);
    expect(fc.features[0].geometry?.type).toBe('MultiPolygon');
    expect(fc.indicators).toEqual([{ name: '常住人口', title: { zh: '常住人口', en: '' }, unit: '人', min: 45000, max: 200000, breaks: [45000, 200000] }]);
    const villages = await s.geojson('economy', { level: 'village', period: '2023' });
    expect(villages.features.map((f) => f.properties)).toEqual([expect.objectContaining({ code: '330521001001', 常住人口: 5000, GDP: 8.5 })]);
    await expect(s.geojson('economy', { period: '2019' })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('2022, 2023') });
  });

  it('imports a GBK table with separate year and month columns', async () => {
    const text = ['区划代码,年份,月份,上报事件数,办结率（%）', '330521001001,2023,1,"1,024",98.5', '330521001001,2023,2,980,97', '330521001002,2023,12月,15,100'].join('\n');
    const r = await load(iconv.encode(text, 'gbk'), { datasetId: 'events' });
    expect(r).toMatchObject({ encoding: 'gbk', periods: ['2023-01', '2023-02', '2023-12'], periodColumns: ['年份', '月份'], indicators: [{ name: '上报事件数' }, { name: '办结率', unit: '%' }] });
    expect((await s.get('events')).periodType).toBe('month');
    expect((await s.values('events', { periods: ['2023-1'] })).rows[0].values).toEqual({ 上报事件数: 1024, 办结率: 98.5 });
  });

  it('refuses unknown regions (listing them) unless asked to skip them', async () => {
    const text = 'code,period,pop\n330521001,2023,1\n330521777,2023,2\n330521888001,2023,3\n330521777,2022,4\n';
    const e = await fails(text, { datasetId: 'unknown_regions' });
    expect(e).toMatchObject({ code: 'YITU_ERR_STATS_INVALID', status: 400, message: expect.stringContaining('2 region code(s) of the table are not loaded: 330521777, 330521888001') });
    expect(e.errors?.map((x) => x.row)).toEqual([2, 3, 4]);
    const r = await load(text, { datasetId: 'unknown_regions', skipUnknownRegions: true });
    expect(r).toMatchObject({ read: 4, imported: 1, skipped: 3, unknownRegions: ['330521777', '330521888001'] });
  });

  it('refuses non-numeric values with their row and column, and bad codes and periods', async () => {
    const e = await fails('region_code,year,pop,gdp\n330521,2023,100,1.5\n330521001,2023,abc,2\n330521102,2023,3,12%\n330521001001,二〇二三,4,1\n3.30521E+11,2023,5,5\n', { datasetId: 'bad_values' });
    expect(e.code).toBe('YITU_ERR_STATS_INVALID');
    expect(e.message).toContain('4 of the 5 rows cannot be read');
    expect(e.errors?.map((x) => [x.row, x.field])).toEqual([[2, 'pop'], [3, 'gdp'], [4, 'year'], [5, 'region_code']]);
    expect(e.errors?.[0].reason).toBe('row 2, column "pop": "abc" is not a number (leave the cell empty for no value; thousands separators like 1,234.5 are fine)');
    expect(e.errors?.[3].reason).toContain('scientific notation');
  });

  it('refuses repeated (region, period) rows, also when one row uses the statistical code', async () => {
    const e = await fails('code,period,pop\n330521102,2023,1\n330521001,2023,2\n330521102000,2023,3\n', { datasetId: 'dups' });
    expect(e).toMatchObject({ code: 'YITU_ERR_STATS_INVALID', errors: [{ row: 3, reason: 'row 3 repeats region 330521102, period 2023 of row 1' }] });
  });

  it('refuses empty files and missing columns with messages that say what to do', async () => {
    expect((await fails('', { datasetId: 'empty' })).code).toBe('YITU_ERR_IMPORT_FILE_EMPTY');
    expect((await fails('region_code,period,pop\n', { datasetId: 'header_only' })).code).toBe('YITU_ERR_IMPORT_FILE_EMPTY');
    const noRegion = await fails('地区,年份,人口\n德清,2023,1\n', { datasetId: 'no_region' });
    expect(noRegion).toMatchObject({ code: 'YITU_ERR_STATS_INVALID', message: expect.stringContaining('No region code column') });
    expect(await fails('code,pop\n330521,1\n', { datasetId: 'no_period' })).toMatchObject({ message: expect.stringContaining('No period column') });
    expect(await fails('code,period,名称\n330521,2023,德清\n', { datasetId: 'no_indicators' })).toMatchObject({ message: expect.stringContaining('no indicator columns') });
    expect(await fails('code,period,pop\n330521,2023,1\n', { datasetId: 'bad_option', regionColumn: 'adcode' })).toMatchObject({ message: expect.stringContaining('"adcode" (regionColumn) is not in the table') });
    expect(await fails('code,pop\n330521,1\n', { datasetId: 'bad_period', period: '2023 Q1' })).toMatchObject({ code: 'YITU_ERR_STATS_INVALID' });
    expect(await fails(Buffer.from('PK\u0003\u0004 not a csv'), { datasetId: 'zip', originalName: 'table.xlsx' })).toMatchObject({ code: 'YITU_ERR_IMPORT_FORMAT_UNKNOWN' });
    expect(await fails('code,period,pop\n330521,2023,1\n', { datasetId: 'Bad Id' })).toMatchObject({ code: 'YITU_ERR_DATASET_ID_INVALID' });
    expect(await fails('code,period,pop\n330521,2023,1\n', { datasetId: 'no_dept', metadata: { department: 'nowhere' } })).toMatchObject({ code: 'YITU_ERR_DATASET_METADATA_INVALID' });
    expect(await fails('code,period,pop\n330521,2023,1\n', { datasetId: 'economy' })).toMatchObject({ code: 'YITU_ERR_DATASET_EXISTS' });
  });

  it('takes a fixed period and refuses more than a million rows before writing anything', async () => {
    expect(await load('code,pop\n330521,1\n', { datasetId: 'fixed', period: '2021年' })).toMatchObject({ periods: ['2021'] });
    const many = function* () {
      for (let i = 0; i <= 1_000_000; i++) yield { code: '330521', period: '2023', v: i };
    };
    await expect(s.importRows(['code', 'period', 'v'], many(), { datasetId: 'huge', mode: 'create' })).rejects.toMatchObject({ code: 'YITU_ERR_PAYLOAD_TOO_LARGE', status: 413 });
  });

  it('appends, upserts and replaces as new versions; past versions stay readable', async () => {
    const base = 'code,period,pop\n330521001,2022,10\n330521102,2022,20\n';
    await load(base, { datasetId: 'versions' });
    expect(await load('code,period,pop,jobs\n330521001,2023,11,5\n', { datasetId: 'versions', mode: 'append' })).toMatchObject({ version: 2, added: 1, removed: 0, changed: 0 });
    const overlap = await fails('code,period,pop\n330521001,2023,12\n', { datasetId: 'versions', mode: 'append' });
    expect(overlap.message).toContain('already has rows for 330521001 2023');
    expect(await load('code,period,pop\n330521001,2023,12\n330521102,2023,21\n', { datasetId: 'versions', mode: 'upsert' })).toMatchObject({ version: 3, added: 1, changed: 1 });
    expect((await s.values('versions', { periods: ['2023'] })).rows.map((r) => r.values)).toEqual([{ pop: 12 }, { pop: 21 }]);
    expect((await s.values('versions', { periods: ['2023'], version: 2 })).rows.map((r) => r.values)).toEqual([{ pop: 11, jobs: 5 }]);
    expect(await load('code,period,pop\n330521,2024,99\n', { datasetId: 'versions', mode: 'replace' })).toMatchObject({ version: 4, added: 1, removed: 4 });
    const table = await s.get('versions');
    expect(table).toMatchObject({ currentVersion: 4, featureCount: 1, periods: ['2024'], indicators: [{ name: 'pop' }] });
    const versions = await t.db.query<{ version: number; mode: string; feature_count: number }>('SELECT version, mode, feature_count FROM yitu.dataset_versions WHERE dataset_id = $1 ORDER BY version', ['versions']);
    expect(versions.rows).toEqual([
      { version: 1, mode: 'create', feature_count: 2 },
      { version: 2, mode: 'append', feature_count: 3 },
      { version: 3, mode: 'upsert', feature_count: 4 },
      { version: 4, mode: 'replace', feature_count: 1 },
    ]);
    await expect(s.values('versions', { version: 5 })).rejects.toMatchObject({ code: 'YITU_ERR_VERSION_NOT_FOUND' });
  });

  it('exports CSV (UTF-8 with BOM, or GBK) that imports again as it is', async () => {
    let out = Buffer.alloc(0);
    for await (const chunk of s.exportCsv('economy')) out = Buffer.concat([out, chunk]);
    const text = out.toString('utf8');
    expect(text.startsWith('\uFEFFregion_code,name_zh,name_en,level,period,常住人口 (人),GDP (亿元)\r\n330521,德清县,Deqing County,county,2022,645000,620.5\r\n')).toBe(true);
    const again = await load(out, { datasetId: 'economy_copy' });
    expect(again).toMatchObject({ imported: 6, ignoredColumns: ['name_zh', 'name_en', 'level'], indicators: [{ name: '常住人口', unit: '人' }, { name: 'GDP', unit: '亿元' }] });
    expect((await s.values('economy_copy')).rows).toEqual((await s.values('economy')).rows);
    let gbk = Buffer.alloc(0);
    for await (const chunk of s.exportCsv('economy', { level: 'town' }, 'gbk')) gbk = Buffer.concat([gbk, chunk]);
    expect(iconv.decode(gbk, 'gbk').split('\r\n')[1]).toBe('330521001,武康街道,Wukang Subdistrict,town,2022,199000,300');
  });

  it('deletes a table with its values and indicators', async () => {
    await s.remove('economy_copy');
    await expect(s.get('economy_copy')).rejects.toMatchObject({ code: 'YITU_ERR_DATASET_NOT_FOUND' });
    expect((await t.db.query(`SELECT 1 FROM yitu.stat_values WHERE dataset_id = 'economy_copy' UNION ALL SELECT 1 FROM yitu.stat_indicators WHERE dataset_id = 'economy_copy'`)).rows).toHaveLength(0);
  });
});
