import { describe, expect, it } from 'vitest';
import { powerPartition } from './power-diagram.ts';
import type { MultiPoly } from './polygon-ops.ts';
import { clipBox, clipHalfPlane, latticePoints, multiArea, pointInMulti } from './polygon-ops.ts';
import { PolygonIndex } from './polygon-index.ts';

const U: MultiPoly = [[[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3]]]];
const HOLED: MultiPoly = [[[[0, 0], [4, 0], [4, 4], [0, 4]], [[1, 1], [1, 3], [3, 3], [3, 1]]]];

describe('polygon clipping', () => {
  it('splits a U into its two arms above a line and keeps one piece below', () => {
    const top = clipHalfPlane(U, 0, 1, -2);
    expect(top).toHaveLength(2);
    expect(multiArea(top)).toBeCloseTo(2);
    const bottom = clipHalfPlane(U, 0, -1, 2);
    expect(bottom).toHaveLength(1);
    expect(multiArea(bottom)).toBeCloseTo(5);
  });

  it('keeps holes, and cuts through them', () => {
    const inner = clipBox(HOLED, [0.5, 0.5, 3.5, 3.5]);
    expect(inner).toHaveLength(1);
    expect(inner[0]).toHaveLength(2);
    expect(multiArea(inner)).toBeCloseTo(5);
    expect(clipBox(HOLED, [1.5, 1.5, 2.5, 2.5])).toHaveLength(0);
    expect(multiArea(clipHalfPlane(HOLED, 1, 0, -2))).toBeCloseTo(6);
  });

  it('indexes a polygon for point and box tests', () => {
    const idx = new PolygonIndex(HOLED);
    expect(idx.contains(0.5, 0.5)).toBe(true);
    expect(idx.contains(2, 2)).toBe(false);
    expect(idx.relate([1.2, 1.2, 1.8, 1.8])).toBe('outside');
    expect(idx.relate([0.1, 0.1, 0.6, 0.6])).toBe('inside');
    expect(idx.relate([0.5, 0.5, 1.5, 1.5])).toBe('crossing');
  });

  it('partitions a polygon with a calibrated power diagram', () => {
    const parent: MultiPoly = [[[[0, 0], [1000, 0], [1000, 600], [400, 600], [400, 1000], [0, 1000]]]];
    const samples = latticePoints(parent, 10);
    const sites: [number, number][] = [[200, 200], [800, 300], [200, 800]];
    const part = powerPartition(parent, sites, [1, 2, 1], { samples, sampleArea: 100 });
    const areas = part.cells.map(multiArea);
    expect(areas.reduce((s, a) => s + a, 0)).toBeCloseTo(multiArea(parent), 3);
    expect(areas[1] / multiArea(parent)).toBeGreaterThan(0.45);
    expect(areas[1] / multiArea(parent)).toBeLessThan(0.55);
    part.cells.forEach((c, i) => expect(pointInMulti(part.sites[i][0], part.sites[i][1], c)).toBe(true));
  });
});
