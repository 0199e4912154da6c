import { alterTableCommands, displayTable, isExistingTable, notInHistoryNote } from './helpers';
import { defineRule } from './rule';
import { quoteAlways } from '../pg/names';
import { notValidThenValidateFix } from './support/fixes';

export default defineRule({
  meta: {
    id: 'foreign-key-validation',
    category: 'locking',
    defaultSeverity: 'warning',
    fixAvailability: 'always',
    insideDoBlocks: true,
    summary: '`ADD FOREIGN KEY` without `NOT VALID` on an existing table',
    docs: {
      whatItDoes: 'Flags `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY` without `NOT VALID` on a table that existed before this migration.',
      whyIsThisBad: 'Adding a foreign key checks every existing row while holding a SHARE ROW EXCLUSIVE lock on both the table and the referenced table: inserts, updates and deletes on both wait for the whole scan. Prisma generates every foreign key this way, including when it re-creates one to change `onDelete`.',
      setup: 'CREATE TABLE "Session" ("id" SERIAL NOT NULL, CONSTRAINT "Session_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "Product" ("id" SERIAL NOT NULL, "session_id" INTEGER NOT NULL, CONSTRAINT "Product_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "Product" ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;',
      useInstead: 'ALTER TABLE "Product" ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;\n-- in the next migration folder:\nALTER TABLE "Product" VALIDATE CONSTRAINT "Product_session_id_fkey";',
      fixSafety: 'Unsafe: the fix adds `NOT VALID` here and a new migration folder that validates the constraint. New rows are checked at once; existing rows only when the follow-up runs, under a SHARE UPDATE EXCLUSIVE lock that lets reads and writes continue.',
      references: ['https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      for (const { table, cmd } of alterTableCommands(st)) {
        if (cmd.subtype !== 'AT_AddConstraint') continue;
        const con = cmd.def?.Constraint;
        if (con?.contype !== 'CONSTR_FOREIGN' || con.skip_validation) continue;
        if (!isExistingTable(ctx, st, table)) continue;
        const name: string | undefined = con.conname;
        ctx.report({
          statement: st.index,
          message: `Adding foreign key ${name ? quoteAlways(name) + ' ' : ''}scans every row of ${displayTable(table)} under a SHARE ROW EXCLUSIVE lock on it and on the referenced table: writes to both wait for the whole scan.${notInHistoryNote(ctx, st, table)}`,
          help: 'Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a follow-up migration.',
          fixes: name ? [notValidThenValidateFix(ctx, st, table, name, 'foreign key')] : undefined,
        });
      }
    }
  },
});
