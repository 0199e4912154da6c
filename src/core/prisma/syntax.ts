/**
 * One schema file's text to its blocks: a recursive-descent parser over the scanner's tokens, with
 * the exact extent (`span`) of every node that gets a range.
 *
 * The grammar is Prisma's (prisma-engines' `datamodel.pest`), the parts of it a schema uses:
 *
 *   schema     = (block | line break)*
 *   block      = ("model" | "view" | "type") name "{" EOL (field | blockAttr)* "}"
 *              | "enum" name "{" EOL (enumValue | blockAttr)* "}"
 *              | ("datasource" | "generator") name "{" EOL (name "=" value EOL)* "}"
 *   field      = name type ("[" "]" | "?")? attribute* EOL
 *   type       = name | name arguments                 -- `Unsupported("tsvector")`
 *   enumValue  = name attribute* EOL
 *   blockAttr  = "@@" path arguments? EOL
 *   attribute  = "@" path arguments?                   -- path: `map`, `db.VarChar`
 *   arguments  = "(" (argument ("," argument)* ","?)? ")"
 *   argument   = name ":" value | value
 *   value      = string | number | path | path arguments | "[" (value ("," value)* ","?)? "]"
 *
 * EOL is a line break (a trailing comment is skipped by the scanner): one item per line, and an
 * attribute's arguments on the line of the attribute, as Prisma wants them.
 *
 * A syntax error drops the block it is in, not the file: it is reported, the parser skips to the
 * line that closes the block (`}` first on its line) or to the next line that opens one, and reads
 * on; text outside any block is one problem, skipped up to the next line that opens a block. A
 * block read in part could say a column is gone when it is not; left out, its names are unknown,
 * and `complete` tells the caller not to report types it cannot find.
 */
import { describeToken, Scanner, shorten, type Span, type SyntaxProblem, type Token, type TokenKind } from './scanner';

export type { Span, SyntaxProblem } from './scanner';

export interface SchemaSyntax {
  blocks: Block[];
  /** Syntax errors, and characters that are no part of the language; sorted by position. */
  problems: SyntaxProblem[];
  /** False when a block (or a line outside any block) was left out for a syntax error. */
  complete: boolean;
}

export type Block = ObjectBlock | EnumBlock | ConfigBlock;

interface BlockBase {
  name: string;
  nameSpan: Span;
  /** From the keyword to the closing `}`. */
  span: Span;
}

/** A model, a view or a composite type. */
export interface ObjectBlock extends BlockBase {
  type: 'model' | 'view' | 'type';
  fields: Field[];
  /** `@@map(...)`, `@@schema(...)`, `@@id(...)`, ... in order. */
  attributes: Attribute[];
}

export interface EnumBlock extends BlockBase {
  type: 'enum';
  values: EnumValue[];
  attributes: Attribute[];
}

export interface ConfigBlock extends BlockBase {
  type: 'datasource' | 'generator';
  assignments: Assignment[];
}

export interface Field {
  name: string;
  /** As written, without `?` or `[]`: `String`, `Unsupported("tsvector")`. */
  type: string;
  optional: boolean;
  list: boolean;
  attributes: Attribute[];
  /** From the name to the end of the type, `?`, `[]` or last attribute. */
  span: Span;
}

export interface EnumValue {
  name: string;
  attributes: Attribute[];
  span: Span;
}

export interface Attribute {
  /** With its namespace, if any: `map`, `db.VarChar`. */
  name: string;
  /** Empty without parentheses. */
  args: Argument[];
  /** From `@` (or `@@`) to the closing parenthesis, else the name's end. */
  span: Span;
}

export interface Assignment {
  key: string;
  value: Value;
  span: Span;
}

/** `onDelete: Cascade` (key `onDelete`) or a positional `"name"` (key null). */
export interface Argument {
  key: string | null;
  value: Value;
  span: Span;
}

export type Value = Scalar | ArrayValue | Call;

/** A string (quotes and escapes as written), a number, or a name such as `Cascade` or `true`. */
export interface Scalar {
  type: 'scalar';
  text: string;
  span: Span;
}

export interface ArrayValue {
  type: 'array';
  items: Value[];
  span: Span;
}

/** `now()`, `dbgenerated("...")`, `id(sort: Desc)`. */
export interface Call {
  type: 'call';
  name: string;
  args: Argument[];
  span: Span;
}

const BLOCK_KEYWORDS = new Set(['model', 'view', 'type', 'enum', 'datasource', 'generator']);
const BLOCK_KEYWORD_LIST = 'model, view, type, enum, datasource or generator';
/** Arrays and calls nested deeper than this are an error, so the recursion stays far from the stack's limit. */
const MAX_NESTING = 64;
/** Problems listed per file; a file with more is hardly a schema, and a million of them help no one. */
const MAX_PROBLEMS = 100;

/** Parses one file. Never throws: what does not parse comes back as problems with a position. */
export function parseSchemaSyntax(text: string): SchemaSyntax {
  return new Parser(text).parseSchema();
}

/** Thrown where the grammar is not followed; caught per block (see `parseSchema`). */
class SyntaxFailure {
  constructor(readonly problem: SyntaxProblem) {}
}

class Parser {
  private readonly scanner: Scanner;
  /** The next token, not taken yet. */
  private token: Token;
  /** Tokens after `token`, scanned ahead by `peek`. */
  private readonly ahead: Token[] = [];
  private readonly blocks: Block[] = [];
  private readonly problems: SyntaxProblem[] = [];
  private unlisted: { count: number; first: Span } | null = null;
  private somethingLeftOut = false;

  constructor(text: string) {
    this.scanner = new Scanner(text, (problem) => this.report(problem));
    this.token = this.scanner.next();
  }

  parseSchema(): SchemaSyntax {
    for (;;) {
      const start = this.skipLineBreaks();
      if (start.kind === 'eof') break;
      try {
        const block = this.parseTopLevelItem();
        if (block) this.blocks.push(block);
      } catch (e) {
        if (!(e instanceof SyntaxFailure)) throw e;
        this.report(e.problem);
        this.somethingLeftOut = true;
        this.skipBrokenBlock(start);
      }
    }
    const problems = this.problems.sort((a, b) => a.span.start - b.span.start);
    if (this.unlisted) problems.push({ message: `${this.unlisted.count} more syntax problems in this file are not listed.`, span: this.unlisted.first });
    return { blocks: this.blocks, problems, complete: !this.somethingLeftOut };
  }

  private report(problem: SyntaxProblem): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(problem);
    else if (this.unlisted) this.unlisted.count++;
    else this.unlisted = { count: 1, first: problem.span };
  }

  /** A block; null after text that opens none, reported once and skipped up to the next line that opens one. */
  private parseTopLevelItem(): Block | null {
    const first = this.token;
    if (first.kind === 'name' && BLOCK_KEYWORDS.has(this.textOf(first))) return this.parseBlock();
    if (first.kind === 'name' && this.peek(1).kind === 'name' && this.peek(2).kind === '{') {
      // Its body is skipped as a broken block's.
      const word = shorten(this.textOf(first));
      throw new SyntaxFailure({ message: `Unknown block \`${word}\`: expected ${BLOCK_KEYWORD_LIST}.`, span: spanOf(first) });
    }
    this.report(this.unexpected(`a block (${BLOCK_KEYWORD_LIST})`).problem);
    this.somethingLeftOut = true;
    do this.next();
    while (!this.at('eof') && !this.opensBlock(this.token));
    return null;
  }

  private parseBlock(): Block {
    const keyword = this.next();
    const type = this.textOf(keyword);
    if (!this.at('name')) throw this.unexpected(`a name after \`${type}\``);
    const name = this.next();
    this.expect('{', "'{'");
    this.expectEndOfLine("a line break after '{'");
    const head = { name: this.textOf(name), nameSpan: spanOf(name), span: spanOf(keyword) };
    switch (type) {
      case 'enum': {
        const block: EnumBlock = { type, ...head, values: [], attributes: [] };
        block.span.end = this.parseItems(() => {
          if (this.at('@@')) block.attributes.push(this.parseAttribute());
          else if (this.at('name')) block.values.push(this.parseEnumValue());
          else throw this.unexpected("an enum value, a block attribute ('@@') or '}'");
        });
        return block;
      }
      case 'datasource':
      case 'generator': {
        const block: ConfigBlock = { type, ...head, assignments: [] };
        block.span.end = this.parseItems(() => {
          if (this.at('name')) block.assignments.push(this.parseAssignment());
          else throw this.unexpected("a setting (name = value) or '}'");
        });
        return block;
      }
      default: {
        const block: ObjectBlock = { type: type as ObjectBlock['type'], ...head, fields: [], attributes: [] };
        block.span.end = this.parseItems(() => {
          if (this.at('@@')) block.attributes.push(this.parseAttribute());
          else if (this.at('name')) block.fields.push(this.parseField());
          else throw this.unexpected("a field, a block attribute ('@@') or '}'");
        });
        return block;
      }
    }
  }

  /** The lines of a block up to its `}`, each read by `parseItem` and ended by a line break. Returns the end of `}`. */
  private parseItems(parseItem: () => void): number {
    for (;;) {
      const token = this.skipLineBreaks();
      if (token.kind === '}') return this.next().end;
      // A line that opens a block: this one was never closed.
      if (token.kind === 'eof' || this.opensBlock(token)) throw this.unexpected("'}'");
      parseItem();
      this.expectEndOfLine('a line break');
    }
  }

  private parseField(): Field {
    const name = this.next();
    if (!this.at('name')) throw this.unexpected(`the type of \`${shorten(this.textOf(name))}\``);
    const typeName = this.next();
    let end = typeName.end;
    if (this.at('(')) end = this.parseArguments(0).end; // Unsupported("...")
    const type = this.scanner.text.slice(typeName.start, end);
    let list = false;
    let optional = false;
    if (this.at('[')) {
      this.next();
      end = this.expect(']', "']'").end;
      list = true;
      if (this.at('?')) {
        const written = shorten(type);
        throw new SyntaxFailure({ message: `Optional lists are not supported: \`${written}[]\` or \`${written}?\`.`, span: spanOf(this.token) });
      }
    } else if (this.at('?')) {
      end = this.next().end;
      optional = true;
    }
    const attributes: Attribute[] = [];
    while (this.at('@')) {
      const attribute = this.parseAttribute();
      attributes.push(attribute);
      end = attribute.span.end;
    }
    return { name: this.textOf(name), type, optional, list, attributes, span: { start: name.start, end } };
  }

  private parseEnumValue(): EnumValue {
    const name = this.next();
    const attributes: Attribute[] = [];
    let end = name.end;
    while (this.at('@')) {
      const attribute = this.parseAttribute();
      attributes.push(attribute);
      end = attribute.span.end;
    }
    return { name: this.textOf(name), attributes, span: { start: name.start, end } };
  }

  private parseAssignment(): Assignment {
    const key = this.next();
    this.expect('=', "'='");
    const value = this.parseValue(0);
    return { key: this.textOf(key), value, span: { start: key.start, end: value.span.end } };
  }

  /** `@name`, `@@name` or `@db.Name`, with its arguments if any. */
  private parseAttribute(): Attribute {
    const at = this.next();
    if (!this.at('name')) throw this.unexpected(`an attribute name after '${this.textOf(at)}'`);
    const path = this.parsePath();
    if (!this.at('(')) return { name: path.text, args: [], span: { start: at.start, end: path.end } };
    const args = this.parseArguments(0);
    return { name: path.text, args: args.args, span: { start: at.start, end: args.end } };
  }

  /** `name` or `name.name...` (the next token is a name): its text and where it ends. */
  private parsePath(): { text: string; start: number; end: number } {
    const first = this.next();
    let end = first.end;
    while (this.at('.') && this.peek(1).kind === 'name') {
      this.next();
      end = this.next().end;
    }
    return { text: this.scanner.text.slice(first.start, end), start: first.start, end };
  }

  /** `( ... )` of an attribute or a call. Returns the arguments and the end of `)`. */
  private parseArguments(depth: number): { args: Argument[]; end: number } {
    this.next(); // (
    const args: Argument[] = [];
    for (;;) {
      if (this.at(')')) return { args, end: this.next().end };
      if (!this.startsValue(this.token)) throw this.unexpected("')'");
      args.push(this.parseArgument(depth));
      if (this.at(',')) this.next();
      else if (!this.at(')')) throw this.unexpected("',' or ')'");
    }
  }

  private parseArgument(depth: number): Argument {
    const first = this.token;
    if (first.kind === 'name' && this.peek(1).kind === ':') {
      this.next();
      this.next();
      const value = this.parseValue(depth);
      return { key: this.textOf(first), value, span: { start: first.start, end: value.span.end } };
    }
    const value = this.parseValue(depth);
    return { key: null, value, span: value.span };
  }

  private parseValue(depth: number): Value {
    const token = this.token;
    if (depth >= MAX_NESTING) throw new SyntaxFailure({ message: `Nested more than ${MAX_NESTING} levels deep.`, span: spanOf(token) });
    if (token.kind === 'string' || token.kind === 'number') {
      this.next();
      return { type: 'scalar', text: this.textOf(token), span: spanOf(token) };
    }
    if (token.kind === '[') return this.parseArray(depth + 1);
    if (token.kind !== 'name') throw this.unexpected('a value');
    const path = this.parsePath();
    if (!this.at('(')) return { type: 'scalar', text: path.text, span: { start: path.start, end: path.end } };
    const args = this.parseArguments(depth + 1);
    return { type: 'call', name: path.text, args: args.args, span: { start: path.start, end: args.end } };
  }

  private parseArray(depth: number): ArrayValue {
    const open = this.next();
    const items: Value[] = [];
    for (;;) {
      if (this.at(']')) return { type: 'array', items, span: { start: open.start, end: this.next().end } };
      if (!this.startsValue(this.token)) throw this.unexpected("']'");
      items.push(this.parseValue(depth));
      if (this.at(',')) this.next();
      else if (!this.at(']')) throw this.unexpected("',' or ']'");
    }
  }

  // ---- tokens ----

  /** The token `k` places after the next one (`token`). */
  private peek(k: number): Token {
    while (this.ahead.length < k) this.ahead.push(this.scanner.next());
    return this.ahead[k - 1];
  }

  private at(kind: TokenKind): boolean {
    return this.token.kind === kind;
  }

  /** Takes the next token. */
  private next(): Token {
    const taken = this.token;
    this.token = this.ahead.length > 0 ? this.ahead.shift()! : this.scanner.next();
    return taken;
  }

  private textOf(token: Token): string {
    return this.scanner.textOf(token);
  }

  private expect(kind: TokenKind, expected: string): Token {
    if (this.token.kind !== kind) throw this.unexpected(expected);
    return this.next();
  }

  /** A line break ends every item; the end of the file is left for the block to report. */
  private expectEndOfLine(expected: string): void {
    const token = this.token;
    if (token.kind === 'newline') this.next();
    else if (token.kind !== 'eof') throw this.unexpected(expected);
  }

  private skipLineBreaks(): Token {
    while (this.at('newline')) this.next();
    return this.token;
  }

  private startsValue(token: Token): boolean {
    return token.kind === 'string' || token.kind === 'number' || token.kind === 'name' || token.kind === '[';
  }

  /** `model Name {` (any block keyword) at the start of a line. */
  private opensBlock(token: Token): boolean {
    return token.firstOnLine && token.kind === 'name' && BLOCK_KEYWORDS.has(this.textOf(token)) && this.peek(1).kind === 'name' && this.peek(2).kind === '{';
  }

  /** The failure at the next token: "Expecting X but found Y." */
  private unexpected(expected: string): SyntaxFailure {
    const token = this.token;
    if (token.kind === 'unterminated-string') {
      return new SyntaxFailure({ message: 'Unterminated string: no closing `"` on its line.', span: spanOf(token) });
    }
    // A line break is shown where its line ends, not as a range reaching into the next line.
    const span = token.kind === 'newline' ? { start: token.start, end: token.start } : spanOf(token);
    return new SyntaxFailure({ message: `Expecting ${expected} but found ${describeToken(this.scanner, token)}.`, span });
  }

  /**
   * After a syntax error in the block that starts at `start`: on to the line that closes it (a `}`
   * first on its line, taken) or to the next line that opens a block (not taken). At least one
   * token is taken, so the schema loop always moves on.
   */
  private skipBrokenBlock(start: Token): void {
    if (this.token === start) this.next();
    for (;;) {
      const token = this.token;
      if (token.kind === 'eof') return;
      if (token.firstOnLine && token.kind === '}') {
        this.next();
        return;
      }
      if (this.opensBlock(token)) return;
      this.next();
    }
  }
}

function spanOf(token: Token): Span {
  return { start: token.start, end: token.end };
}
