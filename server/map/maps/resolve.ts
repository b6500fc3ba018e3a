import { YituError, isYituError } from '../../platform/errors.ts';
import type { Dataset } from '../../hub/model.ts';
import { DEFAULT_CRS } from '../../ogc/crs.ts';
import { compileDatasetFilter } from '../../ogc/items-query.ts';
import { Params } from '../../ogc/sql.ts';
import type { CompiledLayer, LegendGroup } from '../styles/compile.ts';
import type { MapLang, StyleService } from '../styles/service.ts';
import type { LayerStyle } from '../styles/spec.ts';
import { checkStyle, geometryFamily } from '../styles/validate.ts';
import type { MapLayer, SavedMap } from './model.ts';

/** Id prefix of a map layer's MapLibre layers (keeps them apart from the basemap's `basemap-…`). */
export const LAYER_PREFIX = 'layer-';
/** The vector source of a saved map's own tiles. */
export const MAP_SOURCE = 'yitu-map';

/** A map layer made ready to draw, or the reason it cannot be. */
export interface ResolvedLayer {
  layer: MapLayer;
  dataset: Dataset | null;
  style: LayerStyle | null;
  compiled: CompiledLayer | null;
  /** Why the layer is skipped (dataset removed, style no longer fits the data). */
  problem: string | null;
  missing: boolean;
}

/** Checks a CQL2 filter of a layer against its dataset (a 400 with the CQL2 error when it does not compile). */
export function checkFilter(ds: Dataset, filter: string, where: string): void {
  try {
    compileDatasetFilter(ds, filter, 'cql2-text', DEFAULT_CRS, new Params());
  } catch (e) {
    if (isYituError(e)) throw new YituError(e.code, `${where}: the filter does not compile: ${e.message}`, { cause: e, ...(e.errors ? { errors: e.errors } : {}) });
    throw e;
  }
}

/** The style a layer is drawn with: its own, else the dataset's; labels overridden by the layer's. */
async function layerStyle(styles: StyleService, ds: Dataset, layer: MapLayer, where: string): Promise<LayerStyle> {
  let style = layer.style ? await styles.complete(ds, checkStyle(layer.style, ds, where)) : (await styles.styleOf(ds)).style;
  if (layer.label !== undefined) style = checkStyle({ ...style, label: layer.label }, ds, where);
  return style;
}

/**
 * Validates the layers of a map being written: every dataset exists and can be drawn (a 400 naming
 * a missing one), every style fits its dataset, every filter compiles. Returns the layers with
 * their computed class breaks stored.
 */
export async function checkLayers(styles: StyleService, layers: MapLayer[], mayUse: (datasetId: string) => Promise<boolean> = async () => true): Promise<MapLayer[]> {
  const out: MapLayer[] = [];
  for (const [i, layer] of layers.entries()) {
    const where = `layers[${i}] ("${layer.id}")`;
    let ds: Dataset;
    try {
      // A dataset the map's author may not read is answered like a missing one.
      if (!(await mayUse(layer.dataset))) throw new YituError('YITU_ERR_DATASET_NOT_FOUND', layer.dataset);
      ds = await styles.hub.getTable(layer.dataset);
    } catch (e) {
      if (isYituError(e) && e.code === 'YITU_ERR_DATASET_NOT_FOUND') {
        throw new YituError('YITU_ERR_MAP_INVALID', `${where} names the dataset "${layer.dataset}", which does not exist (or is a statistical table). List datasets with GET /collections.`);
      }
      throw e;
    }
    if (!geometryFamily(ds.geometryType)) throw new YituError('YITU_ERR_MAP_INVALID', `${where}: dataset "${ds.id}" has no single geometry type (${ds.geometryType ?? 'no geometry'}), so it cannot be a map layer.`);
    const style = layer.style ? await styles.complete(ds, checkStyle(layer.style, ds, where)) : null;
    if (layer.label) checkStyle({ ...(style ?? { kind: 'simple' }), label: layer.label }, ds, where);
    if (layer.filter) checkFilter(ds, layer.filter, where);
    out.push({ ...layer, style });
  }
  return out;
}

/** Resolves every layer of a map for drawing; a missing dataset or a broken style skips the layer, never the map. */
export async function resolveLayers(styles: StyleService, map: SavedMap, lang: MapLang): Promise<ResolvedLayer[]> {
  const out: ResolvedLayer[] = [];
  for (const layer of map.layers) {
    const where = `layer "${layer.id}"`;
    let ds: Dataset | null = null;
    try {
      ds = await styles.hub.getTable(layer.dataset);
    } catch (e) {
      if (!(isYituError(e) && e.code === 'YITU_ERR_DATASET_NOT_FOUND')) throw e;
      out.push({ layer, dataset: null, style: null, compiled: null, missing: true, problem: `dataset "${layer.dataset}" no longer exists` });
      continue;
    }
    try {
      if (!geometryFamily(ds.geometryType)) throw new YituError('YITU_ERR_MAP_INVALID', `dataset "${ds.id}" has no single geometry type`);
      const style = await layerStyle(styles, ds, layer, where);
      const title = (layer.legendTitle?.[lang] || layer.legendTitle?.zh || layer.legendTitle?.en) ?? undefined;
      const compiled = styles.compile(ds, style, {
        id: `${LAYER_PREFIX}${layer.id}`, source: MAP_SOURCE, sourceLayer: layer.id, lang, opacity: layer.opacity, visible: layer.visible, ...(title ? { title } : {}),
      });
      compiled.legend.id = layer.id;
      out.push({ layer, dataset: ds, style, compiled, missing: false, problem: null });
    } catch (e) {
      if (!isYituError(e)) throw e;
      out.push({ layer, dataset: ds, style: null, compiled: null, missing: false, problem: e.message });
    }
  }
  return out;
}

/** The legend of the drawable, visible layers, top layer first (as a legend panel lists them). */
export function legendOf(resolved: ResolvedLayer[]): LegendGroup[] {
  return resolved.filter((r) => r.compiled && r.layer.visible).map((r) => r.compiled!.legend).reverse();
}
