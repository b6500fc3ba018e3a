import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type ErrorCode, YituError } from '../platform/errors.ts';
import { checkAllowed, singleQuery } from '../ogc/links.ts';

/** Formats zod issues as one sentence a person can act on (`field: message; …`). */
export function describeZodIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 8)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * Parses an input (a JSON body, query parameters; none = `{}`) with a zod schema; a mismatch is a
 * 4xx with the given code (default YITU_ERR_INPUT_INVALID) that names each wrong field. `what`
 * says which input it is ("the sharing request").
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, code: ErrorCode = 'YITU_ERR_INPUT_INVALID', what = 'input'): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new YituError(code, `Invalid ${what}: ${describeZodIssues(r.error)}.`);
  return r.data;
}

/** A JSON body, or `{}` when the request has none (POST …/withdraw, …/read). */
export function bodyOf(req: FastifyRequest): unknown {
  return req.body === undefined || req.body === null || req.body === '' ? {} : req.body;
}

/**
 * The query parameters (each at most once) parsed with a zod object schema; an unknown parameter
 * is a 400 listing the allowed ones.
 */
export function queryOf<S extends z.ZodObject<z.ZodRawShape>>(req: FastifyRequest, schema: S, where: string): z.infer<S> {
  const q = singleQuery(req);
  checkAllowed(q, Object.keys(schema.shape), where);
  delete q.f;
  return parseInput(schema, q, 'YITU_ERR_QUERY_PARAM_INVALID', `query parameters for ${where}`);
}
