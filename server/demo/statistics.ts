/**
 * Statistical tables of the demo county, keyed by region code and period: the annual economy of
 * the county and its towns (2021–2023), annual village population and collective income, and the
 * monthly grid-management events per village (2023). Populations agree with the regions'.
 */
import type { DemoContext } from './context.ts';
import { TOWN_PROFILES } from './deqing-geography.ts';
import { Rng } from './random.ts';
import type { RegionNode } from './regions.ts';
import type { DemoStatTable, I18nText } from './types.ts';

type Row = DemoStatTable['rows'][number];

const col = (name: string, zh: string, en: string, unit?: string): DemoStatTable['columns'][number] => {
  const title: I18nText = { zh, en };
  return unit === undefined ? { name, title } : { name, title, unit };
};

const row = (region: string, period: string, values: Record<string, number>): Row => ({ region_code: region, period, ...values }) as Row;

const YEARS = [2021, 2022, 2023];
const r1 = (x: number): number => Math.round(x * 10) / 10;
const r2 = (x: number): number => Math.round(x * 100) / 100;

function townEconomy(ctx: DemoContext): DemoStatTable {
  const rows: Row[] = [];
  const totals = new Map<number, Record<string, number>>();
  for (const t of ctx.regions.towns) {
    const rng = new Rng(ctx.seed, `stat-econ:${t.code}`);
    const prof = TOWN_PROFILES.find((p) => p.code === t.code)!;
    const industrial = prof.industryKm;
    const perCapita = 6.5 + 5 * industrial + rng.range(-1.2, 1.2); // 10k CNY of GDP per resident
    const registeredShare = rng.range(0.72, 0.9);
    for (const y of YEARS) {
      const f = Math.pow(1.055 + rng.range(-0.01, 0.01), y - 2023);
      const pop = Math.round(t.population * Math.pow(1.008, y - 2023));
      const gdp = (pop * perCapita * f) / 10_000; // 亿元
      const primary = gdp * (t.code === '330521115' ? 0.08 : rng.range(0.02, 0.06));
      const secondary = gdp * (0.35 + 0.25 * Math.min(1, industrial / 1.3));
      const v = {
        resident_population: pop,
        registered_population: Math.round(pop * registeredShare * (1 + 0.004 * (2023 - y))),
        gdp: r2(gdp),
        primary_industry: r2(primary),
        secondary_industry: r2(secondary),
        tertiary_industry: r2(gdp - primary - secondary),
        fiscal_revenue: r2(gdp * rng.range(0.09, 0.13)),
        retail_sales: r2(gdp * rng.range(0.3, 0.45)),
        urban_income: Math.round(68000 * f * rng.range(0.92, 1.08)),
        rural_income: Math.round(45000 * f * rng.range(0.9, 1.1)),
      };
      rows.push(row(t.code, String(y), v));
      const acc = totals.get(y) ?? {};
      for (const [k, x] of Object.entries(v)) acc[k] = (acc[k] ?? 0) + x * (k.endsWith('income') ? pop : 1);
      acc.__pop = (acc.__pop ?? 0) + pop;
      totals.set(y, acc);
    }
  }
  for (const y of YEARS) {
    const acc = totals.get(y)!;
    const v: Record<string, number> = {};
    for (const [k, x] of Object.entries(acc)) {
      if (k === '__pop') continue;
      v[k] = k.endsWith('income') ? Math.round(x / acc.__pop) : k.endsWith('population') ? x : r2(x);
    }
    rows.push(row(ctx.regions.county.code, String(y), v));
  }
  return {
    id: 'town_economy_annual',
    title: { zh: '乡镇（街道）经济社会主要指标', en: 'Economy and population by town, annual' },
    department: 'statistics',
    periodType: 'year',
    columns: [
      col('resident_population', '常住人口', 'Resident population', '人'),
      col('registered_population', '户籍人口', 'Registered population', '人'),
      col('gdp', '地区生产总值', 'GDP', '亿元'),
      col('primary_industry', '第一产业增加值', 'Primary industry value added', '亿元'),
      col('secondary_industry', '第二产业增加值', 'Secondary industry value added', '亿元'),
      col('tertiary_industry', '第三产业增加值', 'Tertiary industry value added', '亿元'),
      col('fiscal_revenue', '财政总收入', 'Fiscal revenue', '亿元'),
      col('retail_sales', '社会消费品零售总额', 'Retail sales of consumer goods', '亿元'),
      col('urban_income', '城镇居民人均可支配收入', 'Urban disposable income per capita', '元'),
      col('rural_income', '农村居民人均可支配收入', 'Rural disposable income per capita', '元'),
    ],
    rows,
  };
}

function villagePopulation(ctx: DemoContext): DemoStatTable {
  const rows: Row[] = [];
  for (const v of ctx.regions.villages) {
    const rng = new Rng(ctx.seed, `stat-village:${v.code}`);
    const size = rng.range(2.4, 2.9);
    const registered = rng.range(0.7, 0.95);
    const old = rng.range(0.16, 0.26);
    for (const y of YEARS) {
      const pop = Math.round(v.population * Math.pow(1.006, y - 2023));
      rows.push(row(v.code, String(y), {
        households: Math.round(pop / size),
        residents: pop,
        registered_residents: Math.round(pop * registered),
        aged_65_plus: Math.round(pop * (old - 0.006 * (2023 - y))),
        collective_income: r1((v.kind === 'village' ? rng.range(80, 400) : rng.range(30, 150)) * Math.pow(1.08, y - 2023)),
      }));
    }
  }
  return {
    id: 'village_population_annual',
    title: { zh: '村（社区）人口与集体经济', en: 'Village population and collective income, annual' },
    department: 'civil-affairs',
    periodType: 'year',
    columns: [
      col('households', '户数', 'Households', '户'),
      col('residents', '常住人口', 'Residents', '人'),
      col('registered_residents', '户籍人口', 'Registered residents', '人'),
      col('aged_65_plus', '65岁及以上人口', 'Aged 65 and over', '人'),
      col('collective_income', '村级集体经济收入', 'Collective economy income', '万元'),
    ],
    rows,
  };
}

function villageGridEvents(ctx: DemoContext): DemoStatTable {
  const rows: Row[] = [];
  const monthly = (v: RegionNode): number => (v.population / 650_000) * 9000; // >100,000 events a year county-wide
  for (const v of ctx.regions.villages) {
    const rng = new Rng(ctx.seed, `stat-events:${v.code}`);
    for (let m = 1; m <= 12; m++) {
      const season = 1 + 0.25 * Math.sin(((m - 4) / 12) * 2 * Math.PI);
      const reported = Math.max(0, Math.round(monthly(v) * season * rng.range(0.7, 1.3)));
      const closed = Math.min(reported, Math.round(reported * rng.range(0.9, 1)));
      rows.push(row(v.code, `2023-${String(m).padStart(2, '0')}`, {
        events_reported: reported,
        events_closed: closed,
        closure_rate: reported ? r1((100 * closed) / reported) : 100,
        avg_handling_hours: r1(rng.range(6, 60)),
        satisfaction_rate: r1(rng.range(88, 99.5)),
        patrols: Math.round(v.children.length * rng.range(40, 80)),
      }));
    }
  }
  return {
    id: 'village_grid_events_monthly',
    title: { zh: '村（社区）网格事件月报', en: 'Grid management events by village, monthly' },
    department: 'big-data',
    periodType: 'month',
    columns: [
      col('events_reported', '上报事件数', 'Events reported', '件'),
      col('events_closed', '办结事件数', 'Events closed', '件'),
      col('closure_rate', '办结率', 'Closure rate', '%'),
      col('avg_handling_hours', '平均办理时长', 'Mean handling time', 'h'),
      col('satisfaction_rate', '群众满意率', 'Satisfaction', '%'),
      col('patrols', '网格巡查次数', 'Grid patrols', '次'),
    ],
    rows,
  };
}

/** All statistical tables. */
export function buildStatistics(ctx: DemoContext): DemoStatTable[] {
  return [townEconomy(ctx), villagePopulation(ctx), villageGridEvents(ctx)];
}
