/**
 * What changed since a base git ref: migrations added or edited, and schema.prisma as it was.
 * Runs `git` without a shell; every failure is reported as a plain error message, never thrown
 * past the caller's control.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { MigrationFolder, PrismaProject } from '../project/discover';
import type { SchemaFile } from '../prisma/schema';

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024, timeout: 30_000 });
}

export function gitTopLevel(dir: string): string | null {
  try {
    return git(dir, ['rev-parse', '--show-toplevel']).trim();
  } catch {
    return null;
  }
}

/** Resolves a ref to a commit, or throws an Error with git's reason in plain words. */
export function resolveRef(dir: string, ref: string): string {
  try {
    return git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
  } catch {
    throw new Error(`git ref "${ref}" not found in ${dir}`);
  }
}

/** The branch's merge-base with the default branch (origin/HEAD, main, master), or null. */
export function defaultBranchMergeBase(dir: string): { ref: string; commit: string } | null {
  const candidates: string[] = [];
  try {
    candidates.push(git(dir, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD']).trim().replace(/^refs\/remotes\//, ''));
  } catch {
    /* no origin/HEAD */
  }
  candidates.push('origin/main', 'origin/master', 'main', 'master');
  for (const ref of candidates) {
    try {
      const commit = git(dir, ['merge-base', 'HEAD', ref]).trim();
      if (commit) return { ref, commit };
    } catch {
      /* try the next */
    }
  }
  return null;
}

function showAtRef(top: string, commit: string, file: string): string | null {
  const rel = path.relative(top, file).split(path.sep).join('/');
  try {
    return git(top, ['show', `${commit}:${rel}`]);
  } catch {
    return null;
  }
}

export interface ChangesSinceRef {
  ref: string;
  commit: string;
  /** Migration folders whose migration.sql is new or different from the ref (working tree included). */
  changed: Set<string>;
  /** Of those, the ones whose migration.sql existed at the ref with other content. */
  modified: MigrationFolder[];
  /** The schema files as they were at the ref (missing files left out). */
  baseSchemaFiles: SchemaFile[];
}

export function changesSinceRef(project: PrismaProject, ref: string, readCurrent: (file: string) => string | null): ChangesSinceRef {
  const top = gitTopLevel(project.root);
  if (!top) throw new Error(`--since needs a git repository, and ${project.root} is not in one`);
  const commit = resolveRef(top, ref);
  const changed = new Set<string>();
  const modified: MigrationFolder[] = [];
  for (const m of project.migrations) {
    if (!m.sqlFile) continue;
    const before = showAtRef(top, commit, m.sqlFile);
    const now = readCurrent(m.sqlFile);
    if (before === null) changed.add(m.name);
    else if (now !== null && normalizeEol(before) !== normalizeEol(now)) {
      changed.add(m.name);
      modified.push(m);
    }
  }
  const baseSchemaFiles: SchemaFile[] = [];
  for (const f of project.schemaFiles) {
    const text = showAtRef(top, commit, f);
    if (text !== null) baseSchemaFiles.push({ path: f, text });
  }
  return { ref, commit, changed, modified, baseSchemaFiles };
}

function normalizeEol(text: string): string {
  return text.replace(/\r\n/g, '\n');
}
