/**
 * MapLibre expressions of the thematic kinds (colours by category or class, sizes, label text)
 * and the legend's number formatting. Pure.
 */
import type { DatasetColumn } from '../../hub/model.ts';
import { type RampName, rampColours } from './palettes.ts';
import type { LayerStyle } from './spec.ts';

/** A MapLibre expression or literal. */
export type Expr = unknown;

/** The value of a field as text (categories compare as text, so numbers and booleans match too). */
export function textOf(field: string): Expr {
  return ['to-string', ['get', field]];
}

/** `match` of a field's text against listed values, with a fallback. */
export function matchExpr(field: string, pairs: [string, unknown][], fallback: unknown): Expr {
  if (!pairs.length) return fallback;
  return ['match', textOf(field), ...pairs.flat(), fallback];
}

/** `step` over a numeric value: below breaks[1] the first output, from breaks[i] the i-th. */
export function stepExpr(value: Expr, breaks: number[], outputs: unknown[]): Expr {
  const inner = breaks.slice(1, outputs.length);
  if (!inner.length) return outputs[0];
  return ['step', value, outputs[0], ...inner.flatMap((b, i) => [b, outputs[i + 1]])];
}

/** The colours of a graduated or H3 style (explicit or from its ramp). */
export function classColours(s: { classes: number; colours?: string[] | undefined; ramp: RampName; reverse: boolean }): string[] {
  return s.colours ?? rampColours(s.ramp, s.classes, s.reverse);
}

/** Geometric default breaks of H3 counts (1, 3, 10, 30 …) when none were stored. */
export function defaultCountBreaks(classes: number): number[] {
  const seq = [1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000];
  return seq.slice(0, classes + 1);
}

/**
 * Label text of a field in a language: the English companion column (`name_en` beside `name`)
 * when English is asked for and the dataset has one; the Chinese base column for `*_en` in
 * Chinese; else the field itself.
 */
export function labelText(field: string, lang: 'zh' | 'en', columns: DatasetColumn[]): { expr: Expr; fields: string[] } {
  const has = (n: string) => columns.some((c) => c.name === n);
  const en = `${field}_en`;
  if (has(en)) return { expr: lang === 'en' ? ['coalesce', ['get', en], ['get', field]] : textOf(field), fields: [field, en] };
  if (field.endsWith('_en') && has(field.slice(0, -3))) {
    const zh = field.slice(0, -3);
    return { expr: lang === 'zh' ? ['coalesce', ['get', zh], ['get', field]] : textOf(field), fields: [zh, field] };
  }
  return { expr: textOf(field), fields: [field] };
}

/** Formats a number of a legend so that neighbouring breaks stay distinct. */
export function formatNumber(v: number, step: number): string {
  if (!Number.isFinite(v)) return String(v);
  const byStep = step > 0 ? Math.max(0, Math.min(6, Math.ceil(-Math.log10(step)) + 1)) : 2;
  // A break's own decimals (up to 2) are kept below 1,000, so 10.5 is not shown as 11.
  const own = Math.abs(v) < 1000 ? Math.min(2, (String(v).split('.')[1] ?? '').length) : 0;
  const decimals = Math.max(byStep, own);
  const fixed = Math.abs(v) >= 10_000 && decimals === 0 ? Math.round(v) : Number(v.toFixed(decimals));
  const [int, frac] = String(fixed).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

/** Labels of classes `a – b` for a list of breaks. */
export function classLabels(breaks: number[]): string[] {
  const steps = breaks.slice(1).map((b, i) => b - breaks[i]);
  const step = Math.min(...steps.filter((x) => x > 0), Infinity);
  const s = Number.isFinite(step) ? step : 1;
  return breaks.slice(1).map((b, i) => `${formatNumber(breaks[i], s)} – ${formatNumber(b, s)}`);
}

/** Darkens a #rrggbb colour (outlines of fills). */
export function darker(colour: string, amount = 0.35): string {
  const h = colour.replace('#', '');
  const full = h.length === 3 ? h.split('').map((x) => x + x).join('') : h.slice(0, 6);
  const rgb = [0, 2, 4].map((i) => Math.round(parseInt(full.slice(i, i + 2), 16) * (1 - amount)));
  return `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** The main colour of a style (clusters and simple legends use it). */
export function mainColour(s: LayerStyle): string {
  switch (s.kind) {
    case 'simple':
      return s.symbol.fill ?? s.symbol.stroke ?? '#3a7bd5';
    case 'categories':
      return s.items[0]?.colour ?? '#3a7bd5';
    case 'graduated':
    case 'h3':
      return classColours(s)[Math.floor(s.classes / 2)];
    case 'proportional':
      return s.symbol.fill ?? '#e6550d';
    case 'extrusion':
      return s.colour;
    case 'heatmap':
      return rampColours(s.ramp, 5)[4];
  }
}
