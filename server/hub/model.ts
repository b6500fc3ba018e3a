import { z } from 'zod';
import { YituError } from '../platform/errors.ts';

/** Column types a dataset table can have. */
export const COLUMN_TYPES = ['integer', 'number', 'text', 'boolean', 'date', 'timestamp', 'json'] as const;
/** A dataset column type. */
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** PostgreSQL type of each column type. */
export const SQL_TYPES: Record<ColumnType, string> = {
  integer: 'bigint',
  number: 'double precision',
  text: 'text',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
  json: 'jsonb',
};

/** Display titles of a column, each language optional (set through the catalog metadata `columnTitles`). */
export interface ColumnTitles {
  zh?: string;
  en?: string;
}

/**
 * One user column of a dataset: a safe SQL name, the original name (from the file) as title, a
 * type, and display titles in Chinese and English where the catalog gives them (absent when none).
 */
export interface DatasetColumn {
  name: string;
  title: string;
  type: ColumnType;
  titles?: ColumnTitles;
}

/** Dataset themes: the four data classes of 国土资发〔2017〕83号 plus sensing. */
export const THEMES = ['current', 'planning', 'management', 'socioeconomic', 'sensing'] as const;
/** Classification levels. */
export const CLASSIFICATIONS = ['public', 'internal', 'confidential'] as const;
/** Import modes. */
export const IMPORT_MODES = ['create', 'append', 'replace', 'upsert'] as const;
/** An import mode. */
export type ImportMode = (typeof IMPORT_MODES)[number];

/** A dataset id (also its OGC collection id and table name). */
export const datasetIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'a dataset id is 1–63 characters: lower-case letters, digits and _, starting with a letter');

/** Longest display title of a column, in characters. */
export const MAX_COLUMN_TITLE = 200;

const columnTitle = z.string().max(MAX_COLUMN_TITLE, `a column title is at most ${MAX_COLUMN_TITLE} characters`).nullable();

/**
 * Display titles of columns, keyed by column (safe name or original name). Per column, a language
 * given as text sets it, `""` or null removes it, a language left out keeps what it was; null for
 * the whole column removes both.
 */
export const columnTitlesSchema = z.record(
  z.string().min(1).max(200),
  z.object({ zh: columnTitle, en: columnTitle }).partial().strict().nullable(),
);

/** Column display titles as a client gives them (see {@link columnTitlesSchema}). */
export type ColumnTitlesInput = z.infer<typeof columnTitlesSchema>;

/** Editable catalog metadata of a dataset (all optional on update). */
export const metadataSchema = z
  .object({
    titleZh: z.string().max(200),
    titleEn: z.string().max(200),
    descriptionZh: z.string().max(10_000),
    descriptionEn: z.string().max(10_000),
    department: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'a department id such as natural-resources'),
    theme: z.enum(THEMES),
    keywords: z.array(z.string().min(1).max(100)).max(50),
    licence: z.string().max(200),
    classification: z.enum(CLASSIFICATIONS),
    updateFrequency: z.enum(['once', 'realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular']),
    source: z.string().max(1000),
    contact: z.string().max(500),
    editable: z.boolean(),
    /** A confidential dataset listed in the sharing catalog so that other departments can ask for it. */
    shareable: z.boolean(),
    temporalColumn: z.string().nullable(),
    columnTitles: columnTitlesSchema,
  })
  .partial()
  .strict();

/** Catalog metadata as given by a client. */
export type DatasetMetadataInput = z.infer<typeof metadataSchema>;

/**
 * Which datasets a reader may see, as data: the access domain computes it from who asks, the hub
 * turns it into SQL. A dataset is visible when its classification is listed, its department is
 * listed, or its id is listed (an active grant).
 */
export interface DatasetVisibility {
  classifications: Array<(typeof CLASSIFICATIONS)[number]>;
  departments: string[];
  datasetIds: string[];
}

/** A dataset as the catalog describes it. */
export interface Dataset {
  id: string;
  kind: 'features' | 'table' | 'statistics';
  title: { zh: string; en: string };
  description: { zh: string; en: string };
  department: string | null;
  theme: (typeof THEMES)[number];
  keywords: string[];
  licence: string;
  classification: (typeof CLASSIFICATIONS)[number];
  updateFrequency: string;
  source: string;
  contact: string;
  editable: boolean;
  /** Listed in the sharing catalog when confidential (other departments see its title and may ask for it). */
  shareable: boolean;
  geometryType: string | null;
  columns: DatasetColumn[];
  keyColumn: string | null;
  temporalColumn: string | null;
  currentVersion: number;
  featureCount: number;
  bbox: [number, number, number, number] | null;
  temporal: { start: string | null; end: string | null };
  usageCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A version of a dataset. */
export interface DatasetVersion {
  version: number;
  mode: ImportMode | 'edit' | 'rollback';
  message: string;
  jobId: string | null;
  featureCount: number;
  added: number;
  removed: number;
  changed: number;
  source: Record<string, unknown> | null;
  report: Record<string, unknown> | null;
  createdAt: string;
}

/** The SQL table of a dataset. */
export function tableOf(id: string): string {
  return `data."${datasetIdSchema.parse(id)}"`;
}

/** Condition selecting the rows of a dataset alive at `version` (`$n` is the version parameter). */
export function aliveAt(param: string, alias = ''): string {
  const p = alias ? `${alias}.` : '';
  return `(${p}_vfrom <= ${param} AND (${p}_vto IS NULL OR ${p}_vto > ${param}))`;
}

/** Checks that `version` is a version of the dataset (1 … current), or fails with a 404 naming the range. */
export function assertVersion(ds: Dataset, version: number): void {
  if (!Number.isInteger(version) || version < 1 || version > ds.currentVersion) {
    throw new YituError('YITU_ERR_VERSION_NOT_FOUND', `Dataset "${ds.id}" has versions 1–${ds.currentVersion}; there is no version ${version}.`);
  }
}
