import type { Config } from '../platform/config.ts';
import { YituError } from '../platform/errors.ts';
import { intParam } from '../platform/params.ts';
import type { Dataset } from '../hub/model.ts';
import { type CrsBbox, type CrsDef, parseCrs, parseCrsBbox } from './crs.ts';
import { type DatetimeFilter, parseDatetime } from './datetime.ts';
import { checkAllowed, checkFormat } from './links.ts';

/** Query parameters of `/collections/{id}/items` (besides `f`). */
export const ITEMS_PARAMS = [
  'limit', 'offset', 'bbox', 'bbox-crs', 'datetime', 'properties', 'sortby', 'version', 'crs', 'filter', 'filter-lang', 'filter-crs', 'skipGeometry',
] as const;

/** Query parameters of `/collections/{id}/items/{featureId}` (besides `f`). */
export const FEATURE_PARAMS = ['crs', 'properties', 'version'] as const;

/** Filter languages accepted; `cql-text` is the Part 3 draft name GDAL up to 3.6 sends, read as CQL2 text. */
export const FILTER_LANGS = ['cql2-text', 'cql2-json', 'cql-text'] as const;

/** One sort key. */
export interface SortKey {
  column: string;
  desc: boolean;
}

/** A validated items request. */
export interface ItemsParams {
  limit: number;
  offset: number;
  bbox?: CrsBbox;
  datetime?: DatetimeFilter;
  /** Columns to output (safe names); all when absent. */
  properties?: string[];
  sortby: SortKey[];
  version?: number;
  crs: CrsDef;
  /** `skipGeometry=true` (an extension clients such as ogc-client send): features without geometry. */
  skipGeometry?: boolean;
  filter?: { text: string; lang: 'cql2-text' | 'cql2-json'; crs: CrsDef };
}

/** Parses `properties`: a comma-separated list of property names (safe names, or original names). */
export function parseProperties(raw: string, ds: Dataset): string[] {
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const out: string[] = [];
  for (const n of names) {
    const col = ds.columns.find((c) => c.name === n) ?? ds.columns.find((c) => c.title === n);
    if (!col) {
      throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `properties: "${n.slice(0, 60)}" is not a property of "${ds.id}". Properties: ${ds.columns.map((c) => c.name).join(', ') || '(none)'}.`);
    }
    if (!out.includes(col.name)) out.push(col.name);
  }
  return out;
}

function parseSortby(raw: string, ds: Dataset): SortKey[] {
  const keys: SortKey[] = [];
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    // A '+' in a query string arrives as a space: " name" is "+name".
    const desc = part.startsWith('-');
    const name = part.replace(/^[+-]/, '').trim();
    if (name === 'id') {
      keys.push({ column: '_fid', desc });
      continue;
    }
    const col = ds.columns.find((c) => c.name === name) ?? ds.columns.find((c) => c.title === name);
    if (!col) {
      throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `sortby: "${name.slice(0, 60)}" is not a property of "${ds.id}". Sort by id or by: ${ds.columns.map((c) => c.name).join(', ') || '(none)'}; prefix - for descending.`);
    }
    keys.push({ column: col.name, desc });
  }
  return keys;
}

/** Validates the query of an items request against the dataset. */
export function parseItemsParams(q: Record<string, string>, ds: Dataset, config: Config): ItemsParams {
  checkFormat(q);
  checkAllowed(q, ITEMS_PARAMS, '/collections/{collectionId}/items');
  const requested = intParam('limit', q.limit, 1) ?? config.itemsDefaultLimit;
  const p: ItemsParams = {
    limit: Math.min(requested, config.itemsMaxLimit),
    offset: intParam('offset', q.offset, 0) ?? 0,
    sortby: q.sortby !== undefined ? parseSortby(q.sortby, ds) : [],
    crs: parseCrs(q.crs, 'crs'),
  };
  if (q['bbox-crs'] !== undefined && q.bbox === undefined) {
    throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', 'bbox-crs is given without bbox; it says in which CRS the bbox is.');
  }
  if (q.bbox !== undefined) p.bbox = parseCrsBbox(q.bbox, parseCrs(q['bbox-crs'], 'bbox-crs'));
  if (q.datetime !== undefined) p.datetime = parseDatetime(q.datetime);
  if (q.properties !== undefined) p.properties = parseProperties(q.properties, ds);
  const version = intParam('version', q.version, 1);
  if (version !== undefined) p.version = version;
  if (q.skipGeometry !== undefined) {
    if (!/^(true|false)$/.test(q.skipGeometry)) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `skipGeometry must be true or false; got "${q.skipGeometry.slice(0, 20)}".`);
    p.skipGeometry = q.skipGeometry === 'true';
  }
  if (q.filter !== undefined) {
    const lang = (q['filter-lang'] ?? 'cql2-text').trim();
    if (!(FILTER_LANGS as readonly string[]).includes(lang)) {
      throw new YituError('YITU_ERR_FILTER_LANG_UNSUPPORTED', `filter-lang "${lang.slice(0, 40)}" is not supported; use cql2-text (the default) or cql2-json.`, {
        extra: { supported: ['cql2-text', 'cql2-json'] },
      });
    }
    p.filter = { text: q.filter, lang: lang === 'cql2-json' ? 'cql2-json' : 'cql2-text', crs: parseCrs(q['filter-crs'], 'filter-crs') };
  } else if (q['filter-lang'] !== undefined || q['filter-crs'] !== undefined) {
    throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', 'filter-lang and filter-crs describe a filter, but no filter is given.');
  }
  return p;
}

/** Validates the query of a single-feature request. */
export function parseFeatureParams(q: Record<string, string>, ds: Dataset): { crs: CrsDef; properties?: string[]; version?: number } {
  checkFormat(q);
  checkAllowed(q, FEATURE_PARAMS, '/collections/{collectionId}/items/{featureId}');
  const out: { crs: CrsDef; properties?: string[]; version?: number } = { crs: parseCrs(q.crs, 'crs') };
  if (q.properties !== undefined) out.properties = parseProperties(q.properties, ds);
  const version = intParam('version', q.version, 1);
  if (version !== undefined) out.version = version;
  return out;
}
