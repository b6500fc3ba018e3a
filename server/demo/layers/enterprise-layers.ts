/**
 * Socio-economic (社会经济): the enterprises (points) and their 88-indicator table over three years
 * (no geometry), for the per-mu efficiency evaluation and investment promotion.
 */
import type { DemoContext } from '../context.ts';
import { toGeoPoint } from '../geo-output.ts';
import { efficiencyGrade, INDICATOR_YEARS, INDICATORS, indicatorValues } from '../enterprise-indicators.ts';
import { enterpriseBases, SECTIONS } from '../enterprise-profile.ts';
import { field, isoDate, REGION_FIELDS, regionProps, syntheticLayer } from '../layer-kit.ts';
import { Rng } from '../random.ts';
import type { DemoLayer } from '../types.ts';

function sizeClass(employees: number, revenue: number): string {
  if (employees >= 1000 && revenue >= 40000) return '大型';
  if (employees >= 300 && revenue >= 2000) return '中型';
  if (employees >= 20 && revenue >= 300) return '小型';
  return '微型';
}

/** `enterprises`. */
export function enterprisesLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'enterprises',
    title: { zh: '企业', en: 'Enterprises' },
    description: {
      zh: '企业点位（合成）：行业分类（GB/T 4754-2017）、规模、用地、亩均效益等级，位于工业、商业或农业用地上。',
      en: 'Enterprises (synthetic): industry (GB/T 4754-2017), size, land, per-mu efficiency grade, located on industrial, commercial or farm land.',
    },
    theme: 'socioeconomic',
    department: 'economy-it',
    keywords: ['企业', '亩均论英雄', '产业', 'enterprise', 'industry'],
    classification: 'public',
    updateFrequency: 'monthly',
    geometryType: 'Point',
    fields: [
      field('enterprise_id', '企业编号', 'Enterprise id', 'text'),
      field('name', '企业名称', 'Name', 'text'),
      field('industry_code', '行业代码', 'Industry code (GB/T 4754-2017)', 'text'),
      field('industry', '行业名称', 'Industry', 'text'),
      field('industry_en', '行业名称（英文）', 'Industry (English)', 'text'),
      field('industry_section', '行业门类', 'Industry section', 'text'),
      field('size_class', '企业规模', 'Size class', 'text'),
      field('employees', '从业人员', 'Employees', 'integer', '人'),
      field('land_area_mu', '用地面积', 'Land area', 'number', '亩'),
      field('registered_capital', '注册资本', 'Registered capital', 'number', '万元'),
      field('established', '成立日期', 'Established', 'date'),
      field('is_high_tech', '高新技术企业', 'High-tech enterprise', 'boolean'),
      field('is_above_scale', '规模以上企业', 'Above designated size', 'boolean'),
      field('mu_efficiency_grade', '亩均效益等级', 'Per-mu efficiency grade', 'text'),
      field('parcel_id', '所在图斑', 'Parcel id', 'text'),
      ...REGION_FIELDS,
    ],
    *features() {
      for (const e of enterpriseBases(ctx)) {
        const latest = indicatorValues(ctx.seed, e, INDICATOR_YEARS[INDICATOR_YEARS.length - 1]);
        const rng = new Rng(ctx.seed, `enterprise:${e.id}`);
        const section = e.industry.code[0];
        yield {
          geometry: toGeoPoint(ctx.frame, e.location),
          properties: {
            enterprise_id: e.id,
            name: e.name,
            industry_code: e.industry.code,
            industry: e.industry.nameZh,
            industry_en: e.industry.nameEn,
            industry_section: `${section} ${SECTIONS[section]}`,
            size_class: sizeClass(e.employees, latest.sales_revenue),
            employees: latest.employees_avg,
            land_area_mu: e.landMu,
            registered_capital: e.registeredCapital,
            established: isoDate(e.founded, rng.int(0, 364)),
            is_high_tech: e.highTech,
            is_above_scale: section === 'C' && latest.main_business_revenue >= 2000,
            mu_efficiency_grade: efficiencyGrade(latest.mu_efficiency_score),
            parcel_id: e.parcel.id,
            ...regionProps(e.village),
          },
        };
      }
    },
  });
}

/** `enterprise_indicators`: one row per enterprise and year, 88 indicators, no geometry. */
export function enterpriseIndicatorsLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'enterprise_indicators',
    title: { zh: '企业亩均效益指标', en: 'Enterprise indicators' },
    description: {
      zh: `企业 ${INDICATOR_YEARS[0]}–${INDICATOR_YEARS[INDICATOR_YEARS.length - 1]} 年 ${INDICATORS.length} 项指标（产出、税收、能耗、排放、研发等，合成）。`,
      en: `${INDICATORS.length} indicators per enterprise and year, ${INDICATOR_YEARS[0]}–${INDICATOR_YEARS[INDICATOR_YEARS.length - 1]} (output, tax, energy, emissions, R&D…; synthetic).`,
    },
    theme: 'socioeconomic',
    department: 'economy-it',
    keywords: ['亩均论英雄', '企业指标', 'enterprise indicators', 'efficiency'],
    classification: 'confidential',
    updateFrequency: 'yearly',
    geometryType: null,
    fields: [
      field('enterprise_id', '企业编号', 'Enterprise id', 'text'),
      field('year', '年度', 'Year', 'integer'),
      ...INDICATORS.map((d) => field(d.name, d.zh, d.en, d.type, d.unit)),
    ],
    *features() {
      for (const e of enterpriseBases(ctx)) {
        for (const year of INDICATOR_YEARS) {
          yield { geometry: null, properties: { enterprise_id: e.id, year, ...indicatorValues(ctx.seed, e, year) } };
        }
      }
    },
  });
}
