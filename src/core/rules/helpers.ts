/** Shared vocabulary of the rules: statement shapes, lock wording, fixes that add migrations. */
import * as path from 'node:path';
import { nodeBody, nodeType, type PgNode } from '../pg/ast';
import { displayTable, keyOf, rangeVarName } from '../pg/names';
import type { Origin } from '../catalog/model';
import type { Fix, LockMode, RelatedLocation, SourceRange, TableLock } from '../types';
import type { AnalyzedStatement, MigrationContext } from './rule';

/** `ALTER TABLE` sub-commands of a statement, with the table they apply to. */
export function alterTableCommands(st: AnalyzedStatement): { table: string; cmd: PgNode }[] {
  if (nodeType(st.sql.node) !== 'AlterTableStmt') return [];
  const s = nodeBody(st.sql.node);
  if (s.objtype && s.objtype !== 'OBJECT_TABLE') return [];
  const table = keyOf(rangeVarName(s.relation));
  return (s.cmds ?? []).map((c: PgNode) => ({ table, cmd: c.AlterTableCmd ?? {} }));
}

export function isType(st: AnalyzedStatement, type: string): boolean {
  return nodeType(st.sql.node) === type;
}

export function body(st: AnalyzedStatement): PgNode {
  return nodeBody(st.sql.node);
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

export function lockOn(st: AnalyzedStatement, table: string): LockMode | undefined {
  return st.facts.locks.find((l) => l.table === table)?.mode;
}

/** Offset just after the first match of `re` inside the statement, for inserting keywords. */
export function offsetAfter(st: AnalyzedStatement, re: RegExp): number | null {
  const m = re.exec(st.sql.text);
  return m ? st.sql.range.startOffset + m.index + m[0].length : null;
}

export function rangeOfMatch(ctx: MigrationContext, st: AnalyzedStatement, re: RegExp): SourceRange | undefined {
  const m = re.exec(st.sql.text);
  if (!m) return undefined;
  const start = st.sql.range.startOffset + m.index;
  return ctx.parsed.lines.range(start, start + m[0].length);
}

/** Statement text with the terminating semicolon, for moving it elsewhere. */
export function statementSql(st: AnalyzedStatement): string {
  return st.sql.text.endsWith(';') ? st.sql.text : `${st.sql.text};`;
}

/**
 * A new migration folder next to this one, sorted right after it: timestamp + 1 second (Prisma's
 * folder names are `YYYYMMDDHHMMSS_name`), so Prisma applies it next.
 */
export function followUpMigrationPath(ctx: MigrationContext, name: string, secondsLater = 1): string {
  const dir = path.dirname(path.dirname(ctx.file));
  const m = /^(\d{14})_/.exec(ctx.name);
  let stamp: string;
  if (m) {
    const d = new Date(Date.UTC(+m[1].slice(0, 4), +m[1].slice(4, 6) - 1, +m[1].slice(6, 8), +m[1].slice(8, 10), +m[1].slice(10, 12), +m[1].slice(12, 14) + secondsLater));
    stamp = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  } else stamp = `${ctx.name}_${secondsLater}`;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 60);
  return path.join(dir, `${stamp}_${slug}`, 'migration.sql');
}

/** Removes a statement (and the line it stood on, if it becomes empty) from the file. */
export function removeStatementEdit(ctx: MigrationContext, st: AnalyzedStatement): { startOffset: number; endOffset: number } {
  const text = ctx.text;
  let start = st.sql.range.startOffset;
  let end = st.sql.range.endOffset;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (text.slice(lineStart, start).trim() === '') start = lineStart;
  const nl = text.indexOf('\n', end);
  const lineEnd = nl < 0 ? text.length : nl + 1;
  if (text.slice(end, lineEnd).trim() === '') end = lineEnd;
  return { startOffset: start, endOffset: end };
}

/** Fix: move the statement into a new migration folder of its own, right after this one. */
export function moveToOwnMigrationFix(ctx: MigrationContext, st: AnalyzedStatement, name: string, title?: string): Fix {
  const file = followUpMigrationPath(ctx, name);
  return {
    title: title ?? `Move this statement into a new migration of its own (${path.basename(path.dirname(file))})`,
    safe: false,
    edits: [{ file: ctx.file, ...removeStatementEdit(ctx, st), newText: '' }],
    newFiles: [{ file, content: `${statementSql(st)}\n` }],
  };
}

/**
 * Fix: insert a lock timeout before the statement, so it gives up instead of queueing behind a
 * long transaction (and making every later query queue behind it). In a batch the file is one
 * transaction, so `SET LOCAL` ends with it; run statement by statement (Prisma ≥ 7.4), a plain
 * `SET` is needed and a `RESET` at the end keeps it from leaking into later migrations.
 */
export function lockTimeoutFix(ctx: MigrationContext, st: AnalyzedStatement, timeout = '5s'): Fix {
  const at = ctx.text.lastIndexOf('\n', st.sql.range.startOffset - 1) + 1;
  const indent = ctx.text.slice(at, st.sql.range.startOffset).match(/^\s*/)?.[0] ?? '';
  const batch = ctx.execution.mode === 'batch' || ctx.inExplicitBlock(st.index);
  const edits: Fix['edits'] = [
    { file: ctx.file, startOffset: at, endOffset: at, newText: `${indent}SET ${batch ? 'LOCAL ' : ''}lock_timeout = '${timeout}';\n` },
  ];
  if (!batch && !/^\s*RESET\s+lock_timeout\s*;/im.test(ctx.text)) {
    const end = ctx.text.length;
    edits.push({ file: ctx.file, startOffset: end, endOffset: end, newText: `${ctx.text.endsWith('\n') ? '' : '\n'}RESET lock_timeout;\n` });
  }
  return { title: `Insert SET ${batch ? 'LOCAL ' : ''}lock_timeout = '${timeout}' before this statement`, safe: true, edits };
}

/** Related information pointing at the statement that created or last changed an object. */
export function relatedOrigin(ctx: { fileOfMigration(name: string): string | null }, origin: Origin | undefined, message: string): RelatedLocation[] | undefined {
  if (!origin?.range) return undefined;
  const file = ctx.fileOfMigration(origin.migration);
  return file ? [{ file, range: origin.range, message }] : undefined;
}
