import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import { expect } from 'vitest';
import { YituError } from '../../../platform/errors.ts';
import { isRowError, type OpenedSource, type SourceItem } from '../types.ts';

export { type TempDir, useTempDir } from './temp-dir.ts';

/** Shared helpers of the reader tests (not part of the runtime). */

/** Text fixtures (CSV, GeoJSON, KML, NDJSON). */
export const FIXTURES = join(import.meta.dirname, 'fixtures');
/** Binary fixtures (Shapefile, GeoPackage, FlatGeobuf) and their generators. */
export const BINARY = join(import.meta.dirname, 'binary');

/**
 * Every item the source yields, in order (the source stays open). Items are pushed to `out` as
 * they come, so a caller can see what was read before a failure.
 */
export async function collect(src: OpenedSource, out: SourceItem[] = []): Promise<SourceItem[]> {
  for await (const item of src.features()) out.push(item);
  return out;
}

/** Every item the source yields, in order; closes the source afterwards, also on failure. */
export async function collectAndClose(src: OpenedSource): Promise<SourceItem[]> {
  try {
    return await collect(src);
  } finally {
    await src.close();
  }
}

/** Expects `p` to reject with a YituError of `code`; returns the error. */
export async function expectFailure(p: Promise<unknown>, code: string): Promise<YituError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(YituError);
  expect((e as YituError).code).toBe(code);
  return e as YituError;
}

/** A zip archive (in memory) holding `entries`, by entry name. */
export async function zipBuffer(entries: Record<string, Buffer | string>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, data] of Object.entries(entries)) z.addBuffer(Buffer.from(data), name);
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** Writes `head`, `piece(0)` … `piece(n - 1)` and `tail` to `path`, in writes of about 1 MB that wait for the stream to drain. */
export async function writeLargeFile(path: string, head: string, n: number, piece: (i: number) => string, tail = ''): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) => new Promise<void>((r) => (out.write(s) ? r() : out.once('drain', () => r())));
  await write(head);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += piece(i);
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf + tail);
  await new Promise((r) => out.end(r));
}

/** What opening and reading a large source cost: features read, time, and resident memory before and at its peak. */
export interface StreamStats {
  src: OpenedSource;
  count: number;
  ms: number;
  rss0: number;
  peak: number;
}

/** Opens a source and reads every item, counting the features and sampling the peak RSS. */
export async function streamFeatures(open: () => Promise<OpenedSource>): Promise<StreamStats> {
  const t0 = performance.now();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const src = await open();
  let count = 0;
  for await (const it of src.features()) {
    if (!isRowError(it)) count++;
    if ((count & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  return { src, count, ms: performance.now() - t0, rss0, peak };
}

/** Prints the cost of streaming `n` points of a `label` source. */
export function logStreamStats(label: string, n: number, s: StreamStats): void {
  console.log(
    `${label} ${n} points, ${(s.src.totalBytes! / 1e6).toFixed(0)} MB: ${(s.ms / 1000).toFixed(2)} s, ` +
      `peak RSS ${(s.peak / 1e6).toFixed(0)} MB (before: ${(s.rss0 / 1e6).toFixed(0)} MB)`,
  );
}
