import { nodeBody, nodeType } from '../pg/ast';
import { keyOf, rangeVarName } from '../pg/names';
import { displayTable, isExistingTable, notInHistoryNote } from './helpers';
import { defineRule } from './rule';
import { locksHeldUntil } from './support/transactions';

export default defineRule({
  meta: {
    id: 'unbounded-data-change',
    category: 'locking',
    defaultSeverity: 'warning',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`UPDATE` / `DELETE` without `WHERE` on an existing table',
    docs: {
      whatItDoes: 'Flags `UPDATE` and `DELETE` without a `WHERE` clause on a table that existed before this migration. A backfill of a table created in the same migration is not flagged.',
      whyIsThisBad: 'The statement touches every row in one transaction: each row stays locked against other updates and deletes until its transaction commits: at the end of the statement where Prisma ≥ 7.4 runs the file statement by statement, at the end of the whole file where it runs as one batch (Prisma ≤ 7.3, or a file Prisma cannot split), together with every other lock the file takes, the table doubles in size until VACUUM catches up, and the burst of WAL can lag replicas. A `DELETE` without `WHERE` empties the table. On a development database this takes milliseconds; on production it can take minutes.',
      setup: 'CREATE TABLE "Subscription" ("id" SERIAL NOT NULL, "status" TEXT, CONSTRAINT "Subscription_pkey" PRIMARY KEY ("id"));',
      example: 'UPDATE "Subscription" SET "status" = \'active\';',
      useInstead: '-- Touch only the rows that need it (and, on a large table, run it in batches outside the migration):\nUPDATE "Subscription" SET "status" = \'active\' WHERE "status" IS NULL;',
      fixSafety: 'No fix: which rows should change is a decision.',
      references: ['https://www.postgresql.org/docs/current/sql-update.html', 'https://www.postgresql.org/docs/current/routine-vacuuming.html'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      const type = nodeType(st.sql.node);
      if (type !== 'UpdateStmt' && type !== 'DeleteStmt') continue;
      const s = nodeBody(st.sql.node);
      if (s.whereClause) continue;
      const table = keyOf(rangeVarName(s.relation));
      if (!isExistingTable(ctx, st, table)) continue;
      const t = displayTable(table);
      const held = locksHeldUntil(ctx, st.index);
      ctx.report({
        statement: st.index,
        message:
          (type === 'UpdateStmt'
            ? `Updates every row of ${t} in one transaction: each row stays locked against other writes ${held}, and a large table bloats and writes a burst of WAL.`
            : `Deletes every row of ${t} in one transaction: the table is emptied, each row stays locked against other writes ${held}, and a large table bloats until VACUUM catches up.`) + notInHistoryNote(ctx, st, table),
        help: 'Add a WHERE clause so only the rows that need it change; on a large table, run the change in batches (by primary-key range) outside the migration.',
      });
    }
  },
});
