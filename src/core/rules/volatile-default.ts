import { calledFunctions, type PgNode } from '../pg/ast';
import { displayTable, quoteAlways } from '../pg/names';
import { columnTypeOf } from '../pg/types';
import { isVolatileExpression } from '../facts/locks';
import { notInHistoryNote } from './helpers';
import { defineRule } from './rule';
import { columnsAddedToExistingTables } from './support/columns';

export default defineRule({
  meta: {
    id: 'volatile-default',
    category: 'locking',
    defaultSeverity: 'warning',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`ADD COLUMN` with a volatile default on an existing table',
    docs: {
      whatItDoes: 'Flags `ALTER TABLE ... ADD COLUMN` on a table that existed before this migration when the column\'s default must be computed row by row: a volatile function such as `gen_random_uuid()`, `uuid_generate_v4()`, `random()`, `clock_timestamp()` or `nextval()`, and `SERIAL` / `BIGSERIAL` or identity columns (a sequence default). `now()` and `CURRENT_TIMESTAMP` are stable — one value per transaction — and are not flagged.',
      whyIsThisBad: 'Since PostgreSQL 11, adding a column with a constant (or stable) default only records the default in the catalog. A volatile default gives every existing row its own value, so PostgreSQL rewrites the whole table and rebuilds its indexes under an ACCESS EXCLUSIVE lock, which blocks all reads and writes of the table until it finishes. In Prisma this comes from `@default(dbgenerated("gen_random_uuid()"))` or `@default(autoincrement())` on a new field of an existing model.',
      setup: 'CREATE TABLE "Order" ("id" SERIAL NOT NULL, "total" INTEGER NOT NULL, CONSTRAINT "Order_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "Order" ADD COLUMN "publicId" UUID NOT NULL DEFAULT gen_random_uuid();',
      useInstead: '-- Add the column without the default, then set it for new rows only (both instant):\nALTER TABLE "Order" ADD COLUMN "publicId" UUID;\nALTER TABLE "Order" ALTER COLUMN "publicId" SET DEFAULT gen_random_uuid();\n-- Backfill existing rows in batches outside the migration, then SET NOT NULL in a later one.',
      fixSafety: 'No fix: existing rows still need their values (a batched backfill), which a rewrite of the statement cannot provide.',
      references: [
        'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES',
        'https://www.postgresql.org/docs/current/xfunc-volatility.html',
      ],
    },
  },
  checkMigration(ctx) {
    for (const { st, table, def, range } of columnsAddedToExistingTables(ctx)) {
      const source = volatileSource(def);
      if (!source) continue;
      const column = quoteAlways(def.colname);
      ctx.report({
        statement: st.index,
        range: range(),
        message: `Adding ${column} to ${displayTable(table)} ${source} computes a value for every existing row: PostgreSQL rewrites the table and its indexes under an ACCESS EXCLUSIVE lock, which blocks all reads and writes until it finishes.${notInHistoryNote(ctx, st, table)}`,
        help: `Add ${column} without the default, then SET DEFAULT in a separate statement (new rows only), and backfill existing rows in batches outside the migration.`,
      });
    }
  },
});

/** Why a new column's default is computed per row, in words; null when it is not. */
function volatileSource(def: PgNode): string | null {
  const type = columnTypeOf(def.typeName);
  if (type.serial) return `as ${type.base === 'int8' ? 'BIGSERIAL' : type.base === 'int2' ? 'SMALLSERIAL' : 'SERIAL'} (a nextval() default)`;
  for (const item of def.constraints ?? []) {
    const c = item.Constraint ?? {};
    if (c.contype === 'CONSTR_IDENTITY') return 'as an identity column (a sequence default)';
    if (c.contype === 'CONSTR_DEFAULT' && isVolatileExpression(c.raw_expr)) {
      const volatile = calledFunctions(c.raw_expr).find((f) => isVolatileExpression({ FuncCall: { funcname: [{ String: { sval: f } }] } }));
      return `with the volatile default ${volatile}()`;
    }
  }
  return null;
}
