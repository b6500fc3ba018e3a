/**
 * Named colour ramps of thematic maps and their interpolation. Pure (no imports), so the web app
 * can draw the same ramps in its style editor.
 *
 * The anchor colours are our own picks along well-known perceptual sequences (light → dark for
 * sequential ramps, two hues through a light middle for diverging ones); classes in between are
 * interpolated in RGB, which is close enough for 3–9 classes of these monotone anchors.
 */

/** Anchor colours of each named ramp (light to dark, or one hue through the middle to the other). */
export const RAMPS = {
  'yellow-red': ['#fff5c4', '#fed976', '#fd8d3c', '#e3372a', '#9b0c26'],
  'yellow-green': ['#fbfccd', '#c2e699', '#78c679', '#2f9a4f', '#0b5a31'],
  'yellow-blue': ['#fdfcd2', '#b2e0b8', '#52b7c2', '#2267ab', '#0d2a6b'],
  blues: ['#eef4fb', '#bcd6ec', '#6aaed6', '#2a77b8', '#0b3c80'],
  greens: ['#eef8ea', '#b9e3b0', '#6cc070', '#278a44', '#00501f'],
  reds: ['#fff0eb', '#fcb59b', '#f76a4a', '#c9181d', '#6b0010'],
  oranges: ['#fff3e6', '#fdc48c', '#fb8a2f', '#d44f05', '#7f2704'],
  purples: ['#f5f3fa', '#ccc9e3', '#9c95c8', '#6a4ca0', '#3f007d'],
  greys: ['#f7f7f7', '#cccccc', '#969696', '#5e5e5e', '#252525'],
  viridis: ['#fde725', '#5ec962', '#21918c', '#3b528b', '#440154'],
  magma: ['#fcfdbf', '#fc8961', '#b73779', '#51127c', '#000004'],
  'red-blue': ['#b2182b', '#ef8a62', '#f7f7f7', '#67a9cf', '#2166ac'],
  'red-green': ['#c62828', '#f4a582', '#f7f7f7', '#a6d96a', '#1a9641'],
  spectral: ['#d53e4f', '#fc8d59', '#fee08b', '#e6f598', '#99d594', '#3288bd'],
  heat: ['#2c7bb6', '#00ccbc', '#90eb9d', '#f9d057', '#f29e2e', '#d7191c'],
} as const;

/** A named ramp. */
export type RampName = keyof typeof RAMPS;
/** The names of all ramps. */
export const RAMP_NAMES = Object.keys(RAMPS) as [RampName, ...RampName[]];

/** Distinct colours for categories (our own qualitative set; readable on a light basemap). */
export const QUALITATIVE = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#6b8e23',
  '#17becf', '#bcbd22', '#8c564b', '#1f77b4', '#d62728', '#9467bd', '#2ca02c', '#e377c2', '#7f7f7f', '#aec7e8',
] as const;

function parseHex(c: string): [number, number, number] {
  const h = c.replace('#', '');
  const full = h.length === 3 ? h.split('').map((x) => x + x).join('') : h.slice(0, 6);
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

function toHex(rgb: number[]): string {
  return `#${rgb.map((v) => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, '0')).join('')}`;
}

/** Mixes two hex colours: `t` = 0 gives `a`, 1 gives `b`. */
export function mixColours(a: string, b: string, t: number): string {
  const x = parseHex(a);
  const y = parseHex(b);
  return toHex(x.map((v, i) => v + (y[i] - v) * t));
}

/** `n` colours evenly along a ramp (n ≥ 1), optionally reversed. */
export function rampColours(name: RampName, n: number, reverse = false): string[] {
  const anchors: readonly string[] = RAMPS[name];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const pos = n === 1 ? 0.5 : (i / (n - 1)) * (anchors.length - 1);
    const k = Math.min(anchors.length - 2, Math.floor(pos));
    out.push(mixColours(anchors[k], anchors[k + 1], pos - k));
  }
  return reverse ? out.reverse() : out;
}
