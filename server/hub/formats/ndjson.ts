/**
 * Newline-delimited GeoJSON reader (one Feature per line: `.ndjson`, `.geojsonl`, `.jsonl`), also
 * GeoJSON Text Sequences (RFC 8142, `.geojsons`: each text starts with the RS character 0x1E).
 * Streamed line by line; a line that is not a valid Feature is a row error whose row is the line
 * number, and features also carry their line number as `row`.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { YituError } from '../../platform/errors.ts';
import { resolveEncoding, toUtf8Chunks } from './encoding.ts';
import { featureToItem } from './geometry-check.ts';
import type { OpenedSource, ReaderOptions, SourceItem } from './types.ts';

const MAX_LINE = 512 * 1024 * 1024;
const RS = 0x1e;

function isBlankByte(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === RS;
}

/** Parses one line (or RS-separated text) into an item; null for a blank line. */
function lineItem(buf: Buffer, line: number): SourceItem | null {
  let s = 0;
  let e = buf.length;
  while (s < e && isBlankByte(buf[s])) s++;
  while (e > s && isBlankByte(buf[e - 1])) e--;
  if (s === e) return null;
  let obj: unknown;
  try {
    obj = JSON.parse(buf.toString('utf8', s, e));
  } catch (err) {
    return { row: line, error: true, reason: `line ${line} is not valid JSON: ${(err as Error).message}` };
  }
  const type = (obj as { type?: unknown } | null)?.type;
  if (type === 'FeatureCollection') {
    return { row: line, error: true, reason: `line ${line} holds a FeatureCollection; newline-delimited GeoJSON has one Feature per line` };
  }
  const item = featureToItem(obj, line);
  if ('error' in item) item.reason = item.reason.replace(/^feature (\d+)/, 'line $1');
  return item;
}

/** Splits one line on RS characters (RFC 8142 writers may put several texts on one line). */
function* texts(buf: Buffer): Generator<Buffer> {
  if (buf.indexOf(RS, 1) === -1) {
    yield buf;
    return;
  }
  let p = 0;
  for (let r = buf.indexOf(RS, 1); r !== -1; r = buf.indexOf(RS, p + 1)) {
    yield buf.subarray(p, r);
    p = r;
  }
  yield buf.subarray(p);
}

/** Opens a newline-delimited GeoJSON / GeoJSONSeq file (UTF-8, or GBK transcoded). */
export async function openNdjson(path: string, opts: ReaderOptions = {}): Promise<OpenedSource> {
  const { size } = await stat(path);
  if (size === 0) throw new YituError('YITU_ERR_IMPORT_FILE_EMPTY', 'The file is empty (0 bytes).');
  if (size <= 64 * 1024) {
    const fh = await open(path, 'r');
    try {
      const head = Buffer.alloc(size);
      await fh.read(head, 0, size, 0);
      const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
      if (head.subarray(start).every(isBlankByte)) {
        throw new YituError('YITU_ERR_IMPORT_FILE_EMPTY', 'The file contains only whitespace.');
      }
    } finally {
      await fh.close();
    }
  }
  const enc = await resolveEncoding(path, opts.encoding);
  let read = 0;
  async function* raw(): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
      read += chunk.length;
      yield chunk;
    }
  }

  return {
    format: 'ndjson',
    encoding: enc.name,
    totalBytes: size,
    bytesRead: () => read,
    async *features(): AsyncGenerator<SourceItem> {
      read = 0;
      let carry: Buffer[] = [];
      let carried = 0;
      let line = 0;
      const out: SourceItem[] = [];
      const take = (buf: Buffer) => {
        line++;
        for (const t of texts(buf)) {
          const item = lineItem(t, line);
          if (item) out.push(item);
        }
      };
      for await (const chunk of toUtf8Chunks(raw(), enc)) {
        let p = 0;
        for (let nl = chunk.indexOf(10, p); nl !== -1; nl = chunk.indexOf(10, p)) {
          take(carry.length ? Buffer.concat([...carry, chunk.subarray(p, nl)]) : chunk.subarray(p, nl));
          carry = [];
          carried = 0;
          p = nl + 1;
        }
        if (p < chunk.length) {
          carry.push(chunk.subarray(p));
          carried += chunk.length - p;
          if (carried > MAX_LINE) {
            throw new YituError('YITU_ERR_IMPORT_FILE_MALFORMED', `Line ${line + 1} is longer than 512 MiB.`, {
              errors: [{ line: line + 1, row: line + 1, reason: 'line too long' }],
            });
          }
        }
        for (let k = 0; k < out.length; k++) yield out[k];
        out.length = 0;
      }
      if (carry.length) take(Buffer.concat(carry));
      yield* out;
    },
    async close() {},
  };
}
