import { afterAll, beforeAll, expect, it } from 'vitest';
import { pointOnFeature } from '@turf/turf';
import { describeEachBackend, openTestDb, type TestDb } from '../test-support/databases.ts';
import { buildDemoCounty } from '../demo/build-demo-county.ts';
import type { RegionInput } from './model.ts';
import { RegionService } from './service.ts';
import { box, smallCounty } from './test-regions.ts';

describeEachBackend('regions service', (kind) => {
  let t: TestDb;
  let s: RegionService;
  const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM yitu.regions')).rows[0].n;

  beforeAll(async () => {
    t = await openTestDb(kind);
    s = new RegionService(t.db);
  });
  afterAll(async () => t?.dispose());

  it('loads a hierarchy given children first, forcing MultiPolygons and measuring areas in Gauss–Krüger metres', async () => {
    const r = await s.loadRegions(smallCounty());
    expect(r).toEqual({ loaded: 6, byLevel: { county: 1, town: 2, village: 2, grid: 1 } });
    const county = await s.get('330521');
    expect(county.geometry.type).toBe('MultiPolygon');
    // 0.3° × 0.3° at 30.55°N: ≈ 28.8 km × 33.3 km.
    expect(county.areaM2 / 1e6).toBeGreaterThan(940);
    expect(county.areaM2 / 1e6).toBeLessThan(975);
    const towns = (await s.list({ level: 'town' })).regions;
    expect(Math.abs(towns[0].areaM2 + towns[1].areaM2 - county.areaM2) / county.areaM2).toBeLessThan(1e-6);
    expect(county).toMatchObject({ statCode: '330521000000', level: 'county', kind: 'county', parentCode: null, population: 650000, childrenCount: 2, parents: [] });
    expect(county.bbox).toEqual([119.9, 30.4, 120.2, 30.7]);
  });

  it('lists by level, parent and name, with paging and totals, with or without geometry', async () => {
    const all = await s.list();
    expect(all.total).toBe(6);
    expect(all.regions.map((r) => r.code)).toEqual(['330521', '330521001', '330521102', '330521001001', '330521001002', '330521001001001']);
    expect(all.regions[0].geometry).toBeUndefined();
    const villages = await s.list({ level: 'village', geometry: true });
    expect(villages.regions.map((r) => r.name.zh)).toEqual(['城东社区', '城北村']);
    expect(villages.regions[0].geometry?.type).toBe('MultiPolygon');
    expect((await s.list({ parent: '330521' })).regions.map((r) => r.code)).toEqual(['330521001', '330521102']);
    expect((await s.list({ q: '武康' })).regions.map((r) => r.code)).toEqual(['330521001']);
    expect((await s.list({ q: 'xinshi' })).regions.map((r) => r.code)).toEqual(['330521102']);
    expect((await s.list({ q: '330521001' })).total).toBe(4);
    const page = await s.list({ limit: 2, offset: 2 });
    expect(page).toMatchObject({ total: 6 });
    expect(page.regions.map((r) => r.code)).toEqual(['330521102', '330521001001']);
  });

  it('reads a region with its parent chain and children', async () => {
    const g = await s.get('330521001001001');
    expect(g.parents.map((p) => p.code)).toEqual(['330521', '330521001', '330521001001']);
    expect(g).toMatchObject({ level: 'grid', kind: 'grid', statCode: '330521001001', childrenCount: 0, name: { zh: '一号网格', en: 'Grid 1' } });
    expect((await s.children('330521001')).regions.map((r) => r.code)).toEqual(['330521001001', '330521001002']);
    expect((await s.children('330521102')).total).toBe(0);
    await expect(s.get('330521999')).rejects.toMatchObject({ code: 'YITU_ERR_REGION_NOT_FOUND', status: 404 });
    await expect(s.children('330521999')).rejects.toMatchObject({ code: 'YITU_ERR_REGION_NOT_FOUND' });
    await expect(s.get('abc')).rejects.toMatchObject({ status: 400 });
  });

  it('locates a point to its whole chain, county first; partial chains where the hierarchy stops', async () => {
    const r = await s.locate(119.92, 30.42);
    expect(r.regions.map((x) => x.code)).toEqual(['330521', '330521001', '330521001001', '330521001001001']);
    expect((await s.locate(120.1, 30.5)).regions.map((x) => x.code)).toEqual(['330521', '330521102']);
    // On the boundary between the two towns (and both villages): still one consistent chain.
    const edge = (await s.locate(120.05, 30.55)).regions;
    expect(edge.map((x) => x.level)).toEqual(['county', 'town', 'village']);
    expect(edge[2].parentCode).toBe(edge[1].code);
    expect(await s.regionOf(119.92, 30.6, 'village')).toMatchObject({ code: '330521001002', name: { zh: '城北村' } });
    expect(await s.regionOf(120.1, 30.6, 'village')).toBeNull();
    expect(await s.regionOf(121, 31, 'county')).toBeNull();
  });

  it('says when a point is outside the county, naming it, and refuses coordinates out of range', async () => {
    await expect(s.locate(121.5, 31.2)).rejects.toMatchObject({ code: 'YITU_ERR_REGION_NOT_FOUND', message: expect.stringContaining('德清县 Deqing County (330521)') });
    await expect(s.locate(190, 30)).rejects.toMatchObject({ code: 'YITU_ERR_COORDS_OUT_OF_RANGE', status: 400 });
    await expect(s.locate(120, -91)).rejects.toMatchObject({ code: 'YITU_ERR_COORDS_OUT_OF_RANGE' });
    await expect(s.locate(Number.NaN, 30)).rejects.toMatchObject({ status: 400 });
  });

  it('refuses bad codes, levels, statistical codes, kinds and missing parents, listing every problem and writing nothing', async () => {
    const before = await count();
    const bad: RegionInput[] = [
      { code: '3305211', nameZh: '七位', geometry: box(120, 30.5, 120.01, 30.51) },
      { code: '33052100A', nameZh: '字母', geometry: box(120, 30.5, 120.01, 30.51) },
      { code: '330521103', level: 'village', nameZh: '层级不符', geometry: box(120, 30.5, 120.01, 30.51) },
      { code: '330521104', parentCode: '330522', nameZh: '父级不符', geometry: box(120, 30.5, 120.01, 30.51) },
      { code: '330521105', statCode: '330522105000', nameZh: '统计码不符', geometry: box(120, 30.5, 120.01, 30.51) },
      { code: '330521106', kind: 'village', nameZh: '类型不符', geometry: box(120, 30.5, 120.01, 30.51) },
      { code: '330521999001', nameZh: '无父级', geometry: box(120, 30.5, 120.01, 30.51) },
      { code: '330521107', nameZh: '', geometry: box(120, 30.5, 120.01, 30.51) },
      { code: '330521108', nameZh: '点', geometry: { type: 'Point', coordinates: [120, 30.5] } },
      { code: '330521109', nameZh: '经纬度颠倒', geometry: box(30.5, 120, 30.51, 120.01) },
      { code: '330521110', nameZh: '好的', geometry: box(120, 30.5, 120.01, 30.51) },
    ];
    const e = await s.loadRegions(bad).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'YITU_ERR_REGION_INVALID', status: 400 });
    const errors = (e as { errors: Array<{ row: number; field: string; reason: string }> }).errors;
    expect(errors.map((x) => [x.row, x.field])).toEqual([
      [1, 'code'], [2, 'code'], [3, 'level'], [4, 'parentCode'], [5, 'statCode'], [6, 'kind'], [8, 'nameZh'], [9, 'geometry'], [10, 'geometry'], [7, 'parentCode'],
    ]);
    expect(errors.find((x) => x.row === 7)?.reason).toContain('its parent 330521999 is neither stored nor among the records');
    expect(await count()).toBe(before);
    await expect(s.loadRegions([])).rejects.toMatchObject({ code: 'YITU_ERR_REGION_INVALID' });
  });

  it('refuses an invalid boundary with PostGIS’s reason, writing none of the batch', async () => {
    const before = await count();
    const bowtie = { type: 'Polygon' as const, coordinates: [[[120.1, 30.5], [120.12, 30.52], [120.12, 30.5], [120.1, 30.52], [120.1, 30.5]]] };
    const e = await s.loadRegions([
      { code: '330521102001', nameZh: '好村', geometry: box(120.1, 30.4, 120.2, 30.5) },
      { code: '330521102002', nameZh: '坏村', geometry: bowtie },
    ]).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'YITU_ERR_REGION_INVALID', errors: [{ row: 2, field: 'geometry', reason: expect.stringMatching(/330521102002: invalid boundary: Self-intersection/) }] });
    expect(await count()).toBe(before);
  });

  it('refuses codes already loaded unless asked to update them', async () => {
    const again = smallCounty().filter((r) => r.code === '330521102');
    await expect(s.loadRegions(again)).rejects.toMatchObject({ errors: [{ reason: expect.stringContaining('already loaded') }] });
    await s.loadRegions([{ ...again[0], nameEn: 'Xinshi', population: 123 }], { update: true });
    expect(await s.get('330521102')).toMatchObject({ name: { en: 'Xinshi' }, population: 123 });
  });

  it('loads the real Deqing towns and villages of the demo county and locates a point of Wukang', async () => {
    await s.removeSubtrees(['330521']);
    expect(await count()).toBe(0);
    const county = buildDemoCounty({ scale: 1 });
    const r = await s.loadRegions(county.regions);
    expect(r.byLevel).toMatchObject({ county: 1, town: 13, village: county.regions.filter((x) => x.level === 'village').length });
    const wukang = county.regions.find((x) => x.code === '330521001')!;
    const village = county.regions.find((x) => x.parentCode === wukang.code)!;
    const [lon, lat] = pointOnFeature(village.geometry).geometry.coordinates;
    const chain = (await s.locate(lon, lat)).regions;
    expect(chain.slice(0, 3).map((x) => x.code)).toEqual(['330521', '330521001', village.code]);
    expect(chain[1].name).toEqual({ zh: '武康街道', en: 'Wukang Subdistrict' });
    const towns = await s.list({ level: 'town', limit: 100 });
    expect(towns.total).toBe(13);
    // Town areas add up to the county's (the demo partitions it).
    const sum = towns.regions.reduce((a, x) => a + x.areaM2, 0);
    expect(Math.abs(sum - (await s.get('330521')).areaM2) / sum).toBeLessThan(0.01);
  });
});
