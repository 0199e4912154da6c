/** Shared vocabulary of the rules: statement shapes and lock wording (fixes are in support/fixes.ts). */
import { nodeBody, nodeType, type PgNode } from '../pg/ast';
import { displayTable, keyOf, rangeVarName } from '../pg/names';
import type { Origin } from '../catalog/model';
import type { LockMode, RelatedLocation, TableLock } from '../types';
import type { AnalyzedStatement, MigrationContext } from './rule';

/** `ALTER TABLE` sub-commands of a statement, with the table they apply to. */
export function alterTableCommands(st: AnalyzedStatement): { table: string; cmd: PgNode }[] {
  if (nodeType(st.sql.node) !== 'AlterTableStmt') return [];
  const s = nodeBody(st.sql.node);
  if (s.objtype && s.objtype !== 'OBJECT_TABLE') return [];
  const table = keyOf(rangeVarName(s.relation));
  return (s.cmds ?? []).map((c: PgNode) => ({ table, cmd: c.AlterTableCmd ?? {} }));
}

/**
 * A table that existed before this migration and that the catalog knows with certainty: the only
 * kind of table a locking or data-loss rule speaks about.
 */
export function isExistingTable(ctx: MigrationContext, st: AnalyzedStatement, table: string): boolean {
  return ctx.existedBefore(table) && !st.catalog.isUncertain(table) && !ctx.before.isUncertain(table);
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

export function whatLockBlocks(mode: LockMode): string {
  return LOCK_WORDS[mode].blocks;
}

/** Related information pointing at the statement that created or last changed an object. */
export function relatedOrigin(ctx: { fileOfMigration(name: string): string | null }, origin: Origin | undefined, message: string): RelatedLocation[] | undefined {
  if (!origin?.range) return undefined;
  const file = ctx.fileOfMigration(origin.migration);
  return file ? [{ file, range: origin.range, message }] : undefined;
}
