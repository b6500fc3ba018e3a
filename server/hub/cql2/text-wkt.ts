import type { Geometry, Position } from 'geojson';
import type { GeometryNode } from './ast.ts';
import { GEOMETRY_TYPES, geometryDimension, lineProblem, ringProblem } from './geometry.ts';
import type { Token } from './lexer.ts';
import type { TokenCursor } from './token-cursor.ts';

type GeometryType = keyof typeof GEOMETRY_TYPES;

/** WKT keyword (upper case) → GeoJSON geometry type. */
export const WKT_TAGS: ReadonlyMap<string, GeometryType> = new Map(
  (Object.entries(GEOMETRY_TYPES) as [GeometryType, string][]).map(([type, tag]) => [tag, type]),
);

/** Whether the cursor is at a WKT geometry literal (`POINT(`, `POLYGON Z (`, `POINT EMPTY`…). */
export function atGeometry(c: TokenCursor): boolean {
  const tok = c.peek();
  if (tok.type !== 'ident' || !WKT_TAGS.has(tok.value.toUpperCase())) return false;
  const next = c.peek(1);
  if (next.type === '(') return true;
  return next.type === 'ident' && ['Z', 'M', 'ZM', 'EMPTY'].includes(next.value.toUpperCase());
}

interface WktState {
  declaredZ: boolean;
}

function position(c: TokenCursor): Position {
  const x = c.expect('number', 'a coordinate (x)');
  const y = c.expect('number', 'a second coordinate (y) after a space');
  const p: Position = [x.num as number, y.num as number];
  const z = c.accept('number');
  if (z) p.push(z.num as number);
  if (c.peek().type === 'number') c.fail('A position has at most 3 coordinates (x y z); M coordinates are not supported');
  return p;
}

function positions(c: TokenCursor): { open: Token; list: Position[] } {
  const open = c.expect('(', "'(' to start a list of positions");
  const list = [position(c)];
  while (c.accept(',')) list.push(position(c));
  c.expect(')', "',' or ')' after a position");
  return { open, list };
}

function line(c: TokenCursor): Position[] {
  const { open, list } = positions(c);
  const problem = lineProblem(list);
  if (problem) c.fail(`Invalid LINESTRING: ${problem}`, open);
  return list;
}

function ring(c: TokenCursor): Position[] {
  const { open, list } = positions(c);
  const problem = ringProblem(list);
  if (problem) c.fail(`Invalid POLYGON: ${problem}`, open);
  return list;
}

function polygon(c: TokenCursor): Position[][] {
  c.expect('(', "'(' to start the rings of a polygon, e.g. POLYGON((0 0,1 0,1 1,0 0))");
  const rings = [ring(c)];
  while (c.accept(',')) rings.push(ring(c));
  c.expect(')', "',' or ')' after a polygon ring");
  return rings;
}

function listOf<T>(c: TokenCursor, item: () => T, what: string): T[] {
  c.expect('(', `'(' to start ${what}`);
  const items = [item()];
  while (c.accept(',')) items.push(item());
  c.expect(')', `',' or ')' in ${what}`);
  return items;
}

function tagged(c: TokenCursor, state: WktState): Geometry {
  const tagTok = c.next();
  const type = WKT_TAGS.get(tagTok.value.toUpperCase());
  if (!type) c.fail(`Expected a geometry (POINT, LINESTRING, POLYGON, MULTI…, GEOMETRYCOLLECTION) but found '${tagTok.value}'`, tagTok);
  const dimTok = c.peek();
  if (dimTok.type === 'ident') {
    const d = dimTok.value.toUpperCase();
    if (d === 'Z') {
      state.declaredZ = true;
      c.next();
    } else if (d === 'M' || d === 'ZM') {
      c.fail('Geometries with M (measure) coordinates are not supported; use 2D (x y) or 3D (x y z) positions', dimTok);
    } else if (d === 'EMPTY') {
      c.fail('Empty geometries are not supported in filters', dimTok);
    }
  }
  switch (type) {
    case 'Point': {
      c.expect('(', "'(' after POINT, e.g. POINT(116.4 39.9)");
      const p = position(c);
      c.expect(')', "')' to close the POINT");
      return { type, coordinates: p };
    }
    case 'LineString':
      return { type, coordinates: line(c) };
    case 'Polygon':
      return { type, coordinates: polygon(c) };
    case 'MultiPoint':
      return {
        type,
        coordinates: listOf(
          c,
          () => {
            if (!c.accept('(')) return position(c);
            const p = position(c);
            c.expect(')', "')' to close the point");
            return p;
          },
          'the points of a MULTIPOINT',
        ),
      };
    case 'MultiLineString':
      return { type, coordinates: listOf(c, () => line(c), 'the lines of a MULTILINESTRING') };
    case 'MultiPolygon':
      return { type, coordinates: listOf(c, () => polygon(c), 'the polygons of a MULTIPOLYGON') };
    case 'GeometryCollection': {
      c.enter(tagTok);
      const geometries = listOf(c, () => tagged(c, state), 'the members of a GEOMETRYCOLLECTION');
      c.leave();
      return { type, geometries };
    }
  }
  // Unreachable: every geometry type is handled above.
  return c.fail('Unsupported geometry type', tagTok);
}

/** Parses a WKT geometry literal (the cursor is at its keyword) into a validated GeoJSON geometry. */
export function parseWkt(c: TokenCursor): GeometryNode {
  const start = c.peek();
  const state: WktState = { declaredZ: false };
  const geometry = tagged(c, state);
  const dim = geometryDimension(geometry);
  if (typeof dim === 'string') c.fail(`Invalid geometry: ${dim}`, start);
  if (state.declaredZ && dim !== 3) c.fail('The geometry is declared Z (3D) but its positions have 2 coordinates', start);
  return { kind: 'geometry', geometry, at: { offset: start.offset } };
}
