import { readFileSync } from 'node:fs';
import { YituError } from '../../platform/errors.ts';

/** Loads `sql/<name>.sql` once, without its comment lines, and returns its `{{slot}}` filler. */
export function tileSql(name: string): (slots: Record<string, string>) => string {
  const text = readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n');
  return (slots) =>
    text.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
      const v = slots[key];
      if (v === undefined) throw new YituError('YITU_ERR_INTERNAL', `Tile SQL ${name}: no value for {{${key}}}.`);
      return v;
    });
}
