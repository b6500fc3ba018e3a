/**
 * The planar frame the demo county is generated in: metres east (x) and north (y) of an origin in
 * the middle of Deqing, as an equirectangular projection on the GRS80 ellipsoid (CGCS2000's).
 * Forward and inverse are exact by definition and cheap; areas measured in the frame are corrected
 * to ellipsoidal areas with {@link LocalFrame.areaFactor} (error < 1e-5 over the county, the same
 * order as EPSG:4549's own scale error there).
 */

/** A position in the local frame, metres. */
export type Pt = [number, number];

const A = 6378137;
const F = 1 / 298.257222101;
const E2 = 2 * F - F * F;
const RAD = Math.PI / 180;

function meridianRadius(lat: number): number {
  const s = Math.sin(lat * RAD);
  return (A * (1 - E2)) / Math.pow(1 - E2 * s * s, 1.5);
}

function primeVerticalRadius(lat: number): number {
  const s = Math.sin(lat * RAD);
  return A / Math.sqrt(1 - E2 * s * s);
}

/** Decimal places of output lon/lat (1e-7 degree is about 1 cm). */
export const OUTPUT_DECIMALS = 7;
const ROUND = 10 ** OUTPUT_DECIMALS;

/** Local equirectangular frame around (lon0, lat0). */
export class LocalFrame {
  readonly lon0: number;
  readonly lat0: number;
  private readonly kx: number;
  private readonly ky: number;
  private readonly mn0: number;

  constructor(lon0: number, lat0: number) {
    this.lon0 = lon0;
    this.lat0 = lat0;
    this.kx = primeVerticalRadius(lat0) * Math.cos(lat0 * RAD) * RAD;
    this.ky = meridianRadius(lat0) * RAD;
    this.mn0 = meridianRadius(lat0) * primeVerticalRadius(lat0) * Math.cos(lat0 * RAD);
  }

  /** lon/lat (degrees) to local metres. */
  toLocal(lon: number, lat: number): Pt {
    return [(lon - this.lon0) * this.kx, (lat - this.lat0) * this.ky];
  }

  /** Local metres to lon/lat (degrees), rounded to {@link OUTPUT_DECIMALS}. */
  toLonLat(x: number, y: number): [number, number] {
    return [Math.round((this.lon0 + x / this.kx) * ROUND) / ROUND, Math.round((this.lat0 + y / this.ky) * ROUND) / ROUND];
  }

  /** Latitude (degrees) of a local northing. */
  latOf(y: number): number {
    return this.lat0 + y / this.ky;
  }

  /** Ratio of true (ellipsoidal) area to frame area at northing y. */
  areaFactor(y: number): number {
    const lat = this.latOf(y);
    return (meridianRadius(lat) * primeVerticalRadius(lat) * Math.cos(lat * RAD)) / this.mn0;
  }
}
