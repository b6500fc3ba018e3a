import path from 'node:path';
import type { Geometry } from 'geojson';
import * as flatbuffers from 'flatbuffers';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import { Feature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { fromGeometry } from 'flatgeobuf/lib/mjs/geojson/geometry.js';
import { fromByteBuffer, type HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { calcTreeSize } from 'flatgeobuf/lib/mjs/packedrtree.js';
import type { ColumnMeta } from 'flatgeobuf/lib/mjs/column-meta.js';
import { YituError } from '../../platform/errors.ts';
import { prjToEpsg } from '../crs/prj.ts';
import { SequentialFile } from './sequential-file.ts';
import type { DeclaredField, OpenedSource, ReaderOptions, SourceFeature, SourceItem } from './types.ts';

/**
 * FlatGeobuf reader. The `flatgeobuf` package's own stream deserializer
 * (`flatgeobuf/lib/mjs/geojson.js` `deserialize(ReadableStream)`, which does work in Node 20
 * over `Readable.toWeb(createReadStream(…))`) is not used as is, because it silently yields
 * garbage for a truncated file, crashes on features without geometry, rounds 64-bit integers
 * and only exposes the header through a callback once iteration has started. This reader does
 * the framing itself (magic, size-prefixed header, skipped index, size-prefixed features) and
 * uses the package's FlatBuffers accessors and geometry → GeoJSON conversion.
 */

const MAGIC = [0x66, 0x67, 0x62, 0x03];
/** Largest header or feature accepted (a guard against garbage sizes). */
const MAX_RECORD_BYTES = 1 << 30;

/**
 * Opens a FlatGeobuf file: `crs` from the header's CRS (EPSG code, or its WKT), `fields` from
 * the header columns, `estimatedCount` from the header feature count. Features stream from disk.
 */
export async function openFlatGeobuf(file: string, _opts: ReaderOptions = {}): Promise<OpenedSource> {
  const name = path.basename(file);
  const input = await SequentialFile.open(file);
  let header: HeaderMeta;
  try {
    header = await readHeader(input, name);
  } catch (e) {
    await input.close();
    throw e;
  }
  const columns = header.columns ?? [];
  const fields: DeclaredField[] = columns.map((c) => ({ name: c.name, type: fieldType(c.type) }));
  let used = false;
  let closed = false;

  async function* features(): AsyncIterable<SourceItem> {
    if (used || closed) throw new Error('FlatGeobuf features can be read once per opened source');
    used = true;
    let row = 0;
    for (;;) {
      const sizeBytes = await input.read(4);
      if (sizeBytes.length === 0) return;
      row++;
      if (sizeBytes.length < 4) throw truncated(name, row, input.position);
      const size = sizeBytes.readUInt32LE(0);
      if (size === 0 || size > MAX_RECORD_BYTES) {
        throw malformed(name, `feature ${row} has an impossible size (${size} bytes) at byte ${input.position - 4}`, row);
      }
      const body = await input.read(size);
      if (body.length < size) throw truncated(name, row, input.position);
      const bytes = new Uint8Array(size + 4);
      bytes.set(sizeBytes, 0);
      bytes.set(body, 4);
      try {
        yield decodeFeature(bytes, row, header, columns);
      } catch (e) {
        if (e instanceof YituError) throw e;
        yield { row, reason: `unreadable feature: ${(e as Error).message}`, error: true };
      }
    }
  }

  return {
    format: 'flatgeobuf',
    crs: headerCrs(header),
    fields,
    estimatedCount: header.featuresCount > 0 ? header.featuresCount : undefined,
    totalBytes: input.size,
    bytesRead: () => input.position,
    features,
    async close() {
      if (closed) return;
      closed = true;
      await input.close();
    },
  };
}

async function readHeader(input: SequentialFile, name: string): Promise<HeaderMeta> {
  const magic = await input.read(8);
  if (magic.length < 8 || MAGIC.some((b, i) => magic[i] !== b)) {
    throw malformed(name, 'it does not start with the FlatGeobuf signature "fgb\\x03"');
  }
  const sizeBytes = Buffer.from(await input.read(4));
  if (sizeBytes.length < 4) throw malformed(name, 'the file ends inside its header');
  const size = sizeBytes.readUInt32LE(0);
  if (size < 8 || size > MAX_RECORD_BYTES) throw malformed(name, `the header size ${size} is impossible`);
  const body = await input.read(size);
  if (body.length < size) throw malformed(name, 'the file ends inside its header');
  const bytes = new Uint8Array(size + 4);
  bytes.set(sizeBytes, 0);
  bytes.set(body, 4);
  let header: HeaderMeta;
  try {
    header = fromByteBuffer(new flatbuffers.ByteBuffer(bytes));
  } catch (e) {
    throw malformed(name, `its header cannot be decoded (${(e as Error).message})`);
  }
  if (header.indexNodeSize > 0 && header.featuresCount > 0) {
    const index = calcTreeSize(header.featuresCount, header.indexNodeSize);
    if ((await input.skip(index)) < index) throw malformed(name, 'the file ends inside its spatial index');
  }
  return header;
}

function decodeFeature(bytes: Uint8Array, row: number, header: HeaderMeta, columns: ColumnMeta[]): SourceItem {
  const feature = Feature.getSizePrefixedRootAsFeature(new flatbuffers.ByteBuffer(bytes));
  const properties: Record<string, unknown> = {};
  for (const c of columns) properties[c.name] = null;
  const props = feature.propertiesArray();
  if (props && props.length > 0) readProperties(props, columns, properties, row);
  const g = feature.geometry();
  let geometry: Geometry | null = null;
  if (g) {
    const type = header.geometryType === GeometryType.Unknown ? g.type() : header.geometryType;
    if (type > GeometryType.GeometryCollection) {
      return { row, reason: `unsupported geometry type ${GeometryType[type] ?? type}`, error: true };
    }
    geometry = fromGeometry(g, header.geometryType);
    if (isEmpty(geometry)) geometry = null;
  }
  const out: SourceFeature = { row, geometry, properties };
  return out;
}

function isEmpty(g: Geometry): boolean {
  if (g.type === 'GeometryCollection') return g.geometries.length === 0;
  return !Array.isArray(g.coordinates) || g.coordinates.length === 0;
}

/** Reads the property buffer: repeated (uint16 column index, value) pairs. */
function readProperties(bytes: Uint8Array, columns: ColumnMeta[], out: Record<string, unknown>, row: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder();
  let o = 0;
  while (o < bytes.length) {
    const i = view.getUint16(o, true);
    o += 2;
    const c = columns[i];
    if (!c) throw new Error(`property refers to column ${i}, the header has ${columns.length}`);
    let v: unknown;
    switch (c.type) {
      case ColumnType.Bool:
        v = view.getUint8(o) !== 0;
        o += 1;
        break;
      case ColumnType.Byte:
        v = view.getInt8(o);
        o += 1;
        break;
      case ColumnType.UByte:
        v = view.getUint8(o);
        o += 1;
        break;
      case ColumnType.Short:
        v = view.getInt16(o, true);
        o += 2;
        break;
      case ColumnType.UShort:
        v = view.getUint16(o, true);
        o += 2;
        break;
      case ColumnType.Int:
        v = view.getInt32(o, true);
        o += 4;
        break;
      case ColumnType.UInt:
        v = view.getUint32(o, true);
        o += 4;
        break;
      case ColumnType.Long:
        v = exactInteger(view.getBigInt64(o, true));
        o += 8;
        break;
      case ColumnType.ULong:
        v = exactInteger(view.getBigUint64(o, true));
        o += 8;
        break;
      case ColumnType.Float:
        v = view.getFloat32(o, true);
        o += 4;
        break;
      case ColumnType.Double:
        v = view.getFloat64(o, true);
        o += 8;
        break;
      case ColumnType.String:
      case ColumnType.DateTime:
      case ColumnType.Json:
      case ColumnType.Binary: {
        const len = view.getUint32(o, true);
        o += 4;
        if (o + len > bytes.length) throw new Error(`value of ${c.name} runs past the feature (row ${row})`);
        const slice = bytes.subarray(o, o + len);
        o += len;
        if (c.type === ColumnType.Binary) v = Buffer.from(slice).toString('base64');
        else if (c.type === ColumnType.Json) v = JSON.parse(text.decode(slice));
        else v = text.decode(slice);
        break;
      }
      default:
        throw new Error(`unknown column type ${c.type as number} for ${c.name}`);
    }
    out[c.name] = v;
  }
}

/** BigInt → number when exact, else its decimal string. */
function exactInteger(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

function fieldType(t: ColumnType): DeclaredField['type'] {
  switch (t) {
    case ColumnType.Bool:
      return 'boolean';
    case ColumnType.Float:
    case ColumnType.Double:
      return 'number';
    case ColumnType.String:
    case ColumnType.Binary:
      return 'text';
    case ColumnType.Json:
      return 'json';
    case ColumnType.DateTime:
      return 'timestamp';
    default:
      return 'integer';
  }
}

/** EPSG code from the header CRS: `org` EPSG (or absent) with a code, else the WKT. */
function headerCrs(header: HeaderMeta): number | undefined {
  const crs = header.crs;
  if (!crs) return undefined;
  const org = (crs.org ?? 'EPSG').toUpperCase();
  if (org === 'EPSG' && crs.code > 0) return crs.code;
  if (crs.code_string && /^EPSG:\d+$/i.test(crs.code_string)) return Number(crs.code_string.split(':')[1]);
  return crs.wkt ? prjToEpsg(crs.wkt) : undefined;
}

function truncated(name: string, row: number, offset: number): YituError {
  return new YituError(
    'YITU_ERR_IMPORT_FILE_MALFORMED',
    `${name} is truncated: feature ${row} ends after byte ${offset}, past the end of the file. Copy or export it again.`,
    { errors: [{ row, offset, reason: 'file truncated inside this feature' }] },
  );
}

function malformed(name: string, why: string, row?: number): YituError {
  return new YituError('YITU_ERR_IMPORT_FILE_MALFORMED', `${name} cannot be read as FlatGeobuf: ${why}.`, {
    errors: [{ row, reason: why }],
  });
}
