import { describeNode, type BetweenNode, type ComparisonNode, type Cql2Node, type InNode, type IsNullNode, type LikeNode } from './ast.ts';
import type { SqlBuilder } from './compile-context.ts';
import {
  commonType,
  describeOperand,
  emitOperand,
  family,
  operandType,
  resolveOperand,
  typeWords,
  type Operand,
} from './compile-operands.ts';
import { MAX_IN_LIST, filterError, inListTooLongError } from './filter-errors.ts';

/** `a <op> b`. */
export function compileComparison(node: ComparisonNode, b: SqlBuilder): string {
  const role = `the comparison ${node.op}`;
  const ops = node.args.map((a) => resolveOperand(a, b, role));
  const { type, subject, textId } = commonType(ops, role, node.at);
  const [l, r] = ops.map((o) => emitOperand(o, type, subject, b, textId));
  return `${l} ${node.op} ${r}`;
}

function patternOf(node: Cql2Node, b: SqlBuilder): Operand {
  if (node.kind === 'string') {
    // An odd number of trailing backslashes leaves the final escape without a character.
    const trailing = /\\+$/.exec(node.value)?.[0].length ?? 0;
    if (trailing % 2 === 1) {
      throw filterError(
        "The LIKE pattern ends with the escape character \\ (backslash), which must be followed by %, _ or \\; " +
          "to match a backslash the pattern needs two (in CQL2 text: '\\\\\\\\')",
        node.at,
      );
    }
    return { kind: 'literal', node, at: node.at };
  }
  if (node.kind === 'casei') return { kind: 'casei', inner: patternOf(node.arg, b), at: node.at };
  throw filterError(`The LIKE pattern must be a string such as 'Smith%' (or CASEI('smith%')), not ${describeNode(node)}`, node.at);
}

/** `value [NOT] LIKE pattern` (case-sensitive; `%`, `_`, `\` escape). */
export function compileLike(node: LikeNode, b: SqlBuilder, negated: boolean): string {
  const value = resolveOperand(node.args[0], b, 'LIKE');
  if (operandType(value) !== 'text') {
    throw filterError(
      `LIKE works on text, but ${describeOperand(value)} is not text; use =, <>, <, >, BETWEEN or IN for other types`,
      node.args[0].at ?? node.at,
    );
  }
  const pattern = patternOf(node.args[1], b);
  const v = emitOperand(value, 'text', 'the LIKE value', b);
  const p = emitOperand(pattern, 'text', 'the LIKE pattern', b);
  return `${v} ${negated ? 'NOT LIKE' : 'LIKE'} ${p}`;
}

/** `value [NOT] BETWEEN low AND high` on numbers, dates and timestamps. */
export function compileBetween(node: BetweenNode, b: SqlBuilder, negated: boolean): string {
  const ops = node.args.map((a) => resolveOperand(a, b, 'BETWEEN'));
  const { type, subject, textId } = commonType(ops, 'BETWEEN', node.at);
  if (family(type) !== 'numeric' && family(type) !== 'temporal') {
    throw filterError(`BETWEEN works on numbers, dates and timestamps, but ${subject} is ${typeWords(type)}`, node.at);
  }
  const [v, lo, hi] = ops.map((o) => emitOperand(o, type, subject, b, textId));
  return `${v} ${negated ? 'NOT BETWEEN' : 'BETWEEN'} ${lo} AND ${hi}`;
}

/** `value [NOT] IN (a, b, …)`. */
export function compileIn(node: InNode, b: SqlBuilder, negated: boolean): string {
  if (node.list.length === 0) throw filterError('The IN list is empty: give at least one value', node.at);
  if (node.list.length > MAX_IN_LIST) throw inListTooLongError(node.list.length, node.at);
  const ops = [node.value, ...node.list].map((a) => resolveOperand(a, b, 'IN'));
  const { type, subject, textId } = commonType(ops, 'IN', node.at);
  const [v, ...items] = ops.map((o) => emitOperand(o, type, subject, b, textId));
  return `${v} ${negated ? 'NOT IN' : 'IN'} (${items.join(', ')})`;
}

/** `value IS [NOT] NULL` on a property (any type, the geometry included) or CASEI(property). */
export function compileIsNull(node: IsNullNode, b: SqlBuilder, negated: boolean): string {
  const op = resolveOperand(node.arg, b, 'IS NULL');
  if (op.kind === 'literal') {
    throw filterError(`IS NULL tests a property, e.g. name IS NULL; ${describeNode(op.node)} is never null`, node.arg.at ?? node.at);
  }
  return `${emitOperand(op, null, 'IS NULL', b)} ${negated ? 'IS NOT NULL' : 'IS NULL'}`;
}
