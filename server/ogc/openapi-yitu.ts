/** A JSON object of an OpenAPI document. */
export type OpenApiObject = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problem = { description: 'A problem (RFC 9457)', content: { 'application/problem+json': { schema: ref('problem') } } };
const json = (description: string, schema: OpenApiObject = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });
const errors = { '400': { $ref: '#/components/responses/problem' }, '404': { $ref: '#/components/responses/problem' }, default: { $ref: '#/components/responses/problem' } };
const pathId = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const query = (name: string, description: string, schema: OpenApiObject = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });

function op(tag: string, summary: string, responses: OpenApiObject, extra: OpenApiObject = {}): OpenApiObject {
  return { tags: [tag], summary, ...extra, responses: { ...responses, ...errors } };
}

const datasetId = pathId('id', 'Dataset id (also its collection id).');
const multipartImport = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['file'],
        properties: {
          file: { type: 'string', format: 'binary', description: 'GeoJSON, NDJSON, CSV, zipped Shapefile, GeoPackage, FlatGeobuf or KML' },
          mode: { type: 'string', enum: ['create', 'append', 'replace', 'upsert'] },
          dataset: { type: 'string' },
          crs: { type: 'string', description: 'EPSG code of the coordinates when the file does not say it' },
          coords: { type: 'string', enum: ['wgs84', 'gcj02', 'bd09'] },
          key: { type: 'string' },
          title: { type: 'string' },
          editable: { type: 'boolean' },
        },
      },
    },
  },
};

/** The OpenAPI paths of Yitu's own endpoints (hub, jobs, health), beside the features API. */
export function yituPaths(): OpenApiObject {
  return {
    '/health': { get: op('Yitu', 'Liveness and database check', { '200': json('The server and its database are up') }) },
    '/datasets': {
      get: op('Data hub', 'Search the catalog', { '200': json('Datasets and the total') }, {
        parameters: [
          query('q', 'Text to search in ids, titles, descriptions, keywords, sources'),
          query('theme', 'current, planning, management, socioeconomic or sensing'),
          query('department', 'Department id'),
          query('kind', 'features, table or statistics'),
          query('bbox', 'minLon,minLat,maxLon,maxLat'),
          query('limit', 'Page size (at most 1000)', { type: 'integer', minimum: 1 }),
          query('offset', 'Page start', { type: 'integer', minimum: 0 }),
        ],
      }),
    },
    '/datasets/{id}': {
      parameters: [datasetId],
      get: op('Data hub', 'Read a catalog entry', { '200': json('The dataset') }),
      patch: op('Data hub', 'Change catalog metadata (e.g. {"editable": true})', { '200': json('The dataset') }, {
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
      }),
      delete: op('Data hub', 'Delete a dataset with its versions', { '204': { description: 'Deleted' } }),
    },
    '/imports': {
      post: op('Data hub', 'Upload a file and import it (a job)', { '202': json('The import job (Location: /jobs/{id})') }, { requestBody: multipartImport }),
    },
    '/datasets/preview': {
      post: op(
        'Data hub',
        'Upload a file and preview it without importing: format, layers, encoding, CRS, inferred columns, first rows, problems',
        { '200': json('The preview (format, layers, layer, encoding, crs {epsg, source, note}, geometryTypes, sampled, read, columns, rows, problems, notes)') },
        { requestBody: multipartImport },
      ),
    },
    '/datasets/{id}/imports': {
      parameters: [datasetId],
      post: op('Data hub', 'Import a file into this dataset (a job)', { '202': json('The import job') }, { requestBody: multipartImport }),
    },
    '/datasets/{id}/versions': { parameters: [datasetId], get: op('Data hub', 'List versions, newest first', { '200': json('The versions') }) },
    '/datasets/{id}/versions/{v}': {
      parameters: [datasetId, { ...pathId('v', 'Version number'), schema: { type: 'integer', minimum: 1 } }],
      get: op('Data hub', 'Read one version record', { '200': json('The version') }),
    },
    '/datasets/{id}/diff': {
      parameters: [datasetId],
      get: op('Data hub', 'Feature-by-feature difference of two versions', { '200': json('The changes') }, {
        parameters: [
          query('from', 'Older version', { type: 'integer', minimum: 1 }),
          query('to', 'Newer version (default: current)', { type: 'integer', minimum: 1 }),
          query('limit', 'Page size', { type: 'integer', minimum: 1 }),
          query('offset', 'Page start', { type: 'integer', minimum: 0 }),
        ],
      }),
    },
    '/datasets/{id}/export': {
      parameters: [datasetId],
      get: op('Data hub', 'Download the dataset as a file', {
        '200': { description: 'The file (Content-Disposition: attachment)', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
      }, {
        parameters: [
          query('format', 'geojson, csv, geopackage or shapefile (f is accepted too)'),
          query('version', 'Export this version instead of the current one', { type: 'integer', minimum: 1 }),
        ],
      }),
    },
    '/datasets/{id}/rollback': {
      parameters: [datasetId],
      post: op('Data hub', 'Roll back to a version (recorded as a new version)', { '200': json('The dataset') }, {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['version'], properties: { version: { type: 'integer' }, message: { type: 'string' } } } } },
        },
      }),
    },
    '/jobs': {
      get: op('Jobs', 'List jobs', { '200': json('Jobs, newest first') }, {
        parameters: [query('kind', 'Job kind (import…)'), query('status', 'accepted, running, successful, failed or dismissed'), query('limit', 'At most this many', { type: 'integer', minimum: 1 })],
      }),
    },
    '/jobs/{id}': {
      parameters: [pathId('id', 'Job id')],
      get: op('Jobs', 'Read a job', { '200': json('The job') }),
      delete: op('Jobs', 'Cancel a job', { '200': json('The job') }),
    },
    '/jobs/{id}/events': {
      parameters: [pathId('id', 'Job id')],
      get: op('Jobs', 'Follow a job live (Server-Sent Events)', { '200': { description: 'progress and job events', content: { 'text/event-stream': { schema: { type: 'string' } } } } }),
    },
  };
}

/** Shared components: the problem document and its response. */
export const problemComponents = {
  schemas: {
    problem: {
      type: 'object',
      required: ['type', 'title', 'status', 'detail', 'code'],
      properties: {
        type: { type: 'string', format: 'uri' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        code: { type: 'string', description: 'YITU_ERR_<AREA>_<WHAT>' },
        instance: { type: 'string' },
        errors: { type: 'array', items: { type: 'object' } },
      },
    },
  },
  responses: { problem },
};
