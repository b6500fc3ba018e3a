import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDemoCounty } from '../../demo/build-demo-county.ts';
import { seedDemo } from '../../demo/seed.ts';
import { type OgcTestApp, body, openOgcTestApp } from '../../ogc/test-app.ts';
import { describeEachBackend } from '../../test-support/databases.ts';
import { landCode } from './colours.ts';
import type { LayerStyle } from './spec.ts';

type Doc = Record<string, any>;
const SCALE = 0.05;
const layers = buildDemoCounty({ scale: SCALE }).layers;

describeEachBackend('default styles of the demo county and its saved maps', (kind) => {
  let t: OgcTestApp;
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const styleOf = async (id: string) => body<{ style: LayerStyle; stored: boolean }>(await get(`/collections/${id}/style`)).style;

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    await seedDemo(t.services, { scale: SCALE });
  }, 600_000);
  afterAll(async () => t?.close());

  it('gives every demo layer with geometry a valid default style, and a table none', async () => {
    expect(layers.length).toBeGreaterThanOrEqual(18);
    for (const layer of layers) {
      const r = await get(`/collections/${layer.id}/style.json?lang=en`);
      if (!layer.geometryType) {
        expect(r.statusCode, layer.id).toBe(404);
        continue;
      }
      expect(r.statusCode, layer.id).toBe(200);
      const doc = body<Doc>(r);
      expect(validateStyleMin(doc as never), layer.id).toEqual([]);
      expect(doc.layers.length, layer.id).toBeGreaterThan(0);
      expect(doc.metadata['yitu:legend'][0].entries.length, layer.id).toBeGreaterThan(0);
      expect(body<Doc>(await get(`/collections/${layer.id}/style`)).stored).toBe(false);
    }
  });

  it('draws the three lines of a planning map by their conventions', async () => {
    expect(await styleOf('ecological_red_line')).toMatchObject({ kind: 'simple', symbol: { fill: '#3aa655' }, label: { field: 'name' } });
    expect(await styleOf('permanent_basic_farmland')).toMatchObject({ kind: 'simple', symbol: { fill: '#f2d43d' } });
    expect(await styleOf('urban_development_boundary')).toMatchObject({ kind: 'simple', symbol: { stroke: '#e60012', dash: [3, 1.5], fillOpacity: 0.04 } });
  });

  it('colours land use by the survey classes, with English labels from the companion column', async () => {
    const s = await styleOf('land_use_parcels');
    if (s.kind !== 'categories') throw new Error(`land use is ${s.kind}`);
    expect(s.field).toBe('land_class');
    const byValue = new Map(s.items.map((it) => [it.value, it]));
    expect(byValue.get('乔木林地')).toMatchObject({ colour: '#5fae6b', label: { en: 'Arbor forest' } });
    if (byValue.has('水田')) expect(byValue.get('水田')).toMatchObject({ colour: '#e9e27a', label: { en: 'Paddy field' } });
    expect(byValue.get('城镇住宅用地')).toMatchObject({ colour: '#ffd37f' });
    // Every class keeps its colour, in the survey's code order (as a land-use legend reads).
    const codes = s.items.map((it) => landCode(String(it.value))!);
    expect(codes).toEqual([...codes].sort());
    const distinct = await t.db.db.query<{ n: number }>('SELECT count(DISTINCT land_class)::int AS n FROM data.land_use_parcels WHERE _vto IS NULL');
    expect(s.items).toHaveLength(distinct.rows[0].n);
  });

  it('extrudes buildings by floors, classes roads, grades populations and ranks risks', async () => {
    expect(await styleOf('buildings')).toMatchObject({ kind: 'extrusion', heightField: 'floors', multiplier: 3 });
    const roads = await styleOf('roads');
    expect(roads).toMatchObject({ kind: 'categories', field: 'road_class', label: { field: 'name' } });
    if (roads.kind === 'categories') expect(roads.items[0]).toMatchObject({ value: 'expressway', size: 3.5, label: { zh: '高速公路' } });
    expect(await styleOf('rivers')).toMatchObject({ kind: 'simple', symbol: { fill: '#3d8fd1' } });
    expect(await styleOf('lakes_reservoirs')).toMatchObject({ kind: 'simple', symbol: { fill: '#9ecae1' } });
    const pop = await styleOf('population_grid');
    expect(pop).toMatchObject({ kind: 'graduated', field: 'density', method: 'quantile', classes: 5 });
    if (pop.kind === 'graduated') expect(pop.breaks).toHaveLength(6);
    const grade = await styleOf('enterprises');
    expect(grade).toMatchObject({ kind: 'categories', field: 'mu_efficiency_grade' });
    if (grade.kind === 'categories') expect(grade.items.map((i) => i.value)).toEqual(['A', 'B', 'C', 'D']);
    const risk = await styleOf('geohazard_points');
    if (risk.kind === 'categories') expect(risk.items.map((i) => [i.value, i.colour])).toEqual([['高', '#d7301f'], ['中', '#fdae61'], ['低', '#91cf60']].filter(([v]) => risk.items.some((i) => i.value === v)));
    expect(await styleOf('iot_sites')).toMatchObject({ kind: 'categories', field: 'status' });
    expect(await styleOf('public_facilities')).toMatchObject({ kind: 'categories', field: 'category' });
    expect(await styleOf('change_detection_patches')).toMatchObject({ kind: 'categories', field: 'verification' });
  });

  it('seeds the demo saved maps: listed, every layer drawn, valid styles and tiles', async () => {
    const list = body<Doc>(await get('/maps'));
    expect(list.maps.map((m: Doc) => m.title.zh).sort()).toEqual(['企业亩均效益', '德清县国土空间规划一张图']);
    for (const m of list.maps) {
      const s = body<Doc>(await get(`/maps/${m.id}/style.json`));
      expect(validateStyleMin(s as never), m.id).toEqual([]);
      expect(s.metadata['yitu:layers'].filter((l: Doc) => l.missing || l.problem), m.id).toEqual([]);
      const legend = body<Doc>(await get(`/maps/${m.id}/legend?lang=en`));
      expect(legend.layers.length).toBeGreaterThanOrEqual(3);
    }
    // The county's centre at zoom 10 holds the plan's layers.
    const r = await get('/maps/deqing-spatial-plan/tiles/WebMercatorQuad/10/420/853');
    expect(r.statusCode).toBe(200);
    const tile = new VectorTile(new PbfReader(r.rawPayload));
    expect(Object.keys(tile.layers)).toContain('land_use');
    expect(Object.keys(tile.layers.land_use.feature(0).properties).sort()).toEqual(['land_class']);
    const e = await get('/maps/enterprise-mu-efficiency/tiles/WebMercatorQuad/10/420/853');
    expect(Object.keys(new VectorTile(new PbfReader(e.rawPayload)).layers)).toContain('enterprise_density');
  });
});
