import { displayTable, keyOf } from '../pg/names';
import { sqlReferentialAction } from '../prisma/referential-actions';
import { defineRule } from './rule';
import { sameRelation } from './support/relations';
import { onDeleteConsequence, onUpdateConsequence } from './support/referential-actions';

export default defineRule({
  meta: {
    id: 'prisma-on-delete-change',
    category: 'referential-action',
    defaultSeverity: 'warning',
    fixAvailability: 'never',
    exampleLanguage: 'prisma',
    summary: 'A relation in schema.prisma whose effective `onDelete` / `onUpdate` changed since the base git ref',
    docs: {
      whatItDoes: 'With a base git ref (`preflight check --since <ref>`; in the editor, the branch’s merge-base with the default branch), compares each relation’s effective referential actions — written, or Prisma’s default — with the same relation at the ref. Points at the `onDelete:` argument, or at the `@relation` / field when the change is implicit (making a relation required flips the default from SetNull to Restrict).',
      whyIsThisBad: 'A one-word schema edit changes what deleting a row does in production: Cascade deletes children silently, Restrict / NoAction make deletes of parents that have children fail, SetNull sets the children’s key to NULL (and on a required relation makes those deletes fail: the column is NOT NULL). Implicit changes (optional → required) are easy to miss in review, and the generated migration re-creates the foreign key, scanning the table under locks.',
      setup: 'model Session {\n  id       Int       @id @default(autoincrement())\n  products Product[]\n}\n\nmodel Product {\n  id        Int      @id @default(autoincrement())\n  sessionId Int?     @map("session_id")\n  session   Session? @relation(fields: [sessionId], references: [id])\n}',
      example: 'model Session {\n  id       Int       @id @default(autoincrement())\n  products Product[]\n}\n\nmodel Product {\n  id        Int     @id @default(autoincrement())\n  sessionId Int     @map("session_id")\n  session   Session @relation(fields: [sessionId], references: [id], onDelete: Restrict)\n}',
      useInstead: 'model Session {\n  id       Int       @id @default(autoincrement())\n  products Product[]\n}\n\nmodel Product {\n  id        Int      @id @default(autoincrement())\n  sessionId Int?     @map("session_id")\n  session   Session? @relation(fields: [sessionId], references: [id], onDelete: SetNull)\n}',
      fixSafety: 'No fix: the action is a product decision. Review every code path that deletes the parent, then suppress or accept the warning.',
      references: ['https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions'],
    },
  },
  checkSchema(ctx) {
    if (!ctx.baseSchema) return;
    for (const rel of ctx.schema.relations) {
      const old = sameRelation(ctx.baseSchema, rel);
      if (!old) continue; // a new relation: its migration is reviewed on its own
      const child = displayTable(keyOf({ schema: rel.schema, name: rel.table }));
      const parent = displayTable(keyOf({ schema: rel.referencedSchema, name: rel.referencedTable }));
      const parts: string[] = [];
      if (old.onDelete.effective !== rel.onDelete.effective) {
        const implicit = !rel.onDelete.explicit ? ` (implicit: the relation is now ${rel.required ? 'required' : 'optional'}, so Prisma’s default applies)` : '';
        parts.push(`onDelete ${old.onDelete.effective} → ${rel.onDelete.effective}${implicit}: ${onDeleteConsequence(sqlReferentialAction(rel.onDelete.effective), child, parent, { from: sqlReferentialAction(old.onDelete.effective), notNull: rel.requiredColumns })}`);
      }
      if (old.onUpdate.effective !== rel.onUpdate.effective) parts.push(`onUpdate ${old.onUpdate.effective} → ${rel.onUpdate.effective}: ${onUpdateConsequence(sqlReferentialAction(rel.onUpdate.effective), child, parent, { from: sqlReferentialAction(old.onUpdate.effective), notNull: rel.requiredColumns })}`);
      if (!parts.length) continue;
      const range = old.onDelete.effective !== rel.onDelete.effective ? (rel.onDelete.range ?? rel.relationRange ?? rel.fieldRange) : (rel.onUpdate.range ?? rel.relationRange ?? rel.fieldRange);
      ctx.report({
        file: rel.file,
        range,
        message: `${rel.model}.${rel.field} changes ${parts.join('; ')} (compared with ${ctx.baseRef ?? 'the base ref'}).`,
        help: `Check every code path that deletes ${parent} rows; the migration Prisma generates re-creates the foreign key.`,
      });
    }
  },
});
