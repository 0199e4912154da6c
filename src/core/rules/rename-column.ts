import { nodeBody, nodeType } from '../pg/ast';
import { keyOf, quoteAlways, rangeVarName } from '../pg/names';
import { displayTable, isExistingTable, notInHistoryNote, tableProvenance } from './helpers';
import { defineRule } from './rule';
import { isOriginalColumn } from './support/columns';

export default defineRule({
  meta: {
    id: 'rename-column',
    category: 'compatibility',
    defaultSeverity: 'warning',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`ALTER TABLE ... RENAME COLUMN` of an existing column',
    docs: {
      whatItDoes: 'Flags `ALTER TABLE ... RENAME COLUMN` of a column that existed before this migration.',
      whyIsThisBad: 'The rename itself is quick (a brief ACCESS EXCLUSIVE lock), but the previous Prisma Client names every scalar column in its queries: from the moment the rename commits, every application instance still running it fails on that table until all of them are redeployed. A hand-written rename is usually meant to rename a field while keeping its data, which `@map` does without touching the database.',
      setup: 'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "Post" RENAME COLUMN "created_at" TO "createdAt";',
      useInstead: '-- No migration: rename the field in schema.prisma and keep the column name:\n--   createdAt DateTime @default(now()) @map("created_at")',
      fixSafety: 'No fix: the alternative is a schema.prisma change, not a SQL rewrite.',
      references: ['https://www.prisma.io/docs/orm/prisma-schema/data-model/database-mapping#mapping-collectionstable-and-fieldcolumn-names', 'https://www.postgresql.org/docs/current/sql-altertable.html'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      if (nodeType(st.sql.node) !== 'RenameStmt') continue;
      const s = nodeBody(st.sql.node);
      if (s.renameType !== 'OBJECT_COLUMN' || (s.relationType && s.relationType !== 'OBJECT_TABLE')) continue;
      const table = keyOf(rangeVarName(s.relation));
      const column: string = s.subname;
      if (!isExistingTable(ctx, st, table) || (st.catalog.table(table)?.kind ?? 'table') !== 'table') continue;
      // A column added earlier in this migration is not used by any running code yet; on a table the
      // migrations do not fully show, a column they do not list may still be an original one.
      if ((!st.catalog.table(table)?.columns.has(column) && tableProvenance(ctx, st, table) === 'history') || !isOriginalColumn(ctx, st, table, column)) continue;
      ctx.report({
        statement: st.index,
        message: `Renames column ${quoteAlways(column)} of ${displayTable(table)} to ${quoteAlways(s.newname)}: application instances still running the previous Prisma Client select ${quoteAlways(column)} and fail until they are all redeployed.${notInHistoryNote(ctx, st, table)}`,
        help: `Keep the column name and rename only the field: add @map(${JSON.stringify(column)}) to it in schema.prisma.`,
      });
    }
  },
});
