import { defineRule } from './rule';

const START = { startOffset: 0, endOffset: 0, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

export default defineRule({
  meta: {
    id: 'migration-modified',
    category: 'deploy-failure',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    summary: 'A `migration.sql` that exists on the base branch has been edited',
    docs: {
      whatItDoes: 'With a base git ref (`preflight check --since <ref>`; in the editor, the merge-base with the default branch), flags every `migration.sql` that exists at the ref with different content.',
      whyIsThisBad: 'Prisma records a checksum of each applied migration in `_prisma_migrations`. `prisma migrate deploy` does not compare checksums: wherever the migration already ran, the edit is silently never applied, so environments drift apart. `prisma migrate dev` notices ("The migration `X` was modified after it was applied") and demands a database reset.',
      example: 'git diff origin/main -- prisma/migrations/20250101000000_init/migration.sql   # shows changes',
      useInstead: 'Leave applied migrations as they are and put the change in a new migration: `prisma migrate dev --create-only`, then edit the new file.',
      fixSafety: 'No fix: revert the edit (`git checkout <ref> -- <file>`) and move it into a new migration.',
      references: ['https://www.prisma.io/docs/orm/prisma-migrate/understanding-prisma-migrate/migration-histories', 'https://www.prisma.io/docs/orm/prisma-migrate/workflows/patching-and-hotfixing'],
    },
  },
  checkProject(ctx) {
    for (const { migration, baseRef } of ctx.modifiedMigrations) {
      if (!migration.sqlFile) continue;
      ctx.report({
        file: migration.sqlFile,
        migration: migration.name,
        range: START,
        message: `Migration ${migration.name} differs from ${baseRef}: databases that already applied it will never get this edit, and \`prisma migrate dev\` will demand a reset.`,
        help: `Revert this file to its ${baseRef} version and put the change in a new migration (prisma migrate dev --create-only).`,
      });
    }
  },
});
