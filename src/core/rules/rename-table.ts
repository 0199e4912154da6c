import { nodeBody, nodeType } from '../pg/ast';
import { keyOf, quoteAlways, rangeVarName } from '../pg/names';
import { displayTable, isExistingTable, notInHistoryNote } from './helpers';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'rename-table',
    category: 'compatibility',
    defaultSeverity: 'warning',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`ALTER TABLE ... RENAME TO` of an existing table',
    docs: {
      whatItDoes: 'Flags `ALTER TABLE ... RENAME TO` of a table that existed before this migration.',
      whyIsThisBad: 'The rename itself is quick (a brief ACCESS EXCLUSIVE lock), but from the moment it commits every application instance still running the previous Prisma Client queries a table that no longer exists and fails, until all of them are redeployed. Prisma never generates a table rename (renaming a model becomes DROP TABLE + CREATE TABLE); a hand-written rename is usually meant to keep the data while renaming the model, which `@@map` does without touching the database.',
      setup: 'CREATE TABLE "user_accounts" ("id" SERIAL NOT NULL, CONSTRAINT "user_accounts_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "user_accounts" RENAME TO "Account";',
      useInstead: '-- No migration: rename the model in schema.prisma and keep the table name:\n--   model Account {\n--     ...\n--     @@map("user_accounts")\n--   }',
      fixSafety: 'No fix: the alternative is a schema.prisma change, not a SQL rewrite.',
      references: ['https://www.prisma.io/docs/orm/prisma-schema/data-model/database-mapping#mapping-collectionstable-and-fieldcolumn-names', 'https://www.postgresql.org/docs/current/sql-altertable.html'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      if (nodeType(st.sql.node) !== 'RenameStmt') continue;
      const s = nodeBody(st.sql.node);
      if (s.renameType !== 'OBJECT_TABLE') continue;
      const table = keyOf(rangeVarName(s.relation));
      // A relation no migration creates may be a table: unknown is not safe.
      if (!isExistingTable(ctx, st, table) || (st.catalog.table(table)?.kind ?? 'table') !== 'table') continue;
      const old = displayTable(table);
      ctx.report({
        statement: st.index,
        message: `Renames table ${old} to ${quoteAlways(s.newname)}: application instances still running the previous Prisma Client query ${old} and fail until they are all redeployed.${notInHistoryNote(ctx, st, table)}`,
        help: `Keep the table name and rename only the model: add @@map(${JSON.stringify(rangeVarName(s.relation).name)}) to it in schema.prisma.`,
      });
    }
  },
});
