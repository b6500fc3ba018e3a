import { YituError } from '../platform/errors.ts';

/** One end of a `datetime` value: a calendar date or an instant (RFC 3339). */
export interface DatetimeBound {
  kind: 'date' | 'timestamp';
  /** `YYYY-MM-DD` for a date; an ISO string for a timestamp. */
  value: string;
}

/** A parsed `datetime` parameter: an instant (start === end) or an interval with optional open ends. */
export interface DatetimeFilter {
  instant: boolean;
  start: DatetimeBound | null;
  end: DatetimeBound | null;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TS_RE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function bound(raw: string, full: string): DatetimeBound {
  const m = DATE_RE.exec(raw);
  if (m) {
    const d = new Date(`${raw}T00:00:00Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === raw) return { kind: 'date', value: raw };
  } else if (TS_RE.test(raw) && !Number.isNaN(Date.parse(raw))) {
    return { kind: 'timestamp', value: new Date(raw).toISOString() };
  }
  throw new YituError(
    'YITU_ERR_DATETIME_INVALID',
    `datetime "${full.slice(0, 100)}": "${raw.slice(0, 60)}" is not a date (2024-05-01) or an RFC 3339 date-time (2024-05-01T08:00:00Z). Give an instant, an interval a/b, or an open interval ../b or a/.. .`,
  );
}

/** Parses `datetime`: `instant`, `start/end`, `../end`, `start/..` (an empty end counts as open). */
export function parseDatetime(raw: string): DatetimeFilter {
  const parts = raw.split('/');
  if (parts.length === 1) {
    const b = bound(raw.trim(), raw);
    return { instant: true, start: b, end: b };
  }
  if (parts.length !== 2) throw new YituError('YITU_ERR_DATETIME_INVALID', `datetime "${raw.slice(0, 100)}" has more than one "/"; an interval is start/end.`);
  const open = (s: string) => s.trim() === '' || s.trim() === '..';
  const start = open(parts[0]) ? null : bound(parts[0].trim(), raw);
  const end = open(parts[1]) ? null : bound(parts[1].trim(), raw);
  if (start && end && startMs(start) > endMs(end)) {
    throw new YituError('YITU_ERR_DATETIME_INVALID', `datetime "${raw.slice(0, 100)}": the start is after the end.`);
  }
  return { instant: false, start, end };
}

const DAY = 86_400_000;
function startMs(b: DatetimeBound): number {
  return Date.parse(b.kind === 'date' ? `${b.value}T00:00:00Z` : b.value);
}
function endMs(b: DatetimeBound): number {
  return b.kind === 'date' ? Date.parse(`${b.value}T00:00:00Z`) + DAY - 1 : Date.parse(b.value);
}
const utcDate = (b: DatetimeBound) => (b.kind === 'date' ? b.value : b.value.slice(0, 10));

/**
 * SQL condition of a `datetime` filter on a date or timestamp column. Dates are whole UTC days:
 * on a timestamp column `2024-05-01` means [2024-05-01T00:00Z, 2024-05-02T00:00Z); intervals are
 * closed. `p` adds a parameter and returns its placeholder.
 */
export function datetimeSql(f: DatetimeFilter, column: string, type: 'date' | 'timestamp', p: (v: unknown) => string): string {
  const parts: string[] = [];
  if (type === 'date') {
    if (f.instant && f.start) return `${column} = ${p(utcDate(f.start))}::date`;
    if (f.start) parts.push(`${column} >= ${p(utcDate(f.start))}::date`);
    if (f.end) parts.push(`${column} <= ${p(utcDate(f.end))}::date`);
  } else {
    if (f.instant && f.start?.kind === 'timestamp') return `${column} = ${p(f.start.value)}::timestamptz`;
    if (f.start) parts.push(`${column} >= ${p(new Date(startMs(f.start)).toISOString())}::timestamptz`);
    if (f.end) {
      parts.push(f.end.kind === 'date'
        ? `${column} < ${p(new Date(startMs(f.end) + DAY).toISOString())}::timestamptz`
        : `${column} <= ${p(f.end.value)}::timestamptz`);
    }
  }
  if (!parts.length) return `${column} IS NOT NULL`;
  return parts.join(' AND ');
}
