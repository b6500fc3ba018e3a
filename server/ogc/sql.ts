import { readFileSync } from 'node:fs';
import { YituError } from '../platform/errors.ts';

/** A SQL template of `sql/` with `{{name}}` slots for fragments Yitu generates (never user text). */
export interface SqlTemplate {
  (slots: Record<string, string>): string;
}

/** Loads `sql/<name>.sql` once (at import) and returns its filler. */
export function sqlTemplate(name: string): SqlTemplate {
  const text = readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n');
  return (slots) =>
    text.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
      const v = slots[key];
      if (v === undefined) throw new YituError('YITU_ERR_INTERNAL', `SQL template ${name}: no value for {{${key}}}.`);
      return v;
    });
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
