/**
 * The saved maps a new user finds next to the demo county's datasets: the county's spatial plan
 * as one map (land use under the "三区三线") and the enterprises' per-mu efficiency (亩均效益).
 */
import type { MapInput } from './model.ts';

/** The centre of the demo county (Deqing). */
const DEQING: [number, number] = [120.03, 30.56];

/** The demo's saved maps (fixed ids, public). */
export function demoMaps(): MapInput[] {
  return [
    {
      id: 'deqing-spatial-plan',
      title: { zh: '德清县国土空间规划一张图', en: 'Deqing County spatial plan: one map' },
      description: {
        zh: '三区三线（生态保护红线、永久基本农田、城镇开发边界）叠加土地利用现状。',
        en: 'The three zones and three lines (ecological red line, permanent basic farmland, urban development boundary) over current land use.',
      },
      visibility: 'public',
      view: { center: DEQING, zoom: 10, pitch: 0, bearing: 0, basemap: 'offline' },
      layers: [
        { id: 'land_use', dataset: 'land_use_parcels', opacity: 0.85, legendTitle: { zh: '土地利用现状', en: 'Current land use' } },
        { id: 'farmland', dataset: 'permanent_basic_farmland' },
        { id: 'red_line', dataset: 'ecological_red_line' },
        { id: 'urban_boundary', dataset: 'urban_development_boundary' },
      ],
    },
    {
      id: 'enterprise-mu-efficiency',
      title: { zh: '企业亩均效益', en: 'Enterprise efficiency per mu' },
      description: {
        zh: '企业分布密度（H3 六边形）、规上企业用地面积分级与亩均效益评价等级（亩均论英雄）。',
        en: 'Enterprise density (H3 hexagons), land area of above-scale enterprises in classes, and per-mu efficiency grades.',
      },
      visibility: 'public',
      view: { center: DEQING, zoom: 10.5, pitch: 0, bearing: 0, basemap: 'offline' },
      layers: [
        { id: 'urban_boundary', dataset: 'urban_development_boundary' },
        {
          id: 'enterprise_density',
          dataset: 'enterprises',
          style: { kind: 'h3', stat: 'count', ramp: 'yellow-red', classes: 5, maxZoom: 13, opacity: 0.75 },
          legendTitle: { zh: '企业密度（H3 六边形）', en: 'Enterprise density (H3 hexagons)' },
        },
        {
          id: 'enterprise_land',
          dataset: 'enterprises',
          style: { kind: 'graduated', field: 'land_area_mu', method: 'jenks', classes: 5, ramp: 'purples', minZoom: 11, symbol: { size: 6 } },
          filter: 'is_above_scale = true',
          legendTitle: { zh: '规上企业用地面积（亩）', en: 'Land area of above-scale enterprises (mu)' },
        },
        {
          id: 'enterprise_grade',
          dataset: 'enterprises',
          visible: false,
          style: {
            kind: 'categories',
            field: 'mu_efficiency_grade',
            minZoom: 11,
            items: [
              { value: 'A', colour: '#1a9850', label: { zh: 'A 类（优先发展）', en: 'A (priority)' } },
              { value: 'B', colour: '#91cf60', label: { zh: 'B 类（鼓励提升）', en: 'B (encouraged)' } },
              { value: 'C', colour: '#fdae61', label: { zh: 'C 类（倒逼转型）', en: 'C (to transform)' } },
              { value: 'D', colour: '#d73027', label: { zh: 'D 类（整治淘汰）', en: 'D (to rectify)' } },
            ],
            other: null,
            symbol: { size: 6 },
          },
          legendTitle: { zh: '亩均效益等级', en: 'Per-mu efficiency grade' },
        },
      ],
    },
  ];
}
