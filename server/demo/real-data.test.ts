import { describe, expect, it } from 'vitest';
import proj4 from 'proj4';
import { hasPinyin, regionNameEn, toPinyin } from './pinyin.ts';
import { loadDeqingRealData, villageDisplayName, villageKind } from './real-data.ts';

const EPSG_4549 = '+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';

function areaIn4549(rings: number[][][]): number {
  const t = proj4('EPSG:4326', EPSG_4549);
  let total = 0;
  rings.forEach((ring, i) => {
    const pts = ring.map((p) => t.forward([p[0], p[1]]));
    let a = 0;
    for (let k = 0; k + 1 < pts.length; k++) a += pts[k][0] * pts[k + 1][1] - pts[k + 1][0] * pts[k][1];
    total += (i === 0 ? 1 : -1) * Math.abs(a / 2);
  });
  return total;
}

describe('real data of Deqing (deqing-real.json)', () => {
  const data = loadDeqingRealData();

  it('has the 13 towns and subdistricts with 9-digit codes under 330521', () => {
    expect(data.towns).toHaveLength(13);
    for (const t of data.towns) expect(t.code).toMatch(/^330521\d{3}$/);
    expect(data.towns.map((t) => t.name)).toContain('武康街道');
    expect(data.towns.map((t) => t.name)).toContain('莫干山镇');
    expect(new Set(data.towns.map((t) => t.code)).size).toBe(13);
  });

  it('has 177 villages and communities (135 村委会, 42 居委会) nested under their towns', () => {
    expect(data.villages).toHaveLength(177);
    expect(data.villages.filter((v) => villageKind(v.name) === 'village')).toHaveLength(135);
    expect(data.villages.filter((v) => villageKind(v.name) === 'community')).toHaveLength(42);
    const towns = new Set(data.towns.map((t) => t.code));
    for (const v of data.villages) {
      expect(v.code).toMatch(/^\d{12}$/);
      expect(towns.has(v.townCode)).toBe(true);
      expect(v.code.startsWith(v.townCode)).toBe(true);
    }
    expect(new Set(data.villages.map((v) => v.code)).size).toBe(177);
    for (const t of data.towns) expect(data.villages.some((v) => v.townCode === t.code)).toBe(true);
  });

  it('has a boundary whose EPSG:4549 area is within 1% of the official 937.9 km²', () => {
    const b = data.boundary;
    const polys = b.type === 'Polygon' ? [b.coordinates] : b.coordinates;
    const km2 = polys.reduce((s, p) => s + areaIn4549(p), 0) / 1e6;
    expect(Math.abs(km2 - 937.9) / 937.9).toBeLessThan(0.01);
    for (const p of polys) for (const r of p) for (const [lon, lat] of r) {
      expect(lon).toBeGreaterThan(119.7);
      expect(lon).toBeLessThan(120.4);
      expect(lat).toBeGreaterThan(30.4);
      expect(lat).toBeLessThan(30.75);
    }
  });

  it('names every village and community in everyday form and in pinyin', () => {
    expect(villageDisplayName('居仁社区居委会')).toBe('居仁社区');
    expect(villageDisplayName('封愚居委会')).toBe('封愚社区');
    expect(villageDisplayName('对河口村委会')).toBe('对河口村');
    for (const n of [...data.towns.map((t) => t.name), ...data.villages.map((v) => villageDisplayName(v.name))]) {
      expect(hasPinyin(n), n).toBe(true);
      expect(regionNameEn(n)).toMatch(/^[A-Z][a-z']+ (Subdistrict|Town|Village|Community)$/);
    }
    expect(regionNameEn('武康街道')).toBe('Wukang Subdistrict');
    expect(regionNameEn('新安镇')).toBe("Xin'an Town");
    expect(toPinyin('金鹅山')).toBe("Jin'eshan");
  });
});
