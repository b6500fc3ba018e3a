import type { ColumnType } from '../app/api-types.ts';

/** Comparison operators the condition builder offers. */
export const OPERATORS = ['=', '<>', '<', '<=', '>', '>=', 'contains', 'starts', 'null', 'notnull'] as const;
/** An operator of the condition builder. */
export type Operator = (typeof OPERATORS)[number];

/** One condition: field, operator, value (text as typed). */
export interface Condition {
  field: string;
  op: Operator;
  value: string;
}

/** Operators that make sense for a column type. */
export function operatorsFor(type: ColumnType): Operator[] {
  if (type === 'text') return ['=', '<>', 'contains', 'starts', 'null', 'notnull'];
  if (type === 'boolean' || type === 'json') return type === 'json' ? ['null', 'notnull'] : ['=', '<>', 'null', 'notnull'];
  return ['=', '<>', '<', '<=', '>', '>=', 'null', 'notnull'];
}

/** A CQL2 string literal ('' doubles a quote). */
export function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Escapes LIKE wildcards in user text (`%`, `_`, `\`). */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The CQL2 text literal of a value for a column type, or an error message a person can act on. */
export function literal(type: ColumnType, raw: string): { ok: true; text: string } | { ok: false; message: string } {
  const v = raw.trim();
  switch (type) {
    case 'integer':
    case 'number':
      return v !== '' && Number.isFinite(Number(v)) ? { ok: true, text: String(Number(v)) } : { ok: false, message: `"${raw}" is not a number` };
    case 'boolean':
      if (/^(true|是|1|yes)$/i.test(v)) return { ok: true, text: 'TRUE' };
      if (/^(false|否|0|no)$/i.test(v)) return { ok: true, text: 'FALSE' };
      return { ok: false, message: `"${raw}" is not true or false` };
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(v) ? { ok: true, text: `DATE(${quote(v)})` } : { ok: false, message: `"${raw}" is not a date like 2024-05-01` };
    case 'timestamp':
      if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return { ok: true, text: `TIMESTAMP(${quote(`${v}T00:00:00Z`)})` };
      return /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(v) ? { ok: true, text: `TIMESTAMP(${quote(v)})` } : { ok: false, message: `"${raw}" is not a timestamp like 2024-05-01T08:00:00Z` };
    default:
      return { ok: true, text: quote(raw) };
  }
}

/** One condition as CQL2 text. */
export function conditionText(c: Condition, type: ColumnType): { ok: true; text: string } | { ok: false; message: string } {
  const f = c.field;
  if (c.op === 'null') return { ok: true, text: `${f} IS NULL` };
  if (c.op === 'notnull') return { ok: true, text: `${f} IS NOT NULL` };
  if (c.op === 'contains') return { ok: true, text: `${f} LIKE ${quote(`%${likeEscape(c.value)}%`)}` };
  if (c.op === 'starts') return { ok: true, text: `${f} LIKE ${quote(`${likeEscape(c.value)}%`)}` };
  const lit = literal(type, c.value);
  return lit.ok ? { ok: true, text: `${f} ${c.op} ${lit.text}` } : lit;
}

/** The conditions joined with AND as CQL2 text ('' when there are none), or the first problem. */
export function toCql2(conditions: Condition[], typeOf: (field: string) => ColumnType | undefined): { ok: true; text: string } | { ok: false; message: string } {
  const parts: string[] = [];
  for (const c of conditions) {
    const type = typeOf(c.field);
    if (!type) return { ok: false, message: `unknown field ${c.field}` };
    const r = conditionText(c, type);
    if (!r.ok) return { ok: false, message: `${c.field}: ${r.message}` };
    parts.push(r.text);
  }
  return { ok: true, text: parts.length > 1 ? parts.map((p) => `(${p})`).join(' AND ') : (parts[0] ?? '') };
}
