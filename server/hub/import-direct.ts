/**
 * The direct load of an import: features go by COPY straight into the typed table, with the final
 * column types, instead of through a `jsonb` staging table and a typing statement (which took a
 * quarter of a 1 M-point import on PostgreSQL and held a second copy of the rows).
 *
 * Column types come from a sample (the first {@link SAMPLE_ROWS} rows, inferred by the same rules as
 * the staged path) or from the dataset / the caller. Every later value is still observed by the
 * inferrer, and the table follows it where that loses nothing: integer → number and date →
 * timestamp are widened in place; a column without a value in the sample (or first seen after it)
 * holds the values' text until the end and is cast to its inferred type then, exactly as the
 * staged path casts `props->>name`. Anything else (a sampled column turning out to be text, an
 * object in a text column) throws {@link DirectMisfit}: the caller then drops the table and imports
 * the file again through the staged path, so the result is always the one the full inference gives.
 */
import type { Db } from '../platform/db.ts';
import { ident } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import { type OpenedSource, type SourceFeature, isRowError } from './formats/types.ts';
import { geometryToWkb } from './formats/wkb.ts';
import { type ColumnType, type DatasetColumn, SQL_TYPES } from './model.ts';
import { SchemaInferrer, coerceValue, safeColumnName } from './schema-infer.ts';
import { RowChecker, STAGE_BATCH_ROWS, type StageResult, yieldToEventLoop } from './import-stage.ts';
import { createTypedTable, castFromText } from './import-apply.ts';

/** Rows whose values fix the inferred column types. */
export const SAMPLE_ROWS = 10_000;
/** Rows per validity statement on PGlite (one statement on a server). */
const REPAIR_BATCH_ROWS = 20_000;

/** The sampled column types do not hold for the whole file: import it through the staged path. */
export class DirectMisfit extends Error {}

/** What the direct load did: the staging summary plus the columns and the repairs. */
export interface DirectResult extends StageResult {
  columns: DatasetColumn[];
  newColumns: DatasetColumn[];
  repaired: number;
  /** Milliseconds spent after the last row (casts, primary key, repairs). */
  finishMs: number;
}

/** How to load. */
export interface DirectOptions {
  /** The typed table to create and fill (qualified, quoted). */
  typed: string;
  /** The existing dataset's columns, or null for a new dataset. */
  existing: DatasetColumn[] | null;
  /** Column types the caller gave (original or safe name). */
  types: Record<string, ColumnType>;
  /** Values coerced while reading, by property name (see `StageOptions.enforce`). */
  enforce: Map<string, ColumnType>;
  version: number;
  coords: 'wgs84' | 'gcj02' | 'bd09';
  skipInvalid: boolean;
  signal: AbortSignal;
  onProgress: (fraction: number, staged: number) => void;
}

interface Col {
  name: string;
  title: string;
  /** The SQL type the column has now (text while provisional). */
  type: ColumnType;
  /** Type given by the dataset or the caller, not inferred. */
  fixed: boolean;
  /** Values under the title / the name were coerced by the row checker. */
  coercedTitle: boolean;
  coercedName: boolean;
  /** Holds the values' text until the end (no value in the sample). */
  provisional: boolean;
  /** A stored text may differ from the staged path's `props->>name` (then it cannot stay text). */
  inexact: boolean;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const f64 = new DataView(new ArrayBuffer(8));
function hex64(v: number): string {
  f64.setFloat64(0, v, true);
  let s = '';
  for (let i = 0; i < 8; i++) s += HEX[f64.getUint8(i)];
  return s;
}

/** Hex WKB, 2D (Z dropped as `ST_Force2D` does); SRID 0, which the typed column's EPSG:4326 takes over. */
function geometryHex(g: SourceFeature['geometry'] & object): string {
  if (g.type === 'Point' && g.coordinates.length >= 2) return `0101000000${hex64(g.coordinates[0])}${hex64(g.coordinates[1])}`;
  return Buffer.from(geometryToWkb(g, { z: false })).toString('hex');
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
function esc(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

/** The text the staged path would read with `props->>name` for a value; `undefined` when it cannot be matched cheaply. */
function rawText(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number': {
      const s = String(v); // jsonb prints the same digits unless JS chose exponent notation
      return s.includes('e') ? undefined : s;
    }
    default:
      return undefined;
  }
}

/** COPY text of a value already fitting `type` (coerced, or inferred as that type). */
function typedText(v: unknown, type: ColumnType): string {
  switch (type) {
    case 'integer':
    case 'number':
      return String(typeof v === 'number' ? v : Number(v));
    case 'boolean':
      return (typeof v === 'boolean' ? v : String(v).trim().toLowerCase() === 'true') ? 't' : 'f';
    case 'date':
    case 'timestamp':
      return esc(String(v).trim());
    case 'json':
      return esc(JSON.stringify(v));
    case 'text':
      return esc(typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
}

/** Loads a source straight into a new typed table; see the module comment. */
export async function loadDirect(db: Db, source: OpenedSource, opts: DirectOptions): Promise<DirectResult> {
  const inferrer = new SchemaInferrer();
  const checker = new RowChecker(4326, opts.coords, opts.enforce);
  const geometryTypes = new Set<string>();
  const existing = opts.existing ?? [];
  const cols: Col[] = [];
  const byKey = new Map<string, Col>();
  const taken = new Set(existing.map((c) => c.name));
  let created = false;
  let staged = 0;
  let nullGeometries = 0;
  let lines: string[] = [];
  let firstRow = 1;
  let sample: SourceFeature[] | null = [];
  let inflight: Promise<void> | null = null;
  const fid = opts.existing ? '\\N' : null;
  const prefixTail = `\t${opts.version}\t`;

  const addColumn = (c: Col) => {
    cols.push(c);
    if (!byKey.has(c.title)) byKey.set(c.title, c);
    if (!byKey.has(c.name)) byKey.set(c.name, c);
  };
  const isExisting = (k: string) => existing.some((c) => c.name === k || c.title === k);
  const newColumn = (title: string, provisional: boolean): Col => {
    const pos = opts.existing ? cols.length + 1 : cols.length + 1;
    const name = safeColumnName(title, pos, taken);
    const given = opts.types[title] ?? opts.types[name];
    if (given) {
      return { name, title, type: given, fixed: true, coercedTitle: opts.enforce.get(title) === given, coercedName: opts.enforce.get(name) === given, provisional: false, inexact: false };
    }
    const t = inferrer.typeOf(title);
    return { name, title, type: provisional ? 'text' : t, fixed: false, coercedTitle: false, coercedName: false, provisional, inexact: false };
  };

  const waitInflight = async () => {
    if (!inflight) return;
    const p = inflight;
    inflight = null;
    await p;
  };
  const flush = async () => {
    if (!lines.length) return;
    if (opts.signal.aborted) throw opts.signal.reason ?? new YituError('YITU_ERR_IMPORT_CANCELLED', 'The import was cancelled.');
    const text = lines.join('');
    const from = firstRow;
    const to = staged;
    lines = [];
    firstRow = staged + 1;
    await waitInflight();
    const names = ['_rid', '_fid', '_vfrom', 'geom', ...cols.map((c) => c.name)];
    inflight = db.copyIn(opts.typed, names, text).catch((e: unknown) => {
      throw new YituError(
        'YITU_ERR_IMPORT_FILE_MALFORMED',
        `Rows ${from}–${to} could not be stored: ${(e as Error).message}. Check the coordinate system (--crs) and the column types.`,
        { cause: e },
      );
    });
    inflight.catch(() => {}); // awaited later; this only keeps it from being reported as unhandled meanwhile
    await yieldToEventLoop();
    const frac = source.totalBytes && source.bytesRead ? source.bytesRead() / source.totalBytes : 0;
    opts.onProgress(Math.min(1, frac), staged);
  };

  /** Fixes the columns from the sample and creates the table. */
  const createTable = async () => {
    for (const c of existing) {
      addColumn({ name: c.name, title: c.title, type: c.type, fixed: true, coercedTitle: true, coercedName: true, provisional: false, inexact: false });
    }
    for (const [k, t] of inferrer.seen) if (!isExisting(k)) addColumn(newColumn(k, t === null));
    inferrer.changes.length = 0;
    await createTypedTable(db, opts.typed, cols, !opts.existing, false);
    created = true;
  };

  /** Follows the inferrer after a row: new columns, widenings; throws DirectMisfit where the table cannot follow. */
  const follow = async () => {
    const keys = inferrer.changes.splice(0);
    for (const k of keys) {
      let c = byKey.get(k);
      if (!c) {
        if (isExisting(k)) continue;
        c = newColumn(k, true);
        await waitInflight();
        await db.exec(`ALTER TABLE ${opts.typed} ADD COLUMN ${ident(c.name)} ${SQL_TYPES[c.type]}`);
        addColumn(c);
        continue;
      }
      if (c.fixed || c.provisional || c.title !== k) continue;
      const t = inferrer.typeOf(k);
      if (t === c.type) continue;
      if ((c.type === 'integer' && t === 'number') || (c.type === 'date' && t === 'timestamp')) {
        await waitInflight();
        await db.exec(`ALTER TABLE ${opts.typed} ALTER COLUMN ${ident(c.name)} TYPE ${SQL_TYPES[t]}`);
        c.type = t;
        continue;
      }
      throw new DirectMisfit(`column "${k}" was sampled as ${c.type} but is ${t}`);
    }
  };

  /** One row's COPY line, or undefined when a value does not fit a fixed column (a row error). */
  const line = (item: SourceFeature, g: SourceFeature['geometry'], values: unknown[]): string => {
    const rid = staged;
    let s = `${rid}\t${fid ?? rid}${prefixTail}${g ? geometryHex(g) : '\\N'}`;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i];
      const v = values[i];
      if (v === null || v === undefined) {
        s += '\t\\N';
      } else if (c.provisional || (c.type === 'text' && !c.fixed)) {
        const t = rawText(v);
        if (t === undefined) {
          if (!c.provisional) throw new DirectMisfit(`column "${c.title}" is text and got ${typeof v === 'object' ? 'JSON' : String(v)}`);
          c.inexact = true;
          s += `\t${esc(typeof v === 'object' ? JSON.stringify(v) : String(v))}`;
        } else s += `\t${esc(t)}`;
      } else s += `\t${typedText(v, c.type)}`;
    }
    void item;
    return `${s}\n`;
  };

  /** The values of a row by column; fixed columns coerced (undefined when one does not fit). */
  const valuesOf = (item: SourceFeature): unknown[] | undefined => {
    const p = item.properties;
    const out = new Array<unknown>(cols.length);
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i];
      let v = p[c.title];
      let coerced = c.coercedTitle;
      if ((v === null || v === undefined) && c.name !== c.title) {
        v = p[c.name];
        coerced = c.coercedName;
      }
      if (c.fixed && !coerced && v !== null && v !== undefined) {
        try {
          v = coerceValue(v, c.type);
        } catch (e) {
          checker.addError({ row: item.row, field: c.title, reason: `${(e as Error).message}, but the column is ${c.type}` });
          return undefined;
        }
      }
      out[i] = v;
    }
    return out;
  };

  const take = async (item: SourceFeature, g: SourceFeature['geometry']) => {
    inferrer.observe(item.properties);
    if (inferrer.changes.length) await follow();
    const values = valuesOf(item);
    if (!values) return;
    if (g) geometryTypes.add(g.type);
    else nullGeometries++;
    staged++;
    lines.push(line(item, g, values));
  };

  const geoms: SourceFeature['geometry'][] = [];
  try {
    for await (const item of source.features()) {
      if (isRowError(item)) {
        checker.addError({ row: item.row, ...(item.field ? { field: item.field } : {}), reason: item.reason });
      } else {
        const g = checker.check(item);
        if (g !== undefined) {
          if (sample) {
            inferrer.observe(item.properties);
            sample.push(item);
            geoms.push(g);
            if (sample.length >= SAMPLE_ROWS) {
              await createTable();
              const rows = sample;
              sample = null;
              for (let i = 0; i < rows.length; i++) await takeSampled(rows[i], geoms[i]);
              geoms.length = 0;
            }
          } else await take(item, g);
        }
      }
      if (!opts.skipInvalid && checker.full) break;
      if (lines.length >= STAGE_BATCH_ROWS) await flush();
    }
    if (sample) {
      await createTable();
      const rows = sample;
      sample = null;
      for (let i = 0; i < rows.length; i++) await takeSampled(rows[i], geoms[i]);
    }
    await flush();
    await waitInflight();
  } catch (e) {
    await waitInflight().catch(() => {});
    throw e;
  }

  /** A sample row: already observed. */
  async function takeSampled(item: SourceFeature, g: SourceFeature['geometry']) {
    const values = valuesOf(item);
    if (!values) return;
    if (g) geometryTypes.add(g.type);
    else nullGeometries++;
    staged++;
    lines.push(line(item, g, values));
    if (lines.length >= STAGE_BATCH_ROWS) await flush();
  }

  const finishStart = Date.now();
  let repaired = 0;
  if (created && staged > 0 && !(checker.badRows && !opts.skipInvalid)) {
    // Columns without a value in the sample hold text: cast them now (one rewrite for all).
    const casts: string[] = [];
    for (const c of cols) {
      if (c.fixed) continue;
      const t = inferrer.typeOf(c.title);
      if (c.provisional) {
        if (t === 'text') {
          if (c.inexact) throw new DirectMisfit(`column "${c.title}" is text with values whose text form differs`);
        } else {
          casts.push(`ALTER COLUMN ${ident(c.name)} TYPE ${SQL_TYPES[t]} USING ${castFromText(ident(c.name), t)}`);
          c.type = t;
        }
        c.provisional = false;
      } else if (t !== c.type) throw new DirectMisfit(`column "${c.title}" was sampled as ${c.type} but is ${t}`);
    }
    if (casts.length) {
      try {
        await db.exec(`ALTER TABLE ${opts.typed} ${casts.join(', ')}`);
      } catch (e) {
        throw new YituError('YITU_ERR_IMPORT_FILE_MALFORMED', `Values could not be stored: ${(e as Error).message}. Check the column types.`, { cause: e });
      }
    }
    await db.exec(`ALTER TABLE ${opts.typed} ADD PRIMARY KEY (_rid)`);
    const tableName = opts.typed.replace(/"/g, '');
    await db.query(`SELECT setval(pg_get_serial_sequence($1, '_rid'), $2)`, [opts.typed, staged]).catch(() =>
      db.query(`SELECT setval(pg_get_serial_sequence($1, '_rid'), $2)`, [tableName, staged]),
    );
    if (!opts.existing) await db.query(`SELECT setval(pg_get_serial_sequence($1, '_fid'), $2)`, [opts.typed, staged]);
    if ([...geometryTypes].some((t) => t !== 'Point' && t !== 'MultiPoint')) repaired = await repair(db, opts.typed, staged, opts.signal);
  }
  const columns: DatasetColumn[] = cols.map((c) => ({ name: c.name, title: c.title, type: c.type }));
  return {
    staged,
    badRows: checker.badRows,
    errors: checker.errors,
    inferrer,
    geometryTypes,
    nullGeometries,
    columns,
    newColumns: columns.slice(existing.length),
    repaired,
    finishMs: Date.now() - finishStart,
  };
}

/** Repairs invalid geometries in place (`ST_MakeValid`, structure method); returns how many. */
async function repair(db: Db, typed: string, rows: number, signal: AbortSignal): Promise<number> {
  const sql = `UPDATE ${typed} SET geom = ST_MakeValid(geom, 'method=structure')
    WHERE _rid >= $1 AND _rid < $2 AND GeometryType(geom) NOT IN ('POINT', 'MULTIPOINT') AND NOT ST_IsValid(geom)`;
  const step = db.capabilities.concurrent ? rows : REPAIR_BATCH_ROWS;
  let n = 0;
  for (let from = 1; from <= rows; from += step) {
    if (signal.aborted) throw signal.reason ?? new YituError('YITU_ERR_IMPORT_CANCELLED', 'The import was cancelled.');
    n += (await db.query(sql, [from, from + step])).rowCount;
    await yieldToEventLoop();
  }
  return n;
}
