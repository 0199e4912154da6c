/**
 * The schema.prisma model: models, fields, enums and the relations that become foreign keys, with
 * database names (`@map`, `@@map`, `@@schema`), referential actions (explicit or Prisma's default)
 * and source ranges. One schema may be several files (a `prisma/schema/` folder): names resolve
 * across all of them. Plain data only.
 */
import { LineIndex } from '../text/line-index';
import type { SourceRange } from '../types';
import { prismaForeignKeyName } from './constraint-names';
import { defaultOnDelete, defaultOnUpdate, effectiveAction, isReferentialAction, type ReferentialAction } from './referential-actions';
import type { SchemaFile } from '../project/schema-file';
import { parseSchemaSyntax, type Argument, type Attribute, type EnumBlock, type Field, type ObjectBlock, type Span, type Value } from './syntax';

export type { ReferentialAction } from './referential-actions';

export type { SchemaFile } from '../project/schema-file';

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
  /** Columns of the scalar fields that are required (NOT NULL in the database Prisma generates). */
  requiredColumns: string[];
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
  block: ObjectBlock;
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
  let someBlockUnreadable = false;

  for (const file of files) {
    const lines = new LineIndex(file.text);
    const range = (span: Span): SourceRange => lines.range(span.start, span.end);
    const problem = (message: string, span: Span | null): void => {
      result.problems.push({ file: file.path, message, range: span ? range(span) : null });
    };
    const syntax = parseSchemaSyntax(file.text);
    for (const p of syntax.problems) problem(p.message, p.span);
    if (!syntax.complete) someBlockUnreadable = true;

    for (const block of syntax.blocks) {
      if (block.type === 'generator') continue;
      if (block.type !== 'datasource') {
        const earlier = declared.get(block.name);
        if (earlier !== undefined) problem(`\`${block.name}\` is declared twice${earlier === file.path ? '' : ` (also in ${earlier})`}.`, block.nameSpan);
        else declared.set(block.name, file.path);
      }
      switch (block.type) {
        case 'datasource': {
          if (++datasources > 1) problem('A schema can have only one datasource.', block.nameSpan);
          for (const a of block.assignments) {
            const value = a.value.type === 'scalar' ? unquote(a.value.text) : null;
            if (a.key === 'provider' && datasources === 1) result.datasourceProvider = value;
            if ((a.key === 'relationMode' || a.key === 'referentialIntegrity') && value !== null) {
              if (value === 'prisma' || value === 'foreignKeys') result.relationMode = value;
              else problem(`\`${a.key}\` must be "foreignKeys" or "prisma", not "${value}".`, a.span);
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
            table: attributeString(block.attributes, 'map') ?? block.name,
            schema: attributeString(block.attributes, 'schema') ?? DEFAULT_SCHEMA,
            file: file.path,
            range: range(block.span),
            nameRange: range(block.nameSpan),
            fields: block.fields.map((field) => readField(field, range)),
          };
          result.models.push(model);
          if (!models.has(block.name)) models.set(block.name, { model, block, lines, byName: new Map(model.fields.map((f) => [f.name, f])) });
          break;
        }
      }
    }
  }

  // Field kinds need every file's names; relations need the kinds.
  for (const { model } of models.values()) {
    for (const field of model.fields) {
      if (models.has(field.type) || views.has(field.type)) {
        field.kind = 'relation';
        field.column = null;
      } else if (enumNames.has(field.type)) field.kind = 'enum';
      else if (compositeTypes.has(field.type)) field.kind = 'composite';
      else if (typeName(field.type) === 'Unsupported') field.kind = 'unsupported';
      // With a block unreadable, an unknown type is most likely declared there: say nothing.
      else if (!SCALAR_TYPES.has(field.type) && !someBlockUnreadable) {
        result.problems.push({
          file: model.file,
          message: `Type \`${field.type}\` of \`${model.name}.${field.name}\` is neither a built-in type nor a model, enum or composite type of the schema.`,
          range: field.range,
        });
      }
    }
  }

  for (const entry of models.values()) {
    for (const field of entry.block.fields) {
      const relation = readRelation(entry, field, models, result.problems);
      if (relation) result.relations.push(relation);
    }
  }
  return result;
}

/** Finds the relation declared by `model.field`, e.g. to compare the same relation in two schemas. */
export function findRelation(schema: PrismaSchemaModel, model: string, field: string): PrismaRelation | undefined {
  return schema.relations.find((r) => r.model === model && r.field === field);
}

/** `Unsupported("tsvector")` → `Unsupported`: the type without its arguments. */
function typeName(type: string): string {
  const open = type.indexOf('(');
  return open < 0 ? type : type.slice(0, open);
}

function readField(field: Field, range: (span: Span) => SourceRange): PrismaField {
  return {
    name: field.name,
    column: attributeString(field.attributes, 'map') ?? field.name,
    type: field.type,
    kind: 'scalar',
    optional: field.optional,
    list: field.list,
    range: range(field.span),
  };
}

function readEnum(block: EnumBlock, file: string, range: (span: Span) => SourceRange): PrismaEnum {
  const values: string[] = [];
  const dbValues: string[] = [];
  for (const value of block.values) {
    values.push(value.name);
    dbValues.push(attributeString(value.attributes, 'map') ?? value.name);
  }
  // The last `@@map` / `@@schema` with a string wins.
  let dbName = block.name;
  let schema = DEFAULT_SCHEMA;
  for (const attribute of block.attributes) {
    const value = stringArgument(attribute.args, 'name', 0);
    if (attribute.name === 'map' && value !== null) dbName = value;
    if (attribute.name === 'schema' && value !== null) schema = value;
  }
  return { name: block.name, dbName, schema, values, dbValues, file, range: range(block.span) };
}

function readRelation(owner: ModelEntry, field: Field, models: ReadonlyMap<string, ModelEntry>, problems: SchemaProblem[]): PrismaRelation | null {
  const { model, lines } = owner;
  const relationAttribute = field.attributes.find((a) => a.name === 'relation');
  if (!relationAttribute) return null;
  const args = relationAttribute.args;
  const fieldsArg = keyedArgument(args, 'fields');
  const referencesArg = keyedArgument(args, 'references');
  if (!fieldsArg && !referencesArg) return null; // the other side of a relation, or a many-to-many
  const target = models.get(field.type);
  if (!target) return null; // a view (no foreign key), or an unknown type reported above
  const fieldRange = owner.byName.get(field.name)!.range;
  const toRange = (span: Span | undefined): SourceRange | null => (span ? lines.range(span.start, span.end) : null);
  const problem = (message: string, range: SourceRange | null): null => {
    problems.push({ file: model.file, message, range });
    return null;
  };
  const where = `\`${model.name}.${field.name}\``;
  if (!fieldsArg || !referencesArg) {
    return problem(`The relation ${where} needs both \`fields\` and \`references\`.`, toRange(relationAttribute.span));
  }
  const fields = nameList(fieldsArg.value);
  const references = nameList(referencesArg.value);
  if (fields.length !== references.length || fields.length === 0) {
    return problem(`The relation ${where} must have as many \`fields\` as \`references\` (${fields.length} and ${references.length}).`, toRange(relationAttribute.span));
  }
  const scalars = fields.map((name) => owner.byName.get(name));
  const missing = fields.filter((_, i) => !scalars[i] || scalars[i]!.kind === 'relation');
  if (missing.length) return problem(`\`fields\` of ${where} names no scalar field of \`${model.name}\`: ${missing.join(', ')}.`, toRange(fieldsArg.span));
  const referenced = references.map((name) => target.byName.get(name));
  const unknown = references.filter((_, i) => !referenced[i] || referenced[i]!.kind === 'relation');
  if (unknown.length) return problem(`\`references\` of ${where} names no scalar field of \`${target.model.name}\`: ${unknown.join(', ')}.`, toRange(referencesArg.span));

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
    const span = arg?.span;
    const written = arg?.value.type === 'scalar' ? arg.value.text : null;
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
    relationRange: toRange(relationAttribute.span),
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

// ---- reading attributes and their arguments ----

function keyedArgument(args: readonly Argument[], key: string): Argument | undefined {
  return args.find((arg) => arg.key === key);
}

/**
 * A string argument given as `key: "x"`, or at position `position` among the unnamed arguments
 * (where only a string literal counts).
 */
function stringArgument(args: readonly Argument[], key: string, position: number | null): string | null {
  const keyed = keyedArgument(args, key);
  if (keyed) return keyed.value.type === 'scalar' ? unquote(keyed.value.text) : null;
  if (position === null) return null;
  const positional = args.filter((a) => a.key === null)[position]?.value;
  return positional?.type === 'scalar' && positional.text.startsWith('"') ? unquote(positional.text) : null;
}

/** The string argument of the first attribute `name`: `@map("x")` (`map`) of a field or an enum value, a model's `@@map`. */
function attributeString(attributes: readonly Attribute[], name: string): string | null {
  const attribute = attributes.find((a) => a.name === name);
  return attribute ? stringArgument(attribute.args, 'name', 0) : null;
}

/** `[a, b]` (or a lone name) as field names; `id(sort: Desc)` counts as `id`. */
function nameList(value: Value): string[] {
  const items = value.type === 'array' ? value.items : [value];
  return items.flatMap((v) => {
    if (v.type === 'scalar') return [v.text];
    if (v.type === 'call') return [v.name];
    return [];
  });
}

/** A Prisma string literal's value (the scanner keeps the quotes and escapes); anything else as written. */
function unquote(literal: string): string {
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) return literal;
  return literal.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, escape: string) => {
    if (escape.length === 5) return String.fromCharCode(parseInt(escape.slice(1), 16));
    return { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' }[escape] ?? escape;
  });
}
