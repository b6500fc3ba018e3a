import { afterAll, beforeAll, expect, it } from 'vitest';
import pino from 'pino';
import { pointOnFeature } from '@turf/turf';
import { describeEachBackend, openTestDb, type TestDb } from '../test-support/databases.ts';
import { loadConfig } from '../platform/config.ts';
import { createServices, type Services } from '../services.ts';
import { buildDemoCounty, type DemoCounty } from './build-demo-county.ts';
import { isDatabaseEmpty, seedDemo, type SeedReport } from './seed.ts';
import { DEPARTMENTS } from './departments.ts';
import { DEMO_PEOPLE } from './people.ts';
import { DEMO_SHARE_REQUESTS } from './sharing-history.ts';
import { demoMaps } from '../map/maps/demo-maps.ts';
import { ANONYMOUS } from '../access/model.ts';

/** The demo at scale 1, and each layer's feature count (the layers are generated lazily). */
const county: DemoCounty = buildDemoCounty({ scale: 1 });
const expected = new Map(county.layers.map((l) => [l.id, [...l.features()].length]));

describeEachBackend('demo seeding', (kind) => {
  let t: TestDb;
  let s: Services;
  let report: SeedReport;
  const progress: Array<[string, number]> = [];
  const counts = async (sql: string) => (await t.db.query<{ level: string; n: number }>(sql)).rows;

  beforeAll(async () => {
    t = await openTestDb(kind);
    s = createServices(loadConfig({}, {}).config, t.db, pino({ level: 'silent' }));
    expect(await isDatabaseEmpty(t.db)).toBe(true);
    report = await seedDemo(s, { scale: 1, onProgress: (step, pct) => progress.push([step, pct]) });
  }, 600_000);
  afterAll(async () => {
    await s?.jobs.shutdown();
    await t?.dispose();
  });

  it('loads the departments and the admin hierarchy: 13 towns and subdistricts and their villages', async () => {
    const byLevel = Object.fromEntries((await counts('SELECT level, count(*)::int AS n FROM yitu.regions GROUP BY level')).map((r) => [r.level, r.n]));
    const villages = county.regions.filter((r) => r.level === 'village').length;
    expect(villages).toBeGreaterThanOrEqual(137);
    expect(byLevel).toEqual({ county: 1, town: 13, village: villages, grid: county.regions.filter((r) => r.level === 'grid').length });
    expect(report.regions).toBe(county.regions.length);
    expect((await counts('SELECT count(*)::int AS n FROM yitu.departments'))[0].n).toBe(county.departments.length);
    expect(await isDatabaseEmpty(t.db)).toBe(false);
  });

  it('writes each department with its kind, jurisdiction and case categories', async () => {
    const rows = await t.db.query<{ id: string; kind: string; region_codes: string[]; case_categories: string[] }>('SELECT id, kind, region_codes, case_categories FROM yitu.departments ORDER BY id');
    expect(rows.rows).toEqual(DEPARTMENTS.map((d) => ({ id: d.id, kind: d.kind, region_codes: d.regionCodes, case_categories: d.caseCategories })).sort((a, b) => a.id.localeCompare(b.id)));
    const towns = await counts(`SELECT count(*)::int AS n FROM yitu.departments d JOIN yitu.regions r ON r.code = d.region_codes[1] AND r.level = 'town' WHERE d.kind = 'town'`);
    expect(towns[0].n).toBe(13);
  });

  it('creates the demo people and a sharing history: approved with a grant, pending, refused', async () => {
    expect(report.people).toMatchObject({ created: DEMO_PEOPLE.length, existing: 0, passwordFrom: 'generated' });
    expect((await counts('SELECT count(*)::int AS n FROM yitu.users'))[0].n).toBe(DEMO_PEOPLE.length);
    expect(report.shareRequests).toBe(DEMO_SHARE_REQUESTS.length);
    const statuses = await t.db.query<{ status: string; grants: number }>(
      `SELECT r.status, count(g.id)::int AS grants FROM yitu.share_requests r LEFT JOIN yitu.dataset_grants g ON g.id = r.grant_id AND g.expires_at > now() GROUP BY r.status ORDER BY r.status`,
    );
    expect(statuses.rows).toEqual([{ status: 'approved', grants: 1 }, { status: 'pending', grants: 0 }, { status: 'refused', grants: 0 }]);
  });

  it('classifies the demo data as the county would: public basemap and published results, confidential detail, one unlisted', async () => {
    const all = await t.db.query<{ id: string; classification: string; department_id: string; shareable: boolean }>('SELECT id, classification, department_id, shareable FROM yitu.datasets');
    const by = (c: string) => all.rows.filter((r) => r.classification === c).map((r) => r.id).sort();
    expect(by('confidential')).toEqual(['change_detection_patches', 'enterprise_indicators', 'geohazard_points', 'population_grid']);
    expect(by('public')).toEqual(expect.arrayContaining(['roads', 'rivers', 'lakes_reservoirs', 'public_facilities', 'enterprises', 'ecological_red_line', 'urban_development_boundary']));
    expect(by('internal')).toEqual(expect.arrayContaining(['land_use_parcels', 'buildings', 'permanent_basic_farmland', 'iot_sites']));
    expect(all.rows.filter((r) => !r.shareable).map((r) => r.id)).toEqual(['change_detection_patches']);
    // An anonymous visitor of each public demo map sees some of its layers.
    for (const m of demoMaps()) {
      const readable: string[] = [];
      for (const l of m.layers ?? []) if (await s.guard.mayRead(ANONYMOUS, await s.hub.get(l.dataset))) readable.push(l.dataset);
      expect(readable.length, m.id).toBeGreaterThan(0);
    }
  });

  it('imports every layer through the hub with its metadata and the expected feature count', async () => {
    expect(county.layers.length).toBeGreaterThanOrEqual(18);
    for (const layer of county.layers) {
      const ds = await s.hub.get(layer.id);
      expect({ id: ds.id, features: ds.featureCount, department: ds.department, theme: ds.theme, title: ds.title }).toEqual({
        id: layer.id, features: expected.get(layer.id), department: layer.department, theme: layer.theme, title: layer.title,
      });
      expect(ds.kind).toBe(layer.geometryType ? 'features' : 'table');
    }
  });

  it('gives every column of every demo dataset its Chinese and English display title', async () => {
    for (const layer of county.layers) {
      const ds = await s.hub.get(layer.id);
      expect(ds.columns.map((c) => c.name).sort(), layer.id).toEqual(layer.fields.map((f) => f.name).sort());
      for (const c of ds.columns) {
        expect(c.titles?.zh, `${layer.id}.${c.name}`).toBeTruthy();
        expect(c.titles?.en, `${layer.id}.${c.name}`).toBeTruthy();
      }
    }
    expect((await s.hub.get('public_facilities')).columns.find((c) => c.name === 'capacity')?.titles).toEqual({ zh: '规模', en: 'Capacity' });
  });

  it('imports the statistical tables with titles and units', async () => {
    for (const st of county.statistics) {
      const table = await s.stats.get(st.id);
      expect(table.featureCount).toBe(st.rows.length);
      expect(table.indicators.map((i) => [i.name, i.title.zh, i.unit])).toEqual(st.columns.map((c) => [c.name, c.title.zh, c.unit ?? '']));
    }
    const map = await s.stats.geojson('village_population_annual', { indicators: ['residents'] });
    expect(map).toMatchObject({ period: '2023', level: 'village' });
    expect(map.features).toHaveLength(county.regions.filter((r) => r.level === 'village').length);
  });

  it('locates a point of Wukang subdistrict to its whole chain', async () => {
    const grid = county.regions.find((r) => r.level === 'grid' && r.code.startsWith('330521001'))!;
    const [lon, lat] = pointOnFeature(grid.geometry).geometry.coordinates;
    const chain = (await s.regions.locate(lon, lat)).regions;
    expect(chain.map((r) => r.code)).toEqual(['330521', '330521001', grid.parentCode, grid.code]);
    expect(chain.map((r) => r.level)).toEqual(['county', 'town', 'village', 'grid']);
    expect(chain[1].name).toEqual({ zh: '武康街道', en: 'Wukang Subdistrict' });
  });

  it('reports progress from 0 to 100 in order', () => {
    expect(progress[0][1]).toBe(0);
    expect(progress.at(-1)).toEqual(['done', 100]);
    for (let i = 1; i < progress.length; i++) expect(progress[i][1]).toBeGreaterThanOrEqual(progress[i - 1][1]);
  });

  it('refuses a database that is not empty unless asked to replace the demo', async () => {
    await expect(seedDemo(s)).rejects.toMatchObject({ code: 'YITU_ERR_CONFLICT', status: 409, message: expect.stringContaining('--replace') });
    // A user's own table survives a replace; the demo's data is dropped and loaded again (here smaller).
    await s.stats.importRows(['code', 'period', 'n'], [{ code: '330521001', period: '2024', n: 1 }], { datasetId: 'my_table', mode: 'create' });
    const small = await seedDemo(s, { scale: 0.1, replace: true });
    // The people stay as they are (with their password); the sharing history comes back with the datasets.
    expect(small.people).toMatchObject({ created: 0, existing: DEMO_PEOPLE.length });
    expect(small.shareRequests).toBe(DEMO_SHARE_REQUESTS.length);
    const parcels = small.datasets.find((d) => d.id === 'land_use_parcels')!;
    expect(parcels.features).toBeLessThan(expected.get('land_use_parcels')!);
    expect((await s.hub.get('land_use_parcels')).featureCount).toBe(parcels.features);
    expect((await s.stats.values('my_table')).rows).toHaveLength(1);
    expect((await counts(`SELECT count(*)::int AS n FROM yitu.regions WHERE level = 'town'`))[0].n).toBe(13);
  }, 600_000);
});
