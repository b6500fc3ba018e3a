/**
 * The tile sources the offline basemap registers with the tile service, and which of them a tile
 * of each zoom is made of. Each is a view of a dataset or of the regions narrowed to what the
 * style draws at that zoom (trunk roads and main rivers when zoomed out, village boundaries and
 * names only when zoomed in), so tiles stay small without any filter language in between.
 */
import { ident } from '../../platform/db.ts';
import { YituError } from '../../platform/errors.ts';
import type { TileService } from '../tiles/service.ts';
import type { ResolvedSource, TileSource } from '../tiles/sources.ts';

/** The basemap layers fed by a dataset. */
export const DATASET_LAYERS = ['water', 'waterway', 'road'] as const;
/** A basemap layer fed by a dataset. */
export type DatasetLayer = (typeof DATASET_LAYERS)[number];

/** Parses `water=lakes_reservoirs,waterway=rivers,road=roads` (config `basemapDatasets`). */
export function parseBasemapDatasets(text: string): Record<DatasetLayer, string | null> {
  const out: Record<DatasetLayer, string | null> = { water: null, waterway: null, road: null };
  for (const part of text.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if ((DATASET_LAYERS as readonly string[]).includes(k)) out[k as DatasetLayer] = v || null;
  }
  return out;
}

/** One layer of a basemap tile: its name in the tile, its source and the attributes it wants. */
export interface PlannedLayer {
  name: string;
  source: string;
  /** Wanted attributes; those the dataset lacks are left out. */
  properties: string[];
}

/** Road classes (the demo's `road_class`) and the zoom each is drawn from, as in the style. */
const ROAD_MINZOOM: Record<string, number> = { expressway: 6, national: 7, provincial: 8, county: 9 };
/** From this zoom on every road is drawn (and named). */
const ALL_ROADS_FROM = 11;
const MAJOR_RIVERS = ['river', 'canal'];
/** Lines and water get their names from this zoom on (the style's label layers start there). */
const NAMES_FROM = 11;
const LEVEL_SETS = { county: ['county'], town: ['county', 'town'], village: ['county', 'town', 'village'] } as const;

function levelsAt(z: number, kind: 'boundary' | 'place'): keyof typeof LEVEL_SETS {
  const [town, village] = kind === 'boundary' ? [8, 11] : [9, 12];
  return z >= village ? 'village' : z >= town ? 'town' : 'county';
}

/** The id of a view of a dataset: `basemap:road_z9:roads` (one per dataset, so configurations never collide). */
function viewId(view: string, datasetId: string): string {
  return `basemap:${view}:${datasetId}`;
}

function quoteList(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
}

/**
 * A view of a base source (a dataset, or `regions` / `region_labels`): only the rows whose text
 * `column` is one of `values` (every row when the source has no such text column), optionally one
 * label point per feature. It is not the dataset itself, so drawing the basemap does not count as a
 * use of the dataset; the tile service still evicts its tiles when the dataset changes.
 */
function viewSource(tiles: TileService, id: string, base: string, opts: { column?: string; values?: readonly string[]; labelPoints?: boolean }): TileSource {
  return {
    id,
    // The tile service keeps the base source's resolution for a second: share it.
    resolve: async (): Promise<ResolvedSource> => {
      const src = await tiles.resolve(base);
      // The basemap is drawn for everyone, signed in or not: only public datasets feed it. A
      // restricted one is left out like a missing one (and the view's URL answers 404).
      if (src.dataset && src.dataset.classification !== 'public') {
        throw new YituError('YITU_ERR_NOT_FOUND', `Basemap view ${id} is not available: its dataset is not public.`);
      }
      const col = opts.column ? src.columns.find((c) => c.name === opts.column && c.type === 'text') : undefined;
      const where = col && opts.values ? `${src.where} AND t.${ident(col.name)} IN (${quoteList(opts.values)})` : src.where;
      const points = opts.labelPoints ? { geomSql: `ST_PointOnSurface(${src.geomSql})`, geometryType: 'Point' } : {};
      return { ...src, id, dataset: undefined, where, ...points };
    },
  };
}

/** Registers the basemap's sources with the tile service (ids `basemap:…:…`, which no dataset can have). */
export function registerBasemapSources(tiles: TileService, datasets: Record<DatasetLayer, string | null>): void {
  for (const [top, levels] of Object.entries(LEVEL_SETS)) {
    tiles.register(viewSource(tiles, `basemap:boundary:${top}`, 'regions', { column: 'level', values: levels }));
    tiles.register(viewSource(tiles, `basemap:place:${top}`, 'region_labels', { column: 'level', values: levels }));
  }
  const { water, waterway, road } = datasets;
  if (water) {
    tiles.register(viewSource(tiles, viewId('water', water), water, {}));
    tiles.register(viewSource(tiles, viewId('water_label', water), water, { labelPoints: true }));
  }
  if (waterway) {
    tiles.register(viewSource(tiles, viewId('waterway_major', waterway), waterway, { column: 'river_type', values: MAJOR_RIVERS }));
    tiles.register(viewSource(tiles, viewId('waterway', waterway), waterway, {}));
  }
  if (road) {
    for (let z = 6; z < ALL_ROADS_FROM; z++) {
      const classes = Object.keys(ROAD_MINZOOM).filter((c) => ROAD_MINZOOM[c] <= z);
      tiles.register(viewSource(tiles, viewId(`road_z${z}`, road), road, { column: 'road_class', values: classes }));
    }
    tiles.register(viewSource(tiles, viewId('road', road), road, {}));
  }
}

/** The layers of a basemap tile at zoom `z` (those of unconfigured datasets left out). */
export function basemapLayerPlan(z: number, datasets: Record<DatasetLayer, string | null>): PlannedLayer[] {
  const names = z >= NAMES_FROM;
  const { water, waterway, road } = datasets;
  const out: PlannedLayer[] = [];
  if (water) {
    out.push({ name: 'water', source: viewId('water', water), properties: ['water_type'] });
    if (names) out.push({ name: 'water_label', source: viewId('water_label', water), properties: ['name', 'name_en'] });
  }
  if (waterway && z >= 7) {
    out.push({ name: 'waterway', source: viewId(z < 10 ? 'waterway_major' : 'waterway', waterway), properties: names ? ['name', 'name_en', 'river_type'] : ['river_type'] });
  }
  if (road && z >= 6) {
    out.push({ name: 'road', source: viewId(z < ALL_ROADS_FROM ? `road_z${z}` : 'road', road), properties: names ? ['name', 'name_en', 'ref', 'road_class'] : ['road_class'] });
  }
  out.push({ name: 'boundary', source: `basemap:boundary:${levelsAt(z, 'boundary')}`, properties: ['level'] });
  out.push({ name: 'place', source: `basemap:place:${levelsAt(z, 'place')}`, properties: ['level', 'name_zh', 'name_en'] });
  return out;
}
