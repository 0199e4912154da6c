import { nodeBody, nodeType } from '../pg/ast';
import { keyOf, rangeVarName } from '../pg/names';
import { displayTable, isExistingTable, notInHistoryNote } from './helpers';
import { defineRule } from './rule';
import { addConcurrentlyFixes } from './support/fixes';

export default defineRule({
  meta: {
    id: 'non-concurrent-index',
    category: 'locking',
    defaultSeverity: 'warning',
    fixAvailability: 'always',
    insideDoBlocks: true,
    summary: '`CREATE INDEX` without `CONCURRENTLY` on an existing table',
    docs: {
      whatItDoes: 'Flags `CREATE INDEX` (and `CREATE UNIQUE INDEX`) without `CONCURRENTLY` on a table that existed before this migration.',
      whyIsThisBad: 'A plain index build takes a SHARE lock on the table for the whole build: every INSERT, UPDATE and DELETE waits until the index is complete, which on a large table means minutes of failed or queued writes. Prisma always generates plain `CREATE INDEX`.',
      setup: 'CREATE TABLE "Appointment" ("id" SERIAL NOT NULL, "tenant_id" INTEGER NOT NULL, "start_time" TIMESTAMP(3) NOT NULL, CONSTRAINT "Appointment_pkey" PRIMARY KEY ("id"));',
      example: 'CREATE INDEX "Appointment_tenant_id_start_time_idx" ON "Appointment"("tenant_id", "start_time");',
      useInstead: '-- In a migration folder of its own (Prisma ≤ 7.3 sends a file as one batch, and CONCURRENTLY cannot run in a transaction):\nCREATE INDEX CONCURRENTLY "Appointment_tenant_id_start_time_idx" ON "Appointment"("tenant_id", "start_time");',
      fixSafety: 'Adding `CONCURRENTLY` is safe when the statement runs on its own; where the file runs as one batch, the fix moves the statement into a new migration folder of its own, which changes the migration history (unsafe: review it). A concurrent build that fails leaves an INVALID index: drop it before retrying.',
      references: ['https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY', 'https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      if (nodeType(st.sql.node) !== 'IndexStmt') continue;
      const s = nodeBody(st.sql.node);
      if (s.concurrent) continue;
      const table = keyOf(rangeVarName(s.relation));
      if (!isExistingTable(ctx, st, table)) continue;
      ctx.report({
        statement: st.index,
        message: `Building this index takes a SHARE lock on ${displayTable(table)}: inserts, updates and deletes wait until the whole build finishes.${notInHistoryNote(ctx, st, table)}`,
        help: 'Use CREATE INDEX CONCURRENTLY, in a migration folder of its own.',
        fixes: addConcurrentlyFixes(ctx, st),
      });
    }
  },
});
