/**
 * The 88 enterprise indicators of the demo county's "per-mu efficiency" (亩均论英雄) evaluation:
 * output and finance, employment, innovation, land, energy, emissions, compliance, digitalisation.
 * Each year's values are derived from the enterprise's base record so that they hang together
 * (tax ≤ revenue, output per mu = output / land, …).
 */
import type { EnterpriseBase } from './enterprise-profile.ts';
import { Rng } from './random.ts';

/** Definition of one indicator. */
export interface IndicatorDef {
  name: string;
  zh: string;
  en: string;
  unit: string;
  type: 'integer' | 'number';
}

type V = Record<string, number>;

const D = (name: string, zh: string, en: string, unit: string, type: 'integer' | 'number' = 'number'): IndicatorDef => ({ name, zh, en, unit, type });

/** The 88 indicators, in column order. */
export const INDICATORS: readonly IndicatorDef[] = [
  D('output_value', '工业总产值', 'Gross output value', '万元'),
  D('sales_revenue', '营业收入', 'Operating revenue', '万元'),
  D('main_business_revenue', '主营业务收入', 'Main business revenue', '万元'),
  D('value_added', '增加值', 'Value added', '万元'),
  D('total_profit', '利润总额', 'Total profit', '万元'),
  D('net_profit', '净利润', 'Net profit', '万元'),
  D('tax_total', '实缴税金', 'Taxes paid', '万元'),
  D('vat_paid', '增值税', 'Value-added tax', '万元'),
  D('corporate_income_tax', '企业所得税', 'Corporate income tax', '万元'),
  D('other_taxes', '其他税费', 'Other taxes and fees', '万元'),
  D('export_value', '出口交货值', 'Export delivery value', '万元'),
  D('new_product_output', '新产品产值', 'New product output', '万元'),
  D('high_tech_revenue', '高新技术产品收入', 'High-tech product revenue', '万元'),
  D('total_assets', '资产总计', 'Total assets', '万元'),
  D('total_liabilities', '负债合计', 'Total liabilities', '万元'),
  D('owners_equity', '所有者权益', "Owners' equity", '万元'),
  D('fixed_assets', '固定资产原价', 'Fixed assets (original value)', '万元'),
  D('fixed_asset_investment', '固定资产投资', 'Fixed-asset investment', '万元'),
  D('tech_upgrade_investment', '技术改造投资', 'Technical upgrade investment', '万元'),
  D('inventory', '存货', 'Inventory', '万元'),
  D('accounts_receivable', '应收账款', 'Accounts receivable', '万元'),
  D('operating_cost', '营业成本', 'Operating cost', '万元'),
  D('selling_expenses', '销售费用', 'Selling expenses', '万元'),
  D('admin_expenses', '管理费用', 'Administrative expenses', '万元'),
  D('financial_expenses', '财务费用', 'Financial expenses', '万元'),
  D('payroll', '应付职工薪酬', 'Payroll', '万元'),
  D('employees_avg', '从业人员平均人数', 'Average employees', '人', 'integer'),
  D('employees_year_end', '年末从业人员数', 'Employees at year end', '人', 'integer'),
  D('rd_staff', '研发人员数', 'R&D staff', '人', 'integer'),
  D('technical_staff', '专业技术人员数', 'Technical staff', '人', 'integer'),
  D('graduates', '大专及以上学历人数', 'Staff with college degrees', '人', 'integer'),
  D('insured_employees', '参保职工人数', 'Insured employees', '人', 'integer'),
  D('average_wage', '平均工资', 'Average wage', '万元/人'),
  D('rd_expenditure', '研发费用', 'R&D expenditure', '万元'),
  D('rd_intensity', '研发投入强度', 'R&D intensity', '%'),
  D('patent_applications', '专利申请数', 'Patent applications', '件', 'integer'),
  D('patents_granted', '专利授权数', 'Patents granted', '件', 'integer'),
  D('invention_patents_granted', '发明专利授权数', 'Invention patents granted', '件', 'integer'),
  D('valid_invention_patents', '有效发明专利数', 'Valid invention patents', '件', 'integer'),
  D('software_copyrights', '软件著作权数', 'Software copyrights', '件', 'integer'),
  D('standards_led', '主导制定标准数', 'Standards led', '项', 'integer'),
  D('new_products', '新产品数', 'New products', '个', 'integer'),
  D('rd_centres', '研发机构数', 'R&D centres', '个', 'integer'),
  D('land_area_mu', '用地面积', 'Land area', '亩'),
  D('floor_area_m2', '建筑面积', 'Floor area', 'm²'),
  D('plot_ratio', '容积率', 'Plot ratio', '1'),
  D('output_per_mu', '亩均产值', 'Output per mu', '万元/亩'),
  D('tax_per_mu', '亩均税收', 'Tax per mu', '万元/亩'),
  D('value_added_per_mu', '亩均增加值', 'Value added per mu', '万元/亩'),
  D('profit_per_mu', '亩均利润', 'Profit per mu', '万元/亩'),
  D('energy_consumption', '综合能耗', 'Total energy consumption', 'tce'),
  D('electricity_use', '用电量', 'Electricity use', '万kWh'),
  D('natural_gas_use', '天然气用量', 'Natural gas use', '万m³'),
  D('coal_use', '煤炭消费量', 'Coal use', 't'),
  D('water_use', '用水量', 'Water use', 't'),
  D('energy_per_value_added', '单位增加值能耗', 'Energy per value added', 'tce/万元'),
  D('electricity_per_output', '单位产值电耗', 'Electricity per output', 'kWh/万元'),
  D('renewable_electricity', '可再生能源发电量', 'Renewable electricity generated', '万kWh'),
  D('pv_capacity', '光伏装机容量', 'Photovoltaic capacity', 'kW'),
  D('co2_emissions', '二氧化碳排放量', 'CO₂ emissions', 't'),
  D('co2_per_value_added', '单位增加值碳排放', 'CO₂ per value added', 't/万元'),
  D('so2_emissions', '二氧化硫排放量', 'SO₂ emissions', 't'),
  D('nox_emissions', '氮氧化物排放量', 'NOx emissions', 't'),
  D('particulate_emissions', '颗粒物排放量', 'Particulate emissions', 't'),
  D('voc_emissions', '挥发性有机物排放量', 'VOC emissions', 't'),
  D('cod_discharge', '化学需氧量排放量', 'COD discharge', 't'),
  D('ammonia_nitrogen_discharge', '氨氮排放量', 'Ammonia nitrogen discharge', 't'),
  D('wastewater_discharge', '废水排放量', 'Wastewater discharge', 't'),
  D('solid_waste', '一般工业固体废物产生量', 'General industrial solid waste', 't'),
  D('solid_waste_utilised', '一般工业固体废物综合利用量', 'Solid waste utilised', 't'),
  D('hazardous_waste', '危险废物产生量', 'Hazardous waste', 't'),
  D('value_added_per_emission', '单位排放增加值', 'Value added per unit of emissions', '万元/t'),
  D('safety_incidents', '安全生产事故数', 'Work-safety incidents', '起', 'integer'),
  D('environmental_penalties', '环境行政处罚次数', 'Environmental penalties', '次', 'integer'),
  D('inspections', '执法检查次数', 'Inspections', '次', 'integer'),
  D('complaints', '信访投诉件数', 'Complaints', '件', 'integer'),
  D('credit_score', '企业信用评分', 'Credit score', '分'),
  D('bank_loans', '银行贷款余额', 'Outstanding bank loans', '万元'),
  D('government_subsidies', '政府补助', 'Government subsidies', '万元'),
  D('tax_relief', '税收减免', 'Tax relief', '万元'),
  D('debt_ratio', '资产负债率', 'Debt-to-asset ratio', '%'),
  D('profit_margin', '销售利润率', 'Profit margin', '%'),
  D('labour_productivity', '全员劳动生产率', 'Labour productivity', '万元/人'),
  D('digital_investment', '数字化改造投入', 'Digital transformation investment', '万元'),
  D('industrial_robots', '工业机器人数', 'Industrial robots', '台', 'integer'),
  D('cnc_rate', '关键工序数控化率', 'Key-process CNC rate', '%'),
  D('cloud_devices', '上云设备数', 'Devices on the cloud', '台', 'integer'),
  D('mu_efficiency_score', '亩均效益综合评价得分', 'Per-mu efficiency score', '分'),
];

/** Years covered by the indicator table. */
export const INDICATOR_YEARS = [2021, 2022, 2023] as const;

const r2 = (x: number): number => Math.round(x * 100) / 100;
const int = (x: number): number => Math.max(0, Math.round(x));

/** The indicator values of an enterprise for a year (all 88, rounded). */
export function indicatorValues(seed: number, e: EnterpriseBase, year: number): V {
  const rng = new Rng(seed, `indicators:${e.id}:${year}`);
  const base = new Rng(seed, `indicators:${e.id}`);
  const ind = e.industry;
  const manufacturing = ind.code.startsWith('C');
  const t = year - INDICATOR_YEARS[0];
  const g = Math.pow(1 + e.growth, t) * rng.range(0.95, 1.05);
  const emp = Math.max(2, Math.round(e.employees * Math.pow(1 + e.growth / 3, t)));
  const v: V = {};
  v.output_value = r2(emp * ind.productivity * base.logNormal(1, 0.35) * g);
  v.sales_revenue = r2(v.output_value * rng.range(0.92, 1.05));
  v.main_business_revenue = r2(v.sales_revenue * rng.range(0.9, 0.99));
  v.value_added = r2(v.output_value * (manufacturing ? rng.range(0.18, 0.32) : rng.range(0.3, 0.55)));
  const margin = rng.normal(0.065, 0.045);
  v.total_profit = r2(v.sales_revenue * margin);
  v.net_profit = r2(v.total_profit > 0 ? v.total_profit * 0.8 : v.total_profit);
  v.vat_paid = r2(v.value_added * rng.range(0.06, 0.1));
  v.corporate_income_tax = r2(Math.max(0, v.total_profit) * (e.highTech ? 0.15 : 0.25));
  v.other_taxes = r2(v.sales_revenue * rng.range(0.002, 0.006));
  v.tax_total = r2(v.vat_paid + v.corporate_income_tax + v.other_taxes);
  v.export_value = r2(v.output_value * ind.exportShare * base.range(0.3, 1.6));
  v.new_product_output = r2(v.output_value * (e.highTech ? rng.range(0.25, 0.6) : rng.range(0, 0.2)));
  v.high_tech_revenue = r2(e.highTech ? v.sales_revenue * rng.range(0.5, 0.9) : 0);
  v.total_assets = r2(v.sales_revenue * base.range(0.8, 1.6));
  const debt = base.range(0.3, 0.7);
  v.total_liabilities = r2(v.total_assets * debt);
  v.owners_equity = r2(v.total_assets - v.total_liabilities);
  v.fixed_assets = r2(v.total_assets * base.range(0.3, 0.6));
  v.fixed_asset_investment = r2(v.fixed_assets * rng.range(0.03, 0.2));
  v.tech_upgrade_investment = r2(v.fixed_asset_investment * rng.range(0.2, 0.7));
  v.inventory = r2(v.sales_revenue * rng.range(0.06, 0.2));
  v.accounts_receivable = r2(v.sales_revenue * rng.range(0.08, 0.3));
  v.operating_cost = r2(v.sales_revenue * (1 - rng.range(0.12, 0.35)));
  v.selling_expenses = r2(v.sales_revenue * rng.range(0.015, 0.06));
  v.admin_expenses = r2(v.sales_revenue * rng.range(0.03, 0.08));
  v.financial_expenses = r2(v.total_liabilities * rng.range(0.015, 0.04));
  const wage = base.range(6, 11) * (1 + 0.04 * t);
  v.payroll = r2(emp * wage);
  v.employees_avg = emp;
  v.employees_year_end = int(emp * rng.range(0.97, 1.05));
  v.rd_staff = int(emp * Math.min(0.6, ind.rd * 3 * base.range(0.5, 1.5)));
  v.technical_staff = int(emp * rng.range(0.08, 0.25));
  v.graduates = int(emp * (ind.rd > 0.05 ? rng.range(0.5, 0.9) : rng.range(0.15, 0.45)));
  v.insured_employees = int(emp * rng.range(0.88, 1));
  v.average_wage = r2(wage);
  v.rd_expenditure = r2(v.sales_revenue * ind.rd * base.range(0.5, 1.6) * (e.highTech ? 1.3 : 1));
  v.rd_intensity = r2(v.sales_revenue > 0 ? (100 * v.rd_expenditure) / v.sales_revenue : 0);
  v.patent_applications = int(v.rd_expenditure / rng.range(40, 120));
  v.patents_granted = int(v.patent_applications * rng.range(0.4, 0.8));
  v.invention_patents_granted = int(v.patents_granted * rng.range(0.1, 0.35));
  v.valid_invention_patents = int(v.invention_patents_granted * (2 + t) + base.int(0, 3) * (e.highTech ? 1 : 0));
  v.software_copyrights = int(ind.code.startsWith('I') || ind.code.startsWith('M') ? v.rd_staff * rng.range(0.1, 0.4) : rng.range(0, 1.2));
  v.standards_led = int(e.highTech && rng.chance(0.2) ? rng.int(1, 3) : 0);
  v.new_products = int(v.new_product_output / rng.range(200, 2000));
  v.rd_centres = int(e.highTech ? base.int(1, 3) : base.chance(0.15) ? 1 : 0);
  v.land_area_mu = e.landMu;
  v.floor_area_m2 = r2(e.landMu * 666.67 * base.range(0.6, 2.2));
  v.plot_ratio = r2(v.floor_area_m2 / (e.landMu * 666.67));
  v.output_per_mu = r2(v.output_value / e.landMu);
  v.tax_per_mu = r2(v.tax_total / e.landMu);
  v.value_added_per_mu = r2(v.value_added / e.landMu);
  v.profit_per_mu = r2(v.total_profit / e.landMu);
  v.energy_consumption = r2(v.output_value * ind.energy * base.range(0.6, 1.5) * Math.pow(0.97, t));
  v.electricity_use = r2((v.energy_consumption * rng.range(0.55, 0.8)) / 1.229);
  v.natural_gas_use = r2((v.energy_consumption * rng.range(0, 0.25)) / 12.143);
  v.coal_use = r2(ind.energy > 0.1 ? v.energy_consumption * rng.range(0, 0.3) / 0.7143 : 0);
  v.water_use = r2(emp * rng.range(30, 90) + v.output_value * ind.pollution * rng.range(0.5, 3));
  v.energy_per_value_added = r2(v.value_added > 0 ? v.energy_consumption / v.value_added : 0);
  v.electricity_per_output = r2(v.output_value > 0 ? (v.electricity_use * 10000) / v.output_value : 0);
  v.pv_capacity = r2(ind.code === 'D4416' ? e.landMu * 666.67 * 0.12 : base.chance(0.35) ? v.floor_area_m2 * 0.08 : 0);
  v.renewable_electricity = r2((v.pv_capacity * 1050) / 10000);
  v.co2_emissions = r2(v.electricity_use * 5.81 + v.natural_gas_use * 21.6 + v.coal_use * 1.9);
  v.co2_per_value_added = r2(v.value_added > 0 ? v.co2_emissions / v.value_added : 0);
  const p = ind.pollution * base.range(0.5, 1.5) * Math.pow(0.95, t);
  v.so2_emissions = r2(v.coal_use * 0.008 * p + v.energy_consumption * 0.0003 * p);
  v.nox_emissions = r2(v.energy_consumption * 0.002 * p);
  v.particulate_emissions = r2(v.energy_consumption * 0.0008 * p);
  v.voc_emissions = r2(['C2034', 'C2110', 'C2641', 'C2929'].includes(ind.code) ? v.output_value * 0.0006 * p : v.output_value * 0.00003 * p);
  v.wastewater_discharge = r2(v.water_use * rng.range(0.5, 0.8) * (ind.pollution > 0.3 ? 1 : 0.6));
  v.cod_discharge = r2((v.wastewater_discharge * 50) / 1e6 * (1 + p));
  v.ammonia_nitrogen_discharge = r2((v.wastewater_discharge * 5) / 1e6 * (1 + p));
  v.solid_waste = r2(v.output_value * 0.01 * (0.2 + p));
  v.solid_waste_utilised = r2(v.solid_waste * rng.range(0.75, 0.98));
  v.hazardous_waste = r2(ind.pollution > 0.3 ? v.output_value * 0.0008 * p : 0);
  const equiv = v.so2_emissions + v.nox_emissions + v.cod_discharge + v.ammonia_nitrogen_discharge;
  v.value_added_per_emission = r2(equiv > 0.01 ? v.value_added / equiv : v.value_added / 0.01);
  v.safety_incidents = int(rng.chance(0.01 + 0.02 * ind.pollution) ? 1 : 0);
  v.environmental_penalties = int(rng.chance(0.02 + 0.08 * ind.pollution) ? rng.int(1, 2) : 0);
  v.inspections = int(rng.int(0, 2) + 4 * ind.pollution * rng.next());
  v.complaints = int(rng.chance(0.03 + 0.1 * ind.pollution) ? rng.int(1, 4) : 0);
  v.credit_score = r2(Math.min(100, 78 + 15 * base.next() - 4 * v.environmental_penalties - 6 * v.safety_incidents));
  v.bank_loans = r2(v.total_liabilities * rng.range(0.2, 0.6));
  v.government_subsidies = r2(v.sales_revenue * (e.highTech ? rng.range(0.002, 0.02) : rng.range(0, 0.005)));
  v.tax_relief = r2(v.rd_expenditure * 0.25 * (e.highTech ? 1 : 0.5));
  v.debt_ratio = r2(debt * 100);
  v.profit_margin = r2(margin * 100);
  v.labour_productivity = r2(v.value_added / emp);
  v.digital_investment = r2(v.fixed_asset_investment * rng.range(0.05, 0.3));
  v.industrial_robots = int(manufacturing ? (emp / 40) * base.range(0, 2) * (1 + 0.2 * t) : 0);
  v.cnc_rate = r2(manufacturing ? Math.min(95, base.range(35, 75) + 3 * t) : 0);
  v.cloud_devices = int(manufacturing ? (emp / 8) * base.range(0, 1.5) * (1 + 0.25 * t) : emp * 0.05);
  const score = 40 + 8 * Math.log10(1 + Math.max(0, v.tax_per_mu)) * 3 + 6 * Math.log10(1 + Math.max(0, v.value_added_per_mu)) + 2 * Math.min(5, v.rd_intensity) - 3 * Math.min(3, v.energy_per_value_added);
  v.mu_efficiency_score = r2(Math.max(0, Math.min(100, score)));
  return v;
}

/** Efficiency grade A–D (亩均效益等级) from a score. */
export function efficiencyGrade(score: number): 'A' | 'B' | 'C' | 'D' {
  return score >= 70 ? 'A' : score >= 58 ? 'B' : score >= 45 ? 'C' : 'D';
}
