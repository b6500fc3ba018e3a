import { expect } from 'vitest';
import { isYituError, type ErrorCode } from '../../platform/errors.ts';
import type { CompileContext, QueryableProperty } from './compile-context.ts';

/** Queryables used across the CQL2 tests. */
export function testContext(overrides: Partial<CompileContext> = {}): CompileContext {
  return {
    properties: new Map<string, QueryableProperty>([
      ['name', { column: 'name', type: 'text' }],
      ['pop', { column: 'pop', type: 'integer' }],
      ['area', { column: 'area', type: 'number' }],
      ['open', { column: 'is_open', type: 'boolean' }],
      ['built', { column: 'built', type: 'date' }],
      ['updated', { column: 'updated_at', type: 'timestamp' }],
      ['touchdown', { column: 'touchdown', type: 'timestamp' }],
      ['liftOff', { column: 'lift_off', type: 'timestamp' }],
      ['attrs', { column: 'attrs', type: 'json' }],
      ['名称', { column: 'f_mingcheng', type: 'text' }],
      ['eo:cloud_cover', { column: 'eo_cloud_cover', type: 'number' }],
      ['road_class', { column: 'road_class', type: 'text' }],
    ]),
    geometryColumn: 'geom',
    ...overrides,
  };
}

/** Runs `fn`, expecting a YituError with `code` whose message contains every fragment. */
export function expectFilterError(fn: () => unknown, code: ErrorCode, ...fragments: string[]): ReturnType<typeof caught> {
  const e = caught(fn);
  expect(e.code, e.message).toBe(code);
  for (const f of fragments) expect(e.message).toContain(f);
  return e;
}

function caught(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (isYituError(e)) return e;
    throw e;
  }
  throw new Error('expected an error, but none was thrown');
}

/** A tree without source locations, to compare trees from different sources. */
export function stripLocations(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'at' ? undefined : v)));
}
