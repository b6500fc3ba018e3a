/**
 * The offline vector basemap as MapLibre style parts: one vector source (the basemap's own tiles,
 * built from the county's datasets and regions) and the layers that draw it, in Chinese or English.
 */
import { BOLD_FONT, DEFAULT_FONT } from '../fonts/font-files.ts';
import { type BasemapTheme, type Palette, paletteOf, ROAD_CLASSES, type RoadClass } from './palette.ts';

/** The id of the basemap's vector source in a style. */
export const BASEMAP_SOURCE = 'basemap';
/** The largest zoom the basemap's tiles are made for (MapLibre overzooms beyond). */
export const BASEMAP_MAX_ZOOM = 16;
/** The layers inside a basemap tile (`source-layer`s). */
export const BASEMAP_TILE_LAYERS = ['water', 'water_label', 'waterway', 'road', 'boundary', 'place'] as const;
/** The label font of English water names. */
const ITALIC_FONT = 'Noto Sans Italic';

/** Options of {@link basemapStyle}. */
export interface BasemapStyleOptions {
  /** The server root, without a trailing slash ('' for URLs relative to the server). */
  baseUrl: string;
  lang: 'zh' | 'en';
  /** Light (default) or dark. */
  theme?: BasemapTheme;
  /** Where the basemap has data (lon/lat): tiles outside are not asked for. */
  bounds?: [number, number, number, number] | null;
}

/** MapLibre style parts of the offline basemap. */
export interface BasemapStyleParts {
  /** `${baseUrl}/fonts/{fontstack}/{range}.pbf` */
  glyphs: string;
  sources: Record<string, unknown>;
  /** MapLibre layer specs, ids prefixed `basemap-`. */
  layers: Record<string, unknown>[];
}

type Expr = unknown[];
type Stops = [number, number][];

/** `interpolate` over zoom, exponential so widths grow as the map does. */
function byZoom(stops: Stops, base = 1.4): Expr {
  return ['interpolate', ['exponential', base], ['zoom'], ...stops.flat()];
}

/** Line widths of each road class (px at zoom), and the zoom it appears at. */
const ROAD_WIDTHS: Record<RoadClass, { minzoom: number; stops: Stops }> = {
  expressway: { minzoom: 6, stops: [[6, 0.8], [8, 1.2], [10, 2.2], [12, 4], [14, 8], [16, 16], [18, 40]] },
  national: { minzoom: 7, stops: [[7, 0.6], [8, 1], [10, 1.8], [12, 3.2], [14, 7], [16, 14], [18, 34]] },
  provincial: { minzoom: 8, stops: [[8, 0.8], [10, 1.5], [12, 2.8], [14, 6], [16, 12], [18, 30]] },
  county: { minzoom: 9, stops: [[9, 0.6], [10, 1], [12, 2.2], [14, 5], [16, 10], [18, 24]] },
  urban: { minzoom: 11, stops: [[11, 0.6], [12, 1.4], [14, 4.5], [16, 10], [18, 24]] },
  rural: { minzoom: 11, stops: [[11, 0.4], [12, 0.8], [14, 2.5], [16, 6], [18, 14]] },
};

/** Roads of a class; `rural` also takes roads of any class the style does not know. */
function roadFilter(cls: RoadClass): Expr {
  const known = ROAD_CLASSES.filter((c) => c !== 'rural');
  const value = ['coalesce', ['get', 'road_class'], ''];
  return cls === 'rural' ? ['match', value, known, false, true] : ['match', value, [cls], true, false];
}

function nameField(lang: 'zh' | 'en', zhKey: string): Expr {
  return lang === 'zh' ? ['coalesce', ['get', zhKey], ['get', 'ref'], ''] : ['coalesce', ['get', 'name_en'], ['get', zhKey], ['get', 'ref'], ''];
}

function roadLayers(p: Palette): Record<string, unknown>[] {
  const order = [...ROAD_CLASSES].reverse(); // minor roads first, trunk roads drawn over them
  const casings = order.map((cls) => ({
    id: `basemap-road-${cls}-casing`,
    type: 'line',
    source: BASEMAP_SOURCE,
    'source-layer': 'road',
    minzoom: Math.max(ROAD_WIDTHS[cls].minzoom, 10),
    filter: roadFilter(cls),
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': p.road[cls].casing,
      'line-width': byZoom(ROAD_WIDTHS[cls].stops.filter(([z]) => z >= 10).map(([z, w]) => [z, w + (z >= 13 ? 2 : 1.2)])),
    },
  }));
  const fills = order.map((cls) => ({
    id: `basemap-road-${cls}`,
    type: 'line',
    source: BASEMAP_SOURCE,
    'source-layer': 'road',
    minzoom: ROAD_WIDTHS[cls].minzoom,
    filter: roadFilter(cls),
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    // Below zoom 10 there are no casings: draw roads in their casing colour so that they show on the ground.
    paint: { 'line-color': ['step', ['zoom'], p.road[cls].casing, 10, p.road[cls].fill], 'line-width': byZoom(ROAD_WIDTHS[cls].stops) },
  }));
  return [...casings, ...fills];
}

function boundaryLine(id: string, level: string, minzoom: number, color: string, width: Stops, dash: number[]): Record<string, unknown> {
  return {
    id,
    type: 'line',
    source: BASEMAP_SOURCE,
    'source-layer': 'boundary',
    minzoom,
    filter: ['==', ['get', 'level'], level],
    layout: { 'line-join': 'round' },
    paint: { 'line-color': color, 'line-width': byZoom(width, 1.2), 'line-dasharray': dash },
  };
}

function labelPaint(color: string, halo: string, haloWidth = 1.4): Record<string, unknown> {
  return { 'text-color': color, 'text-halo-color': halo, 'text-halo-width': haloWidth, 'text-halo-blur': 0.3 };
}

function labelLayers(p: Palette, lang: 'zh' | 'en'): Record<string, unknown>[] {
  const zh = lang === 'zh';
  const placeName = nameField(lang, 'name_zh');
  const placeLabel = (id: string, level: string, zooms: { minzoom?: number; maxzoom?: number }, size: Stops, color: string, font: string, extra: Record<string, unknown> = {}) => ({
    id,
    type: 'symbol',
    source: BASEMAP_SOURCE,
    'source-layer': 'place',
    ...zooms,
    filter: ['==', ['get', 'level'], level],
    layout: {
      'text-field': placeName,
      'text-font': [font],
      'text-size': byZoom(size, 1.2),
      'text-max-width': zh ? 6 : 8,
      'text-padding': 4,
      ...extra,
    },
    paint: labelPaint(color, p.label.halo, 1.6),
  });
  return [
    {
      id: 'basemap-road-label',
      type: 'symbol',
      source: BASEMAP_SOURCE,
      'source-layer': 'road',
      minzoom: 11,
      // Trunk and county roads are named from zoom 11, streets and village roads from 14.
      filter: ['any', ['>=', ['zoom'], 14], ['match', ['coalesce', ['get', 'road_class'], ''], ['expressway', 'national', 'provincial', 'county'], true, false]],
      layout: {
        'symbol-placement': 'line',
        'symbol-spacing': 320,
        'text-field': nameField(lang, 'name'),
        'text-font': [DEFAULT_FONT],
        'text-size': byZoom([[11, 10], [14, 11.5], [17, 14]], 1.2),
        'text-max-angle': 30,
        'text-padding': 2,
        'text-rotation-alignment': 'map',
        'text-pitch-alignment': 'viewport',
      },
      paint: labelPaint(p.label.road, p.label.halo),
    },
    {
      id: 'basemap-waterway-label',
      type: 'symbol',
      source: BASEMAP_SOURCE,
      'source-layer': 'waterway',
      minzoom: 11,
      layout: {
        'symbol-placement': 'line',
        'symbol-spacing': 400,
        'text-field': nameField(lang, 'name'),
        'text-font': [zh ? DEFAULT_FONT : ITALIC_FONT],
        'text-size': byZoom([[11, 10], [15, 12.5]], 1.2),
        'text-letter-spacing': zh ? 0.3 : 0.05,
        'text-max-angle': 25,
        'text-rotation-alignment': 'map',
        'text-pitch-alignment': 'viewport',
      },
      paint: labelPaint(p.label.water, p.label.halo, 1.2),
    },
    {
      id: 'basemap-water-label',
      type: 'symbol',
      source: BASEMAP_SOURCE,
      'source-layer': 'water_label',
      minzoom: 11,
      layout: {
        'text-field': nameField(lang, 'name'),
        'text-font': [zh ? DEFAULT_FONT : ITALIC_FONT],
        'text-size': byZoom([[11, 10.5], [15, 13]], 1.2),
        'text-max-width': zh ? 6 : 8,
        'text-letter-spacing': zh ? 0.15 : 0,
      },
      paint: labelPaint(p.label.water, p.label.halo, 1.2),
    },
    placeLabel('basemap-place-village', 'village', { minzoom: 12 }, [[12, 10.5], [16, 13]], p.label.village, DEFAULT_FONT),
    placeLabel('basemap-place-town', 'town', { minzoom: 9, maxzoom: 15 }, [[9, 11], [12, 14], [15, 16]], p.label.town, BOLD_FONT, { 'text-letter-spacing': zh ? 0.1 : 0 }),
    placeLabel('basemap-place-county', 'county', { maxzoom: 10.5 }, [[6, 12], [10, 18]], p.label.place, BOLD_FONT, { 'text-letter-spacing': zh ? 0.3 : 0.05 }),
  ];
}

/**
 * The offline basemap: glyphs, its vector source and its layers (ids prefixed `basemap-`), drawn
 * from bottom to top: ground, county, water, waterways, town and village boundaries, roads, the
 * county boundary, then labels. Pure: the same options give the same style.
 */
export function basemapStyle(opts: BasemapStyleOptions): BasemapStyleParts {
  const { baseUrl, lang } = opts;
  const p = paletteOf(opts.theme ?? 'light');
  const source: Record<string, unknown> = {
    type: 'vector',
    tiles: [`${baseUrl}/basemap/tiles/WebMercatorQuad/{z}/{y}/{x}`],
    minzoom: 0,
    maxzoom: BASEMAP_MAX_ZOOM,
    attribution: lang === 'zh' ? '底图：本地数据（Yitu 离线底图）' : 'Basemap: local data (Yitu offline basemap)',
  };
  if (opts.bounds) source.bounds = opts.bounds;
  const layers: Record<string, unknown>[] = [
    { id: 'basemap-background', type: 'background', paint: { 'background-color': p.background } },
    {
      id: 'basemap-land',
      type: 'fill',
      source: BASEMAP_SOURCE,
      'source-layer': 'boundary',
      filter: ['==', ['get', 'level'], 'county'],
      paint: { 'fill-color': p.land },
    },
    {
      id: 'basemap-water',
      type: 'fill',
      source: BASEMAP_SOURCE,
      'source-layer': 'water',
      paint: { 'fill-color': p.water, 'fill-outline-color': p.waterOutline },
    },
    {
      id: 'basemap-waterway-minor',
      type: 'line',
      source: BASEMAP_SOURCE,
      'source-layer': 'waterway',
      minzoom: 10,
      filter: ['match', ['coalesce', ['get', 'river_type'], ''], ['river', 'canal'], false, true],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': p.waterway, 'line-width': byZoom([[10, 0.5], [12, 1], [14, 2.5], [16, 5], [18, 10]]) },
    },
    {
      id: 'basemap-waterway-major',
      type: 'line',
      source: BASEMAP_SOURCE,
      'source-layer': 'waterway',
      minzoom: 7,
      filter: ['match', ['coalesce', ['get', 'river_type'], ''], ['river', 'canal'], true, false],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': p.waterway, 'line-width': byZoom([[7, 0.6], [10, 1.5], [12, 3], [14, 7], [16, 16], [18, 40]]) },
    },
    boundaryLine('basemap-boundary-village', 'village', 11, p.boundary.village, [[11, 0.5], [16, 1.2]], [3, 2]),
    boundaryLine('basemap-boundary-town', 'town', 8, p.boundary.town, [[8, 0.6], [12, 1.2], [16, 2]], [5, 2, 1, 2]),
    ...roadLayers(p),
    {
      id: 'basemap-boundary-county-halo',
      type: 'line',
      source: BASEMAP_SOURCE,
      'source-layer': 'boundary',
      filter: ['==', ['get', 'level'], 'county'],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': p.boundaryHalo, 'line-width': byZoom([[6, 3], [12, 7], [16, 12]], 1.2), 'line-blur': 1 },
    },
    boundaryLine('basemap-boundary-county', 'county', 0, p.boundary.county, [[6, 1], [12, 2], [16, 3]], [6, 2, 1.5, 2]),
    ...labelLayers(p, lang),
  ];
  return { glyphs: `${baseUrl}/fonts/{fontstack}/{range}.pbf`, sources: { [BASEMAP_SOURCE]: source }, layers };
}
