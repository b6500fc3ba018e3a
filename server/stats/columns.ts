import { YituError } from '../platform/errors.ts';
import type { IndicatorMetaInput, StatIndicator, StatImportOptions } from './model.ts';

/** Normalises a header for matching: lower case, without spaces, _ - . and brackets. */
export const normHeader = (s: string) => s.trim().toLowerCase().replace(/[\s_\-.()（）【】[\]:：]/g, '');

/** Header names of the region code column, most specific first. */
export const REGION_NAMES = [
  'regioncode', '行政区划代码', '统计用区划代码', '区划代码', '行政区划编码', '区划编码', '行政代码', '地区代码', '区域代码',
  'admincode', 'adcode', 'areacode', 'divisioncode', 'xzqhdm', 'xzqdm', 'code', '代码', '编码',
];
/** Header names of a period column (2023, 2023-05, 2023年5月…). */
export const PERIOD_NAMES = ['period', '时期', '统计期', '报告期', '统计时间', '时间', '统计年月', '年月', 'yearmonth', 'date', '日期'];
/** Header names of a year column. */
export const YEAR_NAMES = ['year', '年份', '年度', '统计年度', '统计年份', '年', 'nf'];
/** Header names of a month column (1–12, or a whole 2023-05). */
export const MONTH_NAMES = ['month', '月份', '统计月份', '月', 'yf'];
/** Header names of columns that describe the region (left out, not indicators). */
export const NAME_NAMES = [
  'name', 'regionname', 'namezh', 'nameen', 'level', '层级', '级别', '名称', '地区', '地区名称', '区划名称', '行政区划名称', '区域名称', '行政区名称',
  '单位名称', '乡镇', '乡镇街道', '乡镇（街道）', '村', '村社区', '村（社区）', '镇名', '村名', '备注', 'remark', 'remarks', 'note', 'notes',
];

/** How the columns of a table are used. */
export interface ColumnPlan {
  region: string;
  /** A period column, or a year column with an optional month column. */
  period?: string;
  year?: string;
  month?: string;
  ignored: string[];
  indicators: Array<StatIndicator & { column: string }>;
}

/** Splits "GDP（亿元）", "gdp (亿元)", "常住人口[人]" into a name and a unit. */
export function splitUnit(header: string): { name: string; unit: string } {
  const m = /^(.*?)\s*[（(【[]\s*([^（()）【】[\]]{1,30}?)\s*[）)】\]]\s*$/.exec(header.trim());
  return m && m[1].trim() ? { name: m[1].trim(), unit: m[2].trim() } : { name: header.trim(), unit: '' };
}

const hasCjk = (s: string) => /[\u3400-\u9fff]/.test(s);

function pick(columns: string[], names: string[], taken: Set<string>): string | undefined {
  const normed = columns.map(normHeader);
  for (const n of names) {
    const i = normed.findIndex((h, k) => h === n && !taken.has(columns[k]));
    if (i >= 0) return columns[i];
  }
  return undefined;
}

function explicit(columns: string[], wanted: string, option: string): string {
  const hit = columns.find((c) => c === wanted) ?? columns.find((c) => normHeader(c) === normHeader(wanted));
  if (!hit) throw new YituError('YITU_ERR_STATS_INVALID', `The column "${wanted}" (${option}) is not in the table; its columns are: ${columns.join(', ')}.`, { errors: [{ field: option, reason: `no column "${wanted}"` }] });
  return hit;
}

/**
 * Decides which column holds the region codes, which the period (a period column, or year and
 * month columns), which to leave out (names, remarks, asked-for) and which are indicators
 * (every other column). Titles and units come from `opts.indicators`, else from the header.
 */
export function planColumns(columns: string[], opts: Pick<StatImportOptions, 'regionColumn' | 'periodColumn' | 'period' | 'ignoreColumns' | 'indicators'>): ColumnPlan {
  const taken = new Set<string>();
  const take = (c: string | undefined) => (c && taken.add(c), c);
  const region = take(opts.regionColumn ? explicit(columns, opts.regionColumn, 'regionColumn') : pick(columns, REGION_NAMES, taken));
  if (!region) {
    throw new YituError('YITU_ERR_STATS_INVALID', `No region code column: name it region_code (or 行政区划代码, 区划代码, code), or say which it is with regionColumn. The columns are: ${columns.join(', ')}.`, {
      errors: [{ field: 'regionColumn', reason: 'no region code column' }],
    });
  }
  const plan: ColumnPlan = { region, ignored: [], indicators: [] };
  if (opts.periodColumn) plan.period = take(explicit(columns, opts.periodColumn, 'periodColumn'));
  else if (opts.period === undefined) {
    plan.period = take(pick(columns, PERIOD_NAMES, taken));
    if (!plan.period) {
      plan.year = take(pick(columns, YEAR_NAMES, taken));
      plan.month = take(pick(columns, MONTH_NAMES, taken));
      if (!plan.year && plan.month) [plan.period, plan.month] = [plan.month, undefined];
    }
    if (!plan.period && !plan.year) {
      throw new YituError('YITU_ERR_STATS_INVALID', `No period column: name it period (or year, 年份, month, 月份) with values like 2023 or 2023-05, say which it is with periodColumn, or give the period of the whole table (period=2023). The columns are: ${columns.join(', ')}.`, {
        errors: [{ field: 'periodColumn', reason: 'no period column' }],
      });
    }
  }
  for (const c of opts.ignoreColumns ?? []) plan.ignored.push(take(explicit(columns, c, 'ignoreColumns'))!);
  const seen = new Map<string, string>();
  const meta = new Map(Object.entries(opts.indicators ?? {}));
  for (const c of columns) {
    if (taken.has(c)) continue;
    const n = normHeader(c);
    if (NAME_NAMES.includes(n) || REGION_NAMES.includes(n) || c.trim() === '') {
      plan.ignored.push(c);
      continue;
    }
    const { name, unit } = splitUnit(c);
    if (name.length > 100) throw new YituError('YITU_ERR_STATS_INVALID', `The column name "${name.slice(0, 40)}…" is longer than 100 characters.`, { errors: [{ field: c, reason: 'name too long' }] });
    if (seen.has(name)) {
      throw new YituError('YITU_ERR_STATS_INVALID', `The columns "${seen.get(name)}" and "${c}" are the same indicator "${name}"; rename one.`, { errors: [{ field: c, reason: `same indicator as "${seen.get(name)}"` }] });
    }
    seen.set(name, c);
    const m: IndicatorMetaInput = meta.get(name) ?? meta.get(c) ?? {};
    meta.delete(name);
    meta.delete(c);
    plan.indicators.push({
      column: c,
      name,
      title: { zh: m.titleZh ?? (hasCjk(name) ? name : ''), en: m.titleEn ?? (hasCjk(name) ? '' : name) },
      unit: m.unit ?? unit,
    });
  }
  if (!plan.indicators.length) {
    throw new YituError('YITU_ERR_STATS_INVALID', `The table has no indicator columns: besides the region code (${region}) and the period, it needs at least one numeric column. The columns are: ${columns.join(', ')}.`, {
      errors: [{ reason: 'no indicator columns' }],
    });
  }
  if (meta.size) {
    throw new YituError('YITU_ERR_STATS_INVALID', `Titles were given for ${[...meta.keys()].map((k) => `"${k}"`).join(', ')}, which ${meta.size > 1 ? 'are not columns' : 'is not a column'} of the table; its indicators are: ${plan.indicators.map((i) => i.name).join(', ')}.`, {
      errors: [...meta.keys()].map((k) => ({ field: 'indicators', reason: `no indicator "${k}"` })),
    });
  }
  return plan;
}
