import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../platform/db.ts';
import { ident } from '../platform/db.ts';
import { type ErrorLocation, YituError } from '../platform/errors.ts';
import type { JobContext } from '../jobs/service.ts';
import { openSource } from './formats/open-source.ts';

import type { ImportFormat, OpenedSource, ReaderOptions, TextEncoding } from './formats/types.ts';
import * as catalog from './catalog-repo.ts';
import { type ColumnType, type Dataset, type DatasetColumn, type DatasetMetadataInput, type ImportMode, tableOf } from './model.ts';
import { buildColumns, safeColumnName } from './schema-infer.ts';
import { applyColumnTitles } from './column-titles.ts';
import { createStageTable, stageSource, summariseGeometryType } from './import-stage.ts';
import { DirectMisfit } from './import-direct.ts';
import { type DirectResult, loadDirect } from './import-direct-load.ts';
import { addColumns, applyToDataset, checkKey, createTypedTable, fillTypedTable, indexTable, promoteTypedTable } from './import-apply.ts';
import { resolveCrs } from './crs/resolve.ts';

/** What to import and how. */
export interface ImportRequest {
  datasetId: string;
  mode: ImportMode;
  /** Path of the uploaded file on this machine. */
  file?: string;
  /** Features already opened (the demo seed, features posted as JSON) instead of a file. */
  source?: OpenedSource;
  /** The file's name as the user had it (for format detection and the version record). */
  originalName?: string;
  format?: ImportFormat;
  /** EPSG code of the coordinates when the file does not say it (or says it wrongly). */
  crs?: number;
  /** Chinese web-map offsets to remove: GCJ-02 (Amap, Tencent) or BD-09 (Baidu). */
  coords?: 'wgs84' | 'gcj02' | 'bd09';
  encoding?: TextEncoding;
  xField?: string;
  yField?: string;
  wktField?: string;
  layer?: string;
  /** Key column for upsert (and keyed replace): original or safe name. */
  key?: string;
  /** Skip rows that cannot be read (and report them) instead of failing. */
  skipInvalid?: boolean;
  /** Column types to use instead of the inferred ones, by original or safe name (create mode). */
  types?: Record<string, ColumnType>;
  /** Catalog metadata for a new dataset (create mode) or changes to apply with the import. */
  metadata?: DatasetMetadataInput;
  message?: string;
  /** The user who started the import (recorded on a new dataset). */
  createdBy?: string;
}

/** What an import did: the job's result. */
export interface ImportReport {
  datasetId: string;
  version: number;
  mode: ImportMode;
  format: ImportFormat;
  sourceCrs: number;
  coords: 'wgs84' | 'gcj02' | 'bd09';
  encoding: string | null;
  read: number;
  imported: number;
  skipped: number;
  repaired: number;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  nullGeometries: number;
  errors: ErrorLocation[];
  columns: DatasetColumn[];
  newColumns: string[];
  geometryType: string | null;
  durationMs: number;
  /** Where the time went: reading and staging, typing, indexing and committing. */
  timings: { readMs: number; typeMs: number; commitMs: number };
  /**
   * How the rows were loaded: `direct` (COPY into the typed table), `direct-worker` (the same, the file
   * read in a worker thread) or `staged` (through the `jsonb` staging table; see docs/ARCHITECTURE.md).
   */
  load: 'direct' | 'direct-worker' | 'staged';
}

/** Collaborators of the import. */
export interface ImportDeps {
  db: Db;
  log: Logger;
}

function readerOptions(req: ImportRequest): ReaderOptions & { format?: ImportFormat; originalName?: string } {
  const o: ReaderOptions & { format?: ImportFormat; originalName?: string } = {};
  if (req.format) o.format = req.format;
  if (req.originalName) o.originalName = req.originalName;
  if (req.encoding) o.encoding = req.encoding;
  if (req.xField) o.xField = req.xField;
  if (req.yField) o.yField = req.yField;
  if (req.wktField) o.wktField = req.wktField;
  if (req.layer) o.layer = req.layer;
  return o;
}

/** Finds a column by safe or original name. */
export function findColumn(columns: DatasetColumn[], name: string): DatasetColumn | undefined {
  return columns.find((c) => c.name === name) ?? columns.find((c) => c.title === name);
}

/**
 * Imports a file into a dataset as one new version, all or nothing: the file is staged in short
 * batches into tables no reader sees, typed, indexed, and swapped in by one short transaction. A
 * failure or a cancellation (SIGTERM) at any point drops the staging tables and leaves the dataset
 * as it was.
 */
export async function runImport(deps: ImportDeps, req: ImportRequest, ctx: JobContext): Promise<ImportReport> {
  const { db } = deps;
  const started = Date.now();
  const timings = { readMs: 0, typeMs: 0, commitMs: 0 };
  const existing = await catalog.getDataset(db, req.datasetId);
  if (req.mode === 'create' && existing) {
    throw new YituError('YITU_ERR_DATASET_EXISTS', `Dataset "${req.datasetId}" already exists. Import with mode append, replace or upsert, or choose another id.`);
  }
  if (existing?.kind === 'statistics') {
    throw new YituError('YITU_ERR_CONFLICT', `"${req.datasetId}" is a statistical table; import into it with POST /stats/${req.datasetId}/imports.`);
  }
  if (req.mode !== 'create' && !existing) {
    throw new YituError('YITU_ERR_DATASET_NOT_FOUND', `Dataset "${req.datasetId}" does not exist; import with mode create first.`);
  }
  const suffix = `${req.datasetId.slice(0, 20)}_${randomBytes(5).toString('hex')}`;
  const stageName = `s_${suffix}`;
  const typedName = `t_${suffix}`;
  const stage = `staging.${ident(stageName)}`;
  const typed = `staging.${ident(typedName)}`;
  if (!req.source && !req.file) throw new YituError('YITU_ERR_INPUT_INVALID', 'An import needs a file.');
  let source = req.source ?? (await openSource(req.file!, readerOptions(req)));
  try {
    const sourceCrs = await resolveCrs(db, req.crs ?? source.crs ?? 4326, req.crs ? 'given' : source.crs ? 'file' : 'default');
    const coords = req.coords ?? 'wgs84';
    if (coords !== 'wgs84' && sourceCrs !== 4326 && sourceCrs !== 4490) {
      throw new YituError('YITU_ERR_INPUT_INVALID', `--coords ${coords} applies to longitude/latitude input, but the file is in EPSG:${sourceCrs}.`);
    }
    const enforce = new Map<string, ColumnType>();
    for (const c of existing?.columns ?? []) {
      enforce.set(c.title, c.type);
      enforce.set(c.name, c.type);
    }
    for (const [k, t] of Object.entries(req.types ?? {})) enforce.set(k, t);
    const version = (existing?.currentVersion ?? 0) + 1;
    ctx.progress(1, 'reading the file');
    // A file in EPSG:4326 goes by COPY straight into the typed table (import-direct.ts); when its
    // sampled column types do not hold, it is read again through the staged path below.
    let direct: DirectResult | null = null;
    if (!req.source && sourceCrs === 4326) {
      try {
        direct = await loadDirect(db, source, {
          typed,
          existing: existing?.columns ?? null,
          types: req.types ?? {},
          enforce: [...enforce],
          version,
          coords,
          skipInvalid: req.skipInvalid ?? false,
          signal: ctx.signal,
          onProgress: (f, n) => ctx.progress(1 + f * 85, `read ${n.toLocaleString('en')} features`),
          worker: { file: req.file!, reader: readerOptions(req) },
          // PGlite repairs in batches of row ids, so the key comes first; a server builds it with the other indexes.
          primaryKey: !db.capabilities.concurrent,
        });
      } catch (e) {
        if (!(e instanceof DirectMisfit)) throw e;
        deps.log.info({ dataset: req.datasetId, reason: e.message }, 'import: sampled column types did not hold; reading the file again through staging');
        await db.exec(`DROP TABLE IF EXISTS ${typed}`);
        await source.close().catch(() => {});
        source = await openSource(req.file!, readerOptions(req));
        ctx.progress(1, 'reading the file again');
      }
    }
    if (!direct) await createStageTable(db, stage);
    const stagedRows = direct
      ? null
      : await stageSource(db, source, {
          table: stage,
          srid: sourceCrs,
          coords,
          skipInvalid: req.skipInvalid ?? false,
          enforce,
          signal: ctx.signal,
          onProgress: (f, n) => ctx.progress(1 + f * 64, `read ${n.toLocaleString('en')} features`),
        });
    const staged = direct ?? stagedRows!;
    if (staged.badRows && !req.skipInvalid) {
      throw new YituError(
        'YITU_ERR_IMPORT_ROWS_INVALID',
        `${staged.badRows >= 100 ? 'At least 100' : staged.badRows} rows of the file cannot be read; nothing was imported. Fix them, or import with skipInvalid (--skip-invalid) to leave them out.`,
        { errors: staged.errors },
      );
    }
    if (staged.staged === 0) {
      throw new YituError('YITU_ERR_IMPORT_NO_FEATURES', staged.badRows ? `None of the ${staged.badRows} rows could be read.` : 'The file has no features; nothing was imported.', {
        errors: staged.errors,
      });
    }

    // The columns: the existing dataset's, plus any new ones (inferred, or as the caller typed them).
    const oldColumns = existing?.columns ?? [];
    const taken = new Set(oldColumns.map((c) => c.name));
    let columns: DatasetColumn[];
    let newColumns: DatasetColumn[] = [];
    if (!stagedRows) {
      newColumns = direct!.newColumns;
      columns = [...oldColumns, ...newColumns];
    } else if (!existing) {
      columns = buildColumns(stagedRows.inferrer, req.types);
    } else {
      let pos = oldColumns.length + 1;
      for (const original of stagedRows.inferrer.seen.keys()) {
        if (findColumn(oldColumns, original)) continue;
        const name = safeColumnName(original, pos++, taken);
        newColumns.push({ name, title: original, type: req.types?.[original] ?? stagedRows.inferrer.typeOf(original) });
      }
      columns = [...oldColumns, ...newColumns];
    }
    // Display titles given with the import apply to the columns as they will be (old titles stay).
    if (req.metadata?.columnTitles) {
      columns = applyColumnTitles(req.datasetId, columns, req.metadata.columnTitles);
      newColumns = columns.slice(oldColumns.length);
    }
    const keyName = req.key ?? (req.mode === 'upsert' || req.mode === 'replace' ? existing?.keyColumn ?? undefined : undefined);
    const key = keyName ? findColumn(columns, keyName) : undefined;
    if (keyName && !key) {
      throw new YituError('YITU_ERR_IMPORT_KEY_INVALID', `The key column "${keyName}" is not in the data. Columns: ${columns.map((c) => c.title).join(', ')}.`);
    }
    if (req.mode === 'upsert' && !key) {
      throw new YituError('YITU_ERR_IMPORT_KEY_INVALID', 'An upsert needs a key column (--key): the column that identifies a feature across versions.');
    }

    let repaired: number;
    if (direct) {
      repaired = direct.repaired;
      timings.readMs = Date.now() - started - direct.finishMs;
      timings.typeMs = direct.finishMs;
    } else {
      await createTypedTable(db, typed, columns, !existing);
      timings.readMs = Date.now() - started;
      ctx.progress(66, 'typing and checking geometries');
      repaired = await fillTypedTable(db, stage, typed, columns, sourceCrs, version, ctx.signal, (f) => ctx.progress(66 + f * 24, 'typing and checking geometries'));
      timings.typeMs = Date.now() - started - timings.readMs;
    }
    if (key) await checkKey(db, typed, key.name);
    const geometryType = summariseGeometryType(
      existing?.geometryType ? new Set([...staged.geometryTypes, existing.geometryType]) : staged.geometryTypes,
    );
    const temporalColumn = req.metadata?.temporalColumn ?? existing?.temporalColumn ?? columns.find((c) => c.type === 'timestamp' || c.type === 'date')?.name ?? null;
    const sourceInfo = { file: req.originalName ?? null, format: source.format, crs: sourceCrs, coords, encoding: source.encoding ?? null };
    const base = {
      datasetId: req.datasetId,
      version,
      mode: req.mode,
      format: source.format,
      sourceCrs,
      coords,
      encoding: source.encoding ?? null,
      read: staged.staged + staged.badRows,
      imported: staged.staged,
      skipped: staged.badRows,
      repaired,
      nullGeometries: staged.nullGeometries,
      errors: staged.errors,
      columns,
      newColumns: newColumns.map((c) => c.name),
      geometryType,
    };
    if (ctx.signal.aborted) throw ctx.signal.reason;
    ctx.progress(92, 'indexing');

    let counts = { added: staged.staged, removed: 0, changed: 0, unchanged: 0 };
    if (!existing) {
      await indexTable(db, typed, req.datasetId, key?.name ?? null, direct !== null && db.capabilities.concurrent);
      if (ctx.signal.aborted) throw ctx.signal.reason;
      await db.transaction(async (tx) => {
        await promoteTypedTable(tx, 'staging', typedName, req.datasetId);
        const m = req.metadata ?? {};
        await catalog.insertDataset(tx, {
          id: req.datasetId,
          kind: staged.geometryTypes.size ? 'features' : 'table',
          titleZh: m.titleZh ?? '',
          titleEn: m.titleEn ?? (m.titleZh ? '' : req.datasetId),
          descriptionZh: m.descriptionZh ?? '',
          descriptionEn: m.descriptionEn ?? '',
          department: m.department ?? null,
          theme: m.theme ?? 'current',
          keywords: m.keywords ?? [],
          licence: m.licence ?? '',
          classification: m.classification ?? 'internal',
          updateFrequency: m.updateFrequency ?? 'once',
          source: m.source ?? req.originalName ?? '',
          contact: m.contact ?? '',
          editable: m.editable ?? false,
          shareable: m.shareable ?? true,
          createdBy: req.createdBy ?? null,
          geometryType,
          columns,
          keyColumn: key?.name ?? null,
          temporalColumn,
        });
        await catalog.recordVersion(tx, req.datasetId, {
          version, mode: 'create', message: req.message ?? '', jobId: ctx.id,
          added: counts.added, removed: 0, changed: 0, source: sourceInfo, report: { ...base, ...counts, durationMs: Date.now() - started },
        }, temporalColumn);
      });
    } else {
      const table = tableOf(req.datasetId);
      counts = await db.transaction(async (tx) => {
        const locked = await catalog.getDataset(tx, req.datasetId, true);
        if (!locked || locked.currentVersion !== existing.currentVersion) {
          throw new YituError('YITU_ERR_CONFLICT', `Dataset "${req.datasetId}" changed while the file was being read (now version ${locked?.currentVersion}); run the import again.`);
        }
        if (newColumns.length) await addColumns(tx, table, newColumns);
        const c = await applyToDataset(tx, {
          table, typed, mode: req.mode as Exclude<ImportMode, 'create'>, key: req.mode === 'append' ? null : key?.name ?? null, columns, version,
        });
        await catalog.updateDatasetFields(tx, req.datasetId, {
          ...(req.metadata ?? {}), columns, geometryType, temporalColumn, ...(key ? { keyColumn: key.name } : {}),
        });
        await catalog.recordVersion(tx, req.datasetId, {
          version, mode: req.mode, message: req.message ?? '', jobId: ctx.id,
          added: c.added, removed: c.removed, changed: c.changed, source: sourceInfo, report: { ...base, ...c, durationMs: Date.now() - started },
        }, temporalColumn);
        return c;
      });
    }
    await db.exec(`ANALYZE ${tableOf(req.datasetId)}`).catch(() => {});
    timings.commitMs = Date.now() - started - timings.readMs - timings.typeMs;
    const load = direct ? (direct.inWorker ? 'direct-worker' : 'direct') : 'staged';
    const report: ImportReport = { ...base, ...counts, durationMs: Date.now() - started, timings, load };
    ctx.progress(100, `imported ${report.imported.toLocaleString('en')} features as version ${version}`);
    deps.log.info({ dataset: req.datasetId, version, imported: report.imported, ms: report.durationMs }, 'import committed');
    return report;
  } finally {
    await source.close().catch(() => {});
    await db.exec(`DROP TABLE IF EXISTS ${stage}; DROP TABLE IF EXISTS ${typed}`).catch((e) => deps.log.warn({ err: e }, 'staging cleanup failed'));
  }
}

/** Drops staging tables a crashed process left behind. */
export async function cleanStaging(db: Db): Promise<number> {
  const r = await db.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'staging'`);
  for (const { t } of r.rows) await db.exec(`DROP TABLE IF EXISTS staging.${ident(t)}`);
  return r.rows.length;
}
