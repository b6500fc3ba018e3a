import { YituError } from '../platform/errors.ts';
import { type ColumnTitles, type ColumnTitlesInput, type DatasetColumn, columnTitlesSchema } from './model.ts';

/**
 * Applies display titles to a dataset's columns and returns the new column list (the input is not
 * changed). Keys name a column by its safe name or its original name; a key that names no column
 * fails with a 400 listing the dataset's columns, so nothing is half applied. Titles live on the
 * columns themselves (`yitu.datasets.columns`), so appends and replaces keep them and a column
 * that goes away takes its titles with it.
 */
export function applyColumnTitles(datasetId: string, columns: DatasetColumn[], input: unknown): DatasetColumn[] {
  const parsed = columnTitlesSchema.safeParse(input);
  if (!parsed.success) {
    throw new YituError('YITU_ERR_DATASET_METADATA_INVALID', parsed.error.issues.map((i) => `columnTitles${i.path.map((p) => `.${String(p)}`).join('')}: ${i.message}`).join('; '));
  }
  const patch: ColumnTitlesInput = parsed.data;
  const byKey = new Map<number, ColumnTitlesInput[string]>();
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    let i = columns.findIndex((c) => c.name === key);
    if (i < 0) i = columns.findIndex((c) => c.title === key);
    if (i < 0) unknown.push(key);
    else byKey.set(i, value);
  }
  if (unknown.length) {
    const list = columns.map((c) => (c.title === c.name ? c.name : `${c.name} (${c.title})`)).join(', ') || 'it has none';
    throw new YituError(
      'YITU_ERR_DATASET_METADATA_INVALID',
      `columnTitles: ${unknown.map((k) => `"${k.slice(0, 60)}"`).join(', ')} ${unknown.length > 1 ? 'are not columns' : 'is not a column'} of "${datasetId}". Its columns: ${list}.`,
    );
  }
  return columns.map((c, i) => {
    if (!byKey.has(i)) return c;
    const value = byKey.get(i);
    const titles: ColumnTitles = { ...(value === null ? {} : c.titles) };
    for (const lang of ['zh', 'en'] as const) {
      const v = value?.[lang];
      if (v === undefined) continue;
      const t = v?.trim();
      if (t) titles[lang] = t;
      else delete titles[lang];
    }
    const { titles: _old, ...rest } = c;
    return titles.zh !== undefined || titles.en !== undefined ? { ...rest, titles } : rest;
  });
}

/**
 * The display title of a column in one language: that language's title, else the other one's,
 * else the original name.
 */
export function columnDisplayTitle(c: DatasetColumn, lang: 'zh' | 'en'): string {
  const other = lang === 'zh' ? 'en' : 'zh';
  return c.titles?.[lang] || c.titles?.[other] || c.title;
}
