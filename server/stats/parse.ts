import { type ErrorLocation, YituError } from '../platform/errors.ts';
import type { ColumnPlan } from './columns.ts';
import { MAX_STAT_ROWS } from './model.ts';

/** A data row read from a table: its 1-based position and values by column. */
export type RawRow = { row: number; values: Record<string, unknown> } | { row: number; error: true; reason: string; field?: string };

/** A checked row: region code as written (resolved later), period, one value per indicator. */
export interface ParsedRow {
  row: number;
  code: string;
  period: string;
  values: Array<number | null>;
}

/** Rows read and checked, with the problems found (at most 100 kept). */
export interface ParsedTable {
  rows: ParsedRow[];
  read: number;
  errors: ErrorLocation[];
  badRows: number;
}

const NUMBER = /^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
const MAX_ERRORS = 100;

const show = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
};

/**
 * Reads a cell as a number: numbers as they are; text trimmed, with thousands separators
 * ("1,234.5") accepted; empty → null. Returns undefined for anything else.
 */
export function parseNumber(v: unknown): number | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '') return null;
  if (!NUMBER.test(s) || !/\d/.test(s)) return undefined;
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

const yearOk = (y: number) => y >= 1900 && y <= 2200;
const monthStr = (m: number) => String(m).padStart(2, '0');

/**
 * Reads a period: a year (2023, "2023", "2023年") or a month ("2023-05", "2023-5", "2023/05",
 * "2023.05", "202305", "2023年5月"), returned as "2023" or "2023-05"; null when it is none.
 */
export function parsePeriod(v: unknown): string | null {
  let s: string;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return null;
    s = String(v);
  } else if (typeof v === 'string') s = v.trim();
  else return null;
  let m = /^(\d{4})\s*年?$/.exec(s);
  if (m) return yearOk(Number(m[1])) ? m[1] : null;
  m = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$/.exec(s) ?? /^(\d{4})(\d{2})$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return yearOk(y) && mo >= 1 && mo <= 12 ? `${m[1]}-${monthStr(mo)}` : null;
  }
  return null;
}

/** Reads a month column's cell: 1–12, "05", "5月"; null when empty, undefined when invalid. */
function parseMonth(v: unknown): number | null | undefined {
  if (v === null || v === undefined || v === '') return null;
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim().replace(/月$/, '') : '';
  if (s === '') return null;
  if (!/^\d{1,2}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= 12 ? n : undefined;
}

/** Reads a region code cell: digits as text; numbers written by spreadsheets are taken when whole. */
function parseCode(v: unknown): { code: string } | { reason: string } {
  if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return { reason: 'the region code is empty' };
  let s = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (/^\d+\.0+$/.test(s)) s = s.replace(/\.0+$/, '');
  if (/^\d(\.\d+)?e\+?\d+$/i.test(s)) return { reason: `the region code ${show(v)} was turned into a number in scientific notation by a spreadsheet; format the column as text and export again` };
  if (!/^\d{6}(\d{3}){0,3}$/.test(s)) return { reason: `${show(v)} is not a region code (6, 9, 12 or 15 digits, or a 12-digit statistical code)` };
  return { code: s };
}

/**
 * Checks rows against a column plan: a region code, a period (from the period column, the year
 * and month columns, or the fixed `period`), and a number or nothing in every indicator. Problems
 * are collected with their row and column (up to 100 kept, all counted); more than
 * {@link MAX_STAT_ROWS} rows is refused at once.
 */
export async function parseRows(source: AsyncIterable<RawRow>, plan: ColumnPlan, fixedPeriod?: string): Promise<ParsedTable> {
  const out: ParsedTable = { rows: [], read: 0, errors: [], badRows: 0 };
  const fail = (row: number, field: string | undefined, reason: string) => {
    if (out.errors.length < MAX_ERRORS) out.errors.push(field === undefined ? { row, reason } : { row, field, reason });
  };
  for await (const item of source) {
    out.read++;
    if (out.read > MAX_STAT_ROWS) {
      throw new YituError('YITU_ERR_PAYLOAD_TOO_LARGE', `The table has more than ${MAX_STAT_ROWS.toLocaleString('en')} rows; statistical tables are limited to that. Split it (by period, for instance) or import it as a dataset.`);
    }
    if ('error' in item) {
      out.badRows++;
      fail(item.row, item.field, item.reason);
      continue;
    }
    const { row, values } = item;
    let bad = false;
    const problem = (field: string, reason: string) => {
      bad = true;
      fail(row, field, `row ${row}, column "${field}": ${reason}`);
    };
    const code = parseCode(values[plan.region]);
    if ('reason' in code) problem(plan.region, code.reason);
    let period: string | null = fixedPeriod ?? null;
    if (plan.period) {
      period = parsePeriod(values[plan.period]);
      if (!period) problem(plan.period, `${show(values[plan.period])} is not a period; write a year (2023) or a month (2023-05)`);
    } else if (plan.year) {
      const y = parsePeriod(values[plan.year]);
      const mo = plan.month ? parseMonth(values[plan.month]) : null;
      if (!y || y.length !== 4) problem(plan.year, `${show(values[plan.year])} is not a year (like 2023)`);
      else if (mo === undefined) problem(plan.month!, `${show(values[plan.month!])} is not a month (1–12)`);
      else period = mo === null ? y : `${y}-${monthStr(mo)}`;
    }
    const nums: Array<number | null> = [];
    for (const ind of plan.indicators) {
      const v = values[ind.column];
      const n = parseNumber(v);
      if (n === undefined) problem(ind.column, `${show(v)} is not a number (leave the cell empty for no value; thousands separators like 1,234.5 are fine)`);
      nums.push(n ?? null);
    }
    if (bad) out.badRows++;
    else out.rows.push({ row, code: (code as { code: string }).code, period: period!, values: nums });
  }
  return out;
}
