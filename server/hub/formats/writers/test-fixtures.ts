import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Geometry, Polygon } from 'geojson';
import type { ExportFeature, ExportField, ExportInput } from './types.ts';

/** Test fixtures and helpers of the export writer tests (not part of the runtime). */

const run = promisify(execFile);

/** 1,000 Chinese characters (3,000 UTF-8 bytes). */
export const LONG_TEXT = '长'.repeat(500) + '文本'.repeat(250);

/** Fields covering every type. */
export const FIELDS: ExportField[] = [
  { name: 'name', title: '名称', type: 'text' },
  { name: 'code', type: 'integer' },
  { name: 'area', title: '面积', type: 'number' },
  { name: 'active', type: 'boolean' },
  { name: 'surveyed', type: 'date' },
  { name: 'updated_at', type: 'timestamp' },
  { name: 'attrs', type: 'json' },
  { name: '土地用途分类', type: 'text' },
];

/** Polygon with a hole, in RFC 7946 orientation (outer counter-clockwise, hole clockwise). */
export const POLYGON_WITH_HOLE: Polygon = {
  type: 'Polygon',
  coordinates: [
    [[120, 30], [120.01, 30], [120.01, 30.01], [120, 30.01], [120, 30]],
    [[120.002, 30.002], [120.002, 30.004], [120.004, 30.004], [120.004, 30.002], [120.002, 30.002]],
  ],
};

/** Mixed features: every geometry type, a null geometry, Chinese, long and awkward text. */
export function mixedFeatures(): ExportFeature[] {
  const base = (i: number, geometry: Geometry | null, extra: Record<string, unknown> = {}): ExportFeature => ({
    id: i,
    geometry,
    properties: {
      name: `要素${i}`,
      code: i * 10,
      area: i + 0.25,
      active: i % 2 === 0,
      surveyed: '2024-03-0' + ((i % 9) + 1),
      updated_at: new Date(Date.UTC(2024, 2, 1, 8, 30, i)),
      attrs: { k: i, 标签: ['甲', '乙'] },
      土地用途分类: '耕地',
      ...extra,
    },
  });
  return [
    base(1, { type: 'Point', coordinates: [120.5, 30.25] }),
    base(2, { type: 'LineString', coordinates: [[120, 30], [120.1, 30.1], [120.2, 30]] }),
    base(3, POLYGON_WITH_HOLE),
    base(4, {
      type: 'MultiPolygon',
      coordinates: [
        [[[121, 31], [121.1, 31], [121.1, 31.1], [121, 31]]],
        POLYGON_WITH_HOLE.coordinates,
      ],
    }),
    base(5, { type: 'MultiPoint', coordinates: [[119, 29], [119.5, 29.5]] }),
    base(6, { type: 'MultiLineString', coordinates: [[[118, 28], [118.1, 28.1]], [[118.2, 28.2], [118.3, 28.3]]] }),
    base(7, null, { name: '无几何', area: null, active: null, surveyed: null, updated_at: null, attrs: null }),
    base(8, { type: 'Point', coordinates: [121.123456789012, 31.987654321098] }, { name: LONG_TEXT }),
    base(9, { type: 'Point', coordinates: [122, 32] }, { name: 'a "quoted", comma\nnew line', code: '9007199254740993' }),
  ];
}

/** Point features only. */
export function pointFeatures(n = 5): ExportFeature[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    geometry: { type: 'Point', coordinates: [120 + i * 0.01, 30 + i * 0.01] } as Geometry,
    properties: { name: `点${i + 1}`, code: i, area: i * 1.5, active: true, surveyed: '2024-01-02', updated_at: '2024-01-02 10:00:00+08', attrs: [i], 土地用途分类: '林地' },
  }));
}

/** An async iterable of `items`. */
export async function* asAsync<T>(items: Iterable<T>): AsyncIterable<T> {
  for (const x of items) yield x;
}

/** An export input over `features`. */
export function input(features: ExportFeature[] | AsyncIterable<ExportFeature>, over: Partial<ExportInput> = {}): ExportInput {
  return {
    layerName: 'test_layer',
    title: '测试图层',
    fields: FIELDS,
    features: Array.isArray(features) ? asAsync(features) : features,
    ...over,
  };
}

/** Concatenates an async iterable of strings. */
export async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const c of chunks) s += c;
  return s;
}

/** Whether a command-line tool is on the PATH. */
export async function hasTool(tool: string): Promise<boolean> {
  try {
    await run('which', [tool]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Availability of an external checker: true when present; when missing, prints why the check is
 * skipped and returns false — or throws when process.env.CI is set (CI must have the tool).
 */
export async function requireTool(tool: string): Promise<boolean> {
  if (await hasTool(tool)) return true;
  const reason = `${tool} is not installed (Debian: apt-get install gdal-bin sqlite3); skipping the check with ${tool}.`;
  if (process.env.CI) throw new Error(`CI is set but ${reason}`);
  console.warn(reason);
  return false;
}

/** Availability of an optional checker: when missing, prints why the check is skipped (even on CI). */
export async function optionalTool(tool: string): Promise<boolean> {
  if (await hasTool(tool)) return true;
  console.warn(`${tool} is not installed; skipping the check with ${tool}.`);
  return false;
}

/** Runs a tool; returns its stdout (throws with stderr on failure). */
export async function tool(cmd: string, args: string[]): Promise<string> {
  const { stdout } = await run(cmd, args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** GDAL's GeoPackage validator script (python3-gdal), when installed. */
export const VALIDATE_GPKG = ['/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py', '/usr/share/doc/python3-gdal/examples/validate_gpkg.py'].find((p) =>
  existsSync(p),
);

/** Extracts a zip into `dir`; returns the entry names. */
export async function unzip(zipPath: string, dir: string): Promise<string[]> {
  const yauzl = (await import('yauzl')).default;
  const { createWriteStream } = await import('node:fs');
  const { pipeline } = await import('node:stream/promises');
  const zip = await new Promise<import('yauzl').ZipFile>((ok, fail) =>
    yauzl.open(zipPath, { lazyEntries: true }, (e, z) => (e ? fail(e) : ok(z))),
  );
  const names: string[] = [];
  await new Promise<void>((ok, fail) => {
    zip.on('entry', (entry: import('yauzl').Entry) => {
      names.push(entry.fileName);
      zip.openReadStream(entry, (e, rs) => {
        if (e) return fail(e);
        pipeline(rs, createWriteStream(join(dir, entry.fileName))).then(() => zip.readEntry(), fail);
      });
    });
    zip.on('end', ok);
    zip.on('error', fail);
    zip.readEntry();
  });
  return names;
}
