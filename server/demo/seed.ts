import type { Queryable } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import type { Services } from '../services.ts';
import type { ColumnType, DatasetMetadataInput } from '../hub/model.ts';
import { memorySource } from '../hub/formats/memory-source.ts';
import { buildDemoCounty, type DemoCounty, type DemoDepartment, type DemoLayer, type DemoStatTable } from './build-demo-county.ts';
import { demoMaps } from '../map/maps/demo-maps.ts';
import { type PeopleReport, seedPeople } from './people.ts';
import { seedSharingHistory } from './sharing-history.ts';

/** Options of {@link seedDemo}. */
export interface SeedOptions {
  /** Seed of the synthetic data (default: the demo's own). */
  seed?: number;
  /** Size multiplier of the synthetic layers (default 1). */
  scale?: number;
  /** Drop the demo's datasets, statistical tables and regions first (needed on a database that is not empty). */
  replace?: boolean;
  /** Progress: the step and the overall percentage 0–100. */
  onProgress?(step: string, pct: number): void;
}

/** What {@link seedDemo} loaded. */
export interface SeedReport {
  departments: number;
  regions: number;
  /** The demo people (the command line shows the generated password once: server/demo/accounts-box.ts). */
  people: PeopleReport | null;
  /** Sharing requests of the demo history. */
  shareRequests: number;
  datasets: Array<{ id: string; features: number }>;
  statistics: Array<{ id: string; rows: number }>;
  /** Ids of the demo's saved maps. */
  maps: string[];
  durationMs: number;
}

/** True when the database holds no regions and no datasets (the first start). */
export async function isDatabaseEmpty(db: Queryable): Promise<boolean> {
  const r = await db.query<{ n: number }>('SELECT (SELECT count(*) FROM yitu.regions) + (SELECT count(*) FROM yitu.datasets) AS n');
  return Number(r.rows[0].n) === 0;
}

/** Catalog metadata of a demo layer, with the display titles of its columns. */
export function layerMetadata(layer: DemoLayer): DatasetMetadataInput {
  const keywords = layer.synthetic && !layer.keywords.includes('synthetic') ? [...layer.keywords, 'synthetic'] : layer.keywords;
  return {
    titleZh: layer.title.zh,
    titleEn: layer.title.en,
    descriptionZh: layer.description.zh,
    descriptionEn: layer.description.en,
    department: layer.department,
    theme: layer.theme,
    keywords,
    licence: layer.licence,
    classification: layer.classification,
    shareable: layer.shareable ?? true,
    updateFrequency: layer.updateFrequency,
    source: layer.source,
    // Display titles of the columns, declared beside them in each layer (server/demo/layers/*).
    columnTitles: Object.fromEntries(layer.fields.map((f) => [f.name, { zh: f.title.zh, en: f.title.en }])),
  };
}

/**
 * Writes the demo departments (kind, jurisdiction, case categories) in one transaction, updating
 * those already there.
 */
export async function loadDepartments(services: Services, departments: readonly DemoDepartment[]): Promise<void> {
  await services.db.transaction(async (tx) => {
    for (const d of departments) {
      await tx.query(
        `INSERT INTO yitu.departments (id, name_zh, name_en, kind, region_codes, case_categories) VALUES ($1, $2, $3, $4, $5::text[], $6::text[])
         ON CONFLICT (id) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, kind = EXCLUDED.kind,
           region_codes = EXCLUDED.region_codes, case_categories = EXCLUDED.case_categories, updated_at = now()`,
        [d.id, d.nameZh, d.nameEn, d.kind, d.regionCodes, d.caseCategories],
      );
    }
  });
  services.guard.forget();
}

/** The demo's ids: datasets (layers and statistical tables) and the county's region code. */
function demoIds(county: DemoCounty): { datasets: string[]; regions: string[] } {
  return {
    datasets: [...county.layers.map((l) => l.id), ...county.statistics.map((s) => s.id)],
    regions: county.regions.filter((r) => r.parentCode === null).map((r) => r.code),
  };
}

/** Drops what the demo loads (whatever is there of it). */
async function dropDemo(services: Services, county: DemoCounty): Promise<void> {
  const ids = demoIds(county);
  for (const id of ids.datasets) {
    const r = await services.db.query<{ kind: string }>('SELECT kind FROM yitu.datasets WHERE id = $1', [id]);
    if (!r.rows.length) continue;
    if (r.rows[0].kind === 'statistics') await services.stats.remove(id);
    else await services.hub.remove(id);
  }
  await services.regions.removeSubtrees(ids.regions);
  await services.maps.drop(demoMaps().map((m) => m.id!));
}

async function loadStatTable(services: Services, t: DemoStatTable): Promise<number> {
  const indicators = Object.fromEntries(t.columns.map((c) => [c.name, { titleZh: c.title.zh, titleEn: c.title.en, ...(c.unit ? { unit: c.unit } : {}) }]));
  const r = await services.stats.importRows(['region_code', 'period', ...t.columns.map((c) => c.name)], t.rows, {
    datasetId: t.id,
    mode: 'create',
    indicators,
    metadata: {
      titleZh: t.title.zh,
      titleEn: t.title.en,
      department: t.department,
      theme: 'socioeconomic',
      keywords: ['statistics', '统计', 'synthetic'],
      classification: 'internal',
      updateFrequency: t.periodType === 'month' ? 'monthly' : 'yearly',
      source: 'Yitu demo county (synthetic figures consistent with the demo regions)',
    },
    message: 'demo county',
  });
  return r.imported;
}

/**
 * Loads the demo county (Deqing): departments, the admin hierarchy through the regions service,
 * every layer as a dataset through the normal import pipeline (the same checks as an upload),
 * the statistical tables through the stats service, the demo people through the account service
 * (server/demo/people.ts) and a little sharing history through the sharing service. Refuses a
 * database that is not empty unless `replace` is set, which drops the demo's own datasets and
 * regions first (demo people already there are kept with their password). When a step fails,
 * what this run loaded is dropped again, so a retry starts clean. Prints nothing; reports progress
 * through `onProgress` and the demo people in the report (the CLI shows them once).
 */
export async function seedDemo(services: Services, opts: SeedOptions = {}): Promise<SeedReport> {
  const started = Date.now();
  // Never backwards, even when an import job's updates arrive out of order.
  let shown = 0;
  const progress = (step: string, pct: number) => {
    shown = Math.max(shown, Math.min(100, Math.round(pct * 10) / 10));
    opts.onProgress?.(step, shown);
  };
  if (!opts.replace && !(await isDatabaseEmpty(services.db))) {
    const r = await services.db.query<{ regions: number; datasets: number }>('SELECT (SELECT count(*)::int FROM yitu.regions) AS regions, (SELECT count(*)::int FROM yitu.datasets) AS datasets');
    throw new YituError('YITU_ERR_CONFLICT', `The database is not empty (${r.rows[0].regions} regions, ${r.rows[0].datasets} datasets), so the demo county is not loaded. Seed with replace (yitu seed demo --replace) to drop the demo's datasets and regions and load them again.`);
  }
  progress('building the demo county', 0);
  const county = buildDemoCounty({ ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.scale !== undefined ? { scale: opts.scale } : {}) });
  if (opts.replace) {
    progress('dropping the previous demo data', 2);
    await dropDemo(services, county);
  }
  const report: SeedReport = { departments: 0, regions: 0, people: null, shareRequests: 0, datasets: [], statistics: [], maps: [], durationMs: 0 };
  try {
    progress('departments', 3);
    await loadDepartments(services, county.departments);
    report.departments = county.departments.length;
    progress('regions', 4);
    report.regions = (await services.regions.loadRegions(county.regions)).loaded;
    progress('people', 6);
    report.people = await seedPeople(services);
    // Layers take 8–95 %, each its share by a rough size (polygons with many vertices cost most).
    const n = county.layers.length;
    for (let i = 0; i < n; i++) {
      const layer = county.layers[i];
      const from = 8 + (87 * i) / n;
      const step = `layer ${layer.id} (${i + 1}/${n})`;
      progress(step, from);
      const types: Record<string, ColumnType> = Object.fromEntries(layer.fields.map((f) => [f.name, f.type]));
      const r = await services.hub.importAndWait(
        { datasetId: layer.id, mode: 'create', source: memorySource(layer.features()), types, metadata: layerMetadata(layer), message: 'demo county' },
        (pct) => progress(step, from + (87 / n) * (pct / 100)),
      );
      report.datasets.push({ id: layer.id, features: r.imported });
    }
    for (let i = 0; i < county.statistics.length; i++) {
      const t = county.statistics[i];
      progress(`statistics ${t.id}`, 95 + (5 * i) / county.statistics.length);
      report.statistics.push({ id: t.id, rows: await loadStatTable(services, t) });
    }
    progress('saved maps', 99.5);
    for (const m of demoMaps()) report.maps.push((await services.maps.create(m)).id);
    progress('sharing history', 99.8);
    report.shareRequests = await seedSharingHistory(services);
  } catch (e) {
    await dropDemo(services, county).catch(() => {});
    // People created by this run go too, so that a retry creates them again with the password it shows.
    if (report.people?.createdIds.length) await services.db.query('DELETE FROM yitu.users WHERE id = ANY($1::uuid[])', [report.people.createdIds]).catch(() => {});
    throw e;
  }
  progress('done', 100);
  report.durationMs = Date.now() - started;
  return report;
}
