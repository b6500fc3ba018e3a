import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { YituError } from './errors.ts';

/** A SQL file with `{{name}}` slots for fragments Yitu generates (never user text). */
export interface SqlTemplate {
  (slots: Record<string, string>): string;
}

/** Loads a SQL file once (comment lines dropped) and returns its filler, which fails on a missing slot. */
export function loadSqlTemplate(file: URL): SqlTemplate {
  const text = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n');
  const name = path.basename(fileURLToPath(file));
  return (slots) =>
    text.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
      const v = slots[key];
      if (v === undefined) throw new YituError('YITU_ERR_INTERNAL', `SQL template ${name}: no value for {{${key}}}.`);
      return v;
    });
}
