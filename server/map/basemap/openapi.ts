/** A JSON object of an OpenAPI document. */
type OpenApiObject = Record<string, unknown>;

const problems = { '400': { $ref: '#/components/responses/problem' }, '404': { $ref: '#/components/responses/problem' }, default: { $ref: '#/components/responses/problem' } };
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const query = (name: string, description: string, schema: OpenApiObject = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const path = (name: string, description: string, schema: OpenApiObject = { type: 'string' }) => ({ name, in: 'path', required: true, description, schema });
const op = (summary: string, responses: OpenApiObject, extra: OpenApiObject = {}) => ({ tags: ['Basemap'], summary, ...extra, responses: { ...responses, ...problems } });
const cached = { ETag: { schema: { type: 'string' } }, 'Cache-Control': { schema: { type: 'string' } } };

/** The OpenAPI paths of the offline glyphs and the basemaps (server/map/fonts, server/map/basemap). */
export function basemapPaths(): OpenApiObject {
  return {
    '/fonts': { get: op('The fonts glyphs are drawn from on this server', { '200': json('Font names (fontstack names) and whether they cover Chinese') }) },
    '/fonts/{fontstack}/{range}': {
      parameters: [
        path('fontstack', 'Font names separated by commas (e.g. "Noto Sans Regular"); each glyph comes from the first font that has it'),
        path('range', '256 code points from a multiple of 256, as MapLibre asks: 0-255.pbf, 256-511.pbf, …, 65280-65535.pbf', { type: 'string', pattern: '^[0-9]+-[0-9]+\\.pbf$' }),
      ],
      get: op('Glyphs as signed distance fields (MapLibre glyph PBF, 24 px, 3 px buffer)', {
        '200': { description: 'The glyphs of the range (gzip-encoded when accepted); a range without glyphs is a valid empty fontstack', headers: cached, content: { 'application/x-protobuf': { schema: { type: 'string', format: 'binary' } } } },
        '304': { description: 'Not modified (If-None-Match matches the ETag)' },
      }),
    },
    '/basemaps': { get: op('The basemaps on offer: the offline vector basemap, and the online XYZ/WMTS one when configured', { '200': json('The basemaps, each with its style URL') }) },
    '/basemap/style.json': {
      get: op('A complete MapLibre style (version 8) of a basemap', { '200': json('The style; every URL in it is on this server, except the configured online tiles') }, {
        parameters: [
          query('lang', 'Label language', { type: 'string', enum: ['zh', 'en'], default: 'zh' }),
          query('theme', 'Colours of the offline basemap', { type: 'string', enum: ['light', 'dark'], default: 'light' }),
          query('basemap', 'offline (default), or xyz when an online basemap is configured', { type: 'string', enum: ['offline', 'xyz'], default: 'offline' }),
        ],
      }),
    },
    '/basemap/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}': {
      parameters: [
        path('tileMatrix', 'Zoom level 0–22', { type: 'integer', minimum: 0, maximum: 22 }),
        path('tileRow', 'Row (y) of the tile, from the north', { type: 'integer', minimum: 0 }),
        path('tileCol', 'Column (x) of the tile, from the west', { type: 'integer', minimum: 0 }),
      ],
      get: op('A vector tile of the offline basemap: layers water, waterway, road, boundary and place, built from the county\'s own data', {
        '200': { description: 'The tile (gzip-encoded when accepted)', headers: cached, content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } } },
        '204': { description: 'Empty tile: nothing of the basemap here' },
        '304': { description: 'Not modified (If-None-Match matches the ETag)' },
      }),
    },
  };
}
