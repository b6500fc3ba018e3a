import { describeNode, type Cql2Node, type IntervalBound, type PropertyNode, type TemporalNode, type TemporalOperator } from './ast.ts';
import type { SqlBuilder } from './compile-context.ts';
import { typeWords } from './compile-operands.ts';
import { filterError } from './filter-errors.ts';
import { dateProblem, timestampProblem } from './instants.ts';

/** A temporal operand as SQL: its first and last instant (the same for an instant). */
interface Span {
  begin: string;
  end: string;
}

type Relation = (a: Span, b: Span) => string[][];

// Allen's interval relations as defined by CQL2 (OGC 21-065, "Temporal functions"): a list of
// alternatives (OR), each a list of conditions (AND). An instant is an interval with begin = end.
const RELATIONS: Record<TemporalOperator, Relation> = {
  t_after: (a, b) => [[`${a.begin} > ${b.end}`]],
  t_before: (a, b) => [[`${a.end} < ${b.begin}`]],
  t_contains: (a, b) => [[`${a.begin} < ${b.begin}`, `${a.end} > ${b.end}`]],
  t_disjoint: (a, b) => [[`${a.begin} > ${b.end}`], [`${a.end} < ${b.begin}`]],
  t_during: (a, b) => [[`${a.begin} > ${b.begin}`, `${a.end} < ${b.end}`]],
  t_equals: (a, b) => [[`${a.begin} = ${b.begin}`, `${a.end} = ${b.end}`]],
  t_finishedBy: (a, b) => [[`${a.begin} < ${b.begin}`, `${a.end} = ${b.end}`]],
  t_finishes: (a, b) => [[`${a.begin} > ${b.begin}`, `${a.end} = ${b.end}`]],
  t_intersects: (a, b) => [[`${a.begin} <= ${b.end}`, `${a.end} >= ${b.begin}`]],
  t_meets: (a, b) => [[`${a.end} = ${b.begin}`]],
  t_metBy: (a, b) => [[`${a.begin} = ${b.end}`]],
  t_overlappedBy: (a, b) => [[`${a.begin} > ${b.begin}`, `${a.begin} < ${b.end}`, `${a.end} > ${b.end}`]],
  t_overlaps: (a, b) => [[`${a.begin} < ${b.begin}`, `${a.end} > ${b.begin}`, `${a.end} < ${b.end}`]],
  t_startedBy: (a, b) => [[`${a.begin} = ${b.begin}`, `${a.end} > ${b.end}`]],
  t_starts: (a, b) => [[`${a.begin} = ${b.begin}`, `${a.end} < ${b.end}`]],
};

function temporalColumn(node: PropertyNode, op: string, b: SqlBuilder): { sql: string; cast: string } {
  const r = b.resolve(node);
  if (r.kind === 'value' && (r.type === 'date' || r.type === 'timestamp') && !r.textId) {
    return { sql: r.sql, cast: r.type === 'date' ? 'date' : 'timestamptz' };
  }
  const what = r.kind === 'geometry' ? 'the geometry' : typeWords(r.type);
  throw filterError(`${op} compares dates and timestamps, but property "${r.name}" is ${what}`, node.at);
}

function instant(node: Cql2Node & { kind: 'date' | 'timestamp' }, b: SqlBuilder): string {
  const problem = node.kind === 'date' ? dateProblem(node.value) : timestampProblem(node.value);
  if (problem) throw filterError(`Invalid ${node.kind}: ${problem}`, node.at);
  return b.param(node.value, node.kind === 'date' ? 'date' : 'timestamptz');
}

function boundCast(bound: IntervalBound, op: string, b: SqlBuilder): string | null {
  if (bound === '..') return null;
  if (bound.kind === 'property') return temporalColumn(bound, op, b).cast;
  return bound.kind === 'date' ? 'date' : 'timestamptz';
}

function bound(x: IntervalBound, open: string, cast: string, op: string, b: SqlBuilder): string {
  if (x === '..') return b.param(open, cast);
  if (x.kind === 'property') return temporalColumn(x, op, b).sql;
  return instant(x, b);
}

function span(node: Cql2Node, op: string, b: SqlBuilder): Span {
  switch (node.kind) {
    case 'property': {
      const sql = temporalColumn(node, op, b).sql;
      return { begin: sql, end: sql };
    }
    case 'date':
    case 'timestamp': {
      const p = instant(node, b);
      return { begin: p, end: p };
    }
    case 'interval': {
      // An open end ('..') becomes -infinity / infinity, typed like the other end.
      const cast = boundCast(node.start, op, b) ?? boundCast(node.end, op, b) ?? 'timestamptz';
      return {
        begin: bound(node.start, '-infinity', boundCast(node.start, op, b) ?? cast, op, b),
        end: bound(node.end, 'infinity', boundCast(node.end, op, b) ?? cast, op, b),
      };
    }
    default:
      throw filterError(
        `${op} compares temporal values: give a date or timestamp property, DATE('…'), TIMESTAMP('…') or INTERVAL(…, …), not ${describeNode(node)}`,
        node.at,
      );
  }
}

/** `T_<OP>(a, b)` → conditions on the begin/end instants of both operands. */
export function compileTemporal(node: TemporalNode, b: SqlBuilder): string {
  const name = node.op.toUpperCase();
  const [x, y] = node.args.map((arg) => span(arg, name, b));
  const alternatives = RELATIONS[node.op](x, y).map((conds) => {
    const unique = [...new Set(conds)];
    return unique.length === 1 ? unique[0] : `(${unique.join(' AND ')})`;
  });
  return alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' OR ')})`;
}
