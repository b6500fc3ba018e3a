import type { Dataset } from '../../../server/hub/model.ts';
import { THEMES } from '../../../server/hub/model.ts';

// The catalog's shapes are the server's own (server/hub/model.ts), not a copy.
export type { ColumnType, Dataset, DatasetColumn, DatasetVersion } from '../../../server/hub/model.ts';
export { THEMES };
/** A dataset theme. */
export type Theme = Dataset['theme'];

/** A column's title in `lang`: its display title, else the other language's, else its original name. */
export { columnDisplayTitle as columnTitle } from '../../../server/hub/column-titles.ts';

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

/** A style's legend (`metadata['yitu:legend']`): the server's compiled groups, labels already in the asked language. */
export type { LegendEntry, LegendGroup } from '../../../server/map/styles/compile.ts';

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
