/** Column types: from libpg-query's `TypeName` to PostgreSQL's own spelling (`format_type`). */
import type { PgNode } from './ast';
import { intConst, strings } from './ast';
import { DEFAULT_SCHEMA, quoteIdent } from './names';

export interface ColumnType {
  /** As `format_type()` prints it, e.g. `character varying(255)`, `timestamp(3) without time zone`, `"Role"[]`. */
  display: string;
  /** Canonical base type name: `varchar`, `numeric`, `int4`, ... or `schema.Name` for user types. */
  base: string;
  /** Type modifiers: varchar length, numeric precision and scale, timestamp precision. */
  mods: number[];
  array: boolean;
  /** User-defined (enum, domain, composite). */
  user: boolean;
  /** `serial`, `bigserial`, `smallserial` — implies a sequence default and NOT NULL. */
  serial: boolean;
}

const ALIASES: Record<string, string> = {
  int: 'int4', integer: 'int4', int4: 'int4', serial: 'int4', serial4: 'int4',
  bigint: 'int8', int8: 'int8', bigserial: 'int8', serial8: 'int8',
  smallint: 'int2', int2: 'int2', smallserial: 'int2', serial2: 'int2',
  bool: 'bool', boolean: 'bool',
  varchar: 'varchar', 'character varying': 'varchar',
  bpchar: 'bpchar', char: 'bpchar', character: 'bpchar',
  numeric: 'numeric', decimal: 'numeric',
  float8: 'float8', 'double precision': 'float8', float4: 'float4', real: 'float4',
  timestamp: 'timestamp', timestamptz: 'timestamptz', time: 'time', timetz: 'timetz',
  text: 'text', date: 'date', interval: 'interval', jsonb: 'jsonb', json: 'json', uuid: 'uuid',
  bytea: 'bytea', inet: 'inet', cidr: 'cidr', citext: 'citext', money: 'money', xml: 'xml',
  tsvector: 'tsvector', bit: 'bit', varbit: 'varbit', oid: 'oid',
};

const DISPLAY: Record<string, string> = {
  int4: 'integer', int8: 'bigint', int2: 'smallint', bool: 'boolean', varchar: 'character varying',
  bpchar: 'character', float8: 'double precision', float4: 'real', varbit: 'bit varying',
  timestamp: 'timestamp without time zone', timestamptz: 'timestamp with time zone',
  time: 'time without time zone', timetz: 'time with time zone',
};

const BUILTIN_SCHEMAS = new Set(['pg_catalog']);

export function columnTypeOf(typeName: PgNode | undefined): ColumnType {
  const names = strings(typeName?.names);
  const mods = (Array.isArray(typeName?.typmods) ? typeName!.typmods : []).map((m: PgNode) => intConst(m) ?? -1);
  const array = Array.isArray(typeName?.arrayBounds) && typeName!.arrayBounds.length > 0;
  const last = names[names.length - 1] ?? 'unknown';
  const schema = names.length > 1 ? names[names.length - 2] : null;
  const lower = last.toLowerCase();
  const builtin = (schema === null || BUILTIN_SCHEMAS.has(schema)) && ALIASES[lower] !== undefined;
  const serial = builtin && /serial/.test(lower);
  if (!builtin) {
    // Extension types like citext resolve without a schema too; treat unknown unqualified names
    // as user types in public (enums), as Prisma creates them.
    const base = `${schema ?? DEFAULT_SCHEMA}.${last}`;
    const shown = schema && schema !== DEFAULT_SCHEMA ? `${quoteIdent(schema)}.${quoteIdent(last)}` : quoteIdent(last);
    return { display: shown + (array ? '[]' : ''), base, mods, array, user: true, serial: false };
  }
  const base = ALIASES[lower];
  return { display: displayOf(base, mods) + (array ? '[]' : ''), base, mods, array, user: false, serial };
}

function displayOf(base: string, mods: number[]): string {
  const name = DISPLAY[base] ?? base;
  if (base === 'timestamp' || base === 'timestamptz' || base === 'time' || base === 'timetz') {
    const [head, ...zone] = name.split(' ');
    return mods.length ? `${head}(${mods[0]}) ${zone.join(' ')}` : name;
  }
  if (base === 'bpchar' && mods.length === 0) return 'character(1)';
  return mods.length ? `${name}(${mods.join(',')})` : name;
}

export type TypeChange = 'same' | 'binary-coercible' | 'rewrite';

/**
 * Whether changing a column from `from` to `to` rewrites the table (PostgreSQL skips the rewrite
 * for binary-coercible changes that cannot invalidate data: varchar(n) → varchar(m ≥ n) or text,
 * numeric precision raised at the same scale, timestamp precision raised, text ↔ citext, ...).
 * Checked against PostgreSQL 18 (relfilenode before and after): `character(n)` → text/varchar
 * rewrites (the cast strips trailing blanks), and so does any change of an array type.
 */
export function typeChangeKind(from: ColumnType, to: ColumnType): TypeChange {
  if (from.display === to.display) return 'same';
  if (from.array || to.array) return 'rewrite';
  const f = from.base;
  const t = to.base;
  if (f === 'varchar' && t === 'varchar') return to.mods.length === 0 || (from.mods.length > 0 && to.mods[0] >= from.mods[0]) ? 'binary-coercible' : 'rewrite';
  if (f === 'varchar' && (t === 'text' || t === 'citext')) return 'binary-coercible';
  if ((f === 'text' || f === 'citext') && (t === 'varchar' || t === 'text' || t === 'citext')) return t !== 'varchar' || to.mods.length === 0 ? 'binary-coercible' : 'rewrite';
  if (f === 'numeric' && t === 'numeric') {
    if (to.mods.length === 0) return 'binary-coercible';
    if (from.mods.length === 0) return 'rewrite';
    const [fp, fs = 0] = from.mods;
    const [tp, ts = 0] = to.mods;
    return ts === fs && tp >= fp ? 'binary-coercible' : 'rewrite';
  }
  if ((f === 'timestamp' || f === 'timestamptz' || f === 'time' || f === 'timetz' || f === 'interval') && f === t) {
    if (to.mods.length === 0) return 'binary-coercible';
    if (from.mods.length === 0) return 'rewrite';
    return to.mods[0] >= from.mods[0] ? 'binary-coercible' : 'rewrite';
  }
  if (f === 'varbit' && t === 'varbit') return to.mods.length === 0 || (from.mods.length > 0 && to.mods[0] >= from.mods[0]) ? 'binary-coercible' : 'rewrite';
  return 'rewrite';
}

/**
 * A binary-coercible change that still rebuilds the column's indexes (under the same ACCESS
 * EXCLUSIVE lock): text ↔ citext changes the operator class, so every index on it is rebuilt.
 */
export function rebuildsIndexes(from: ColumnType, to: ColumnType): boolean {
  if (typeChangeKind(from, to) !== 'binary-coercible') return false;
  return (from.base === 'citext') !== (to.base === 'citext');
}

/** Maximum length in characters of a character type; Infinity when unbounded, null for other types. */
function maxLength(t: ColumnType): number | null {
  if (t.base === 'varchar') return t.mods.length ? t.mods[0] : Infinity;
  if (t.base === 'bpchar') return t.mods.length ? t.mods[0] : 1; // `char` alone is character(1)
  if (t.base === 'text' || t.base === 'citext') return Infinity;
  return null;
}

/** Whether a change can fail on existing data or lose information (shorter, smaller, to a stricter type). */
export function isNarrowing(from: ColumnType, to: ColumnType): boolean {
  if (from.display === to.display) return false;
  const f = from.base;
  const t = to.base;
  if (from.array && !to.array) return true;
  const widths: Record<string, number> = { int2: 2, int4: 4, int8: 8 };
  if (widths[f] && widths[t]) return widths[t] < widths[f];
  if (widths[f] && t === 'numeric') return to.mods.length > 0 && to.mods[0] - (to.mods[1] ?? 0) < (f === 'int2' ? 5 : f === 'int4' ? 10 : 19);
  const fromLength = maxLength(from);
  const toLength = maxLength(to);
  if (fromLength !== null && toLength !== null) return toLength < fromLength;
  if (f === 'numeric' && t === 'numeric') {
    if (to.mods.length === 0) return false;
    if (from.mods.length === 0) return true;
    const [fp, fs = 0] = from.mods;
    const [tp, ts = 0] = to.mods;
    return ts < fs || tp - ts < fp - fs;
  }
  if (f === 'numeric' && (widths[t] || t === 'float4' || t === 'float8')) return true;
  if (f === 'float8' && (t === 'float4' || widths[t])) return true;
  if (f === 'float4' && widths[t]) return true;
  if ((f === 'timestamp' || f === 'timestamptz') && t === 'date') return true;
  if ((f === 'timestamptz' || f === 'timestamp' || f === 'time' || f === 'timetz') && f === t) {
    return to.mods.length > 0 && (from.mods.length === 0 || to.mods[0] < from.mods[0]);
  }
  const textish = new Set(['text', 'varchar', 'bpchar', 'citext']);
  if (textish.has(f) && !textish.has(t)) return true; // text → number/uuid/enum/json...: can fail
  if ((f === 'jsonb' || f === 'json') && !textish.has(t) && t !== 'jsonb' && t !== 'json') return true;
  if (from.user && to.user) return false; // enum recreation: drop-enum-value judges it
  if (f === 'bool' && widths[t]) return false;
  return false;
}
