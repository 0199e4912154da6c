import { compareVersions, MIGRATE_DEV_FIXED_IN, SPLIT_SINCE } from '../facts/execution';
import { defineRule } from './rule';
import { moveToOwnMigrationFix } from './support/fixes';
import { concurrentOperation, lineOf } from './support/transactions';
import { listWords } from '../text/list-words';

export default defineRule({
  meta: {
    id: 'concurrently-breaks-migrate-dev',
    category: 'compatibility',
    defaultSeverity: 'warning',
    fixAvailability: 'always',
    summary: 'CONCURRENTLY statements in a multi-statement file with Prisma 7.4.0–7.7.x (`migrate dev` fails with P3006)',
    docs: {
      whatItDoes:
        'With Prisma 7.4.0 up to (not including) 7.8.0, flags a file that `prisma migrate deploy` runs statement by statement but that holds a `CREATE/DROP INDEX CONCURRENTLY` or `REINDEX ... CONCURRENTLY` next to other statements — typically several concurrent index builds in one folder. Reported once, on the first concurrent statement. Files that deploy itself sends as one batch are `concurrently-in-transaction` findings instead.',
      whyIsThisBad:
        'Prisma 7.4.0 taught `migrate deploy` to split a file into statements, so concurrent index builds can share a migration. But until 7.8.0 the shadow-database replay of `prisma migrate dev` still sent each file as one batch, which PostgreSQL runs as one transaction: the CONCURRENTLY statement fails there (SQLSTATE 25001) and `migrate dev` stops with P3006 for everyone working on the project, although production deploys work.',
      prismaVersion: '7.5.0',
      example: 'CREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId");\nCREATE INDEX CONCURRENTLY "Post_createdAt_idx" ON "Post"("createdAt");',
      useInstead: '-- Upgrade Prisma to 7.8.0 or later, or give each CONCURRENTLY statement a migration folder of its own:\nCREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId");',
      fixSafety: 'Unsafe: the fix moves the statement into a new migration folder right after this one, which changes the migration history. Upgrading Prisma to 7.8.0 or later needs no change to the file.',
      references: ['https://github.com/prisma/prisma-engines/pull/5799', 'https://github.com/prisma/prisma-engines/pull/5767', 'https://www.prisma.io/docs/orm/reference/error-reference#p3006'],
    },
  },
  checkMigration(ctx) {
    const v = ctx.prismaVersion;
    if (v === null || compareVersions(v, SPLIT_SINCE) < 0 || compareVersions(v, MIGRATE_DEV_FIXED_IN) >= 0) return;
    if (ctx.execution.mode !== 'split' || ctx.statements.length < 2) return;
    const concurrent = ctx.statements.filter((st) => !ctx.inExplicitBlock(st.index) && concurrentOperation(st.sql.node));
    if (!concurrent.length) return;
    const [first, ...rest] = concurrent;
    const op = concurrentOperation(first.sql.node)!;
    const others = rest.length
      ? ` (as ${rest.length > 1 ? 'do the CONCURRENTLY statements on lines' : 'does the CONCURRENTLY statement on line'} ${listWords(rest.map((s) => lineOf(ctx, s.index)))})`
      : '';
    ctx.report({
      statement: first.index,
      message: `\`prisma migrate deploy\` on Prisma ${v} runs this file statement by statement, but \`prisma migrate dev\` replays it on the shadow database as one batch, where ${op} fails (SQLSTATE 25001)${others}: migrate dev stops with P3006 until Prisma ${MIGRATE_DEV_FIXED_IN}.`,
      help: `Upgrade Prisma to ${MIGRATE_DEV_FIXED_IN} or later, or give each CONCURRENTLY statement a migration folder of its own.`,
      fixes: [moveToOwnMigrationFix(ctx, first, op.toLowerCase().replace(/\.\.\. /g, ''))],
    });
  },
});
