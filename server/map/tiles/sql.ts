import { loadSqlTemplate, type SqlTemplate } from '../../platform/sql-template.ts';

/** Loads `sql/<name>.sql` once and returns its `{{slot}}` filler. */
export function tileSql(name: string): SqlTemplate {
  return loadSqlTemplate(new URL(`./sql/${name}.sql`, import.meta.url));
}
