/**
 * Plain, JSON-serialisable data shared by every part of the core and by its front ends.
 * Nothing here knows about VS Code or the terminal.
 */

/** 1-based line and column (column counts UTF-16 code units, as editors do). */
export interface Position {
  line: number;
  column: number;
}

/** A span of a file: UTF-16 offsets into the file's text, plus the same as positions. */
export interface SourceRange {
  startOffset: number;
  endOffset: number;
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

/** PostgreSQL table-level lock modes, named as `pg_locks.mode` names them, weakest first. */
export const LOCK_MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;
export type LockMode = (typeof LOCK_MODES)[number];

/** A lock mode's place in LOCK_MODES, weakest first: the one order every strength comparison uses. */
export function lockRank(mode: LockMode): number {
  return LOCK_MODES.indexOf(mode);
}

/** `schema.table`, unquoted, case as stored by PostgreSQL, e.g. `public.Product`. */
export type TableName = string;

export interface TableLock {
  table: TableName;
  mode: LockMode;
  /**
   * Taken only if a branch runs (inside a DO block: an IF / CASE branch, a loop body, an exception
   * handler, or a block whose failure is caught): the lock is at most this strong.
   */
  may?: true;
}

/** How Prisma will send a migration file to PostgreSQL. */
export interface ExecutionMode {
  mode: 'batch' | 'split';
  /** Plain-words reason, e.g. "Prisma 7.3.0 sends the whole file as one batch". */
  reason: string;
  /** For `batch` on Prisma >= 7.4: the statements sqlparser 0.61 cannot parse (0-based indexes). */
  unsplittableStatements?: number[];
}

/** What a statement does to the database, as data. */
export interface StatementFacts {
  /** libpg-query node type, e.g. `AlterTableStmt`, refined for common cases (`CreateIndexStmt`). */
  kind: string;
  locks: TableLock[];
  /** Tables whose storage is rewritten (new relfilenode). */
  rewrites: TableName[];
  /** Tables this statement touches that did not exist before this migration. */
  newTables: TableName[];
  /** True when the catalog could not tell what the statement touches. */
  uncertain?: boolean;
  /** Why, in words (e.g. the dynamic SQL of a DO block), when known. */
  uncertainReason?: string;
}

export interface TextEdit {
  /** Absolute or project-relative path; the file the edit applies to. */
  file: string;
  startOffset: number;
  endOffset: number;
  newText: string;
}

export interface NewFile {
  /** Path of a file to create (e.g. a new migration folder's migration.sql). */
  file: string;
  content: string;
}

export interface Fix {
  title: string;
  /** Safe fixes keep behaviour; unsafe ones change what the migration does and need a human. */
  safe: boolean;
  edits: TextEdit[];
  newFiles?: NewFile[];
}

export interface RelatedLocation {
  file: string;
  range: SourceRange;
  message: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  /** Path of the file, as given to the analysis (front ends make it relative). */
  file: string;
  /** Migration folder name, or null for findings in schema.prisma / the project. */
  migration: string | null;
  range: SourceRange;
  message: string;
  help: string;
  fixes?: Fix[];
  related?: RelatedLocation[];
  /** Index of the statement in its migration, where the finding is about one. */
  statementIndex?: number;
  /**
   * The rule could not tell whether the hazard applies, because it needs a fact the migrations do
   * not show (a table no migration creates, or one a DO block changed): a note, at severity info.
   */
  uncertain?: boolean;
}

export type RuleCategory =
  | 'data-loss'
  | 'locking'
  | 'deploy-failure'
  | 'referential-action'
  | 'compatibility'
  | 'hygiene';

/** A rule's documentation, in the fixed section order (Ruff's): the single source for every view. */
export interface RuleDocs {
  whatItDoes: string;
  /**
   * Earlier migrations the examples run against (e.g. the CREATE TABLE of the table an example
   * alters); for schema rules, the migration history the schema is compared with.
   */
  setup?: string;
  /** The Prisma version the examples assume, for rules whose answer depends on it (default 7.3.0). */
  prismaVersion?: string;
  whyIsThisBad: string;
  /** SQL (or schema.prisma text) that the rule flags. */
  example: string;
  /** The safe alternative, which the rule does not flag. */
  useInstead: string;
  fixSafety: string;
  references: string[];
}

export interface RuleMeta {
  id: string;
  category: RuleCategory;
  defaultSeverity: Severity;
  fixAvailability: 'never' | 'sometimes' | 'always';
  /** One line, used in listings and SARIF `shortDescription`. */
  summary: string;
  docs: RuleDocs;
  /** Where the doc example is a schema.prisma rather than a migration.sql. */
  exampleLanguage?: 'sql' | 'prisma';
  /** The rule judges each statement on its own: it also checks the statements inside DO blocks. */
  insideDoBlocks?: boolean;
}

export interface StatementReport {
  index: number;
  range: SourceRange;
  facts: StatementFacts;
}

export interface MigrationReport {
  /** Folder name, e.g. `20240101000000_init`. */
  name: string;
  /** Path of migration.sql. */
  file: string;
  execution: ExecutionMode;
  statements: StatementReport[];
}

export interface AnalysisResult {
  /** The Prisma version the analysis assumed (installed, configured or from package.json), or null when unknown. */
  prismaVersion: string | null;
  migrations: MigrationReport[];
  findings: Finding[];
  /** Plain-words notes for the user: provider skipped, config problems, unknown Prisma version. */
  notices: string[];
}
