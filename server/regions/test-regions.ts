import type { Polygon } from 'geojson';
import type { RegionInput } from './model.ts';

/** An axis-aligned box as a GeoJSON Polygon (counter-clockwise). */
export function box(x0: number, y0: number, x1: number, y1: number): Polygon {
  return { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] };
}

/**
 * A small hand-made hierarchy for tests: 德清县 (0.3° × 0.3°), two towns side by side (west
 * 武康街道, east 新市镇), two villages in the west town (south, north) and one grid in the
 * south-west village. Given children first, to show that order does not matter within a load.
 */
export function smallCounty(): RegionInput[] {
  return [
    { code: '330521001001001', nameZh: '一号网格', nameEn: 'Grid 1', geometry: box(119.9, 30.4, 119.95, 30.45) },
    { code: '330521001001', nameZh: '城东社区', nameEn: 'Chengdong Community', kind: 'community', population: 5000, geometry: box(119.9, 30.4, 120.05, 30.55) },
    { code: '330521001002', nameZh: '城北村', nameEn: 'Chengbei Village', kind: 'village', geometry: box(119.9, 30.55, 120.05, 30.7) },
    { code: '330521001', nameZh: '武康街道', nameEn: 'Wukang Subdistrict', kind: 'subdistrict', population: 200000, geometry: box(119.9, 30.4, 120.05, 30.7) },
    { code: '330521102', nameZh: '新市镇', nameEn: 'Xinshi Town', kind: 'town', statCode: '330521102000', geometry: box(120.05, 30.4, 120.2, 30.7) },
    { code: '330521', nameZh: '德清县', nameEn: 'Deqing County', kind: 'county', population: 650000, geometry: box(119.9, 30.4, 120.2, 30.7) },
  ];
}
