/**
 * Which transaction a statement runs in, said in a message: the file's own `BEGIN` block, or the
 * one batch Prisma sends; and the concurrent operations that refuse to run inside either.
 */
import { compareVersions, sqlparserRejects, SPLIT_SINCE } from '../../facts/execution';
import { nodeBody, nodeType, type PgNode } from '../../pg/ast';
import type { MigrationContext } from '../rule';

/** `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY`, or null. */
export function concurrentOperation(node: PgNode | null): string | null {
  const s = nodeBody(node);
  switch (nodeType(node)) {
    case 'IndexStmt':
      return s.concurrent ? `CREATE ${s.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY` : null;
    case 'DropStmt':
      return s.removeType === 'OBJECT_INDEX' && s.concurrent ? 'DROP INDEX CONCURRENTLY' : null;
    case 'ReindexStmt':
      return (s.params ?? []).some((p: PgNode) => p.DefElem?.defname === 'concurrently') ? 'REINDEX ... CONCURRENTLY' : null;
    default:
      return null;
  }
}

/** 1-based line of a statement. */
export function lineOf(ctx: MigrationContext, index: number): number {
  return ctx.statements[index].sql.range.start.line;
}

/** Line of the `BEGIN` that opens the explicit block a statement is in. */
export function beginLineOf(ctx: MigrationContext, index: number): number {
  for (let i = index - 1; i >= 0; i--) {
    const n = ctx.statements[i].sql.node;
    if (nodeType(n) !== 'TransactionStmt') continue;
    const kind = nodeBody(n).kind;
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') return lineOf(ctx, i);
  }
  return lineOf(ctx, 0);
}

/**
 * Why the whole file is one batch, as a sentence without its full stop: "Prisma 7.3.0 sends this file as one batch",
 * or "Prisma 7.5.0 would run statements one by one, but cannot split this file because of DROP
 * INDEX CONCURRENTLY on line 4, so it sends it as one batch". Only meaningful in batch mode.
 */
export function oneBatchReason(ctx: MigrationContext, about?: number): string {
  const v = ctx.prismaVersion;
  if (v === null) return 'The Prisma version is unknown, so Preflight assumes this file is sent as one batch (as Prisma ≤ 7.3 does)';
  if (compareVersions(v, SPLIT_SINCE) < 0) return `Prisma ${v} sends this file as one batch`;
  const first = ctx.execution.unsplittableStatements?.[0];
  if (first === undefined) return `Prisma ${v} sends this file as one batch`;
  const what = ctx.statements[first].sql.node ? sqlparserRejects(ctx.statements[first].sql.node) : 'a statement it cannot parse';
  const where = first === about ? `${what} (this statement)` : `${what} on line ${lineOf(ctx, first)}`;
  return `Prisma ${v} would run statements one by one, but cannot split this file because of ${where}, so it sends it as one batch`;
}

/**
 * Why a statement shares a transaction with earlier ones, as a sentence without its full stop. Only
 * meaningful when `ctx.transactionOf(index)` is not null.
 */
export function sharedTransactionReason(ctx: MigrationContext, index: number): string {
  return ctx.inExplicitBlock(index) ? `Both run inside the BEGIN block on line ${beginLineOf(ctx, index)}` : `${oneBatchReason(ctx, index)}, which PostgreSQL runs as one transaction`;
}

/**
 * Until when the row and table locks of a statement are held, as words after "held": "until this
 * statement ends (Prisma 7.8.0 runs it on its own and commits it right away)", "until the
 * transaction ends on line 9", "until the whole file commits (Prisma 7.3.0 sends this file as one batch)".
 */
export function locksHeldUntil(ctx: MigrationContext, index: number): string {
  const group = ctx.transactionOf(index);
  if (!group) return `until this statement ends (${ctx.prismaVersion === null ? 'it runs' : `Prisma ${ctx.prismaVersion} runs it`} on its own and commits it right away)`;
  const last = group[group.length - 1];
  if (nodeType(ctx.statements[last].sql.node) === 'TransactionStmt' && last !== ctx.statements.length - 1) return `until the transaction ends on line ${lineOf(ctx, last)}`;
  return ctx.inExplicitBlock(index) ? 'until the transaction ends' : `until the whole file commits (${oneBatchReason(ctx, index)})`;
}
