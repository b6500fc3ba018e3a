/**
 * The direct load of an import, its database half: runs the producer of `import-direct.ts` here or
 * in a worker thread, executes its DDL and COPY batches in order with one COPY in flight, then
 * finishes the table (casts of the columns that held text, primary key, identity sequences, repair
 * of invalid geometries).
 *
 * Why a worker: on a server the import is bound by this thread (parsing ≈ 40 % of it, building the
 * COPY text and the per-row checks most of the rest) while PostgreSQL ingests the previous batch on
 * the other core; with the reading in a worker, reading, sending and ingesting overlap on both cores.
 * Only the plain-text formats that stream from a file (GeoJSON, newline-delimited GeoJSON, CSV) read
 * in a worker, and only past {@link WORKER_MIN_BYTES} (starting it costs ~0.3 s).
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Db } from '../platform/db.ts';
import { type ErrorLocation, YituError } from '../platform/errors.ts';
import type { OpenSourceOptions } from './formats/open-source.ts';
import type { OpenedSource } from './formats/types.ts';
import { DirectMisfit, type DirectSink, type ProduceOptions, type ProduceSummary, produceDirect } from './import-direct.ts';
import { yieldToEventLoop } from './import-stage.ts';
import type { DatasetColumn } from './model.ts';

/** Files at least this large are read in a worker thread (GeoJSON, NDJSON, CSV). */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024;
/** Rows per validity statement on PGlite (one statement on a server). */
const REPAIR_BATCH_ROWS = 20_000;
/** Young generation of the worker's heap, MB (V8's default is 16 per semi-space): fewer scavenges while parsing. */
const WORKER_YOUNG_GENERATION_MB = 128;
/** COPY batches a worker may have sent and not seen stored. */
export const WORKER_MAX_PENDING = 4;

/** How to load. */
export interface DirectOptions extends ProduceOptions {
  signal: AbortSignal;
  onProgress: (fraction: number, staged: number) => void;
  /** Add the primary key on `_rid` after the load (else the caller builds it with the other indexes, or needs none). */
  primaryKey: boolean;
  /** Read in a worker thread: the file and reader options (the same the source was opened with). */
  worker?: { file: string; reader: OpenSourceOptions; minBytes?: number };
}

/** What the direct load did. */
export interface DirectResult {
  staged: number;
  badRows: number;
  errors: ErrorLocation[];
  geometryTypes: Set<string>;
  nullGeometries: number;
  /** The new columns (after the existing dataset's), final types. */
  newColumns: DatasetColumn[];
  repaired: number;
  /** Whether the file was read in a worker thread. */
  inWorker: boolean;
  /** Milliseconds spent after the last row (casts, primary key, repairs). */
  finishMs: number;
}

/** Messages between the worker and this thread. */
export type WorkerMessage =
  | { t: 'ddl'; sql: string }
  | { t: 'copy'; columns: string[]; text: string; from: number; to: number; fraction: number }
  | { t: 'done'; summary: ProduceSummary }
  | { t: 'misfit'; message: string }
  | { t: 'error'; code?: string; message: string; errors?: ErrorLocation[]; extra?: Record<string, unknown>; status?: number };

const cancelled = (signal: AbortSignal) => signal.reason ?? new YituError('YITU_ERR_IMPORT_CANCELLED', 'The import was cancelled.');

function copyBatch(db: Db, table: string, columns: string[], text: string, from: number, to: number): Promise<void> {
  const p = db.copyIn(table, columns, text).catch((e: unknown) => {
    throw new YituError(
      'YITU_ERR_IMPORT_FILE_MALFORMED',
      `Rows ${from}–${to} could not be stored: ${(e as Error).message}. Check the coordinate system (--crs) and the column types.`,
      { cause: e },
    );
  });
  p.catch(() => {}); // awaited by the caller; this only keeps it from being reported as unhandled meanwhile
  return p;
}

/** Produces in this thread: one COPY in flight while the next batch is read. */
async function produceHere(db: Db, source: OpenedSource, opts: DirectOptions): Promise<ProduceSummary> {
  let inflight: Promise<void> | null = null;
  const wait = async () => {
    const p = inflight;
    inflight = null;
    if (p) await p;
  };
  const sink: DirectSink = {
    async ddl(sql) {
      await wait();
      await db.exec(sql);
    },
    async copy(columns, text, from, to) {
      await wait();
      inflight = copyBatch(db, opts.typed, columns, text, from, to);
    },
    async between(staged) {
      if (opts.signal.aborted) throw cancelled(opts.signal);
      // PGlite and in-memory sources resolve through microtasks only: give timers and other requests a turn.
      await yieldToEventLoop();
      const frac = source.totalBytes && source.bytesRead ? source.bytesRead() / source.totalBytes : 0;
      opts.onProgress(Math.min(1, frac), staged);
    },
  };
  try {
    const summary = await produceDirect(source, opts, sink);
    await wait();
    return summary;
  } catch (e) {
    await wait().catch(() => {});
    throw e;
  }
}

/**
 * The worker's bootstrap: Node 20 does not apply `--import tsx` to a worker's entry module, so the
 * worker registers tsx's loader itself and then imports the TypeScript entry.
 */
function workerBootstrap(): string {
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./import-direct-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
}

/** Produces in a worker thread; DDL and COPY batches run here, in order, one COPY in flight. */
function produceInWorker(db: Db, opts: DirectOptions, file: string, reader: OpenSourceOptions): Promise<ProduceSummary> {
  const { signal, onProgress, worker: _w, primaryKey: _p, ...produce } = opts;
  const worker = new Worker(workerBootstrap(), {
    eval: true,
    workerData: { file, reader, opts: produce },
    // Parsing allocates short-lived objects per feature: a larger young generation means fewer scavenges
    // (~+100 MB RSS). Not on PGlite, where memory is the tighter budget (its WebAssembly heap is ~1 GB).
    ...(db.capabilities.concurrent ? { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } } : {}),
  });
  return new Promise<ProduceSummary>((resolve, reject) => {
    let settled = false;
    let inflight: Promise<void> | null = null;
    let chain = Promise.resolve();
    const wait = async () => {
      const p = inflight;
      inflight = null;
      if (p) await p;
    };
    const settle = async (err: unknown, summary?: ProduceSummary) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      await worker.terminate().catch(() => {});
      await wait().catch(() => {});
      if (summary && err === undefined) resolve(summary);
      else reject(err);
    };
    const onAbort = () => void settle(cancelled(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    const handle = async (m: WorkerMessage) => {
      if (settled) return;
      switch (m.t) {
        case 'ddl':
          await wait();
          await db.exec(m.sql);
          break;
        case 'copy': {
          await wait();
          const p = copyBatch(db, opts.typed, m.columns, m.text, m.from, m.to);
          inflight = p;
          p.then(() => worker.postMessage({ t: 'ack' }), () => {});
          onProgress(Math.min(1, m.fraction), m.to);
          break;
        }
        case 'done':
          await wait();
          await settle(undefined, m.summary);
          break;
        case 'misfit':
          await settle(new DirectMisfit(m.message));
          break;
        case 'error':
          await settle(
            m.code
              ? new YituError(m.code as ConstructorParameters<typeof YituError>[0], m.message, {
                  ...(m.errors ? { errors: m.errors } : {}),
                  ...(m.extra ? { extra: m.extra } : {}),
                  ...(m.status ? { status: m.status } : {}),
                })
              : new Error(m.message),
          );
          break;
      }
    };
    worker.on('message', (m: WorkerMessage) => {
      chain = chain.then(() => handle(m)).catch((e: unknown) => settle(e));
    });
    worker.on('error', (e) => void settle(e));
    worker.on('exit', (code) => {
      chain = chain.then(() => settle(new YituError('YITU_ERR_INTERNAL', `The import's reading thread stopped (exit code ${code}).`)));
    });
  });
}

/** Loads a source straight into a new typed table (see `import-direct.ts`), then finishes the table. */
export async function loadDirect(db: Db, source: OpenedSource, opts: DirectOptions): Promise<DirectResult> {
  const w = opts.worker;
  const inWorker =
    w !== undefined && ['geojson', 'ndjson', 'csv'].includes(source.format) && (source.totalBytes ?? 0) >= (w.minBytes ?? WORKER_MIN_BYTES);
  const summary = inWorker ? await produceInWorker(db, opts, w.file, w.reader) : await produceHere(db, source, opts);
  const finishStart = Date.now();
  let repaired = 0;
  if (summary.created && summary.staged > 0 && !(summary.badRows && !opts.skipInvalid)) {
    if (summary.casts.length) {
      try {
        await db.exec(`ALTER TABLE ${opts.typed} ${summary.casts.join(', ')}`);
      } catch (e) {
        throw new YituError('YITU_ERR_IMPORT_FILE_MALFORMED', `Values could not be stored: ${(e as Error).message}. Check the column types.`, { cause: e });
      }
    }
    if (opts.signal.aborted) throw cancelled(opts.signal);
    if (opts.primaryKey) await db.exec(`ALTER TABLE ${opts.typed} ADD PRIMARY KEY (_rid)`);
    // Row ids were written by the load: the identities continue after them.
    await db.query(`SELECT setval(pg_get_serial_sequence($1, '_rid'), $2)`, [opts.typed, summary.staged]);
    if (!opts.existing) await db.query(`SELECT setval(pg_get_serial_sequence($1, '_fid'), $2)`, [opts.typed, summary.staged]);
    if (summary.geometryTypes.some((t) => t !== 'Point' && t !== 'MultiPoint')) repaired = await repair(db, opts.typed, summary.staged, opts.signal);
  }
  return {
    staged: summary.staged,
    badRows: summary.badRows,
    errors: summary.errors,
    geometryTypes: new Set(summary.geometryTypes),
    nullGeometries: summary.nullGeometries,
    newColumns: summary.newColumns,
    repaired,
    inWorker,
    finishMs: Date.now() - finishStart,
  };
}

/**
 * Repairs invalid geometries in place (`ST_MakeValid`, structure method) and returns how many: the
 * same rows and the same function as the staged path's typing statement (points are always valid).
 */
async function repair(db: Db, typed: string, rows: number, signal: AbortSignal): Promise<number> {
  const sql = `UPDATE ${typed} SET geom = ST_MakeValid(geom, 'method=structure')
    WHERE _rid >= $1 AND _rid < $2 AND GeometryType(geom) NOT IN ('POINT', 'MULTIPOINT') AND NOT ST_IsValid(geom)`;
  // PGlite runs one statement at a time for the whole process: short batches let requests interleave.
  const step = db.capabilities.concurrent ? rows : REPAIR_BATCH_ROWS;
  let n = 0;
  for (let from = 1; from <= rows; from += step) {
    if (signal.aborted) throw cancelled(signal);
    n += (await db.query(sql, [from, from + step])).rowCount;
    await yieldToEventLoop();
  }
  return n;
}
