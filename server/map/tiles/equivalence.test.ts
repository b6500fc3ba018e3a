import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OgcTestApp, createDataset, openOgcTestApp } from '../../ogc/test-app.ts';
import { availableBackends, describeEachBackend } from '../../test-support/databases.ts';
import { smallCounty } from '../../regions/test-regions.ts';
import { type DecodedFeature, FIXTURE_TILES, decodeTile, densePoints, mixedFeatures } from './test-fixtures.ts';
import type { TileLayerRequest } from './service.ts';

const LAYERS: TileLayerRequest[][] = [[{ source: 'mixed' }], [{ source: 'dense' }], [{ source: 'regions' }, { source: 'region_labels' }], [{ source: 'mixed', properties: ['name', 'n'], filter: 'v > 2' }]];

async function fixture(kind: 'pglite' | 'postgres'): Promise<OgcTestApp> {
  const t = await openOgcTestApp(kind);
  await createDataset(t.services, 'mixed', mixedFeatures());
  await createDataset(t.services, 'dense', densePoints(2500));
  await t.services.regions.loadRegions(smallCounty());
  return t;
}

/** Rings rotated to start at their smallest vertex (GEOS versions may start a repaired ring elsewhere). */
function normalise(fs: DecodedFeature[]): DecodedFeature[] {
  return fs.map((f) => ({
    ...f,
    geometry: f.type !== 3 ? f.geometry : f.geometry.map((ring) => {
      const open = ring.slice(0, -1);
      let k = 0;
      for (let i = 1; i < open.length; i++) if (open[i][0] < open[k][0] || (open[i][0] === open[k][0] && open[i][1] < open[k][1])) k = i;
      const r = [...open.slice(k), ...open.slice(0, k)];
      return [...r, r[0]];
    }),
  }));
}

describeEachBackend('tile encoders give the same tiles', (kind) => {
  let t: OgcTestApp;
  beforeAll(async () => {
    t = await fixture(kind);
  }, 120_000);
  afterAll(async () => t?.close());

  it.runIf(kind === 'postgres')('ST_AsMVT and our encoder agree feature by feature over the same rows', async () => {
    let features = 0;
    for (const layers of LAYERS) {
      for (const a of FIXTURE_TILES) {
        const pg = decodeTile((await t.services.tiles.getTile(layers, a.z, a.x, a.y, { encoder: 'postgis' })).body);
        const ts = decodeTile((await t.services.tiles.getTile(layers, a.z, a.x, a.y, { encoder: 'ts' })).body);
        expect(ts, `${JSON.stringify(layers)} at ${a.z}/${a.x}/${a.y}`).toEqual(pg);
        features += Object.values(pg).reduce((n, l) => n + l.length, 0);
      }
    }
    expect(features).toBeGreaterThan(100);
  });

  it('writes exterior rings with a positive area and holes negative', async () => {
    const a = FIXTURE_TILES[2];
    const tile = decodeTile((await t.services.tiles.getTile([{ source: 'mixed' }], a.z, a.x, a.y)).body);
    const withHole = tile.mixed.find((f) => f.type === 3 && f.geometry.length === 2)!;
    const area = (r: number[][]) => r.reduce((s, p, i) => s + (i ? r[i - 1][0] * p[1] - p[0] * r[i - 1][1] : 0), 0);
    expect(area(withHole.geometry[0])).toBeGreaterThan(0);
    expect(area(withHole.geometry[1])).toBeLessThan(0);
  });
});

describe.runIf(availableBackends().includes('postgres'))('PGlite tiles (our encoder) match PostgreSQL tiles (ST_AsMVT)', () => {
  let lite: OgcTestApp;
  let pg: OgcTestApp;
  beforeAll(async () => {
    [lite, pg] = [await fixture('pglite'), await fixture('postgres')];
  }, 180_000);
  afterAll(async () => {
    await lite?.close();
    await pg?.close();
  });

  it('decodes to the same features on both backends', async () => {
    for (const layers of LAYERS) {
      for (const a of FIXTURE_TILES) {
        const x = decodeTile((await lite.services.tiles.getTile(layers, a.z, a.x, a.y)).body);
        const y = decodeTile((await pg.services.tiles.getTile(layers, a.z, a.x, a.y)).body);
        expect(Object.keys(x).sort()).toEqual(Object.keys(y).sort());
        for (const name of Object.keys(x)) expect(normalise(x[name]), `${name} at ${a.z}/${a.x}/${a.y}`).toEqual(normalise(y[name]));
      }
    }
  });
});
