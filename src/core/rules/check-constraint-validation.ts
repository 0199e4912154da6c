import { quoteAlways } from '../pg/names';
import { alterTableCommands, describeLock, displayTable, isExistingTable, notInHistoryNote } from './helpers';
import { defineRule } from './rule';
import { notValidThenValidateFix } from './support/fixes';

export default defineRule({
  meta: {
    id: 'check-constraint-validation',
    category: 'locking',
    defaultSeverity: 'warning',
    fixAvailability: 'sometimes',
    insideDoBlocks: true,
    summary: '`ADD CHECK` without `NOT VALID` on an existing table',
    docs: {
      whatItDoes: 'Flags `ALTER TABLE ... ADD CONSTRAINT ... CHECK (...)` without `NOT VALID` (or `NOT ENFORCED`) on a table that existed before this migration.',
      whyIsThisBad:
        'Adding a check constraint reads every row of the table to prove the condition holds, while holding an ACCESS EXCLUSIVE lock on it: every read and write of the table waits for the whole scan. And if one row fails the condition, the statement fails and the deploy stops.',
      setup: 'CREATE TABLE "Order" ("id" SERIAL NOT NULL, "quantity" INTEGER NOT NULL, CONSTRAINT "Order_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "Order" ADD CONSTRAINT "Order_quantity_check" CHECK ("quantity" > 0);',
      useInstead:
        '-- Checked for new rows at once; no scan, and the ACCESS EXCLUSIVE lock is held only for a moment:\nALTER TABLE "Order" ADD CONSTRAINT "Order_quantity_check" CHECK ("quantity" > 0) NOT VALID;\n-- In the next migration folder: scans under SHARE UPDATE EXCLUSIVE, so reads and writes continue:\nALTER TABLE "Order" VALIDATE CONSTRAINT "Order_quantity_check";',
      fixSafety:
        'Unsafe: the fix adds `NOT VALID` here and a new migration folder that validates the constraint. New and updated rows are checked at once; rows that already existed only when the follow-up runs. Offered when the `ALTER TABLE` adds one named constraint and nothing else.',
      references: ['https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES', 'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-VALIDATE-CONSTRAINT'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      const commands = alterTableCommands(st);
      for (const { table, cmd } of commands) {
        if (cmd.subtype !== 'AT_AddConstraint') continue;
        const con = cmd.def?.Constraint;
        if (con?.contype !== 'CONSTR_CHECK' || con.skip_validation) continue;
        if (!isExistingTable(ctx, st, table)) continue;
        const name: string | undefined = con.conname;
        ctx.report({
          statement: st.index,
          message: `Adding check constraint ${name ? quoteAlways(name) + ' ' : ''}scans every row of ${displayTable(table)} while holding an ${describeLock({ table, mode: 'AccessExclusiveLock' })}.${notInHistoryNote(ctx, st, table)}`,
          help: 'Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a follow-up migration.',
          fixes: name && commands.length === 1 ? [notValidThenValidateFix(ctx, st, table, name, 'check constraint')] : undefined,
        });
      }
    }
  },
});
