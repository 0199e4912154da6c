import { defineRule } from './rule';

const START = { startOffset: 0, endOffset: 0, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

export default defineRule({
  meta: {
    id: 'stray-migration-folder',
    category: 'deploy-failure',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    summary: 'A subfolder of the migrations directory without `migration.sql`',
    docs: {
      whatItDoes: 'Flags every folder inside the migrations directory that has no `migration.sql` (for example a folder left behind after a `migration.sql` was deleted or renamed, or a folder of notes).',
      whyIsThisBad: 'Prisma treats every subfolder of the migrations directory as a migration and reads its `migration.sql`: `prisma migrate deploy` and `migrate dev` fail on a folder without one, so the deploy stops before applying anything.',
      example: 'prisma/migrations/20250301000000_notes/README.md   (no migration.sql beside it)',
      useInstead: 'prisma/migrations/20250301000000_add_index/migration.sql\n(keep notes, checklists and down.sql inside a real migration folder: Prisma ignores other files there)',
      fixSafety: 'No fix: delete the folder or add its migration.sql.',
      references: ['https://www.prisma.io/docs/orm/prisma-migrate/understanding-prisma-migrate/migration-histories'],
    },
  },
  checkProject(ctx) {
    for (const m of ctx.project.migrations) {
      if (m.sqlFile || m.unreadable) continue;
      ctx.report({
        file: m.dir,
        migration: m.name,
        range: START,
        message: `Migration folder ${m.name} has no migration.sql: \`prisma migrate deploy\` fails on it.`,
        help: 'Delete the folder, or add the migration.sql it is missing.',
      });
    }
  },
});
