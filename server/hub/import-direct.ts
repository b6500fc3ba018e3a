/**
 * The direct load of an import, its producing half: features are read, checked and turned into COPY
 * text for the typed table, with the final column types, instead of going through a `jsonb` staging
 * table and a typing statement (a quarter of a 1 M-point import on PostgreSQL, and a second copy of
 * the rows). This half touches no database: it sends DDL and COPY batches to a {@link DirectSink},
 * so it runs in the importing thread or in a worker (`import-direct-load.ts` decides).
 *
 * Column types come from a sample (the first {@link SAMPLE_ROWS} rows, inferred by the same rules as
 * the staged path) or from the dataset / the caller. Every later value is still observed by the
 * inferrer, and the table follows it where that loses nothing: integer → number and date →
 * timestamp are widened in place; a column without a value in the sample (or first seen after it)
 * holds the values' text until the end and is cast to its inferred type then, exactly as the staged
 * path casts `props->>name`. Anything else (a sampled column turning out to be text, an object in a
 * text column) throws {@link DirectMisfit}: the caller then drops the table and imports the file
 * again through the staged path, so the result is always the one the full inference gives.
 */
import { ident } from '../platform/db.ts';
import type { ErrorLocation } from '../platform/errors.ts';
import { type OpenedSource, type SourceFeature, isRowError } from './formats/types.ts';
import { geometryToWkb } from './formats/wkb.ts';
import { type ColumnType, type DatasetColumn, SQL_TYPES } from './model.ts';
import { SchemaInferrer, coerceValue, safeColumnName } from './schema-infer.ts';
import { RowChecker, STAGE_BATCH_ROWS } from './import-stage.ts';
import { castFromText, typedTableDdl } from './import-apply.ts';

/** Rows whose values fix the inferred column types. */
export const SAMPLE_ROWS = 10_000;

/** The sampled column types do not hold for the whole file: import it through the staged path. */
export class DirectMisfit extends Error {}

/** Where the producer sends its work, in order. */
export interface DirectSink {
  /** A DDL statement on the typed table (run after the COPY batches sent before it). */
  ddl(sql: string): Promise<void>;
  /** A COPY batch of rows `from`–`to`; resolves when the producer may go on. */
  copy(columns: string[], text: string, from: number, to: number): Promise<void>;
  /** Called between batches with the rows staged so far: throws when the import is cancelled. */
  between(staged: number): Promise<void>;
}

/** What the producer needs to know (all plain data: it crosses to a worker). */
export interface ProduceOptions {
  /** The typed table to create and fill (qualified, quoted). */
  typed: string;
  /** The existing dataset's columns, or null for a new dataset. */
  existing: DatasetColumn[] | null;
  /** Column types the caller gave (original or safe name). */
  types: Record<string, ColumnType>;
  /** Values coerced while reading, by property name (see `StageOptions.enforce`). */
  enforce: [string, ColumnType][];
  version: number;
  coords: 'wgs84' | 'gcj02' | 'bd09';
  skipInvalid: boolean;
}

/** What the producer read; columns carry their final types, `casts` the columns still to cast from text. */
export interface ProduceSummary {
  staged: number;
  badRows: number;
  errors: ErrorLocation[];
  geometryTypes: string[];
  nullGeometries: number;
  /** The new columns (after the existing dataset's), final types. */
  newColumns: DatasetColumn[];
  /** `ALTER COLUMN … TYPE … USING …` clauses still to run (one rewrite for all). */
  casts: string[];
  /** The table was created (there was at least one readable row). */
  created: boolean;
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

const pointWkb = Buffer.alloc(21, 0);
pointWkb.writeUInt8(1, 0); // little endian
pointWkb.writeUInt32LE(1, 1); // Point

/** Hex WKB, 2D (Z dropped as `ST_Force2D` does); SRID 0, which the typed column's EPSG:4326 takes over. */
function geometryHex(g: SourceFeature['geometry'] & object): string {
  if (g.type === 'Point' && g.coordinates.length >= 2) {
    // The common case, without the general writer's allocations: one native hex encoding.
    pointWkb.writeDoubleLE(g.coordinates[0], 5);
    pointWkb.writeDoubleLE(g.coordinates[1], 13);
    return pointWkb.toString('hex');
  }
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
      // A numeric string goes as it is (trimmed): PostgreSQL reads it as the staged path's cast does.
      return typeof v === 'number' ? String(v) : String(v).trim();
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

/** Reads a source into COPY batches for a new typed table; see the module comment. */
export async function produceDirect(source: OpenedSource, opts: ProduceOptions, sink: DirectSink): Promise<ProduceSummary> {
  const inferrer = new SchemaInferrer();
  const enforce = new Map(opts.enforce);
  const checker = new RowChecker(4326, opts.coords, enforce);
  const geometryTypes = new Set<string>();
  const existing = opts.existing ?? [];
  const cols: Col[] = [];
  const byKey = new Map<string, Col>();
  const existingKeys = new Set(existing.flatMap((c) => [c.name, c.title]));
  const taken = new Set(existing.map((c) => c.name));
  let created = false;
  let staged = 0;
  let nullGeometries = 0;
  let lines: string[] = [];
  let firstRow = 1;
  const fid = opts.existing ? '\\N' : null;
  const vfrom = `\t${opts.version}\t`;

  const addColumn = (c: Col) => {
    cols.push(c);
    if (!byKey.has(c.title)) byKey.set(c.title, c);
    if (!byKey.has(c.name)) byKey.set(c.name, c);
  };
  const newColumn = (title: string, provisional: boolean): Col => {
    const name = safeColumnName(title, cols.length + 1, taken);
    const given = opts.types[title] ?? opts.types[name];
    if (given) {
      return { name, title, type: given, fixed: true, coercedTitle: enforce.get(title) === given, coercedName: enforce.get(name) === given, provisional: false, inexact: false };
    }
    return { name, title, type: provisional ? 'text' : inferrer.typeOf(title), fixed: false, coercedTitle: false, coercedName: false, provisional, inexact: false };
  };

  const flush = async () => {
    if (!lines.length) return;
    const text = lines.join('');
    lines = [];
    const from = firstRow;
    firstRow = staged + 1;
    await sink.copy(['_rid', '_fid', '_vfrom', 'geom', ...cols.map((c) => c.name)], text, from, staged);
    await sink.between(staged);
  };

  /** Fixes the columns from the sample and creates the table. */
  const createTable = async () => {
    for (const c of existing) {
      const coercedTitle = enforce.get(c.title) === c.type;
      const coercedName = enforce.get(c.name) === c.type;
      addColumn({ name: c.name, title: c.title, type: c.type, fixed: true, coercedTitle, coercedName, provisional: false, inexact: false });
    }
    for (const [k, t] of inferrer.seen) if (!existingKeys.has(k)) addColumn(newColumn(k, t === null));
    inferrer.changes.length = 0;
    await sink.ddl(typedTableDdl(opts.typed, cols, !opts.existing, false));
    created = true;
  };

  /** Follows the inferrer after a row: new columns, widenings; throws DirectMisfit where the table cannot follow. */
  const follow = async () => {
    const keys = inferrer.changes.splice(0);
    for (const k of keys) {
      let c = byKey.get(k);
      if (!c) {
        if (existingKeys.has(k)) continue;
        await flush(); // the lines so far have the columns so far
        c = newColumn(k, true);
        await sink.ddl(`ALTER TABLE ${opts.typed} ADD COLUMN ${ident(c.name)} ${SQL_TYPES[c.type]}`);
        addColumn(c);
        continue;
      }
      if (c.fixed || c.provisional || c.title !== k) continue;
      const t = inferrer.typeOf(k);
      if (t === c.type) continue;
      if ((c.type === 'integer' && t === 'number') || (c.type === 'date' && t === 'timestamp')) {
        // Lines already built for the narrower type are valid input for the wider one.
        await sink.ddl(`ALTER TABLE ${opts.typed} ALTER COLUMN ${ident(c.name)} TYPE ${SQL_TYPES[t]}`);
        c.type = t;
        continue;
      }
      throw new DirectMisfit(`column "${k}" was sampled as ${c.type} but is ${t}`);
    }
  };

  /**
   * One row's COPY line, or undefined when a value does not fit a fixed column (a row error, listed).
   * One pass over the columns and one string: this runs for every row.
   */
  const rowLine = (item: SourceFeature, g: SourceFeature['geometry']): string | undefined => {
    const p = item.properties;
    const rid = staged + 1;
    let s = `${rid}\t${fid ?? rid}${vfrom}${g ? geometryHex(g) : '\\N'}`;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i];
      let v = p[c.title];
      let coerced = c.coercedTitle;
      if ((v === null || v === undefined) && c.name !== c.title) {
        v = p[c.name];
        coerced = c.coercedName;
      }
      if (v === null || v === undefined) {
        s += '\t\\N';
        continue;
      }
      if (c.fixed) {
        if (!coerced) {
          try {
            v = coerceValue(v, c.type);
          } catch (e) {
            checker.addError({ row: item.row, field: c.title, reason: `${(e as Error).message}, but the column is ${c.type}` });
            return undefined;
          }
          if (v === null) {
            s += '\t\\N';
            continue;
          }
        }
        s += `\t${typedText(v, c.type)}`;
      } else if (c.provisional || c.type === 'text') {
        const t = rawText(v);
        if (t === undefined) {
          if (!c.provisional) throw new DirectMisfit(`column "${c.title}" is text and got ${typeof v === 'object' ? 'JSON' : String(v)}`);
          c.inexact = true;
          s += `\t${esc(typeof v === 'object' ? JSON.stringify(v) : String(v))}`;
        } else s += `\t${esc(t)}`;
      } else s += `\t${typedText(v, c.type)}`;
    }
    return `${s}\n`;
  };

  /** Adds an observed row; true when a batch is full (synchronous: no promise per row). */
  const take = (item: SourceFeature, g: SourceFeature['geometry']): boolean => {
    const text = rowLine(item, g);
    if (text === undefined) return false;
    if (g) geometryTypes.add(g.type);
    else nullGeometries++;
    staged++;
    lines.push(text);
    return lines.length >= STAGE_BATCH_ROWS;
  };

  let sample: { item: SourceFeature; g: SourceFeature['geometry'] }[] | null = [];
  const endSample = async () => {
    await createTable();
    const rows = sample ?? [];
    sample = null;
    for (const r of rows) if (take(r.item, r.g)) await flush();
  };
  for await (const item of source.features()) {
    if (isRowError(item)) {
      checker.addError({ row: item.row, ...(item.field ? { field: item.field } : {}), reason: item.reason });
    } else {
      const g = checker.check(item);
      if (g !== undefined) {
        inferrer.observe(item.properties);
        if (sample) {
          sample.push({ item, g });
          if (sample.length >= SAMPLE_ROWS) await endSample();
        } else {
          if (inferrer.changes.length) await follow();
          if (take(item, g)) await flush();
        }
      }
    }
    if (!opts.skipInvalid && checker.full) break;
  }
  if (sample) await endSample();
  await flush();

  // The end: provisional columns get their inferred types (cast from the text they hold).
  const casts: string[] = [];
  for (const c of cols) {
    if (c.fixed) continue;
    const t = inferrer.typeOf(c.title);
    if (c.provisional) {
      if (t !== 'text') {
        casts.push(`ALTER COLUMN ${ident(c.name)} TYPE ${SQL_TYPES[t]} USING ${castFromText(ident(c.name), t)}`);
        c.type = t;
      } else if (c.inexact) throw new DirectMisfit(`column "${c.title}" is text with values whose text form differs`);
      c.provisional = false;
    } else if (t !== c.type) throw new DirectMisfit(`column "${c.title}" was sampled as ${c.type} but is ${t}`);
  }
  return {
    staged,
    badRows: checker.badRows,
    errors: checker.errors,
    geometryTypes: [...geometryTypes],
    nullGeometries,
    newColumns: cols.slice(existing.length).map((c) => ({ name: c.name, title: c.title, type: c.type })),
    casts,
    created,
  };
}
