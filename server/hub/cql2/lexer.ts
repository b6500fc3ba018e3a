import { filterError } from './filter-errors.ts';

/** Kinds of CQL2 text tokens. */
export type TokenType = 'ident' | 'quotedIdent' | 'string' | 'number' | 'op' | '(' | ')' | ',' | 'eof';

/** One token of a CQL2 text filter. */
export interface Token {
  type: TokenType;
  /** Identifier or string content (unescaped), operator spelling, or the number as written. */
  value: string;
  /** Parsed value of a number token. */
  num?: number;
  /** 0-based offset of the first character of the token. */
  offset: number;
}

// CQL2 identifierStart / identifierPart (OGC 21-065 BNF), as Unicode-aware classes.
const ID_START =
  /[:_A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFE\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}]/u;
const ID_PART = /[.0-9\u0300-\u036F\u203F\u2040]/u;
const WHITESPACE = /[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]/u;
const NUMBER_RE = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;

/** A few characters of the filter from `offset`, to quote in messages. */
export function snippet(text: string, offset: number): string {
  const part = text.slice(offset, offset + 24);
  return offset + 24 < text.length ? `${part}…` : part;
}

function isIdStart(ch: string): boolean {
  return ID_START.test(ch);
}

function isIdPart(ch: string): boolean {
  return ID_START.test(ch) || ID_PART.test(ch);
}

/** Backslash escapes of control characters in character literals (OGC 21-065). */
const CONTROL_ESCAPES: Record<string, string | undefined> = {
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
};

const ARITHMETIC_HINT = 'arithmetic (+ - * / ^) is not supported in filters';

/**
 * Splits a CQL2 text filter into tokens. Strings are 'single-quoted': '' or \' for a quote inside,
 * \\ for a backslash, \n \t \r \a \b \v \f for control characters; any other backslash is kept
 * as written (so '100\%' is the LIKE pattern 100\%). Property names are bare identifiers or
 * "double-quoted" ("" for a quote inside).
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const cp = text.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    if (WHITESPACE.test(ch)) {
      i += ch.length;
      continue;
    }
    const start = i;
    if (ch === "'") {
      let value = '';
      let escapedQuote = false;
      i++;
      for (;;) {
        if (i >= n) {
          throw filterError(
            "The string that starts here is not terminated: add a closing single quote ('). To put a quote inside a string, " +
              "write it twice: 'O''Brien'" +
              (escapedQuote ? ". Note that \\' is an escaped quote: a string ending with a backslash is written 'C:\\\\'" : ''),
            { offset: start },
          );
        }
        const c = text[i];
        if (c === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (c === '\\' && i + 1 < n) {
          // OGC 21-065 /req/cql2-text/escaping: \' and \\ and control characters; any other
          // backslash is kept as written, so LIKE escapes such as '100\%' reach the pattern.
          const next = text[i + 1];
          if (next === "'") escapedQuote = true;
          const escaped = next === "'" || next === '\\' ? next : CONTROL_ESCAPES[next];
          if (escaped === undefined) {
            value += c;
            i++;
          } else {
            value += escaped;
            i += 2;
          }
        } else if (c === "'") {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      tokens.push({ type: 'string', value, offset: start });
      continue;
    }
    if (ch === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) {
          throw filterError(
            'The quoted property name that starts here is not terminated: add a closing double quote (")',
            { offset: start },
          );
        }
        const c = text[i];
        if (c === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (value === '') throw filterError('A quoted property name cannot be empty ("")', { offset: start });
      tokens.push({ type: 'quotedIdent', value, offset: start });
      continue;
    }
    if (/[0-9.]/.test(ch) || ((ch === '-' || ch === '+') && /[0-9.]/.test(text[i + 1] ?? ''))) {
      NUMBER_RE.lastIndex = i;
      const m = NUMBER_RE.exec(text);
      if (!m) {
        throw filterError(`Unexpected '${ch}': expected a number such as 12, -3.5 or 1e-3`, { offset: start });
      }
      i += m[0].length;
      const next = text.codePointAt(i);
      if (next !== undefined && (isIdPart(String.fromCodePoint(next)) || next === 0x27 || next === 0x22)) {
        throw filterError(
          `'${snippet(text, start)}' is not a valid number; separate values with spaces or commas`,
          { offset: start },
        );
      }
      const num = Number(m[0]);
      if (!Number.isFinite(num)) throw filterError(`The number ${m[0]} is too large`, { offset: start });
      tokens.push({ type: 'number', value: m[0], num, offset: start });
      continue;
    }
    if (isIdStart(ch)) {
      i += ch.length;
      while (i < n) {
        const c = String.fromCodePoint(text.codePointAt(i) as number);
        if (!isIdPart(c)) break;
        i += c.length;
      }
      tokens.push({ type: 'ident', value: text.slice(start, i), offset: start });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ type: 'op', value: two, offset: start });
      i += 2;
      continue;
    }
    if (two === '!=') throw filterError("Use <> for 'not equal to' in CQL2, not !=", { offset: start });
    if (two === '==') throw filterError("Use a single = for 'equal to' in CQL2, not ==", { offset: start });
    if (ch === '=' || ch === '<' || ch === '>') {
      tokens.push({ type: 'op', value: ch, offset: start });
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: ch, value: ch, offset: start });
      i++;
      continue;
    }
    let reason: string;
    if ('+-*/^%'.includes(ch)) reason = `Unexpected '${ch}': ${ARITHMETIC_HINT}`;
    else if (ch === '[' || ch === ']') reason = `Unexpected '${ch}': array literals and array operators are not supported`;
    else {
      const shown = cp < 0x20 || cp === 0x7f ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : ch;
      reason =
        `Unexpected character '${shown}'. A CQL2 text filter is made of property names, 'strings', numbers, ` +
        'parentheses, commas and the operators = <> < > <= >=';
    }
    throw filterError(reason, { offset: start });
  }
  tokens.push({ type: 'eof', value: '', offset: n });
  return tokens;
}
