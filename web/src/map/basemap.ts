import type { StyleSpecification } from 'maplibre-gl';
import { apiOrNull } from '../app/api.ts';
import type { BasemapInfo } from '../app/api-types.ts';
import type { Lang } from '../i18n/i18n.ts';
import { absolute } from './map-instance.ts';

/** Source and layer ids that belong to the basemap carry this prefix (the contract's `basemap-`). */
export const BASEMAP_PREFIX = 'basemap';

/** The style used when the server offers no basemap: a plain background and the server's glyphs. */
export function emptyStyle(): StyleSpecification {
  return {
    version: 8,
    glyphs: absolute('/fonts/{fontstack}/{range}.pbf'),
    sources: {},
    layers: [{ id: 'basemap-background', type: 'background', paint: { 'background-color': '#eef1f4' } }],
  };
}

/** Raster basemap style from an XYZ template (e.g. Tianditu with a key, from the server's config). */
function rasterStyle(tiles: string[], attribution?: string): StyleSpecification {
  const s = emptyStyle();
  s.sources['basemap-raster'] = { type: 'raster', tiles: tiles.map(absolute), tileSize: 256, ...(attribution ? { attribution } : {}) };
  s.layers.push({ id: 'basemap-raster', type: 'raster', source: 'basemap-raster' });
  return s;
}

/** Makes every URL of a style absolute and prefixes its ids, so that layers added later can tell them apart. */
function normalise(style: StyleSpecification): StyleSpecification {
  const sources: StyleSpecification['sources'] = {};
  const rename = (id: string) => (id.startsWith(BASEMAP_PREFIX) ? id : `${BASEMAP_PREFIX}-${id}`);
  for (const [id, src] of Object.entries(style.sources ?? {})) {
    const s = { ...src } as Record<string, unknown>;
    if (typeof s.url === 'string') s.url = absolute(s.url);
    if (Array.isArray(s.tiles)) s.tiles = (s.tiles as string[]).map(absolute);
    if (typeof s.data === 'string') s.data = absolute(s.data);
    sources[rename(id)] = s as never;
  }
  const layers = (style.layers ?? []).map((l) => ({ ...l, id: rename(l.id), ...('source' in l && typeof l.source === 'string' ? { source: rename(l.source) } : {}) })) as StyleSpecification['layers'];
  return { ...style, glyphs: style.glyphs ? absolute(style.glyphs) : emptyStyle().glyphs, ...(style.sprite && typeof style.sprite === 'string' ? { sprite: absolute(style.sprite) } : {}), sources, layers };
}

/** The basemaps the server offers (`/basemaps`); the offline one when the list is not available. */
export async function listBasemaps(): Promise<BasemapInfo[]> {
  const r = await apiOrNull<{ basemaps: BasemapInfo[] } | BasemapInfo[]>('/basemaps').catch(() => null);
  const list = Array.isArray(r) ? r : r?.basemaps;
  return list?.length ? list : [{ id: 'offline', title: { zh: '离线矢量底图', en: 'Offline vector' }, type: 'vector' }];
}

/** Loads the style of a basemap in a language ('none': background only). */
export async function loadBasemapStyle(info: BasemapInfo | undefined, lang: Lang): Promise<StyleSpecification> {
  if (!info || info.id === 'none') return emptyStyle();
  const raw = info as unknown as Record<string, unknown>;
  const tiles = (raw.tiles as string[] | undefined) ?? (typeof raw.tileUrl === 'string' ? [raw.tileUrl] : undefined) ?? (info.type === 'raster' && info.url ? [info.url] : undefined);
  if (tiles) return rasterStyle(tiles, raw.attribution as string | undefined);
  const styleUrl = info.styleUrl ?? info.style ?? (info.type === 'raster' ? undefined : info.url) ?? '/basemap/style.json';
  const url = new URL(styleUrl, window.location.href);
  url.searchParams.set('lang', lang);
  const style = await apiOrNull<StyleSpecification>(url.pathname + url.search).catch(() => null);
  return style ? normalise(style) : emptyStyle();
}
