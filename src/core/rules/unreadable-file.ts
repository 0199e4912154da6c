import * as path from 'node:path';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'unreadable-file',
    category: 'deploy-failure',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    summary: 'A migration.sql, schema file or migrations folder that cannot be read, is not valid UTF-8, or is too large to review',
    docs: {
      whatItDoes:
        'Flags every file or folder the review needs and cannot read: a `migration.sql` or `.prisma` file without read permission or with an I/O error, a migration folder that cannot be searched, a migrations folder that cannot be listed, a `migration.sql` or `schema.prisma` that is a directory, a file whose bytes are not valid UTF-8 (at the first bad byte, with its byte offset, line and column), and a file too large to review: more than 1 MB (`PREFLIGHT_MAX_FILE_SIZE` raises the limit). Every output format reports it, and `preflight check` exits 1.',
      whyIsThisBad:
        'Nothing in such a file was reviewed, and the migrations after an unreadable `migration.sql` were analysed as if it did not exist: a run that passed would say a migration is safe that nobody looked at. Prisma reads the same files to deploy, so a file Preflight cannot read usually breaks `prisma migrate deploy` as well; a file that is not UTF-8 holds bytes whose meaning depends on the tool that reads them.',
      example: 'prisma/migrations/20250301000000_add_index/migration.sql   (mode 0000, or saved as Latin-1: caf\\xe9)',
      useInstead: 'prisma/migrations/20250301000000_add_index/migration.sql   (readable, saved as UTF-8: café)',
      fixSafety: 'No fix: make the file readable by the user that runs Preflight and Prisma, or save it as UTF-8.',
      references: ['https://www.prisma.io/docs/orm/prisma-migrate/understanding-prisma-migrate/migration-histories', 'https://www.postgresql.org/docs/current/multibyte.html'],
    },
  },
  checkProject(ctx) {
    for (const u of ctx.unreadable) {
      const migration = ctx.project.migrations.find((m) => m.sqlFile === u.file || m.unreadable === u) ?? null;
      const name = path.basename(u.file);
      const subject = migration ? `${name} of migration ${migration.name}` : u.file === ctx.project.migrationsDir ? 'The migrations folder' : name;
      const consequence = migration
        ? 'nothing in it was reviewed, and the migrations after it were analysed as if it did not exist'
        : u.file === ctx.project.migrationsDir
          ? 'no migration in it was reviewed'
          : 'nothing in it was reviewed';
      ctx.report({
        file: u.file,
        migration: migration?.name ?? null,
        concernsEveryMigration: true,
        range: u.range,
        message: `${subject} ${u.reason}: ${consequence}.`,
        help:
          u.kind === 'undecodable'
            ? 'Save the file as UTF-8 (the position shown is the first byte that is not), then review it again.'
            : u.kind === 'directory'
              ? 'Replace the directory with the file Prisma expects there.'
              : u.kind === 'too-large'
                ? 'Split it into smaller migrations, or raise the limit if a longer run is acceptable.'
              : 'Make it readable by the user that runs Preflight (and Prisma), then review it again.',
      });
    }
  },
});
