/**
 * One synthetic row per table, so that data-dependent failures show in a dry run: a required
 * column added without a default (23502), `SET NOT NULL` on a column holding NULLs, a unique index
 * on duplicated values, an uncastable type change. Rows are inserted parents first; a foreign key
 * column takes the parent's row, a nullable column stays NULL (the case that breaks `SET NOT
 * NULL`), a required one gets a plain value of its type, and columns with defaults get them.
 */
import type { ShadowDatabase } from './engine';
import { databaseFailureOf } from './engine';
import type { SampleRowsReport } from './types';

interface ColumnRow {
  table_oid: number;
  attname: string;
  type: string;
  notnull: boolean;
  hasdef: boolean;
  identity: string;
  generated: string;
  category: string;
  typname: string;
  is_array: boolean;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function valueFor(c: ColumnRow): string {
  if (c.is_array) return `'{}'::${c.type}`;
  switch (c.category) {
    case 'N':
      return `1::${c.type}`;
    case 'B':
      return 'false';
    case 'D':
      return `now()::${c.type}`;
    case 'T':
      return `'1 day'::${c.type}`;
    case 'I':
      return `'127.0.0.1'::${c.type}`;
    case 'E':
      return `(enum_range(NULL::${c.type}))[1]`;
    case 'S':
      return `'x'::${c.type}`;
    case 'V':
      return `B'1'::${c.type}`;
    default:
      if (c.typname === 'uuid') return 'gen_random_uuid()';
      if (c.typname === 'json' || c.typname === 'jsonb') return `'{}'::${c.type}`;
      if (c.typname === 'bytea') return `'\\x00'::bytea`;
      return `''::${c.type}`;
  }
}

export async function insertSampleRows(db: ShadowDatabase): Promise<SampleRowsReport> {
  const tables = await db.query<{ oid: number; schema: string; name: string }>(
    `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r','p') AND NOT c.relispartition
        AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg\\_%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 2, 3`,
  );
  const columns = await db.query<ColumnRow>(
    `SELECT a.attrelid::int8 AS table_oid, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
            a.atthasdef AS hasdef, a.attidentity::text AS identity, a.attgenerated::text AS generated,
            t.typcategory::text AS category, t.typname::text AS typname, (t.typelem <> 0 AND t.typlen = -1 AND t.typcategory = 'A') AS is_array
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid IN (SELECT c.oid FROM pg_class c WHERE c.relkind IN ('r','p'))
      ORDER BY a.attrelid, a.attnum`,
  );
  const fks = await db.query<{ child: number; parent: number; cols: string[]; refcols: string[] }>(
    `SELECT con.conrelid::int8 AS child, con.confrelid::int8 AS parent,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i) AS cols,
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i) AS refcols
       FROM pg_constraint con WHERE con.contype = 'f'`,
  );
  const byOid = new Map(tables.map((t) => [Number(t.oid), t]));
  const colsOf = new Map<number, ColumnRow[]>();
  for (const c of columns) {
    const k = Number(c.table_oid);
    if (!colsOf.has(k)) colsOf.set(k, []);
    colsOf.get(k)!.push(c);
  }
  const fksOf = new Map<number, typeof fks>();
  for (const fk of fks) {
    const k = Number(fk.child);
    if (!fksOf.has(k)) fksOf.set(k, []);
    fksOf.get(k)!.push(fk);
  }

  // Parents first (depth-first over foreign keys; cycles and self-references are cut).
  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (oid: number) => {
    if (state.get(oid) || !byOid.has(oid)) return;
    state.set(oid, 'visiting');
    for (const fk of fksOf.get(oid) ?? []) if (Number(fk.parent) !== oid) visit(Number(fk.parent));
    state.set(oid, 'done');
    order.push(oid);
  };
  for (const t of tables) visit(Number(t.oid));

  const report: SampleRowsReport = { inserted: [], failed: [] };
  const hasRow = new Set<number>();
  for (const oid of order) {
    const t = byOid.get(oid)!;
    const fqn = `${q(t.schema)}.${q(t.name)}`;
    const values = new Map<string, string>();
    for (const fk of fksOf.get(oid) ?? []) {
      const parent = byOid.get(Number(fk.parent));
      if (!parent || Number(fk.parent) === oid || !hasRow.has(Number(fk.parent))) continue;
      fk.cols.forEach((col, i) => {
        values.set(col, `(SELECT ${q(fk.refcols[i])} FROM ${q(parent.schema)}.${q(parent.name)} LIMIT 1)`);
      });
    }
    for (const c of colsOf.get(oid) ?? []) {
      if (values.has(c.attname) || c.generated || c.identity || c.hasdef || !c.notnull) continue;
      values.set(c.attname, valueFor(c));
    }
    const sql = values.size
      ? `INSERT INTO ${fqn} (${[...values.keys()].map(q).join(', ')}) VALUES (${[...values.values()].join(', ')})`
      : `INSERT INTO ${fqn} DEFAULT VALUES`;
    try {
      await db.exec(sql);
      hasRow.add(oid);
      report.inserted.push(`${t.schema}.${t.name}`);
    } catch (e) {
      report.failed.push({ table: `${t.schema}.${t.name}`, message: databaseFailureOf(e).message });
    }
  }
  return report;
}
