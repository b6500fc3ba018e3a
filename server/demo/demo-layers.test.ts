import { beforeAll, describe, expect, it } from 'vitest';
import { bbox, booleanPointInPolygon, booleanValid, centroid, feature, intersect, featureCollection } from '@turf/turf';
import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import { buildDemoCounty } from './build-demo-county.ts';
import type { DemoCounty, DemoFeature } from './build-demo-county.ts';
import { area4549, collect, distanceToBoundary, fitsType, geometryProblems, positions } from './demo-test-utils.ts';

let county: DemoCounty;
const features = new Map<string, DemoFeature[]>();
let countyGeom: Polygon | MultiPolygon;
let countyBbox: [number, number, number, number];
const get = (id: string): DemoFeature[] => features.get(id)!;

beforeAll(() => {
  county = buildDemoCounty();
  for (const l of county.layers) features.set(l.id, collect(l));
  countyGeom = county.regions[0].geometry;
  countyBbox = bbox(countyGeom) as [number, number, number, number];
});

/** Expected feature counts at scale 1. */
const RANGES: Record<string, [number, number]> = {
  land_use_parcels: [27_000, 33_000],
  roads: [150, 500],
  rivers: [15, 80],
  lakes_reservoirs: [6, 30],
  buildings: [20_000, 50_000],
  ecological_red_line: [8, 50],
  permanent_basic_farmland: [7_000, 18_000],
  urban_development_boundary: [10, 13],
  population_grid: [3_500, 4_500],
  enterprises: [5_000, 5_000],
  enterprise_indicators: [15_000, 15_000],
  public_facilities: [1_500, 1_500],
  digital_agriculture_parks: [10, 10],
  iot_sites: [3_500, 3_500],
  rain_gauges: [60, 80],
  slope_units: [1_000, 2_500],
  small_watersheds: [25, 70],
  geohazard_points: [40, 45],
  land_approvals: [250, 300],
  change_detection_patches: [350, 400],
};

describe('demo layers: counts and shapes', () => {
  it('has the expected number of features per layer', () => {
    for (const l of county.layers) {
      const range = RANGES[l.id];
      expect(range, `no expected range for ${l.id}`).toBeDefined();
      const n = get(l.id).length;
      expect(n, l.id).toBeGreaterThanOrEqual(range[0]);
      expect(n, l.id).toBeLessThanOrEqual(range[1]);
    }
  });

  it('gives every feature a valid geometry of the declared type inside the county bbox', () => {
    for (const l of county.layers) {
      let checked = 0;
      for (const [i, f] of get(l.id).entries()) {
        if (l.geometryType === null) {
          expect(f.geometry).toBeNull();
          continue;
        }
        expect(f.geometry, l.id).not.toBeNull();
        const g = f.geometry as Geometry;
        expect(g.type, l.id).toBe(l.geometryType);
        const problems = geometryProblems(g, countyBbox);
        if (problems.length) expect.fail(`${l.id} #${i}: ${problems.slice(0, 3).join('; ')}`);
        if ((g.type === 'Polygon' || g.type === 'MultiPolygon') && i % 97 === 0) {
          expect(booleanValid(g), `${l.id} #${i} valid`).toBe(true);
          checked++;
        }
      }
      if (l.geometryType === 'Polygon' || l.geometryType === 'MultiPolygon') expect(checked).toBeGreaterThan(0);
    }
    for (const r of county.regions.filter((x) => x.level !== 'grid')) expect(booleanValid(r.geometry), r.code).toBe(true);
  });

  it('gives every feature exactly the declared fields, with values of the declared types', () => {
    const codes = new Set(county.regions.map((r) => r.code));
    for (const l of county.layers) {
      const names = l.fields.map((f) => f.name).sort();
      for (const f of get(l.id)) {
        expect(Object.keys(f.properties).sort(), l.id).toEqual(names);
        for (const fd of l.fields) {
          if (!fitsType(f.properties[fd.name], fd.type)) expect.fail(`${l.id}.${fd.name} = ${JSON.stringify(f.properties[fd.name])} is not ${fd.type}`);
        }
        const vc = f.properties.village_code;
        if (typeof vc === 'string' && vc) expect(codes.has(vc), `${l.id} village ${vc}`).toBe(true);
      }
    }
  });
});

describe('demo layers: land', () => {
  it('tiles the county with parcels (area within 0.5%), all inside it', () => {
    const parcels = get('land_use_parcels');
    const total = parcels.reduce((s, f) => s + (f.properties.area_m2 as number), 0);
    const countyArea = area4549(countyGeom);
    expect(Math.abs(total - countyArea) / countyArea).toBeLessThan(0.005);
    for (let i = 0; i < parcels.length; i += 20) {
      for (const p of positions(parcels[i].geometry as MultiPolygon)) {
        if (!booleanPointInPolygon(p, countyGeom)) expect(distanceToBoundary(p, countyGeom)).toBeLessThan(0.05);
      }
    }
    for (const f of parcels.slice(0, 500)) expect(Math.abs((f.properties.area_mu as number) - (f.properties.area_m2 as number) / 666.6667)).toBeLessThan(0.01);
  });

  it('follows 五山一水四分田: about half hills and forest, a tenth water, farmland and construction land', () => {
    const share = new Map<string, number>();
    let total = 0;
    for (const f of get('land_use_parcels')) {
      const a = f.properties.area_m2 as number;
      const g = f.properties.land_group_code as string;
      share.set(g, (share.get(g) ?? 0) + a);
      total += a;
    }
    const s = (...groups: string[]): number => groups.reduce((x, g) => x + (share.get(g) ?? 0), 0) / total;
    expect(s('02', '03', '04')).toBeGreaterThan(0.42);
    expect(s('02', '03', '04')).toBeLessThan(0.58);
    expect(s('11')).toBeGreaterThan(0.08);
    expect(s('11')).toBeLessThan(0.16);
    expect(s('01')).toBeGreaterThan(0.22);
    expect(s('05', '06', '07', '08', '09', '10')).toBeGreaterThan(0.06);
    // hills and forest in the west, fish ponds in the east
    const meanLon = (pred: (f: DemoFeature) => boolean): number => {
      const sel = get('land_use_parcels').filter(pred);
      return sel.reduce((x, f) => x + (centroid(f.geometry as MultiPolygon).geometry.coordinates[0]), 0) / sel.length;
    };
    expect(meanLon((f) => f.properties.land_group_code === '03')).toBeLessThan(120.0);
    expect(meanLon((f) => f.properties.land_class_code === '1104')).toBeGreaterThan(120.1);
  });

  it('never overlaps the red line, basic farmland and the development boundary', () => {
    const areaOfOverlap = (a: Geometry, b: Geometry): number => {
      const x = intersect(featureCollection([feature(a as Polygon), feature(b as Polygon)]));
      return x ? area4549(x.geometry) : 0;
    };
    const withBox = (id: string) => get(id).map((f) => ({ g: f.geometry as Geometry, b: bbox(f.geometry as Geometry) }));
    const red = withBox('ecological_red_line');
    const udb = withBox('urban_development_boundary');
    const farm = withBox('permanent_basic_farmland');
    const touch = (p: number[], q: number[]): boolean => p[0] <= q[2] && q[0] <= p[2] && p[1] <= q[3] && q[1] <= p[3];
    let pairs = 0;
    for (const [xs, ys] of [[red, farm], [udb, farm], [red, udb]] as const) {
      for (const x of xs) {
        for (const y of ys) {
          if (!touch(x.b, y.b)) continue;
          pairs++;
          expect(areaOfOverlap(x.g, y.g)).toBeLessThan(1);
        }
      }
    }
    expect(pairs).toBeGreaterThan(0);
  });

  it('puts tall buildings in Wukang and low houses in the villages', () => {
    const b = get('buildings');
    const maxFloors = (pred: (f: DemoFeature) => boolean): number => b.filter(pred).reduce((m, f) => Math.max(m, f.properties.floors as number), 0);
    expect(maxFloors((f) => f.properties.town_code === '330521001')).toBeGreaterThanOrEqual(25);
    expect(maxFloors((f) => f.properties.use === 'rural_residential')).toBeLessThanOrEqual(4);
    expect(maxFloors((f) => f.properties.town_code === '330521001')).toBeGreaterThan(maxFloors((f) => f.properties.town_code === '330521115'));
  });
});

describe('demo layers: people, enterprises, sensors', () => {
  it('has a population grid totalling about 650,000, densest in the towns', () => {
    const cells = get('population_grid');
    const total = cells.reduce((s, f) => s + (f.properties.population as number), 0);
    expect(Math.abs(total - 650_000) / 650_000).toBeLessThan(0.05);
    const top = cells.slice().sort((a, b) => (b.properties.population as number) - (a.properties.population as number))[0];
    expect(top.properties.density as number).toBeGreaterThan(5_000);
  });

  it('has 5,000 enterprises with 88 indicators for three years each', () => {
    const ents = get('enterprises');
    const ids = new Set(ents.map((f) => f.properties.enterprise_id));
    expect(ids.size).toBe(5_000);
    expect(new Set(ents.map((f) => f.properties.name)).size).toBe(5_000);
    for (const f of ents) expect(f.properties.industry_code).toMatch(/^[A-Z]\d{4}$/);
    const layer = county.layers.find((l) => l.id === 'enterprise_indicators')!;
    expect(layer.fields.filter((f) => f.name !== 'enterprise_id' && f.name !== 'year')).toHaveLength(88);
    expect(layer.fields.filter((f) => f.name !== 'enterprise_id' && f.name !== 'year').every((f) => f.unit)).toBe(true);
    const rows = get('enterprise_indicators');
    expect(new Set(rows.map((r) => r.properties.year))).toEqual(new Set([2021, 2022, 2023]));
    for (const r of rows) expect(ids.has(r.properties.enterprise_id)).toBe(true);
    for (const r of rows.slice(0, 300)) {
      const p = r.properties as Record<string, number>;
      expect(p.tax_total).toBeLessThanOrEqual(p.sales_revenue);
      expect(p.output_per_mu).toBeCloseTo(p.output_value / p.land_area_mu, 0);
    }
  });

  it('places the fish-pond sensors in the east and the rain gauges and slope units mostly in the hills', () => {
    const lon = (f: DemoFeature): number => centroid(f.geometry as Geometry).geometry.coordinates[0];
    const ponds = get('iot_sites').filter((f) => f.properties.site_type === 'fishpond_water_quality');
    expect(ponds.length).toBeGreaterThan(1_000);
    expect(ponds.filter((f) => lon(f) > 120.1).length / ponds.length).toBeGreaterThan(0.9);
    const gauges = get('rain_gauges');
    expect(gauges.filter((f) => lon(f) < 120.02).length / gauges.length).toBeGreaterThan(0.6);
    const units = get('slope_units');
    expect(units.filter((f) => lon(f) < 120.05).length / units.length).toBeGreaterThan(0.95);
  });
});
