/**
 * Planning (规划): the ecological protection red line, permanent basic farmland and the urban
 * development boundary (三区三线), which never overlap one another.
 */
import type { DemoContext } from '../context.ts';
import { round, toGeoMultiPolygon, toGeoPolygon, toMu, trueArea } from '../geo-output.ts';
import { LAND_CLASSES } from '../land-classes.ts';
import { field, REGION_FIELDS, regionProps, syntheticLayer } from '../layer-kit.ts';
import { parcelShape } from '../parcel-model.ts';
import { isBasicFarmland } from '../planning-zones.ts';
import type { PlanningZone } from '../planning-zones.ts';
import { hashUnit } from '../random.ts';
import type { DemoLayer } from '../types.ts';

const ZONE_FIELDS = [
  field('zone_id', '编号', 'Zone id', 'text'),
  field('name', '名称', 'Name', 'text'),
  field('name_en', '名称（英文）', 'Name (English)', 'text'),
  field('zone_type', '类型', 'Type', 'text'),
  field('zone_type_en', '类型（英文）', 'Type (English)', 'text'),
  field('area_ha', '面积', 'Area', 'number', 'ha'),
  field('town_code', '所在乡镇（街道）代码', 'Town/subdistrict code', 'text'),
  field('approved_by', '批准机关', 'Approved by', 'text'),
  field('approved_date', '批准日期', 'Approved on', 'date'),
];

function zoneFeature(ctx: DemoContext, z: PlanningZone) {
  return {
    geometry: toGeoMultiPolygon(ctx.frame, z.multi),
    properties: {
      zone_id: z.id,
      name: z.nameZh,
      name_en: z.nameEn,
      zone_type: z.kindZh,
      zone_type_en: z.kindEn,
      area_ha: round(trueArea(ctx.frame, z.multi) / 10_000, 2),
      town_code: z.town.code,
      approved_by: '浙江省人民政府',
      approved_date: '2022-10-14',
    },
  };
}

/** `ecological_red_line`. */
export function redLineLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'ecological_red_line',
    title: { zh: '生态保护红线', en: 'Ecological protection red line' },
    description: {
      zh: '生态保护红线（合成）：西部山地核心区、下渚湖湿地、水库饮用水源和东苕溪河岸带。',
      en: 'Ecological protection red line (synthetic): western hill cores, Xiazhu Lake wetland, drinking-water reservoirs and the East Tiaoxi riparian corridor.',
    },
    theme: 'planning',
    department: 'natural-resources-planning',
    keywords: ['三区三线', '生态保护红线', 'red line', 'ecology'],
    classification: 'public',
    updateFrequency: 'once',
    geometryType: 'MultiPolygon',
    fields: ZONE_FIELDS,
    *features() {
      for (const z of ctx.zones().redLine) yield zoneFeature(ctx, z);
    },
  });
}

/** `urban_development_boundary`. */
export function urbanBoundaryLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'urban_development_boundary',
    title: { zh: '城镇开发边界', en: 'Urban development boundary' },
    description: {
      zh: '城镇开发边界（合成）：各乡镇建成区和工业园区，避让生态保护红线。',
      en: 'Urban development boundary (synthetic): built-up areas and industrial parks of each town, clear of the red line.',
    },
    theme: 'planning',
    department: 'natural-resources-planning',
    keywords: ['三区三线', '城镇开发边界', 'urban development boundary'],
    classification: 'public',
    updateFrequency: 'once',
    geometryType: 'MultiPolygon',
    fields: ZONE_FIELDS,
    *features() {
      for (const z of ctx.zones().urbanBoundary) yield zoneFeature(ctx, z);
    },
  });
}

/** True for the cultivated-land classes (耕地). */
export function isCultivated(cls: number): boolean {
  return LAND_CLASSES[cls].groupCode === '01';
}

/** `permanent_basic_farmland`. */
export function basicFarmlandLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'permanent_basic_farmland',
    title: { zh: '永久基本农田', en: 'Permanent basic farmland' },
    description: {
      zh: '永久基本农田保护图斑（合成）：耕地图斑中不触及生态保护红线和城镇开发边界者。',
      en: 'Permanent basic farmland patches (synthetic): cultivated parcels touching neither the red line nor the development boundary.',
    },
    theme: 'planning',
    department: 'natural-resources-planning',
    keywords: ['三区三线', '永久基本农田', 'basic farmland', 'farmland protection'],
    classification: 'internal',
    updateFrequency: 'yearly',
    geometryType: 'MultiPolygon',
    fields: [
      field('patch_id', '保护图斑编号', 'Patch id', 'text'),
      field('parcel_id', '图斑编号', 'Parcel id', 'text'),
      field('land_class_code', '地类编码', 'Land class code', 'text'),
      field('land_class', '地类名称', 'Land class', 'text'),
      field('area_m2', '面积', 'Area', 'number', 'm²'),
      field('area_mu', '面积（亩）', 'Area (mu)', 'number', 'mu'),
      field('quality_grade', '耕地质量等别', 'Quality grade', 'integer'),
      field('protected_since', '划定日期', 'Protected since', 'date'),
      ...REGION_FIELDS,
    ],
    *features() {
      const zones = ctx.zones();
      for (const p of ctx.parcels()) {
        if (!isBasicFarmland(p, zones, isCultivated, hashUnit(ctx.seed, 201, p.box[0] | 0, p.box[1] | 0))) continue;
        const geometry = toGeoPolygon(ctx.frame, parcelShape(p));
        if (!geometry) continue;
        const c = LAND_CLASSES[p.cls];
        const u = hashUnit(ctx.seed, 202, p.box[0] | 0, p.box[1] | 0);
        yield {
          geometry: geometry.type === 'Polygon' ? { type: 'MultiPolygon' as const, coordinates: [geometry.coordinates] } : geometry,
          properties: {
            patch_id: `JBNT${p.id}`,
            parcel_id: p.id,
            land_class_code: c.code,
            land_class: c.nameZh,
            area_m2: round(p.areaM2, 2),
            area_mu: round(toMu(p.areaM2), 3),
            quality_grade: 3 + Math.floor(u * 5),
            protected_since: '2022-10-14',
            ...regionProps(p.village),
          },
        };
      }
    },
  });
}
