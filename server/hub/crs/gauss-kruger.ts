/**
 * The Chinese Gauss–Krüger projections and their EPSG numbering, shared by the `.prj` reader
 * (parameters → EPSG code) and the export writers (EPSG code → parameters → WKT).
 *
 * Every datum has four series, all with central meridians from 75°E to 135°E, scale factor 1 and
 * false northing 0:
 * - 6° zones 13–23 (central meridian `zone × 6 − 3`) and 3° zones 25–45 (central meridian
 *   `zone × 3`), whose false easting carries the zone: `zone × 1,000,000 + 500,000`;
 * - the same central meridians as "CM" systems, with a false easting of 500,000.
 *
 * Numbering (checked against the EPSG registry shipped with PROJ):
 * - CGCS2000: 6° zone 13–23 → 4491–4501, 6° CM 75E–135E → 4502–4512; 3° zone 25–45 → 4513–4533,
 *   3° CM 75E–135E → 4534–4554.
 * - Xian 1980: 6° zone → 2327–2337, 6° CM → 2338–2348; 3° zone → 2349–2369, 3° CM → 2370–2390.
 * - Beijing 1954: 6° zone → 21413–21423, 6° CM → 21453–21463; 3° zone → 2401–2421, 3° CM →
 *   2422–2442.
 * - New Beijing: 6° zone → 4568–4578, 6° CM → 4579–4589; 3° zone 25–29 → 4652–4656, 30–45 →
 *   4766–4781; 3° CM 75E–129E → 4782–4800, 132E → 4812, 135E → 4822.
 */

/** The datums that have Gauss–Krüger series. */
export type GkDatum = 'cgcs2000' | 'xian1980' | 'beijing1954' | 'newbeijing';

/** Zone width in degrees. */
export type GkWidth = 3 | 6;

/** One Gauss–Krüger projection. */
export interface GaussKruger {
  datum: GkDatum;
  width: GkWidth;
  /** True for the zone series (zone number in the false easting), false for the "CM" series. */
  zoned: boolean;
  /** Zone number (also for the "CM" series, where the false easting does not carry it). */
  zone: number;
  /** Central meridian, degrees east. */
  centralMeridian: number;
  /** False easting, metres. */
  falseEasting: number;
}

const GK_DATUMS: GkDatum[] = ['cgcs2000', 'xian1980', 'beijing1954', 'newbeijing'];
const FIRST_CM = 75;
const LAST_CM = 135;

/** First EPSG code of each regular series; the code is `base + (central meridian − 75) / width`. */
const GK_SERIES: Record<GkDatum, { zone6: number; cm6: number; zone3: number; cm3: number }> = {
  cgcs2000: { zone6: 4491, cm6: 4502, zone3: 4513, cm3: 4534 },
  xian1980: { zone6: 2327, cm6: 2338, zone3: 2349, cm3: 2370 },
  beijing1954: { zone6: 21413, cm6: 21453, zone3: 2401, cm3: 2422 },
  newbeijing: { zone6: 4568, cm6: 4579, zone3: 0, cm3: 0 }, // 3° series: see newBeijing3
};

/** True when `cm` is a central meridian of the `width`° series. */
export function isGkCentralMeridian(width: GkWidth, cm: number): boolean {
  const offset = width === 6 ? 3 : 0;
  return Number.isInteger((cm + offset) / width) && cm >= FIRST_CM && cm <= LAST_CM;
}

/** The zone number of a central meridian in the `width`° series. */
export function gkZone(width: GkWidth, cm: number): number {
  return width === 6 ? (cm + 3) / 6 : cm / 3;
}

/** The false easting of a projection: with the zone number for the zone series. */
export function gkFalseEasting(width: GkWidth, cm: number, zoned: boolean): number {
  return zoned ? gkZone(width, cm) * 1000000 + 500000 : 500000;
}

/** The EPSG code of a Gauss–Krüger projection, or undefined when `cm` is not in the series. */
export function gaussKrugerEpsg(datum: GkDatum, width: GkWidth, cm: number, zoned: boolean): number | undefined {
  if (!isGkCentralMeridian(width, cm)) return undefined;
  if (datum === 'newbeijing' && width === 3) return newBeijing3(cm, zoned);
  const s = GK_SERIES[datum];
  const base = width === 6 ? (zoned ? s.zone6 : s.cm6) : zoned ? s.zone3 : s.cm3;
  return base + (cm - FIRST_CM) / width;
}

function newBeijing3(cm: number, zoned: boolean): number {
  if (zoned) {
    const zone = gkZone(3, cm);
    return zone <= 29 ? 4652 + zone - 25 : 4766 + zone - 30;
  }
  if (cm === 132) return 4812;
  if (cm === 135) return 4822;
  return 4782 + (cm - FIRST_CM) / 3;
}

/** The Gauss–Krüger projection with EPSG code `epsg`, or undefined when it is not one. */
export function gaussKrugerOf(epsg: number): GaussKruger | undefined {
  for (const datum of GK_DATUMS) {
    for (const width of [6, 3] as const) {
      for (const zoned of [true, false]) {
        for (let cm = FIRST_CM; cm <= LAST_CM; cm += width) {
          if (gaussKrugerEpsg(datum, width, cm, zoned) !== epsg) continue;
          return { datum, width, zoned, zone: gkZone(width, cm), centralMeridian: cm, falseEasting: gkFalseEasting(width, cm, zoned) };
        }
      }
    }
  }
  return undefined;
}
