/**
 * Text encodings of imported files. Files from Chinese desktop software (Excel "CSV", old GIS tools)
 * are often GBK / GB18030 rather than UTF-8; valid UTF-8 is taken as UTF-8, anything else as GBK
 * (decoded with the GB18030 table, a strict superset of GBK).
 */
import { open } from 'node:fs/promises';
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { YituError } from '../../platform/errors.ts';
import type { TextEncoding } from './types.ts';

/** What detection can tell apart. */
export type DetectedEncoding = 'utf-8' | 'gbk';

/** The decoding that will actually be used for a file. */
export interface ResolvedEncoding {
  /** Name reported on the opened source: 'utf-8', 'gbk' or 'gb18030'. */
  name: 'utf-8' | 'gbk' | 'gb18030';
  /** True when the caller asked for it, false when detected. */
  explicit: boolean;
}

/** True when `buf` starts with the UTF-8 byte order mark EF BB BF. */
export function hasUtf8Bom(buf: Uint8Array): boolean {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
}

/** Length of the longest prefix of `buf` that does not end inside a UTF-8 multi-byte sequence. */
export function completeUtf8Length(buf: Uint8Array): number {
  const n = buf.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = buf[n - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return len > back ? n - back : n;
  }
  return n;
}

/**
 * Detects the encoding of a sample taken from the start of a file (or from its first non-ASCII
 * part): a UTF-8 BOM or valid UTF-8 (a multi-byte sequence cut by the sample's end is allowed) gives
 * 'utf-8', anything else 'gbk'.
 */
export function detectEncoding(sample: Buffer): DetectedEncoding {
  if (hasUtf8Bom(sample)) return 'utf-8';
  return isUtf8(sample.subarray(0, completeUtf8Length(sample))) ? 'utf-8' : 'gbk';
}

/** Offset of the first byte of `buf` that is not valid UTF-8, or -1 (slow; used to report errors). */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0) return i;
    if (len > 1 && !isUtf8(buf.subarray(i, i + len))) return i;
    i += len;
  }
  return -1;
}

/**
 * Detects the encoding of a file: reads its first MiB; when that is pure ASCII (which both encodings
 * share) it keeps reading until the first non-ASCII chunk, up to `maxScanBytes` (default 64 MiB),
 * and detects on that. Files that stay ASCII are UTF-8.
 */
export async function sniffFileEncoding(path: string, maxScanBytes = 64 * 1024 * 1024): Promise<DetectedEncoding> {
  const fh = await open(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1024 * 1024);
    let pos = 0;
    while (pos < maxScanBytes) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos);
      if (bytesRead === 0) return 'utf-8';
      const part = chunk.subarray(0, bytesRead);
      if (!isAscii(part)) return detectEncoding(part);
      pos += bytesRead;
    }
    return 'utf-8';
  } finally {
    await fh.close();
  }
}

/** Decides the encoding of a text file from the caller's option (`auto` or absent → detection). */
export async function resolveEncoding(path: string, requested: TextEncoding | undefined): Promise<ResolvedEncoding> {
  switch (requested) {
    case undefined:
    case 'auto':
      return { name: await sniffFileEncoding(path), explicit: false };
    case 'utf-8':
    case 'gbk':
    case 'gb18030':
      return { name: requested, explicit: true };
    default:
      throw new YituError(
        'YITU_ERR_INPUT_INVALID',
        `Unknown text encoding "${String(requested)}"; use auto, utf-8, gbk or gb18030.`,
        { errors: [{ field: 'encoding', reason: 'unknown encoding' }] },
      );
  }
}

function invalidUtf8(offset: number, explicit: boolean): YituError {
  return new YituError(
    'YITU_ERR_IMPORT_ENCODING',
    `The file is not valid UTF-8 (first bad byte at offset ${offset}). ` +
      (explicit
        ? 'It was read as UTF-8 because encoding=utf-8 was given; try encoding=gbk.'
        : 'Its beginning looked like UTF-8; if it was saved by Chinese software, import it again with encoding=gbk.'),
    { errors: [{ offset, reason: 'invalid UTF-8 byte sequence' }] },
  );
}

/**
 * Passes UTF-8 chunks through unchanged (without a leading BOM), throwing YITU_ERR_IMPORT_ENCODING
 * with the byte offset at the first invalid sequence. Chunks are re-cut at character boundaries.
 */
export async function* validateUtf8(source: AsyncIterable<Buffer>, explicit = false): AsyncGenerator<Buffer> {
  let carry: Buffer | null = null;
  let base = 0; // file offset of the start of the current buffer
  let first = true;
  for await (const chunk of source) {
    let buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    if (first) {
      if (buf.length < 3 && buf[0] === 0xef && (buf.length < 2 || buf[1] === 0xbb)) {
        carry = buf; // too short to tell whether it is a BOM
        continue;
      }
      first = false;
      if (hasUtf8Bom(buf)) {
        buf = buf.subarray(3);
        base = 3;
      }
    }
    const n = completeUtf8Length(buf);
    const whole = buf.subarray(0, n);
    if (!isAscii(whole) && !isUtf8(whole)) throw invalidUtf8(base + firstInvalidUtf8(whole), explicit);
    carry = n < buf.length ? Buffer.from(buf.subarray(n)) : null;
    base += n;
    if (whole.length) yield whole;
  }
  if (carry?.length) throw invalidUtf8(base, explicit);
}

/** Decodes GBK / GB18030 chunks to strings (streaming; the decoder keeps split characters). */
export async function* decodeGb(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = iconv.getDecoder('gb18030');
  for await (const chunk of source) {
    const s = decoder.write(chunk);
    if (s) yield s;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

/**
 * Chunks of the file as UTF-8 bytes whatever its encoding: UTF-8 is validated and passed through
 * (BOM removed), GBK / GB18030 is transcoded. Byte offsets of transcoded text refer to the UTF-8
 * form, not to the file.
 */
export async function* toUtf8Chunks(source: AsyncIterable<Buffer>, enc: ResolvedEncoding): AsyncGenerator<Buffer> {
  if (enc.name === 'utf-8') {
    yield* validateUtf8(source, enc.explicit);
    return;
  }
  for await (const s of decodeGb(source)) yield Buffer.from(s, 'utf8');
}
