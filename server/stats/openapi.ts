/** A JSON object of an OpenAPI document. */
type OpenApiObject = Record<string, unknown>;

const problems = { '400': { $ref: '#/components/responses/problem' }, '404': { $ref: '#/components/responses/problem' }, default: { $ref: '#/components/responses/problem' } };
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const csv = { description: 'CSV (UTF-8 with BOM, or GBK), one row per region and period', content: { 'text/csv': { schema: { type: 'string' } } } };
const query = (name: string, description: string, schema: OpenApiObject = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const id = { name: 'id', in: 'path', required: true, description: 'Id of the statistical table (a dataset of kind statistics)', schema: { type: 'string' } };
const op = (summary: string, responses: OpenApiObject, extra: OpenApiObject = {}) => ({ tags: ['Statistics'], summary, ...extra, responses: { ...responses, ...problems } });

const filters = [
  query('indicator', 'Indicators, comma-separated (or the parameter repeated)'),
  query('period', 'Periods (2023, 2023-05), comma-separated'),
  query('level', 'Only regions of this level', { type: 'string', enum: ['county', 'town', 'village', 'grid'] }),
  query('region', 'A region code: its rows and its descendants’'),
  query('version', 'Read this version instead of the current one', { type: 'integer', minimum: 1 }),
];

const upload = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['file'],
        properties: {
          file: { type: 'string', format: 'binary', description: 'CSV (UTF-8 or GBK): a region code column, a period column (or year and month), numeric indicator columns; at most 1,000,000 rows' },
          dataset: { type: 'string' },
          mode: { type: 'string', enum: ['create', 'append', 'replace', 'upsert'] },
          encoding: { type: 'string', enum: ['auto', 'utf-8', 'gbk', 'gb18030'] },
          regionColumn: { type: 'string' },
          periodColumn: { type: 'string' },
          period: { type: 'string', description: 'The period of every row, for a file without a period column' },
          ignore: { type: 'string', description: 'Columns to leave out, comma-separated' },
          skipUnknownRegions: { type: 'boolean' },
          indicators: { type: 'string', description: 'JSON: {"<indicator>": {"titleZh", "titleEn", "unit"}}' },
          title: { type: 'string' },
          titleEn: { type: 'string' },
          department: { type: 'string' },
        },
      },
    },
    'text/csv': { schema: { type: 'string' } },
  },
};

/** The OpenAPI paths of statistical tables. */
export function statsPaths(): OpenApiObject {
  return {
    '/stats': {
      get: op('List statistical tables', { '200': json('Tables and the total') }, {
        parameters: [query('q', 'Text to search'), query('department', 'Department id'), query('limit', 'Page size', { type: 'integer', minimum: 1, maximum: 1000 }), query('offset', 'Page start', { type: 'integer', minimum: 0 })],
      }),
      post: op('Import a statistical table from CSV (synchronous; all or nothing)', { '201': json('The import report (Location: /stats/{id})') }, { requestBody: upload }),
    },
    '/stats/{id}': {
      parameters: [id],
      get: op('Read a table: catalog entry, indicators (titles, units, ranges), periods, regions covered', { '200': json('The table') }),
      delete: op('Delete a table with its values', { '204': { description: 'Deleted' } }),
    },
    '/stats/{id}/imports': {
      parameters: [id],
      post: op('Import into an existing table (mode append by default; upsert, replace) as a new version', { '200': json('The import report') }, { requestBody: upload }),
    },
    '/stats/{id}/values': {
      parameters: [id],
      get: op('Rows (region, period) with their values, joined to region names', { '200': { ...json('Rows and the total'), content: { ...json('').content, ...csv.content } } }, {
        parameters: [
          ...filters,
          query('limit', 'Page size (at most 10000)', { type: 'integer', minimum: 1, maximum: 10_000 }),
          query('offset', 'Page start', { type: 'integer', minimum: 0 }),
          query('f', 'json (default) or csv', { type: 'string', enum: ['json', 'csv'] }),
          query('encoding', 'CSV: utf-8 (default) or gbk', { type: 'string', enum: ['utf-8', 'gbk'] }),
        ],
      }),
    },
    '/stats/{id}/geojson': {
      parameters: [id],
      get: op('Values of one period joined to region boundaries, for thematic maps (with ranges and quantile breaks)', {
        '200': { description: 'A FeatureCollection', content: { 'application/geo+json': { schema: { type: 'object' } } } },
      }, {
        parameters: [
          query('indicator', 'Indicators, comma-separated (default: all)'),
          query('period', 'The period (default: the latest)'),
          query('level', 'The level (default: the level most rows are at)', { type: 'string', enum: ['county', 'town', 'village', 'grid'] }),
        ],
      }),
    },
    '/stats/{id}/export': {
      parameters: [id],
      get: op('Download the table as CSV (imports again as it is)', { '200': csv }, {
        parameters: [...filters, query('format', 'csv'), query('encoding', 'utf-8 (default, with BOM) or gbk', { type: 'string', enum: ['utf-8', 'gbk'] })],
      }),
    },
  };
}
