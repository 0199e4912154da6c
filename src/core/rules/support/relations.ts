/** Schema relations across versions of schema.prisma. */
import type { PrismaRelation, PrismaSchemaModel } from '../../prisma/schema';

/** The same relation in another version of the schema: by model and field, else by its foreign key. */
export function sameRelation(schema: PrismaSchemaModel, rel: PrismaRelation): PrismaRelation | undefined {
  return schema.relations.find((r) => r.model === rel.model && r.field === rel.field) ?? schema.relations.find((r) => r.table === rel.table && r.schema === rel.schema && r.constraintName === rel.constraintName);
}
