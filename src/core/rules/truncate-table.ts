import { nodeBody, nodeType, type PgNode } from '../pg/ast';
import { keyOf, rangeVarName } from '../pg/names';
import { displayTable, isExistingTable, notInHistoryNote } from './helpers';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'truncate-table',
    category: 'data-loss',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`TRUNCATE` of a table that existed before this migration',
    docs: {
      whatItDoes: 'Flags `TRUNCATE` of tables that earlier migrations created; with `CASCADE`, it names the tables emptied through foreign keys too.',
      whyIsThisBad: 'Every row of the table is deleted once the statement commits (with the rest of the file, where it runs as one batch), with no per-row trace and no way back but a backup. `TRUNCATE` also takes an ACCESS EXCLUSIVE lock on each table (blocking all reads and writes), and `CASCADE` silently empties every table whose foreign keys reference it. In a migration history that runs on every environment, the same statement also wipes production.',
      setup: 'CREATE TABLE "AuditLog" ("id" SERIAL NOT NULL, "message" TEXT NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id"));',
      example: 'TRUNCATE TABLE "AuditLog";',
      useInstead: '-- Delete only what has to go, in batches run outside the migration if the table is large:\nDELETE FROM "AuditLog" WHERE "createdAt" < NOW() - INTERVAL \'90 days\';',
      fixSafety: 'No fix: whether the rows may go is a decision.',
      references: ['https://www.postgresql.org/docs/current/sql-truncate.html'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      if (nodeType(st.sql.node) !== 'TruncateStmt') continue;
      const s = nodeBody(st.sql.node);
      const named: string[] = (s.relations ?? []).map((r: PgNode) => keyOf(rangeVarName(r.RangeVar)));
      const tables = named.filter((t) => isExistingTable(ctx, st, t));
      if (tables.length === 0) continue;
      const cascaded: string[] = [];
      if (s.behavior === 'DROP_CASCADE') {
        // Every table whose foreign keys reference an emptied one is emptied too, transitively.
        const queue = [...named];
        const seen = new Set(named);
        while (queue.length) {
          for (const ref of st.catalog.referencingForeignKeys(queue.shift()!)) {
            if (seen.has(ref.table)) continue;
            seen.add(ref.table);
            queue.push(ref.table);
            if (isExistingTable(ctx, st, ref.table)) cascaded.push(ref.table);
          }
        }
      }
      const list = (keys: string[]) => keys.map(displayTable).join(', ');
      ctx.report({
        statement: st.index,
        message: `Deletes every row of ${list(tables)}${cascaded.length ? ` and, through CASCADE, of ${list(cascaded)}` : ''}, under an ACCESS EXCLUSIVE lock (blocks all reads and writes); the rows can only come back from a backup.${tables.map((t) => notInHistoryNote(ctx, st, t)).join('')}`,
        help: 'Take a backup and make sure emptying the table is intended on every environment; to remove only some rows, use DELETE with a WHERE clause.',
      });
    }
  },
});
