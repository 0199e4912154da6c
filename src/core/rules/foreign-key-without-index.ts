import { quoteAlways } from '../pg/names';
import { alterTableCommands, displayTable } from './helpers';
import { defineRule, type AnalyzedStatement } from './rule';
import type { Catalog } from '../catalog/model';
import type { Finding } from '../types';

export default defineRule({
  meta: {
    id: 'foreign-key-without-index',
    category: 'hygiene',
    defaultSeverity: 'info',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: 'Foreign key columns not covered by the leading columns of an index',
    docs: {
      whatItDoes: 'Flags a foreign key added by this migration whose columns are not the leading columns of any index on the referencing table once the migration has run. PostgreSQL indexes the referenced key (it must be unique) but never the referencing columns, and Prisma does not add that index either (except with `relationMode = "prisma"` warnings).',
      whyIsThisBad: 'Every delete or key update of a parent row must find its children: without an index that is a sequential scan of the child table, under the lock of the deleting transaction. ON DELETE CASCADE, RESTRICT and SET NULL all pay it; on a large table deletes become slow and lock-heavy.',
      setup: 'CREATE TABLE "Customer" ("id" SERIAL NOT NULL, CONSTRAINT "Customer_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "Sale" ("id" SERIAL NOT NULL, "customer_id" INTEGER, CONSTRAINT "Sale_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "Sale" ADD CONSTRAINT "Sale_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;',
      useInstead: '-- @@index([customerId]) in schema.prisma generates:\nCREATE INDEX "Sale_customer_id_idx" ON "Sale"("customer_id");\nALTER TABLE "Sale" ADD CONSTRAINT "Sale_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;',
      fixSafety: 'No automatic fix: the index belongs in schema.prisma (`@@index([...])`) so Prisma keeps it; the help says which. A new index on an existing table should be built CONCURRENTLY in a migration of its own.',
      references: ['https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK', 'https://www.prisma.io/docs/orm/prisma-schema/data-model/indexes'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      const added: { table: string; name: string }[] = [];
      for (const { table, cmd } of alterTableCommands(st)) {
        const con = cmd.def?.Constraint;
        if (cmd.subtype === 'AT_AddConstraint' && con?.contype === 'CONSTR_FOREIGN' && con.conname) added.push({ table, name: con.conname });
      }
      for (const { table, name } of added) {
        const fk = ctx.after.findConstraint(table, name);
        if (!fk?.foreignKey || ctx.after.isUncertain(table)) continue;
        const cols = fk.columns;
        if (coveringIndex(ctx.after, table, cols)) continue;
        ctx.report({
          statement: st.index,
          message: `No index on ${displayTable(table)} starts with ${cols.map(quoteAlways).join(', ')}, the columns of foreign key ${quoteAlways(name)}: deleting or re-keying a ${displayTable(fk.foreignKey.refTable)} row scans ${displayTable(table)}.`,
          help: `Add @@index([${cols.join(', ')}]) (field names) to the model in schema.prisma, in a later migration built CONCURRENTLY if the table is large.`,
        });
      }
    }
  },
});

/** An index of the table whose leading columns are the foreign key's columns (in any order). */
function coveringIndex(catalog: Catalog, table: string, cols: readonly string[]): string | null {
  return catalog.indexesOf(table).find((ix) => cols.every((c) => ix.columns.slice(0, cols.length).includes(c)))?.name ?? null;
}

/**
 * The finding judged on the whole history: a foreign key that a later migration indexes gets a
 * note naming that migration (the slow deletes last only until it is deployed); one a later
 * migration drops, or whose table it loses track of, keeps the finding as it was.
 */
export function judgeOnLaterHistory(finding: Finding, later: readonly { name: string; after: Catalog }[], stmt: AnalyzedStatement | undefined): Finding {
  if (!stmt) return finding;
  for (const { table, cmd } of alterTableCommands(stmt)) {
    const con = cmd.def?.Constraint;
    if (cmd.subtype !== 'AT_AddConstraint' || con?.contype !== 'CONSTR_FOREIGN' || !con.conname) continue;
    for (const m of later) {
      const fk = m.after.findConstraint(table, con.conname);
      if (!fk?.foreignKey) break;
      const ix = coveringIndex(m.after, table, fk.columns);
      if (ix) return { ...finding, message: `${finding.message} A later migration, ${m.name}, adds index ${quoteAlways(ix)}, which covers it: the scans happen only until that migration is deployed.` };
    }
  }
  return finding;
}
