/**
 * Normalisation of property values by declared field type, shared by the writers. Values come
 * from PostgreSQL through `pg`/PGlite, so they may be JS numbers, numeric strings (`bigint`,
 * `numeric`), `Date` objects or ISO-ish strings, parsed JSON values; every function accepts all of
 * them and never throws.
 */

/** A JSON number literal: numeric strings of this shape are written unchanged (no precision loss). */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** Timestamps as PostgreSQL and ISO 8601 write them; the zone is optional. */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const DATE_PREFIX = /^(\d{4})-?(\d{2})-?(\d{2})(?![\d])/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * A number value, or the numeric string itself when it is a valid JSON number literal (keeps
 * `bigint`/`numeric` digits exact); null when the value is not a finite number.
 */
export function toNumeric(v: unknown): number | string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim();
    if (JSON_NUMBER.test(s)) return s;
    if (s === '') return null;
    const n = Number(s);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** The text of a numeric value as written to text formats (shortest round-trip form of JS numbers). */
export function numericText(v: number | string): string {
  return typeof v === 'number' ? String(v) : v;
}

/** A boolean from booleans, numbers and the usual spellings (`t`, `true`, `1`, `yes`, `是`…). */
export function toBooleanValue(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['t', 'true', '1', 'y', 'yes', 'on', '是'].includes(s)) return true;
    if (['f', 'false', '0', 'n', 'no', 'off', '否'].includes(s)) return false;
  }
  return null;
}

/**
 * A calendar date as `YYYY-MM-DD`. A `Date` at UTC midnight is read in UTC, any other `Date` in
 * local time (node-postgres builds DATE values at local midnight), so the day never shifts.
 * Strings that do not start with a date are returned trimmed, unchanged.
 */
export function toDateText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    const utc = v.getUTCHours() === 0 && v.getUTCMinutes() === 0 && v.getUTCSeconds() === 0 && v.getUTCMilliseconds() === 0;
    return utc
      ? `${pad(v.getUTCFullYear(), 4)}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`
      : `${pad(v.getFullYear(), 4)}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}`;
  }
  const s = String(v).trim();
  if (s === '') return null;
  const m = DATE_PREFIX.exec(s);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : s;
}

/**
 * A timestamp as ISO 8601 text. `Date` values become UTC (`…Z`); strings keep their own offset and
 * fraction digits, only normalised (`T` separator, `+08:00` offsets). With `utc`, zoned strings
 * are converted to UTC with milliseconds (`YYYY-MM-DDTHH:MM:SS.SSSZ`, what GeoPackage requires).
 */
export function toTimestampText(v: unknown, utc = false): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v === 'number') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  const s = String(v).trim();
  if (s === '') return null;
  const m = TIMESTAMP.exec(s);
  if (!m) return s;
  const time = m[2].length === 5 ? `${m[2]}:00` : m[2];
  let zone = m[3];
  if (zone === undefined) return `${m[1]}T${time}`;
  if (/^z$/i.test(zone)) zone = 'Z';
  else {
    const digits = zone.replace(':', '');
    zone = `${digits.slice(0, 3)}:${digits.length > 3 ? digits.slice(3, 5) : '00'}`;
  }
  const text = `${m[1]}T${time}${zone}`;
  if (!utc) return text;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

/** Any value as text: strings unchanged, dates in ISO form, objects as JSON. */
export function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v === 'object') return toJsonText(v);
  return String(v);
}

/** A value serialised as JSON text (`bigint` as a number literal); null stays null. */
export function toJsonText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)) ?? null;
  } catch {
    return String(v);
  }
}
