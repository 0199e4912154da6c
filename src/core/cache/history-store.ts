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
 *
 * The file is small and read lazily. Format 2, one line each:
 *
 *     <sha256 of the rest>
 *     {"format":2,"key":…,"history":<the chain of the whole history the judged findings hold for>}
 *     <the catalog the last migration leaves, as a delta from an empty one>
 *     <chain> TAB <catalog delta> TAB <report> TAB <findings> TAB <judged>     (one line per migration)
 *
 * The delta holds what the migration changed in the catalog (a column added to a table of 300 is
 * one column, not the table); a migration's catalog is built from them only when read (judging a
 * finding on the later history), the newest one from the snapshot line. Report and findings are
 * parsed only when read: a pull-request check
 * reads the reports of the migrations it reviews, not of the 800 before them. `judged` is the
 * migration's findings judged on the whole history (foreign-key-without-index names a later
 * migration's index): `=` the same as its findings, empty when not judged; it holds only while
 * the history is the one in the header. JSON.stringify escapes tabs and newlines inside strings,
 * so the separators never occur in a field.
 *
 * Parsed schema.prisma files have files of their own (`schema-<project>-<hash>.json`), keyed by
 * the tool version and the files' paths and texts: a pull-request check parses the schema at the
 * base and at the head, and the base's was parsed on the base branch. The newest few per project
 * are kept.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { MigrationAnalysis, MigrationInput } from '../analysis/analyze-migration';
import type { PersistentHistory } from '../analysis/history';
import { Catalog, type CatalogDelta } from '../catalog/model';
import type { PrismaSchemaModel } from '../prisma/schema';
import type { SchemaFile } from '../project/schema-file';
import { parseMigrationSql, type ParsedMigration } from '../sql/parse-migration';
import type { Finding, MigrationReport } from '../types';

const FORMAT = 2;
/** Parsed schemas kept per project: the base's and the head's of a pull request, and a few more. */
const KEPT_SCHEMAS = 4;

interface Header {
  format: number;
  key: string;
  /** The chain of the whole history the entries' judged findings were judged on. */
  history: string;
}

/** One migration's line, split into its fields (still JSON text). */
interface StoredLine {
  chain: string;
  delta: string;
  report: string;
  findings: string;
  judged: string;
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
  /** What the last restore read: the file's lines (restored ones first) and the chains of the history. */
  private stored: { header: Header | null; snapshot: string; lines: StoredLine[]; chains: string[]; restored: number; sameHistory: boolean; analyses: MigrationAnalysis[] } = {
    header: null,
    snapshot: '',
    lines: [],
    chains: [],
    restored: 0,
    sameHistory: false,
    analyses: [],
  };

  /**
   * @param dir the cache folder (created on the first write, 0700)
   * @param scope what besides the options key the results depend on: the tool version and the project
   */
  constructor(
    private readonly dir: string,
    private readonly scope: { toolVersion: string; project: string },
  ) {}

  parsedSchema(files: readonly SchemaFile[], parse: (files: readonly SchemaFile[]) => PrismaSchemaModel): PrismaSchemaModel {
    const key = sha256(JSON.stringify([FORMAT, this.scope.toolVersion, files.map((f) => [f.path, f.text])]));
    const prefix = `schema-${sha256(JSON.stringify([FORMAT, this.scope.toolVersion, this.scope.project])).slice(0, 16)}-`;
    const file = path.join(this.dir, `${prefix}${key.slice(0, 32)}.json`);
    const stored = readChecked(file);
    if (stored !== null) {
      try {
        const parsed = JSON.parse(stored) as { key: string; schema: PrismaSchemaModel };
        if (parsed.key === key) return parsed.schema;
      } catch {
        // rebuilt below
      }
    }
    const schema = parse(files);
    this.write(file, JSON.stringify({ key, schema }));
    this.prune(prefix, KEPT_SCHEMAS);
    return schema;
  }

  /** Keeps the `kept` newest files named `<prefix>…`: every edit of schema.prisma writes a new one. */
  private prune(prefix: string, kept: number): void {
    try {
      const files = readdirSync(this.dir)
        .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
        .map((f) => ({ f, time: statSync(path.join(this.dir, f)).mtimeMs }))
        .sort((a, b) => b.time - a.time);
      for (const { f } of files.slice(kept)) rmSync(path.join(this.dir, f), { force: true });
    } catch {
      // Another run pruned it first, or the folder is read-only: only space.
    }
  }

  /** `<sha256 of body>\n<body>` to a temporary file renamed into place. */
  private write(file: string, body: string): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temp, `${sha256(body)}\n${body}`, { mode: 0o600 });
      renameSync(temp, file);
    } catch {
      // A cache that cannot be written (read-only checkout, full disk) only costs time.
    }
  }

  private fileKey(optionsKey: string): string {
    return sha256(JSON.stringify([FORMAT, this.scope.toolVersion, this.scope.project, optionsKey]));
  }

  private fileOf(key: string): string {
    return path.join(this.dir, `history-${key.slice(0, 32)}.json`);
  }

  private load(key: string): { header: Header; snapshot: string; lines: StoredLine[] } | null {
    const body = readChecked(this.fileOf(key));
    if (body === null) return null;
    const rows = body.split('\n');
    let header: Header;
    try {
      header = JSON.parse(rows[0]) as Header;
    } catch {
      return null;
    }
    if (header.format !== FORMAT || header.key !== key || typeof header.history !== 'string') return null;
    const lines: StoredLine[] = [];
    for (let i = 2; i < rows.length - 1; i++) {
      const f = rows[i].split('\t');
      if (f.length !== 5) return null;
      lines.push({ chain: f[0], delta: f[1], report: f[2], findings: f[3], judged: f[4] });
    }
    return rows.length >= 3 && rows[rows.length - 1] === '' ? { header, snapshot: rows[1], lines } : null;
  }

  restore(migrations: readonly MigrationInput[], optionsKey: string): MigrationAnalysis[] {
    const key = this.fileKey(optionsKey);
    const file = this.load(key);
    const chains = chainsOf(migrations);
    const lines = file?.lines ?? [];
    // Judged findings hold while the whole history is the one they were judged on.
    const sameHistory = file !== null && lines.length === migrations.length && file.header.history === (chains[chains.length - 1] ?? '');
    let count = 0;
    while (count < lines.length && count < migrations.length && lines[count].chain === chains[count]) count++;
    // The catalog after migration i, built on first read: the newest whole from the snapshot line
    // (when the file's history is restored to its end), the others from the nearest one before.
    const catalogs: Catalog[] = [];
    const catalogAfter = (i: number): Catalog => {
      if (catalogs[i]) return catalogs[i];
      if (i === lines.length - 1 && file?.snapshot) return (catalogs[i] = new Catalog().withDelta(JSON.parse(file.snapshot) as CatalogDelta));
      let j = i;
      while (j >= 0 && !catalogs[j]) j--;
      let catalog = j >= 0 ? catalogs[j] : new Catalog();
      for (let k = j + 1; k <= i; k++) catalog = catalogs[k] = catalog.withDelta(JSON.parse(lines[k].delta) as CatalogDelta);
      return catalog;
    };
    const out: MigrationAnalysis[] = [];
    try {
      // Built now, so that a file that passed its hash but does not parse is rebuilt, not trusted.
      if (count) catalogAfter(count - 1);
      for (let i = 0; i < count; i++) out.push(restoredAnalysis(migrations[i].text, lines[i], () => catalogAfter(i)));
    } catch {
      out.length = 0;
    }
    this.stored = {
      header: file?.header ?? null,
      snapshot: out.length === lines.length ? (file?.snapshot ?? '') : '',
      lines: lines.slice(0, out.length),
      chains,
      restored: out.length,
      sameHistory: sameHistory && out.length === migrations.length,
      analyses: out,
    };
    return out;
  }

  judged(index: number): readonly Finding[] | undefined {
    const line = this.stored.sameHistory ? this.stored.lines[index] : undefined;
    if (!line?.judged) return undefined;
    return line.judged === '=' ? this.stored.analyses[index].findings : (JSON.parse(line.judged) as Finding[]);
  }

  record(migrations: readonly MigrationInput[], analyses: readonly MigrationAnalysis[], optionsKey: string, restored: number, judged: ReadonlyMap<number, readonly Finding[]> = new Map()): void {
    const chains = this.stored.chains.length === migrations.length ? this.stored.chains : chainsOf(migrations);
    const history = chains[chains.length - 1] ?? '';
    const sameHistory = this.stored.header?.history === history;
    const keep = Math.min(restored, this.stored.restored);
    const lines: StoredLine[] = [];
    let changed = keep !== migrations.length || this.stored.lines.length !== migrations.length || !sameHistory;
    for (let i = 0; i < keep; i++) {
      const line = this.stored.lines[i];
      const j = judged.get(i);
      const judgedText = j !== undefined ? judgedField(j, analyses[i].findings, line.findings) : sameHistory ? line.judged : '';
      if (judgedText !== line.judged) changed = true;
      lines.push(judgedText === line.judged ? line : { ...line, judged: judgedText });
    }
    if (!changed) return; // the file already holds all of it
    let before = keep ? analyses[keep - 1].after : new Catalog();
    for (let i = keep; i < analyses.length; i++) {
      const a = analyses[i];
      const j = judged.get(i);
      const findings = JSON.stringify(a.findings);
      lines.push({
        chain: chains[i],
        delta: JSON.stringify(a.after.deltaFrom(before)),
        report: JSON.stringify(a.report),
        findings,
        judged: j === undefined ? '' : judgedField(j, a.findings, findings),
      });
      before = a.after;
    }
    const key = this.fileKey(optionsKey);
    const header: Header = { format: FORMAT, key, history };
    const last = analyses[analyses.length - 1];
    const snapshot = keep === analyses.length && this.stored.snapshot ? this.stored.snapshot : last ? JSON.stringify(last.after.deltaFrom(new Catalog())) : '';
    const body = `${JSON.stringify(header)}\n${snapshot}\n${lines.map((l) => `${l.chain}\t${l.delta}\t${l.report}\t${l.findings}\t${l.judged}\n`).join('')}`;
    this.write(this.fileOf(key), body);
  }
}

/** The body of a cache file whose integrity hash holds; null when missing, torn, truncated or edited. */
function readChecked(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const newline = text.indexOf('\n');
  const body = text.slice(newline + 1);
  return newline === 64 && sha256(body) === text.slice(0, 64) ? body : null;
}

/** `=` when judging the findings on the whole history left them as they were. */
function judgedField(judged: readonly Finding[], findings: readonly Finding[], findingsText: string): string {
  if (judged === findings) return '=';
  const text = JSON.stringify(judged);
  return text === findingsText ? '=' : text;
}

/** A restored migration: its report and findings parsed on first read, its statements parsed again only when asked. */
function restoredAnalysis(text: string, line: StoredLine, after: () => Catalog): MigrationAnalysis {
  let parsed: ParsedMigration | undefined;
  let report: MigrationReport | undefined;
  let findings: Finding[] | undefined;
  return {
    get after() {
      return after();
    },
    get report() {
      return (report ??= JSON.parse(line.report) as MigrationReport);
    },
    get findings() {
      return (findings ??= JSON.parse(line.findings) as Finding[]);
    },
    // A finding judged on the later history needs its statement.
    get parsed() {
      return (parsed ??= parseMigrationSql(text));
    },
  };
}

/** The hash of each migration chained over the ones before it. */
function chainsOf(migrations: readonly MigrationInput[]): string[] {
  const out: string[] = [];
  let chain = '';
  for (const m of migrations) {
    chain = createHash('sha256').update(chain).update('\0').update(m.name).update('\0').update(m.file).update('\0').update(m.text).digest('hex');
    out.push(chain);
  }
  return out;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
