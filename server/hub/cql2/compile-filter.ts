import { YituError } from '../../platform/errors.ts';
import type { Cql2Node } from './ast.ts';
import type { CompileContext, CompiledFilter } from './compile-context.ts';
import { compileCql2 } from './compile.ts';
import { checkFilterSize, filterError } from './filter-errors.ts';
import { parseCql2Json } from './json-parser.ts';
import { parseCql2Text } from './text-parser.ts';

/** Filter languages of OGC API – Features Part 3 that Yitu accepts (`filter-lang`). */
export const FILTER_LANGUAGES = ['cql2-text', 'cql2-json'] as const;

/** A filter language. */
export type Cql2Language = (typeof FILTER_LANGUAGES)[number];

/**
 * Parses a filter written in `lang` ('cql2-text' or 'cql2-json'; `filter-lang` of OGC API –
 * Features Part 3) into a {@link Cql2Node}. Throws YITU_ERR_FILTER_LANG_UNSUPPORTED for another
 * language and YITU_ERR_FILTER_INVALID for a malformed filter (bad JSON included).
 */
export function parseFilter(filter: string, lang: string): Cql2Node {
  if (!(FILTER_LANGUAGES as readonly string[]).includes(lang)) {
    throw new YituError(
      'YITU_ERR_FILTER_LANG_UNSUPPORTED',
      `The filter language "${String(lang).slice(0, 40)}" is not supported; use filter-lang=cql2-text or filter-lang=cql2-json.`,
      { extra: { supported: [...FILTER_LANGUAGES] } },
    );
  }
  if (typeof filter !== 'string') throw filterError('The filter must be a string');
  if (lang === 'cql2-text') return parseCql2Text(filter);
  checkFilterSize(filter);
  let value: unknown;
  try {
    value = JSON.parse(filter);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = /position (\d+)/.exec(message);
    throw filterError(
      `The filter is not valid JSON (${message}). With filter-lang=cql2-json write e.g. {"op": "=", "args": [{"property": "name"}, "x"]}`,
      position ? { offset: Number(position[1]) } : undefined,
    );
  }
  return parseCql2Json(value);
}

/**
 * Parses a filter in `lang` and compiles it to a parameterised SQL boolean expression for `ctx`.
 * `lang` is typically the `filter-lang` query parameter: 'cql2-text' or 'cql2-json'.
 */
export function compileFilter(filter: string, lang: string, ctx: CompileContext): CompiledFilter {
  return compileCql2(parseFilter(filter, lang), ctx);
}
