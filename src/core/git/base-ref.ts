/**
 * What changed since a base git ref: migrations added or edited, and schema.prisma as it was.
 * Runs `git` without a shell; every failure is reported as a plain error message, never thrown
 * past the caller's control.
 */
import type * as ChildProcess from 'node:child_process';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { MigrationFolder, PrismaProject } from '../project/discover';
import type { SchemaFile } from '../project/schema-file';

/**
 * node:child_process, loaded on first use: its module costs ~3 ms to load, and most runs of the
 * CLI (no --since) never start git.
 */
function childProcess(): typeof ChildProcess {
  return require('node:child_process') as typeof ChildProcess;
}

function git(cwd: string, args: string[]): string {
  return childProcess().execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024, timeout: 30_000 });
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

/**
 * The repository's top level and the ref's commit in one git process (`rev-parse` prints one line
 * each); when that fails, the two asked apart say which one is missing.
 */
function topLevelAndCommit(dir: string, ref: string): { top: string; commit: string } {
  try {
    const [top, commit] = git(dir, ['rev-parse', '--show-toplevel', '--verify', '--quiet', `${ref}^{commit}`]).trim().split('\n');
    if (top && commit) return { top, commit };
  } catch {
    /* asked apart below */
  }
  const top = gitTopLevel(dir);
  if (!top) throw new Error(`--since needs a git repository, and ${dir} is not in one`);
  return { top, commit: resolveRef(top, ref) };
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

/** Blob ids at `commit` of every file under `paths` (relative to `top`, `/`-separated): one `git ls-tree`. */
function blobsAtRef(top: string, commit: string, paths: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!paths.length) return out;
  let listing: string;
  try {
    listing = git(top, ['ls-tree', '-r', '-z', commit, '--', ...paths]);
  } catch {
    return out;
  }
  for (const entry of listing.split('\0')) {
    // "<mode> blob <id>\t<path>"
    const tab = entry.indexOf('\t');
    const meta = entry.slice(0, tab).split(' ');
    if (tab > 0 && meta[1] === 'blob') out.set(entry.slice(tab + 1), meta[2]);
  }
  return out;
}

/** The contents of several blobs in one `git cat-file --batch`. */
function readBlobs(top: string, ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!ids.length) return out;
  const buf = childProcess().execFileSync('git', ['cat-file', '--batch'], { cwd: top, input: `${ids.join('\n')}\n`, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1024 * 1024 * 1024, timeout: 30_000 });
  let at = 0;
  while (at < buf.length) {
    // "<id> blob <size>\n<content>\n", or "<id> missing\n"
    const nl = buf.indexOf(10, at);
    if (nl < 0) break;
    const [id, type, size] = buf.toString('utf8', at, nl).split(' ');
    at = nl + 1;
    if (type !== 'blob') continue;
    out.set(id, buf.toString('utf8', at, at + Number(size)));
    at += Number(size) + 1;
  }
  return out;
}

/** Git's id for a blob with this content. */
function blobId(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
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
  const { top, commit } = topLevelAndCommit(project.root, ref);
  // Files below the top level (all of them, usually) without path.relative's normalising per file.
  const below = top.endsWith(path.sep) ? top : `${top}${path.sep}`;
  const rel = (file: string) => (file.startsWith(below) && !file.includes(`${path.sep}.`) && !file.includes(`${path.sep}${path.sep}`) ? file.slice(below.length) : path.relative(top, file)).split(path.sep).join('/');
  // Two git processes whatever the size of the history: the ids of every file at the ref, then the
  // contents of only the files whose id differs from the working copy's (line endings aside).
  const sqlFiles = project.migrations.filter((m) => m.sqlFile);
  const atRef = blobsAtRef(top, commit, [...new Set(sqlFiles.map((m) => rel(path.dirname(path.dirname(m.sqlFile!)))).concat(project.schemaFiles.map(rel)))]);
  const added = new Set<string>();
  const candidates: { migration: MigrationFolder; id: string; now: string }[] = [];
  for (const m of sqlFiles) {
    const id = atRef.get(rel(m.sqlFile!));
    if (id === undefined) {
      added.add(m.name);
      continue;
    }
    const now = readCurrent(m.sqlFile!);
    if (now === null || blobId(now) === id || blobId(normalizeEol(now)) === id) continue;
    candidates.push({ migration: m, id, now });
  }
  const schemaIds = project.schemaFiles.map((f) => atRef.get(rel(f)));
  const blobs = readBlobs(top, [...new Set([...candidates.map((c) => c.id), ...schemaIds.filter((id): id is string => id !== undefined)])]);
  const modified = candidates.filter((c) => normalizeEol(blobs.get(c.id) ?? '') !== normalizeEol(c.now)).map((c) => c.migration);
  const edited = new Set(modified.map((m) => m.name));
  const changed = new Set(sqlFiles.filter((m) => added.has(m.name) || edited.has(m.name)).map((m) => m.name));
  const baseSchemaFiles: SchemaFile[] = [];
  project.schemaFiles.forEach((f, k) => {
    const text = schemaIds[k] === undefined ? undefined : blobs.get(schemaIds[k]!);
    if (text !== undefined) baseSchemaFiles.push({ path: f, text });
  });
  return { ref, commit, changed, modified, baseSchemaFiles };
}

function normalizeEol(text: string): string {
  return text.replace(/\r\n/g, '\n');
}
