import { columnTypeOf } from '../pg/types';
import { quoteAlways } from '../pg/names';
import { alterTableCommands, displayTable, isExistingTable, notInHistoryNote, tableProvenance } from './helpers';
import { defineRule, type AnalyzedStatement, type MigrationContext } from './rule';
import { columnCommandRange, isOriginalColumn } from './support/columns';

export default defineRule({
  meta: {
    id: 'drop-column',
    category: 'data-loss',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`DROP COLUMN` of a column that existed before this migration',
    docs: {
      whatItDoes: 'Flags `ALTER TABLE ... DROP COLUMN` of a column that an earlier migration created, including Prisma\'s drop-and-add of a column whose type it cannot cast.',
      whyIsThisBad: 'Every value in the column is gone once the statement commits (with the rest of the file, where it runs as one batch); only a backup brings it back. Application instances still running the previous Prisma Client name every scalar column in their queries, so their reads and writes of the table fail until they are redeployed. When Prisma cannot cast a column to its new type it generates `DROP COLUMN` followed by `ADD COLUMN` of the same name: the values are lost just the same.',
      setup: 'CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, "nickname" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "User" DROP COLUMN "nickname";',
      useInstead: '-- Release 1: make the field optional and mark it @ignore in schema.prisma, deploy that code.\n-- Release 2, after a backup: remove the field; Prisma then generates the DROP COLUMN.\nALTER TABLE "User" ALTER COLUMN "nickname" DROP NOT NULL;',
      fixSafety: 'No fix: dropping data is a decision, and the safe path spans two releases.',
      references: [
        'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-DROP-COLUMN',
        'https://www.prisma.io/docs/orm/reference/prisma-schema-reference#ignore',
        'https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations',
      ],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      for (const { table, cmd } of alterTableCommands(st)) {
        if (cmd.subtype !== 'AT_DropColumn') continue;
        const column: string = cmd.name;
        if (!isExistingTable(ctx, st, table)) continue;
        const current = st.catalog.table(table)?.columns.get(column);
        // Missing now (IF EXISTS, or already dropped) or added in this migration: no data to lose.
        // A table the migrations do not fully show may have the column, with data.
        if ((!current && tableProvenance(ctx, st, table) === 'history') || !isOriginalColumn(ctx, st, table, column)) continue;
        const readded = addedAgainLater(ctx, st, table, column);
        const where = `${quoteAlways(column)} of ${displayTable(table)}`;
        ctx.report({
          statement: st.index,
          range: columnCommandRange(ctx, st, 'DROP\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?', column),
          message: readded
            ? `Drops column ${where}${current ? ` (${current.type.display})` : ''} and adds it again as ${readded}: every existing value is lost. Prisma generates this when it cannot cast the old type to the new one.${notInHistoryNote(ctx, st, table)}`
            : `Drops column ${where} and every value in it; application instances still running the previous Prisma Client select the column by name and fail until they are redeployed.${notInHistoryNote(ctx, st, table)}`,
          help: readded
            ? 'Convert in place instead: edit the migration (`prisma migrate dev --create-only`) to `ALTER COLUMN ... TYPE ... USING (<conversion>)`, or copy the values into a new column before dropping the old one.'
            : 'Stop using the field first (make it optional and mark it `@ignore` in schema.prisma, release that code), take a backup, then drop the column in a later migration.',
        });
      }
    }
  },
});

/** The type a dropped column is added again with, later in the same migration (Prisma's drop + add). */
function addedAgainLater(ctx: MigrationContext, dropped: AnalyzedStatement, table: string, column: string): string | null {
  for (const st of ctx.statements.slice(dropped.index)) {
    for (const c of alterTableCommands(st)) {
      const def = c.cmd.def?.ColumnDef;
      if (c.table === table && c.cmd.subtype === 'AT_AddColumn' && def?.colname === column) return columnTypeOf(def.typeName).display;
    }
  }
  return null;
}
