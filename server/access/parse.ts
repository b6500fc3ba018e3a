import type { z } from 'zod';
import { type ErrorCode, YituError } from '../platform/errors.ts';

/**
 * Validates a request body or query with a zod schema; a mismatch is a 400 (`code`, default
 * YITU_ERR_INPUT_INVALID) naming each wrong field and what it should be.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, code: ErrorCode = 'YITU_ERR_INPUT_INVALID'): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const msg = r.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`)
    .join('; ');
  throw new YituError(code, `Invalid input: ${msg}.`);
}
