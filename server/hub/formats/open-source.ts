/**
 * Opens any importable file: picks the reader from the explicit format, the magic bytes of binary
 * formats (zip, SQLite/GeoPackage, FlatGeobuf), the (original) file name's extension, then the
 * first bytes of text formats. A zip is extracted safely into a fresh temporary directory and the
 * dataset inside it is opened; `close()` removes the directory.
 */
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, relative } from 'node:path';
import { YituError } from '../../platform/errors.ts';
import { openCsv } from './csv.ts';
import { openGeoJson } from './geojson.ts';
import { openNdjson } from './ndjson.ts';
import type { ImportFormat, OpenedSource, ReaderOptions } from './types.ts';

/** Options of {@link openSource}. */
export interface OpenSourceOptions extends ReaderOptions {
  /** The format, when the caller knows it; detected otherwise. */
  format?: ImportFormat;
  /** The name the file was uploaded with (temporary upload paths have no useful extension). */
  originalName?: string;
  /** Zip: the path (or file name) inside the archive of the dataset to open, when it holds several. */
  zipEntry?: string;
  /** KML / KMZ: largest document read (KML is parsed whole); default 200 MB. */
  maxKmlBytes?: number;
}

/** What {@link detectFormat} can answer: a format, or a zip to look into. */
export type DetectedFormat = ImportFormat | 'zip';

/** Human-readable list of what Yitu imports, for error messages. */
export const SUPPORTED_FORMATS =
  'GeoJSON (.geojson, .json), newline-delimited GeoJSON (.geojsonl, .ndjson, .geojsons), CSV (.csv, .tsv, .txt), ' +
  'Shapefile (.shp, or a .zip with .shp/.shx/.dbf/.prj), GeoPackage (.gpkg), FlatGeobuf (.fgb), KML / KMZ (.kml, .kmz), ' +
  'or a .zip holding one of these';

const EXTENSIONS: Record<string, DetectedFormat> = {
  '.geojson': 'geojson',
  '.json': 'geojson',
  '.ndjson': 'ndjson',
  '.geojsonl': 'ndjson',
  '.geojsons': 'ndjson',
  '.geojsonseq': 'ndjson',
  '.jsonl': 'ndjson',
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.shp': 'shapefile',
  '.gpkg': 'geopackage',
  '.fgb': 'flatgeobuf',
  '.kml': 'kml',
  '.kmz': 'kml',
  '.zip': 'zip',
};

/** Extensions of datasets looked for inside a zip (besides .shp, which wins). */
const ZIP_DATASETS = ['.geojson', '.json', '.ndjson', '.geojsonl', '.geojsons', '.jsonl', '.csv', '.tsv', '.gpkg', '.fgb', '.kml', '.kmz'];

const HINTS: Record<string, string> = {
  '.xlsx': ' Excel workbooks are not read directly: save the sheet as CSV (UTF-8) and import that.',
  '.xls': ' Excel workbooks are not read directly: save the sheet as CSV (UTF-8) and import that.',
  '.dbf': ' A .dbf alone has no geometry: import the .shp (with its .dbf, .shx and .prj beside it) or a zip of them.',
  '.shx': ' Import the .shp (with its .dbf, .shx and .prj beside it) or a zip of them.',
  '.prj': ' Import the .shp (with its .dbf, .shx and .prj beside it) or a zip of them.',
  '.rar': ' RAR archives are not supported: use a zip.',
  '.7z': ' 7z archives are not supported: use a zip.',
  '.topojson': ' TopoJSON is not supported: convert it to GeoJSON first.',
};

function unknownFormat(name: string, extra = ''): YituError {
  return new YituError(
    'YITU_ERR_IMPORT_FORMAT_UNKNOWN',
    `Cannot tell the format of ${name}.${extra} Yitu imports ${SUPPORTED_FORMATS}.`,
  );
}

async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** True when the head of a `{…}` file is one Feature per line (NDJSON) rather than one object. */
function looksLikeNdjson(head: Buffer): boolean {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length < 2 || !lines[1].startsWith('{')) return false;
  try {
    const first = JSON.parse(lines[0]) as { type?: unknown };
    return typeof first === 'object' && first !== null && first.type !== 'FeatureCollection';
  } catch {
    return false;
  }
}

/** Detects the format of a file from the explicit option, magic bytes and the file name. */
export async function detectFormat(path: string, opts: OpenSourceOptions = {}): Promise<DetectedFormat> {
  const head = await readHead(path, 64 * 1024);
  const isZipMagic = head.length >= 4 && head.readUInt32BE(0) === 0x504b0304;
  if (opts.format) return isZipMagic && opts.format !== 'kml' ? 'zip' : opts.format;
  const name = opts.originalName ?? path;
  const ext = extname(name).toLowerCase();
  if (isZipMagic) return ext === '.kmz' ? 'kml' : 'zip';
  if (head.subarray(0, 16).toString('latin1') === 'SQLite format 3\0') return 'geopackage';
  if (head.length >= 4 && head[0] === 0x66 && head[1] === 0x67 && head[2] === 0x62 && head[3] === 0x03) return 'flatgeobuf';
  const byExt = EXTENSIONS[ext];
  const text = head.toString('utf8', head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0).trimStart();
  if (byExt === 'geojson') return text.startsWith('{') && looksLikeNdjson(head) ? 'ndjson' : 'geojson';
  if (byExt) return byExt;
  if (text.startsWith('\u001e')) return 'ndjson';
  if (text.startsWith('{')) return looksLikeNdjson(head) ? 'ndjson' : 'geojson';
  if (/^(<\?xml[\s\S]*?\?>\s*)?(<!--[\s\S]*?-->\s*)*<kml[\s>]/.test(text)) return 'kml';
  throw unknownFormat(basename(name), HINTS[ext] ?? '');
}

async function openFormat(path: string, format: ImportFormat, opts: OpenSourceOptions): Promise<OpenedSource> {
  const { format: _f, originalName: _n, zipEntry: _z, maxKmlBytes, ...reader } = opts;
  switch (format) {
    case 'geojson':
      return openGeoJson(path, reader);
    case 'ndjson':
      return openNdjson(path, reader);
    case 'csv': {
      const tsv = extname(opts.originalName ?? path).toLowerCase() === '.tsv';
      return openCsv(path, tsv && !reader.delimiter ? { ...reader, delimiter: '\t' } : reader);
    }
    case 'kml': {
      // Loaded when needed, like the binary formats: the import worker (GeoJSON, CSV) never loads the XML parser.
      const { openKml } = await import('./kml.ts');
      return openKml(path, maxKmlBytes === undefined ? reader : { ...reader, maxBytes: maxKmlBytes });
    }
    case 'shapefile': {
      const { openShapefile } = await import('./shapefile.ts');
      return openShapefile(path, reader);
    }
    case 'geopackage': {
      const { openGeoPackage } = await import('./geopackage.ts');
      return openGeoPackage(path, reader);
    }
    case 'flatgeobuf': {
      const { openFlatGeobuf } = await import('./flatgeobuf.ts');
      return openFlatGeobuf(path, reader);
    }
    default:
      throw unknownFormat(basename(opts.originalName ?? path));
  }
}

/** Chooses the dataset inside an extracted zip (see {@link openSource}). */
function pickZipDataset(files: string[], root: string, opts: OpenSourceOptions): { file: string; usedLayer: boolean } {
  const rel = (f: string) => relative(root, f).split('\\').join('/');
  if (opts.zipEntry) {
    const want = opts.zipEntry.replace(/^\/+/, '');
    const hit = files.find((f) => rel(f) === want) ?? files.find((f) => basename(f) === want);
    if (!hit) {
      throw new YituError('YITU_ERR_INPUT_INVALID', `The zip has no entry "${opts.zipEntry}"; it holds: ${files.map(rel).join(', ')}.`, {
        errors: [{ field: 'zipEntry', reason: 'no such entry' }],
      });
    }
    return { file: hit, usedLayer: false };
  }
  const ext = (f: string) => extname(f).toLowerCase();
  const shps = files.filter((f) => ext(f) === '.shp');
  let candidates = shps.length ? shps : files.filter((f) => ZIP_DATASETS.includes(ext(f)));
  if (opts.format && !shps.length) candidates = candidates.filter((f) => EXTENSIONS[ext(f)] === opts.format);
  if (candidates.length > 1 && opts.layer) {
    const named = candidates.filter((f) => basename(f, extname(f)) === opts.layer || rel(f) === opts.layer);
    if (named.length === 1) return { file: named[0], usedLayer: true };
  }
  if (candidates.length === 1) return { file: candidates[0], usedLayer: false };
  if (candidates.length > 1) {
    throw new YituError(
      'YITU_ERR_INPUT_INVALID',
      `The zip holds several datasets: ${candidates.map(rel).join(', ')}. Choose one (zipEntry, or layer with its name) or upload it alone.`,
      { errors: [{ field: 'zipEntry', reason: 'several datasets in the zip' }], extra: { entries: candidates.map(rel) } },
    );
  }
  const found = files.length ? files.map(rel).slice(0, 30).join(', ') + (files.length > 30 ? ', …' : '') : 'no files';
  throw new YituError('YITU_ERR_IMPORT_FORMAT_UNKNOWN', `The zip holds no dataset Yitu can read (found: ${found}). Yitu imports ${SUPPORTED_FORMATS}.`);
}

async function openZip(path: string, opts: OpenSourceOptions): Promise<OpenedSource> {
  const { extractZipSafely } = await import('./zip-safe.ts');
  const dir = await mkdtemp(join(tmpdir(), 'yitu-import-'));
  try {
    const limits = opts.maxUncompressedBytes !== undefined ? { maxUncompressedBytes: opts.maxUncompressedBytes } : {};
    const { files } = await extractZipSafely(path, dir, limits);
    const { file, usedLayer } = pickZipDataset(files, dir, opts);
    const inner: OpenSourceOptions = { ...opts, originalName: basename(file) };
    delete inner.zipEntry;
    if (usedLayer) delete inner.layer;
    const { size } = await stat(file);
    if (size === 0) throw new YituError('YITU_ERR_IMPORT_FILE_EMPTY', `${relative(dir, file)} in the zip is empty (0 bytes).`);
    const format = await detectFormat(file, { ...inner, format: extname(file).toLowerCase() === '.shp' ? 'shapefile' : opts.format });
    if (format === 'zip') throw new YituError('YITU_ERR_IMPORT_FORMAT_UNKNOWN', 'A zip inside a zip is not supported: extract the inner archive first.');
    const source = await openFormat(file, format, inner);
    const innerClose = source.close.bind(source);
    source.close = async () => {
      try {
        await innerClose();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };
    return source;
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Opens an import file with the reader its format needs.
 *
 * - Format: `opts.format`, else magic bytes (zip, SQLite, `fgb\x03`), else the extension of
 *   `opts.originalName ?? path`, else the first bytes (`{` GeoJSON or NDJSON, RS GeoJSONSeq,
 *   `<?xml`/`<kml` KML). Unknown → YITU_ERR_IMPORT_FORMAT_UNKNOWN naming the supported formats.
 * - Zip: extracted with `extractZipSafely` (bomb and traversal checks); a `.shp` inside wins, else
 *   exactly one GeoJSON/NDJSON/CSV/GeoPackage/FlatGeobuf/KML file; several → an error listing them
 *   (choose with `zipEntry`, or `layer` = the dataset's name); none → an error listing what is there.
 * - Empty (0 bytes) → YITU_ERR_IMPORT_FILE_EMPTY; missing → YITU_ERR_INPUT_INVALID.
 */
export async function openSource(path: string, opts: OpenSourceOptions = {}): Promise<OpenedSource> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new YituError('YITU_ERR_INPUT_INVALID', `File not found: ${path}.`, { errors: [{ field: 'file', reason: 'not found' }] });
    }
    throw e;
  }
  if (!info.isFile()) throw new YituError('YITU_ERR_INPUT_INVALID', `${path} is not a file.`, { errors: [{ field: 'file', reason: 'not a file' }] });
  const name = basename(opts.originalName ?? path);
  if (info.size === 0) throw new YituError('YITU_ERR_IMPORT_FILE_EMPTY', `${name} is empty (0 bytes).`);
  const format = await detectFormat(path, opts);
  return format === 'zip' ? openZip(path, opts) : openFormat(path, format, opts);
}
