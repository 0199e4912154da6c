import { compareVersions, sqlparserRejects, SPLIT_SINCE } from '../analysis/execution';
import { nodeBody, nodeType, type PgNode } from '../pg/ast';
import { moveToOwnMigrationFix } from './helpers';
import { defineRule, type MigrationContext } from './rule';

export default defineRule({
  meta: {
    id: 'concurrently-in-transaction',
    category: 'deploy-failure',
    defaultSeverity: 'error',
    fixAvailability: 'always',
    summary: '`CREATE/DROP INDEX CONCURRENTLY` or `REINDEX ... CONCURRENTLY` that will run inside a transaction block',
    docs: {
      whatItDoes:
        'Flags `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY` and `REINDEX ... CONCURRENTLY` where PostgreSQL will run them inside a transaction block: inside the file’s own `BEGIN ... COMMIT`, or in a file with other statements (comments do not count) that the project’s Prisma version sends as one batch. Prisma ≤ 7.3 always sends the whole file as one batch, and so does Preflight when the version is unknown; Prisma ≥ 7.4 runs statements one by one, except when its SQL splitter (sqlparser 0.61) rejects any statement of the file — `DROP INDEX CONCURRENTLY` itself is one — and it falls back to one batch. The message says which case applies.',
      whyIsThisBad:
        'PostgreSQL runs a multi-statement batch as one implicit transaction, and concurrent index operations refuse to run in a transaction block: the statement fails with SQLSTATE 25001 ("cannot run inside a transaction block"), `prisma migrate deploy` stops with P3018 and the migration stays failed until `prisma migrate resolve`.',
      setup: 'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER NOT NULL, "title" TEXT NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "Post" ADD COLUMN "slug" TEXT;\nCREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId");',
      useInstead: '-- The concurrent index alone in a migration folder of its own (comments are fine):\n-- CreateIndex\nCREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId");',
      fixSafety:
        'Unsafe: the fix moves the statement into a new migration folder right after this one, which changes the migration history (review it, and do not apply it to a migration that already ran anywhere). A concurrent build that fails leaves an INVALID index behind: drop it before retrying.',
      references: [
        'https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY',
        'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT',
        'https://github.com/prisma/prisma-engines/pull/5767',
      ],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      const op = concurrentOperation(st.sql.node);
      if (!op) continue;
      let where: string;
      if (ctx.inExplicitBlock(st.index)) where = `This one runs inside the BEGIN block on line ${beginLineOf(ctx, st.index)}`;
      else if (ctx.execution.mode === 'batch' && ctx.statements.length > 1) where = `${oneBatchReason(ctx, st.index)}, which PostgreSQL runs as one transaction block`;
      else continue;
      ctx.report({
        statement: st.index,
        message: `${op} cannot run inside a transaction block. ${where}: PostgreSQL rejects the statement (SQLSTATE 25001) and the deploy stops.`,
        help: 'Move this statement into a migration folder of its own, with no other statement in it.',
        fixes: [moveToOwnMigrationFix(ctx, st, op.toLowerCase().replace(/\.\.\. /g, ''))],
      });
    }
  },
});

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

/** `3`, `3 and 5`, `3, 5 and 9`. */
export function listWords(items: (string | number)[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
