import { nodeBody, nodeType } from '../pg/ast';
import { keyOf, listName } from '../pg/names';
import { displayTable, isExistingTable, notInHistoryNote, relatedOrigin } from './helpers';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'drop-table',
    category: 'data-loss',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`DROP TABLE` of a table that existed before this migration',
    docs: {
      whatItDoes: 'Flags `DROP TABLE` of a table that an earlier migration created.',
      whyIsThisBad: 'Every row of the table is gone the moment the statement commits (with the rest of the file, where it runs as one batch); the only way back is a restore from backup. The statement takes an ACCESS EXCLUSIVE lock on the table (and on the tables its foreign keys reference), and application instances still running the old code fail on every query that touches the table.',
      setup: 'CREATE TABLE "LegacyOrder" ("id" SERIAL NOT NULL, CONSTRAINT "LegacyOrder_pkey" PRIMARY KEY ("id"));',
      example: 'DROP TABLE "LegacyOrder";',
      useInstead: '-- Release 1: stop reading and writing the table (remove the model from schema.prisma, deploy the code).\n-- Release 2, after a backup and a check that nothing uses it:\nALTER TABLE "LegacyOrder" RENAME TO "LegacyOrder_deprecated";',
      fixSafety: 'No fix: dropping data is a decision, not a rewrite.',
      references: ['https://www.postgresql.org/docs/current/sql-droptable.html', 'https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      if (nodeType(st.sql.node) !== 'DropStmt') continue;
      const s = nodeBody(st.sql.node);
      if (s.removeType !== 'OBJECT_TABLE') continue;
      for (const obj of s.objects ?? []) {
        const table = keyOf(listName(obj.List?.items));
        if (!isExistingTable(ctx, st, table)) continue;
        const created = ctx.before.table(table)?.origin;
        ctx.report({
          statement: st.index,
          message: `Drops table ${displayTable(table)} and every row in it; running application instances that still query it will fail.${notInHistoryNote(ctx, st, table)}`,
          help: 'Take a backup first and drop the table only after a release that no longer uses it; rename it first if you want a way back.',
          related: relatedOrigin(ctx, created, `${displayTable(table)} was created in ${created?.migration}`),
        });
      }
    }
  },
});
