import type { Geometry } from 'geojson';
import type { Db } from '../platform/db.ts';
import { copyText } from '../platform/db.ts';
import { type ErrorLocation, YituError } from '../platform/errors.ts';
import { bd09ToWgs84, convertGeometry, gcj02ToWgs84 } from './crs/chinese-offsets.ts';
import { type OpenedSource, type SourceFeature, isRowError } from './formats/types.ts';
import { geometryToWkb } from './formats/wkb.ts';
import type { ColumnType } from './model.ts';
import { SchemaInferrer, coerceValue } from './schema-infer.ts';

/** Rows per COPY batch: short statements, so other requests interleave on PGlite. */
export const STAGE_BATCH_ROWS = 5_000;
/** Row errors listed in a report (the count covers all). */
export const MAX_LISTED_ERRORS = 20;
/** Reading stops after this many bad rows when they are not skipped. */
export const STOP_AFTER_ERRORS = 100;

/** What staging found in the file. */
export interface StageResult {
  /** Features read (good rows). */
  staged: number;
  /** Rows that could not be read. */
  badRows: number;
  /** The first errors, located. */
  errors: ErrorLocation[];
  /** The schema inferred from every value. */
  inferrer: SchemaInferrer;
  /** Geometry types seen (GeoJSON names). */
  geometryTypes: Set<string>;
  /** Features without geometry. */
  nullGeometries: number;
}

/** How to stage. */
export interface StageOptions {
  table: string;
  srid: number;
  coords: 'wgs84' | 'gcj02' | 'bd09';
  skipInvalid: boolean;
  /** Column types values must fit while staging, by property name (original name or safe name): the existing dataset's columns (append…) or the caller's overrides. */
  enforce: Map<string, ColumnType>;
  signal: AbortSignal;
  onProgress: (fraction: number, staged: number) => void;
}

/** Lets the event loop run timers and I/O between batches of long work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Geographic CRSs whose coordinates must be in degree ranges. */
const GEOGRAPHIC = new Set([4326, 4490, 4214, 4610]);

/** The first position outside the degree ranges, or null (a module-level function: no closure per row). */
function outOfRange(c: unknown): number[] | null {
  if (!Array.isArray(c)) return null;
  if (typeof c[0] === 'number') {
    const x = c[0] as number;
    const y = c[1] as number;
    return x < -180 || x > 180 || y < -90 || y > 90 ? (c as number[]) : null;
  }
  for (const p of c) {
    const bad = outOfRange(p);
    if (bad) return bad;
  }
  return null;
}

function checkRange(g: Geometry, srid: number): string | null {
  if (!GEOGRAPHIC.has(srid)) return null;
  let bad: number[] | null = null;
  if (g.type === 'GeometryCollection') {
    for (const m of g.geometries) if (!bad) bad = outOfRange('coordinates' in m ? m.coordinates : []);
  } else bad = outOfRange(g.coordinates);
  if (!bad) return null;
  const [x, y] = bad;
  return `coordinate (${x}, ${y}) is outside longitude −180…180 / latitude −90…90; if the file is in a projected CRS (metres), give its EPSG code (for example --crs 4549)`;
}

/** Creates the staging table of one import. */
export async function createStageTable(db: Db, table: string): Promise<void> {
  await db.exec(`CREATE TABLE ${table} (row integer NOT NULL, geom geometry, props jsonb NOT NULL)`);
}

/**
 * The per-row work both loaders share: Chinese web-map offsets removed, coordinate ranges checked,
 * values fitted to the column types that are fixed (an existing dataset's, the caller's overrides),
 * and row errors counted with the first ones listed.
 */
export class RowChecker {
  /** The first errors, located. */
  readonly errors: ErrorLocation[] = [];
  /** Rows that could not be read. */
  badRows = 0;
  private readonly convert: ((lon: number, lat: number) => [number, number]) | null;

  constructor(
    private readonly srid: number,
    coords: 'wgs84' | 'gcj02' | 'bd09',
    private readonly enforce: Map<string, ColumnType>,
  ) {
    this.convert = coords === 'gcj02' ? gcj02ToWgs84 : coords === 'bd09' ? bd09ToWgs84 : null;
  }

  /** Counts a bad row; lists it among the first errors. */
  addError(e: ErrorLocation): void {
    this.badRows++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push(e);
  }

  /** True once enough bad rows were seen to stop reading (when they are not skipped). */
  get full(): boolean {
    return this.badRows >= STOP_AFTER_ERRORS;
  }

  /**
   * Checks one feature; its properties are coerced in place. Returns the geometry to store (null
   * for none), or undefined when the row is bad (then counted and listed).
   */
  check(item: SourceFeature): Geometry | null | undefined {
    let g = item.geometry;
    if (g) {
      if (this.convert) g = convertGeometry(g, this.convert);
      const rangeErr = checkRange(g, this.srid);
      if (rangeErr) {
        this.addError({ row: item.row, field: 'geometry', reason: rangeErr });
        return undefined;
      }
    }
    if (this.enforce.size) {
      for (const name in item.properties) {
        const type = this.enforce.get(name);
        if (!type) continue;
        try {
          item.properties[name] = coerceValue(item.properties[name], type);
        } catch (e) {
          this.addError({ row: item.row, field: name, reason: `${(e as Error).message}, but the column is ${type}` });
          return undefined;
        }
      }
    }
    return g;
  }
}

/**
 * Streams a source into the staging table in short COPY batches, inferring the schema and
 * collecting row errors on the way. Nothing is visible to readers until the import commits.
 */
export async function stageSource(db: Db, source: OpenedSource, opts: StageOptions): Promise<StageResult> {
  const inferrer = new SchemaInferrer();
  const checker = new RowChecker(opts.srid, opts.coords, opts.enforce);
  const geometryTypes = new Set<string>();
  let staged = 0;
  let nullGeometries = 0;
  let batch: unknown[][] = [];
  // One COPY may be in flight while the next batch is read: on a server the database and the
  // parser then work at the same time (on PGlite the COPY runs in this thread anyway).
  let inflight: Promise<void> | null = null;
  const flush = async () => {
    if (!batch.length) return;
    if (opts.signal.aborted) throw opts.signal.reason ?? new YituError('YITU_ERR_IMPORT_CANCELLED', 'The import was cancelled.');
    const text = copyText(batch);
    batch = [];
    if (inflight) await inflight;
    inflight = db.copyIn(opts.table, ['row', 'geom', 'props'], text);
    inflight.catch(() => {}); // awaited below; this only keeps it from being reported as unhandled meanwhile
    // PGlite and in-memory sources resolve through microtasks only: give timers and other requests a turn.
    await yieldToEventLoop();
    const frac = source.totalBytes && source.bytesRead ? source.bytesRead() / source.totalBytes : 0;
    opts.onProgress(Math.min(1, frac), staged);
  };

  for await (const item of source.features()) {
    if (isRowError(item)) {
      checker.addError({ row: item.row, ...(item.field ? { field: item.field } : {}), reason: item.reason });
    } else {
      const g = checker.check(item);
      if (g !== undefined) {
        if (g) geometryTypes.add(g.type);
        else nullGeometries++;
        inferrer.observe(item.properties);
        batch.push([item.row, g ? Buffer.from(geometryToWkb(g)).toString('hex') : null, item.properties]);
        staged++;
      }
    }
    if (!opts.skipInvalid && checker.full) break;
    if (batch.length >= STAGE_BATCH_ROWS) await flush();
  }
  await flush();
  if (inflight) await inflight;
  inferrer.changes.length = 0;
  return { staged, badRows: checker.badRows, errors: checker.errors, inferrer, geometryTypes, nullGeometries };
}

/** The dataset's geometry type from the types seen: one type, a Multi* family, or Geometry. */
export function summariseGeometryType(types: Set<string>): string | null {
  if (types.size === 0) return null;
  if (types.size === 1) return [...types][0];
  const base = new Set([...types].map((t) => t.replace(/^Multi/, '')));
  if (base.size === 1) return `Multi${[...base][0]}`;
  return 'Geometry';
}
