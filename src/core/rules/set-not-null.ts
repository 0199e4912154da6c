import { defaultConstraintName } from '../catalog/apply';
import { displayTable, quoteAlways, splitKey } from '../pg/names';
import type { Fix } from '../types';
import { alterTableCommands, isExistingTable, notInHistoryNote, tableProvenance } from './helpers';
import { defineRule, type AnalyzedStatement, type MigrationContext } from './rule';
import { columnCommandRange } from './support/columns';
import { followUpMigrationPath } from './support/fixes';

export default defineRule({
  meta: {
    id: 'set-not-null',
    category: 'locking',
    defaultSeverity: 'warning',
    fixAvailability: 'sometimes',
    insideDoBlocks: true,
    summary: '`SET NOT NULL` on a column of an existing table',
    docs: {
      whatItDoes: 'Flags `ALTER TABLE ... ALTER COLUMN ... SET NOT NULL` on a nullable column of a table that existed before this migration, unless the table has a validated `CHECK ("c" IS NOT NULL)` constraint. Prisma generates it when an optional field becomes required.',
      whyIsThisBad: 'PostgreSQL scans every row to prove there is no NULL while holding an ACCESS EXCLUSIVE lock, which blocks all reads and writes of the table for the whole scan. If a NULL is found the statement fails and the deploy stops. Since PostgreSQL 12 the scan is skipped when a validated `CHECK (c IS NOT NULL)` constraint already proves it, and such a check can be validated without blocking writes.',
      setup: 'CREATE TABLE "Customer" ("id" SERIAL NOT NULL, "email" TEXT, CONSTRAINT "Customer_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "Customer" ALTER COLUMN "email" SET NOT NULL;',
      useInstead: 'ALTER TABLE "Customer" ADD CONSTRAINT "Customer_email_not_null" CHECK ("email" IS NOT NULL) NOT VALID;\n-- in the next migration folder (VALIDATE takes SHARE UPDATE EXCLUSIVE: reads and writes continue):\nALTER TABLE "Customer" VALIDATE CONSTRAINT "Customer_email_not_null";\nALTER TABLE "Customer" ALTER COLUMN "email" SET NOT NULL;\nALTER TABLE "Customer" DROP CONSTRAINT "Customer_email_not_null";',
      fixSafety: 'Offered when `SET NOT NULL` is the only action of its `ALTER TABLE`. Unsafe: the fix replaces it with a `NOT VALID` check here and adds a new migration folder that validates the check, sets NOT NULL (without a scan) and drops the check; the column only becomes NOT NULL when the follow-up runs, and the follow-up fails if a NULL remains.',
      references: [
        'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-SET-DROP-NOT-NULL',
        'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES',
      ],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      const commands = alterTableCommands(st);
      for (const { table, cmd } of commands) {
        if (cmd.subtype !== 'AT_SetNotNull' || !isExistingTable(ctx, st, table)) continue;
        const column: string = cmd.name;
        const t = st.catalog.table(table);
        const col = t?.columns.get(column);
        // Already NOT NULL, or a column that does not exist (the statement fails): nothing to scan.
        // On a table the migrations do not fully show, neither is known: the scan may happen.
        if (col?.notNull || (!col && tableProvenance(ctx, st, table) === 'history')) continue;
        const proven = [...(t?.constraints.values() ?? [])].some((c) => c.type === 'check' && c.validated && c.expression === `${quoteAlways(column)} IS NOT NULL`);
        if (proven) continue;
        ctx.report({
          statement: st.index,
          range: columnCommandRange(ctx, st, 'ALTER\\s+(?:COLUMN\\s+)?', column, '\\s+SET\\s+NOT\\s+NULL'),
          message: `SET NOT NULL on ${quoteAlways(column)} scans every row of ${displayTable(table)} under an ACCESS EXCLUSIVE lock, which blocks all reads and writes of the table until the scan finishes.${notInHistoryNote(ctx, st, table)}`,
          help: `Add CHECK (${quoteAlways(column)} IS NOT NULL) NOT VALID first, VALIDATE it in a later migration (reads and writes continue), then SET NOT NULL: PostgreSQL 12+ skips the scan.`,
          fixes: commands.length === 1 ? [checkFirstFix(ctx, st, table, column)] : undefined,
        });
      }
    }
  },
});

/** Replaces the statement by a NOT VALID check, and adds a follow-up migration: VALIDATE, SET NOT NULL, DROP the check. */
function checkFirstFix(ctx: MigrationContext, st: AnalyzedStatement, table: string, column: string): Fix {
  const constraint = quoteAlways(defaultConstraintName(splitKey(table).name, [column], 'not_null'));
  const t = displayTable(table);
  const c = quoteAlways(column);
  const file = followUpMigrationPath(ctx, `set_${column}_not_null`);
  return {
    title: `Add a NOT VALID check here and set NOT NULL in a new migration (${file.split(/[\\/]/).slice(-2)[0]})`,
    safe: false,
    edits: [{ file: ctx.file, startOffset: st.sql.range.startOffset, endOffset: st.sql.range.endOffset, newText: `ALTER TABLE ${t} ADD CONSTRAINT ${constraint} CHECK (${c} IS NOT NULL) NOT VALID;` }],
    newFiles: [
      {
        file,
        content: `-- Validates without blocking writes (SHARE UPDATE EXCLUSIVE); then SET NOT NULL needs no scan.\nALTER TABLE ${t} VALIDATE CONSTRAINT ${constraint};\nALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL;\nALTER TABLE ${t} DROP CONSTRAINT ${constraint};\n`,
      },
    ],
  };
}
