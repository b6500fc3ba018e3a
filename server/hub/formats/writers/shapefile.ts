import { createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { YituError } from '../../../platform/errors.ts';
import { crsDefinition } from './crs-defs.ts';
import { DbfPlan } from './dbf.ts';
import { FileSink, FileSource } from './file-sink.ts';
import { SHAPE, encodeShape, nullShape, pointToMultiPoint, splitFamilies } from './shp-geometry.ts';
import type { Box, FamilyGeometry, ShapeFamily } from './shp-geometry.ts';
import type { ExportInput, ExportOptions } from './types.ts';

/**
 * Zipped Shapefile writer, our own: the npm Shapefile writers are unmaintained or build the whole
 * file in memory. Shapes, index and attribute rows are streamed to a temporary directory next to
 * the output (the .shx is written alongside the .shp, since each record's offset is known when it
 * is written; the .dbf takes a second pass over a rows file to fit its column widths, see dbf.ts),
 * then zipped with yazl, which streams from disk.
 *
 * One shape type per Shapefile: a layer mixing families is written as one Shapefile per family,
 * `<layer>_point`, `<layer>_line`, `<layer>_polygon`, in the same zip (a GeometryCollection goes to
 * each family it has members of, with the same attributes). Points and MultiPoints share the point
 * family: the file is rewritten as MultiPoint when the first MultiPoint arrives. Features without
 * geometry become null shapes in the first Shapefile (the layer's declared family if given); a
 * layer with no geometry at all gives a null-shape Shapefile. Each .shp/.dbf must stay under 2 GB.
 */

/** Default byte limit of each .shp and .dbf. */
export const SHP_DEFAULT_MAX_FILE_BYTES = 2 ** 31 - 1;

const HINT_FAMILIES: Record<string, [ShapeFamily, number]> = {
  point: ['point', SHAPE.point],
  multipoint: ['point', SHAPE.multipoint],
  linestring: ['line', SHAPE.polyline],
  multilinestring: ['line', SHAPE.polyline],
  polygon: ['polygon', SHAPE.polygon],
  multipolygon: ['polygon', SHAPE.polygon],
};

const FAMILY_TYPES: Record<ShapeFamily, number> = { point: SHAPE.point, line: SHAPE.polyline, polygon: SHAPE.polygon };

/** The error for a .shp or .dbf over the limit. */
function tooLarge(file: string, limit: number): YituError {
  return new YituError(
    'YITU_ERR_PAYLOAD_TOO_LARGE',
    `The Shapefile's ${file} would exceed ${limit.toLocaleString('en')} bytes, the limit of the format (2 GB per .shp/.dbf). ` +
      'Export the layer as GeoPackage, GeoJSON or CSV instead, or filter it to fewer features.',
    { extra: { limit, format: 'shapefile' } },
  );
}

/** The header shared by .shp and .shx. */
function mainHeader(fileBytes: number, shapeType: number, box: Box | null): Buffer {
  const h = Buffer.alloc(100);
  h.writeInt32BE(9994, 0);
  h.writeInt32BE(fileBytes / 2, 24);
  h.writeInt32LE(1000, 28);
  h.writeInt32LE(shapeType, 32);
  if (box) for (let i = 0; i < 4; i++) h.writeDoubleLE(box[i], 36 + i * 8);
  return h;
}

/** One Shapefile being written (.shp, .shx and the rows file of its .dbf). */
class ShpBucket {
  records = 0;
  private box: Box | null = null;
  private constructor(
    readonly base: string,
    public family: ShapeFamily | null,
    public shapeType: number,
    private shp: FileSink,
    private shx: FileSink,
    readonly rows: FileSink,
    private readonly maxBytes: number,
  ) {}

  static async create(base: string, family: ShapeFamily | null, shapeType: number, maxBytes: number): Promise<ShpBucket> {
    const [shp, shx, rows] = await Promise.all([
      FileSink.create(`${base}.shp`),
      FileSink.create(`${base}.shx`),
      FileSink.create(`${base}.rows`),
    ]);
    await shp.write(Buffer.alloc(100));
    await shx.write(Buffer.alloc(100));
    return new ShpBucket(base, family, shapeType, shp, shx, rows, maxBytes);
  }

  /** Adds a record (null shape when `g` is null) and its attribute row. */
  async add(g: FamilyGeometry | null, row: Buffer): Promise<void> {
    let content = nullShape();
    if (g) {
      if (g.family === 'point' && g.multi && this.shapeType === SHAPE.point) await this.promote();
      const shape = encodeShape(g, this.shapeType);
      content = shape.content;
      const b = shape.box;
      this.box = this.box ? [Math.min(this.box[0], b[0]), Math.min(this.box[1], b[1]), Math.max(this.box[2], b[2]), Math.max(this.box[3], b[3])] : b;
    }
    await this.record(content, this.shp, this.shx, ++this.records);
    await this.rows.write(row);
  }

  private async record(content: Buffer, shp: FileSink, shx: FileSink, n: number): Promise<void> {
    if (shp.position + 8 + content.length > this.maxBytes) throw tooLarge('.shp', this.maxBytes);
    const head = Buffer.alloc(8);
    head.writeInt32BE(n, 0);
    head.writeInt32BE(content.length / 2, 4);
    const index = Buffer.alloc(8);
    index.writeInt32BE(shp.position / 2, 0);
    index.writeInt32BE(content.length / 2, 4);
    await shp.write(head);
    await shp.write(content);
    await shx.write(index);
  }

  /** Rewrites the Point records written so far as MultiPoint records. */
  private async promote(): Promise<void> {
    this.shapeType = SHAPE.multipoint;
    await Promise.all([this.shp.close(), this.shx.close()]);
    await rename(`${this.base}.shp`, `${this.base}.old`);
    const src = await FileSource.open(`${this.base}.old`);
    this.shp = await FileSink.create(`${this.base}.shp`);
    this.shx = await FileSink.create(`${this.base}.shx`);
    try {
      await this.shp.write(Buffer.alloc(100));
      await this.shx.write(Buffer.alloc(100));
      await src.read(100);
      for (let n = 1; n <= this.records; n++) {
        const head = (await src.read(8))!;
        const content = Buffer.from((await src.read(head.readInt32BE(4) * 2))!);
        await this.record(content.readInt32LE(0) === SHAPE.point ? pointToMultiPoint(content) : content, this.shp, this.shx, n);
      }
    } finally {
      await src.close();
    }
    await unlink(`${this.base}.old`);
  }

  /** Writes the headers and closes the files. */
  async finish(): Promise<void> {
    await this.shp.writeAt(0, mainHeader(this.shp.position, this.shapeType, this.box));
    await this.shx.writeAt(0, mainHeader(this.shx.position, this.shapeType, this.box));
    await Promise.all([this.shp.close(), this.shx.close(), this.rows.close()]);
  }

  /** Closes the files without finishing (on error). */
  async abort(): Promise<void> {
    await Promise.allSettled([this.shp.close(), this.shx.close(), this.rows.close()]);
  }
}

/**
 * Writes `input` as a zip of Shapefile(s) at `zipPath`: `.shp`, `.shx`, `.dbf` (UTF-8), `.cpg`
 * (`UTF-8`) and `.prj` (ESRI WKT, when the CRS is known) per shape type. Returns the feature count.
 */
export async function writeShapefileZip(input: ExportInput, zipPath: string, options: ExportOptions = {}): Promise<number> {
  const maxBytes = options.maxFileBytes ?? SHP_DEFAULT_MAX_FILE_BYTES;
  const tmp = await mkdtemp(join(dirname(zipPath), '.shp-'));
  const plan = new DbfPlan(input.fields);
  const buckets: ShpBucket[] = [];
  const newBucket = async (family: ShapeFamily | null, shapeType: number): Promise<ShpBucket> => {
    const b = await ShpBucket.create(join(tmp, `b${buckets.length}`), family, shapeType, maxBytes);
    buckets.push(b);
    return b;
  };
  try {
    const hint = HINT_FAMILIES[(input.geometryType ?? '').toLowerCase()];
    if (hint) await newBucket(hint[0], hint[1]);
    let count = 0;
    for await (const f of input.features) {
      count++;
      const row = plan.encodeRow(f.properties);
      const parts = f.geometry ? splitFamilies(f.geometry) : [];
      if (parts.length === 0) {
        await (buckets[0] ?? (await newBucket(null, SHAPE.null))).add(null, row);
        continue;
      }
      for (const g of parts) {
        let b = buckets.find((x) => x.family === g.family);
        if (!b && buckets[0]?.family === null) {
          // a Shapefile of null shapes only can take any shape type
          b = buckets[0];
          b.family = g.family;
          b.shapeType = FAMILY_TYPES[g.family];
        }
        b ??= await newBucket(g.family, FAMILY_TYPES[g.family]);
        await b.add(g, row);
      }
    }
    if (buckets.length === 0) await newBucket(null, SHAPE.null);
    for (const b of buckets) await b.finish();
    plan.finish();

    const prj = crsDefinition(input.crs ?? 4326)?.esriWkt ?? input.crsWkt;
    const zip = new yazl.ZipFile();
    for (const b of buckets) {
      if (plan.dbfBytes(b.records) > maxBytes) throw tooLarge('.dbf', maxBytes);
      await plan.writeDbf(`${b.base}.rows`, `${b.base}.dbf`, b.records);
      await writeFile(`${b.base}.cpg`, 'UTF-8');
      if (prj) await writeFile(`${b.base}.prj`, prj);
      const name = buckets.length === 1 ? input.layerName : `${input.layerName}_${b.family ?? 'null'}`;
      for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) {
        if (ext !== 'prj' || prj) zip.addFile(`${b.base}.${ext}`, `${name}.${ext}`);
      }
    }
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(zipPath));
    return count;
  } catch (e) {
    await Promise.all(buckets.map((b) => b.abort()));
    throw e;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
