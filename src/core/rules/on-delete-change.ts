import type { Constraint } from '../catalog/model';
import { quoteAlways } from '../pg/names';
import { alterTableCommands, displayTable, relatedOrigin } from './helpers';
import { defineRule } from './rule';
import { notNullColumnsOf, onDeleteConsequence, onUpdateConsequence } from './support/referential-actions';

const REFUSING = new Set(['RESTRICT', 'NO ACTION']);

export default defineRule({
  meta: {
    id: 'on-delete-change',
    category: 'referential-action',
    defaultSeverity: 'warning',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: 'A foreign key re-created with a different `ON DELETE` or `ON UPDATE` action',
    docs: {
      whatItDoes: 'Compares each foreign key this migration adds with the foreign key of the same name (or on the same columns and table) that the earlier migrations left, and flags a change of its `ON DELETE` or `ON UPDATE` action. Prisma emits such a change as a `-- DropForeignKey` near the top of the file and an `-- AddForeignKey` near the end, which is easy to miss in review.',
      whyIsThisBad: 'The action decides what happens to existing rows when their parent is deleted: CASCADE deletes children silently, RESTRICT / NO ACTION makes deletes that used to work fail, SET NULL sets the children’s key to NULL — and makes every delete of a parent that has children fail when the column is NOT NULL (SQLSTATE 23502). Between RESTRICT and NO ACTION little changes: both refuse the delete, NO ACTION checks at the end of the statement (at COMMIT when the constraint is deferred) and accepts a key that is back by then, RESTRICT checks immediately and cannot be deferred; that change is reported as info. Application code that deletes parents behaves differently the moment the new key is committed. Re-creating the key also scans the table under SHARE ROW EXCLUSIVE locks on both tables.',
      setup: 'CREATE TABLE "Session" ("id" SERIAL NOT NULL, CONSTRAINT "Session_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "Product" ("id" SERIAL NOT NULL, "session_id" INTEGER, CONSTRAINT "Product_pkey" PRIMARY KEY ("id"));\nALTER TABLE "Product" ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE SET NULL ON UPDATE CASCADE;',
      example: '-- DropForeignKey\nALTER TABLE "Product" DROP CONSTRAINT "Product_session_id_fkey";\n\n-- AddForeignKey\nALTER TABLE "Product" ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;',
      useInstead: '-- Keep the action the application was written for, or make the change deliberately:\n-- review every code path that deletes "Session" rows, then re-create the key (NOT VALID + VALIDATE).\nALTER TABLE "Product" DROP CONSTRAINT "Product_session_id_fkey";\nALTER TABLE "Product" ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;',
      fixSafety: 'No fix: the action is a product decision. Use `-- preflight-ignore on-delete-change: <why>` once the change is reviewed.',
      references: ['https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK', 'https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      for (const { table, cmd } of alterTableCommands(st)) {
        if (cmd.subtype !== 'AT_AddConstraint' || cmd.def?.Constraint?.contype !== 'CONSTR_FOREIGN') continue;
        const name: string | undefined = cmd.def.Constraint.conname;
        const added = name ? ctx.after.findConstraint(table, name) : undefined;
        if (!added?.foreignKey) continue;
        const previous = previousForeignKey(ctx.before.table(table)?.constraints.values(), added);
        if (!previous?.foreignKey) continue;
        const from = previous.foreignKey;
        const to = added.foreignKey;
        const child = displayTable(table);
        const parent = displayTable(to.refTable);
        const changes: string[] = [];
        const notNull = notNullColumnsOf(ctx.after, table, to);
        const deferrable = cmd.def.Constraint.deferrable === true;
        if (from.onDelete !== to.onDelete) changes.push(`ON DELETE ${from.onDelete} → ${to.onDelete}: ${onDeleteConsequence(to.onDelete, child, parent, { from: from.onDelete, notNull, deferrable })}`);
        if (from.onUpdate !== to.onUpdate) changes.push(`ON UPDATE ${from.onUpdate} → ${to.onUpdate}: ${onUpdateConsequence(to.onUpdate, child, parent, { from: from.onUpdate, notNull, deferrable })}`);
        if (!changes.length) continue;
        // RESTRICT ↔ NO ACTION refuses the same deletes: worth knowing, not a warning.
        const onlyTiming = [[from.onDelete, to.onDelete], [from.onUpdate, to.onUpdate]].every(([a, b]) => a === b || (REFUSING.has(a) && REFUSING.has(b)));
        ctx.report({
          statement: st.index,
          ...(onlyTiming ? { severity: 'info' as const } : {}),
          message: `Foreign key ${quoteAlways(added.name)} changes ${changes.join('; ')}.`,
          help: `Check every code path that deletes or re-keys ${parent} rows; record the change in the deployment checklist.`,
          related: relatedOrigin(ctx, previous.origin, `previous definition of ${quoteAlways(previous.name)} (${from.onDelete === to.onDelete ? '' : `ON DELETE ${from.onDelete}`}${from.onDelete !== to.onDelete && from.onUpdate !== to.onUpdate ? ', ' : ''}${from.onUpdate === to.onUpdate ? '' : `ON UPDATE ${from.onUpdate}`}) in ${previous.origin.migration}`),
        });
      }
    }
  },
});

/** The foreign key an added one replaces: same name, else same columns and referenced table. */
function previousForeignKey(existing: Iterable<Constraint> | undefined, added: Constraint): Constraint | undefined {
  const list = [...(existing ?? [])].filter((c) => c.foreignKey);
  return (
    list.find((c) => c.name === added.name) ??
    list.find((c) => c.foreignKey!.refTable === added.foreignKey!.refTable && c.columns.join(',') === added.columns.join(','))
  );
}
