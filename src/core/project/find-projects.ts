/**
 * The Prisma projects below a folder (a monorepo's apps/web/prisma, packages/db/prisma): the
 * folders holding a project marker — migration_lock.toml, schema.prisma, preflight.config.json —
 * as the editor finds them. node_modules, hidden folders and git-ignored folders are skipped.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repositoryRoot } from '../git/repository-root';
import { CONFIG_FILE_NAME } from './config';
import { foldersBelow } from './folders-below';

const MARKERS = new Set(['migration_lock.toml', 'schema.prisma', CONFIG_FILE_NAME]);
const MAX_DEPTH = 8;
/** Directory entries read at most: a huge tree ends the search rather than the run. */
const MAX_ENTRIES = 50_000;

/** Folders at or below `dir` holding a marker, sorted; git-ignored ones left out. */
export function projectAnchorsBelow(dir: string): string[] {
  const found = foldersBelow(path.resolve(dir), {
    maxDepth: MAX_DEPTH,
    maxEntries: MAX_ENTRIES,
    matches: (entries) => entries.some((e) => e.isFile() && MARKERS.has(e.name)),
    // A migrations folder: below it are migration folders (civitai's 696), never a project.
    nothingBelow: (entries) => entries.some((e) => e.isFile() && e.name === 'migration_lock.toml'),
  });
  return withoutIgnored(found);
}

/** `git check-ignore` on the candidates, in one process; without git (or when it fails) all are kept. */
function withoutIgnored(dirs: string[]): string[] {
  if (dirs.length === 0) return dirs;
  const top = repositoryRoot(dirs[0]);
  if (!top) return dirs;
  const run = spawnSync('git', ['-C', top, 'check-ignore', '--stdin', '-z'], { input: dirs.map((d) => `${d}${path.sep}`).join('\0'), encoding: 'utf8', timeout: 10_000 });
  // exit 0: some are ignored; 1: none is; anything else: git could not tell.
  if (run.status !== 0) return dirs;
  const ignored = new Set(run.stdout.split('\0').filter(Boolean).map((p) => path.resolve(top, p).replace(/[\\/]+$/, '')));
  return dirs.filter((d) => !ignored.has(d));
}
