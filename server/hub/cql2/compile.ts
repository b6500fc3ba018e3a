import { describeNode, type Cql2Node } from './ast.ts';
import { SqlBuilder, type CompileContext, type CompiledFilter } from './compile-context.ts';
import { typeWords } from './compile-operands.ts';
import { compileBetween, compileComparison, compileIn, compileIsNull, compileLike } from './compile-predicates.ts';
import { compileSpatial } from './compile-spatial.ts';
import { compileTemporal } from './compile-temporal.ts';
import { MAX_DEPTH, filterError, tooDeepError } from './filter-errors.ts';

// Parsers cap nesting at MAX_DEPTH; the compiler allows a little more (a parenthesised AND/OR adds
// a node without a parser level) and only guards against the stack overflow of hand-built trees.
const COMPILE_DEPTH = MAX_DEPTH * 2 + 8;

function junction(kind: 'AND' | 'OR', args: Cql2Node[], b: SqlBuilder, depth: number, at: Cql2Node['at']): string {
  if (!Array.isArray(args) || args.length === 0) throw filterError(`${kind} needs at least one condition`, at);
  const parts = args.map((a) => condition(a, b, depth + 1));
  return parts.length === 1 ? parts[0] : `(${parts.join(` ${kind} `)})`;
}

function negation(arg: Cql2Node, b: SqlBuilder, depth: number): string {
  switch (arg.kind) {
    case 'isNull':
      return compileIsNull(arg, b, true);
    case 'like':
      return compileLike(arg, b, true);
    case 'between':
      return compileBetween(arg, b, true);
    case 'in':
      return compileIn(arg, b, true);
  }
  const inner = condition(arg, b, depth + 1);
  // AND/OR of several conditions already come parenthesised.
  return inner.startsWith('(') && (arg.kind === 'and' || arg.kind === 'or') ? `NOT ${inner}` : `NOT (${inner})`;
}

function condition(node: Cql2Node, b: SqlBuilder, depth: number): string {
  if (depth > COMPILE_DEPTH) throw tooDeepError(node.at);
  switch (node.kind) {
    case 'and':
      return junction('AND', node.args, b, depth, node.at);
    case 'or':
      return junction('OR', node.args, b, depth, node.at);
    case 'not':
      return negation(node.arg, b, depth);
    case 'comparison':
      return compileComparison(node, b);
    case 'like':
      return compileLike(node, b, false);
    case 'between':
      return compileBetween(node, b, false);
    case 'in':
      return compileIn(node, b, false);
    case 'isNull':
      return compileIsNull(node, b, false);
    case 'spatial':
      return compileSpatial(node, b);
    case 'temporal':
      return compileTemporal(node, b);
    case 'boolean':
      return b.param(node.value, 'boolean');
    case 'property': {
      const r = b.resolve(node);
      if (r.kind === 'value' && r.type === 'boolean') return r.sql;
      const what = r.kind === 'geometry' ? 'the geometry' : typeWords(r.type);
      throw filterError(
        `Property "${r.name}" is ${what}, not a boolean, so it cannot be a condition on its own; ` +
          `compare it with a value, e.g. ${r.name} = …, or test it with ${r.name} IS NOT NULL`,
        node.at,
      );
    }
    default:
      throw filterError(`Expected a condition but found ${describeNode(node)}; compare it with something, e.g. x = 1`, node.at);
  }
}

/**
 * Compiles a CQL2 tree into a parameterised PostgreSQL/PostGIS boolean expression. Columns come
 * from `ctx` (double-quoted), every user value becomes a `$n` parameter with an explicit cast, so
 * no user text reaches the SQL. Throws YITU_ERR_FILTER_INVALID for type errors and
 * YITU_ERR_FILTER_PROPERTY_UNKNOWN (listing the queryables) for unknown properties.
 */
export function compileCql2(node: Cql2Node, ctx: CompileContext): CompiledFilter {
  const b = new SqlBuilder(ctx);
  const sql = condition(node, b, 0);
  return { sql, params: b.params };
}
