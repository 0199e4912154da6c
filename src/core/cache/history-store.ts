/**
 * The persistent cache, like Ruff's `.ruff_cache` and ESLint's `--cache`: what each migration of a
 * history gave (its report, its findings and what it changed in the catalog), so that a later run
 * restores the unchanged prefix of the history instead of parsing and replaying it.
 *
 * One file per project and analysis key (tool version, Prisma version, rule configuration, project
 * path), holding one entry per migration. An entry is keyed by a hash chained over every migration
 * up to it (name, path and text), so an edit invalidates that migration and every later one. A file
 * whose integrity hash or key does not match is ignored (and rewritten). Writes go to a temporary
 * file renamed into place: concurrent runs each leave a whole file, the last one wins.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { MigrationAnalysis, MigrationInput } from '../analysis/analyze-migration';
import type { PersistentHistory } from '../analysis/history';
import { Catalog, type CatalogDelta } from '../catalog/model';
import { parseMigrationSql, type ParsedMigration } from '../sql/parse-migration';
import type { Finding, MigrationReport } from '../types';

const FORMAT = 1;

interface StoredMigration {
  chain: string;
  report: MigrationReport;
  findings: Finding[];
  delta: CatalogDelta;
}

interface StoredFile {
  format: number;
  key: string;
  entries: StoredMigration[];
}


/**
 * The default cache folder: `node_modules/.cache/preflight` in the nearest folder up from the
 * project that has a node_modules (the Node convention), else the user's cache folder.
 */
export function defaultCacheDir(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  for (let dir = path.resolve(projectRoot); ; dir = path.dirname(dir)) {
    if (isDirectory(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'preflight');
    if (path.dirname(dir) === dir) return userCacheDir(env);
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(homedir(), '.cache');
  return path.join(base, 'preflight');
}

export class HistoryStore implements PersistentHistory {
  /**
   * @param dir the cache folder (created on the first write, 0700)
   * @param scope what besides the options key the results depend on: the tool version and the project
   */
  constructor(
    private readonly dir: string,
    private readonly scope: { toolVersion: string; project: string },
  ) {}

  private fileKey(optionsKey: string): string {
    return sha256(JSON.stringify([FORMAT, this.scope.toolVersion, this.scope.project, optionsKey]));
  }

  private fileOf(key: string): string {
    return path.join(this.dir, `history-${key.slice(0, 32)}.json`);
  }

  private load(key: string): StoredMigration[] {
    let text: string;
    try {
      text = readFileSync(this.fileOf(key), 'utf8');
    } catch {
      return [];
    }
    // `<sha256 of the rest>\n<json>`: a torn, truncated or edited file fails the check.
    const newline = text.indexOf('\n');
    const body = text.slice(newline + 1);
    if (newline !== 64 || sha256(body) !== text.slice(0, 64)) return [];
    try {
      const file = JSON.parse(body) as StoredFile;
      return file.format === FORMAT && file.key === key && Array.isArray(file.entries) ? file.entries : [];
    } catch {
      return [];
    }
  }

  restore(migrations: readonly MigrationInput[], optionsKey: string): MigrationAnalysis[] {
    const key = this.fileKey(optionsKey);
    const entries = this.load(key);
    const chains = chainsOf(migrations, entries.length);
    const out: MigrationAnalysis[] = [];
    let catalog = new Catalog();
    for (let i = 0; i < entries.length && i < migrations.length && entries[i].chain === chains[i]; i++) {
      const e = entries[i];
      catalog = catalog.withDelta(e.delta);
      out.push(restoredAnalysis(migrations[i].text, e, catalog));
    }
    this.restoredEntries = entries.slice(0, out.length);
    return out;
  }

  private restoredEntries: StoredMigration[] = [];

  record(migrations: readonly MigrationInput[], analyses: readonly MigrationAnalysis[], optionsKey: string, restored: number): void {
    if (restored === migrations.length && restored === this.restoredEntries.length && restored > 0) return; // nothing new
    const chains = chainsOf(migrations, migrations.length);
    const entries: StoredMigration[] = this.restoredEntries.slice(0, restored);
    let before = restored ? analyses[restored - 1].after : new Catalog();
    for (let i = restored; i < analyses.length; i++) {
      const a = analyses[i];
      entries.push({ chain: chains[i], report: a.report, findings: a.findings, delta: a.after.deltaFrom(before) });
      before = a.after;
    }
    const key = this.fileKey(optionsKey);
    const body = JSON.stringify({ format: FORMAT, key, entries } satisfies StoredFile);
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const file = this.fileOf(key);
      const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temp, `${sha256(body)}\n${body}`, { mode: 0o600 });
      renameSync(temp, file);
    } catch {
      // A cache that cannot be written (read-only checkout, full disk) only costs time.
    }
  }
}

function restoredAnalysis(text: string, e: StoredMigration, after: Catalog): MigrationAnalysis {
  let parsed: ParsedMigration | undefined;
  return {
    report: e.report,
    findings: e.findings,
    after,
    // Parsed again only when asked (a finding judged on the later history needs its statement).
    get parsed() {
      return (parsed ??= parseMigrationSql(text));
    },
  };
}

/** The hash of each migration chained over the ones before it; only the first `count`. */
function chainsOf(migrations: readonly MigrationInput[], count: number): string[] {
  const out: string[] = [];
  let chain = '';
  for (let i = 0; i < Math.min(count, migrations.length); i++) {
    const m = migrations[i];
    chain = createHash('sha256').update(chain).update('\0').update(m.name).update('\0').update(m.file).update('\0').update(m.text).digest('hex');
    out.push(chain);
  }
  return out;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
