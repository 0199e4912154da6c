/**
 * A SQL file outside any Prisma project (the output of `prisma migrate diff --script`, a file
 * written by hand): reviewed as one migration with no known history. Every table it names is then
 * one no migration creates, which every locking, rewrite and data-loss rule treats as an existing
 * table of unknown size.
 */
import * as path from 'node:path';
import type { PrismaProject } from './discover';

export function loneSqlFileProject(file: string, prismaVersion: PrismaProject['prismaVersion']): PrismaProject {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  return {
    root: dir,
    schemaPath: null,
    schemaFiles: [],
    migrationsDir: null,
    migrations: [{ name: path.basename(abs), dir, sqlFile: abs }],
    provider: 'postgresql',
    prismaVersion,
    focus: {},
    notices: [`${path.basename(abs)} is not inside a Prisma project: reviewed as one migration with no known history, so every table it names is treated as an existing table of unknown size`],
    unreadable: [],
  };
}
