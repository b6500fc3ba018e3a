/** A dataset as the catalog (`/datasets`) describes it (mirrors server/hub/model.ts). */
export interface Dataset {
  id: string;
  kind: 'features' | 'table' | 'statistics';
  title: { zh: string; en: string };
  description: { zh: string; en: string };
  department: string | null;
  theme: Theme;
  keywords: string[];
  licence: string;
  classification: string;
  updateFrequency: string;
  source: string;
  contact: string;
  editable: boolean;
  geometryType: string | null;
  /** `title` is the column's original name; `titles` its display titles where the catalog gives them. */
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

/** A column of a dataset. */
export interface DatasetColumn {
  name: string;
  title: string;
  type: ColumnType;
  titles?: { zh?: string; en?: string };
}

/** A column's title in `lang`: its display title, else the other language's, else its original name, else its name. */
export function columnTitle(c: Pick<DatasetColumn, 'name' | 'title' | 'titles'>, lang: 'zh' | 'en'): string {
  const other = lang === 'zh' ? 'en' : 'zh';
  return c.titles?.[lang] || c.titles?.[other] || c.title || c.name;
}

/** Dataset themes, in the layer tree's order. */
export const THEMES = ['current', 'planning', 'management', 'socioeconomic', 'sensing'] as const;
/** A dataset theme. */
export type Theme = (typeof THEMES)[number];
/** A column type. */
export type ColumnType = 'integer' | 'number' | 'text' | 'boolean' | 'date' | 'timestamp' | 'json';

/** A version of a dataset (`/datasets/{id}/versions`). */
export interface DatasetVersion {
  version: number;
  mode: string;
  message: string;
  featureCount: number;
  added: number;
  removed: number;
  changed: number;
  createdAt: string;
}

/** A job (`/jobs/{id}`). */
export interface Job {
  id: string;
  kind: string;
  status: 'accepted' | 'running' | 'successful' | 'failed' | 'dismissed';
  progress: number;
  message: string | null;
  error: { code?: string; detail?: string; title?: string } | null;
  input: { datasetId?: string };
  result?: { featureCount?: number; datasetId?: string; version?: number } | null;
}

/** A region (`/regions`). */
export interface Region {
  code: string;
  level: string;
  name: { zh: string; en: string };
  bbox: [number, number, number, number];
}

/** An OGC items page. */
export interface ItemsPage {
  type: 'FeatureCollection';
  features: Array<GeoJSON.Feature & { id: string | number }>;
  numberMatched?: number;
  numberReturned: number;
  numberMatchedEstimated?: boolean;
}

/** A basemap on offer (`/basemaps`). */
export interface BasemapInfo {
  id: string;
  title?: string | { zh: string; en: string };
  type?: string;
  style?: string;
  styleUrl?: string;
  url?: string;
}

/** A legend entry (`metadata['yitu:legend']` of a style). */
export interface LegendEntry {
  label?: string | { zh: string; en: string };
  title?: string | { zh: string; en: string };
  color?: string;
  colour?: string;
  shape?: string;
  size?: number;
  fill?: string;
  stroke?: string;
  type?: string;
  kind?: string;
  geometry?: string;
  items?: LegendEntry[];
  entries?: LegendEntry[];
}

/** A saved map as listed by `/maps`. */
export interface SavedMapSummary {
  id: string;
  title: string | { zh: string; en: string };
  description?: string | { zh: string; en: string };
  public?: boolean;
  visibility?: string;
  shareToken?: string;
  updatedAt?: string;
}
