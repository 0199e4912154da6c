/** Shared vocabulary of the rules: statement shapes and lock wording (fixes are in support/fixes.ts). */
import { nodeBody, nodeType, type PgNode } from '../pg/ast';
import { displayTable, keyOf, listName, quoteAlways, rangeVarName, splitKey } from '../pg/names';
import type { Origin } from '../catalog/model';
import type { LockMode, RelatedLocation, TableLock } from '../types';
import type { AnalyzedStatement, MigrationContext } from './rule';
import { listWords } from '../text/list-words';

/** `ALTER TABLE` sub-commands of a statement, with the table they apply to. */
export function alterTableCommands(st: AnalyzedStatement): { table: string; cmd: PgNode }[] {
  if (nodeType(st.sql.node) !== 'AlterTableStmt') return [];
  const s = nodeBody(st.sql.node);
  if (s.objtype && s.objtype !== 'OBJECT_TABLE') return [];
  const table = keyOf(rangeVarName(s.relation));
  return (s.cmds ?? []).map((c: PgNode) => ({ table, cmd: c.AlterTableCmd ?? {} }));
}

/**
 * What the migrations tell about a table a statement names:
 * - `created-here`: an earlier statement of this migration created it (empty: no locking hazard);
 * - `history`: an earlier migration created it, and the catalog followed everything done to it;
 * - `uncertain`: it existed before, but a DO block or a statement the catalog cannot model changed it;
 * - `not-in-history`: no migration creates it (a history without a baseline: the team adopted
 *   Prisma Migrate on a database that already had it), so it may already hold any number of rows.
 */
export type TableProvenance = 'created-here' | 'history' | 'uncertain' | 'not-in-history';

export function tableProvenance(ctx: MigrationContext, st: AnalyzedStatement, table: string): TableProvenance {
  // Created by an earlier statement of this migration, or by this one (it is there just after), also
  // after a DROP of the old one. (CREATE TABLE IF NOT EXISTS and CREATE OR REPLACE VIEW of a relation
  // no migration creates count as creating it: that is what they do in a complete history.)
  const after = ctx.statements[st.index + 1]?.catalog ?? ctx.after;
  const now = st.catalog.table(table) ?? after.table(table);
  if (now && now.origin.migration === ctx.name) return 'created-here';
  // Not there before and not made by this migration (a table renamed here keeps its origin).
  if (!ctx.before.tables.has(table) && !now) return 'not-in-history';
  return st.catalog.isUncertain(table) || ctx.before.isUncertain(table) ? 'uncertain' : 'history';
}

/**
 * A table that may hold rows when this statement runs: every table but one created earlier in this
 * migration. Unknown is not safe: a table the history never creates, or one it lost track of, is
 * an existing table of unknown size for every locking, rewrite and data-loss rule.
 */
export function isExistingTable(ctx: MigrationContext, st: AnalyzedStatement, table: string): boolean {
  return tableProvenance(ctx, st, table) !== 'created-here';
}

/**
 * The sentence a finding on a table no migration creates ends with (with a leading space), so the
 * reader knows the finding rests on the table existing, not on anything the migrations show; empty
 * for every other table.
 */
export function notInHistoryNote(ctx: MigrationContext, st: AnalyzedStatement, table: string): string {
  if (tableProvenance(ctx, st, table) !== 'not-in-history') return '';
  const kind = (st.catalog.table(table) ?? ctx.statements[st.index + 1]?.catalog.table(table) ?? ctx.after.table(table))?.kind;
  return ` ${displayTable(table)} is not created by any earlier migration, so it may already ${kind === 'view' ? 'exist and be in use' : 'hold rows'}.`;
}

export { displayTable };

const LOCK_WORDS: Record<LockMode, { name: string; blocks: string }> = {
  AccessExclusiveLock: { name: 'ACCESS EXCLUSIVE', blocks: 'blocks all reads and writes' },
  ExclusiveLock: { name: 'EXCLUSIVE', blocks: 'blocks all writes and row locks; only plain reads continue' },
  ShareRowExclusiveLock: { name: 'SHARE ROW EXCLUSIVE', blocks: 'blocks inserts, updates and deletes; reads continue' },
  ShareLock: { name: 'SHARE', blocks: 'blocks inserts, updates and deletes; reads continue' },
  ShareUpdateExclusiveLock: { name: 'SHARE UPDATE EXCLUSIVE', blocks: 'blocks other schema changes and VACUUM; reads and writes continue' },
  RowExclusiveLock: { name: 'ROW EXCLUSIVE', blocks: 'blocks index builds and stronger locks; reads and writes continue' },
  RowShareLock: { name: 'ROW SHARE', blocks: 'blocks only EXCLUSIVE and ACCESS EXCLUSIVE locks' },
  AccessShareLock: { name: 'ACCESS SHARE', blocks: 'blocks only ACCESS EXCLUSIVE locks' },
};

export function lockName(mode: LockMode): string {
  return LOCK_WORDS[mode].name;
}

/** "ACCESS EXCLUSIVE lock on "Product" (blocks all reads and writes)". */
export function describeLock(lock: TableLock): string {
  const w = LOCK_WORDS[lock.mode];
  return `${w.name} lock on ${displayTable(lock.table)} (${w.blocks})`;
}

/**
 * The same lock on one or more tables: "ACCESS EXCLUSIVE lock on "Post" (blocks all reads and
 * writes)", or "ACCESS EXCLUSIVE locks on "Post" and "User" (each blocks all reads and writes)".
 */
export function describeLocks(locks: readonly TableLock[]): string {
  if (locks.length === 1) return describeLock(locks[0]);
  const w = LOCK_WORDS[locks[0].mode];
  return `${w.name} locks on ${listWords(locks.map((l) => displayTable(l.table)))} (each ${w.blocks})`;
}

export function whatLockBlocks(mode: LockMode): string {
  return LOCK_WORDS[mode].blocks;
}

/** Related information pointing at the statement that created or last changed an object. */
export function relatedOrigin(ctx: { fileOfMigration(name: string): string | null }, origin: Origin | undefined, message: string): RelatedLocation[] | undefined {
  if (!origin?.range) return undefined;
  const file = ctx.fileOfMigration(origin.migration);
  return file ? [{ file, range: origin.range, message }] : undefined;
}

/**
 * `DROP INDEX` (without CONCURRENTLY) of an index no migration creates takes ACCESS EXCLUSIVE on a
 * table the facts cannot name: the lock in words, or null for any other statement.
 */
export function unknownIndexDropLock(ctx: MigrationContext, st: AnalyzedStatement): string | null {
  if (nodeType(st.sql.node) !== 'DropStmt') return null;
  const s = nodeBody(st.sql.node);
  if (s.removeType !== 'OBJECT_INDEX' || s.concurrent) return null;
  for (const obj of s.objects ?? []) {
    const key = keyOf(listName(obj.List?.items));
    if (!st.catalog.indexes.has(key) && !ctx.before.indexes.has(key)) {
      return `${LOCK_WORDS.AccessExclusiveLock.name} lock on the table of index ${quoteAlways(splitKey(key).name)} (${LOCK_WORDS.AccessExclusiveLock.blocks}; no earlier migration creates the index, so its table may already hold rows)`;
    }
  }
  return null;
}
