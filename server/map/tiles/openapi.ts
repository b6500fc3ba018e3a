/** A JSON object of an OpenAPI document. */
type OpenApiObject = Record<string, unknown>;

const problems = { '400': { $ref: '#/components/responses/problem' }, '404': { $ref: '#/components/responses/problem' }, default: { $ref: '#/components/responses/problem' } };
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const query = (name: string, description: string, schema: OpenApiObject = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const path = (name: string, description: string, schema: OpenApiObject = { type: 'string' }) => ({ name, in: 'path', required: true, description, schema });
const op = (summary: string, responses: OpenApiObject, extra: OpenApiObject = {}) => ({ tags: ['OGC API – Tiles'], summary, ...extra, responses: { ...responses, ...problems } });

const collectionId = path('collectionId', 'Collection (dataset) id, or regions / region_labels');
const tms = path('tileMatrixSetId', 'Tile matrix set (WebMercatorQuad)', { type: 'string', enum: ['WebMercatorQuad'] });
const address = [
  path('tileMatrix', 'Zoom level 0–22', { type: 'integer', minimum: 0, maximum: 22 }),
  path('tileRow', 'Row (y) of the tile, from the north', { type: 'integer', minimum: 0 }),
  path('tileCol', 'Column (x) of the tile, from the west', { type: 'integer', minimum: 0 }),
];
const layerQuery = [
  query('properties', 'Attributes in the tile (comma-separated; default all)', { type: 'array', items: { type: 'string' } }),
  query('filter', 'CQL2 filter over the queryables (as for /items)'),
  query('filter-lang', 'cql2-text (default) or cql2-json', { type: 'string', enum: ['cql2-text', 'cql2-json'] }),
  query('aggregate', 'h3: hexagons with count (and sum/avg of aggregate-field) instead of the features', { type: 'string', enum: ['h3'] }),
  query('aggregate-field', 'Numeric property summed and averaged per hexagon'),
];
const mvt = {
  '200': {
    description: 'The tile (gzip-encoded when accepted), with ETag and Cache-Control',
    headers: { ETag: { schema: { type: 'string' } }, 'Cache-Control': { schema: { type: 'string' } } },
    content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } },
  },
  '204': { description: 'Empty tile: no feature here' },
  '304': { description: 'Not modified (If-None-Match matches the ETag)' },
};

/** The OpenAPI paths of OGC API – Tiles (server/map/tiles). */
export function tilePaths(): OpenApiObject {
  return {
    '/tileMatrixSets': { get: op('Tile matrix sets', { '200': json('The tile matrix sets served (WebMercatorQuad)') }, { parameters: [query('f', 'json')] }) },
    '/tileMatrixSets/{tileMatrixSetId}': {
      parameters: [tms],
      get: op('A tile matrix set (OGC TMS 2.0 JSON)', { '200': json('The tile matrices, zooms 0–22') }, { parameters: [query('f', 'json')] }),
    },
    '/collections/{collectionId}/tiles': {
      parameters: [collectionId],
      get: op("A collection's vector tilesets", { '200': json('The tilesets (one per tile matrix set)') }, { parameters: [query('f', 'json')] }),
    },
    '/collections/{collectionId}/tiles/{tileMatrixSetId}': {
      parameters: [collectionId, tms],
      get: op('Tileset metadata, or TileJSON 3.0.0 for MapLibre with f=tilejson', { '200': json('Tileset metadata or TileJSON') }, {
        parameters: [query('f', 'json (OGC tileset metadata) or tilejson', { type: 'string', enum: ['json', 'tilejson'] }), ...layerQuery],
      }),
    },
    '/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}': {
      parameters: [collectionId, tms, ...address],
      get: op('A vector tile (Mapbox Vector Tile 2.1; the layer is named after the collection)', mvt, {
        parameters: [...layerQuery, { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }],
      }),
    },
    '/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}': {
      parameters: [tms, ...address],
      get: op('Several collections in one vector tile (one layer each)', mvt, {
        parameters: [
          { name: 'collections', in: 'query', required: true, style: 'form', explode: false, description: 'Collection ids (and regions / region_labels), comma-separated', schema: { type: 'array', items: { type: 'string' } } },
          { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
        ],
      }),
    },
  };
}
