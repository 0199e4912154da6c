/**
 * `preflight check --format json`: the public JSON contract, version 2.
 *
 * The shape is documented field by field in docs/json-output.md and pinned by
 * docs/json-output.schema.json. A version never changes: a field added, renamed, removed or given
 * a new meaning makes the next one. Version 2 = version 1 plus `notices`, with paths relative to
 * the repository root instead of the working directory. Keys are written in the order of the
 * interfaces below.
 */
import type { AnalysisResult, LockMode, Position, Severity, TableName } from '../../core/types';
import { displayPath } from './paths';

/** 1-based line and column; the column counts UTF-16 code units. An `end` points just past the range. */
export interface JsonPositionV1 {
  line: number;
  column: number;
}

export interface JsonLockV1 {
  /** `schema.table`, unquoted, as PostgreSQL stores it, e.g. `public.Product`. */
  table: TableName;
  /** The strongest lock the statement takes on the table, named as `pg_locks.mode` names it. */
  mode: LockMode;
  /** Present (true) when the lock is taken only if a branch of a DO block runs: at most this strong. */
  may?: true;
}

export interface JsonStatementV1 {
  start: JsonPositionV1;
  end: JsonPositionV1;
  /** libpg-query node type, e.g. `AlterTableStmt`, `CreateIndexStmt`. */
  kind: string;
  locks: JsonLockV1[];
  /** Tables whose storage the statement rewrites. */
  rewrites: TableName[];
  /** Tables the statement creates (or touches after an earlier statement of this migration created them). */
  newTables: TableName[];
  /** Present (true) when Preflight could not tell everything the statement touches (e.g. dynamic SQL in a DO block). */
  uncertain?: true;
  /** Why, in words, when known (e.g. the dynamic SQL a DO block EXECUTEs). */
  uncertainReason?: string;
}

export interface JsonMigrationV1 {
  /** Folder name, e.g. `20250101000000_init`. */
  name: string;
  /** Path of its migration.sql, relative to the repository root (see paths.ts). */
  file: string;
  /** How Prisma sends the file: `batch` (one implicit transaction) or `split` (statement by statement). */
  mode: 'batch' | 'split';
  statements: JsonStatementV1[];
}

export interface JsonFindingV1 {
  rule: string;
  severity: Severity;
  /** Relative to the repository root. */
  file: string;
  /** Migration folder name, or null for findings in schema.prisma or the project. */
  migration: string | null;
  start: JsonPositionV1;
  end: JsonPositionV1;
  message: string;
  help: string;
  /** Present (true) on a note that cannot tell whether its hazard applies: it needs a fact the migrations do not show. */
  uncertain?: true;
}

export interface JsonReportV2 {
  version: 2;
  /** The Prisma version the analysis assumed, or null when unknown (then every file is read as `batch`). */
  prismaVersion: string | null;
  migrations: JsonMigrationV1[];
  findings: JsonFindingV1[];
  /** Plain-words notes about the run: a skipped non-PostgreSQL project, an unknown Prisma version, an unreadable prisma.config.ts. */
  notices: string[];
}

export function toJsonReport(result: AnalysisResult, cwd: string): JsonReportV2 {
  return {
    version: 2,
    prismaVersion: result.prismaVersion,
    migrations: result.migrations.map((m) => ({
      name: m.name,
      file: displayPath(cwd, m.file),
      mode: m.execution.mode,
      statements: m.statements.map((s) => ({
        start: position(s.range.start),
        end: position(s.range.end),
        kind: s.facts.kind,
        locks: s.facts.locks.map((l) => ({ table: l.table, mode: l.mode, ...(l.may ? { may: true as const } : {}) })),
        rewrites: [...s.facts.rewrites],
        newTables: [...s.facts.newTables],
        ...(s.facts.uncertain ? { uncertain: true as const } : {}),
        ...(s.facts.uncertainReason ? { uncertainReason: s.facts.uncertainReason } : {}),
      })),
    })),
    findings: result.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      file: displayPath(cwd, f.file),
      migration: f.migration,
      start: position(f.range.start),
      end: position(f.range.end),
      message: f.message,
      help: f.help,
      ...(f.uncertain ? { uncertain: true as const } : {}),
    })),
    notices: [...result.notices],
  };
}

/** A fresh object with exactly the contract's keys (core positions may one day carry more). */
function position(p: Position): JsonPositionV1 {
  return { line: p.line, column: p.column };
}
