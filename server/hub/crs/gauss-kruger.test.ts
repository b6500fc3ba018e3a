import { describe, expect, it } from 'vitest';
import { type GkDatum, gaussKrugerEpsg, gaussKrugerOf, gkFalseEasting, isGkCentralMeridian } from './gauss-kruger.ts';

describe('Gauss–Krüger numbering', () => {
  it('numbers known projections as the EPSG registry does', () => {
    expect(gaussKrugerEpsg('cgcs2000', 3, 120, false)).toBe(4549);
    expect(gaussKrugerEpsg('cgcs2000', 3, 114, true)).toBe(4526);
    expect(gaussKrugerEpsg('cgcs2000', 6, 75, true)).toBe(4491);
    expect(gaussKrugerEpsg('cgcs2000', 6, 135, false)).toBe(4512);
    expect(gaussKrugerEpsg('xian1980', 3, 114, false)).toBe(2383);
    expect(gaussKrugerEpsg('beijing1954', 6, 117, true)).toBe(21420);
    expect(gaussKrugerEpsg('newbeijing', 3, 87, true)).toBe(4656);
    expect(gaussKrugerEpsg('newbeijing', 3, 90, true)).toBe(4766);
    expect(gaussKrugerEpsg('newbeijing', 3, 132, false)).toBe(4812);
    expect(gaussKrugerEpsg('cgcs2000', 3, 121, false)).toBeUndefined();
    expect(gaussKrugerEpsg('cgcs2000', 6, 72, false)).toBeUndefined();
  });

  it('gives the parameters of a code back', () => {
    expect(gaussKrugerOf(4549)).toEqual({ datum: 'cgcs2000', width: 3, zoned: false, zone: 40, centralMeridian: 120, falseEasting: 500000 });
    expect(gaussKrugerOf(4526)).toEqual({ datum: 'cgcs2000', width: 3, zoned: true, zone: 38, centralMeridian: 114, falseEasting: 38500000 });
    expect(gaussKrugerOf(4491)).toMatchObject({ width: 6, zone: 13, centralMeridian: 75, falseEasting: 13500000 });
    expect(gaussKrugerOf(4326)).toBeUndefined();
    expect(gaussKrugerOf(4490)).toBeUndefined();
  });

  it('round-trips every code of every series', () => {
    const seen = new Set<number>();
    for (const datum of ['cgcs2000', 'xian1980', 'beijing1954', 'newbeijing'] as GkDatum[]) {
      for (const width of [3, 6] as const) {
        for (const zoned of [true, false]) {
          for (let cm = 75; cm <= 135; cm += width) {
            expect(isGkCentralMeridian(width, cm)).toBe(true);
            const code = gaussKrugerEpsg(datum, width, cm, zoned)!;
            expect(seen.has(code)).toBe(false);
            seen.add(code);
            expect(gaussKrugerOf(code)).toEqual({ datum, width, zoned, zone: width === 6 ? (cm + 3) / 6 : cm / 3, centralMeridian: cm, falseEasting: gkFalseEasting(width, cm, zoned) });
          }
        }
      }
    }
    expect(seen.size).toBe(4 * 2 * (21 + 11));
  });
});
