import type { Feature, FeatureCollection, Geometry } from 'geojson';
import iconv from 'iconv-lite';
import type { Db } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import * as catalog from '../hub/catalog-repo.ts';
import type { Dataset, DatasetVisibility } from '../hub/model.ts';
import { LEVELS, type RegionLevel } from '../regions/model.ts';
import { memoryTable, openStatCsv } from './csv-source.ts';
import { importTable } from './import.ts';
import type { StatImportOptions, StatImportReport, StatIndicator, StatTable, StatValueRow, StatValuesQuery } from './model.ts';
import { parsePeriod } from './parse.ts';
import * as repo from './repo.ts';

/** A thematic-map FeatureCollection: the values of one period at one level, with legend hints. */
export interface StatFeatureCollection extends FeatureCollection<Geometry | null> {
  dataset: string;
  period: string;
  level: RegionLevel | null;
  periods: string[];
  indicators: Array<StatIndicator & { min: number | null; max: number | null; breaks: number[] }>;
}

/** Quantile class breaks (k classes → k − 1 inner breaks) of the non-null values. */
export function quantileBreaks(values: Array<number | null | undefined>, k = 5): number[] {
  const v = values.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
  if (v.length < 2) return [];
  const out: number[] = [];
  for (let i = 1; i < k; i++) {
    const b = v[Math.min(v.length - 1, Math.floor((i * v.length) / k))];
    if (out.at(-1) !== b) out.push(b);
  }
  return out;
}

const csvCell = (v: unknown) => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Statistical tables (socio-economic figures keyed by region code and period): import from CSV
 * or rows in memory, metadata, values joined to region names, thematic-map GeoJSON, CSV export.
 * The catalog entry is a hub dataset of kind 'statistics'; the values live in yitu.stat_values.
 */
export class StatsService {
  constructor(readonly db: Db) {}

  /** Imports a CSV file (UTF-8 or GBK, detected); see {@link importTable}. */
  async importCsv(file: string, opts: StatImportOptions): Promise<StatImportReport> {
    const source = await openStatCsv(file, { ...(opts.encoding ? { encoding: opts.encoding } : {}), ...(opts.originalName ? { originalName: opts.originalName } : {}) });
    return importTable(this.db, source, opts);
  }

  /** Imports rows already in memory (values as numbers or text), with the same checks as a file. */
  importRows(columns: string[], rows: Iterable<Record<string, unknown>>, opts: StatImportOptions): Promise<StatImportReport> {
    return importTable(this.db, memoryTable(columns, rows), opts);
  }

  /** Lists statistical tables (catalog entries of kind 'statistics'), with `visible` only those a reader may see. */
  async list(q: { q?: string; department?: string; visible?: DatasetVisibility; limit?: number; offset?: number } = {}): Promise<{ tables: Dataset[]; total: number }> {
    const r = await catalog.searchDatasets(this.db, { ...q, kind: 'statistics' });
    return { tables: r.items, total: r.total };
  }

  /** The catalog entry of a statistical table, or a 404. */
  async table(id: string): Promise<Dataset> {
    const ds = await catalog.getDataset(this.db, id);
    if (!ds || ds.kind !== 'statistics') {
      throw new YituError('YITU_ERR_DATASET_NOT_FOUND', ds ? `Dataset "${id}" is not a statistical table; read it at /datasets/${id}.` : `There is no statistical table "${id}". List them with GET /stats.`);
    }
    return ds;
  }

  /** A statistical table with its indicators (titles, units, ranges), periods and regions covered. */
  async get(id: string): Promise<StatTable> {
    const ds = await this.table(id);
    const [indicators, summary, periods, cover] = [
      await repo.listIndicators(this.db, id),
      await repo.indicatorSummary(this.db, id),
      await repo.periods(this.db, id),
      await repo.coverage(this.db, id),
    ];
    const types = new Set(periods.map((p) => (p.length === 4 ? 'year' : 'month')));
    const byLevel: StatTable['regions']['byLevel'] = {};
    let unknown = 0;
    for (const c of cover) {
      if (c.level) byLevel[c.level] = c.n;
      else unknown += c.n;
    }
    return {
      ...ds,
      indicators: indicators.map((i) => ({ ...i, ...(summary.get(i.name) ?? { count: 0, min: null, max: null }) })),
      periods,
      periodType: types.size === 0 ? null : types.size === 2 ? 'mixed' : ([...types][0] as 'year' | 'month'),
      regions: { count: cover.reduce((a, c) => a + c.n, 0), byLevel, unknown },
    };
  }

  /** Checks a values query against the table: known indicators, periods, level, region code, version. */
  private async checkQuery(ds: Dataset, q: StatValuesQuery): Promise<{ q: StatValuesQuery; indicators: StatIndicator[] }> {
    const all = await repo.listIndicators(this.db, ds.id);
    const out: StatValuesQuery = { ...q };
    let indicators = all;
    if (q.indicators?.length) {
      const unknown = q.indicators.filter((n) => !all.some((i) => i.name === n));
      if (unknown.length) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `Table "${ds.id}" has no indicator ${unknown.map((u) => `"${u}"`).join(', ')}; its indicators are: ${all.map((i) => i.name).join(', ')}.`);
      indicators = all.filter((i) => q.indicators!.includes(i.name));
    }
    if (q.periods?.length) {
      out.periods = q.periods.map((p) => {
        const n = parsePeriod(p);
        if (!n) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `period "${p.slice(0, 40)}" is not a year (2023) or a month (2023-05).`);
        return n;
      });
    }
    if (q.level && !LEVELS.includes(q.level)) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `level must be one of ${LEVELS.join(', ')}; got "${q.level}".`);
    if (q.region && !/^\d{6}(\d{3}){0,3}$/.test(q.region)) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `region "${q.region.slice(0, 40)}" is not a region code (6, 9, 12 or 15 digits).`);
    if (q.version !== undefined && (!Number.isInteger(q.version) || q.version < 1 || q.version > ds.currentVersion)) {
      throw new YituError('YITU_ERR_VERSION_NOT_FOUND', `Table "${ds.id}" has versions 1–${ds.currentVersion}; there is no version ${q.version}.`);
    }
    return { q: out, indicators };
  }

  /** Rows (region, period) with their values, joined to region names; filtered and paged. */
  async values(id: string, query: StatValuesQuery = {}): Promise<{ dataset: string; indicators: StatIndicator[]; rows: StatValueRow[]; total: number }> {
    const ds = await this.table(id);
    const { q, indicators } = await this.checkQuery(ds, query);
    const r = await repo.valueRows(this.db, id, q);
    return { dataset: id, indicators, rows: r.rows.map((x) => toValueRow(x, indicators)), total: r.total };
  }

  /**
   * The values of one period (default: the latest) for the regions of one level (default: the
   * level most rows are at), joined to their boundaries: a FeatureCollection for thematic maps,
   * with each indicator's range and quantile breaks.
   */
  async geojson(id: string, opts: { indicators?: string[]; period?: string; level?: RegionLevel } = {}): Promise<StatFeatureCollection> {
    const ds = await this.table(id);
    const { q, indicators } = await this.checkQuery(ds, { ...(opts.indicators ? { indicators: opts.indicators } : {}), ...(opts.period ? { periods: [opts.period] } : {}), ...(opts.level ? { level: opts.level } : {}) });
    const periods = await repo.periods(this.db, id);
    const period = q.periods?.[0] ?? periods.at(-1);
    if (!period) throw new YituError('YITU_ERR_DATASET_NOT_FOUND', `Table "${id}" has no rows.`);
    if (!periods.includes(period)) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `Table "${id}" has no period ${period}; its periods are: ${periods.join(', ')}.`);
    const level = q.level ?? (await repo.commonLevel(this.db, id, period));
    const rows = level ? await repo.mapRows(this.db, id, period, level, opts.indicators) : [];
    const features: Feature<Geometry | null>[] = rows.map((r) => ({
      type: 'Feature',
      id: r.code,
      geometry: (typeof r.geometry === 'string' ? JSON.parse(r.geometry) : r.geometry) as Geometry,
      properties: { code: r.code, nameZh: r.name_zh, nameEn: r.name_en, level: r.level, parentCode: r.parent_code, period, ...orderValues(r.vals, indicators) },
    }));
    return {
      type: 'FeatureCollection',
      dataset: id,
      period,
      level,
      periods,
      indicators: indicators.map((i) => {
        const vals = rows.map((r) => r.vals[i.name]).filter((v): v is number => typeof v === 'number');
        return { ...i, min: vals.length ? Math.min(...vals) : null, max: vals.length ? Math.max(...vals) : null, breaks: quantileBreaks(vals) };
      }),
      features,
    };
  }

  /**
   * The table as CSV: one row per region and period, by period then region; columns region_code,
   * names, level, period, then each indicator as "name (unit)", so that the file imports again as
   * it is. UTF-8 with a BOM (Excel opens it correctly) or GBK. Streams in pages of 5,000 rows.
   */
  async *exportCsv(id: string, query: StatValuesQuery = {}, encoding: 'utf-8' | 'gbk' = 'utf-8'): AsyncGenerator<Buffer> {
    const ds = await this.table(id);
    const { q, indicators } = await this.checkQuery(ds, query);
    const enc = (s: string) => (encoding === 'gbk' ? iconv.encode(s, 'gbk') : Buffer.from(s, 'utf8'));
    const header = ['region_code', 'name_zh', 'name_en', 'level', 'period', ...indicators.map((i) => (i.unit ? `${i.name} (${i.unit})` : i.name))];
    yield enc(`${encoding === 'utf-8' ? '\uFEFF' : ''}${header.map(csvCell).join(',')}\r\n`);
    let after: repo.Pair | null = null;
    for (;;) {
      const page = await repo.valueRowsAfter(this.db, id, q, after, 5000);
      if (!page.length) break;
      let text = '';
      for (const r of page) {
        const cells = [r.region_code, r.name_zh, r.name_en, r.level, r.period, ...indicators.map((i) => r.vals[i.name])];
        text += `${cells.map(csvCell).join(',')}\r\n`;
      }
      yield enc(text);
      const last = page[page.length - 1];
      after = { region_code: last.region_code, period: last.period };
      if (page.length < 5000) break;
    }
  }

  /** Deletes a statistical table with its values, indicators and versions. */
  async remove(id: string): Promise<void> {
    await this.table(id);
    await this.db.query('DELETE FROM yitu.datasets WHERE id = $1', [id]);
  }
}

function orderValues(vals: Record<string, number | null>, indicators: StatIndicator[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const i of indicators) if (i.name in vals) out[i.name] = vals[i.name];
  return out;
}

function toValueRow(r: repo.ValuesDbRow, indicators: StatIndicator[]): StatValueRow {
  return {
    regionCode: r.region_code,
    name: r.name_zh === null ? null : { zh: r.name_zh, en: r.name_en ?? '' },
    level: r.level,
    parentCode: r.parent_code,
    period: r.period,
    values: orderValues(r.vals, indicators),
  };
}
