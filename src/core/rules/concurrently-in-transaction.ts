import { defineRule } from './rule';
import { moveToOwnMigrationFix } from './support/fixes';
import { beginLineOf, concurrentOperation, oneBatchReason } from './support/transactions';

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
