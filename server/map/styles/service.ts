import type { Db } from '../../platform/db.ts';
import { ident } from '../../platform/db.ts';
import { YituError } from '../../platform/errors.ts';
import type { HubService } from '../../hub/service.ts';
import { type Dataset, tableOf } from '../../hub/model.ts';
import { type Classification, classify, parseClassifyQuery } from './classify.ts';
import { type CompiledLayer, LABEL_FONT, compileLayerStyle } from './compile.ts';
import { type CategoryFact, companionOf, defaultStyle, defaultStylePlan, MAX_LAND_CLASSES } from './defaults.ts';
import type { LayerStyle } from './spec.ts';
import { DATA_MAX_ZOOM } from '../tiles/tile-math.ts';
import { checkStyle, geometryFamily } from './validate.ts';

/** A dataset's style as served: the style, whether it was stored, and its ETag. */
export interface DatasetStyle {
  dataset: string;
  style: LayerStyle;
  stored: boolean;
  etag: string;
}

/** Map languages. */
export type MapLang = 'zh' | 'en';

/** Reads the `lang` query parameter (zh by default). */
export function parseLang(raw: string | undefined): MapLang {
  if (raw === undefined || raw === '' || raw === 'zh' || raw === 'zh-CN') return 'zh';
  if (raw === 'en') return 'en';
  throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `lang must be zh or en; got "${raw.slice(0, 20)}".`);
}

/** Vector tiles are made up to this zoom (the tiles module's); MapLibre overzooms beyond it. */
export const TILE_MAX_ZOOM = DATA_MAX_ZOOM;

/** Options of the style service (fonts come from the fonts module once it is there). */
export interface StyleServiceOptions {
  font?: string;
}

/**
 * Dataset styles: the stored one or the default (by geometry type, theme and fields), their
 * classification from the data, and their compilation into MapLibre layers. Missing class breaks
 * and symbol scales are computed once from the data and stored with the style.
 */
export class StyleService {
  private defaults = new Map<string, { version: number; style: LayerStyle }>();
  private changes = 0;
  readonly font: string;

  constructor(
    private readonly db: Db,
    readonly hub: HubService,
    opts: StyleServiceOptions = {},
  ) {
    this.font = opts.font ?? LABEL_FONT;
    // A default depends on the data and the catalog entry (title, theme): forget it on any change.
    hub.onChange((id) => {
      this.defaults.delete(id);
      this.changes++;
    });
  }

  /** Grows whenever a style may have changed (a stored style, or a dataset): caches of compiled maps compare it. */
  get generation(): number {
    return this.changes;
  }

  /** A dataset that can be drawn (features with one geometry family), or a 404/400 naming the problem. */
  async drawable(id: string): Promise<Dataset> {
    const ds = await this.hub.getTable(id);
    if (!geometryFamily(ds.geometryType)) {
      throw new YituError('YITU_ERR_NOT_FOUND', `Dataset "${id}" has ${ds.geometryType ? `mixed geometries (${ds.geometryType})` : 'no geometry (a table)'}, so it has no map style.`);
    }
    return ds;
  }

  /** The dataset's style: stored, else its default (computed from the data, cached per version). */
  async get(id: string): Promise<DatasetStyle> {
    const ds = await this.drawable(id);
    return this.styleOf(ds);
  }

  /** The style of an already read dataset. */
  async styleOf(ds: Dataset): Promise<DatasetStyle> {
    const r = await this.db.query<{ style: unknown; revision: number }>('SELECT style, revision FROM yitu.dataset_styles WHERE dataset_id = $1', [ds.id]);
    const row = r.rows[0];
    if (row) {
      try {
        return { dataset: ds.id, style: checkStyle(row.style, ds), stored: true, etag: `"s${row.revision}"` };
      } catch {
        // The dataset changed under its stored style (a replace import dropped a field): fall back to the default.
      }
    }
    return { dataset: ds.id, style: await this.defaultOf(ds), stored: false, etag: `"d${ds.currentVersion}"` };
  }

  /** Stores a style (validated against the dataset; breaks and scales computed when missing). */
  async put(id: string, body: unknown, ifMatch?: string): Promise<DatasetStyle> {
    const ds = await this.drawable(id);
    const current = await this.styleOf(ds);
    if (ifMatch !== undefined && ifMatch.trim() !== '*' && !ifMatch.split(',').map((t) => t.trim()).includes(current.etag)) {
      throw new YituError('YITU_ERR_PRECONDITION_FAILED', `The style of "${id}" changed since you read it (If-Match ${ifMatch}, now ${current.etag}). Read it again, then repeat the change.`, { extra: { etag: current.etag } });
    }
    const style = await this.complete(ds, checkStyle(body, ds));
    const r = await this.db.query<{ revision: number }>(
      `INSERT INTO yitu.dataset_styles (dataset_id, style) VALUES ($1, $2::jsonb)
       ON CONFLICT (dataset_id) DO UPDATE SET style = EXCLUDED.style, revision = yitu.dataset_styles.revision + 1, updated_at = now()
       RETURNING revision`,
      [id, JSON.stringify(style)],
    );
    this.changes++;
    return { dataset: id, style, stored: true, etag: `"s${r.rows[0].revision}"` };
  }

  /** Forgets the stored style: the default applies again. */
  async remove(id: string): Promise<DatasetStyle> {
    const ds = await this.drawable(id);
    await this.db.query('DELETE FROM yitu.dataset_styles WHERE dataset_id = $1', [id]);
    this.changes++;
    return this.styleOf(ds);
  }

  /** Class breaks and counts of a numeric field. */
  async classify(id: string, query: Record<string, string>): Promise<Classification> {
    const ds = await this.hub.getTable(id);
    const p = parseClassifyQuery(query, ds);
    return classify(this.db, ds, p.field, p.method, p.classes);
  }

  /**
   * Fills what a style leaves to the data: graduated class breaks (by its method and classes; fewer
   * classes when the data has fewer distinct values), the largest value of proportional symbols and
   * heatmap weights.
   */
  async complete(ds: Dataset, s: LayerStyle): Promise<LayerStyle> {
    if (s.kind === 'graduated' && !s.breaks) {
      const c = await classify(this.db, ds, s.field, s.method, s.classes);
      if (c.classes >= 3) return { ...s, classes: c.classes, breaks: c.breaks, ...(s.colours ? { colours: s.colours.slice(0, c.classes) } : {}) };
      return s;
    }
    if (s.kind === 'proportional' && s.maxValue === undefined) return { ...s, maxValue: await this.maxOf(ds, s.field) };
    if (s.kind === 'heatmap' && s.weightField && s.maxWeight === undefined) return { ...s, maxWeight: await this.maxOf(ds, s.weightField) };
    return s;
  }

  /**
   * Compiles a dataset's style into a MapLibre fragment: one vector source, its layers, the legend.
   * With `given`, a style sent by the client is compiled instead of the dataset's (a saved map
   * layer's own spec, or one being edited): checked against the dataset, class breaks completed, its
   * labels replaced by `label` when given (null: none), the legend titled `title`; nothing is stored.
   */
  async styleJson(id: string, lang: MapLang, base: string, given?: { style?: unknown; label?: unknown; title?: string }): Promise<Record<string, unknown>> {
    const ds = await this.drawable(id);
    let style = given?.style ? await this.complete(ds, checkStyle(given.style, ds, 'style')) : (await this.styleOf(ds)).style;
    if (given && given.label !== undefined) style = checkStyle({ ...style, label: given.label }, ds, 'label');
    const compiled = this.compile(ds, style, { id: ds.id, source: ds.id, sourceLayer: ds.id, lang, ...(given?.title ? { title: given.title } : {}) });
    const source: Record<string, unknown> = {
      type: 'vector',
      tiles: [`${base}/collections/${ds.id}/tiles/WebMercatorQuad/{z}/{y}/{x}?${tileQuery(compiled)}`],
      minzoom: 0,
      maxzoom: TILE_MAX_ZOOM,
    };
    if (ds.bbox) source.bounds = ds.bbox;
    return {
      version: 8,
      name: (lang === 'en' ? ds.title.en : ds.title.zh) || ds.title.zh || ds.title.en || ds.id,
      metadata: { 'yitu:dataset': ds.id, 'yitu:style': style, 'yitu:legend': [compiled.legend] },
      glyphs: `${base}/fonts/{fontstack}/{range}.pbf`,
      sources: { [ds.id]: source },
      layers: compiled.layers,
    };
  }

  /** Compiles a style for one dataset with this service's font. */
  compile(ds: Dataset, style: LayerStyle, o: { id: string; source: string; sourceLayer: string; lang: MapLang; opacity?: number; visible?: boolean; title?: string }): CompiledLayer {
    const title = o.title ?? ((o.lang === 'en' ? ds.title.en : ds.title.zh) || ds.title.zh || ds.title.en || ds.id);
    const family = geometryFamily(ds.geometryType) ?? 'polygon';
    return compileLayerStyle(style, { ...o, family, columns: ds.columns, title, font: this.font });
  }

  private async defaultOf(ds: Dataset): Promise<LayerStyle> {
    const hit = this.defaults.get(ds.id);
    if (hit && hit.version === ds.currentVersion) return hit.style;
    const plan = defaultStylePlan(ds);
    const categories = plan.categoryField ? await this.categoryFacts(ds, plan.categoryField) : undefined;
    const style = await this.complete(ds, checkStyle(defaultStyle(ds, categories ? { categories } : {}), ds));
    if (this.defaults.size > 1000) this.defaults.clear();
    this.defaults.set(ds.id, { version: ds.currentVersion, style });
    return style;
  }

  private async categoryFacts(ds: Dataset, field: string): Promise<CategoryFact[]> {
    const companion = companionOf(ds, field);
    const other = companion ? `min(${ident(companion.name)}::text)` : 'NULL::text';
    const r = await this.db.query<{ value: string; n: number; companion: string | null }>(
      `SELECT ${ident(field)}::text AS value, count(*)::int8 AS n, ${other} AS companion FROM ${tableOf(ds.id)}
       WHERE _vto IS NULL AND ${ident(field)} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${MAX_LAND_CLASSES + 1}`,
    );
    return r.rows.map((x) => ({ value: x.value, count: Number(x.n), companion: x.companion }));
  }

  private async maxOf(ds: Dataset, field: string): Promise<number> {
    const r = await this.db.query<{ m: number | null }>(`SELECT max(${ident(field)}::float8) AS m FROM ${tableOf(ds.id)} WHERE _vto IS NULL`);
    const m = Number(r.rows[0]?.m);
    return Number.isFinite(m) && m > 0 ? m : 1;
  }
}

/** The tile URL query of a compiled layer: its attributes and aggregation. */
export function tileQuery(c: CompiledLayer): string {
  const q = new URLSearchParams({ properties: c.properties.join(',') });
  if (c.aggregate) {
    q.set('aggregate', 'h3');
    if (c.aggregate.field) q.set('aggregate-field', c.aggregate.field);
  }
  return q.toString().replace(/%2C/g, ',');
}
