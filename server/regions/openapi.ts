/** A JSON object of an OpenAPI document. */
type OpenApiObject = Record<string, unknown>;

const problems = { '400': { $ref: '#/components/responses/problem' }, '404': { $ref: '#/components/responses/problem' }, default: { $ref: '#/components/responses/problem' } };
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const jsonOrGeo = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object' } }, 'application/geo+json': { schema: { type: 'object' } } },
});
const query = (name: string, description: string, schema: OpenApiObject = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const code = { name: 'code', in: 'path', required: true, description: 'Region code: 6 (county), 9 (town), 12 (village) or 15 (grid) digits', schema: { type: 'string', pattern: '^[0-9]{6,15}$' } };
const op = (summary: string, responses: OpenApiObject, extra: OpenApiObject = {}) => ({ tags: ['Regions'], summary, ...extra, responses: { ...responses, ...problems } });

const listParams = [
  query('limit', 'Page size (at most 1000; default 100)', { type: 'integer', minimum: 1, maximum: 1000 }),
  query('offset', 'Page start', { type: 'integer', minimum: 0 }),
  query('geometry', 'Include the boundaries in JSON (always in GeoJSON)', { type: 'boolean', default: false }),
  query('f', 'json (default) or geojson (a FeatureCollection)', { type: 'string', enum: ['json', 'geojson'] }),
];

/** The OpenAPI paths of the admin hierarchy. */
export function regionPaths(): OpenApiObject {
  return {
    '/regions': {
      get: op('List regions (county > town > village > grid)', { '200': jsonOrGeo('Regions and the total, or a FeatureCollection') }, {
        parameters: [
          query('level', 'county, town, village or grid', { type: 'string', enum: ['county', 'town', 'village', 'grid'] }),
          query('parent', 'Code of the parent region'),
          query('q', 'Text in the Chinese or English name, or the beginning of the code'),
          ...listParams,
        ],
      }),
    },
    '/regions/locate': {
      get: op('The regions containing a point, county first (404 outside the county, naming it)', { '200': json('The point and its chain of regions') }, {
        parameters: [
          query('lon', 'Longitude (WGS84 / CGCS2000)', { type: 'number', minimum: -180, maximum: 180 }),
          query('lat', 'Latitude (WGS84 / CGCS2000)', { type: 'number', minimum: -90, maximum: 90 }),
          query('point', 'lon,lat instead of lon and lat'),
        ],
      }),
    },
    '/regions/{code}': {
      parameters: [code],
      get: op('Read a region with its boundary, parent chain and number of children', { '200': jsonOrGeo('The region, or a Feature') }, {
        parameters: [query('f', 'json (default) or geojson (a Feature)', { type: 'string', enum: ['json', 'geojson'] })],
      }),
    },
    '/regions/{code}/children': {
      parameters: [code],
      get: op('The children of a region', { '200': jsonOrGeo('Regions and the total, or a FeatureCollection') }, { parameters: listParams }),
    },
  };
}
