/**
 * The shadow database's own catalog (`pg_catalog`), read into the shape of Preflight's static
 * catalog (src/core/catalog/model.ts) so the two can be compared item by item.
 */
import type { FkAction } from '../catalog/model';
import { fkActionOf } from '../catalog/model';
import type { ShadowDatabase } from './engine';

export interface DbColumn {
  type: string;
  notNull: boolean;
  hasDefault: boolean;
  generated: boolean;
}

export interface DbForeignKey {
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: FkAction;
  onUpdate: FkAction;
}

export interface DbIndex {
  table: string;
  columns: (string | null)[];
  unique: boolean;
  partial: boolean;
}

export interface DbCatalog {
  /** `schema.name` → kind, as the static catalog names kinds. */
  tables: Map<string, 'table' | 'partitioned' | 'view' | 'materialized-view' | 'foreign'>;
  /** `schema.table` → column name → column. */
  columns: Map<string, Map<string, DbColumn>>;
  /** `schema.table` → constraint name → foreign key. */
  foreignKeys: Map<string, Map<string, DbForeignKey>>;
  /** `schema.index` → index. */
  indexes: Map<string, DbIndex>;
  /** `schema.type` → labels in order. */
  enums: Map<string, string[]>;
}

const USER_NAMESPACES = `SELECT oid FROM pg_namespace WHERE nspname NOT IN ('pg_catalog','information_schema') AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'`;
const NOT_FROM_EXTENSION = (oidExpr: string, classid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${classid}'::regclass AND d.objid = ${oidExpr} AND d.deptype = 'e')`;

const KIND: Record<string, DbCatalog['tables'] extends Map<string, infer K> ? K : never> = {
  r: 'table', p: 'partitioned', v: 'view', m: 'materialized-view', f: 'foreign',
};

export async function readDbCatalog(db: ShadowDatabase): Promise<DbCatalog> {
  const out: DbCatalog = { tables: new Map(), columns: new Map(), foreignKeys: new Map(), indexes: new Map(), enums: new Map() };
  const rels = await db.query<{ key: string; relkind: string }>(
    `SELECT n.nspname || '.' || c.relname AS key, c.relkind::text AS relkind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r','p','v','m','f') AND c.relnamespace IN (${USER_NAMESPACES}) AND ${NOT_FROM_EXTENSION('c.oid', 'pg_class')}`,
  );
  for (const r of rels) out.tables.set(r.key, KIND[r.relkind]);
  const cols = await db.query<{ key: string; name: string; type: string; notnull: boolean; hasdef: boolean; identity: string; generated: string }>(
    `SELECT n.nspname || '.' || c.relname AS key, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS notnull, a.atthasdef AS hasdef, a.attidentity::text AS identity, a.attgenerated::text AS generated
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p','v','m','f')
        AND c.relnamespace IN (${USER_NAMESPACES}) AND ${NOT_FROM_EXTENSION('c.oid', 'pg_class')}
      ORDER BY 1, a.attnum`,
  );
  for (const c of cols) {
    if (!out.columns.has(c.key)) out.columns.set(c.key, new Map());
    out.columns.get(c.key)!.set(c.name, {
      type: c.type,
      notNull: c.notnull,
      hasDefault: (c.hasdef && c.generated === '') || c.identity !== '',
      generated: c.generated !== '',
    });
  }
  const fks = await db.query<{ key: string; name: string; cols: string[]; ref: string; refcols: string[]; del: string; upd: string }>(
    `SELECT n.nspname || '.' || c.relname AS key, con.conname AS name,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.i) AS cols,
            rn.nspname || '.' || rc.relname AS ref,
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, i) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.i) AS refcols,
            con.confdeltype::text AS del, con.confupdtype::text AS upd
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
      WHERE con.contype = 'f' AND con.conparentid = 0 AND c.relnamespace IN (${USER_NAMESPACES})`,
  );
  for (const f of fks) {
    if (!out.foreignKeys.has(f.key)) out.foreignKeys.set(f.key, new Map());
    out.foreignKeys.get(f.key)!.set(f.name, {
      table: f.key, columns: f.cols, refTable: f.ref, refColumns: f.refcols, onDelete: fkActionOf(f.del), onUpdate: fkActionOf(f.upd),
    });
  }
  const ixs = await db.query<{ key: string; table: string; cols: (string | null)[]; unique: boolean; partial: boolean }>(
    `SELECT n.nspname || '.' || ic.relname AS key, tn.nspname || '.' || tc.relname AS table,
            ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, o)
                    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num
                   WHERE k.o <= i.indnkeyatts ORDER BY k.o) AS cols,
            i.indisunique AS unique, i.indpred IS NOT NULL AS partial
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
       JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
      WHERE tc.relkind IN ('r','p','m') AND tc.relnamespace IN (${USER_NAMESPACES}) AND ${NOT_FROM_EXTENSION('tc.oid', 'pg_class')}`,
  );
  for (const ix of ixs) out.indexes.set(ix.key, { table: ix.table, columns: ix.cols.map((c) => c ?? null), unique: ix.unique, partial: ix.partial });
  const enums = await db.query<{ key: string; labels: string[] }>(
    `SELECT n.nspname || '.' || t.typname AS key, ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'e' AND t.typnamespace IN (${USER_NAMESPACES}) AND ${NOT_FROM_EXTENSION('t.oid', 'pg_type')}`,
  );
  for (const e of enums) out.enums.set(e.key, e.labels);
  return out;
}
