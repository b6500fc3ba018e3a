/** `YYYY-MM-DD`. */
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`. */
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** Example shown in messages about dates. */
export const DATE_EXAMPLE = "DATE('2024-01-31')";
/** Example shown in messages about timestamps. */
export const TIMESTAMP_EXAMPLE = "TIMESTAMP('2024-01-31T08:30:00Z')";

function calendarProblem(y: number, m: number, d: number): string | null {
  if (y < 1) return 'the year must be between 0001 and 9999';
  if (m < 1 || m > 12) return `month ${m} does not exist`;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  if (d < 1 || d > days) return `day ${d} does not exist in month ${m} of ${y}`;
  return null;
}

/** Why `value` is not a valid calendar date `YYYY-MM-DD`, or null when it is. */
export function dateProblem(value: string): string | null {
  const m = DATE_RE.exec(value);
  if (!m) return `'${value.slice(0, 40)}' is not a date written YYYY-MM-DD, e.g. ${DATE_EXAMPLE}`;
  const problem = calendarProblem(Number(m[1]), Number(m[2]), Number(m[3]));
  return problem ? `'${value}' is not a valid date: ${problem}` : null;
}

/** Why `value` is not a valid RFC 3339 timestamp with a time zone, or null when it is. */
export function timestampProblem(value: string): string | null {
  const m = TIMESTAMP_RE.exec(value);
  if (!m) {
    const hint = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)
      ? ' (add the time zone: Z for UTC, or an offset like +08:00)'
      : '';
    return `'${value.slice(0, 40)}' is not a timestamp written YYYY-MM-DDTHH:MM:SSZ${hint}, e.g. ${TIMESTAMP_EXAMPLE}`;
  }
  const problem = calendarProblem(Number(m[1]), Number(m[2]), Number(m[3]));
  if (problem) return `'${value}' is not a valid timestamp: ${problem}`;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) {
    return `'${value}' is not a valid timestamp: the time must be between 00:00:00 and 23:59:59`;
  }
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) {
    return `'${value}' is not a valid timestamp: the time zone offset is out of range`;
  }
  return null;
}

/** Whether a string looks like a date (`date`), a timestamp (`timestamp`) or neither. */
export function instantKind(value: string): 'date' | 'timestamp' | null {
  if (DATE_RE.test(value)) return 'date';
  if (/^\d{4}-\d{2}-\d{2}[Tt]/.test(value)) return 'timestamp';
  return null;
}
