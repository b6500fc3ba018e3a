import type { Config } from '../../platform/config.ts';
import { isYituError } from '../../platform/errors.ts';
import type { TileLayerRequest, TileResponse, TileService } from '../tiles/service.ts';
import type { ResolvedSource } from '../tiles/sources.ts';
import { onlineBasemapOf, onlineStyleParts, type OnlineBasemap } from './online.ts';
import type { BasemapTheme } from './palette.ts';
import { basemapLayerPlan, type DatasetLayer, parseBasemapDatasets, registerBasemapSources } from './sources.ts';
import { BASEMAP_MAX_ZOOM, basemapStyle } from './style.ts';

export { DATASET_LAYERS, type DatasetLayer, parseBasemapDatasets } from './sources.ts';

/** A basemap on offer (`GET /basemaps`). */
export interface BasemapInfo {
  id: 'offline' | 'xyz';
  type: 'vector' | 'raster';
  title: { zh: string; en: string };
  /** A complete MapLibre style of this basemap (`lang` and `theme` may be added to its query). */
  style: string;
  /** Themes of the style (`?theme=`). */
  themes: BasemapTheme[];
  attribution: string;
  /** The datasets the offline basemap is built from (null: none configured). */
  datasets?: Record<DatasetLayer, string | null>;
}

/** Options of {@link BasemapService.style}. */
export interface StyleRequest {
  baseUrl: string;
  lang: 'zh' | 'en';
  theme: BasemapTheme;
  basemap: 'offline' | 'xyz';
}

/**
 * The basemaps on offer and the offline one's style and tiles. The offline basemap is one vector
 * tile per address holding `water` (lakes and reservoirs) and `water_label` (a point on each),
 * `waterway` (rivers), `road`, `boundary` (region polygons) and `place` (a label point per
 * region), each with only the attributes the style uses, built by the tile service from the
 * datasets named in the configuration (see `sources.ts`). A missing dataset just leaves its layer
 * out, so an install without the demo's layers still gets boundaries and place names.
 */
export class BasemapService {
  /** The online basemap, when configured. */
  readonly online: OnlineBasemap | null;
  /** Which dataset feeds which layer. */
  readonly datasets: Record<DatasetLayer, string | null>;

  constructor(
    private readonly tiles: TileService,
    config: Pick<Config, 'basemapUrl' | 'basemapAttribution' | 'basemapName' | 'basemapDatasets'>,
  ) {
    this.online = onlineBasemapOf(config);
    this.datasets = parseBasemapDatasets(config.basemapDatasets);
    registerBasemapSources(tiles, this.datasets);
  }

  /** The basemaps on offer, with absolute style URLs under `baseUrl`. */
  list(baseUrl: string): BasemapInfo[] {
    const out: BasemapInfo[] = [
      {
        id: 'offline',
        type: 'vector',
        title: { zh: '离线矢量底图', en: 'Offline vector basemap' },
        style: `${baseUrl}/basemap/style.json`,
        themes: ['light', 'dark'],
        attribution: 'Yitu',
        datasets: this.datasets,
      },
    ];
    if (this.online) {
      out.push({
        id: 'xyz',
        type: 'raster',
        title: this.online.title,
        style: `${baseUrl}/basemap/style.json?basemap=xyz`,
        themes: ['light'],
        attribution: this.online.attribution,
      });
    }
    return out;
  }

  /** Where the county is: the extent of the regions, or null when there are none. */
  async bounds(): Promise<[number, number, number, number] | null> {
    return (await this.tiles.resolve('regions')).bbox;
  }

  /** A complete MapLibre style (version 8) of the offline or the online basemap. */
  async style(req: StyleRequest): Promise<Record<string, unknown>> {
    const bounds = await this.bounds();
    const view = viewOf(bounds);
    const name = req.lang === 'zh' ? 'Yitu 底图' : 'Yitu basemap';
    if (req.basemap === 'xyz' && this.online) {
      const parts = onlineStyleParts(this.online);
      return {
        version: 8,
        name: `${name} (${req.lang === 'zh' ? this.online.title.zh : this.online.title.en})`,
        ...view,
        glyphs: `${req.baseUrl}/fonts/{fontstack}/{range}.pbf`,
        sources: parts.sources,
        layers: [{ id: 'basemap-background', type: 'background', paint: { 'background-color': '#ebe9e4' } }, ...parts.layers],
      };
    }
    const parts = basemapStyle({ baseUrl: req.baseUrl, lang: req.lang, theme: req.theme, bounds });
    return { version: 8, name, metadata: { 'yitu:basemap': 'offline', 'yitu:theme': req.theme }, ...view, ...parts };
  }

  /** The layers of the basemap tile at zoom `z`: those whose dataset exists, with the attributes it has. */
  async layerRequests(z: number): Promise<TileLayerRequest[]> {
    const out: TileLayerRequest[] = [];
    for (const l of basemapLayerPlan(z, this.datasets)) {
      let src: ResolvedSource;
      try {
        src = await this.tiles.resolve(l.source);
      } catch (e) {
        if (isYituError(e) && e.status === 404) continue; // the dataset is missing: leave its layer out
        throw e;
      }
      const cols = new Set(src.columns.map((c) => c.name));
      out.push({ name: l.name, source: l.source, properties: l.properties.filter((c) => cols.has(c)) });
    }
    return out;
  }

  /** One tile of the offline basemap (empty tile: zero-length body). */
  async tile(z: number, x: number, y: number, opts: { gzip?: boolean } = {}): Promise<TileResponse> {
    return this.tiles.getTile(await this.layerRequests(z), z, x, y, opts);
  }
}

/** A view that shows the whole extent (MapLibre's 512 px tiles, about 1000 px across). */
function viewOf(bounds: [number, number, number, number] | null): { center: [number, number]; zoom: number } {
  if (!bounds) return { center: [105, 35], zoom: 3.5 };
  const [w, s, e, n] = bounds;
  const span = Math.max(e - w, (n - s) * 1.2, 1e-6);
  const zoom = Math.log2((1000 * 360) / (512 * span));
  return { center: [round((w + e) / 2), round((s + n) / 2)], zoom: Math.max(0, Math.min(BASEMAP_MAX_ZOOM, Math.floor(zoom * 10) / 10)) };
}

function round(v: number): number {
  return Math.round(v * 1e5) / 1e5;
}
