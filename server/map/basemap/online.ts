/**
 * The optional online basemap: raster XYZ or WMTS tiles from a URL in the configuration
 * (`YITU_BASEMAP_URL`, e.g. Tianditu with a key). Yitu never needs it; it is offered beside the
 * offline basemap when configured.
 */
import { YituError } from '../../platform/errors.ts';

/** An online basemap as configured. */
export interface OnlineBasemap {
  /** MapLibre raster tile URL templates ({z}, {x}, {y}), drawn in order. */
  tiles: string[];
  attribution: string;
  title: { zh: string; en: string };
}

/** The largest zoom online raster tiles are asked for (Tianditu and most XYZ services stop at 18). */
const ONLINE_MAX_ZOOM = 18;

/**
 * Reads the online basemap from the configuration: URL templates separated by spaces. WMTS
 * placeholders ({TileMatrix}, {TileCol}, {TileRow}, any case) become MapLibre's {z}, {x}, {y};
 * a template without all three is a configuration error naming it.
 */
export function onlineBasemapOf(config: { basemapUrl?: string | undefined; basemapAttribution: string; basemapName: string }): OnlineBasemap | null {
  const raw = config.basemapUrl?.trim();
  if (!raw) return null;
  const tiles = raw.split(/\s+/).map((u) =>
    u.replace(/\{tilematrix\}/gi, '{z}').replace(/\{tilecol\}/gi, '{x}').replace(/\{tilerow\}/gi, '{y}'),
  );
  for (const t of tiles) {
    if (!/^https?:\/\//.test(t) || !t.includes('{z}') || !t.includes('{x}') || !t.includes('{y}')) {
      throw new YituError(
        'YITU_ERR_CONFIG_INVALID',
        `YITU_BASEMAP_URL: "${t.slice(0, 120)}" is not a tile URL template: it needs {z}, {x} and {y} (XYZ) or {TileMatrix}, {TileCol} and {TileRow} (WMTS), e.g. https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=YOUR_KEY.`,
      );
    }
  }
  const name = config.basemapName.trim();
  return { tiles, attribution: config.basemapAttribution, title: name ? { zh: name, en: name } : { zh: '在线底图', en: 'Online basemap' } };
}

/** MapLibre sources and layers of the online basemap: one raster source and layer per template. */
export function onlineStyleParts(online: OnlineBasemap): { sources: Record<string, unknown>; layers: Record<string, unknown>[] } {
  const sources: Record<string, unknown> = {};
  const layers: Record<string, unknown>[] = [];
  online.tiles.forEach((url, i) => {
    const id = `basemap-xyz-${i}`;
    sources[id] = { type: 'raster', tiles: [url], tileSize: 256, maxzoom: ONLINE_MAX_ZOOM, ...(online.attribution && i === 0 ? { attribution: online.attribution } : {}) };
    layers.push({ id, type: 'raster', source: id });
  });
  return { sources, layers };
}
