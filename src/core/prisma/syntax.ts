/**
 * One schema file's text to `@mrleebo/prisma-ast`'s tree, with the exact extent of every node.
 *
 * The package itself records only a few tokens per node (a field's name, an attribute's `@name`,
 * an argument's key). Its parser is built here with `nodeLocationTracking: 'full'`, so every node
 * of chevrotain's concrete syntax tree knows its full extent, and the visitor copies that extent
 * onto the object it builds as `span`: `@relation(...)` as a whole, `onDelete: Cascade` as a whole.
 * chevrotain works on the JavaScript string, so offsets are UTF-16 offsets, like ours.
 */
import type { CstNodeLocation, PrismaParser, Schema, VisitorClassFactory } from '@mrleebo/prisma-ast';
import { blankBlockComments } from './block-comments';
import { loadPrismaAst } from './load-prisma-ast';

/** UTF-16 offsets into the file's text; `end` is exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** A node of prisma-ast's tree with the extent of the syntax it came from. */
export type Spanned<T> = T & { span?: Span };

export interface SyntaxProblem {
  message: string;
  span: Span | null;
}

export type SchemaSyntax =
  /** `problems` are text the lexer skipped: the tree is usable but misses it. */
  | { ok: true; schema: Schema; problems: SyntaxProblem[] }
  | { ok: false; problems: SyntaxProblem[] };

const BLOCK_KEYWORDS = new Set(['model', 'view', 'type', 'enum', 'datasource', 'generator']);

type PrismaVisitor = InstanceType<ReturnType<typeof VisitorClassFactory>>;
type CstNodes = Parameters<PrismaVisitor['visit']>[0];
/** The parts of chevrotain's tokens used here. */
type IToken = { image: string; startOffset: number };

let tools: { parser: PrismaParser; visitor: PrismaVisitor } | null = null;

function parsingTools(): { parser: PrismaParser; visitor: PrismaVisitor } {
  if (tools) return tools;
  const { PrismaParser, VisitorClassFactory } = loadPrismaAst();
  const parser = new PrismaParser({ nodeLocationTracking: 'full' });
  const BaseVisitor = VisitorClassFactory(parser);
  class SpanningVisitor extends BaseVisitor {
    override visit(node: CstNodes, param?: unknown): unknown {
      const result: unknown = super.visit(node, param);
      const location: CstNodeLocation | undefined = (Array.isArray(node) ? node[0] : node)?.location;
      if (result && typeof result === 'object' && !Array.isArray(result) && location && Number.isFinite(location.startOffset)) {
        (result as Spanned<object>).span = { start: location.startOffset, end: (location.endOffset ?? location.startOffset) + 1 };
      }
      return result;
    }
  }
  tools = { parser, visitor: new SpanningVisitor() };
  return tools;
}

/** Parses one file. Never throws: what the parser rejects comes back as problems with a position. */
export function parseSchemaSyntax(text: string): SchemaSyntax {
  const blanked = blankBlockComments(text);
  const problems: SyntaxProblem[] = [];
  if (blanked.unterminatedAt !== null) {
    problems.push({ message: 'Unterminated block comment: `/*` without `*/`.', span: { start: blanked.unterminatedAt, end: blanked.unterminatedAt + 2 } });
  }
  let parser: PrismaParser;
  let schema: Schema;
  try {
    const tools = parsingTools();
    parser = tools.parser;
    schema = loadPrismaAst().getSchema(blanked.text, tools);
  } catch (e) {
    problems.push(parseErrorProblem(e, blanked.text));
    return { ok: false, problems };
  }
  problems.push(...skippedText(blanked.text, parser.input));
  return { ok: true, schema, problems };
}

/** chevrotain's recognition exceptions carry the offending token; at end of input it has no offset. */
function parseErrorProblem(error: unknown, text: string): SyntaxProblem {
  const e = error as { message?: string; token?: IToken; previousToken?: IToken };
  // The parser takes any `word Name {` as a block, and then fails inside it or in prisma-ast's
  // visitor (without a position): name the misspelt keyword instead.
  for (const m of text.matchAll(/^[ \t]*([A-Za-z][\w-]*)[ \t]+[A-Za-z][\w-]*[ \t]*\{/gm)) {
    if (BLOCK_KEYWORDS.has(m[1])) continue;
    const start = m.index + m[0].indexOf(m[1]);
    return { message: `Unknown block \`${m[1]}\`: expected model, view, type, enum, datasource or generator.`, span: { start, end: start + m[1].length } };
  }
  const message = (e.message ?? String(error))
    .replace(/^Expecting: one of these possible Token sequences:.*but found:/s, 'Unexpected')
    .replace(/-->\s*|\s*<--/g, '')
    .replace(/'(\r?\n)'|\bLineBreak\b/g, 'a line break')
    .replace(/found ''$|found EOF$/, 'found the end of the file')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/([^.])$/, '$1.');
  const token = e.token && Number.isFinite(e.token.startOffset) ? e.token : null;
  if (token) {
    // A line break is shown where the line ends, not as a span reaching into the next line.
    const end = /^\s+$/.test(token.image) ? token.startOffset : token.startOffset + token.image.length;
    return { message, span: { start: token.startOffset, end } };
  }
  const previous = e.previousToken && Number.isFinite(e.previousToken.startOffset) ? e.previousToken : null;
  const at = previous ? previous.startOffset + previous.image.length : text.length;
  return { message, span: { start: at, end: at } };
}

/**
 * getSchema ignores lexer errors: characters no token matches are dropped silently. Anything but
 * whitespace between two tokens is such text.
 */
function skippedText(text: string, tokens: readonly IToken[]): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  let from = 0;
  const check = (to: number): void => {
    const gap = text.slice(from, to);
    const m = /\S+/.exec(gap);
    if (m) {
      const start = from + m.index;
      problems.push({ message: `Unexpected \`${m[0].length > 20 ? `${m[0].slice(0, 20)}…` : m[0]}\`: not part of Prisma's schema language.`, span: { start, end: start + m[0].length } });
    }
  };
  for (const token of tokens) {
    check(token.startOffset);
    from = Math.max(from, token.startOffset + token.image.length);
  }
  check(text.length);
  return problems;
}
