import { truncate } from './ast.ts';
import { MAX_DEPTH, filterError, tooDeepError } from './filter-errors.ts';
import type { Token, TokenType } from './lexer.ts';

/** Describes a token for a person: "the end of the filter", "the string 'abc'", "'AND'". */
export function describeToken(tok: Token): string {
  switch (tok.type) {
    case 'eof':
      return 'the end of the filter';
    case 'string':
      return `the string '${truncate(tok.value)}'`;
    case 'number':
      return `the number ${tok.value}`;
    case 'quotedIdent':
      return `the property name "${truncate(tok.value)}"`;
    case 'ident':
      return `'${truncate(tok.value)}'`;
    default:
      return `'${tok.value}'`;
  }
}

/** A position in the token list of a CQL2 text filter, with helpers for the parsers. */
export class TokenCursor {
  private pos = 0;
  private depth = 0;

  constructor(
    /** The filter text (for messages). */
    readonly text: string,
    private readonly tokens: Token[],
  ) {}

  /** The token `k` positions ahead (the eof token past the end). */
  peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)];
  }

  /** Consumes and returns the current token. */
  next(): Token {
    const tok = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return tok;
  }

  /** Whether the token `k` ahead is the bare (unquoted) keyword `word` (upper case). */
  isKeyword(word: string, k = 0): boolean {
    const tok = this.peek(k);
    return tok.type === 'ident' && tok.value.toUpperCase() === word;
  }

  /** Consumes the keyword `word` if it is next. */
  acceptKeyword(word: string): Token | null {
    return this.isKeyword(word) ? this.next() : null;
  }

  /** Consumes a token of `type` if it is next. */
  accept(type: TokenType): Token | null {
    return this.peek().type === type ? this.next() : null;
  }

  /** Consumes a token of `type` or fails saying `what` was expected. */
  expect(type: TokenType, what: string): Token {
    const tok = this.peek();
    if (tok.type !== type) this.fail(`Expected ${what} but found ${describeToken(tok)}`, tok);
    return this.next();
  }

  /** Consumes the keyword `word` or fails saying `what` was expected. */
  expectKeyword(word: string, what: string): Token {
    const tok = this.acceptKeyword(word);
    if (!tok) this.fail(`Expected ${what} but found ${describeToken(this.peek())}`, this.peek());
    return tok as Token;
  }

  /** Throws YITU_ERR_FILTER_INVALID located at `tok`. */
  fail(reason: string, tok: Token = this.peek()): never {
    throw filterError(reason, { offset: tok.offset });
  }

  /** Enters one nesting level (parentheses, NOT, CASEI, collections), failing past the limit. */
  enter(tok: Token): void {
    this.depth++;
    if (this.depth > MAX_DEPTH) throw tooDeepError({ offset: tok.offset });
  }

  /** Leaves a nesting level. */
  leave(): void {
    this.depth--;
  }
}
