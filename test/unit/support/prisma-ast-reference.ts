/**
 * The schema reader Preflight used before its own (`src/core/prisma/syntax.ts`): the same model
 * built from `@mrleebo/prisma-ast`'s tree (a chevrotain parser). Kept, unchanged but for names, as
 * the reference of the differential test (test/unit/prisma-schema-differential.test.ts): on every
 * real schema the new reader must build exactly this model. The package is a devDependency now.
 *
 * Known shortcomings, which are why it was replaced (besides ~40 ms to load and build the parser,
 * and ~200 ms for civitai's schema): it needs `Object.groupBy` (Node >= 21), it runs a
 * `prisma-ast.config.js` found by lilconfig, it cannot parse `/* *\/` comments (blanked first),
 * it rejects a `{` followed by spaces or a comment, it loses the whole file to one broken block,
 * and it throws on an empty model.
 */
import Module from 'node:module';
import { dirname, join } from 'node:path';
import type * as PrismaAst from '@mrleebo/prisma-ast';
import type { AttributeArgument, CstNodeLocation, Enum, Field, Func, KeyValue, Model, PrismaParser, Schema, Value, VisitorClassFactory } from '@mrleebo/prisma-ast';
import { prismaForeignKeyName } from '../../../src/core/prisma/constraint-names';
import { defaultOnDelete, defaultOnUpdate, effectiveAction, isReferentialAction, type ReferentialAction } from '../../../src/core/prisma/referential-actions';
import type { PrismaEnum, PrismaField, PrismaModel, PrismaRelation, PrismaSchemaModel, SchemaFile, SchemaProblem } from '../../../src/core/prisma/schema';
import { LineIndex } from '../../../src/core/text/line-index';
import type { SourceRange } from '../../../src/core/types';

const SCALAR_TYPES = new Set(['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes']);
const DEFAULT_SCHEMA = 'public';

/** The model found (or not) for a relation's other end, and field lookups by name. */
interface ModelEntry {
  model: PrismaModel;
  ast: Model;
  lines: LineIndex;
  byName: Map<string, PrismaField>;
}

/** Parses every file of one schema. Never throws: what cannot be read becomes a `problems` entry. */
export function parsePrismaSchemaWithPrismaAst(files: readonly SchemaFile[]): PrismaSchemaModel {
  const result: PrismaSchemaModel = {
    files: files.map((f) => f.path),
    models: [],
    enums: [],
    relations: [],
    datasourceProvider: null,
    relationMode: 'foreignKeys',
    problems: [],
  };
  const models = new Map<string, ModelEntry>();
  /** Names of views and composite types: valid field types that are neither models nor enums. */
  const views = new Set<string>();
  const compositeTypes = new Set<string>();
  const enumNames = new Set<string>();
  const declared = new Map<string, string>(); // block name -> file, for duplicates
  let datasources = 0;
  let someFileUnreadable = false;

  for (const file of files) {
    const lines = new LineIndex(file.text);
    const range = (span: Span): SourceRange => lines.range(span.start, span.end);
    const problem = (message: string, span: Span | null | undefined): void => {
      result.problems.push({ file: file.path, message, range: span ? range(span) : null });
    };
    const syntax = parseSchemaSyntax(file.text);
    for (const p of syntax.problems) problem(p.message, p.span);
    if (!syntax.ok) {
      someFileUnreadable = true;
      continue;
    }

    for (const block of syntax.schema.list) {
      if (!block || (block.type !== 'model' && block.type !== 'view' && block.type !== 'type' && block.type !== 'enum' && block.type !== 'datasource')) continue;
      const span = spanOf(block);
      if (block.type !== 'datasource') {
        const earlier = declared.get(block.name);
        if (earlier !== undefined) problem(`\`${block.name}\` is declared twice${earlier === file.path ? '' : ` (also in ${earlier})`}.`, nameSpan(block));
        else declared.set(block.name, file.path);
      }
      switch (block.type) {
        case 'datasource': {
          if (++datasources > 1) problem('A schema can have only one datasource.', nameSpan(block));
          for (const a of block.assignments) {
            if (a.type !== 'assignment') continue;
            const value = typeof a.value === 'string' ? unquote(a.value) : null;
            if (a.key === 'provider' && datasources === 1) result.datasourceProvider = value;
            if ((a.key === 'relationMode' || a.key === 'referentialIntegrity') && value !== null) {
              if (value === 'prisma' || value === 'foreignKeys') result.relationMode = value;
              else problem(`\`${a.key}\` must be "foreignKeys" or "prisma", not "${value}".`, spanOf(a));
            }
          }
          break;
        }
        case 'view':
          views.add(block.name);
          break;
        case 'type':
          compositeTypes.add(block.name);
          break;
        case 'enum': {
          enumNames.add(block.name);
          result.enums.push(readEnum(block, file.path, range));
          break;
        }
        case 'model': {
          const model: PrismaModel = {
            name: block.name,
            table: blockAttributeString(block, 'map') ?? block.name,
            schema: blockAttributeString(block, 'schema') ?? DEFAULT_SCHEMA,
            file: file.path,
            range: range(span ?? nameSpan(block) ?? { start: 0, end: 0 }),
            nameRange: range(nameSpan(block) ?? span ?? { start: 0, end: 0 }),
            fields: [],
          };
          for (const property of block.properties) {
            if (property?.type !== 'field') continue;
            model.fields.push(readField(property, file.text, range));
          }
          result.models.push(model);
          if (!models.has(block.name)) models.set(block.name, { model, ast: block, lines, byName: new Map(model.fields.map((f) => [f.name, f])) });
          break;
        }
      }
    }
  }

  // Field kinds need every file's names; relations need the kinds.
  for (const { model } of models.values()) {
    for (const field of model.fields) {
      const base = field.type.replace(/\(.*$/s, '');
      if (models.has(field.type) || views.has(field.type)) {
        field.kind = 'relation';
        field.column = null;
      } else if (enumNames.has(field.type)) field.kind = 'enum';
      else if (compositeTypes.has(field.type)) field.kind = 'composite';
      else if (base === 'Unsupported') field.kind = 'unsupported';
      // With a file unreadable, an unknown type is most likely declared there: say nothing.
      else if (!SCALAR_TYPES.has(field.type) && !someFileUnreadable) {
        result.problems.push({
          file: model.file,
          message: `Type \`${field.type}\` of \`${model.name}.${field.name}\` is neither a built-in type nor a model, enum or composite type of the schema.`,
          range: field.range,
        });
      }
    }
  }

  for (const entry of models.values()) {
    for (const property of entry.ast.properties) {
      if (property?.type !== 'field') continue;
      const relation = readRelation(entry, property, models, result.problems);
      if (relation) result.relations.push(relation);
    }
  }
  return result;
}

function readField(field: Spanned<Field>, text: string, range: (span: Span) => SourceRange): PrismaField {
  const type = typeof field.fieldType === 'string' ? field.fieldType : funcText(field.fieldType, text);
  return {
    name: field.name,
    column: fieldAttributeString(field, 'map') ?? field.name,
    type,
    kind: 'scalar',
    optional: field.optional === true,
    list: field.array === true,
    range: range(fieldSpan(field, text)),
  };
}

function readEnum(block: Spanned<Enum>, file: string, range: (span: Span) => SourceRange): PrismaEnum {
  const values: string[] = [];
  const dbValues: string[] = [];
  let dbName = block.name;
  let schema = DEFAULT_SCHEMA;
  for (const item of block.enumerators) {
    if (item?.type === 'enumerator') {
      values.push(item.name);
      const map = (item.attributes ?? []).find((a) => a.name === 'map' && !a.group);
      dbValues.push((map && stringArgument(map.args, 'name', 0)) ?? item.name);
    } else if (item?.type === 'attribute' && !item.group) {
      const value = stringArgument(item.args, 'name', 0);
      if (item.name === 'map' && value !== null) dbName = value;
      if (item.name === 'schema' && value !== null) schema = value;
    }
  }
  return { name: block.name, dbName, schema, values, dbValues, file, range: range(spanOf(block) ?? nameSpan(block) ?? { start: 0, end: 0 }) };
}

function readRelation(
  owner: ModelEntry,
  field: Spanned<Field>,
  models: ReadonlyMap<string, ModelEntry>,
  problems: SchemaProblem[],
): PrismaRelation | null {
  const { model, lines } = owner;
  const relationAttribute = (field.attributes ?? []).find((a) => a.name === 'relation' && !a.group) as Spanned<NonNullable<Field['attributes']>[number]> | undefined;
  if (!relationAttribute || typeof field.fieldType !== 'string') return null;
  const args = relationAttribute.args ?? [];
  const fieldsArg = keyedArgument(args, 'fields');
  const referencesArg = keyedArgument(args, 'references');
  if (!fieldsArg && !referencesArg) return null; // the other side of a relation, or a many-to-many
  const target = models.get(field.fieldType);
  if (!target) return null; // a view (no foreign key), or an unknown type reported above
  const fieldRange = owner.byName.get(field.name)!.range;
  const toRange = (span: Span | undefined): SourceRange | null => (span ? lines.range(span.start, span.end) : null);
  const problem = (message: string, range: SourceRange | null): null => {
    problems.push({ file: model.file, message, range });
    return null;
  };
  const where = `\`${model.name}.${field.name}\``;
  if (!fieldsArg || !referencesArg) {
    return problem(`The relation ${where} needs both \`fields\` and \`references\`.`, toRange(spanOf(relationAttribute)));
  }
  const fields = nameList(fieldsArg.value);
  const references = nameList(referencesArg.value);
  if (fields.length !== references.length || fields.length === 0) {
    return problem(`The relation ${where} must have as many \`fields\` as \`references\` (${fields.length} and ${references.length}).`, toRange(spanOf(relationAttribute)));
  }
  const scalars = fields.map((name) => owner.byName.get(name));
  const missing = fields.filter((_, i) => !scalars[i] || scalars[i]!.kind === 'relation');
  if (missing.length) return problem(`\`fields\` of ${where} names no scalar field of \`${model.name}\`: ${missing.join(', ')}.`, toRange(spanOf(fieldsArg)));
  const referenced = references.map((name) => target.byName.get(name));
  const unknown = references.filter((_, i) => !referenced[i] || referenced[i]!.kind === 'relation');
  if (unknown.length) return problem(`\`references\` of ${where} names no scalar field of \`${target.model.name}\`: ${unknown.join(', ')}.`, toRange(spanOf(referencesArg)));

  const anyScalarRequired = scalars.some((f) => !f!.optional);
  if (!field.optional && scalars.some((f) => f!.optional)) {
    problem(
      `The relation field ${where} uses the scalar fields ${fields.join(', ')}. At least one of those fields is optional. Hence the relation field must be optional as well.`,
      fieldRange,
    );
  }
  const required = anyScalarRequired || !field.optional;
  const columns = scalars.map((f) => f!.column!);
  const action = (key: 'onDelete' | 'onUpdate', fallback: ReferentialAction) => {
    const arg = keyedArgument(args, key);
    const span = arg && spanOf(arg);
    const written = arg && typeof arg.value === 'string' ? arg.value : null;
    let explicit: ReferentialAction | null = null;
    if (written !== null && isReferentialAction(written)) explicit = written;
    else if (arg) problem(`\`${key}\` of ${where} must be one of Cascade, Restrict, NoAction, SetNull, SetDefault.`, toRange(span));
    return { explicit, effective: effectiveAction(explicit, fallback), range: toRange(span) };
  };
  return {
    model: model.name,
    table: model.table,
    schema: model.schema,
    field: field.name,
    relationName: stringArgument(args, 'name', 0),
    file: model.file,
    fieldRange,
    relationRange: toRange(spanOf(relationAttribute)),
    referencedModel: target.model.name,
    referencedTable: target.model.table,
    referencedSchema: target.model.schema,
    fields,
    columns,
    references,
    referencedColumns: referenced.map((f) => f!.column!),
    constraintName: stringArgument(args, 'map', null) ?? prismaForeignKeyName(model.table, columns),
    required,
    requiredColumns: scalars.filter((f) => !f!.optional).map((f) => f!.column!),
    onDelete: action('onDelete', defaultOnDelete(required)),
    onUpdate: action('onUpdate', defaultOnUpdate()),
  };
}

// ---- reading prisma-ast's tree ----

function spanOf(node: object): Span | undefined {
  return (node as Spanned<object>).span;
}

/** The block's name: prisma-ast locates `model Name` by its two tokens, the name being the last. */
function nameSpan(block: { name: string; location?: { endOffset?: number } }): Span | undefined {
  const end = block.location?.endOffset;
  return end === undefined || !Number.isFinite(end) ? undefined : { start: end + 1 - block.name.length, end: end + 1 };
}

/** The field's syntax node ends with its trailing comment, if any; the field itself ends with its type or last attribute. */
function fieldSpan(field: Spanned<Field>, text: string): Span {
  const span = field.span ?? { start: field.location?.startOffset ?? 0, end: (field.location?.endOffset ?? 0) + 1 };
  let end = span.end;
  if (field.comment) {
    end -= field.comment.length;
    while (end > span.start && /\s/.test(text[end - 1])) end--;
  }
  return { start: span.start, end };
}

function funcText(func: Spanned<Func>, text: string): string {
  return func.span ? text.slice(func.span.start, func.span.end) : `${func.name}(${(func.params ?? []).map(String).join(', ')})`;
}

function isKeyValue(value: AttributeArgument['value']): value is Spanned<KeyValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.type === 'keyValue';
}

function keyedArgument(args: readonly AttributeArgument[], key: string): Spanned<KeyValue> | undefined {
  for (const arg of args) if (isKeyValue(arg.value) && arg.value.key === key) return arg.value;
  return undefined;
}

/** A string argument given as `key: "x"`, or at position `position` among the unnamed arguments. */
function stringArgument(args: readonly AttributeArgument[] | undefined, key: string, position: number | null): string | null {
  if (!args) return null;
  const keyed = keyedArgument(args, key);
  if (keyed) return typeof keyed.value === 'string' ? unquote(keyed.value) : null;
  if (position === null) return null;
  const positional = args.filter((a) => !isKeyValue(a.value))[position]?.value;
  return typeof positional === 'string' && positional.startsWith('"') ? unquote(positional) : null;
}

function fieldAttributeString(field: Field, name: string): string | null {
  const attribute = (field.attributes ?? []).find((a) => a.name === name && !a.group);
  return attribute ? stringArgument(attribute.args, 'name', 0) : null;
}

function blockAttributeString(block: Model, name: string): string | null {
  for (const p of block.properties) {
    if (p?.type === 'attribute' && p.kind === 'object' && p.name === name && !p.group) return stringArgument(p.args, 'name', 0);
  }
  return null;
}

/** `[a, b]` (or a lone name) as field names; `id(sort: Desc)` counts as `id`. */
function nameList(value: Value): string[] {
  const items = typeof value === 'object' && value !== null && !Array.isArray(value) && value.type === 'array' ? value.args : [value];
  return items.flatMap((v) => {
    if (typeof v === 'string') return [v];
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && v.type === 'function') return [v.name];
    return [];
  });
}

/** A Prisma string literal's value (the lexer keeps the quotes and escapes). */
function unquote(literal: string): string {
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) return literal;
  return literal.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, escape: string) => {
    if (escape.length === 5) return String.fromCharCode(parseInt(escape.slice(1), 16));
    return { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' }[escape] ?? escape;
  });
}

// ---- one file to prisma-ast's tree (was syntax.ts) ----

/** UTF-16 offsets into the file's text; `end` is exclusive. */
interface Span {
  start: number;
  end: number;
}

/** A node of prisma-ast's tree with the extent of the syntax it came from. */
type Spanned<T> = T & { span?: Span };

interface SyntaxProblem {
  message: string;
  span: Span | null;
}

type SchemaSyntax =
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
function parseSchemaSyntax(text: string): SchemaSyntax {
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

// ---- loading the package (was load-prisma-ast.ts) ----

type PrismaAstModule = typeof PrismaAst;

let loaded: PrismaAstModule | null = null;

function loadPrismaAst(): PrismaAstModule {
  if (loaded) return loaded;
  addObjectGroupBy();
  try {
    loaded = require('@mrleebo/prisma-ast') as PrismaAstModule;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw e;
    preloadChevrotainBundle();
    loaded = require('@mrleebo/prisma-ast') as PrismaAstModule;
  }
  return loaded;
}

function addObjectGroupBy(): void {
  const object = Object as unknown as { groupBy?: unknown };
  if (typeof object.groupBy === 'function') return;
  Object.defineProperty(Object, 'groupBy', {
    configurable: true,
    writable: true,
    value: <T, K extends PropertyKey>(items: Iterable<T>, keyOf: (item: T, index: number) => K): Partial<Record<K, T[]>> => {
      const groups = Object.create(null) as Partial<Record<K, T[]>>;
      let index = 0;
      for (const item of items) (groups[keyOf(item, index++)] ??= []).push(item);
      return groups;
    },
  });
}

/** Puts chevrotain's single-file build (`lib/chevrotain.mjs`, no imports) where `require('chevrotain')` finds it. */
function preloadChevrotainBundle(): void {
  const requireFromHere = Module.createRequire(__filename);
  const requireFromPrismaAst = Module.createRequire(requireFromHere.resolve('@mrleebo/prisma-ast'));
  const entry = requireFromPrismaAst.resolve('chevrotain');
  const bundle: unknown = requireFromPrismaAst(join(dirname(entry), '..', 'chevrotain.mjs'));
  const cached = new Module(entry);
  cached.filename = entry;
  cached.loaded = true;
  cached.exports = bundle;
  requireFromHere.cache[entry] = cached;
}

// ---- /* */ comments blanked before parsing (was block-comments.ts) ----

export interface BlankedText {
  text: string;
  /** Offset of a `/*` that is never closed (blanked to the end of the text), else null. */
  unterminatedAt: number | null;
}

export function blankBlockComments(text: string): BlankedText {
  if (!text.includes('/*')) return { text, unterminatedAt: null };
  let out = '';
  let copiedUpTo = 0;
  let unterminatedAt: number | null = null;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i = endOfString(text, i);
    } else if (ch === '/' && text[i + 1] === '/') {
      i = endOfLine(text, i);
    } else if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close === -1 ? text.length : close + 2;
      if (close === -1) unterminatedAt = i;
      out += text.slice(copiedUpTo, i) + text.slice(i, end).replace(/[^\r\n]/g, ' ');
      copiedUpTo = end;
      i = end;
    } else {
      i++;
    }
  }
  return { text: out + text.slice(copiedUpTo), unterminatedAt };
}

/** Index just past the string literal opening at `start` (strings end at a line break, as Prisma's do). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else if (ch === '\n' || ch === '\r') return i;
    else i++;
  }
  return text.length;
}

function endOfLine(text: string, start: number): number {
  let i = start;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}
