import { type Link, MEDIA } from './links.ts';

const F1 = 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf';
const F2 = 'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf';
const F3 = 'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf';
const F4 = 'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf';
const CQL2 = 'http://www.opengis.net/spec/cql2/1.0/conf';
const TILES = 'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf';
const TMS = 'http://www.opengis.net/spec/tms/2.0/conf';

/**
 * Every conformance class the features API implements. Spatial and temporal CQL2 classes are
 * listed under both their final names (`…-functions`) and the draft names (`…-operators`) that
 * clients written against the drafts look for.
 */
export const CONFORMANCE_CLASSES: readonly string[] = [
  `${F1}/core`,
  `${F1}/oas30`,
  `${F1}/geojson`,
  `${F2}/crs`,
  `${F3}/filter`,
  `${F3}/features-filter`,
  `${F3}/queryables`,
  `${CQL2}/cql2-text`,
  `${CQL2}/cql2-json`,
  `${CQL2}/basic-cql2`,
  `${CQL2}/advanced-comparison-operators`,
  `${CQL2}/case-insensitive-comparison`,
  `${CQL2}/basic-spatial-functions`,
  `${CQL2}/basic-spatial-functions-plus`,
  `${CQL2}/spatial-functions`,
  `${CQL2}/basic-spatial-operators`,
  `${CQL2}/spatial-operators`,
  `${CQL2}/temporal-functions`,
  `${CQL2}/temporal-operators`,
  `${CQL2}/property-property`,
  `${F4}/create-replace-delete`,
  `${F4}/update`,
  `${F4}/features`,
  // OGC API – Tiles (server/map/tiles): vector tiles of every collection, WebMercatorQuad.
  `${TILES}/core`,
  `${TILES}/tileset`,
  `${TILES}/tilesets-list`,
  `${TILES}/geodata-tilesets`,
  `${TILES}/oas30`,
  `${TILES}/mvt`,
  `${TMS}/tilematrixset`,
  `${TMS}/json-tilematrixset`,
];

/** The `/conformance` document. */
export function conformanceDocument(): { conformsTo: string[] } {
  return { conformsTo: [...CONFORMANCE_CLASSES] };
}

/** The landing page (`/`). */
export function landingPage(base: string): { title: string; description: string; links: Link[] } {
  return {
    title: 'Yitu (一图)',
    description:
      'Yitu spatial governance platform: every dataset of the data hub as an OGC API – Features collection (Parts 1–4: core, CRS, CQL2 filtering, transactions). 一图：数据中心的每个数据集都是一个要素集合。',
    links: [
      { href: `${base}/`, rel: 'self', type: MEDIA.json, title: 'This document' },
      { href: `${base}/api`, rel: 'service-desc', type: MEDIA.openapi, title: 'The API definition (OpenAPI 3.0)' },
      { href: `${base}/conformance`, rel: 'conformance', type: MEDIA.json, title: 'Conformance classes implemented' },
      { href: `${base}/collections`, rel: 'data', type: MEDIA.json, title: 'The feature collections (datasets)' },
      { href: `${base}/tileMatrixSets`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes', type: MEDIA.json, title: 'Tile matrix sets of the vector tiles' },
    ],
  };
}
