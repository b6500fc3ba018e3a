import type { ColumnType, Dataset } from '../hub/model.ts';
import type { QueryableProperty } from '../hub/cql2/index.ts';
import { columnDisplayTitle } from '../hub/column-titles.ts';
import { CRS84, CRS_URIS } from './crs.ts';
import { type Link, MEDIA } from './links.ts';

/** One collection as `/collections` and `/collections/{id}` describe it. */
export interface CollectionDocument {
  id: string;
  title: string;
  description: string;
  'yitu:title': { zh: string; en: string };
  'yitu:description': { zh: string; en: string };
  keywords: string[];
  extent?: {
    spatial?: { bbox: number[][]; crs: string };
    temporal?: { interval: (string | null)[][]; trs: string };
  };
  itemType: 'feature';
  crs: string[];
  storageCrs: string;
  'yitu:version': number;
  'yitu:featureCount': number;
  'yitu:editable': boolean;
  'yitu:kind': Dataset['kind'];
  links: Link[];
}

/** The collection document of a dataset. Titles are Chinese with English as fallback. */
export function collectionDocument(ds: Dataset, base: string): CollectionDocument {
  const c = `${base}/collections/${ds.id}`;
  const doc: CollectionDocument = {
    id: ds.id,
    title: ds.title.zh || ds.title.en || ds.id,
    description: ds.description.zh || ds.description.en || '',
    'yitu:title': { zh: ds.title.zh, en: ds.title.en },
    'yitu:description': { zh: ds.description.zh, en: ds.description.en },
    keywords: ds.keywords,
    itemType: 'feature',
    crs: [...CRS_URIS],
    storageCrs: CRS84,
    'yitu:version': ds.currentVersion,
    'yitu:featureCount': ds.featureCount,
    'yitu:editable': ds.editable,
    'yitu:kind': ds.kind,
    links: [
      { href: c, rel: 'self', type: MEDIA.json, title: 'This collection' },
      { href: `${c}/items`, rel: 'items', type: MEDIA.geojson, title: 'The features (GeoJSON)' },
      { href: `${c}/queryables`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables', type: MEDIA.schema, title: 'Queryable properties' },
      { href: `${c}/queryables`, rel: 'queryables', type: MEDIA.schema, title: 'Queryable properties' },
      { href: `${base}/datasets/${ds.id}`, rel: 'describedby', type: MEDIA.json, title: 'The catalog entry of the dataset' },
      { href: `${base}/collections`, rel: 'collection', type: MEDIA.json, title: 'All collections' },
    ],
  };
  // OGC API – Tiles (server/map/tiles) serves every dataset with geometry as vector tiles.
  if (ds.kind === 'features' && ds.geometryType) {
    doc.links.push({ href: `${c}/tiles`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector', type: MEDIA.json, title: 'Vector tilesets (Mapbox Vector Tiles)' });
  }
  const extent: NonNullable<CollectionDocument['extent']> = {};
  if (ds.bbox) extent.spatial = { bbox: [ds.bbox], crs: CRS84 };
  if (ds.temporal.start || ds.temporal.end) {
    extent.temporal = { interval: [[ds.temporal.start, ds.temporal.end]], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' };
  }
  if (extent.spatial || extent.temporal) doc.extent = extent;
  return doc;
}

const JSON_SCHEMA_TYPES: Record<ColumnType, Record<string, string>> = {
  integer: { type: 'integer' },
  number: { type: 'number' },
  text: { type: 'string' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  timestamp: { type: 'string', format: 'date-time' },
  json: {},
};

const GEOMETRY_FORMATS: Record<string, string> = {
  Point: 'geometry-point',
  MultiPoint: 'geometry-multipoint',
  LineString: 'geometry-linestring',
  MultiLineString: 'geometry-multilinestring',
  Polygon: 'geometry-polygon',
  MultiPolygon: 'geometry-multipolygon',
  GeometryCollection: 'geometry-geometrycollection',
};

/**
 * The queryables of a collection (Part 3): a JSON Schema 2020-12 of the properties a filter may
 * use, named as in the GeoJSON output. `queryables` repeats the names in the shape of the Part 3
 * drafts, which GDAL up to 3.6 reads to decide which `-where` clauses it sends to the server.
 * A property's `title` is its display title in `lang` (else in the other language, else the
 * original name); a column with display titles also has `x-yitu-titles` ({zh?, en?}) and
 * `x-yitu-original-name` (the name in the file).
 */
export function queryablesDocument(ds: Dataset, base: string, lang: 'zh' | 'en' = 'zh'): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  if (ds.kind === 'features') {
    // Both forms: Part 3's `format`, and the GeoJSON schema `$ref` that clients such as ogc-client read.
    const type = ds.geometryType && GEOMETRY_FORMATS[ds.geometryType] ? ds.geometryType : 'Geometry';
    properties.geometry = {
      title: 'Geometry',
      format: GEOMETRY_FORMATS[ds.geometryType ?? ''] ?? 'geometry-any',
      $ref: `https://geojson.org/schema/${type}.json`,
      'x-ogc-role': 'primary-geometry',
    };
  }
  properties.id = { title: 'Feature id', type: 'integer', 'x-ogc-role': 'id' };
  for (const c of ds.columns) {
    properties[c.name] = c.titles
      ? { title: columnDisplayTitle(c, lang), ...JSON_SCHEMA_TYPES[c.type], 'x-yitu-titles': c.titles, 'x-yitu-original-name': c.title }
      : { title: c.title, ...JSON_SCHEMA_TYPES[c.type] };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${base}/collections/${ds.id}/queryables`,
    type: 'object',
    title: (lang === 'en' ? ds.title.en || ds.title.zh : ds.title.zh || ds.title.en) || ds.id,
    description: 'Properties usable in filter (CQL2), sortby and properties. Names are the GeoJSON property names; title is the display title (lang=zh|en) or else the original name, which x-yitu-original-name keeps.',
    properties,
    additionalProperties: false,
    queryables: ds.columns.map((c) => ({ id: c.name, title: columnDisplayTitle(c, lang), type: JSON_SCHEMA_TYPES[c.type].type ?? 'object' })),
  };
}

/**
 * The properties a CQL2 filter may name: each column by its safe name and, where it does not
 * clash, by its original name (title) too, so `"名称" = 'x'` works like `f1 = 'x'`.
 */
export function filterProperties(ds: Dataset): Map<string, QueryableProperty> {
  const m = new Map<string, QueryableProperty>();
  for (const c of ds.columns) m.set(c.name, { column: c.name, type: c.type });
  for (const c of ds.columns) if (!m.has(c.title) && !['id', 'geometry', 'geom'].includes(c.title)) m.set(c.title, { column: c.name, type: c.type });
  return m;
}
