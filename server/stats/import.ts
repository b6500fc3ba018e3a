import type { Db } from '../platform/db.ts';
import { type ErrorLocation, YituError, isYituError } from '../platform/errors.ts';
import * as catalog from '../hub/catalog-repo.ts';
import { type DatasetColumn, datasetIdSchema, metadataSchema } from '../hub/model.ts';
import { type ColumnPlan, planColumns } from './columns.ts';
import type { TableSource } from './csv-source.ts';
import { STAT_IMPORT_MODES, type StatImportOptions, type StatImportReport, type StatIndicator } from './model.ts';
import { type ParsedRow, parsePeriod, parseRows } from './parse.ts';
import * as repo from './repo.ts';

const invalid = (detail: string, errors?: ErrorLocation[]) => new YituError('YITU_ERR_STATS_INVALID', detail, errors?.length ? { errors } : {});
const key = (code: string, period: string) => `${code}|${period}`;

/** The catalog columns of a statistical table: its keys, then its indicators (numbers). */
export function catalogColumns(indicators: StatIndicator[]): DatasetColumn[] {
  return [
    { name: 'region_code', title: '区划代码', type: 'text' },
    { name: 'period', title: '时期', type: 'text' },
    ...indicators.map((i) => ({ name: i.name, title: i.title.zh || i.title.en || i.name, type: 'number' as const })),
  ];
}

/** Checks the request before the file is read: id, mode, metadata, department, fixed period. */
async function checkRequest(db: Db, opts: StatImportOptions): Promise<{ existing: Awaited<ReturnType<typeof catalog.getDataset>>; period?: string }> {
  const id = datasetIdSchema.safeParse(opts.datasetId);
  if (!id.success) throw new YituError('YITU_ERR_DATASET_ID_INVALID', `"${String(opts.datasetId).slice(0, 80)}" is not a dataset id: ${id.error.issues[0].message}.`);
  if (!STAT_IMPORT_MODES.includes(opts.mode)) throw new YituError('YITU_ERR_INPUT_INVALID', `mode must be one of ${STAT_IMPORT_MODES.join(', ')}; got "${String(opts.mode)}".`);
  const meta = metadataSchema.safeParse(opts.metadata ?? {});
  if (!meta.success) throw new YituError('YITU_ERR_DATASET_METADATA_INVALID', meta.error.issues.map((i) => `${i.path.join('.') || 'metadata'}: ${i.message}`).join('; '));
  if (opts.metadata?.department && !(await repo.departmentExists(db, opts.metadata.department))) {
    const known = await repo.departmentIds(db);
    throw new YituError('YITU_ERR_DATASET_METADATA_INVALID', `There is no department "${opts.metadata.department}"; ${known.length ? `known departments: ${known.slice(0, 30).join(', ')}` : 'no departments are loaded yet'}.`);
  }
  const existing = await catalog.getDataset(db, opts.datasetId);
  if (opts.mode === 'create' && existing) {
    throw new YituError('YITU_ERR_DATASET_EXISTS', `Dataset "${opts.datasetId}" already exists. Import with mode append, upsert or replace, or choose another id.`);
  }
  if (opts.mode !== 'create' && !existing) throw new YituError('YITU_ERR_DATASET_NOT_FOUND', `There is no statistical table "${opts.datasetId}"; import with mode create first.`);
  if (existing && existing.kind !== 'statistics') {
    throw invalid(`Dataset "${opts.datasetId}" holds ${existing.kind === 'features' ? 'features' : 'a table'}, not statistics; import the statistical table under another id.`);
  }
  if (opts.period === undefined) return { existing };
  const period = parsePeriod(opts.period);
  if (!period) throw invalid(`period "${String(opts.period).slice(0, 40)}" is not a year (2023) or a month (2023-05).`, [{ field: 'period', reason: 'not a period' }]);
  return { existing, period };
}

/** Maps the codes written in the table (region codes or 12-digit statistical codes) to region codes. */
async function resolveCodes(db: Db, rows: ParsedRow[]): Promise<Map<string, string>> {
  const written = [...new Set(rows.map((r) => r.code))];
  const map = new Map<string, string>();
  const found = await repo.regionsMatching(db, written);
  const wanted = new Set(written);
  for (const r of found) if (wanted.has(r.code)) map.set(r.code, r.code);
  for (const r of found) if (wanted.has(r.stat_code) && !map.has(r.stat_code)) map.set(r.stat_code, r.code);
  return map;
}

function checkRegions(rows: ParsedRow[], map: Map<string, string>, plan: ColumnPlan, skip: boolean): { rows: ParsedRow[]; unknown: string[] } {
  const unknown = [...new Set(rows.filter((r) => !map.has(r.code)).map((r) => r.code))];
  if (unknown.length && !skip) {
    const errors = rows.filter((r) => !map.has(r.code)).slice(0, 100).map((r) => ({ row: r.row, field: plan.region, reason: `row ${r.row}: region ${r.code} is not loaded` }));
    throw new YituError('YITU_ERR_STATS_INVALID', `${unknown.length} region code(s) of the table are not loaded: ${unknown.slice(0, 50).join(', ')}${unknown.length > 50 ? ', …' : ''}. Check the codes, load those regions first, or import with skipUnknownRegions to leave their rows out; nothing was imported.`, {
      errors,
      extra: { unknownRegions: unknown.slice(0, 1000) },
    });
  }
  const kept = rows.filter((r) => map.has(r.code)).map((r) => ({ ...r, code: map.get(r.code)! }));
  return { rows: kept, unknown };
}

function checkDuplicates(rows: ParsedRow[], plan: ColumnPlan): void {
  const first = new Map<string, ParsedRow>();
  const errors: ErrorLocation[] = [];
  let n = 0;
  for (const r of rows) {
    const k = key(r.code, r.period);
    const prev = first.get(k);
    if (!prev) {
      first.set(k, r);
      continue;
    }
    n++;
    if (errors.length < 100) errors.push({ row: r.row, field: plan.region, reason: `row ${r.row} repeats region ${r.code}, period ${r.period} of row ${prev.row}` });
  }
  if (n) throw invalid(`${n} row(s) repeat a (region, period) pair already given: ${errors.slice(0, 3).map((e) => e.reason).join('; ')}${n > 3 ? '; …' : ''}. Each region has one row per period; nothing was imported.`, errors);
}

/**
 * Imports a statistical table, all or nothing, as a new version: reads and checks every row
 * first (region code, period, numbers; unknown regions; repeated (region, period) pairs), then
 * writes in one transaction.
 */
export async function importTable(db: Db, source: TableSource, opts: StatImportOptions): Promise<StatImportReport> {
  const started = Date.now();
  try {
    const { existing, period } = await checkRequest(db, opts);
    const plan = planColumns(source.columns, opts);
    const parsed = await parseRows(source.rows(), plan, period);
    if (parsed.read === 0) throw new YituError('YITU_ERR_IMPORT_FILE_EMPTY', 'The table has a header but no data rows; nothing was imported.');
    if (parsed.badRows) {
      const shown = parsed.errors.slice(0, 3).map((e) => e.reason).join('; ');
      throw invalid(`${parsed.badRows} of the ${parsed.read} rows cannot be read; nothing was imported. ${shown}${parsed.badRows > 3 ? '; …' : ''}`, parsed.errors);
    }
    const map = await resolveCodes(db, parsed.rows);
    const { rows, unknown } = checkRegions(parsed.rows, map, plan, opts.skipUnknownRegions ?? false);
    if (!rows.length) throw invalid(`None of the ${parsed.read} rows is of a loaded region (${unknown.slice(0, 10).join(', ')}…); nothing was imported.`);
    checkDuplicates(rows, plan);
    const pairs = rows.map((r) => ({ region_code: r.code, period: r.period }));
    const indicators: StatIndicator[] = plan.indicators.map(({ column: _c, ...i }) => i);
    const periods = [...new Set(pairs.map((p) => p.period))].sort();
    const id = opts.datasetId;
    const m = opts.metadata ?? {};

    const counts = await db.transaction(async (tx) => {
      let version = 1;
      if (!existing) {
        await catalog.insertDataset(tx, {
          id, kind: 'statistics', titleZh: m.titleZh ?? '', titleEn: m.titleEn ?? (m.titleZh ? '' : id), descriptionZh: m.descriptionZh ?? '',
          descriptionEn: m.descriptionEn ?? '', department: m.department ?? null, theme: m.theme ?? 'socioeconomic', keywords: m.keywords ?? [],
          licence: m.licence ?? '', classification: m.classification ?? 'internal', updateFrequency: m.updateFrequency ?? 'yearly',
          source: m.source ?? opts.originalName ?? '', contact: m.contact ?? '', editable: false, shareable: m.shareable ?? true,
          createdBy: opts.createdBy ?? null, geometryType: null,
          columns: catalogColumns(indicators), keyColumn: null, temporalColumn: null,
        }).catch((e: unknown) => {
          if ((e as { code?: string }).code === '23505') throw new YituError('YITU_ERR_DATASET_EXISTS', `Dataset "${id}" was created meanwhile; import again with mode append, upsert or replace.`);
          throw e;
        });
      } else {
        const locked = await catalog.getDataset(tx, id, true);
        if (!locked || locked.currentVersion !== existing.currentVersion) {
          throw new YituError('YITU_ERR_CONFLICT', `Statistical table "${id}" changed while the file was being read (now version ${locked?.currentVersion}); import again.`);
        }
        version = existing.currentVersion + 1;
      }
      let closed: repo.Pair[] = [];
      if (opts.mode === 'replace') closed = await repo.closeRows(tx, id, version);
      else if (opts.mode === 'upsert') closed = await repo.closeRows(tx, id, version, pairs);
      else if (opts.mode === 'append') {
        const overlap = await repo.overlappingPairs(tx, id, pairs);
        if (overlap.length) {
          const list = overlap.slice(0, 20).map((p) => `${p.region_code} ${p.period}`).join(', ');
          throw invalid(`The table already has rows for ${list}${overlap.length > 20 ? ', …' : ''}. An append adds new (region, period) rows only; import with mode upsert to replace them. Nothing was imported.`);
        }
      }
      await repo.saveIndicators(tx, id, indicators, opts.mode === 'replace');
      await repo.insertValues(tx, id, version, { indicators: indicators.map((i) => i.name), rows });
      const fileKeys = new Set(pairs.map((p) => key(p.region_code, p.period)));
      const closedKeys = new Set(closed.map((p) => key(p.region_code, p.period)));
      const changed = [...closedKeys].filter((k) => fileKeys.has(k)).length;
      const c = { version, added: fileKeys.size - changed, removed: closedKeys.size - changed, changed };
      const all = await repo.listIndicators(tx, id);
      await catalog.updateDatasetFields(tx, id, { ...(existing ? m : {}), columns: catalogColumns(all) });
      await repo.refreshCatalog(tx, id, version);
      await repo.insertVersion(tx, id, {
        version, mode: opts.mode, message: opts.message ?? '', added: c.added, removed: c.removed, changed: c.changed,
        source: { file: opts.originalName ?? null, format: 'csv', encoding: source.encoding },
        report: { read: parsed.read, imported: rows.length, skipped: parsed.read - rows.length, unknownRegions: unknown.slice(0, 100), periods },
      });
      return c;
    }).catch((e: unknown) => {
      if (!isYituError(e) && (e as { code?: string }).code === '23505') {
        throw new YituError('YITU_ERR_CONFLICT', `Statistical table "${id}" was changed by another import meanwhile; import again.`);
      }
      throw e;
    });
    return {
      datasetId: id, version: counts.version, mode: opts.mode, encoding: source.encoding, read: parsed.read, imported: rows.length,
      skipped: parsed.read - rows.length, unknownRegions: unknown, added: counts.added, removed: counts.removed, changed: counts.changed,
      regionColumn: plan.region, periodColumns: [plan.period, plan.year, plan.month].filter((x): x is string => Boolean(x)),
      ignoredColumns: plan.ignored, indicators, periods, durationMs: Date.now() - started,
    };
  } finally {
    await source.close().catch(() => {});
  }
}
