import type { Constraint } from '../catalog/model';
import { displayTable, keyOf, quoteAlways } from '../pg/names';
import { sqlReferentialAction } from '../prisma/referential-actions';
import type { PrismaRelation, PrismaSchemaModel } from '../prisma/schema';
import { relatedOrigin } from './helpers';
import { defineRule } from './rule';
import { sameRelation } from './support/relations';
import { notNullColumnsOf, onDeleteConsequence } from './support/referential-actions';

/** The foreign key in the catalog that a schema relation describes: by name, else by columns and target. */
function foreignKeyOfRelation(constraints: Iterable<Constraint> | undefined, rel: PrismaRelation): Constraint | undefined {
  const fks = [...(constraints ?? [])].filter((c) => c.foreignKey);
  const target = keyOf({ schema: rel.referencedSchema, name: rel.referencedTable });
  return fks.find((c) => c.name === rel.constraintName) ?? fks.find((c) => c.foreignKey!.refTable === target && c.columns.join(',') === rel.columns.join(','));
}

/**
 * Drift the branch did not bring: the relation reads the same in the base schema, and no migration
 * of the branch set the foreign key. It was there before the branch and is not its finding.
 */
function predatesBranch(base: PrismaSchemaModel | null, branch: ReadonlySet<string> | null | undefined, rel: PrismaRelation, fk: Constraint | undefined): boolean {
  if (!base || !branch) return false;
  const old = sameRelation(base, rel);
  if (!old || old.onDelete.effective !== rel.onDelete.effective || old.onUpdate.effective !== rel.onUpdate.effective || old.constraintName !== rel.constraintName) return false;
  return !fk || !branch.has(fk.origin.migration);
}

export default defineRule({
  meta: {
    id: 'prisma-schema-drift',
    category: 'referential-action',
    defaultSeverity: 'warning',
    fixAvailability: 'never',
    exampleLanguage: 'prisma',
    summary: 'A relation in schema.prisma whose referential actions differ from what the migration history leaves in the database',
    docs: {
      whatItDoes: 'Compares every relation of schema.prisma (the side with `fields:` / `references:`) with the foreign key that the whole migration history creates: flags a relation whose effective `onDelete` / `onUpdate` (written, or Prisma’s default) differs from the key’s action, or whose foreign key does not exist. Needs no git.',
      whyIsThisBad: 'The schema says one thing and the database does another until someone runs `prisma migrate dev`: the application is written against the schema’s behaviour (e.g. Cascade), but production deletes behave as the database says (e.g. RESTRICT), and the next generated migration will silently carry the change.',
      setup: 'CREATE TABLE "Sale" ("id" SERIAL NOT NULL, CONSTRAINT "Sale_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "SaleItem" ("id" SERIAL NOT NULL, "sale_id" INTEGER NOT NULL, CONSTRAINT "SaleItem_pkey" PRIMARY KEY ("id"));\nALTER TABLE "SaleItem" ADD CONSTRAINT "SaleItem_sale_id_fkey" FOREIGN KEY ("sale_id") REFERENCES "Sale"("id") ON DELETE RESTRICT ON UPDATE CASCADE;',
      example: 'model Sale {\n  id    Int        @id @default(autoincrement())\n  items SaleItem[]\n}\n\nmodel SaleItem {\n  id     Int  @id @default(autoincrement())\n  saleId Int  @map("sale_id")\n  sale   Sale @relation(fields: [saleId], references: [id], onDelete: Cascade)\n}',
      useInstead: 'model Sale {\n  id    Int        @id @default(autoincrement())\n  items SaleItem[]\n}\n\nmodel SaleItem {\n  id     Int  @id @default(autoincrement())\n  saleId Int  @map("sale_id")\n  sale   Sale @relation(fields: [saleId], references: [id])\n}\n// or keep onDelete: Cascade and run `prisma migrate dev --create-only` to generate the migration',
      fixSafety: 'No fix: either generate the migration (`prisma migrate dev --create-only`) or change the schema back.',
      references: ['https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions', 'https://www.prisma.io/docs/orm/prisma-migrate/workflows/development-and-production'],
    },
  },
  checkSchema(ctx) {
    if (ctx.schema.relationMode === 'prisma') return;
    for (const rel of ctx.schema.relations) {
      const table = keyOf({ schema: rel.schema, name: rel.table });
      const t = ctx.catalog.table(table);
      if (!t || ctx.catalog.isUncertain(table)) continue; // the model has no migration yet, or we cannot tell
      const fk = foreignKeyOfRelation(t.constraints.values(), rel);
      if (predatesBranch(ctx.baseSchema, ctx.branchMigrations, rel, fk)) continue;
      const where = rel.onDelete.range ?? rel.relationRange ?? rel.fieldRange;
      if (!fk?.foreignKey) {
        const dropped = t.droppedForeignKeys?.[rel.constraintName];
        ctx.report({
          file: rel.file,
          range: rel.relationRange ?? rel.fieldRange,
          message: dropped
            ? `${rel.model}.${rel.field} describes foreign key ${quoteAlways(rel.constraintName)}, which migration ${dropped.migration} drops: the database does not enforce this relation.`
            : `${rel.model}.${rel.field} describes foreign key ${quoteAlways(rel.constraintName)}, which no migration creates: the database does not enforce this relation.`,
          help: dropped
            ? 'If the foreign key was dropped on purpose, say so in the schema: `relationMode = "prisma"` in the datasource block makes Prisma check the relation itself and expect no foreign key (add an @@index on the relation scalars). Else run `prisma migrate dev --create-only` to create it again, and review the migration.'
            : 'Run `prisma migrate dev --create-only` to generate the migration, then review it.',
          ...(dropped ? { related: relatedOrigin(ctx, dropped, `${quoteAlways(rel.constraintName)} is dropped here (${dropped.migration})`) } : {}),
        });
        continue;
      }
      const wantDelete = sqlReferentialAction(rel.onDelete.effective);
      const wantUpdate = sqlReferentialAction(rel.onUpdate.effective);
      const parts: string[] = [];
      if (wantDelete !== fk.foreignKey.onDelete) parts.push(`onDelete ${rel.onDelete.effective}${rel.onDelete.explicit ? '' : ' (Prisma’s default)'}, but the database has ON DELETE ${fk.foreignKey.onDelete}: ${onDeleteConsequence(fk.foreignKey.onDelete, displayTable(table), displayTable(fk.foreignKey.refTable), { notNull: notNullColumnsOf(ctx.catalog, table, fk.foreignKey) }).replace(' now ', ' still ')}`);
      if (wantUpdate !== fk.foreignKey.onUpdate) parts.push(`onUpdate ${rel.onUpdate.effective}${rel.onUpdate.explicit ? '' : ' (Prisma’s default)'}, but the database has ON UPDATE ${fk.foreignKey.onUpdate}`);
      if (!parts.length) continue;
      ctx.report({
        file: rel.file,
        range: wantDelete !== fk.foreignKey.onDelete ? where : (rel.onUpdate.range ?? rel.relationRange ?? rel.fieldRange),
        message: `${rel.model}.${rel.field} says ${parts.join('; and ')}. No migration implements the change yet.`,
        help: 'Run `prisma migrate dev --create-only` to generate the migration that changes the foreign key, and review it.',
        related: relatedOrigin(ctx, fk.origin, `${quoteAlways(fk.name)} is defined here (${fk.origin.migration})`),
      });
    }
  },
});
