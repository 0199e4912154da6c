/** Names of database objects: canonical keys (`schema.name`) and quoting as PostgreSQL needs it. */
import type { PgNode } from './ast';
import { strings } from './ast';

export const DEFAULT_SCHEMA = 'public';

export interface QualifiedName {
  schema: string;
  name: string;
  /** Whether the source text qualified the name with its schema. */
  qualified: boolean;
}

/** `RangeVar` → its qualified name (unqualified names resolve to `public`, Prisma's search_path). */
export function rangeVarName(rv: PgNode | undefined): QualifiedName {
  return {
    schema: rv?.schemaname ?? DEFAULT_SCHEMA,
    name: rv?.relname ?? '',
    qualified: rv?.schemaname !== undefined,
  };
}

/** `["public", "x"]` or `["x"]` → qualified name. */
export function listName(list: unknown): QualifiedName {
  const parts = strings(list);
  if (parts.length >= 2) return { schema: parts[parts.length - 2], name: parts[parts.length - 1], qualified: true };
  return { schema: DEFAULT_SCHEMA, name: parts[0] ?? '', qualified: false };
}

export function keyOf(n: { schema: string; name: string }): string {
  return `${n.schema}.${n.name}`;
}

const PLAIN_IDENT = /^[a-z_][a-z0-9_$]*$/;
const RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with'.split(' '),
);

/** Quotes an identifier when PostgreSQL needs it (always when it has capitals, as Prisma's names do). */
export function quoteIdent(name: string): string {
  if (PLAIN_IDENT.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** Always-quoted form, as Prisma writes identifiers. */
export function quoteAlways(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `public.Product` → `"Product"`; `audit.Log` → `"audit"."Log"`. */
export function displayTable(key: string): string {
  const dot = key.indexOf('.');
  const schema = key.slice(0, dot);
  const name = key.slice(dot + 1);
  return schema === DEFAULT_SCHEMA ? quoteAlways(name) : `${quoteAlways(schema)}.${quoteAlways(name)}`;
}

export function splitKey(key: string): { schema: string; name: string } {
  const dot = key.indexOf('.');
  return { schema: key.slice(0, dot), name: key.slice(dot + 1) };
}

/** A SQL string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
