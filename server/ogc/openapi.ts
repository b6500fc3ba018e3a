import { CONFORMANCE_CLASSES } from './conformance.ts';
import { CRS84, CRS_URIS } from './crs.ts';
import { FILTER_LANGS } from './items-params.ts';
import { MEDIA } from './links.ts';
import { type OpenApiObject, problemComponents, yituPaths } from './openapi-yitu.ts';
import { regionPaths } from '../regions/openapi.ts';
import { statsPaths } from '../stats/openapi.ts';
import { tilePaths } from '../map/tiles/openapi.ts';
import { basemapPaths } from '../map/basemap/openapi.ts';
import { mapPaths } from '../map/maps/openapi.ts';
import { accountPaths } from '../access/openapi.ts';
import { sharingPaths } from '../access/sharing-openapi.ts';

const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const errors = { '400': { $ref: '#/components/responses/problem' }, '404': { $ref: '#/components/responses/problem' }, default: { $ref: '#/components/responses/problem' } };
const body = (description: string, type: string, s: OpenApiObject, headers?: OpenApiObject) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { [type]: { schema: s } },
});
const contentCrs = { 'Content-Crs': { description: 'CRS of the coordinates, as <uri>', schema: { type: 'string' } } };
const etag = { ETag: { description: 'Version tag of the feature, for If-Match', schema: { type: 'string' } } };
const featureBody = (description: string) => ({
  required: true,
  description,
  content: { [MEDIA.geojson]: { schema: schema('featureGeoJSON') }, [MEDIA.json]: { schema: schema('featureGeoJSON') } },
});

const PARAMETERS: Record<string, OpenApiObject> = {
  collectionId: { name: 'collectionId', in: 'path', required: true, description: 'Collection (dataset) id', schema: { type: 'string' } },
  featureId: { name: 'featureId', in: 'path', required: true, description: 'Feature id (stable across versions)', schema: { type: 'integer', minimum: 1 } },
  f: { name: 'f', in: 'query', required: false, description: 'Output format', schema: { type: 'string', enum: ['json', 'geojson'] } },
  limit: {
    name: 'limit', in: 'query', required: false, style: 'form', explode: false,
    description: 'Features per page; larger values are reduced to the server maximum (YITU_ITEMS_MAX_LIMIT).',
    schema: { type: 'integer', minimum: 1, default: 10 },
  },
  offset: { name: 'offset', in: 'query', required: false, description: 'Index of the first feature (paging; next/prev links carry it)', schema: { type: 'integer', minimum: 0, default: 0 } },
  bbox: {
    name: 'bbox', in: 'query', required: false, style: 'form', explode: false,
    description: 'minx,miny,maxx,maxy (or 6 numbers with heights) in bbox-crs, in that CRS axis order; default CRS84 longitude/latitude. Features intersecting the box.',
    schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
  },
  'bbox-crs': { name: 'bbox-crs', in: 'query', required: false, description: 'CRS of bbox', schema: { type: 'string', format: 'uri', enum: CRS_URIS, default: CRS84 } },
  datetime: {
    name: 'datetime', in: 'query', required: false,
    description: "Instant or interval (a/b, ../b, a/..) on the dataset's temporal column; ignored when the dataset has none. Dates are whole UTC days.",
    schema: { type: 'string' },
  },
  properties: { name: 'properties', in: 'query', required: false, style: 'form', explode: false, description: 'Properties to return (comma-separated)', schema: { type: 'array', items: { type: 'string' } } },
  sortby: {
    name: 'sortby', in: 'query', required: false, style: 'form', explode: false,
    description: 'Sort keys: name or +name ascending, -name descending; the feature id breaks ties.',
    schema: { type: 'array', items: { type: 'string', pattern: '^[+-]?.+$' } },
  },
  skipGeometry: { name: 'skipGeometry', in: 'query', required: false, description: 'Extension: answer features with "geometry": null', schema: { type: 'boolean' } },
  version: { name: 'version', in: 'query', required: false, description: 'Yitu extension: features as they were at this dataset version', schema: { type: 'integer', minimum: 1 } },
  crs: { name: 'crs', in: 'query', required: false, description: 'CRS of the response coordinates (Content-Crs tells it)', schema: { type: 'string', format: 'uri', enum: CRS_URIS, default: CRS84 } },
  filter: { name: 'filter', in: 'query', required: false, description: 'CQL2 filter over the queryables', schema: { type: 'string' } },
  'filter-lang': {
    name: 'filter-lang', in: 'query', required: false,
    description: 'cql2-text (default) or cql2-json; cql-text is the Part 3 draft name, read as cql2-text',
    schema: { type: 'string', enum: [...FILTER_LANGS], default: 'cql2-text' },
  },
  'filter-crs': { name: 'filter-crs', in: 'query', required: false, description: 'CRS of geometry literals in the filter', schema: { type: 'string', format: 'uri', enum: CRS_URIS, default: CRS84 } },
};

const link = { type: 'object', required: ['href', 'rel'], properties: { href: { type: 'string' }, rel: { type: 'string' }, type: { type: 'string' }, title: { type: 'string' } } };
const links = { type: 'array', items: schema('link') };
const geometry = { type: 'object', nullable: true, required: ['type'], properties: { type: { type: 'string' }, coordinates: { type: 'array', items: {} }, geometries: { type: 'array', items: {} } } };

const SCHEMAS: Record<string, OpenApiObject> = {
  link,
  landingPage: { type: 'object', required: ['links'], properties: { title: { type: 'string' }, description: { type: 'string' }, links } },
  confClasses: { type: 'object', required: ['conformsTo'], properties: { conformsTo: { type: 'array', items: { type: 'string' } } } },
  collection: {
    type: 'object',
    required: ['id', 'links'],
    properties: {
      id: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' },
      'yitu:title': { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } } },
      extent: { type: 'object' }, itemType: { type: 'string' }, crs: { type: 'array', items: { type: 'string' } }, storageCrs: { type: 'string' }, links,
    },
  },
  collections: { type: 'object', required: ['links', 'collections'], properties: { links, collections: { type: 'array', items: schema('collection') } } },
  geometryGeoJSON: geometry,
  featureGeoJSON: {
    type: 'object',
    required: ['type', 'geometry', 'properties'],
    properties: { type: { type: 'string', enum: ['Feature'] }, id: { type: 'integer' }, geometry: schema('geometryGeoJSON'), properties: { type: 'object', nullable: true }, links },
  },
  featureCollectionGeoJSON: {
    type: 'object',
    required: ['type', 'features'],
    properties: {
      type: { type: 'string', enum: ['FeatureCollection'] },
      features: { type: 'array', items: schema('featureGeoJSON') },
      links,
      timeStamp: { type: 'string', format: 'date-time' },
      numberMatched: {
        type: 'integer', minimum: 0,
        description: 'Exact without bbox/datetime/filter (the catalog count) or when the planner expects fewer matches than YITU_EXACT_COUNT_THRESHOLD; otherwise the query planner estimate, and numberMatchedEstimated is true.',
      },
      numberMatchedEstimated: { type: 'boolean', description: 'Present and true when numberMatched is the planner estimate, not a count.' },
      numberReturned: { type: 'integer', minimum: 0 },
    },
  },
  queryables: { type: 'object', description: 'JSON Schema 2020-12 of the queryable properties', properties: { $id: { type: 'string' }, type: { type: 'string' }, properties: { type: 'object' } } },
  ...problemComponents.schemas,
};

const ITEMS_QUERY = ['f', 'limit', 'offset', 'bbox', 'bbox-crs', 'datetime', 'properties', 'sortby', 'version', 'crs', 'filter', 'filter-lang', 'filter-crs', 'skipGeometry'].map(param);

function featurePaths(): OpenApiObject {
  const tag = ['OGC API – Features'];
  return {
    '/': { get: { tags: tag, summary: 'Landing page', parameters: [param('f')], responses: { '200': body('Links to the API, conformance and data', MEDIA.json, schema('landingPage')), ...errors } } },
    '/conformance': { get: { tags: tag, summary: 'Conformance classes', parameters: [param('f')], responses: { '200': body('The classes implemented', MEDIA.json, schema('confClasses')), ...errors } } },
    '/api': { get: { tags: tag, summary: 'This API definition', responses: { '200': body('OpenAPI 3.0', MEDIA.openapi, { type: 'object' }), ...errors } } },
    '/collections': { get: { tags: tag, summary: 'The collections (every dataset)', parameters: [param('f')], responses: { '200': body('The collections', MEDIA.json, schema('collections')), ...errors } } },
    '/collections/{collectionId}': {
      parameters: [param('collectionId')],
      get: { tags: tag, summary: 'One collection', parameters: [param('f')], responses: { '200': body('The collection', MEDIA.json, schema('collection')), ...errors } },
    },
    '/collections/{collectionId}/queryables': {
      parameters: [param('collectionId')],
      get: {
        tags: tag, summary: 'Queryable properties (Part 3)',
        parameters: [param('f'), { name: 'lang', in: 'query', required: false, description: 'Language of the property titles (display titles of the columns; else the original names)', schema: { type: 'string', enum: ['zh', 'en'], default: 'zh' } }],
        responses: { '200': body('JSON Schema of the queryables', MEDIA.schema, schema('queryables')), ...errors },
      },
    },
    '/collections/{collectionId}/items': {
      parameters: [param('collectionId')],
      get: {
        tags: tag, summary: 'Features (GeoJSON), paged and filtered', parameters: ITEMS_QUERY,
        responses: { '200': body('A page of features', MEDIA.geojson, schema('featureCollectionGeoJSON'), contentCrs), ...errors },
      },
      post: {
        tags: tag,
        summary: 'Create features (Part 4): a Feature or a FeatureCollection; one new dataset version',
        parameters: [{ name: 'Content-Crs', in: 'header', required: false, description: 'CRS of the coordinates sent (default CRS84)', schema: { type: 'string' } }],
        requestBody: featureBody('A GeoJSON Feature or FeatureCollection; properties must be columns of the dataset'),
        responses: {
          '201': { description: 'Created; Location names the (first) feature', headers: { Location: { schema: { type: 'string' } }, ...etag } },
          '403': { $ref: '#/components/responses/problem' },
          ...errors,
        },
      },
    },
    '/collections/{collectionId}/items/{featureId}': {
      parameters: [param('collectionId'), param('featureId')],
      get: {
        tags: tag, summary: 'One feature', parameters: [param('f'), param('crs'), param('properties'), param('version')],
        responses: { '200': body('The feature', MEDIA.geojson, schema('featureGeoJSON'), { ...contentCrs, ...etag }), ...errors },
      },
      put: {
        tags: tag, summary: 'Replace a feature (Part 4)',
        parameters: [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } }],
        requestBody: featureBody('The whole new feature'),
        responses: { '200': body('The stored feature', MEDIA.geojson, schema('featureGeoJSON'), etag), '412': { $ref: '#/components/responses/problem' }, ...errors },
      },
      patch: {
        tags: tag, summary: 'Update a feature (Part 4): JSON merge patch of properties and/or geometry',
        parameters: [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/merge-patch+json': { schema: { type: 'object' } }, [MEDIA.json]: { schema: { type: 'object' } } } },
        responses: { '200': body('The stored feature', MEDIA.geojson, schema('featureGeoJSON'), etag), '412': { $ref: '#/components/responses/problem' }, ...errors },
      },
      delete: {
        tags: tag, summary: 'Delete a feature (Part 4); older versions keep it',
        parameters: [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } }],
        responses: { '204': { description: 'Deleted' }, '412': { $ref: '#/components/responses/problem' }, ...errors },
      },
    },
  };
}

/** The OpenAPI 3.0 document of Yitu: the features API and the other endpoints. */
export function openApiDocument(base: string): OpenApiObject {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Yitu (一图) API',
      version: '0.1.0',
      description: `OGC API – Features (conformance: ${CONFORMANCE_CLASSES.length} classes at /conformance) over the data hub, and Yitu's own endpoints. Errors are RFC 9457 problem documents.`,
      license: { name: 'Open source' },
    },
    servers: [{ url: base }],
    paths: { ...featurePaths(), ...yituPaths(), ...regionPaths(), ...statsPaths(), ...tilePaths(), ...basemapPaths(), ...mapPaths(), ...accountPaths(), ...sharingPaths() },
    components: { parameters: PARAMETERS, schemas: SCHEMAS, responses: problemComponents.responses },
  };
}
