/**
 * Compiles a thematic layer style into MapLibre GL style layers, the legend that explains them and
 * the tile request they need (attributes, aggregation). Pure: no database, no I/O.
 */
import type { DatasetColumn } from '../../hub/model.ts';
import { columnDisplayTitle } from '../../hub/column-titles.ts';
import { rampColours } from './palettes.ts';
import type { LayerStyle, Symbol } from './spec.ts';
import { DATA_MAX_ZOOM, h3ResolutionForZoom } from '../tiles/tile-math.ts';
import type { GeometryFamily } from './validate.ts';
import { styleFields } from './validate.ts';
import {
  type Expr, classColours, classLabels, darker, defaultCountBreaks, formatNumber, labelText, mainColour, matchExpr, stepExpr, textOf,
} from './expressions.ts';

/** Fontstack of labels when the fonts module does not say otherwise. */
export const LABEL_FONT = 'Noto Sans Regular';

/** What compiling needs to know besides the style. */
export interface CompileContext {
  /** Prefix of the MapLibre layer ids (a map layer id or a dataset id). */
  id: string;
  /** MapLibre source id and the layer name inside its tiles. */
  source: string;
  sourceLayer: string;
  family: GeometryFamily;
  lang: 'zh' | 'en';
  columns: DatasetColumn[];
  /** Legend title (the layer's or dataset's title in `lang`). */
  title: string;
  /** Extra opacity of the map layer, multiplied in. */
  opacity?: number;
  visible?: boolean;
  font?: string;
}

/** One entry of a legend. */
export interface LegendEntry {
  label: string;
  colour: string;
  shape: 'fill' | 'line' | 'circle' | 'extrusion' | 'gradient';
  /** Line width or circle radius in pixels. */
  size?: number;
  stroke?: string;
  /** Colours of a gradient entry (heatmaps). */
  colours?: string[];
}

/** The legend of one layer. */
export interface LegendGroup {
  id: string;
  title: string;
  /** The field the style shows, and its title. */
  field?: string;
  fieldTitle?: string;
  entries: LegendEntry[];
}

/** A compiled layer: MapLibre layers, the legend, and what the tiles must carry. */
export interface CompiledLayer {
  layers: Record<string, unknown>[];
  legend: LegendGroup;
  /** Attributes the layers read (the tile request's `properties`). */
  properties: string[];
  aggregate?: { kind: 'h3'; field?: string };
}

const OTHER = { zh: '其他', en: 'Other' };
const NOT_CLUSTER = ['!', ['has', 'point_count']];

/** A field's title in the legend's language (its display title, else the original name). */
function fieldTitle(ctx: CompileContext, field: string): string {
  const c = ctx.columns.find((x) => x.name === field);
  return c ? columnDisplayTitle(c, ctx.lang) : field;
}

/** Compiles one layer style. */
export function compileLayerStyle(s: LayerStyle, ctx: CompileContext): CompiledLayer {
  const op = s.opacity * (ctx.opacity ?? 1);
  // H3 layers are hexagons whatever the dataset's geometry.
  const family: GeometryFamily = s.kind === 'h3' ? 'polygon' : ctx.family;
  const base = (suffix: string, type: string, extra: Record<string, unknown>): Record<string, unknown> => {
    const layer: Record<string, unknown> = { id: `${ctx.id}-${suffix}`, type, source: ctx.source, 'source-layer': ctx.sourceLayer };
    if (s.minZoom > 0) layer.minzoom = s.minZoom;
    if (s.maxZoom < 24) layer.maxzoom = s.maxZoom;
    Object.assign(layer, extra);
    if (ctx.visible === false) layer.layout = { ...(layer.layout as object | undefined), visibility: 'none' };
    return layer;
  };
  const legend: LegendGroup = { id: ctx.id, title: ctx.title, entries: [] };
  const out: CompiledLayer = { layers: [], legend, properties: styleFields(s) };
  const clustered = family === 'point' && s.kind !== 'heatmap' && s.kind !== 'h3';

  // Colour and size per feature, and legend entries, of the colour-based kinds.
  let colour: Expr = mainColour(s);
  let size: Expr | undefined;
  let filter: Expr | undefined;
  let symbol: Symbol = {};
  switch (s.kind) {
    case 'simple':
      symbol = s.symbol;
      legend.entries.push(entry(ctx, s.symbol, mainColour(s), ctx.title));
      break;
    case 'categories': {
      symbol = s.symbol;
      const fallback = s.other ? s.other.colour : 'rgba(0,0,0,0)';
      colour = matchExpr(s.field, s.items.map((it) => [String(it.value), it.colour]), fallback);
      if (s.items.some((it) => it.size !== undefined)) {
        const dflt = s.symbol.size ?? (family === 'line' ? 1.5 : 5);
        size = matchExpr(s.field, s.items.map((it) => [String(it.value), it.size ?? dflt]), dflt);
      }
      if (!s.other) filter = ['match', textOf(s.field), s.items.map((it) => String(it.value)), true, false];
      legend.field = s.field;
      legend.fieldTitle = fieldTitle(ctx, s.field);
      for (const it of s.items) legend.entries.push(entry(ctx, { ...s.symbol, size: it.size ?? s.symbol.size }, it.colour, it.label?.[ctx.lang] || it.label?.zh || it.label?.en || String(it.value)));
      if (s.other) legend.entries.push(entry(ctx, s.symbol, s.other.colour, s.other.label?.[ctx.lang] || OTHER[ctx.lang]));
      break;
    }
    case 'graduated':
    case 'h3': {
      symbol = s.symbol;
      const colours = classColours(s);
      const value = s.kind === 'h3' ? ['to-number', ['get', s.stat], 0] : ['to-number', ['get', s.field]];
      const breaks = s.breaks ?? (s.kind === 'h3' && s.stat === 'count' ? defaultCountBreaks(s.classes) : undefined);
      if (breaks) {
        colour = s.kind === 'h3' && s.stat !== 'avg' ? h3ZoomSteps(value, breaks, colours, s.referenceZoom) : stepExpr(value, breaks, colours);
        classLabels(breaks).forEach((label, i) => legend.entries.push(entry(ctx, s.symbol, colours[i], label, s.kind === 'h3' ? 'fill' : undefined)));
      } else {
        // Not classified yet (no data): one middle colour, so the layer still shows.
        legend.entries.push(entry(ctx, s.symbol, colours[Math.floor(colours.length / 2)], ctx.title));
      }
      if (s.kind === 'graduated') {
        filter = ['has', s.field];
        legend.field = s.field;
        legend.fieldTitle = fieldTitle(ctx, s.field);
      } else {
        out.aggregate = s.field ? { kind: 'h3', field: s.field } : { kind: 'h3' };
        legend.field = s.stat;
        const what = s.stat === 'count' ? (ctx.lang === 'zh' ? '数量' : 'Count') : `${fieldTitle(ctx, s.field ?? '')} (${s.stat})`;
        legend.fieldTitle = s.stat === 'avg' ? what : ctx.lang === 'zh' ? `${what}（每六边形，${s.referenceZoom} 级）` : `${what} per hexagon (zoom ${s.referenceZoom})`;
      }
      break;
    }
    case 'proportional': {
      symbol = s.symbol;
      const max = s.maxValue ?? 1;
      size = ['interpolate', ['linear'], ['sqrt', ['max', 0, ['to-number', ['get', s.field], 0]]], 0, s.minRadius, Math.sqrt(max), s.maxRadius];
      filter = ['has', s.field];
      legend.field = s.field;
      legend.fieldTitle = fieldTitle(ctx, s.field);
      for (const f of [1, 0.25, 0.0625]) {
        const r = s.minRadius + (s.maxRadius - s.minRadius) * Math.sqrt(f);
        legend.entries.push({ label: formatNumber(max * f, max / 100), colour: mainColour(s), shape: 'circle', size: Math.round(r * 10) / 10, stroke: s.symbol.stroke ?? '#ffffff' });
      }
      break;
    }
    case 'heatmap': {
      const colours = rampColours(s.ramp, 6);
      const weight: Expr = s.weightField
        ? ['interpolate', ['linear'], ['to-number', ['get', s.weightField], 0], 0, 0, s.maxWeight ?? 1, 1]
        : 1;
      out.layers.push(base('heatmap', 'heatmap', {
        paint: {
          // Cluster features stand for point_count points.
          'heatmap-weight': ['*', weight, ['coalesce', ['get', 'point_count'], 1]],
          'heatmap-radius': s.radius,
          'heatmap-intensity': s.intensity,
          'heatmap-opacity': op,
          'heatmap-color': ['interpolate', ['linear'], ['heatmap-density'], 0, 'rgba(0,0,0,0)', ...colours.slice(1).flatMap((c, i) => [(i + 1) / (colours.length - 1), c])],
        },
      }));
      legend.entries.push({ label: ctx.lang === 'zh' ? '低 → 高' : 'low → high', colour: colours[colours.length - 1], shape: 'gradient', colours: colours.slice(1) });
      if (s.weightField) {
        legend.field = s.weightField;
        legend.fieldTitle = fieldTitle(ctx, s.weightField);
      }
      return out;
    }
    case 'extrusion':
      out.layers.push(base('extrusion', 'fill-extrusion', {
        paint: {
          'fill-extrusion-color': s.colour,
          'fill-extrusion-height': ['+', s.base, ['*', ['to-number', ['get', s.heightField], 0], s.multiplier]],
          'fill-extrusion-base': s.base,
          'fill-extrusion-opacity': Math.min(1, op * 0.9),
        },
      }));
      legend.field = s.heightField;
      legend.fieldTitle = fieldTitle(ctx, s.heightField);
      legend.entries.push({ label: `${legend.fieldTitle} × ${s.multiplier} m`, colour: s.colour, shape: 'extrusion' });
      addLabel(out, s, ctx, base, false);
      return out;
  }

  const withFilter = (f: Expr | undefined) => {
    const parts = [clustered ? NOT_CLUSTER : undefined, f].filter((x) => x !== undefined);
    return parts.length === 0 ? {} : { filter: parts.length === 1 ? parts[0] : ['all', ...parts] };
  };
  if (family === 'polygon') {
    out.layers.push(base('fill', 'fill', { ...withFilter(filter), paint: { 'fill-color': colour, 'fill-opacity': (symbol.fillOpacity ?? 0.7) * op } }));
    const width = symbol.strokeWidth ?? (s.kind === 'simple' ? 1 : 0.5);
    if (width > 0) {
      const stroke = symbol.stroke ?? (s.kind === 'simple' ? darker(mainColour(s)) : '#ffffff');
      const paint: Record<string, unknown> = { 'line-color': stroke, 'line-width': width, 'line-opacity': (symbol.strokeOpacity ?? 1) * op };
      if (symbol.dash) paint['line-dasharray'] = symbol.dash;
      out.layers.push(base('outline', 'line', { ...withFilter(filter), layout: { 'line-join': 'round' }, paint }));
    }
  } else if (family === 'line') {
    const paint: Record<string, unknown> = { 'line-color': colour, 'line-width': size ?? symbol.size ?? 1.5, 'line-opacity': (symbol.fillOpacity ?? 1) * op };
    if (symbol.dash) paint['line-dasharray'] = symbol.dash;
    out.layers.push(base('line', 'line', { ...withFilter(filter), layout: { 'line-join': 'round', 'line-cap': 'round' }, paint }));
  } else {
    if (clustered) addClusters(out, s, ctx, base, op);
    out.layers.push(base('circle', 'circle', {
      ...withFilter(filter),
      paint: {
        'circle-color': colour,
        'circle-radius': size ?? symbol.size ?? 5,
        'circle-opacity': (symbol.fillOpacity ?? 0.9) * op,
        'circle-stroke-color': symbol.stroke ?? '#ffffff',
        'circle-stroke-width': symbol.strokeWidth ?? 1,
        'circle-stroke-opacity': (symbol.strokeOpacity ?? 1) * op,
      },
    }));
  }
  addLabel(out, s, ctx, base, clustered, filter);
  return out;
}

type LayerMaker = (suffix: string, type: string, extra: Record<string, unknown>) => Record<string, unknown>;

/**
 * Colours of H3 counts and sums across zooms. The tiles aggregate into hexagons of a constant
 * screen size, so a hexagon holds about 7 times as much one resolution coarser: breaks given at
 * the reference zoom are scaled by 7^(res(reference) − res(zoom)), one `step` per resolution.
 */
function h3ZoomSteps(value: Expr, breaks: number[], colours: string[], referenceZoom: number): Expr {
  const ref = h3ResolutionForZoom(referenceZoom);
  const steps: Expr[] = [];
  let last = -1;
  for (let z = 0; z <= DATA_MAX_ZOOM; z++) {
    const res = h3ResolutionForZoom(z);
    if (res === last) continue;
    last = res;
    const k = 7 ** (ref - res);
    const scaled = stepExpr(value, breaks.map((b) => Number((b * k).toPrecision(6))), colours);
    steps.push(...(z === 0 ? [scaled] : [z, scaled]));
  }
  return steps.length === 1 ? steps[0] : ['step', ['zoom'], ...steps];
}

function entry(ctx: CompileContext, sym: Symbol, colour: string, label: string, shape?: LegendEntry['shape']): LegendEntry {
  const e: LegendEntry = { label, colour, shape: shape ?? (ctx.family === 'polygon' ? 'fill' : ctx.family === 'line' ? 'line' : 'circle') };
  if (sym.size !== undefined) e.size = sym.size;
  if (sym.stroke) e.stroke = sym.stroke;
  return e;
}

/** Points grouped by the tiles at low zoom (`point_count`): a circle sized by the count, and the count. */
function addClusters(out: CompiledLayer, s: LayerStyle, ctx: CompileContext, base: LayerMaker, op: number): void {
  const has = ['has', 'point_count'];
  out.layers.push(base('cluster', 'circle', {
    filter: has,
    paint: {
      'circle-color': mainColour(s),
      'circle-radius': ['step', ['get', 'point_count'], 10, 10, 14, 100, 18, 1000, 24],
      'circle-opacity': 0.75 * op,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
  }));
  out.layers.push(base('cluster-count', 'symbol', {
    filter: has,
    layout: { 'text-field': ['to-string', ['get', 'point_count']], 'text-font': [ctx.font ?? LABEL_FONT], 'text-size': 11, 'text-allow-overlap': true },
    paint: { 'text-color': '#ffffff' },
  }));
}

function addLabel(out: CompiledLayer, s: LayerStyle, ctx: CompileContext, base: LayerMaker, clustered: boolean, filter?: Expr): void {
  // Hexagons carry counts, not the features' attributes.
  if (!s.label || s.kind === 'h3') return;
  const text = labelText(s.label.field, ctx.lang, ctx.columns);
  for (const f of text.fields) if (!out.properties.includes(f)) out.properties.push(f);
  // Labels only where features are drawn (not on clusters, not on hidden categories).
  const parts = [clustered ? NOT_CLUSTER : undefined, filter].filter((x) => x !== undefined);
  const layer = base('label', 'symbol', {
    ...(parts.length ? { filter: parts.length === 1 ? parts[0] : ['all', ...parts] } : {}),
    layout: {
      'text-field': text.expr,
      'text-font': [ctx.font ?? LABEL_FONT],
      'text-size': s.label.size,
      'text-max-width': 8,
      ...(ctx.family === 'line' ? { 'symbol-placement': 'line' } : ctx.family === 'point' ? { 'text-offset': [0, 1.1], 'text-anchor': 'top' } : {}),
      ...(ctx.visible === false ? { visibility: 'none' } : {}),
    },
    paint: { 'text-color': s.label.colour, 'text-halo-color': s.label.halo, 'text-halo-width': s.label.haloWidth, 'text-opacity': Math.min(1, s.opacity * (ctx.opacity ?? 1)) },
  });
  layer.minzoom = Math.max(s.label.minZoom, s.minZoom);
  out.layers.push(layer);
}
