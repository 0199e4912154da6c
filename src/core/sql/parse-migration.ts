/**
 * Turns the text of a migration.sql into statements with exact source ranges, their AST from
 * PostgreSQL's own parser, and the comments that matter (suppressions, Prisma's `-- Warnings:`).
 *
 * Error-tolerant: when PostgreSQL rejects the file, it is cut into statements by our lexer
 * (which respects literals, quoted identifiers, dollar quotes and comments), each statement is
 * parsed alone, and only the statements PostgreSQL rejects become errors.
 */
import { LineIndex } from '../text/line-index';
import type { SourceRange } from '../types';
import { byteToUtf16Mapper } from './byte-offsets';
import { lexSql, type Comment } from './lexer';
import { parseRaw, type PgParseError, type RawParse, type RawStmt } from './parser';
import { readSuppressions, type Suppressions } from './suppressions';

/** A libpg-query AST node: `{ CreateStmt: {...} }`. */
export type PgNode = Record<string, any>;

export interface SqlStatement {
  index: number;
  /** From the first token to the terminating `;` inclusive (or the last token). */
  range: SourceRange;
  text: string;
  /** The statement's AST, `{ <NodeType>: {...} }`; null when PostgreSQL rejected it. */
  node: PgNode | null;
  /** The node type, e.g. `AlterTableStmt`; `Invalid` when it did not parse. */
  type: string;
  error?: { message: string; range: SourceRange };
  /** Rule ids silenced for this statement by `-- preflight-ignore` (may include `all`). */
  ignored: string[];
}

export interface PrismaWarning {
  text: string;
  range: SourceRange;
}

export interface ParsedMigration {
  /** The whole file. */
  text: string;
  /** Offset of the first NUL byte: the statements are those of the text before it. */
  nulOffset: number | null;
  lines: LineIndex;
  statements: SqlStatement[];
  comments: Comment[];
  /** Rule ids silenced for the whole file by `-- preflight-ignore-file` (may include `all`). */
  fileIgnored: string[];
  /** The bullet points of Prisma's generated `-- Warnings:` header. */
  prismaWarnings: PrismaWarning[];
  suppressions: Suppressions;
}

/** Parses a migration. Requires `ensureSqlParser()` to have resolved. Never throws on bad SQL. */
export function parseMigrationSql(fileText: string): ParsedMigration {
  // PostgreSQL never executes text after a NUL byte (nul-byte): only what precedes it is parsed.
  const nul = fileText.indexOf('\0');
  const text = nul < 0 ? fileText : fileText.slice(0, nul);
  const lines = new LineIndex(fileText);
  const lexed = lexSql(text);
  const raw = parseRaw(text);
  const statements: SqlStatement[] = [];

  if (raw.ok) {
    const toUtf16 = byteToUtf16Mapper(text);
    for (const s of raw.stmts) {
      const startByte = s.stmt_location ?? 0;
      const start = skipSpaceAndComments(text, toUtf16(startByte), lexed.comments);
      // stmt_len 0 means "to the end of the text"
      let end = s.stmt_len ? toUtf16(startByte + s.stmt_len) : endOfContent(text, lexed.comments);
      end = includeSemicolon(text, end);
      statements.push(makeStatement(statements.length, start, end, s, text, lines));
    }
  } else {
    for (const group of parseChunksAlone(text, lexed.chunks, raw.error)) statements.push(...group);
    statements.forEach((s, k) => (s.index = k));
    if (statements.length === 0 && lexed.unterminated) {
      // Nothing but an unterminated comment.
      const r = lines.range(lexed.unterminated.start, text.length);
      statements.push({ index: 0, range: r, text: text.slice(r.startOffset), node: null, type: 'Invalid', error: { message: `unterminated ${lexed.unterminated.what}`, range: r }, ignored: [] });
    }
  }

  const suppressions = readSuppressions(text, lexed.comments, lines);
  for (const st of statements) st.ignored = suppressions.forStatementAt(st.range.startOffset);
  return {
    text: fileText,
    nulOffset: nul < 0 ? null : nul,
    lines,
    statements,
    comments: lexed.comments,
    fileIgnored: suppressions.file,
    prismaWarnings: readPrismaWarnings(lexed.comments, lines),
    suppressions,
  };

  /**
   * Recovery after PostgreSQL rejected the file: parse the rest of the file in one piece; the
   * first error falls in one chunk (a statement as our lexer cuts it). Everything before that
   * chunk parses together, the chunk itself becomes an error (unless it is a body with semicolons
   * that parses joined with the next chunks), and recovery goes on after it. About one parse of
   * the text per error, whatever the file's size.
   */
  function parseChunksAlone(src: string, chunks: ReturnType<typeof lexSql>['chunks'], wholeFileError?: PgParseError): SqlStatement[][] {
    const out: SqlStatement[][] = [];
    let k = 0;
    while (k < chunks.length) {
      const from = chunks[k].start;
      const to = chunks[chunks.length - 1].end;
      // The whole file was parsed already: its error is the first error from chunk 0 on, measured
      // from offset 0 (leading comments and white space do not move it).
      const rest: RawParse =
        k === 0 && wholeFileError && from === 0 ? { ok: false, error: wholeFileError } : k === 0 && wholeFileError ? shiftError(wholeFileError, src, from) : parseRaw(src.slice(from, to));
      if (rest.ok) {
        out.push(statementsOfChunk(src, from, to, rest.stmts));
        break;
      }
      const errAt = rest.error.cursorByte === null ? from : from + byteToUtf16Mapper(src.slice(from, to))(rest.error.cursorByte);
      let bad = k;
      while (bad + 1 < chunks.length && chunks[bad + 1].start <= errAt) bad++;
      if (bad > k) {
        const before = parseRaw(src.slice(from, chunks[bad - 1].end));
        if (before.ok) out.push(statementsOfChunk(src, from, chunks[bad - 1].end, before.stmts));
        else for (let c = k; c < bad; c++) out.push(...parseChunksAlone(src, [chunks[c]]));
      }
      const chunk = chunks[bad];
      // A body with semicolons inside (CREATE FUNCTION ... BEGIN ATOMIC ... END, CREATE RULE):
      // the chunk may only parse together with the next few.
      let merged = -1;
      if (BODY_WITH_SEMICOLONS.test(src.slice(chunk.start, chunk.end))) {
        for (let m = bad + 1; m < Math.min(chunks.length, bad + 64); m++) {
          const attempt = parseRaw(src.slice(chunk.start, chunks[m].end));
          if (attempt.ok) {
            out.push(statementsOfChunk(src, chunk.start, chunks[m].end, attempt.stmts));
            merged = m;
            break;
          }
        }
      }
      if (merged >= 0) {
        k = merged + 1;
        continue;
      }
      const at = Math.max(chunk.start, Math.min(errAt, chunk.end));
      out.push([
        {
          index: 0,
          range: lines.range(chunk.start, chunk.end),
          text: src.slice(chunk.start, chunk.end),
          node: null,
          type: 'Invalid',
          error: { message: rest.error.message, range: lines.range(at, tokenEnd(src, at, chunk.end)) },
          ignored: [],
        },
      ]);
      k = bad + 1;
    }
    return out;
  }

  function statementsOfChunk(src: string, from: number, to: number, stmts: RawStmt[]): SqlStatement[] {
    const piece = src.slice(from, to);
    const toUtf16 = byteToUtf16Mapper(piece);
    return stmts.map((s, k) => {
      const start = from + toUtf16(s.stmt_location ?? 0);
      const end = s.stmt_len ? includeSemicolon(src, from + toUtf16((s.stmt_location ?? 0) + s.stmt_len)) : to;
      return makeStatement(k, skipSpaceAndComments(src, start, lexed.comments), end, s, src, lines);
    });
  }
}

/** An error measured from offset 0, re-measured from `from` (the start of the first chunk). */
function shiftError(error: PgParseError, src: string, from: number): RawParse {
  if (error.cursorByte === null) return { ok: false, error };
  const shift = Buffer.byteLength(src.slice(0, from), 'utf8');
  return { ok: false, error: { ...error, cursorByte: Math.max(0, error.cursorByte - shift) } };
}

/** Statements whose body may hold semicolons: only these are retried joined with the next chunks. */
const BODY_WITH_SEMICOLONS = /\bBEGIN\s+ATOMIC\b|\bCREATE\s+(?:OR\s+REPLACE\s+)?RULE\b/i;

function makeStatement(index: number, start: number, end: number, s: RawStmt, text: string, lines: LineIndex): SqlStatement {
  const node = (s.stmt ?? {}) as PgNode;
  return {
    index,
    range: lines.range(start, end),
    text: text.slice(start, end),
    node,
    type: Object.keys(node)[0] ?? 'Unknown',
    ignored: [],
  };
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xfeff;
}

function skipSpaceAndComments(text: string, at: number, comments: Comment[]): number {
  let i = at;
  for (;;) {
    while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
    const c = commentAt(comments, i);
    if (!c) return i;
    i = c.end;
  }
}

function commentAt(comments: Comment[], offset: number): Comment | undefined {
  let lo = 0;
  let hi = comments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].start === offset) return comments[mid];
    if (comments[mid].start < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

function includeSemicolon(text: string, end: number): number {
  let j = end;
  while (j < text.length && isSpaceCode(text.charCodeAt(j))) j++;
  return text.charCodeAt(j) === 59 ? j + 1 : end;
}

function endOfContent(text: string, comments: Comment[]): number {
  let e = text.length;
  for (let k = comments.length - 1; k >= 0; k--) {
    let t = e;
    while (t > 0 && isSpaceCode(text.charCodeAt(t - 1))) t--;
    if (comments[k].end === t) e = comments[k].start;
    else return t;
  }
  while (e > 0 && isSpaceCode(text.charCodeAt(e - 1))) e--;
  return e;
}

/** End of the word or symbol at `at`, so an error underlines the token PostgreSQL names. */
function tokenEnd(text: string, at: number, limit: number): number {
  let j = at;
  const word = /[A-Za-z0-9_$\u0080-\uffff]/;
  if (j < limit && word.test(text[j])) {
    while (j < limit && word.test(text[j])) j++;
    return j;
  }
  if (j < limit && (text[j] === "'" || text[j] === '"')) return limit;
  return Math.min(limit, j + 1);
}

function readPrismaWarnings(comments: Comment[], lines: LineIndex): PrismaWarning[] {
  // Prisma writes: /*\n  Warnings:\n\n  - You are about to ...\n  - ...\n\n*/ at the top of the file.
  const out: PrismaWarning[] = [];
  for (const c of comments) {
    if (c.kind !== 'block' || !/^\s*Warnings:/.test(c.body)) continue;
    const bodyStart = c.start + 2;
    const re = /^[ \t]*- (.+(?:\r?\n[ \t]{3,}(?!- ).+)*)/gm;
    for (let m = re.exec(c.body); m; m = re.exec(c.body)) {
      const at = bodyStart + m.index + m[0].indexOf('- ');
      out.push({ text: m[1].replace(/\s+/g, ' ').trim(), range: lines.range(at, bodyStart + m.index + m[0].length) });
    }
  }
  return out;
}
