/**
 * Seeded randomness for the demo county. Two kinds, both deterministic:
 * - {@link Rng}: a sequential sfc32 generator, for things generated in a fixed order;
 * - {@link hashUnit}: an order-free hash of integers, for values that must be the same whichever
 *   layer asks first (the land-use class of a parcel, the noise at a point).
 * Never `Math.random`.
 */

/** 32-bit string hash (FNV-1a), used to derive sub-seeds from names. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes a list of 32-bit integers into one well-spread 32-bit integer (murmur3 finalizer per step). */
export function hashInts(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    let k = Math.imul(v | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) from a hash of the given integers. */
export function hashUnit(...values: number[]): number {
  return hashInts(...values) / 4294967296;
}

/** A seeded sfc32 pseudo-random generator with the helpers the generators need. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds from a number and an optional label (so each layer gets its own stream). */
  constructor(seed: number, label = '') {
    const s = hashInts(seed, hashString(label));
    this.a = s;
    this.b = hashInts(s, 1);
    this.c = hashInts(s, 2);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform number in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** A uniform number in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** A uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A standard normal deviate (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A log-normal deviate with the given median and log-sd. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One element chosen with the given weights. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    return items[weightedIndex(weights, this.next())];
  }

  /** A new generator derived from this one's seed and a label (independent stream). */
  fork(label: string): Rng {
    return new Rng(hashInts(this.a, this.b, this.c), label);
  }
}

/** The index chosen by a uniform number u in [0,1) among weights (not necessarily normalised). */
export function weightedIndex(weights: readonly number[], u: number): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = u * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i];
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** Smooth value noise on a lattice of the given spacing, in [0, 1], seeded; for terrain and patterns. */
export function valueNoise(seed: number, x: number, y: number, spacing: number): number {
  const gx = x / spacing;
  const gy = y / spacing;
  const ix = Math.floor(gx);
  const iy = Math.floor(gy);
  const fx = gx - ix;
  const fy = gy - iy;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const v00 = hashUnit(seed, ix, iy);
  const v10 = hashUnit(seed, ix + 1, iy);
  const v01 = hashUnit(seed, ix, iy + 1);
  const v11 = hashUnit(seed, ix + 1, iy + 1);
  return (v00 * (1 - sx) + v10 * sx) * (1 - sy) + (v01 * (1 - sx) + v11 * sx) * sy;
}

/** Fractal (multi-octave) value noise in [0, 1]. */
export function fractalNoise(seed: number, x: number, y: number, spacing: number, octaves = 4): number {
  let sum = 0;
  let amp = 1;
  let norm = 0;
  let s = spacing;
  for (let o = 0; o < octaves; o++) {
    sum += amp * valueNoise(seed + o * 1013, x, y, s);
    norm += amp;
    amp *= 0.5;
    s /= 2;
  }
  return sum / norm;
}
