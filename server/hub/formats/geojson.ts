/**
 * GeoJSON reader (FeatureCollection, single Feature or bare geometry), streaming with the
 * byte-level scanner of `geojson-scanner.ts`.
 *
 * CRS: the top-level `crs` member (GeoJSON 2008) is read at open. `openGeoJson` runs the scanner
 * over the head of the file up to the start of `features`; when `crs` is not before it, the last
 * 256 KiB of the file are scanned backwards (exact: it starts outside any string at the final `}`)
 * to read the members that follow the features array. Should `crs` still only appear while
 * streaming, `source.crs` is set then.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { YituError } from '../../platform/errors.ts';
import { resolveEncoding, toUtf8Chunks, type ResolvedEncoding } from './encoding.ts';
import { BSL, GeoJsonScanner, LBRACE, LBRACK, QUO, RBRACE, RBRACK, isWs, malformed } from './geojson-scanner.ts';
import { featureToItem, GEOMETRY_TYPES } from './geometry-check.ts';
import type { OpenedSource, ReaderOptions, SourceItem } from './types.ts';

/** A GeoJSON source; `crsName` is the CRS name exactly as the file declares it (also when unknown). */
export interface GeoJsonOpenedSource extends OpenedSource {
  crsName?: string;
}

/** Reads the EPSG code of a GeoJSON `crs` member (`urn:ogc:def:crs:EPSG::4490`, `EPSG:4549`, CRS84…). */
export function crsFromGeoJson(crs: unknown): { epsg?: number; name?: string } {
  if (typeof crs !== 'object' || crs === null) return {};
  const props = (crs as { properties?: Record<string, unknown> }).properties ?? {};
  if (typeof props.code === 'number' || typeof props.code === 'string') {
    const code = Number(props.code); // the 2008 "EPSG" crs type
    return Number.isInteger(code) ? { epsg: code, name: `EPSG:${code}` } : {};
  }
  const name = typeof props.name === 'string' ? props.name.trim() : typeof props.href === 'string' ? props.href : undefined;
  return name === undefined ? {} : { epsg: epsgFromCrsName(name), name };
}

/** EPSG code of a CRS name or URI, or undefined when it is not one Yitu recognises. */
export function epsgFromCrsName(name: string): number | undefined {
  if (/(?:^|[:/])CRS84$/i.test(name)) return 4326;
  if (/(?:^|[:/])CRS83$/i.test(name)) return 4269;
  const m = /^(?:urn:ogc:def:crs:)?EPSG:(?:[\d.]*:)?(\d+)$/i.exec(name) ?? /\/def\/crs\/EPSG\/[\d.]+\/(\d+)$/i.exec(name);
  return m ? Number(m[1]) : undefined;
}

const CHUNK = 1024 * 1024;

/** Reads members following the features array from the file's tail (see the module comment). */
async function tailMembers(path: string, size: number, enc: ResolvedEncoding): Promise<Record<string, unknown>> {
  const len = Math.min(size, 256 * 1024);
  const fh = await open(path, 'r');
  let buf: Buffer;
  try {
    buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
  } finally {
    await fh.close();
  }
  if (enc.name !== 'utf-8') buf = Buffer.from(iconv.decode(buf, 'gb18030'), 'utf8');
  let end = buf.length - 1;
  while (end >= 0 && isWs(buf[end])) end--;
  if (end < 0 || buf[end] !== RBRACE) return {};
  let depth = 1;
  let inStr = false;
  let pending = -1;
  for (let i = end - 1; i >= 0; i--) {
    const c = buf[i];
    if (c === QUO) {
      let k = 0;
      while (i - 1 - k >= 0 && buf[i - 1 - k] === BSL) k++;
      if (k % 2 === 0) inStr = !inStr;
    } else if (inStr) continue;
    else if (c === RBRACE || c === RBRACK) {
      if (depth === 1) pending = i;
      depth++;
    } else if (c === LBRACE || c === LBRACK) {
      depth--;
      if (depth === 0) {
        // The whole object is in the tail: parse it (the file is small).
        const all = JSON.parse(buf.toString('utf8', i, end + 1)) as Record<string, unknown>;
        delete all.features;
        return all;
      }
      if (depth === 1) pending = -1;
    }
  }
  if (pending < 0) return {};
  const rest = buf.toString('utf8', pending + 1, end + 1).replace(/^\s*,/, '');
  return JSON.parse(`{${rest}`) as Record<string, unknown>;
}

async function* countBytes(path: string, counter: { n: number }): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    counter.n += chunk.length;
    yield chunk;
  }
}

/** Builds the single item of a file holding one Feature or one bare geometry. */
function singleItem(members: Record<string, unknown>): SourceItem {
  const type = members.type;
  if (type === 'Feature' || (typeof type === 'string' && GEOMETRY_TYPES.has(type))) return featureToItem(members, 1);
  if (type === 'FeatureCollection') throw malformed('The FeatureCollection has no "features" array', 0);
  if (type === 'Topology') throw new YituError('YITU_ERR_IMPORT_FORMAT_UNKNOWN', 'TopoJSON is not supported; convert it to GeoJSON first.');
  throw malformed(type === undefined ? 'The JSON object has no "type" member: it is not GeoJSON' : `Unknown GeoJSON type ${JSON.stringify(type)}`, 0);
}

/**
 * Opens a GeoJSON file. UTF-8 (with or without BOM) is expected; GBK is detected and transcoded
 * (offsets in errors then refer to the UTF-8 text). Row numbers are 1-based feature positions.
 */
export async function openGeoJson(path: string, opts: ReaderOptions = {}): Promise<GeoJsonOpenedSource> {
  const { size } = await stat(path);
  if (size === 0) throw new YituError('YITU_ERR_IMPORT_FILE_EMPTY', 'The GeoJSON file is empty (0 bytes).');
  const enc = await resolveEncoding(path, opts.encoding);
  const counter = { n: 0 };

  // Head pass: top-level members up to the features array (or the whole object when there is none).
  const head = new GeoJsonScanner(true, []);
  let stopped = false;
  for await (const chunk of toUtf8Chunks(countBytes(path, counter), enc)) {
    if (head.push(chunk)) {
      stopped = true;
      break;
    }
  }
  if (!stopped) head.finish();
  let members = head.members;
  if (stopped && !('crs' in members)) {
    // Best effort: a broken tail is reported with its location by the streaming pass.
    members = { ...members, ...(await tailMembers(path, size, enc).catch(() => ({}))) };
  }
  const single = stopped ? undefined : singleItem(head.members);
  const declared = crsFromGeoJson(members.crs);

  const source: GeoJsonOpenedSource = {
    format: 'geojson',
    encoding: enc.name,
    totalBytes: size,
    bytesRead: () => counter.n,
    ...(declared.epsg !== undefined ? { crs: declared.epsg } : {}),
    ...(declared.name !== undefined ? { crsName: declared.name } : {}),
    ...(single ? { estimatedCount: 1 } : {}),
    async *features(): AsyncGenerator<SourceItem> {
      if (single) {
        counter.n = size;
        yield single;
        return;
      }
      counter.n = 0;
      const out: SourceItem[] = [];
      const scanner = new GeoJsonScanner(false, out);
      for await (const chunk of toUtf8Chunks(countBytes(path, counter), enc)) {
        scanner.push(chunk);
        for (let k = 0; k < out.length; k++) yield out[k];
        out.length = 0;
      }
      scanner.finish();
      if (source.crs === undefined && scanner.members.crs !== undefined) {
        const late = crsFromGeoJson(scanner.members.crs);
        if (late.epsg !== undefined) source.crs = late.epsg;
        if (late.name !== undefined) source.crsName = late.name;
      }
    },
    async close() {},
  };
  return source;
}
