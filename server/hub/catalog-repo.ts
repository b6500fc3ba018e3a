import type { Queryable } from '../platform/db.ts';
import { type Dataset, type DatasetColumn, type DatasetVersion, type DatasetVisibility, tableOf } from './model.ts';

interface DatasetRow {
  id: string;
  kind: Dataset['kind'];
  title_zh: string;
  title_en: string;
  description_zh: string;
  description_en: string;
  department_id: string | null;
  theme: Dataset['theme'];
  keywords: string[];
  licence: string;
  classification: Dataset['classification'];
  update_frequency: string;
  source: string;
  contact: string;
  editable: boolean;
  shareable: boolean;
  geometry_type: string | null;
  columns: DatasetColumn[];
  key_column: string | null;
  temporal_column: string | null;
  current_version: number;
  feature_count: number;
  bbox: number[] | null;
  temporal_start: Date | null;
  temporal_end: Date | null;
  usage_count: number;
  created_at: Date;
  updated_at: Date;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toDataset(r: DatasetRow): Dataset {
  return {
    id: r.id,
    kind: r.kind,
    title: { zh: r.title_zh, en: r.title_en },
    description: { zh: r.description_zh, en: r.description_en },
    department: r.department_id,
    theme: r.theme,
    keywords: r.keywords,
    licence: r.licence,
    classification: r.classification,
    updateFrequency: r.update_frequency,
    source: r.source,
    contact: r.contact,
    editable: r.editable,
    shareable: r.shareable,
    geometryType: r.geometry_type,
    columns: r.columns,
    keyColumn: r.key_column,
    temporalColumn: r.temporal_column,
    currentVersion: r.current_version,
    featureCount: r.feature_count,
    bbox: r.bbox && r.bbox.length === 4 ? (r.bbox as [number, number, number, number]) : null,
    temporal: { start: iso(r.temporal_start), end: iso(r.temporal_end) },
    usageCount: r.usage_count,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

/** Reads one dataset's catalog entry. */
export async function getDataset(db: Queryable, id: string, forUpdate = false): Promise<Dataset | null> {
  const r = await db.query<DatasetRow>(`SELECT * FROM yitu.datasets WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ? toDataset(r.rows[0]) : null;
}

/** Catalog search criteria. */
export interface CatalogQuery {
  q?: string;
  theme?: string;
  department?: string;
  kind?: string;
  bbox?: [number, number, number, number];
  /** Only datasets the reader may see (from the access domain); absent = all. */
  visible?: DatasetVisibility;
  limit?: number;
  offset?: number;
}

/** Searches the catalog; returns one page and the total. */
export async function searchDatasets(db: Queryable, query: CatalogQuery): Promise<{ items: Dataset[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (query.q) {
    const like = p(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(id ILIKE ${like} OR title_zh ILIKE ${like} OR title_en ILIKE ${like} OR description_zh ILIKE ${like}
      OR description_en ILIKE ${like} OR source ILIKE ${like} OR array_to_string(keywords, ' ') ILIKE ${like})`);
  }
  if (query.theme) where.push(`theme = ${p(query.theme)}`);
  if (query.department) where.push(`department_id = ${p(query.department)}`);
  if (query.kind) where.push(`kind = ${p(query.kind)}`);
  if (query.bbox) {
    const [a, b, c, d] = query.bbox;
    where.push(`bbox IS NOT NULL AND bbox[1] <= ${p(c)} AND bbox[3] >= ${p(a)} AND bbox[2] <= ${p(d)} AND bbox[4] >= ${p(b)}`);
  }
  if (query.visible) {
    const v = query.visible;
    where.push(`(classification = ANY(${p(v.classifications)}::text[]) OR department_id = ANY(${p(v.departments)}::text[]) OR id = ANY(${p(v.datasetIds)}::text[]))`);
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM yitu.datasets ${w}`, params);
  const rows = await db.query<DatasetRow>(
    `SELECT * FROM yitu.datasets ${w} ORDER BY theme, id LIMIT ${p(query.limit ?? 100)} OFFSET ${p(query.offset ?? 0)}`,
    params,
  );
  return { items: rows.rows.map(toDataset), total: total.rows[0].n };
}

/** Fields written when a dataset is created. */
export interface NewDataset {
  id: string;
  kind: Dataset['kind'];
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  department: string | null;
  theme: Dataset['theme'];
  keywords: string[];
  licence: string;
  classification: Dataset['classification'];
  updateFrequency: string;
  source: string;
  contact: string;
  editable: boolean;
  shareable: boolean;
  createdBy: string | null;
  geometryType: string | null;
  columns: DatasetColumn[];
  keyColumn: string | null;
  temporalColumn: string | null;
}

/** Inserts a catalog entry (version 0; the import then records version 1). */
export async function insertDataset(db: Queryable, d: NewDataset): Promise<void> {
  await db.query(
    `INSERT INTO yitu.datasets (id, kind, title_zh, title_en, description_zh, description_en, department_id, theme, keywords,
       licence, classification, update_frequency, source, contact, editable, geometry_type, columns, key_column, temporal_column,
       shareable, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)`,
    [d.id, d.kind, d.titleZh, d.titleEn, d.descriptionZh, d.descriptionEn, d.department, d.theme, d.keywords, d.licence,
      d.classification, d.updateFrequency, d.source, d.contact, d.editable, d.geometryType, JSON.stringify(d.columns), d.keyColumn, d.temporalColumn,
      d.shareable, d.createdBy],
  );
}

const METADATA_COLUMNS: Record<string, string> = {
  titleZh: 'title_zh',
  titleEn: 'title_en',
  descriptionZh: 'description_zh',
  descriptionEn: 'description_en',
  department: 'department_id',
  theme: 'theme',
  keywords: 'keywords',
  licence: 'licence',
  classification: 'classification',
  updateFrequency: 'update_frequency',
  source: 'source',
  contact: 'contact',
  editable: 'editable',
  shareable: 'shareable',
  temporalColumn: 'temporal_column',
  columns: 'columns',
  keyColumn: 'key_column',
  geometryType: 'geometry_type',
};

/** Updates catalog fields (already validated); unknown keys are refused by the caller's schema. */
export async function updateDatasetFields(db: Queryable, id: string, patch: Record<string, unknown>): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const [k, v] of Object.entries(patch)) {
    const col = METADATA_COLUMNS[k];
    if (!col || v === undefined) continue;
    params.push(k === 'columns' ? JSON.stringify(v) : v);
    sets.push(`${col} = $${params.length}`);
  }
  if (!sets.length) return;
  await db.query(`UPDATE yitu.datasets SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
}

/**
 * Recomputes what the catalog derives from the data at the current version: feature count,
 * bounding box, temporal extent; sets the current version.
 */
export async function refreshDerived(db: Queryable, id: string, version: number, temporalColumn: string | null): Promise<void> {
  const t = tableOf(id);
  const col = temporalColumn ? `"${temporalColumn}"::timestamptz` : 'NULL::timestamptz';
  await db.query(
    `WITH s AS (
       SELECT count(*) AS n, ST_Extent(geom) AS e, min(${col}) AS ts, max(${col}) AS te
       FROM ${t} WHERE _vto IS NULL
     )
     UPDATE yitu.datasets d SET current_version = $2, feature_count = s.n,
       bbox = CASE WHEN s.e IS NULL THEN NULL ELSE ARRAY[ST_XMin(s.e), ST_YMin(s.e), ST_XMax(s.e), ST_YMax(s.e)] END,
       temporal_start = s.ts, temporal_end = s.te, updated_at = now()
     FROM s WHERE d.id = $1`,
    [id, version],
  );
}

/** Adds uses of datasets (features read, export, tile…) in one statement. */
export async function addUsage(db: Queryable, counts: Map<string, number>): Promise<void> {
  if (!counts.size) return;
  await db.query(
    `UPDATE yitu.datasets d SET usage_count = usage_count + u.n
     FROM unnest($1::text[], $2::bigint[]) AS u(id, n) WHERE d.id = u.id`,
    [[...counts.keys()], [...counts.values()]],
  );
}

interface VersionRow {
  version: number;
  mode: DatasetVersion['mode'];
  message: string;
  job_id: string | null;
  feature_count: number;
  added: number;
  removed: number;
  changed: number;
  source: Record<string, unknown> | null;
  report: Record<string, unknown> | null;
  created_at: Date;
}

function toVersion(r: VersionRow): DatasetVersion {
  return {
    version: r.version,
    mode: r.mode,
    message: r.message,
    jobId: r.job_id,
    featureCount: r.feature_count,
    added: r.added,
    removed: r.removed,
    changed: r.changed,
    source: r.source,
    report: r.report,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/**
 * Records a new version: first the catalog's derived fields (count, extent, temporal extent,
 * current version) are recomputed from the data, then the version row takes its feature count
 * from them — one scan of the table, inside the caller's transaction.
 */
export async function recordVersion(
  db: Queryable,
  id: string,
  v: Omit<DatasetVersion, 'createdAt' | 'featureCount'>,
  temporalColumn: string | null,
): Promise<void> {
  await refreshDerived(db, id, v.version, temporalColumn);
  await db.query(
    `INSERT INTO yitu.dataset_versions (dataset_id, version, mode, message, job_id, feature_count, added, removed, changed, source, report)
     VALUES ($1, $2, $3, $4, $5, (SELECT feature_count FROM yitu.datasets WHERE id = $1), $6, $7, $8, $9, $10)`,
    [id, v.version, v.mode, v.message, v.jobId, v.added, v.removed, v.changed, v.source && JSON.stringify(v.source), v.report && JSON.stringify(v.report)],
  );
}

/** Lists the versions of a dataset, newest first. */
export async function listVersions(db: Queryable, id: string): Promise<DatasetVersion[]> {
  const r = await db.query<VersionRow>('SELECT * FROM yitu.dataset_versions WHERE dataset_id = $1 ORDER BY version DESC', [id]);
  return r.rows.map(toVersion);
}

/** Reads one version. */
export async function getVersion(db: Queryable, id: string, version: number): Promise<DatasetVersion | null> {
  const r = await db.query<VersionRow>('SELECT * FROM yitu.dataset_versions WHERE dataset_id = $1 AND version = $2', [id, version]);
  return r.rows[0] ? toVersion(r.rows[0]) : null;
}
