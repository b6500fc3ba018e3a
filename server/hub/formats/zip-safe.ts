import { createWriteStream } from 'node:fs';
import { mkdir, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { YituError, isYituError } from '../../platform/errors.ts';

/** Limits of {@link extractZipSafely}. */
export interface ZipLimits {
  /** Total bytes all entries may inflate to, counted while inflating. Default 4 GiB. */
  maxUncompressedBytes?: number;
  /** Largest uncompressed/compressed ratio of an entry over 1 MB. Default 200. */
  maxRatio?: number;
  /** Largest number of entries in the archive. Default 10,000. */
  maxEntries?: number;
}

/** What {@link extractZipSafely} extracted. */
export interface ExtractedZip {
  /** Absolute paths of the extracted regular files, in archive order. */
  files: string[];
}

/** Default limit on the total uncompressed size: 4 GiB. */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 4 * 1024 ** 3;
/** Default limit on an entry's compression ratio. */
export const DEFAULT_MAX_RATIO = 200;
/** Default limit on the number of entries. */
export const DEFAULT_MAX_ENTRIES = 10_000;
/** The ratio limit applies to entries larger than this. */
const RATIO_MIN_BYTES = 1024 * 1024;

/**
 * Extracts a zip archive into `destDir`, refusing anything unsafe with
 * `YITU_ERR_IMPORT_ZIP_UNSAFE` (absolute or `..` paths, symbolic links, encrypted entries, too
 * many entries, too many bytes, a compression ratio typical of zip bombs). Sizes are counted while
 * inflating: the sizes in the zip headers are not trusted. `__MACOSX/` and `.DS_Store` entries
 * are skipped. Entry names are decoded as UTF-8 when the archive says so or when they are valid
 * UTF-8, else as GBK (GB18030), which is what Chinese Windows zip tools write. A corrupt or
 * truncated archive fails with `YITU_ERR_IMPORT_FILE_MALFORMED`. On any failure, everything
 * extracted so far is deleted.
 */
export async function extractZipSafely(zipPath: string, destDir: string, opts: ZipLimits = {}): Promise<ExtractedZip> {
  const maxBytes = opts.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
  const maxRatio = opts.maxRatio ?? DEFAULT_MAX_RATIO;
  const maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const root = path.resolve(destDir);
  const createdFiles: string[] = [];
  const createdDirs: string[] = [];
  const files: string[] = [];

  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (e) {
    throw malformed(zipPath, e);
  }

  const ensureDir = async (dir: string): Promise<void> => {
    const missing: string[] = [];
    for (let d = dir; ; d = path.dirname(d)) {
      if (await exists(d)) break;
      missing.unshift(d);
      if (d === path.dirname(d)) break;
    }
    for (const d of missing) {
      await mkdir(d);
      createdDirs.push(d);
    }
  };

  try {
    if (zip.entryCount > maxEntries) {
      throw unsafe(`The archive has ${zip.entryCount} entries, more than the limit of ${maxEntries}.`);
    }
    await ensureDir(root);
    let total = 0;
    let seen = 0;
    for await (const entry of zip.eachEntry()) {
      seen++;
      if (seen > maxEntries) throw unsafe(`The archive has more than ${maxEntries} entries.`);
      const name = decodeEntryName(entry);
      const rel = checkEntry(entry, name);
      if (rel === null) continue;
      const target = path.join(root, ...rel.split('/'));
      if (target !== root && !target.startsWith(root + path.sep)) {
        throw unsafe(`Entry "${name}" would be written outside the extraction folder.`, name);
      }
      if (name.endsWith('/')) {
        await ensureDir(target);
        continue;
      }
      if (total + entry.uncompressedSize > maxBytes) {
        throw unsafe(
          `Entry "${name}" would bring the uncompressed size over the limit of ${maxBytes} bytes.`,
          name,
        );
      }
      await ensureDir(path.dirname(target));
      let stream;
      try {
        stream = await zip.openReadStreamPromise(entry);
      } catch (e) {
        throw malformed(zipPath, e, name);
      }
      let written = 0;
      const compressed = Math.max(entry.compressedSize, 1);
      const guard = new Transform({
        transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
          written += chunk.length;
          if (total + written > maxBytes) {
            cb(unsafe(`Entry "${name}" inflates past the limit of ${maxBytes} uncompressed bytes.`, name));
            return;
          }
          if (written > RATIO_MIN_BYTES && written / compressed > maxRatio) {
            cb(
              unsafe(
                `Entry "${name}" inflates more than ${maxRatio} times its compressed size (a zip bomb?).`,
                name,
              ),
            );
            return;
          }
          cb(null, chunk);
        },
      });
      if (!files.includes(target)) createdFiles.push(target);
      try {
        await pipeline(stream, guard, createWriteStream(target));
      } catch (e) {
        if (isYituError(e)) throw e;
        if (/too many bytes/i.test(String((e as Error).message))) {
          throw unsafe(`Entry "${name}" inflates to more bytes than its header declares.`, name);
        }
        throw malformed(zipPath, e, name);
      }
      total += written;
      if (!files.includes(target)) files.push(target);
    }
    return { files };
  } catch (e) {
    await cleanup(createdFiles, createdDirs);
    if (isYituError(e)) throw e;
    throw malformed(zipPath, e);
  } finally {
    zip.close();
  }
}

/** Decodes an entry name: UTF-8 flag or Info-ZIP Unicode path field, valid UTF-8, else GBK. */
function decodeEntryName(entry: Entry): string {
  const raw: Buffer = entry.fileNameRaw ?? (entry.fileName as unknown as Buffer);
  if ((entry.generalPurposeBitFlag & 0x800) !== 0) return raw.toString('utf8');
  for (const field of entry.extraFields) {
    // Info-ZIP Unicode Path Extra Field: version 1, CRC-32 of the header name, UTF-8 name.
    if (field.id !== 0x7075 || field.data.length < 6 || field.data[0] !== 1) continue;
    if (field.data.readUInt32LE(1) === crc32(raw)) return field.data.subarray(5).toString('utf8');
  }
  if (isUtf8(raw)) return raw.toString('utf8');
  return iconv.decode(raw, 'gb18030');
}

/**
 * Checks an entry and returns its relative path with forward slashes, or null to skip it.
 * Throws YITU_ERR_IMPORT_ZIP_UNSAFE for unsafe entries.
 */
function checkEntry(entry: Entry, name: string): string | null {
  if ((entry.generalPurposeBitFlag & 0x1) !== 0 || (entry.generalPurposeBitFlag & 0x40) !== 0) {
    throw unsafe(`Entry "${name}" is encrypted; encrypted archives are not accepted.`, name);
  }
  if (name.includes('\0')) throw unsafe(`Entry "${name}" has a NUL character in its name.`, name);
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) {
    throw unsafe(`Entry "${name}" has an absolute path.`, name);
  }
  const parts = slashed.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw unsafe(`Entry "${name}" has a ".." path (path traversal).`, name);
  const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
  if (mode === 0o120000) throw unsafe(`Entry "${name}" is a symbolic link.`, name);
  if (parts.length === 0) return null;
  if (parts[0] === '__MACOSX' || parts[parts.length - 1] === '.DS_Store') return null;
  return parts.join('/');
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function cleanup(files: string[], dirs: string[]): Promise<void> {
  for (const f of files) await rm(f, { force: true }).catch(() => undefined);
  // Only folders this extraction created, deepest first; a folder someone else filled is kept.
  for (const d of [...dirs].reverse()) await rmdir(d).catch(() => undefined);
}

function unsafe(detail: string, entry?: string): YituError {
  return new YituError('YITU_ERR_IMPORT_ZIP_UNSAFE', detail, {
    errors: [{ field: entry, reason: detail }],
    extra: entry === undefined ? undefined : { entry },
  });
}

function malformed(zipPath: string, cause: unknown, entry?: string): YituError {
  const why = cause instanceof Error ? cause.message : String(cause);
  const where = entry === undefined ? '' : ` (entry "${entry}")`;
  return new YituError(
    'YITU_ERR_IMPORT_FILE_MALFORMED',
    `${path.basename(zipPath)} is not a readable zip archive${where}: ${why}. It may be truncated or corrupt; create it again.`,
    { cause, errors: [{ field: entry, reason: why }] },
  );
}
