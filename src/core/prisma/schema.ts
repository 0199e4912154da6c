/**
 * The schema.prisma model: models, fields, enums and the relations that become foreign keys, with
 * database names (`@map`, `@@map`, `@@schema`), referential actions (explicit or Prisma's default)
 * and source ranges. One schema may be several files (a `prisma/schema/` folder): names resolve
 * across all of them. Plain data only.
 */
import { LineIndex } from '../text/line-index';
import type { SourceRange } from '../types';
import type { AttributeArgument, Enum, Field, Func, KeyValue, Model, Value } from '@mrleebo/prisma-ast';
import { prismaForeignKeyName } from './constraint-names';
import { defaultOnDelete, defaultOnUpdate, effectiveAction, isReferentialAction, type ReferentialAction } from './referential-actions';
import { parseSchemaSyntax, type Span, type Spanned } from './syntax';

export type { ReferentialAction } from './referential-actions';

export interface SchemaFile {
  path: string;
  text: string;
}

export type PrismaFieldKind = 'scalar' | 'enum' | 'relation' | 'composite' | 'unsupported';

export interface PrismaField {
  name: string;
  /** The database column (`@map`, else the field name); null for a relation field, which has none. */
  column: string | null;
  /** The type as written, without `?` or `[]`: `String`, `User`, `Unsupported("tsvector")`. */
  type: string;
  kind: PrismaFieldKind;
  optional: boolean;
  list: boolean;
  /** From the field's name to the end of its last attribute (a trailing comment left out). */
  range: SourceRange;
}

export interface PrismaModel {
  name: string;
  /** The table: `@@map`, else the model name. */
  table: string;
  /** `@@schema`, else `public`. */
  schema: string;
  file: string;
  /** The whole `model X { ... }` block. */
  range: SourceRange;
  nameRange: SourceRange;
  fields: PrismaField[];
}

export interface PrismaEnum {
  name: string;
  /** The PostgreSQL type name: `@@map`, else the enum name. */
  dbName: string;
  schema: string;
  /** The values as Prisma names them. */
  values: string[];
  /** The values as stored in PostgreSQL (`@map`), in the same order. */
  dbValues: string[];
  file: string;
  range: SourceRange;
}

export interface ReferentialActionSetting {
  /** As written in `@relation(...)`, or null when not written. */
  explicit: ReferentialAction | null;
  /** What Prisma puts in the foreign key: the explicit action, else Prisma's default. */
  effective: ReferentialAction;
  /** The `onDelete: X` (or `onUpdate: X`) argument, when written. */
  range: SourceRange | null;
}

/** A relation whose side holds `fields:` / `references:`: the foreign key Prisma creates. */
export interface PrismaRelation {
  model: string;
  table: string;
  schema: string;
  /** The relation field, e.g. `author` in `author User @relation(...)`. */
  field: string;
  /** The relation's name (`@relation("Name")` or `name:`), when given. */
  relationName: string | null;
  file: string;
  fieldRange: SourceRange;
  /** The whole `@relation(...)` attribute. */
  relationRange: SourceRange | null;
  referencedModel: string;
  referencedTable: string;
  referencedSchema: string;
  /** Scalar fields (`fields:`) and their columns. */
  fields: string[];
  columns: string[];
  /** Referenced fields (`references:`) and their columns. */
  references: string[];
  referencedColumns: string[];
  /** `map:`, else Prisma's default name (see prismaForeignKeyName). */
  constraintName: string;
  /**
   * Prisma's referential arity: true when any scalar field in `fields` is required, else when the
   * relation field itself is (which Prisma rejects). Decides the default onDelete.
   */
  required: boolean;
  onDelete: ReferentialActionSetting;
  onUpdate: ReferentialActionSetting;
}

export interface SchemaProblem {
  file: string;
  message: string;
  range: SourceRange | null;
}

export interface PrismaSchemaModel {
  files: string[];
  models: PrismaModel[];
  enums: PrismaEnum[];
  relations: PrismaRelation[];
  /** The datasource's `provider`, e.g. `postgresql`; null without a datasource. */
  datasourceProvider: string | null;
  /**
   * `relationMode` (or the older `referentialIntegrity`): with `prisma`, Prisma emulates relations
   * and creates no foreign keys at all; `relations` still lists what the schema declares.
   */
  relationMode: 'foreignKeys' | 'prisma';
  /** Files that do not parse, and what Prisma would reject; the rest of the schema is still read. */
  problems: SchemaProblem[];
}

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
export function parsePrismaSchema(files: readonly SchemaFile[]): PrismaSchemaModel {
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

/** Finds the relation declared by `model.field`, e.g. to compare the same relation in two schemas. */
export function findRelation(schema: PrismaSchemaModel, model: string, field: string): PrismaRelation | undefined {
  return schema.relations.find((r) => r.model === model && r.field === field);
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
