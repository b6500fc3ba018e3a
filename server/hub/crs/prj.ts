import { type GkDatum, gaussKrugerEpsg, gkFalseEasting, isGkCentralMeridian } from './gauss-kruger.ts';

/**
 * Reads the coordinate system of a `.prj` file (ESRI WKT, OGC WKT1, WKT2) and maps it to an EPSG
 * code. The decision is made from the parsed parameters (datum, ellipsoid, projection method,
 * central meridian, false easting, scale factor, units) so that the many spellings written by
 * ArcGIS, GDAL, QGIS and Chinese GIS software match; names only break the tie between the 3° and
 * 6° Gauss–Krüger "CM" systems, whose parameters are identical.
 *
 * Numbering: CGCS2000 4490, Xian 1980 4610, Beijing 1954 4214 and New Beijing 4555 geographic,
 * their Gauss–Krüger projections as listed in `gauss-kruger.ts`; WGS 84 4326, Web Mercator 3857,
 * UTM 326zz / 327zz.
 */

/** A parsed WKT node: `KEYWORD[arg, arg, …]`. */
interface WktNode {
  keyword: string;
  args: Array<string | number | WktNode>;
}

type Datum = 'wgs84' | GkDatum;

const GEOGRAPHIC: Record<Datum, number> = {
  wgs84: 4326,
  cgcs2000: 4490,
  xian1980: 4610,
  beijing1954: 4214,
  newbeijing: 4555,
};

/**
 * The EPSG code of a WKT coordinate system, or undefined when it is not recognised.
 * An `AUTHORITY["EPSG", n]` / `ID["EPSG", n]` on the root node wins; otherwise the code is
 * derived from the parameters.
 */
export function prjToEpsg(wkt: string): number | undefined {
  let root: WktNode;
  try {
    root = parseWkt(wkt.replace(/^\uFEFF/, '').trim());
  } catch {
    return undefined;
  }
  const kw = root.keyword;
  if (kw === 'COMPD_CS' || kw === 'COMPOUNDCRS') {
    const horizontal = root.args.find((a): a is WktNode => isNode(a) && isCrsKeyword(a.keyword));
    if (!horizontal) return undefined;
    root = horizontal;
  }
  const authority = rootAuthority(root);
  if (authority !== undefined) return authority;
  if (isGeographicKeyword(root.keyword)) return geographicCode(root);
  if (root.keyword === 'PROJCS' || root.keyword === 'PROJCRS') return projectedCode(root);
  return undefined;
}

function isNode(a: unknown): a is WktNode {
  return typeof a === 'object' && a !== null && 'keyword' in a;
}

function isGeographicKeyword(k: string): boolean {
  return ['GEOGCS', 'GEOGCRS', 'GEODCRS', 'GEOGRAPHICCRS', 'GEODETICCRS', 'BASEGEOGCRS', 'BASEGEODCRS'].includes(k);
}

function isCrsKeyword(k: string): boolean {
  return k === 'PROJCS' || k === 'PROJCRS' || isGeographicKeyword(k);
}

/** Lower-case letters and digits only: `"D_China_2000"` → `"dchina2000"`. */
function norm(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function children(node: WktNode, ...keywords: string[]): WktNode[] {
  return node.args.filter((a): a is WktNode => isNode(a) && keywords.includes(a.keyword));
}

function child(node: WktNode, ...keywords: string[]): WktNode | undefined {
  return children(node, ...keywords)[0];
}

function nameOf(node: WktNode | undefined): string {
  const first = node?.args[0];
  return typeof first === 'string' ? first : '';
}

function numberArg(node: WktNode | undefined, i: number): number | undefined {
  const v = node?.args[i];
  return typeof v === 'number' ? v : undefined;
}

/** The EPSG (or ESRI Web Mercator) authority code directly on the root node. */
function rootAuthority(root: WktNode): number | undefined {
  for (const node of children(root, 'AUTHORITY', 'ID')) {
    const org = nameOf(node).toUpperCase();
    const raw = node.args[1];
    const code = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isInteger(code)) continue;
    if (org === 'EPSG') return code;
    if (org === 'ESRI' && (code === 102100 || code === 102113)) return 3857;
  }
  return undefined;
}

function datumOf(geog: WktNode): Datum | undefined {
  const datum = child(geog, 'DATUM', 'GEODETICDATUM', 'TRF', 'ENSEMBLE');
  const names = [nameOf(geog), nameOf(datum)].map(norm);
  const has = (...keys: string[]) => names.some((n) => keys.some((k) => n.includes(k)));
  if (has('newbeijing')) return 'newbeijing';
  if (has('china2000', 'cgcs2000', 'chinageodeticcoordinatesystem2000', 'cgcs2k')) return 'cgcs2000';
  if (has('xian1980', 'xian80')) return 'xian1980';
  if (has('beijing1954', 'beijing54')) return 'beijing1954';
  if (has('wgs1984', 'wgs84', 'worldgeodeticsystem1984')) return 'wgs84';
  // Unnamed datum: only ellipsoid names that belong to a single Chinese datum are trusted.
  const ellipsoid = datum ? child(datum, 'SPHEROID', 'ELLIPSOID') : undefined;
  const ell = norm(nameOf(ellipsoid));
  if (ell.includes('cgcs2000')) return 'cgcs2000';
  if (ell.includes('iag1975') || ell.includes('xian1980')) return 'xian1980';
  return undefined;
}

/** True when the prime meridian, if stated, is Greenwich. */
function greenwich(geog: WktNode): boolean {
  const pm = child(geog, 'PRIMEM', 'PRIMEMERIDIAN');
  return pm === undefined || (numberArg(pm, 1) ?? 0) === 0;
}

function geographicCode(geog: WktNode): number | undefined {
  if (!greenwich(geog)) return undefined;
  const unit = child(geog, 'UNIT', 'ANGLEUNIT');
  const factor = numberArg(unit, 1);
  if (factor !== undefined && Math.abs(factor - Math.PI / 180) > 1e-9) return undefined;
  const d = datumOf(geog);
  return d ? GEOGRAPHIC[d] : undefined;
}

/** Parameters by normalised name, with WKT2 / ESRI / OGC synonyms folded together. */
function parameters(node: WktNode): Map<string, number> {
  const alias: Record<string, string> = {
    centralmeridian: 'lon0',
    longitudeofnaturalorigin: 'lon0',
    longitudeofcenter: 'lon0',
    latitudeoforigin: 'lat0',
    latitudeofnaturalorigin: 'lat0',
    latitudeofcenter: 'lat0',
    scalefactor: 'k',
    scalefactoratnaturalorigin: 'k',
    falseeasting: 'fe',
    falsenorthing: 'fn',
    standardparallel1: 'lat1',
    latitudeof1ststandardparallel: 'lat1',
  };
  const out = new Map<string, number>();
  for (const p of children(node, 'PARAMETER')) {
    const v = numberArg(p, 1);
    const key = alias[norm(nameOf(p))];
    if (key && v !== undefined) out.set(key, v);
  }
  return out;
}

function close(a: number | undefined, b: number, tol = 1e-6): boolean {
  return a !== undefined && Math.abs(a - b) <= tol;
}

function projectedCode(proj: WktNode): number | undefined {
  const geog = child(proj, 'GEOGCS', 'BASEGEOGCRS', 'BASEGEODCRS', 'GEOGCRS');
  if (!geog || !greenwich(geog)) return undefined;
  const datum = datumOf(geog);
  if (!datum) return undefined;
  // WKT1 puts PROJECTION and PARAMETERs on the root; WKT2 nests them in CONVERSION[METHOD, …].
  const conversion = child(proj, 'CONVERSION') ?? proj;
  const method = norm(nameOf(child(conversion, 'PROJECTION', 'METHOD')));
  const params = parameters(conversion);
  const unit = child(proj, 'UNIT', 'LENGTHUNIT') ?? findLengthUnit(proj);
  const metres = unit === undefined || close(numberArg(unit, 1), 1, 1e-9);
  if (!metres) return undefined;
  const name = norm(nameOf(proj));

  if (datum === 'wgs84' && isWebMercator(method, name, params)) return 3857;
  if (!(method.includes('transversemercator') || method.includes('gausskruger') || method === 'gausskrueger')) {
    return undefined;
  }
  const lon0 = params.get('lon0');
  const fe = params.get('fe') ?? 0;
  const fn = params.get('fn') ?? 0;
  const k = params.get('k') ?? 1;
  if (lon0 === undefined || !close(params.get('lat0') ?? 0, 0)) return undefined;

  if (datum === 'wgs84') {
    if (!close(k, 0.9996) || !close(fe, 500000)) return undefined;
    const zone = (lon0 + 183) / 6;
    if (!Number.isInteger(zone) || zone < 1 || zone > 60) return undefined;
    if (close(fn, 0)) return 32600 + zone;
    if (close(fn, 10000000)) return 32700 + zone;
    return undefined;
  }
  if (!close(k, 1) || !close(fn, 0)) return undefined;
  return gaussKrugerCode(datum, lon0, fe, name);
}

function findLengthUnit(proj: WktNode): WktNode | undefined {
  const cs = children(proj, 'AXIS').map((a) => child(a, 'LENGTHUNIT', 'UNIT')).find((u) => u !== undefined);
  return cs;
}

function isWebMercator(method: string, name: string, params: Map<string, number>): boolean {
  if (method.includes('auxiliarysphere') || method.includes('pseudomercator') || method.includes('popularvisualisation')) {
    return true;
  }
  if (name.includes('webmercator') || name.includes('pseudomercator') || name.includes('googlemapsglobalmercator')) {
    return method.includes('mercator') && close(params.get('lon0') ?? 0, 0) && close(params.get('fe') ?? 0, 0);
  }
  return false;
}

/**
 * Gauss–Krüger code from central meridian and false easting. A false easting of
 * `zone × 1,000,000 + 500,000` tells the zone and so the 3° or 6° series; a plain 500,000 ("CM"
 * systems) is ambiguous for central meridians that are in both series, and the name decides
 * (3° unless the name says 6° or is the 6° ESRI/EPSG spelling without "3 degree").
 */
function gaussKrugerCode(datum: GkDatum, lon0: number, fe: number, name: string): number | undefined {
  const in3 = isGkCentralMeridian(3, lon0);
  const in6 = isGkCentralMeridian(6, lon0);
  if (close(fe, 500000)) {
    const says3 = /3degree|3deg|3du|gk3|3zone/.test(name);
    const says6 = /6degree|6deg|6du|gk6|6zone/.test(name);
    const named6 = !says3 && (says6 || (name !== '' && /gausskruger|gk/.test(name) && !/degree/.test(name)));
    if (in6 && (named6 || !in3)) return gaussKrugerEpsg(datum, 6, lon0, false);
    if (in3) return gaussKrugerEpsg(datum, 3, lon0, false);
    return undefined;
  }
  if (in3 && fe === gkFalseEasting(3, lon0, true)) return gaussKrugerEpsg(datum, 3, lon0, true);
  if (in6 && fe === gkFalseEasting(6, lon0, true)) return gaussKrugerEpsg(datum, 6, lon0, true);
  return undefined;
}

/** Parses WKT (1 or 2) into a tree; throws on a syntax error. Accepts `[]` and `()` brackets. */
function parseWkt(text: string): WktNode {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const node = (): WktNode => {
    ws();
    const start = i;
    while (i < text.length && /[A-Za-z0-9_]/.test(text[i])) i++;
    const keyword = text.slice(start, i).toUpperCase();
    if (!keyword) throw new Error(`keyword expected at ${i}`);
    ws();
    const args: WktNode['args'] = [];
    if (text[i] !== '[' && text[i] !== '(') return { keyword, args };
    const closer = text[i] === '[' ? ']' : ')';
    i++;
    for (;;) {
      ws();
      const c = text[i];
      if (c === undefined) throw new Error('unterminated WKT');
      if (c === closer) {
        i++;
        return { keyword, args };
      }
      if (c === '"') {
        let s = '';
        i++;
        for (;;) {
          const d = text[i++];
          if (d === undefined) throw new Error('unterminated string');
          if (d === '"') {
            if (text[i] === '"') {
              s += '"';
              i++;
              continue;
            }
            break;
          }
          s += d;
        }
        args.push(s);
      } else if (/[-+.0-9]/.test(c)) {
        const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i, i + 64));
        if (!m) throw new Error(`number expected at ${i}`);
        args.push(Number(m[0]));
        i += m[0].length;
      } else {
        args.push(node());
      }
      ws();
      if (text[i] === ',') i++;
    }
  };
  const root = node();
  return root;
}
