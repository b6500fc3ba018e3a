/**
 * The synthetic terrain of Deqing: the Tianmu foothills in the west rising to Mogan Mountain
 * (~720 m), the flat Hangjiahu plain (2–8 m) in the east, and a few isolated hills in the plain
 * where villages are named after them (蠡山, 干山, 茅山…). A pure function of position and seed.
 */
import { HILL_FRONT, MOGAN_PEAK } from './deqing-geography.ts';
import type { LocalFrame, Pt } from './local-frame.ts';
import { fractalNoise, hashUnit } from './random.ts';
import type { RegionModel } from './regions.ts';

function smoothstep(a: number, b: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
}

/** Terrain model. */
export class Terrain {
  private readonly seed: number;
  private readonly front: Pt[];
  private readonly peak: Pt;
  private readonly knolls: { c: Pt; r: number; h: number }[];

  constructor(frame: LocalFrame, seed: number, regions: RegionModel) {
    this.seed = seed;
    this.front = HILL_FRONT.map(([lat, lon]) => frame.toLocal(lon, lat)).map(([x, y]) => [y, x] as Pt);
    this.peak = frame.toLocal(MOGAN_PEAK[0], MOGAN_PEAK[1]);
    this.knolls = [];
    for (const v of regions.villages) {
      if (!/山/.test(v.nameZh) || v.kind !== 'village') continue;
      if (this.baseHilliness(v.center[0], v.center[1]) > 0.2) continue;
      const u = hashUnit(seed, 77, v.ordinal);
      this.knolls.push({ c: v.center, r: 250 + 200 * u, h: 25 + 40 * hashUnit(seed, 78, v.ordinal) });
    }
  }

  /** Easting of the hill front at a northing. */
  frontX(y: number): number {
    const f = this.front;
    if (y <= f[0][0]) return f[0][1];
    for (let i = 1; i < f.length; i++) {
      if (y <= f[i][0]) {
        const t = (y - f[i - 1][0]) / (f[i][0] - f[i - 1][0]);
        return f[i - 1][1] + t * (f[i][1] - f[i - 1][1]);
      }
    }
    return f[f.length - 1][1];
  }

  private baseHilliness(x: number, y: number): number {
    const wd = this.frontX(y) - x + (fractalNoise(this.seed + 7, x, y, 6000, 3) - 0.5) * 4000;
    return smoothstep(-1500, 4500, wd);
  }

  /** 0 in the plain, 1 in the hills. */
  hilliness(x: number, y: number): number {
    return this.baseHilliness(x, y);
  }

  /** Elevation above sea level, m. */
  elevation(x: number, y: number): number {
    const h = this.baseHilliness(x, y);
    const ridges = fractalNoise(this.seed + 11, x, y, 3500, 4);
    const dp = (x - this.peak[0]) ** 2 + (y - this.peak[1]) ** 2;
    let e = 2.5 + 4 * fractalNoise(this.seed + 13, x, y, 2000, 2);
    e += h * (30 + 330 * Math.pow(ridges, 1.4) + 480 * Math.exp(-dp / (2 * 4500 * 4500)));
    for (const k of this.knolls) {
      const d2 = (x - k.c[0]) ** 2 + (y - k.c[1]) ** 2;
      if (d2 < 9 * k.r * k.r) e += k.h * Math.exp(-d2 / (2 * k.r * k.r)) * (0.7 + 0.6 * ridges);
    }
    return e;
  }

  /** Slope, degrees, by central differences over `step` metres. */
  slope(x: number, y: number, step = 60): number {
    const gx = (this.elevation(x + step, y) - this.elevation(x - step, y)) / (2 * step);
    const gy = (this.elevation(x, y + step) - this.elevation(x, y - step)) / (2 * step);
    return (Math.atan(Math.hypot(gx, gy)) * 180) / Math.PI;
  }

  /** Aspect (direction the slope faces), degrees clockwise from north. */
  aspect(x: number, y: number, step = 60): number {
    const gx = (this.elevation(x + step, y) - this.elevation(x - step, y)) / (2 * step);
    const gy = (this.elevation(x, y + step) - this.elevation(x, y - step)) / (2 * step);
    const a = (Math.atan2(-gx, -gy) * 180) / Math.PI;
    return (a + 360) % 360;
  }
}
