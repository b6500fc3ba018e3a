import { loadSqlTemplate, type SqlTemplate } from '../platform/sql-template.ts';

export type { SqlTemplate };

/** Loads `sql/<name>.sql` once (at import) and returns its filler. */
export function sqlTemplate(name: string): SqlTemplate {
  return loadSqlTemplate(new URL(`./sql/${name}.sql`, import.meta.url));
}

/** Collects positional parameters: `add(v)` returns `$n`. */
export class Params {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder. */
  add = (v: unknown): string => {
    this.values.push(v);
    return `$${this.values.length}`;
  };

  /** Number of parameters so far. */
  get length(): number {
    return this.values.length;
  }
}
