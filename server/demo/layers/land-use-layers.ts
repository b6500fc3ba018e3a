/**
 * Current land use (现状): the land-use parcels (图斑) of the third national land survey
 * classification, village by village.
 */
import type { DemoContext } from '../context.ts';
import { round, toGeoPolygon, toMu } from '../geo-output.ts';
import { LAND_CLASSES } from '../land-classes.ts';
import { field, REGION_FIELDS, regionProps, syntheticLayer } from '../layer-kit.ts';
import { parcelShape } from '../parcel-model.ts';
import { hashUnit } from '../random.ts';
import type { DemoLayer } from '../types.ts';

/** `land_use_parcels`. */
export function landUseParcelsLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'land_use_parcels',
    title: { zh: '土地利用现状图斑', en: 'Land-use parcels' },
    description: {
      zh: '按第三次全国国土调查工作分类的土地利用现状图斑（合成数据），与地表覆盖一致。',
      en: 'Current land-use parcels in the third national land survey classification (synthetic), consistent with the land cover.',
    },
    theme: 'current',
    department: 'natural-resources-planning',
    keywords: ['三调', '土地利用', '图斑', 'land use', 'parcel'],
    classification: 'internal',
    updateFrequency: 'yearly',
    geometryType: 'MultiPolygon',
    fields: [
      field('parcel_id', '图斑编号', 'Parcel id', 'text'),
      field('land_class_code', '地类编码', 'Land class code', 'text'),
      field('land_class', '地类名称', 'Land class', 'text'),
      field('land_class_en', '地类名称（英文）', 'Land class (English)', 'text'),
      field('land_group_code', '一级类编码', 'Land group code', 'text'),
      field('land_group', '一级类名称', 'Land group', 'text'),
      field('area_m2', '图斑面积', 'Area', 'number', 'm²'),
      field('area_mu', '图斑面积（亩）', 'Area (mu)', 'number', 'mu'),
      field('ownership', '权属性质', 'Ownership', 'text'),
      field('ownership_zh', '权属性质（中文）', 'Ownership (Chinese)', 'text'),
      field('slope_grade', '耕地坡度级', 'Slope grade', 'integer'),
      field('survey_year', '调查年度', 'Survey year', 'integer'),
      ...REGION_FIELDS,
    ],
    *features() {
      for (const p of ctx.parcels()) {
        const geometry = toGeoPolygon(ctx.frame, parcelShape(p));
        if (!geometry) continue;
        const c = LAND_CLASSES[p.cls];
        const slope = ctx.terrain.slope(p.center[0], p.center[1], 80);
        yield {
          geometry: geometry.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [geometry.coordinates] } : geometry,
          properties: {
            parcel_id: p.id,
            land_class_code: c.code,
            land_class: c.nameZh,
            land_class_en: c.nameEn,
            land_group_code: c.groupCode,
            land_group: c.groupZh,
            area_m2: round(p.areaM2, 2),
            area_mu: round(toMu(p.areaM2), 3),
            ownership: p.ownership,
            ownership_zh: p.ownership === 'state' ? '国有' : '集体',
            slope_grade: slope <= 2 ? 1 : slope <= 6 ? 2 : slope <= 15 ? 3 : slope <= 25 ? 4 : 5,
            survey_year: 2023 - (hashUnit(ctx.seed, 5, p.box[0] | 0, p.box[1] | 0) < 0.1 ? 1 : 0),
            ...regionProps(p.village),
          },
        };
      }
    },
  });
}
