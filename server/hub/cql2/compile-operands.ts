import {
  CONDITION_KINDS,
  describeNode,
  type BooleanNode,
  type Cql2Node,
  type DateNode,
  type NumberNode,
  type SourceLocation,
  type StringNode,
  type TimestampNode,
} from './ast.ts';
import type { QueryableType, SqlBuilder } from './compile-context.ts';
import { filterError } from './filter-errors.ts';
import { DATE_EXAMPLE, TIMESTAMP_EXAMPLE, dateProblem, instantKind, timestampProblem } from './instants.ts';

/** The type of a scalar operand: a queryable type or the geometry. */
export type ValueType = QueryableType | 'geometry';

/** A scalar literal node. */
export type LiteralNode = StringNode | NumberNode | BooleanNode | DateNode | TimestampNode;

/** A resolved scalar operand of a comparison, LIKE, BETWEEN, IN or IS NULL. */
export type Operand =
  | { kind: 'column'; sql: string; type: ValueType; name: string; textId: boolean; at?: SourceLocation }
  | { kind: 'casei'; inner: Operand; at?: SourceLocation }
  | { kind: 'literal'; node: LiteralNode; at?: SourceLocation };

const NUMERIC_STRING = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** The family of a type: values of one family can be compared with each other. */
export function family(t: ValueType): string {
  if (t === 'integer' || t === 'number') return 'numeric';
  if (t === 'date' || t === 'timestamp') return 'temporal';
  return t;
}

/** Words for a type in messages. */
export function typeWords(t: ValueType): string {
  switch (t) {
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'text':
      return 'text';
    case 'boolean':
      return 'a boolean';
    case 'date':
      return 'a date';
    case 'timestamp':
      return 'a timestamp';
    case 'json':
      return 'JSON';
    case 'geometry':
      return 'the geometry';
  }
}

/** Words for an operand in messages. */
export function describeOperand(op: Operand): string {
  if (op.kind === 'column') return op.type === 'geometry' ? `"${op.name}" (the geometry)` : `property "${op.name}" (${typeWords(op.type)})`;
  if (op.kind === 'casei') return 'CASEI(…)';
  return describeNode(op.node);
}

/** The declared type of a column or CASEI operand; null for a literal (it adapts). */
export function declaredType(op: Operand): ValueType | null {
  if (op.kind === 'column') return op.type;
  if (op.kind === 'casei') return 'text';
  return null;
}

/** The type a literal has on its own. */
export function naturalType(node: LiteralNode): ValueType {
  switch (node.kind) {
    case 'string':
      return 'text';
    case 'number':
      return Number.isSafeInteger(node.value) ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamp';
  }
}

/** The type of any operand (declared, or natural for a literal). */
export function operandType(op: Operand): ValueType {
  return declaredType(op) ?? naturalType((op as { node: LiteralNode }).node);
}

/** Resolves a node used as a scalar value; `role` names the operator for messages. */
export function resolveOperand(node: Cql2Node, b: SqlBuilder, role: string): Operand {
  switch (node.kind) {
    case 'property': {
      const r = b.resolve(node);
      if (r.kind === 'geometry') return { kind: 'column', sql: r.sql, type: 'geometry', name: r.name, textId: false, at: node.at };
      return { kind: 'column', sql: r.sql, type: r.type, name: r.name, textId: r.textId, at: node.at };
    }
    case 'casei': {
      const inner = resolveOperand(node.arg, b, 'CASEI');
      if (operandType(inner) !== 'text') {
        throw filterError(`CASEI applies to text, but ${describeOperand(inner)} is not text`, node.arg.at ?? node.at);
      }
      return { kind: 'casei', inner, at: node.at };
    }
    case 'string':
    case 'number':
    case 'boolean':
    case 'date':
    case 'timestamp':
      return { kind: 'literal', node, at: node.at };
    case 'interval':
      throw filterError(`An interval cannot be used with ${role}; use a temporal operator such as T_INTERSECTS(property, INTERVAL(…))`, node.at);
    case 'geometry':
    case 'bbox':
      throw filterError(`${describeNode(node)} cannot be used with ${role}; use a spatial operator such as S_INTERSECTS(geometry, …)`, node.at);
    default:
      if (CONDITION_KINDS.has(node.kind)) {
        throw filterError(`A condition cannot be used as a value with ${role}; expected a property or a literal`, node.at);
      }
      throw filterError(`${describeNode(node)} cannot be used with ${role}`, node.at);
  }
}

function mismatch(lit: LiteralNode, t: ValueType, subject: string): Error {
  const what = describeNode(lit);
  const hints: Record<ValueType, string> = {
    integer: 'use a number, e.g. 42',
    number: 'use a number, e.g. 3.5',
    text: "write the value as a string in single quotes, e.g. '42'",
    boolean: 'use TRUE or FALSE',
    date: `use a date such as ${DATE_EXAMPLE}`,
    timestamp: `use a timestamp such as ${TIMESTAMP_EXAMPLE}`,
    json: 'JSON properties can only be tested with IS NULL or IS NOT NULL',
    geometry: 'use a spatial operator such as S_INTERSECTS(geometry, POINT(116.4 39.9))',
  };
  return filterError(`${subject} is ${typeWords(t)} and cannot be compared with ${what}: ${hints[t]}`, lit.at);
}

function instantFromString(lit: StringNode, t: ValueType, subject: string, b: SqlBuilder): string {
  const kind = instantKind(lit.value);
  if (!kind) throw mismatch(lit, t, subject);
  const problem = kind === 'date' ? dateProblem(lit.value) : timestampProblem(lit.value);
  if (problem) throw filterError(`${subject} is ${typeWords(t)}, but ${problem}`, lit.at);
  return b.param(lit.value, kind === 'date' ? 'date' : 'timestamptz');
}

/**
 * Emits a literal as a parameter cast to the SQL type matching `t` (the type of what it is
 * compared with), or throws a message naming `subject` and the expected type.
 */
export function emitLiteral(lit: LiteralNode, t: ValueType, subject: string, b: SqlBuilder, textId = false): string {
  switch (t) {
    case 'integer':
    case 'number': {
      let v: number;
      if (lit.kind === 'number') v = lit.value;
      else if (lit.kind === 'string' && NUMERIC_STRING.test(lit.value) && Number.isFinite(Number(lit.value))) v = Number(lit.value);
      else throw mismatch(lit, t, subject);
      if (!Number.isFinite(v)) throw filterError('Numbers must be finite', lit.at);
      return b.param(v, t === 'integer' && Number.isSafeInteger(v) ? 'int8' : 'float8');
    }
    case 'text':
      if (lit.kind === 'string') {
        // PostgreSQL text cannot hold U+0000; fail clearly rather than with a database error.
        if (lit.value.includes('\u0000')) throw filterError('Strings cannot contain the NUL character (U+0000)', lit.at);
        return b.param(lit.value, 'text');
      }
      if (textId && lit.kind === 'number' && Number.isFinite(lit.value)) return b.param(String(lit.value), 'text');
      throw mismatch(lit, t, subject);
    case 'boolean':
      if (lit.kind === 'boolean') return b.param(lit.value, 'boolean');
      throw mismatch(lit, t, subject);
    case 'date':
    case 'timestamp':
      if (lit.kind === 'date') return b.param(lit.value, 'date');
      if (lit.kind === 'timestamp') return b.param(lit.value, 'timestamptz');
      if (lit.kind === 'string') return instantFromString(lit, t, subject, b);
      throw mismatch(lit, t, subject);
    default:
      throw mismatch(lit, t, subject);
  }
}

/**
 * Emits an operand. `target` is the type the comparison is made in (null: a literal keeps its
 * own type); `subject` names what a literal is compared with, for messages.
 */
export function emitOperand(op: Operand, target: ValueType | null, subject: string, b: SqlBuilder, textId = false): string {
  if (op.kind === 'column') return op.sql;
  if (op.kind === 'casei') return `lower(${emitOperand(op.inner, 'text', subject, b, textId)})`;
  return emitLiteral(op.node, target ?? naturalType(op.node), subject, b, textId);
}

/**
 * The type shared by operands compared together, checking they are compatible: the declared type
 * of the first column/CASEI operand, else the natural type of the first literal. Returns the
 * target type and a subject for messages.
 */
export function commonType(ops: Operand[], role: string, at: SourceLocation | undefined): { type: ValueType; subject: string; textId: boolean } {
  const typed = ops.find((o) => declaredType(o) !== null);
  const lead = typed ?? ops[0];
  const type = operandType(lead);
  const subject = lead.kind === 'literal' ? describeNode(lead.node) : describeOperand(lead).replace(/ \(.*\)$/, '');
  const textId = lead.kind === 'column' && lead.textId;
  if (type === 'json') {
    throw filterError(`${subject} holds JSON, which can only be tested with IS NULL or IS NOT NULL, not with ${role}`, lead.at ?? at);
  }
  if (type === 'geometry') {
    throw filterError(`${subject} is the geometry; use a spatial operator such as S_INTERSECTS(${(lead as { name?: string }).name ?? 'geometry'}, …) instead of ${role}`, lead.at ?? at);
  }
  for (const o of ops) {
    const d = declaredType(o);
    if (d !== null && family(d) !== family(type)) {
      throw filterError(`Cannot use ${role} between ${describeOperand(lead)} and ${describeOperand(o)}: their types differ`, o.at ?? at);
    }
    if (!typed && o.kind === 'literal' && family(naturalType(o.node)) !== family(type)) {
      throw filterError(`Cannot use ${role} between ${describeNode(lead.kind === 'literal' ? lead.node : o.node)} and ${describeNode(o.node)}: their types differ`, o.at ?? at);
    }
  }
  return { type, subject, textId };
}
