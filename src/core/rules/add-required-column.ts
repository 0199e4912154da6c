import { nodeBody, nodeType, type PgNode } from '../pg/ast';
import { displayTable, keyOf, quoteAlways, rangeVarName } from '../pg/names';
import { columnTypeOf } from '../pg/types';
import { notInHistoryNote } from './helpers';
import { defineRule, type MigrationContext } from './rule';
import { columnsAddedToExistingTables } from './support/columns';

export default defineRule({
  meta: {
    id: 'add-required-column',
    category: 'deploy-failure',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`ADD COLUMN ... NOT NULL` without a default on an existing table',
    docs: {
      whatItDoes: 'Flags `ALTER TABLE ... ADD COLUMN ... NOT NULL` (or `PRIMARY KEY`) without a `DEFAULT` on a table that existed before this migration. Identity, serial and generated columns get a value for every row and are not flagged; nor is a table emptied earlier in the same migration.',
      whyIsThisBad: 'PostgreSQL has no value to put in the existing rows, so the statement fails with `column "c" of relation "T" contains null values` (23502) as soon as the table has a single row: the deploy stops with P3018. It works on an empty development database and fails on production. Prisma generates it for a new required field without `@default` and warns "Added the required column ... without a default value".',
      setup: 'CREATE TABLE "Invoice" ("id" SERIAL NOT NULL, "amount" INTEGER NOT NULL, CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "Invoice" ADD COLUMN "currency" TEXT NOT NULL;',
      useInstead: '-- Either give it a default (@default("EUR") in schema.prisma): instant since PostgreSQL 11,\nALTER TABLE "Invoice" ADD COLUMN "currency" TEXT NOT NULL DEFAULT \'EUR\';\n-- or expand / contract: add it nullable (String?), backfill, and make it required in a later migration.\nALTER TABLE "Invoice" ADD COLUMN "vatNumber" TEXT;',
      fixSafety: 'No fix: the value existing rows should get is a decision (a default, or a backfill before SET NOT NULL).',
      references: [
        'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-ADD-COLUMN',
        'https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations',
      ],
    },
  },
  checkMigration(ctx) {
    for (const { st, table, def, range } of columnsAddedToExistingTables(ctx)) {
      if (!requiresValueWithoutOne(def)) continue;
      if (emptiedEarlier(ctx, st.index, table)) continue;
      const column = quoteAlways(def.colname);
      ctx.report({
        statement: st.index,
        range: range(),
        message: `Adds NOT NULL column ${column} to ${displayTable(table)} without a default: the migration fails with a NOT NULL violation (23502) if ${displayTable(table)} has any row.${notInHistoryNote(ctx, st, table)}`,
        help: `Give ${column} a default (@default in schema.prisma), or add it nullable, backfill it, and make it required (SET NOT NULL) in a later migration.`,
      });
    }
  },
});

/** NOT NULL (or PRIMARY KEY) and nothing that fills existing rows: no default, identity, serial or generated expression. */
function requiresValueWithoutOne(def: PgNode): boolean {
  if (columnTypeOf(def.typeName).serial) return false;
  const kinds = new Set<string>((def.constraints ?? []).map((c: PgNode) => c.Constraint?.contype));
  if (kinds.has('CONSTR_DEFAULT') || kinds.has('CONSTR_IDENTITY') || kinds.has('CONSTR_GENERATED')) return false;
  return kinds.has('CONSTR_NOTNULL') || kinds.has('CONSTR_PRIMARY');
}

/** An earlier statement of this migration leaves the table without rows (TRUNCATE, or DELETE without WHERE). */
function emptiedEarlier(ctx: MigrationContext, index: number, table: string): boolean {
  return ctx.statements.slice(0, index).some((o) => {
    const s = nodeBody(o.sql.node);
    switch (nodeType(o.sql.node)) {
      case 'TruncateStmt':
        return (s.relations ?? []).some((r: PgNode) => keyOf(rangeVarName(r.RangeVar)) === table);
      case 'DeleteStmt':
        return !s.whereClause && keyOf(rangeVarName(s.relation)) === table;
      default:
        return false;
    }
  });
}
