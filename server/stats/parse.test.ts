import { describe, expect, it } from 'vitest';
import { planColumns, splitUnit } from './columns.ts';
import { parseNumber, parsePeriod } from './parse.ts';
import { quantileBreaks } from './service.ts';

describe('statistical table cells and columns', () => {
  it('reads numbers with thousands separators and nothing else', () => {
    expect(['1,234.5', ' 1234 ', '-0.5', '.5', '1e3', '12,345,678', '', null, 7].map(parseNumber)).toEqual([1234.5, 1234, -0.5, 0.5, 1000, 12345678, null, null, 7]);
    expect(['1,23', '12%', 'abc', '1.2.3', '-', 'NaN', 'Infinity', ',', Number.NaN, true].map(parseNumber)).toEqual(Array(10).fill(undefined));
  });

  it('reads years and months in the forms Chinese tables use', () => {
    const ok: Array<[unknown, string]> = [[2023, '2023'], ['2023', '2023'], ['2023年', '2023'], ['2023-05', '2023-05'], ['2023-5', '2023-05'], ['2023/05', '2023-05'], ['2023.5', '2023-05'], ['202305', '2023-05'], ['2023年5月', '2023-05'], [' 2023年12月 ', '2023-12']];
    for (const [v, p] of ok) expect(parsePeriod(v), String(v)).toBe(p);
    for (const v of ['2023-13', '2023-00', '23', '2023Q1', '1800', '2023-05-01', 2023.5, null]) expect(parsePeriod(v), String(v)).toBeNull();
  });

  it('splits units off headers and plans the columns', () => {
    expect(splitUnit('GDP（亿元）')).toEqual({ name: 'GDP', unit: '亿元' });
    expect(splitUnit('常住人口 (人)')).toEqual({ name: '常住人口', unit: '人' });
    expect(splitUnit('rate [%]')).toEqual({ name: 'rate', unit: '%' });
    expect(splitUnit('(no name)')).toEqual({ name: '(no name)', unit: '' });
    const plan = planColumns(['统计用区划代码', '名称', '年度', '月份', '户数（户）', 'Remark'], { indicators: { 户数: { titleEn: 'Households' } } });
    expect(plan).toMatchObject({ region: '统计用区划代码', year: '年度', month: '月份', ignored: ['名称', 'Remark'], indicators: [{ column: '户数（户）', name: '户数', unit: '户', title: { zh: '户数', en: 'Households' } }] });
    expect(planColumns(['code', 'month', 'v'], {})).toMatchObject({ period: 'month' });
    expect(() => planColumns(['code', 'year', 'a (x)', 'a（y）'], {})).toThrow(/same indicator "a"/);
    expect(() => planColumns(['code', 'year', 'v'], { indicators: { w: {} } })).toThrow(/Titles were given for "w"/);
  });

  it('computes quantile breaks for legends', () => {
    expect(quantileBreaks([5, 1, 4, 2, 3, 9, 8, 7, 6, 10])).toEqual([3, 5, 7, 9]);
    expect(quantileBreaks([1, null, 1, 1])).toEqual([1]);
    expect(quantileBreaks([4])).toEqual([]);
  });
});
