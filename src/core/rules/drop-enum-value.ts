import { nodeBody, nodeType, strings, type PgNode } from '../pg/ast';
import { displayTable, keyOf, listName, quoteAlways, quoteLiteral } from '../pg/names';
import { columnTypeOf } from '../pg/types';
import { alterTableCommands, isExistingTable, relatedOrigin } from './helpers';
import { defineRule } from './rule';
import { isOriginalColumn } from './support/columns';

export default defineRule({
  meta: {
    id: 'drop-enum-value',
    category: 'data-loss',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: 'An enum recreated without some of its values',
    docs: {
      whatItDoes: 'Recognises Prisma\'s way of removing enum values — `CREATE TYPE "E_new"` with the remaining values, `ALTER COLUMN ... TYPE "E_new" USING (...)` for every column of the enum, `ALTER TYPE "E_new" RENAME TO "E"`, `DROP TYPE "E_old"` — and flags the `CREATE TYPE "E_new"` statement, naming the values removed and the columns of existing tables that use the enum. When no migration creates the enum, its values are not known: the rule then reports a note (severity info) that it cannot tell which values go.',
      whyIsThisBad: 'PostgreSQL cannot drop a value from an enum, so Prisma converts every column to a new type through text. A row that still holds a removed value makes that cast fail (`invalid input value for enum`) and the deploy stops; if no row holds one, application instances still running the previous code fail as soon as they write it. Each converted column also rewrites its table under an ACCESS EXCLUSIVE lock (see `rewrite-column-type`).',
      setup: 'CREATE TYPE "Role" AS ENUM (\'USER\', \'ADMIN\', \'GUEST\');\nCREATE TABLE "User" ("id" SERIAL NOT NULL, "role" "Role" NOT NULL DEFAULT \'USER\', CONSTRAINT "User_pkey" PRIMARY KEY ("id"));',
      example: 'BEGIN;\nCREATE TYPE "Role_new" AS ENUM (\'USER\', \'ADMIN\');\nALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;\nALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");\nALTER TYPE "Role" RENAME TO "Role_old";\nALTER TYPE "Role_new" RENAME TO "Role";\nDROP TYPE "Role_old";\nALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT \'USER\';\nCOMMIT;',
      useInstead: '-- Release 1: deploy code that no longer writes GUEST, then move the rows off it:\nUPDATE "User" SET "role" = \'USER\' WHERE "role" = \'GUEST\';\n-- Release 2: remove GUEST from the enum in schema.prisma (Prisma generates the recreation),\n-- or keep the unused value and avoid rewriting "User" at all.',
      fixSafety: 'No fix: which value the affected rows should get instead is a decision.',
      references: [
        'https://www.postgresql.org/docs/current/datatype-enum.html',
        'https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations',
      ],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      if (nodeType(st.sql.node) !== 'CreateEnumStmt') continue;
      const s = nodeBody(st.sql.node);
      const created = listName(s.typeName);
      if (!created.name.endsWith('_new')) continue;
      const original = { schema: created.schema, name: created.name.slice(0, -'_new'.length) };
      const before = st.catalog.enums.get(keyOf(original));
      // The enum's values are a fact nobody knows when no migration creates it (or one lost track):
      // the rule says it cannot tell instead of passing.
      const known = before && !st.catalog.uncertainKeys.has(keyOf(original)) ? before : null;
      const kept = new Set(strings(s.vals));
      const removed = known ? known.values.filter((v) => !kept.has(v)) : [];
      if (known && removed.length === 0) continue;

      const later = ctx.statements.slice(st.index + 1);
      const replaces = later.some((o) => {
        if (nodeType(o.sql.node) !== 'RenameStmt') return false;
        const r = nodeBody(o.sql.node);
        return r.renameType === 'OBJECT_TYPE' && keyOf(listName(r.object?.List?.items ?? r.object)) === keyOf(created) && r.newname === original.name;
      });
      if (!replaces) continue;

      // Columns of tables that existed before this migration, converted to the new type: their rows can hold the removed values.
      const columns: string[] = [];
      for (const o of later) {
        for (const { table, cmd } of alterTableCommands(o)) {
          if (cmd.subtype !== 'AT_AlterColumnType' || columnTypeOf(cmd.def?.ColumnDef?.typeName).base !== keyOf(created)) continue;
          if (!isExistingTable(ctx, o, table) || !isOriginalColumn(ctx, o, table, cmd.name)) continue;
          // A hand-written USING (e.g. a CASE mapping old values to new ones) decides what happens to every value.
          const using: PgNode | undefined = cmd.def?.ColumnDef?.raw_default;
          if (using && !isPlainCast(using, cmd.name)) continue;
          columns.push(`${displayTable(table)}.${quoteAlways(cmd.name)}`);
        }
      }
      if (columns.length === 0) continue;
      if (!known) {
        ctx.report({
          statement: st.index,
          message: `Cannot tell which values recreating enum ${quoteAlways(original.name)} removes (used by ${columns.join(', ')}): its current values are not known from the migrations. The migration fails if any row holds a value the new type lacks.`,
          help: `Compare with the database (SELECT enum_range(NULL::${quoteAlways(original.name)})); move rows off any removed value with an UPDATE before this block.`,
          cannotTell: true,
        });
        continue;
      }
      const values = removed.map(quoteLiteral).join(', ');
      const plural = removed.length > 1;
      ctx.report({
        statement: st.index,
        message: `Recreates enum ${quoteAlways(original.name)} without the value${plural ? 's' : ''} ${values} (used by ${columns.join(', ')}): the migration fails if any row still holds ${plural ? 'one of them' : 'it'}, and application instances still writing ${plural ? 'them' : 'it'} fail after the deploy.`,
        help: `Deploy code that no longer writes ${values} first, and move existing rows to another value with an UPDATE before this block; or keep the unused value${plural ? 's' : ''} in the database.`,
        related: relatedOrigin(ctx, known.origin, `${quoteAlways(original.name)} was created in ${known.origin.migration}`),
      });
    }
  },
});

/** Prisma's `("c"::text::"E_new")`: casts of the column itself, nothing else. */
function isPlainCast(expr: PgNode, column: string): boolean {
  let e = expr;
  while (e.TypeCast) e = e.TypeCast.arg ?? {};
  const fields = strings(e.ColumnRef?.fields);
  return fields.length === 1 && fields[0] === column;
}
