import type { FixtureFeature } from '../ogc/test-app.ts';

/**
 * The expected answers of the authorisation matrix test (matrix.test.ts), written by hand from the
 * rules of issue 4 §2 — deliberately not computed by calling policy.ts, so that a wrong rule there
 * makes the test fail. Every dataset of the matrix belongs to {@link OWN}.
 */

/** The owning department of the matrix datasets. */
export const OWN = 'matrix-owner';
/** The grid worker's scope: the west town of `smallCounty()` (武康街道, 119.9–120.05°E). */
export const WEST_TOWN = '330521001';

/** Who asks. */
export const WHO = ['anonymous', 'admin', 'stewardOwn', 'stewardOther', 'analystOwn', 'analystOther', 'leaderOther', 'gridWorker', 'grantee'] as const;
/** A kind of principal of the matrix. */
export type Who = (typeof WHO)[number];
/** The classifications. */
export const LEVELS = ['public', 'internal', 'confidential'] as const;
/** A classification. */
export type Level = (typeof LEVELS)[number];

const Y = true;
const N = false;

/**
 * May the principal see the dataset and read its data? (public: anyone; internal: signed-in;
 * confidential: the owning department, holders of an active grant, the administrator.)
 * gridWorker is of the owning department with a region scope; grantee's department holds a grant
 * on the confidential datasets; "Other" principals are of another department.
 */
export const READ: Record<Who, Record<Level, boolean>> = {
  anonymous: /*    */ { public: Y, internal: N, confidential: N },
  admin: /*        */ { public: Y, internal: Y, confidential: Y },
  stewardOwn: /*   */ { public: Y, internal: Y, confidential: Y },
  stewardOther: /* */ { public: Y, internal: Y, confidential: N },
  analystOwn: /*   */ { public: Y, internal: Y, confidential: Y },
  analystOther: /* */ { public: Y, internal: Y, confidential: N },
  leaderOther: /*  */ { public: Y, internal: Y, confidential: N },
  gridWorker: /*   */ { public: Y, internal: Y, confidential: Y },
  grantee: /*      */ { public: Y, internal: Y, confidential: Y },
};

/**
 * The answer to a write (metadata, import, classification): 'ok', or the refusal — 401 for the
 * anonymous whatever the dataset, 404 for a dataset the writer may not see, 403 for one they see
 * but do not steward. Only the owning department's stewards and the administrator write.
 */
export const WRITE: Record<Who, Record<Level, 'ok' | 401 | 403 | 404>> = {
  anonymous: /*    */ { public: 401, internal: 401, confidential: 401 },
  admin: /*        */ { public: 'ok', internal: 'ok', confidential: 'ok' },
  stewardOwn: /*   */ { public: 'ok', internal: 'ok', confidential: 'ok' },
  stewardOther: /* */ { public: 403, internal: 403, confidential: 404 },
  analystOwn: /*   */ { public: 403, internal: 403, confidential: 403 },
  analystOther: /* */ { public: 403, internal: 403, confidential: 404 },
  leaderOther: /*  */ { public: 403, internal: 403, confidential: 404 },
  gridWorker: /*   */ { public: 403, internal: 403, confidential: 403 },
  grantee: /*      */ { public: 403, internal: 403, confidential: 403 },
};

const point = (x: number, y: number, name: string): FixtureFeature => ({ geometry: { type: 'Point', coordinates: [x, y] }, properties: { name } });

/** Version 1 of a matrix dataset: features 1, 2 in the west town, 3, 4 in the east town. */
export function matrixFeatures(): FixtureFeature[] {
  return [point(119.95, 30.5, 'w1'), point(120.0, 30.6, 'w2'), point(120.1, 30.5, 'e3'), point(120.15, 30.6, 'e4')];
}

/** Appended as version 2: feature 5 in the west town, 6 in the east. */
export function moreFeatures(): FixtureFeature[] {
  return [point(119.97, 30.45, 'w5'), point(120.12, 30.45, 'e6')];
}

/** The WebMercatorQuad tile holding a point at zoom `z`. */
export function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n) };
}
