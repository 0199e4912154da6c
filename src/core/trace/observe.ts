/**
 * What a statement did, read from the server's own catalogs: the table locks its backend holds
 * (`pg_locks`, while the statement's transaction is still open) and the tables whose storage it
 * replaced (`pg_class.relfilenode` before and after).
 */
import { LOCK_MODES, lockRank, type LockMode, type TableLock } from '../types';
import type { ShadowDatabase } from './engine';

/** Relation kinds reported as tables: ordinary, partitioned, views, materialized views, foreign. */
const TABLE_KINDS = `('r','p','v','m','f')`;
const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

export interface RelationInfo {
  /** `schema.name`, unquoted. */
  table: string;
  relfilenode: number;
  kind: string;
}

/** Every user table (and view) by OID. */
export type RelationSnapshot = Map<number, RelationInfo>;

export async function snapshotRelations(db: ShadowDatabase): Promise<RelationSnapshot> {
  const rows = await db.query<{ oid: number | string; schema: string; name: string; relfilenode: number | string; relkind: string }>(
    `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relfilenode::int8 AS relfilenode, c.relkind::text AS relkind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ${TABLE_KINDS} AND ${USER_SCHEMAS}`,
  );
  const out: RelationSnapshot = new Map();
  for (const r of rows) out.set(Number(r.oid), { table: `${r.schema}.${r.name}`, relfilenode: Number(r.relfilenode), kind: r.relkind });
  return out;
}

/** Granted relation locks of this backend: `[oid, mode]` pairs (every mode held, not only the strongest). */
export async function heldRelationLocks(db: ShadowDatabase): Promise<Array<[number, LockMode]>> {
  const rows = await db.query<{ oid: number | string; mode: string }>(
    `SELECT l.relation::int8 AS oid, l.mode
       FROM pg_locks l
      WHERE l.locktype = 'relation' AND l.granted AND l.pid = pg_backend_pid()
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  const out: Array<[number, LockMode]> = [];
  for (const r of rows) if ((LOCK_MODES as readonly string[]).includes(r.mode)) out.push([Number(r.oid), r.mode as LockMode]);
  return out;
}

/** The strongest mode per table, tables only (named through either snapshot), sorted by table. */
export function strongestPerTable(pairs: Iterable<[number, LockMode]>, ...snapshots: RelationSnapshot[]): TableLock[] {
  const best = new Map<string, LockMode>();
  for (const [oid, mode] of pairs) {
    const rel = snapshots.map((s) => s.get(oid)).find((r) => r !== undefined);
    if (!rel) continue;
    const prev = best.get(rel.table);
    if (!prev || lockRank(mode) > lockRank(prev)) best.set(rel.table, mode);
  }
  return [...best].map(([table, mode]) => ({ table, mode })).sort((a, b) => a.table.localeCompare(b.table));
}

/** Lock pairs in `after` that were not already held in `before`: what a statement acquired. */
export function acquiredLocks(before: Array<[number, LockMode]>, after: Array<[number, LockMode]>): Array<[number, LockMode]> {
  const had = new Set(before.map(([oid, mode]) => `${oid}:${mode}`));
  return after.filter(([oid, mode]) => !had.has(`${oid}:${mode}`));
}

/** Tables (with storage) whose relfilenode changed: rewritten, truncated, clustered. */
export function rewrittenTables(before: RelationSnapshot, after: RelationSnapshot): string[] {
  const out: string[] = [];
  for (const [oid, b] of before) {
    const a = after.get(oid);
    if (a && b.relfilenode !== 0 && a.relfilenode !== b.relfilenode) out.push(a.table);
  }
  return out.sort((x, y) => x.localeCompare(y));
}
