/** A JSON object of an OpenAPI document. */
type OpenApiObject = Record<string, unknown>;

const problems = { '400': { $ref: '#/components/responses/problem' }, '404': { $ref: '#/components/responses/problem' }, default: { $ref: '#/components/responses/problem' } };
const json = (description: string, headers?: OpenApiObject) => ({ description, ...(headers ? { headers } : {}), content: { 'application/json': { schema: { type: 'object' } } } });
const query = (name: string, description: string, schema: OpenApiObject = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const path = (name: string, description: string, schema: OpenApiObject = { type: 'string' }) => ({ name, in: 'path', required: true, description, schema });
const op = (tag: string, summary: string, responses: OpenApiObject, extra: OpenApiObject = {}) => ({ tags: [tag], summary, ...extra, responses: { ...responses, ...problems } });
const body = (description: string) => ({ required: true, description, content: { 'application/json': { schema: { type: 'object' } } } });

const STYLES = 'Map styles';
const MAPS = 'Saved maps';
const collectionId = path('collectionId', 'Collection (dataset) id');
const mapId = path('mapId', 'Map id');
const token = query('token', 'Share token of a private map');
const lang = query('lang', 'Language of labels and legend', { type: 'string', enum: ['zh', 'en'], default: 'zh' });
const etag = { ETag: { description: 'Revision of the style or map, for If-Match', schema: { type: 'string' } } };
const ifMatch = { name: 'If-Match', in: 'header', required: false, description: 'The ETag read before: refuse (412) if it changed since', schema: { type: 'string' } };
const styleJson = { description: 'A MapLibre style (version 8)', content: { 'application/json': { schema: { type: 'object', required: ['version', 'sources', 'layers'] } } } };

/** The OpenAPI paths of dataset styles and saved maps. */
export function mapPaths(): OpenApiObject {
  return {
    '/collections/{collectionId}/style': {
      parameters: [collectionId],
      get: op(STYLES, 'The thematic style of a dataset (stored, or the default by geometry type and theme)', { '200': json('{dataset, stored, style}', etag) }),
      put: op(STYLES, 'Store a thematic style (class breaks computed from the data when left out)', { '200': json('The stored style', etag), '412': { $ref: '#/components/responses/problem' } }, {
        parameters: [ifMatch],
        requestBody: body('A layer style: simple, categories, graduated, proportional, heatmap, h3 or extrusion'),
      }),
      delete: op(STYLES, 'Forget the stored style: the default applies again', { '200': json('The default style', etag) }),
    },
    '/collections/{collectionId}/style.json': {
      parameters: [collectionId],
      get: op(STYLES, 'The dataset alone as a MapLibre style fragment (source, layers, legend in metadata)', { '200': styleJson }, { parameters: [lang] }),
      post: op(STYLES, 'Compile a style sent in the body (not stored) into the same fragment: {style, label?, title?}', { '200': styleJson }, {
        parameters: [lang],
        requestBody: body('{"style": a layer style or null for the dataset\'s, "label"?: labels or null, "title"?: legend title}'),
      }),
    },
    '/collections/{collectionId}/classify': {
      parameters: [collectionId],
      get: op(STYLES, 'Class breaks and counts of a numeric field', { '200': json('{field, method, classes, breaks, counts, min, max, count, sampled}') }, {
        parameters: [
          { ...query('field', 'A numeric field'), required: true },
          query('method', 'Classification method', { type: 'string', enum: ['quantile', 'equal', 'jenks'], default: 'quantile' }),
          query('classes', 'Number of classes', { type: 'integer', minimum: 2, maximum: 12, default: 5 }),
        ],
      }),
    },
    '/maps': {
      get: op(MAPS, 'Public saved maps, newest change first', { '200': json('{maps, total, limit, offset}') }, {
        parameters: [query('q', 'Text to find in titles and descriptions'), query('limit', 'Page size', { type: 'integer', minimum: 1, maximum: 1000 }), query('offset', 'Page start', { type: 'integer', minimum: 0 })],
      }),
      post: op(MAPS, 'Create a saved map (private unless visibility is public); the answer holds its share token', { '201': json('The map (Location: /maps/{id})', etag) }, {
        requestBody: body('{title, description, visibility, view: {center, zoom, pitch, bearing, basemap}, layers: [{id, dataset, style, filter, visible, opacity, label, legendTitle}]}'),
      }),
    },
    '/maps/{mapId}': {
      parameters: [mapId],
      get: op(MAPS, 'A saved map (a private one with ?token=)', { '200': json('The map', etag), '304': { description: 'Not modified (If-None-Match)' } }, { parameters: [token] }),
      put: op(MAPS, 'Replace a saved map', { '200': json('The map', etag), '412': { $ref: '#/components/responses/problem' } }, { parameters: [token, ifMatch], requestBody: body('The whole map') }),
      delete: op(MAPS, 'Delete a saved map', { '204': { description: 'Deleted' } }, { parameters: [token] }),
    },
    '/maps/{mapId}/copy': {
      parameters: [mapId],
      post: op(MAPS, 'Copy a map into a new private map', { '201': json('The new map with its share token', etag) }, { parameters: [token] }),
    },
    '/maps/{mapId}/style.json': {
      parameters: [mapId],
      get: op(MAPS, 'The map as a complete MapLibre style: basemap, glyphs, the map’s own tiles and layers; legend and missing layers in metadata', { '200': styleJson }, { parameters: [token, lang] }),
    },
    '/maps/{mapId}/legend': {
      parameters: [mapId],
      get: op(MAPS, 'The legend of the visible layers, top layer first', { '200': json('{id, title, layers: [{id, title, entries}], missing}') }, { parameters: [token, lang] }),
    },
    '/maps/{mapId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}': {
      parameters: [
        mapId,
        path('tileMatrixSetId', 'Tile matrix set (WebMercatorQuad)', { type: 'string', enum: ['WebMercatorQuad'] }),
        path('tileMatrix', 'Zoom level', { type: 'integer', minimum: 0 }),
        path('tileRow', 'Row (y) of the tile, from the north', { type: 'integer', minimum: 0 }),
        path('tileCol', 'Column (x) of the tile, from the west', { type: 'integer', minimum: 0 }),
      ],
      get: op(MAPS, 'One vector tile holding every visible layer of the map (layer name = layer id)', {
        '200': { description: 'Mapbox Vector Tile', headers: etag, content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } } },
        '204': { description: 'Empty tile' },
        '304': { description: 'Not modified (If-None-Match)' },
      }, { parameters: [token] }),
    },
  };
}
