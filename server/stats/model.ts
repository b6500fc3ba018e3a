import type { Dataset, DatasetMetadataInput } from '../hub/model.ts';
import type { TextEncoding } from '../hub/formats/types.ts';
import type { RegionLevel } from '../regions/model.ts';

/** Largest statistical table accepted, in data rows (region × period). */
export const MAX_STAT_ROWS = 1_000_000;

/** How an import changes a statistical table. */
export const STAT_IMPORT_MODES = ['create', 'append', 'replace', 'upsert'] as const;
/**
 * An import mode: `create` a new table; `append` rows for new (region, period) pairs (a pair
 * already in the table is an error); `replace` the whole table; `upsert` rows, replacing the
 * (region, period) pairs already there. Each import is a new version.
 */
export type StatImportMode = (typeof STAT_IMPORT_MODES)[number];

/** Titles and unit of an indicator, as a client gives them. */
export interface IndicatorMetaInput {
  titleZh?: string;
  titleEn?: string;
  unit?: string;
}

/** An indicator (a numeric column) of a statistical table. */
export interface StatIndicator {
  name: string;
  title: { zh: string; en: string };
  unit: string;
}

/** Options of a statistical table import (from a file or from rows in memory). */
export interface StatImportOptions {
  datasetId: string;
  mode: StatImportMode;
  /** The user who started the import (recorded on a new table). */
  createdBy?: string;
  /** The region code column, when the header does not make it obvious. */
  regionColumn?: string;
  /** The period column (2023, 2023-05…), when the header does not make it obvious. */
  periodColumn?: string;
  /** The period of every row, for a file without a period column (one year's table). */
  period?: string;
  /** Columns to leave out (names, remarks). */
  ignoreColumns?: string[];
  /** Leave out rows of region codes that are not loaded (reported) instead of failing. */
  skipUnknownRegions?: boolean;
  /** Titles and units by indicator name; a header "GDP（亿元）" gives name GDP and unit 亿元 itself. */
  indicators?: Record<string, IndicatorMetaInput>;
  /** Catalog metadata (create) or changes with the import. */
  metadata?: Omit<DatasetMetadataInput, 'editable' | 'temporalColumn'>;
  message?: string;
  /** CSV only: the text encoding (detected when absent or 'auto'). */
  encoding?: TextEncoding;
  /** CSV only: the name the file was uploaded with. */
  originalName?: string;
}

/** What an import did. */
export interface StatImportReport {
  datasetId: string;
  version: number;
  mode: StatImportMode;
  encoding: string | null;
  /** Data rows read (region × period). */
  read: number;
  imported: number;
  /** Rows left out because their region is unknown (with skipUnknownRegions). */
  skipped: number;
  unknownRegions: string[];
  /** (region, period) rows added, and replaced or removed, by this version. */
  added: number;
  removed: number;
  changed: number;
  regionColumn: string;
  periodColumns: string[];
  ignoredColumns: string[];
  indicators: StatIndicator[];
  periods: string[];
  durationMs: number;
}

/** A statistical table: its catalog entry with indicators, periods and the regions covered. */
export interface StatTable extends Dataset {
  indicators: Array<StatIndicator & { count: number; min: number | null; max: number | null }>;
  periods: string[];
  periodType: 'year' | 'month' | 'mixed' | null;
  regions: { count: number; byLevel: Partial<Record<RegionLevel, number>>; unknown: number };
}

/** Criteria of a values query. */
export interface StatValuesQuery {
  indicators?: string[];
  periods?: string[];
  level?: RegionLevel;
  /** A region: its own rows and its descendants' (code prefix). */
  region?: string;
  version?: number;
  limit?: number;
  offset?: number;
}

/** One (region, period) row of values, joined to the region's names. */
export interface StatValueRow {
  regionCode: string;
  name: { zh: string; en: string } | null;
  level: RegionLevel | null;
  parentCode: string | null;
  period: string;
  values: Record<string, number | null>;
}
