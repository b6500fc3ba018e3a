import { MVT_EXTENT } from './mvt-encoder.ts';
import { isPointSource } from './layer-query.ts';
import type { ResolvedSource, SourceColumn } from './sources.ts';
import { DATA_MAX_ZOOM, MAX_ZOOM } from './tile-math.ts';

/** The one tile matrix set served. */
export const TMS_ID = 'WebMercatorQuad';
/** Its OGC URI. */
export const TMS_URI = 'http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad';
/** Media type of the tiles. */
export const MVT_MEDIA = 'application/vnd.mapbox-vector-tile';
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const EPSG3857 = 'http://www.opengis.net/def/crs/EPSG/0/3857';
const REL_TILING_SCHEME = 'http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme';
const ORIGIN = 20037508.3427892;

/** `/tileMatrixSets`: the list. */
export function tileMatrixSetsDocument(base: string): Record<string, unknown> {
  return {
    tileMatrixSets: [
      {
        id: TMS_ID,
        title: 'Google Maps Compatible for the World (Web Mercator)',
        uri: TMS_URI,
        crs: EPSG3857,
        links: [{ href: `${base}/tileMatrixSets/${TMS_ID}`, rel: 'self', type: 'application/json', title: 'The tile matrix set' }],
      },
    ],
    links: [{ href: `${base}/tileMatrixSets`, rel: 'self', type: 'application/json', title: 'This document' }],
  };
}

/** `/tileMatrixSets/WebMercatorQuad`: OGC Two Dimensional Tile Matrix Set 2.0 JSON, zooms 0–22. */
export function webMercatorQuadDocument(): Record<string, unknown> {
  return {
    id: TMS_ID,
    title: 'Google Maps Compatible for the World (Web Mercator)',
    uri: TMS_URI,
    crs: EPSG3857,
    orderedAxes: ['E', 'N'],
    wellKnownScaleSet: 'http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible',
    boundingBox: { lowerLeft: [-ORIGIN, -ORIGIN], upperRight: [ORIGIN, ORIGIN], crs: EPSG3857 },
    tileMatrices: Array.from({ length: MAX_ZOOM + 1 }, (_, z) => ({
      id: String(z),
      scaleDenominator: 559082264.028717 / 2 ** z,
      cellSize: 156543.033928041 / 2 ** z,
      cornerOfOrigin: 'topLeft',
      pointOfOrigin: [-ORIGIN, ORIGIN],
      tileWidth: 256,
      tileHeight: 256,
      matrixWidth: 2 ** z,
      matrixHeight: 2 ** z,
    })),
  };
}

/** Query string of the tile options a tileset carries into its tile URLs (properties, filter, aggregate). */
export function tileQuery(q: Record<string, string>): string {
  const keep = ['properties', 'filter', 'filter-lang', 'aggregate', 'aggregate-field'];
  const parts = keep.filter((k) => q[k] !== undefined).map((k) => `${k}=${encodeURIComponent(q[k])}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The fields of the layer a request produces, as TileJSON types. */
export function layerFields(src: ResolvedSource, columns: SourceColumn[], q: Record<string, string>): Record<string, string> {
  if (q.aggregate === 'h3') {
    const f: Record<string, string> = { h3: 'String: the H3 cell', count: 'Number: features in the cell' };
    if (q['aggregate-field']) Object.assign(f, { sum: `Number: sum of ${q['aggregate-field']}`, avg: `Number: mean of ${q['aggregate-field']}` });
    return f;
  }
  const type = (c: SourceColumn) => (c.type === 'integer' || c.type === 'number' ? 'Number' : c.type === 'boolean' ? 'Boolean' : 'String');
  const f: Record<string, string> = Object.fromEntries(columns.map((c) => [c.name, type(c)]));
  if (isPointSource(src)) f.point_count = 'Number: points of a cluster (clusters only, below zoom 15)';
  return f;
}

/** `/collections/{id}/tiles`: the tilesets of a collection (one, WebMercatorQuad). */
export function tilesetsDocument(src: ResolvedSource, base: string): Record<string, unknown> {
  const c = `${base}/collections/${src.id}`;
  return {
    links: [
      { href: `${c}/tiles`, rel: 'self', type: 'application/json', title: 'This document' },
      { href: c, rel: 'collection', type: 'application/json', title: 'The collection' },
    ],
    tilesets: [
      {
        title: `${src.title.zh || src.title.en || src.id} (${TMS_ID})`,
        dataType: 'vector',
        crs: EPSG3857,
        tileMatrixSetURI: TMS_URI,
        links: [
          { href: `${c}/tiles/${TMS_ID}`, rel: 'self', type: 'application/json', title: 'The tileset' },
          { href: `${c}/tiles/${TMS_ID}?f=tilejson`, rel: 'alternate', type: 'application/json', title: 'TileJSON for MapLibre' },
          { href: `${base}/tileMatrixSets/${TMS_ID}`, rel: REL_TILING_SCHEME, type: 'application/json', title: 'The tile matrix set' },
          { href: `${c}/tiles/${TMS_ID}/{tileMatrix}/{tileRow}/{tileCol}`, rel: 'item', type: MVT_MEDIA, title: 'Tiles (Mapbox Vector Tiles)', templated: true },
        ],
      },
    ],
  };
}

/** `/collections/{id}/tiles/WebMercatorQuad`: OGC tileset metadata. */
export function tilesetDocument(src: ResolvedSource, columns: SourceColumn[], base: string, q: Record<string, string>): Record<string, unknown> {
  const c = `${base}/collections/${src.id}`;
  const query = tileQuery(q);
  const fields = layerFields(src, columns, q);
  const dim = q.aggregate === 'h3' ? 2 : /Point/.test(src.geometryType ?? '') ? 0 : /Line/.test(src.geometryType ?? '') ? 1 : 2;
  const doc: Record<string, unknown> = {
    title: src.title.zh || src.title.en || src.id,
    description: src.title.en,
    dataType: 'vector',
    crs: EPSG3857,
    tileMatrixSetURI: TMS_URI,
    links: [
      { href: `${c}/tiles/${TMS_ID}${query}`, rel: 'self', type: 'application/json', title: 'This tileset' },
      { href: `${c}/tiles/${TMS_ID}${query ? `${query}&` : '?'}f=tilejson`, rel: 'alternate', type: 'application/json', title: 'TileJSON for MapLibre' },
      { href: `${base}/tileMatrixSets/${TMS_ID}`, rel: REL_TILING_SCHEME, type: 'application/json', title: 'The tile matrix set' },
      { href: `${c}/tiles/${TMS_ID}/{tileMatrix}/{tileRow}/{tileCol}${query}`, rel: 'item', type: MVT_MEDIA, title: 'Tiles (Mapbox Vector Tiles)', templated: true },
      { href: c, rel: 'collection', type: 'application/json', title: 'The collection' },
    ],
    layers: [
      {
        id: src.id,
        dataType: 'vector',
        geometryDimension: dim,
        minTileMatrix: '0',
        maxTileMatrix: String(DATA_MAX_ZOOM),
        propertiesSchema: { type: 'object', properties: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { type: v.startsWith('Number') ? 'number' : v.startsWith('Boolean') ? 'boolean' : 'string' }])) },
      },
    ],
    'yitu:extent': MVT_EXTENT,
  };
  if (src.bbox) doc.boundingBox = { lowerLeft: [src.bbox[0], src.bbox[1]], upperRight: [src.bbox[2], src.bbox[3]], crs: CRS84 };
  return doc;
}

/** TileJSON 3.0.0 of a collection's tiles, for MapLibre (`?f=tilejson`). */
export function tileJsonDocument(src: ResolvedSource, columns: SourceColumn[], base: string, q: Record<string, string>): Record<string, unknown> {
  const b = src.bbox ?? [-180, -85.0511, 180, 85.0511];
  const centerZoom = Math.max(0, Math.min(DATA_MAX_ZOOM, Math.floor(Math.log2(360 / Math.max(1e-6, b[2] - b[0])))));
  return {
    tilejson: '3.0.0',
    name: src.title.zh || src.title.en || src.id,
    description: src.title.en || src.id,
    version: '1.0.0',
    scheme: 'xyz',
    tiles: [`${base}/collections/${src.id}/tiles/${TMS_ID}/{z}/{y}/{x}${tileQuery(q)}`],
    minzoom: 0,
    maxzoom: DATA_MAX_ZOOM,
    bounds: b,
    center: [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, centerZoom],
    vector_layers: [{ id: src.id, description: src.title.en || src.title.zh, minzoom: 0, maxzoom: DATA_MAX_ZOOM, fields: layerFields(src, columns, q) }],
  };
}
