/**
 * KML / KMZ reader via @tmcw/togeojson on an @xmldom/xmldom DOM. KML is always WGS 84 (EPSG:4326).
 * The document is read whole (KML files are small); files over `maxBytes` (default 200 MB) are
 * refused. A KMZ (zip) is extracted with `extractZipSafely` and its `doc.kml` (else its only / first
 * top-level `.kml`) is read.
 */
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { kmlGen } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import iconv from 'iconv-lite';
import { YituError } from '../../platform/errors.ts';
import { hasUtf8Bom } from './encoding.ts';
import { featureToItem } from './geometry-check.ts';
import type { OpenedSource, ReaderOptions, SourceItem } from './types.ts';
import { extractZipSafely } from './zip-safe.ts';

/** Default largest KML document read: 200 MB. */
export const DEFAULT_MAX_KML_BYTES = 200 * 1024 * 1024;

/** KML reader options. */
export interface KmlReaderOptions extends ReaderOptions {
  /** Largest KML document (uncompressed) accepted, in bytes. */
  maxBytes?: number;
}

/** KML geometry elements (a Placemark holding one should have a geometry). */
const GEOMETRY_TAGS = ['Point', 'Polygon', 'LineString', 'LinearRing', 'gx:Track', 'gx:MultiTrack', 'Track', 'MultiTrack', 'Model'];

/** Style bookkeeping togeojson adds that is not data. */
const DROPPED = ['styleHash', 'styleMapHash'];

function tooLarge(size: number, max: number): YituError {
  return new YituError(
    'YITU_ERR_IMPORT_FILE_TOO_LARGE',
    `The KML document is ${(size / 1e6).toFixed(0)} MB; KML is read whole and is limited to ${(max / 1e6).toFixed(0)} MB. ` +
      'Convert it to GeoPackage, FlatGeobuf or GeoJSON for large data.',
  );
}

/** Decodes a KML document: BOM, else the XML declaration's encoding (GBK/GB2312/GB18030 are common), else UTF-8. */
export function decodeXml(buf: Buffer, requested?: string): string {
  if (hasUtf8Bom(buf)) return buf.toString('utf8', 3);
  const decl = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(buf.toString('latin1', 0, Math.min(buf.length, 512)));
  const enc = requested && requested !== 'auto' ? requested : decl?.[1]?.toLowerCase();
  if (enc && /^(gbk|gb2312|gb18030|cp936)$/.test(enc)) return iconv.decode(buf, 'gb18030');
  return buf.toString('utf8');
}

/** Parses KML text to a DOM, turning xmldom errors into YITU_ERR_IMPORT_FILE_MALFORMED with the line. */
export function parseKmlDocument(text: string): ReturnType<DOMParser['parseFromString']> {
  let doc: ReturnType<DOMParser['parseFromString']>;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (e) {
    const loc = (e as { locator?: { lineNumber?: number; columnNumber?: number } }).locator;
    const cause = (e as { cause?: unknown }).cause;
    const msg = cause instanceof Error ? cause.message : (e as Error).message;
    const line = loc?.lineNumber && loc.lineNumber > 0 ? loc.lineNumber : undefined;
    throw new YituError(
      'YITU_ERR_IMPORT_FILE_MALFORMED',
      `The KML is not well-formed XML${line ? ` (line ${line}${loc?.columnNumber ? `, column ${loc.columnNumber}` : ''})` : ''}: ${msg}.`,
      { errors: [{ ...(line ? { line } : {}), reason: msg }], cause: e },
    );
  }
  const root = doc.documentElement;
  if (!root || (root.localName ?? root.nodeName) !== 'kml') {
    throw new YituError(
      'YITU_ERR_IMPORT_FILE_MALFORMED',
      `The XML document is not KML: its root element is <${root?.nodeName ?? 'none'}>, not <kml>.`,
      { errors: [{ line: 1, reason: 'root element is not kml' }] },
    );
  }
  return doc;
}

/** Picks the KML document inside an extracted KMZ: `doc.kml`, else the shallowest `.kml`. */
function pickKml(files: string[], root: string): string | undefined {
  const kmls = files.filter((f) => f.toLowerCase().endsWith('.kml'));
  const depth = (f: string) => relative(root, f).split(/[\\/]/).length;
  return (
    kmls.find((f) => relative(root, f).toLowerCase() === 'doc.kml') ??
    kmls.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b))[0]
  );
}

async function isZip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(4);
    await fh.read(b, 0, 4, 0);
    return b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
  } finally {
    await fh.close();
  }
}

/** Opens a KML or KMZ file. Row numbers are the Placemarks' 1-based order in the document. */
export async function openKml(path: string, opts: KmlReaderOptions = {}): Promise<OpenedSource> {
  const max = opts.maxBytes ?? DEFAULT_MAX_KML_BYTES;
  const { size } = await stat(path);
  if (size === 0) throw new YituError('YITU_ERR_IMPORT_FILE_EMPTY', 'The KML file is empty (0 bytes).');
  let kmlPath = path;
  let tempDir: string | undefined;
  try {
    if (await isZip(path)) {
      tempDir = await mkdtemp(join(tmpdir(), 'yitu-kmz-'));
      const { files } = await extractZipSafely(path, tempDir, {
        maxUncompressedBytes: Math.min(opts.maxUncompressedBytes ?? Infinity, max * 4),
      });
      const picked = pickKml(files, tempDir);
      if (!picked) {
        const names = files.map((f) => relative(tempDir!, f)).slice(0, 20).join(', ') || 'nothing';
        throw new YituError('YITU_ERR_IMPORT_FILE_MALFORMED', `The KMZ holds no .kml document (found: ${names}).`);
      }
      kmlPath = picked;
    }
    const kmlSize = (await stat(kmlPath)).size;
    if (kmlSize > max) throw tooLarge(kmlSize, max);
    const text = decodeXml(await readFile(kmlPath), opts.encoding);
    if (text.trim() === '') throw new YituError('YITU_ERR_IMPORT_FILE_EMPTY', `${basename(kmlPath)} contains only whitespace.`);
    let doc: ReturnType<typeof parseKmlDocument> | null = parseKmlDocument(text);
    const dir = tempDir;
    let done = 0;
    return {
      format: 'kml',
      crs: 4326,
      encoding: 'utf-8',
      totalBytes: size,
      bytesRead: () => done,
      async *features(): AsyncGenerator<SourceItem> {
        if (!doc) throw new YituError('YITU_ERR_INTERNAL', 'The KML source is closed.');
        const placemarks = doc.getElementsByTagName('Placemark');
        let row = 0;
        for (const f of kmlGen(doc)) {
          row++;
          // togeojson turns unreadable coordinates into a null geometry: say so instead.
          const pm = row <= placemarks.length ? placemarks.item(row - 1) : null;
          const tag = f.geometry === null && pm ? GEOMETRY_TAGS.find((t) => pm.getElementsByTagName(t).length > 0) : undefined;
          if (tag) {
            yield {
              row,
              field: 'geometry',
              error: true,
              reason: `Placemark ${row}${f.properties?.name ? ` (${String(f.properties.name)})` : ''}: its <${tag}> coordinates cannot be read (non-numbers, or too few positions)`,
            };
            continue;
          }
          const props = (f.properties ?? {}) as Record<string, unknown>;
          for (const k of DROPPED) delete props[k];
          const item = featureToItem({ ...f, type: 'Feature', properties: props }, row);
          if ('error' in item) item.reason = item.reason.replace(/^feature (\d+)/, 'Placemark $1');
          yield item;
        }
        done = size;
      },
      async close() {
        doc = null;
        if (dir) await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    throw e;
  }
}
