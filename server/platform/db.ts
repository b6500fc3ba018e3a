import { YituError } from './errors.ts';

/** A row set returned by a query. */
export interface QueryResult<T> {
  rows: T[];
  /** Rows affected by an INSERT/UPDATE/DELETE, where the backend reports it. */
  rowCount: number;
}

/** Something SQL can be run on: the database or an open transaction. */
export interface Queryable {
  /** Runs one parameterised statement ($1, $2 …). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs one or more statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
  /**
   * Loads rows with COPY … FROM in PostgreSQL text format. `text` is the whole batch:
   * tab-separated columns, one row a line, `\N` for null (see {@link copyText}).
   */
  copyIn(table: string, columns: string[], text: string): Promise<void>;
}

/** What a backend can do; code branches on these, never on the backend's name. */
export interface DbCapabilities {
  /** PostGIS built with protobuf: ST_AsMVT is available. */
  mvt: boolean;
  /** Several statements can run at the same time (a server pool); PGlite runs one at a time. */
  concurrent: boolean;
}

/** The one small interface both backends (PGlite, PostgreSQL) implement. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  readonly capabilities: DbCapabilities;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Closes the database (PGlite flushes to disk; the pool ends). */
  close(): Promise<void>;
}

/** Quotes an SQL identifier. Only for names Yitu produced and validated itself. */
export function ident(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new YituError('YITU_ERR_INTERNAL', `Refusing to use "${name}" as an SQL identifier.`);
  }
  return `"${name}"`;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPABLE = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Escapes one value for COPY text format. */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // Most values need no escaping: test once, replace only when needed (a hot path of imports).
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPABLE, (c) => ESCAPES[c]) : s;
}

/** Builds COPY text format from rows of values. */
export function copyText(rows: unknown[][]): string {
  let out = '';
  for (const r of rows) out += r.map(copyValue).join('\t') + '\n';
  return out;
}
