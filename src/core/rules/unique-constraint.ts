import { strings } from '../pg/ast';
import { quoteAlways, splitKey } from '../pg/names';
import { alterTableCommands, describeLock, displayTable, isExistingTable, notInHistoryNote } from './helpers';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'unique-constraint',
    category: 'locking',
    defaultSeverity: 'warning',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`ADD UNIQUE` / `ADD PRIMARY KEY` on an existing table',
    docs: {
      whatItDoes:
        'Flags `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE (...)` and `... PRIMARY KEY (...)` on a table that existed before this migration, unless the constraint adopts an index built beforehand (`USING INDEX`). Prisma generates `ADD CONSTRAINT ... PRIMARY KEY` when the `@id` of an existing model changes.',
      whyIsThisBad:
        'The constraint builds its unique index while holding an ACCESS EXCLUSIVE lock on the table: every read and write waits for the whole build, which on a large table means minutes. A primary key on nullable columns also scans the table to set them NOT NULL. If existing rows hold duplicates, the statement fails and the deploy stops.',
      setup: 'CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");',
      useInstead:
        '-- Migration 1, in a folder of its own (a concurrent build cannot share a transaction):\nCREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User"("email");\n-- Migration 2: adopting the finished index only takes a brief lock. Prisma ≥ 7.4 cannot split a file\n-- containing USING INDEX and sends it as one batch, so keep it away from CONCURRENTLY statements.\nALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE USING INDEX "User_email_key";',
      fixSafety: 'No fix: the index build has to move into a migration of its own, ahead of statements in this file that may rely on the constraint (a foreign key that references it, for one), which only the author can order.',
      references: [
        'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-ADD-TABLE-CONSTRAINT-USING-INDEX',
        'https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY',
      ],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      for (const { table, cmd } of alterTableCommands(st)) {
        if (cmd.subtype !== 'AT_AddConstraint') continue;
        const con = cmd.def?.Constraint;
        if ((con?.contype !== 'CONSTR_UNIQUE' && con?.contype !== 'CONSTR_PRIMARY') || con.indexname) continue;
        if (!isExistingTable(ctx, st, table)) continue;
        const name: string | undefined = con.conname;
        const what = con.contype === 'CONSTR_PRIMARY' ? 'primary key' : 'unique constraint';
        const columns = strings(con.keys).map(quoteAlways).join(', ');
        const ix = quoteAlways(name ?? `${splitKey(table).name}_${strings(con.keys).join('_')}_key`);
        ctx.report({
          statement: st.index,
          message: `Adding ${what} ${name ? quoteAlways(name) + ' ' : ''}builds its unique index while holding an ${describeLock({ table, mode: 'AccessExclusiveLock' })} for the whole build.${notInHistoryNote(ctx, st, table)}`,
          help: `Build the index first with CREATE UNIQUE INDEX CONCURRENTLY ${ix} ON ${displayTable(table)}(${columns}) in a migration folder of its own, then ADD CONSTRAINT ... ${con.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX ${ix}.`,
        });
      }
    }
  },
});
