import type { ColumnType, DatasetColumn } from './model.ts';

/** Names the hub keeps for itself in every dataset table. */
export const RESERVED_COLUMNS = new Set(['_rid', '_fid', '_vfrom', '_vto', 'geom', 'id']);

const INT_RE = /^[+-]?\d{1,15}$/;
const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TS_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const BOOL_RE = /^(true|false)$/i;
/** Names of columns that hold codes: digit strings there stay text (leading zeros, region codes). */
const CODE_NAME_RE = /(^|_|\b)(code|id|no|num|zip|phone|tel)$|编码|代码|编号|号码|电话|邮编/i;

/** The most specific column type that holds `v`, or null for null/empty. */
export function typeOfValue(v: unknown): ColumnType | null {
  if (v === null || v === undefined || v === '') return null;
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? 'integer' : Number.isFinite(v) ? 'number' : 'text';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'json';
    case 'string': {
      const s = v.trim();
      if (INT_RE.test(s) && !/^[+-]?0\d/.test(s)) return 'integer';
      if (NUM_RE.test(s) && !/^[+-]?0\d/.test(s) && Number.isFinite(Number(s))) return 'number';
      if (BOOL_RE.test(s)) return 'boolean';
      if (DATE_RE.test(s) && !Number.isNaN(Date.parse(s))) return 'date';
      if (TS_RE.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T')))) return 'timestamp';
      return 'text';
    }
    default:
      return 'text';
  }
}

/** The smallest type holding both (integer ⊂ number ⊂ text, date ⊂ timestamp ⊂ text; json only with json). */
export function widen(a: ColumnType | null, b: ColumnType | null): ColumnType | null {
  if (a === null) return b;
  if (b === null || a === b) return a;
  const pair = new Set([a, b]);
  if (pair.has('integer') && pair.has('number')) return 'number';
  if (pair.has('date') && pair.has('timestamp')) return 'timestamp';
  return 'text';
}

/** Infers column types while features stream by, in constant memory. */
export class SchemaInferrer {
  /** Original property names in first-seen order, with the widest type seen. */
  readonly seen = new Map<string, ColumnType | null>();
  /** Whether a string value was seen (to keep digit strings of code columns as text). */
  private readonly strings = new Set<string>();
  /**
   * Properties whose {@link typeOf} may have changed since the caller last emptied this list: new,
   * widened, or given their first string. A loader that fixed column types early checks it per row.
   */
  readonly changes: string[] = [];

  /** Takes one feature's properties into account. */
  observe(props: Record<string, unknown>): void {
    for (const k in props) {
      const v = props[k];
      if (typeof v === 'string' && !this.strings.has(k)) {
        this.strings.add(k);
        this.changes.push(k);
      }
      const prev = this.seen.get(k);
      if (prev === 'text') continue; // nothing widens text: no need to type the value
      const t = typeOfValue(v);
      if (prev === undefined) {
        this.seen.set(k, t);
        this.changes.push(k);
      } else if (t !== null && prev !== t) {
        const w = widen(prev, t);
        if (w !== prev) {
          this.seen.set(k, w);
          this.changes.push(k);
        }
      }
    }
  }

  /** The inferred type of a property: all-null columns are text; digit-string codes stay text. */
  typeOf(name: string): ColumnType {
    const t = this.seen.get(name) ?? null;
    if (t === null) return 'text';
    if (t === 'integer' && this.strings.has(name) && CODE_NAME_RE.test(name)) return 'text';
    return t;
  }
}

/**
 * Makes a safe SQL column name from an original property name: lower-case ASCII letters, digits
 * and `_`, at most 63 characters, not reserved, unique among `taken`. Names with no ASCII letter
 * (Chinese names, for instance) become `f<position>`; the original stays as the column's title.
 */
export function safeColumnName(original: string, position: number, taken: Set<string>): string {
  let s = original
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!/[a-z]/.test(s)) s = `f${position}`;
  if (/^[0-9]/.test(s)) s = `f_${s}`;
  s = s.slice(0, 55);
  if (RESERVED_COLUMNS.has(s)) s = `${s}_1`;
  let name = s;
  for (let i = 2; taken.has(name); i++) name = `${s}_${i}`;
  taken.add(name);
  return name;
}

/** Builds the columns of a new dataset from the inferred schema and the caller's overrides (by original or safe name). */
export function buildColumns(inferrer: SchemaInferrer, overrides: Record<string, ColumnType> = {}): DatasetColumn[] {
  const taken = new Set<string>();
  const cols: DatasetColumn[] = [];
  let i = 1;
  for (const original of inferrer.seen.keys()) {
    const name = safeColumnName(original, i++, taken);
    const type = overrides[original] ?? overrides[name] ?? inferrer.typeOf(original);
    cols.push({ name, title: original, type });
  }
  return cols;
}

/** Converts a value to what the column's SQL type accepts in COPY text, or throws a reason. */
export function coerceValue(v: unknown, type: ColumnType): unknown {
  if (v === null || v === undefined || v === '') return null;
  switch (type) {
    case 'text':
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'json':
      return typeof v === 'string' ? JSON.stringify(v) : v;
    case 'integer': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && INT_RE.test(v.trim()) ? Number(v) : NaN;
      if (!Number.isSafeInteger(n)) throw new Error(`"${String(v)}" is not an integer`);
      return n;
    }
    case 'number': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && NUM_RE.test(v.trim()) ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw new Error(`"${String(v)}" is not a number`);
      return n;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && BOOL_RE.test(v.trim())) return v.trim().toLowerCase() === 'true';
      if (v === 0 || v === 1) return v === 1;
      throw new Error(`"${String(v)}" is not true or false`);
    case 'date':
      if (typeof v === 'string' && DATE_RE.test(v.trim())) return v.trim();
      throw new Error(`"${String(v)}" is not a date (YYYY-MM-DD)`);
    case 'timestamp': {
      const s = String(v).trim();
      if ((TS_RE.test(s) || DATE_RE.test(s)) && !Number.isNaN(Date.parse(s.replace(' ', 'T')))) return s;
      throw new Error(`"${s}" is not a timestamp (ISO 8601)`);
    }
  }
}
