import { nodeBody, nodeType } from '../pg/ast';
import { keyOf, listName, quoteAlways, splitKey } from '../pg/names';
import { describeLock, displayTable, isExistingTable, notInHistoryNote } from './helpers';
import { defineRule } from './rule';
import { addConcurrentlyFixes } from './support/fixes';

export default defineRule({
  meta: {
    id: 'non-concurrent-index-drop',
    category: 'locking',
    defaultSeverity: 'warning',
    fixAvailability: 'sometimes',
    insideDoBlocks: true,
    summary: '`DROP INDEX` without `CONCURRENTLY` of an index that existed before this migration',
    docs: {
      whatItDoes: 'Flags `DROP INDEX` without `CONCURRENTLY` of an index that an earlier migration created on a table that still exists. Prisma writes every index drop this way (`DROP INDEX "public"."name"`).',
      whyIsThisBad:
        'A plain `DROP INDEX` takes an ACCESS EXCLUSIVE lock on the index’s table. The drop itself is quick, but the lock request waits for every running query on the table to finish, and every new query — reads included — queues behind it; when the file runs as one transaction, the lock is then held until the whole file commits. `DROP INDEX CONCURRENTLY` takes only a SHARE UPDATE EXCLUSIVE lock and waits for running transactions without blocking new ones.',
      setup: 'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\nCREATE INDEX "Post_authorId_idx" ON "Post"("authorId");',
      example: '-- DropIndex\nDROP INDEX "public"."Post_authorId_idx";',
      useInstead: '-- In a migration folder of its own: Prisma ≤ 7.3 sends a file as one batch, and Prisma ≥ 7.4 cannot split a file\n-- containing DROP INDEX CONCURRENTLY, so next to other statements it would run inside a transaction and fail.\nDROP INDEX CONCURRENTLY "public"."Post_authorId_idx";',
      fixSafety:
        'When the statement is the only one in the file, adding `CONCURRENTLY` is safe. Otherwise the fix adds it and moves the statement into a new migration folder of its own, which changes the migration history (unsafe: review it). No fix for a `DROP INDEX` of several indexes or with `CASCADE`, which `CONCURRENTLY` does not support.',
      references: ['https://www.postgresql.org/docs/current/sql-dropindex.html', 'https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      if (nodeType(st.sql.node) !== 'DropStmt') continue;
      const s = nodeBody(st.sql.node);
      if (s.removeType !== 'OBJECT_INDEX' || s.concurrent) continue;
      const objects: unknown[] = s.objects ?? [];
      const canAddConcurrently = objects.length === 1 && s.behavior !== 'DROP_CASCADE';
      for (const obj of objects as { List?: { items?: unknown } }[]) {
        const key = keyOf(listName(obj.List?.items));
        const index = st.catalog.indexes.get(key);
        const help = canAddConcurrently ? 'Use DROP INDEX CONCURRENTLY, in a migration folder of its own.' : 'Drop each index with its own DROP INDEX CONCURRENTLY (without CASCADE), each in a migration folder of its own.';
        if (!index) {
          // Dropped earlier in this migration, or an index no migration creates: unknown is not
          // safe, it may exist on a large table.
          if (ctx.before.indexes.has(key)) continue;
          const name = quoteAlways(splitKey(key).name);
          ctx.report({
            statement: st.index,
            message: `Dropping index ${name} takes an ACCESS EXCLUSIVE lock on its table (blocks all reads and writes): it waits for every running query on the table, and every new query queues behind it. ${name} is not created by any earlier migration, so its table is not known from the migrations and may already hold rows.`,
            help,
            fixes: canAddConcurrently ? addConcurrentlyFixes(ctx, st) : undefined,
          });
          continue;
        }
        if (index.origin.migration === ctx.name || !ctx.before.indexes.has(key)) continue;
        if (!isExistingTable(ctx, st, index.table)) continue;
        ctx.report({
          statement: st.index,
          message: `Dropping index ${quoteAlways(index.name)} takes an ${describeLock({ table: index.table, mode: 'AccessExclusiveLock' })}: it waits for every running query on ${displayTable(index.table)}, and every new query queues behind it.${notInHistoryNote(ctx, st, index.table)}`,
          help,
          fixes: canAddConcurrently ? addConcurrentlyFixes(ctx, st) : undefined,
        });
      }
    }
  },
});
