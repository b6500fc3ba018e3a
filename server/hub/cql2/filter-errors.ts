import { YituError, type ErrorCode, type ErrorLocation } from '../../platform/errors.ts';
import type { SourceLocation } from './ast.ts';

/** Largest filter accepted, in UTF-8 bytes (100 KiB). */
export const MAX_FILTER_BYTES = 100 * 1024;
/** Deepest nesting accepted (parentheses, NOT, CASEI, JSON operations, geometry collections). */
export const MAX_DEPTH = 100;
/** Most values accepted in one IN list. */
export const MAX_IN_LIST = 10_000;
/** Most JSON values (objects, arrays, strings, numbers…) accepted in one CQL2 JSON filter. */
export const MAX_JSON_VALUES = 200_000;

/** Words for a location inside the filter: "at offset 12" or "at args[1]" ('' when unknown). */
export function describeLocation(at: SourceLocation | undefined): string {
  if (!at) return '';
  if (at.offset !== undefined) return `at offset ${at.offset}`;
  if (at.path !== undefined) return at.path === '' ? 'at the top level of the filter' : `at ${at.path}`;
  return '';
}

/**
 * Builds the error for a bad filter. `reason` says what is wrong and what is allowed; the location
 * prefixes the message ("At offset 12: …") and is recorded in `errors` (`offset` for text,
 * `field` = JSON path for JSON).
 */
export function filterError(
  reason: string,
  at?: SourceLocation,
  code: ErrorCode = 'YITU_ERR_FILTER_INVALID',
  extra?: Record<string, unknown>,
): YituError {
  const capital = reason.charAt(0).toUpperCase() + reason.slice(1);
  const location: ErrorLocation = { reason: capital };
  if (at?.offset !== undefined) location.offset = at.offset;
  else if (at?.path !== undefined) location.field = at.path === '' ? '(top level)' : at.path;
  const where = describeLocation(at);
  const sentence = /[.!?]$/.test(capital) ? capital : `${capital}.`;
  const detail = where ? `${where[0].toUpperCase()}${where.slice(1)}: ${sentence}` : sentence;
  return new YituError(code, detail, extra ? { errors: [location], extra } : { errors: [location] });
}

/** Rejects a filter larger than {@link MAX_FILTER_BYTES}. */
export function checkFilterSize(text: string): void {
  // Cheap pre-check before counting bytes: a UTF-8 character is at most 3 bytes per UTF-16 unit.
  if (text.length * 3 <= MAX_FILTER_BYTES) return;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FILTER_BYTES) {
    throw new YituError(
      'YITU_ERR_FILTER_INVALID',
      `The filter is ${bytes} bytes long; at most ${MAX_FILTER_BYTES} bytes (100 KiB) are accepted. ` +
        'Simplify the filter, for instance with fewer IN values or a simpler geometry.',
      { errors: [{ reason: 'filter too long' }] },
    );
  }
}

/** Error for nesting deeper than {@link MAX_DEPTH}. */
export function tooDeepError(at?: SourceLocation): YituError {
  return filterError(
    `The filter is nested more than ${MAX_DEPTH} levels deep (parentheses, NOT, CASEI, operations or geometry collections); simplify it`,
    at,
  );
}

/** Error for an IN list longer than {@link MAX_IN_LIST}. */
export function inListTooLongError(count: number, at?: SourceLocation): YituError {
  return filterError(
    `The IN list has ${count} values; at most ${MAX_IN_LIST} are accepted. Split the request or use a range (BETWEEN)`,
    at,
  );
}
