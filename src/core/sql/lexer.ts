/**
 * A small PostgreSQL lexer that knows only what is needed to cut a file into statements and find
 * its comments without being fooled: string literals ('', E'', U&''), quoted identifiers,
 * dollar quotes ($$ / $tag$), line comments and nested block comments.
 *
 * It is the fallback for files PostgreSQL's parser rejects (where libpg-query gives no statement
 * locations) and the source of comments in every file. It never throws: an unterminated literal
 * or comment simply runs to the end of the text.
 */

export interface Comment {
  /** UTF-16 offsets; `end` is exclusive. */
  start: number;
  end: number;
  kind: 'line' | 'block';
  /** The comment body without `--` or `/* *\/`. */
  body: string;
}

export interface Chunk {
  /** Offset of the first character that is not white space or a comment. */
  start: number;
  /** Exclusive; includes the terminating `;` when there is one. */
  end: number;
  terminated: boolean;
}

export interface LexResult {
  comments: Comment[];
  chunks: Chunk[];
  /** Why the text ended inside a literal, identifier or comment, if it did. */
  unterminated: { start: number; what: string } | null;
}

function isIdentStart(ch: number): boolean {
  return (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch === 95 || ch >= 128;
}

function isIdentChar(ch: number): boolean {
  return isIdentStart(ch) || (ch >= 48 && ch <= 57) || ch === 36;
}

function isSpace(ch: number): boolean {
  return ch === 32 || ch === 9 || ch === 10 || ch === 13 || ch === 12 || ch === 11 || ch === 0xfeff;
}

export function lexSql(text: string): LexResult {
  const comments: Comment[] = [];
  const chunks: Chunk[] = [];
  let unterminated: LexResult['unterminated'] = null;
  const n = text.length;
  let chunkStart = -1;
  let contentEnd = 0;
  let i = 0;

  while (i < n) {
    const ch = text.charCodeAt(i);
    if (isSpace(ch)) {
      i++;
    } else if (ch === 45 && text.charCodeAt(i + 1) === 45) {
      // -- line comment
      let j = i + 2;
      while (j < n && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
      comments.push({ start: i, end: j, kind: 'line', body: text.slice(i + 2, j) });
      i = j;
    } else if (ch === 47 && text.charCodeAt(i + 1) === 42) {
      // /* block comment */, nested as PostgreSQL nests them
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        const c = text.charCodeAt(j);
        if (c === 47 && text.charCodeAt(j + 1) === 42) {
          depth++;
          j += 2;
        } else if (c === 42 && text.charCodeAt(j + 1) === 47) {
          depth--;
          j += 2;
        } else j++;
      }
      if (depth > 0) unterminated ??= { start: i, what: 'block comment' };
      comments.push({ start: i, end: j, kind: 'block', body: text.slice(i + 2, depth > 0 ? j : j - 2) });
      i = j;
    } else {
      if (chunkStart < 0) chunkStart = i;
      i = skipToken(i, ch);
      contentEnd = i;
      if (ch === 59 /* ; */) {
        chunks.push({ start: chunkStart, end: i, terminated: true });
        chunkStart = -1;
      }
    }
  }
  if (chunkStart >= 0) chunks.push({ start: chunkStart, end: contentEnd, terminated: false });
  return { comments, chunks, unterminated };

  /** Skips one token of statement content that starts at i; returns the index after it. */
  function skipToken(i: number, ch: number): number {
    if (ch === 34 /* " quoted identifier */) {
      const end = skipQuoted(text, i + 1, 34, false);
      if (end > n) unterminated ??= { start: i, what: 'quoted identifier' };
      return Math.min(end, n);
    }
    if (ch === 39 /* ' string literal; E'' takes backslash escapes */) {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      const prev2 = i > 1 ? text.charCodeAt(i - 2) : 0;
      const backslashes = (prev === 69 || prev === 101) && !isIdentChar(prev2);
      const end = skipQuoted(text, i + 1, 39, backslashes);
      if (end > n) unterminated ??= { start: i, what: 'string literal' };
      return Math.min(end, n);
    }
    if (ch === 36 /* $ */ && (i === 0 || !isIdentChar(text.charCodeAt(i - 1)))) {
      // $$ or $tag$ opens a dollar quote; $1 is a parameter
      let j = i + 1;
      if (j < n && isIdentStart(text.charCodeAt(j))) {
        while (j < n && text.charCodeAt(j) !== 36 && isIdentChar(text.charCodeAt(j))) j++;
      }
      if (text.charCodeAt(j) !== 36) return i + 1;
      const tag = text.slice(i, j + 1);
      const close = text.indexOf(tag, j + 1);
      if (close < 0) {
        unterminated ??= { start: i, what: `dollar-quoted string ${tag}` };
        return n;
      }
      return close + tag.length;
    }
    if (isIdentStart(ch)) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      return j;
    }
    return i + 1;
  }
}

/** Returns the index after the closing quote, or n + 1 when the text ends first. */
function skipQuoted(text: string, from: number, quote: number, backslashes: boolean): number {
  const n = text.length;
  let j = from;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (backslashes && c === 92) {
      j += 2;
      continue;
    }
    if (c === quote) {
      if (text.charCodeAt(j + 1) === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return n + 1;
}
