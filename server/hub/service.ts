import { rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Db } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import type { Job, JobService } from '../jobs/service.ts';
import * as catalog from './catalog-repo.ts';
import { applyColumnTitles } from './column-titles.ts';
import { type ImportReport, type ImportRequest, runImport } from './import-service.ts';
import { type Dataset, type DatasetMetadataInput, type DatasetVersion, metadataSchema, tableOf } from './model.ts';
import { type DiffOptions, diffVersions, rollbackTo, type VersionDiff } from './versions.ts';

/**
 * The data hub ("one database"): the catalog, imports as jobs, versions. Routes and the CLI call
 * it; later domains (map, toolbox, cases…) read datasets through it, never through its tables.
 */
export class HubService {
  private pendingUsage = new Map<string, number>();
  private usageTimer: ReturnType<typeof setTimeout> | undefined;
  private changeListeners = new Set<(datasetId: string) => void>();

  constructor(
    readonly db: Db,
    private readonly jobs: JobService,
    private readonly log: Logger,
  ) {}

  /**
   * Subscribes to dataset changes: the listener gets the dataset id after an import, edit,
   * rollback, metadata change or removal (tile caches evict on it). Returns the unsubscribe.
   */
  onChange(listener: (datasetId: string) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Tells the subscribers that a dataset changed (the features API calls it after its writes). */
  notifyChange(datasetId: string): void {
    for (const l of this.changeListeners) {
      try {
        l(datasetId);
      } catch (err) {
        this.log.warn({ err, dataset: datasetId }, 'a dataset change listener failed');
      }
    }
  }

  /** Reads a dataset or fails with a 404 that names it. */
  async get(id: string): Promise<Dataset> {
    const ds = await catalog.getDataset(this.db, id);
    if (!ds) throw new YituError('YITU_ERR_DATASET_NOT_FOUND', `There is no dataset "${id}". List datasets with GET /datasets.`);
    return ds;
  }

  /**
   * Reads a dataset whose rows live in its own `data` table (features or a plain table); a
   * statistical table is kept by the stats domain, so this answers 404 pointing there.
   */
  async getTable(id: string): Promise<Dataset> {
    const ds = await this.get(id);
    if (ds.kind === 'statistics') {
      throw new YituError('YITU_ERR_DATASET_NOT_FOUND', `"${id}" is a statistical table, not a feature dataset: read it at /stats/${id} (values, GeoJSON joined to regions, CSV export).`);
    }
    return ds;
  }

  /** Searches the catalog. */
  search(q: catalog.CatalogQuery): Promise<{ items: Dataset[]; total: number }> {
    return catalog.searchDatasets(this.db, q);
  }

  /** Throws YITU_ERR_DEPARTMENT_NOT_FOUND naming the known departments when `id` is not one. */
  private async assertDepartment(id: string): Promise<void> {
    const r = await this.db.query<{ id: string }>('SELECT id FROM yitu.departments ORDER BY id');
    if (!r.rows.some((d) => d.id === id)) {
      const known = r.rows.map((d) => d.id);
      throw new YituError('YITU_ERR_DEPARTMENT_NOT_FOUND', `There is no department '${id}'. ${known.length ? `Known: ${known.slice(0, 40).join(', ')}${known.length > 40 ? ', …' : ''}.` : 'Create it first (the administration pages, or POST /departments).'}`);
    }
  }

  /** Changes catalog metadata (validated; unknown fields refused). */
  async updateMetadata(id: string, patch: unknown): Promise<Dataset> {
    const parsed = metadataSchema.safeParse(patch);
    if (!parsed.success) {
      throw new YituError('YITU_ERR_DATASET_METADATA_INVALID', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    }
    const ds = await this.get(id);
    const m: DatasetMetadataInput = parsed.data;
    if (m.department) await this.assertDepartment(m.department);
    if (m.temporalColumn && !ds.columns.some((c) => c.name === m.temporalColumn && (c.type === 'date' || c.type === 'timestamp'))) {
      throw new YituError('YITU_ERR_DATASET_METADATA_INVALID', `temporalColumn must be a date or timestamp column of "${id}": ${ds.columns.filter((c) => c.type === 'date' || c.type === 'timestamp').map((c) => c.name).join(', ') || 'it has none'}.`);
    }
    await this.db.transaction(async (tx) => {
      // Column titles apply to the columns as they are now (an import may have added some meanwhile).
      const columns = m.columnTitles ? applyColumnTitles(id, (await catalog.getDataset(tx, id, true))?.columns ?? ds.columns, m.columnTitles) : undefined;
      await catalog.updateDatasetFields(tx, id, { ...m, ...(columns ? { columns } : {}) });
      if (m.temporalColumn !== undefined) await catalog.refreshDerived(tx, id, ds.currentVersion, m.temporalColumn);
    });
    this.notifyChange(id);
    return this.get(id);
  }

  /** Deletes a dataset, its table and its versions. */
  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM yitu.datasets WHERE id = $1', [id]);
      await tx.exec(`DROP TABLE IF EXISTS ${tableOf(id)}`);
    });
    this.notifyChange(id);
  }

  /**
   * Starts an import job. `cleanup` is removed when the job ends, whatever the outcome (the
   * uploaded temporary file).
   */
  async submitImport(req: ImportRequest, cleanup?: string): Promise<Job> {
    if (req.metadata?.department) await this.assertDepartment(req.metadata.department);
    const input = { ...req, source: undefined, file: undefined };
    return this.jobs.submit('import', JSON.parse(JSON.stringify(input)) as Record<string, unknown>, async (ctx) => {
      try {
        const report = await runImport({ db: this.db, log: this.log }, req, ctx);
        this.notifyChange(req.datasetId);
        return report;
      } finally {
        if (cleanup) await rm(cleanup, { force: true, recursive: true }).catch(() => {});
      }
    }, req.createdBy ?? null);
  }

  /** Imports and waits for the result (CLI, seed, tests); throws the job's error. */
  async importAndWait(req: ImportRequest, onProgress?: (pct: number, message: string | null) => void): Promise<ImportReport> {
    const job = await this.submitImport(req);
    const stop = onProgress ? this.jobs.subscribe(job.id, (u) => u.progress !== undefined && onProgress(u.progress, u.message ?? null)) : undefined;
    try {
      const done = await this.jobs.wait(job.id);
      if (done.status !== 'successful') throw jobError(done);
      return done.result as ImportReport;
    } finally {
      stop?.();
    }
  }

  /** Lists versions. */
  async versions(id: string): Promise<DatasetVersion[]> {
    await this.getTable(id);
    return catalog.listVersions(this.db, id);
  }

  /** Reads one version record. */
  async version(id: string, v: number): Promise<DatasetVersion> {
    await this.get(id);
    const r = await catalog.getVersion(this.db, id, v);
    if (!r) throw new YituError('YITU_ERR_VERSION_NOT_FOUND', `Dataset "${id}" has no version ${v}.`);
    return r;
  }

  /** Diffs two versions (within the reader's regional scope when `page.scope` is given). */
  async diff(id: string, from: number, to: number, page: DiffOptions): Promise<VersionDiff> {
    return diffVersions(this.db, await this.getTable(id), from, to, page);
  }

  /** Rolls back to a version (as a new version). */
  async rollback(id: string, version: number, message?: string): Promise<Dataset> {
    await this.getTable(id);
    await rollbackTo(this.db, id, version, message);
    this.notifyChange(id);
    return this.get(id);
  }

  /**
   * Counts a use of a dataset. Uses are added up in memory and written once a second in one
   * statement, so that reading features costs no extra write per request (PGlite runs one
   * statement at a time; a busy county API is read millions of times).
   */
  countUsage(id: string): Promise<void> {
    this.pendingUsage.set(id, (this.pendingUsage.get(id) ?? 0) + 1);
    this.usageTimer ??= setTimeout(() => void this.flushUsage(), 1000);
    return Promise.resolve();
  }

  /** Writes the uses counted so far (also called at shutdown). */
  async flushUsage(): Promise<void> {
    if (this.usageTimer) clearTimeout(this.usageTimer);
    this.usageTimer = undefined;
    const counts = this.pendingUsage;
    this.pendingUsage = new Map();
    await catalog.addUsage(this.db, counts).catch((e) => this.log.warn({ err: e }, 'could not write dataset usage counts'));
  }
}

/** Rebuilds a YituError from a failed job. */
export function jobError(job: Job): YituError {
  const e = job.error ?? {};
  const code = (typeof e.code === 'string' ? e.code : 'YITU_ERR_INTERNAL') as ConstructorParameters<typeof YituError>[0];
  return new YituError(code, String(e.detail ?? 'The job failed.'), Array.isArray(e.errors) ? { errors: e.errors } : {});
}
