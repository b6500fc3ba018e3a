import { beforeAll, describe, expect, it } from 'vitest';
import { booleanPointInPolygon, point, pointOnFeature } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { buildDemoCounty } from './build-demo-county.ts';
import type { DemoCounty, DemoRegion } from './build-demo-county.ts';
import { area4549, distanceToBoundary, hashCounty, positions } from './demo-test-utils.ts';
import { isYituError } from '../platform/errors.ts';

let county: DemoCounty;
beforeAll(() => {
  county = buildDemoCounty({ seed: 7 });
});

const byLevel = (level: DemoRegion['level']): DemoRegion[] => county.regions.filter((r) => r.level === level);

describe('buildDemoCounty: regions', () => {
  it('has the county, 13 towns, 177 villages and 2–6 grids per village', () => {
    expect(byLevel('county')).toHaveLength(1);
    expect(byLevel('town')).toHaveLength(13);
    expect(byLevel('village')).toHaveLength(177);
    for (const v of byLevel('village')) {
      const n = byLevel('grid').filter((g) => g.parentCode === v.code).length;
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(6);
    }
  });

  it('uses the code scheme: 6, 9, 12 and 15 digits, children under parents, 12-digit statistical codes', () => {
    const codes = new Map(county.regions.map((r) => [r.code, r]));
    expect(codes.size).toBe(county.regions.length);
    const len = { county: 6, town: 9, village: 12, grid: 15 } as const;
    for (const r of county.regions) {
      expect(r.code).toMatch(new RegExp(`^\\d{${len[r.level]}}$`));
      expect(r.statCode).toMatch(/^\d{12}$/);
      expect(r.nameZh.length).toBeGreaterThan(0);
      expect(r.nameEn).toMatch(/^[A-Z]/);
      if (r.level === 'county') {
        expect(r.code).toBe('330521');
        expect(r.statCode).toBe('330521000000');
        expect(r.parentCode).toBeNull();
      } else {
        const parent = codes.get(r.parentCode!);
        expect(parent).toBeDefined();
        expect(r.code.startsWith(parent!.code)).toBe(true);
      }
      if (r.level === 'town') expect(r.statCode).toBe(`${r.code}000`);
      if (r.level === 'village') expect(r.statCode).toBe(r.code);
      if (r.level === 'grid') expect(r.statCode).toBe(r.parentCode);
    }
    const wukang = codes.get('330521001')!;
    expect(wukang).toMatchObject({ nameZh: '武康街道', nameEn: 'Wukang Subdistrict', kind: 'subdistrict' });
    expect(codes.get('330521115')).toMatchObject({ nameZh: '莫干山镇', kind: 'town' });
  });

  it('keeps the real boundary: county area in EPSG:4549 within 1% of 937.9 km²', () => {
    const km2 = area4549(byLevel('county')[0].geometry) / 1e6;
    expect(Math.abs(km2 - 937.9) / 937.9).toBeLessThan(0.01);
  });

  it('partitions the county into towns, towns into villages, villages into grids (areas within 0.5%)', () => {
    const countyArea = area4549(byLevel('county')[0].geometry);
    const towns = byLevel('town');
    const sumTowns = towns.reduce((s, t) => s + area4549(t.geometry), 0);
    expect(Math.abs(sumTowns - countyArea) / countyArea).toBeLessThan(0.005);
    for (const t of towns) {
      const a = area4549(t.geometry);
      expect(a / 1e6).toBeGreaterThan(15);
      const kids = byLevel('village').filter((v) => v.parentCode === t.code);
      const sum = kids.reduce((s, v) => s + area4549(v.geometry), 0);
      expect(Math.abs(sum - a) / a).toBeLessThan(0.005);
    }
    for (const v of byLevel('village')) {
      const a = area4549(v.geometry);
      const sum = byLevel('grid').filter((g) => g.parentCode === v.code).reduce((s, g) => s + area4549(g.geometry), 0);
      expect(Math.abs(sum - a) / a).toBeLessThan(0.005);
    }
  });

  it('puts every village inside its town: each vertex inside or within 1 m of the border', () => {
    const towns = new Map(byLevel('town').map((t) => [t.code, t.geometry as Polygon | MultiPolygon]));
    for (const v of byLevel('village')) {
      const town = towns.get(v.parentCode!)!;
      let worst = 0;
      for (const p of positions(v.geometry)) {
        if (booleanPointInPolygon(point(p), town)) continue;
        worst = Math.max(worst, distanceToBoundary(p, town));
      }
      expect(worst, v.code).toBeLessThan(1);
      expect(booleanPointInPolygon(pointOnFeature(v.geometry), town), v.code).toBe(true);
    }
  });

  it('gives populations adding up level by level to about 650,000, concentrated in Wukang', () => {
    const total = byLevel('county')[0].population!;
    expect(Math.abs(total - 650_000) / 650_000).toBeLessThan(0.05);
    expect(byLevel('town').reduce((s, t) => s + t.population!, 0)).toBe(total);
    expect(byLevel('village').reduce((s, t) => s + t.population!, 0)).toBe(total);
    expect(byLevel('grid').reduce((s, t) => s + t.population!, 0)).toBe(total);
    const towns = byLevel('town').sort((a, b) => b.population! - a.population!);
    expect(towns[0].code).toBe('330521001');
  });
});

describe('buildDemoCounty: determinism and scale', () => {
  it('gives identical output for the same seed and different output for another seed', () => {
    const a = hashCounty(county);
    const b = hashCounty(buildDemoCounty({ seed: 7 }));
    expect(b).toBe(a);
    const other = buildDemoCounty({ seed: 8 });
    expect(hashCounty(other, 200)).not.toBe(hashCounty(county, 200));
  });

  it('grows the parcels with scale, keeping county and towns', () => {
    const count = (c: DemoCounty, id: string): number => {
      let n = 0;
      for (const _ of c.layers.find((l) => l.id === id)!.features()) n++;
      return n;
    };
    const big = buildDemoCounty({ seed: 7, scale: 2 });
    const p1 = count(county, 'land_use_parcels');
    const p2 = count(big, 'land_use_parcels');
    expect(p2).toBeGreaterThan(p1 * 1.7);
    expect(p2).toBeLessThan(p1 * 2.3);
    expect(count(big, 'enterprises')).toBe(2 * count(county, 'enterprises'));
    expect(JSON.stringify(big.regions.filter((r) => r.level !== 'grid').map((r) => r.geometry))).toBe(
      JSON.stringify(county.regions.filter((r) => r.level !== 'grid').map((r) => r.geometry)),
    );
  });

  it('rejects a bad scale or seed with a YituError', () => {
    for (const bad of [{ scale: 0 }, { scale: -1 }, { scale: Number.NaN }, { seed: 1.5 }]) {
      let err: unknown;
      try {
        buildDemoCounty(bad);
      } catch (e) {
        err = e;
      }
      expect(isYituError(err)).toBe(true);
    }
  });
});

describe('buildDemoCounty: catalogue and statistics', () => {
  it('has at least 18 layers with valid ids, departments and metadata', () => {
    expect(county.layers.length).toBeGreaterThanOrEqual(18);
    const depts = new Set(county.departments.map((d) => d.id));
    for (const d of county.departments) expect(d.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(depts.has('natural-resources-planning')).toBe(true);
    expect(new Set(county.layers.map((l) => l.id)).size).toBe(county.layers.length);
    for (const l of county.layers) {
      expect(l.id).toMatch(/^[a-z][a-z0-9_]{0,62}$/);
      expect(depts.has(l.department)).toBe(true);
      expect(l.title.zh && l.title.en && l.description.zh && l.description.en).toBeTruthy();
      expect(l.keywords.length).toBeGreaterThan(0);
      expect(new Set(l.fields.map((f) => f.name)).size).toBe(l.fields.length);
      for (const f of l.fields) expect(f.name).toMatch(/^[a-z][a-z0-9_]*$/);
    }
    const themes = new Set(county.layers.map((l) => l.theme));
    for (const t of ['current', 'planning', 'management', 'socioeconomic', 'sensing']) expect(themes.has(t as never)).toBe(true);
    expect(county.layers.find((l) => l.id === 'enterprise_indicators')!.geometryType).toBeNull();
  });

  it('has statistical tables keyed by existing regions, with yearly and monthly periods', () => {
    const codes = new Set(county.regions.map((r) => r.code));
    expect(county.statistics.length).toBeGreaterThanOrEqual(2);
    expect(county.statistics.some((t) => t.periodType === 'month')).toBe(true);
    const depts = new Set(county.departments.map((d) => d.id));
    for (const t of county.statistics) {
      expect(depts.has(t.department)).toBe(true);
      const cols = t.columns.map((c) => c.name).sort();
      for (const r of t.rows) {
        expect(codes.has(r.region_code)).toBe(true);
        expect(r.period).toMatch(t.periodType === 'year' ? /^\d{4}$/ : /^\d{4}-\d{2}$/);
        const keys = Object.keys(r).filter((k) => k !== 'region_code' && k !== 'period').sort();
        expect(keys).toEqual(cols);
        for (const k of keys) expect(Number.isFinite(r[k])).toBe(true);
      }
    }
    const econ = county.statistics.find((t) => t.id === 'town_economy_annual')!;
    for (const y of ['2021', '2022', '2023']) expect(econ.rows.filter((r) => r.period === y)).toHaveLength(14);
    const pop2023 = econ.rows.find((r) => r.region_code === '330521' && r.period === '2023')!;
    expect(pop2023.resident_population).toBe(byLevel('county')[0].population);
    const monthly = county.statistics.find((t) => t.periodType === 'month')!;
    expect(monthly.rows).toHaveLength(177 * 12);
  });
});
