import { describeNode, type BboxNode, type Cql2Node, type GeometryNode, type SpatialNode, type SpatialOperator } from './ast.ts';
import type { SqlBuilder } from './compile-context.ts';
import { typeWords } from './compile-operands.ts';
import { filterError } from './filter-errors.ts';
import { bboxProblem, geometryDimension, lonLatRangeProblem, toWkt } from './geometry.ts';

/** PostGIS function of each spatial operator. */
export const POSTGIS_FUNCTIONS: Record<SpatialOperator, string> = {
  s_intersects: 'ST_Intersects',
  s_equals: 'ST_Equals',
  s_disjoint: 'ST_Disjoint',
  s_touches: 'ST_Touches',
  s_within: 'ST_Within',
  s_overlaps: 'ST_Overlaps',
  s_crosses: 'ST_Crosses',
  s_contains: 'ST_Contains',
};

/** Literal in the filter CRS → EPSG:4326, the storage CRS. */
function toStorage(sql: string, b: SqlBuilder): string {
  return b.crs === 4326 ? sql : `ST_Transform(${sql}, 4326)`;
}

function geometryLiteral(node: GeometryNode, b: SqlBuilder): string {
  const dim = geometryDimension(node.geometry);
  if (typeof dim === 'string') throw filterError(`Invalid geometry: ${dim}`, node.at);
  if (b.crs === 4326) {
    const problem = lonLatRangeProblem(node.geometry);
    if (problem) throw filterError(`Invalid geometry: ${problem}`, node.at);
  }
  return toStorage(`ST_GeomFromText(${b.param(toWkt(node.geometry), 'text')}, ${b.crs})`, b);
}

function bboxLiteral(node: BboxNode, b: SqlBuilder): string {
  const problem = bboxProblem(node.values);
  if (problem) throw filterError(`Invalid bbox: ${problem}`, node.at);
  const half = node.values.length / 2;
  const [minx, miny, maxx, maxy] = [node.values[0], node.values[1], node.values[half], node.values[half + 1]];
  if (b.crs === 4326) {
    if ([minx, maxx].some((x) => Math.abs(x) > 180) || [miny, maxy].some((y) => Math.abs(y) > 90)) {
      throw filterError(
        `Invalid bbox: (${minx}, ${miny}, ${maxx}, ${maxy}) is outside longitude -180..180 / latitude -90..90; ` +
          'the order is minx (west longitude), miny (south latitude), maxx, maxy',
        node.at,
      );
    }
  } else if (minx > maxx) {
    throw filterError(`Invalid bbox: minx (${minx}) is greater than maxx (${maxx})`, node.at);
  }
  const p = [minx, miny, maxx, maxy].map((v) => b.param(v, 'float8'));
  if (b.crs === 4326 && minx > maxx) {
    // Crosses the antimeridian: the union of the parts east and west of it.
    return `ST_Collect(ST_MakeEnvelope(${p[0]}, ${p[1]}, 180, ${p[3]}, 4326), ST_MakeEnvelope(-180, ${p[1]}, ${p[2]}, ${p[3]}, 4326))`;
  }
  return toStorage(`ST_MakeEnvelope(${p.join(', ')}, ${b.crs})`, b);
}

function geometryOperand(node: Cql2Node, op: string, b: SqlBuilder): string {
  switch (node.kind) {
    case 'geometry':
      return geometryLiteral(node, b);
    case 'bbox':
      return bboxLiteral(node, b);
    case 'property': {
      const r = b.resolve(node);
      if (r.kind === 'geometry') return r.sql;
      const geometry = (b.ctx.geometryNames ?? ['geometry', 'geom'])[0] ?? 'geometry';
      throw filterError(
        `${op} compares geometries, but property "${r.name}" is ${typeWords(r.type)}; the geometry property is "${geometry}"`,
        node.at,
      );
    }
    default:
      throw filterError(
        `${op} compares geometries: give the geometry property, a WKT/GeoJSON geometry or a BBOX, not ${describeNode(node)}`,
        node.at,
      );
  }
}

/** `S_<OP>(a, b)` → `ST_<Op>(a, b)`. */
export function compileSpatial(node: SpatialNode, b: SqlBuilder): string {
  const name = node.op.toUpperCase();
  const [a, c] = node.args.map((arg) => geometryOperand(arg, name, b));
  return `${POSTGIS_FUNCTIONS[node.op]}(${a}, ${c})`;
}
