import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { YituError } from '../platform/errors.ts';
import { openCsv } from '../hub/formats/csv.ts';
import { isRowError, type TextEncoding } from '../hub/formats/types.ts';
import type { RawRow } from './parse.ts';

/** A table opened for reading: its columns in order and its rows. */
export interface TableSource {
  columns: string[];
  encoding: string | null;
  rows(): AsyncIterable<RawRow>;
  close(): Promise<void>;
}

const NOT_CSV: Array<[(b: Buffer) => boolean, string]> = [
  [(b) => b.length >= 4 && b.readUInt32BE(0) === 0x504b0304, 'a zip archive (or an .xlsx workbook)'],
  [(b) => b.length >= 8 && b.readUInt32BE(0) === 0xd0cf11e0, 'an Excel 97–2003 workbook (.xls)'],
  [(b) => b.subarray(0, 16).toString('latin1') === 'SQLite format 3\0', 'an SQLite database'],
];

/**
 * Opens a statistical table in CSV (comma, semicolon, tab or | separated; UTF-8 with or without
 * BOM, or GBK / GB18030, detected) with the hub's CSV reader. Workbooks and archives are refused
 * with a hint: statistical tables are imported as CSV.
 */
export async function openStatCsv(file: string, opts: { encoding?: TextEncoding; originalName?: string } = {}): Promise<TableSource> {
  const fh = await open(file, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(16);
    const { bytesRead } = await fh.read(head, 0, 16, 0);
    head = head.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const name = opts.originalName ?? file;
  const ext = extname(name).toLowerCase();
  for (const [test, what] of NOT_CSV) {
    if (test(head)) {
      throw new YituError('YITU_ERR_IMPORT_FORMAT_UNKNOWN', `${name} is ${what}; statistical tables are imported as CSV. In Excel or WPS, save the sheet as "CSV UTF-8" and import that.`);
    }
  }
  if (['.xlsx', '.xls', '.json', '.geojson', '.shp', '.gpkg'].includes(ext)) {
    throw new YituError('YITU_ERR_IMPORT_FORMAT_UNKNOWN', `${name} is not a CSV file; statistical tables are imported as CSV (region code, period, one column per indicator).`);
  }
  const src = await openCsv(file, {
    ...(opts.encoding ? { encoding: opts.encoding } : {}),
    ...(ext === '.tsv' ? { delimiter: '\t' } : {}),
  });
  return {
    columns: (src.fields ?? []).map((f) => f.name),
    encoding: src.encoding ?? null,
    async *rows(): AsyncIterable<RawRow> {
      for await (const item of src.features()) {
        if (isRowError(item)) yield { row: item.row, error: true, reason: item.reason, ...(item.field ? { field: item.field } : {}) };
        else yield { row: item.row, values: item.properties };
      }
    },
    close: () => src.close(),
  };
}

/** A table over rows already in memory (the demo county, JSON posted by a client). */
export function memoryTable(columns: string[], rows: Iterable<Record<string, unknown>>): TableSource {
  return {
    columns,
    encoding: null,
    async *rows(): AsyncIterable<RawRow> {
      let row = 0;
      for (const values of rows) yield { row: ++row, values };
    },
    async close() {},
  };
}
