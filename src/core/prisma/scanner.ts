/**
 * The tokens of Prisma's schema language, scanned on demand in one pass over a file's text.
 *
 * Spaces, tabs (and the rest of JavaScript's `\s` but line breaks, a BOM included), `//` and `///`
 * comments and `/* *\/` comments are skipped. Line breaks (`\n`, `\r\n`, a lone `\r`) are tokens:
 * in Prisma an item of a block ends with its line. Characters that start no token are reported
 * and skipped, so the rest of their line still parses (as the previous reader did). Offsets are
 * UTF-16 offsets into the text, like our ranges. Every loop moves forward: scanning is linear in
 * the text, whatever it holds.
 */

/** UTF-16 offsets into the file's text; `end` is exclusive. */
export interface Span {
  start: number;
  end: number;
}

export interface SyntaxProblem {
  message: string;
  span: Span;
}

export type TokenKind =
  /** A letter, then letters, digits, `_` and `-`: names, keywords, `true`, `Cascade`. */
  | 'name'
  /** `"..."`, quotes and escapes as written. */
  | 'string'
  /** A `"` without its closing `"` on the same line: taken to the end of the line. */
  | 'unterminated-string'
  | 'number'
  | 'newline'
  | 'eof'
  | '{'
  | '}'
  | '('
  | ')'
  | '['
  | ']'
  | ','
  | ':'
  | '='
  | '?'
  | '.'
  | '@'
  | '@@';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** No other token before it on its line (comments and spaces do not count). */
  firstOnLine: boolean;
}

const PUNCTUATION = new Map<string, TokenKind>(['{', '}', '(', ')', '[', ']', ',', ':', '=', '?', '.'].map((p) => [p, p as TokenKind]));

// Character codes the scanner compares with.
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const STAR = 42;
const MINUS = 45;
const SLASH = 47;
const AT = 64;
const BACKSLASH = 92;

/** What follows `//` up to the line break; a single character class cannot backtrack. */
const REST_OF_LINE = /[^\n\r]*/y;
/** A string literal's characters up to its closing quote, an escape or the line break. */
const PLAIN_STRING_CHARACTERS = /[^"\\\n\r]*/y;

export class Scanner {
  private position = 0;
  private atLineStart = true;

  /** `report` hears of stray characters and unterminated `/*` comments. */
  constructor(
    readonly text: string,
    private readonly report: (problem: SyntaxProblem) => void,
  ) {}

  textOf(token: Token): string {
    return this.text.slice(token.start, token.end);
  }

  /** The next token; `eof` at the end, again and again. */
  next(): Token {
    const text = this.text;
    let i = this.skipSpaceAndComments(this.position);
    const start = i;
    let kind: TokenKind;
    const c = text.charCodeAt(i);
    if (i >= text.length) {
      kind = 'eof';
    } else if (c === LF || c === CR) {
      kind = 'newline';
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    } else if (isLetter(c)) {
      kind = 'name';
      i++;
      while (NAME_CHARACTERS[text.charCodeAt(i)] === 1) i++;
    } else if (isDigit(c) || (c === MINUS && isDigit(text.charCodeAt(i + 1)))) {
      kind = 'number';
      i = this.endOfNumber(i);
    } else if (c === QUOTE) {
      const string = this.endOfString(i);
      kind = string.closed ? 'string' : 'unterminated-string';
      i = string.end;
    } else if (c === AT) {
      kind = text.charCodeAt(i + 1) === AT ? '@@' : '@';
      i += kind.length;
    } else {
      kind = PUNCTUATION.get(text[i])!;
      i++;
    }
    this.position = i;
    const token: Token = { kind, start, end: i, firstOnLine: this.atLineStart };
    this.atLineStart = kind === 'newline';
    return token;
  }

  /** Past spaces and comments, reporting characters that start no token on the way. */
  private skipSpaceAndComments(from: number): number {
    const text = this.text;
    let i = from;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === TAB) {
        i++;
      } else if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
        REST_OF_LINE.lastIndex = i;
        REST_OF_LINE.test(text);
        i = REST_OF_LINE.lastIndex;
      } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
        i = this.endOfBlockComment(i);
      } else if (isOtherSpace(c)) {
        i++;
      } else if (startsToken(text, i)) {
        break;
      } else {
        i = this.skipStrayCharacters(i);
      }
    }
    return i;
  }

  private endOfBlockComment(start: number): number {
    const close = this.text.indexOf('*/', start + 2);
    if (close >= 0) return close + 2;
    this.report({ message: 'Unterminated block comment: `/*` without `*/`.', span: { start, end: start + 2 } });
    return this.text.length;
  }

  /** The run of characters from `start` that are neither space nor the start of a token, reported. */
  private skipStrayCharacters(start: number): number {
    const text = this.text;
    let i = start + 1;
    while (i < text.length && !isSpace(text.charCodeAt(i)) && !startsToken(text, i) && !startsComment(text, i)) i++;
    const run = text.slice(start, i);
    this.report({ message: `Unexpected \`${shorten(run)}\`: not part of Prisma's schema language.`, span: { start, end: i } });
    return i;
  }

  /** Just past the closing quote; without one, the line break (or the end of the text). */
  private endOfString(start: number): { end: number; closed: boolean } {
    const text = this.text;
    let i = start + 1;
    for (;;) {
      PLAIN_STRING_CHARACTERS.lastIndex = i;
      PLAIN_STRING_CHARACTERS.test(text);
      i = PLAIN_STRING_CHARACTERS.lastIndex;
      const c = text.charCodeAt(i);
      if (c === QUOTE) return { end: i + 1, closed: true };
      if (c !== BACKSLASH) return { end: i, closed: false }; // a line break or the end of the text
      const escaped = text.charCodeAt(i + 1);
      if (escaped === LF || escaped === CR || i + 1 >= text.length) return { end: i + 1, closed: false };
      i += 2; // an escape: `\"`, `\n`, `\u00e9`, ...
    }
  }

  /** `-?digits(.digits)?`, as Prisma writes numbers. */
  private endOfNumber(start: number): number {
    const text = this.text;
    let i = start + 1;
    while (isDigit(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 46 /* . */ && isDigit(text.charCodeAt(i + 1))) {
      i += 2;
      while (isDigit(text.charCodeAt(i))) i++;
    }
    return i;
  }
}

/** `'x'` for messages: the token as written (shortened), or what it stands for. */
export function describeToken(scanner: Scanner, token: Token): string {
  if (token.kind === 'newline') return 'a line break';
  if (token.kind === 'eof') return 'the end of the file';
  return `'${shorten(scanner.textOf(token))}'`;
}

/** At most 20 characters of `text` in a message. */
export function shorten(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** 1 at the codes of `A-Z a-z 0-9 _ -`: a table, as names are most of a schema's characters. */
const NAME_CHARACTERS = new Uint8Array(128);
for (let c = 0; c < 128; c++) NAME_CHARACTERS[c] = isLetter(c) || isDigit(c) || c === 95 /* _ */ || c === MINUS ? 1 : 0;

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR || isOtherSpace(c);
}

/** JavaScript's `\s` but for space, tab and line breaks: vertical tab, form feed, no-break spaces, BOM, ... */
function isOtherSpace(c: number): boolean {
  if (c < 128) return c === 11 || c === 12;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function startsToken(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (isLetter(c) || isDigit(c) || c === QUOTE || c === AT || c === LF || c === CR) return true;
  if (c === MINUS) return isDigit(text.charCodeAt(i + 1));
  return PUNCTUATION.has(text[i]);
}

function startsComment(text: string, i: number): boolean {
  if (text.charCodeAt(i) !== SLASH) return false;
  const next = text.charCodeAt(i + 1);
  return next === SLASH || next === STAR;
}
