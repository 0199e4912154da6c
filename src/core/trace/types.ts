/** The dry run's results: plain, JSON-serialisable data (see README.md in this folder). */
import type { ExecutionMode, Position, SourceRange, TableLock } from '../types';

export interface TraceMigrationInput {
  /** Folder name, e.g. `20240101000000_init`. */
  name: string;
  text: string;
  /** Path of migration.sql, carried into the result. */
  file?: string;
}

export interface TraceError {
  /** PostgreSQL's SQLSTATE, e.g. `25001`, `42P01`, `23502`; `XX000` when PGlite itself gave up. */
  sqlstate: string;
  message: string;
  detail?: string;
  hint?: string;
  /** Where PostgreSQL points in the file (its error position), else the statement's start. */
  line: number;
  column: number;
  /** UTF-16 offset into the file of the same place. */
  offset: number;
}

export type StatementStatus =
  /** Ran and stayed applied. */
  | 'applied'
  /** Ran, but the transaction it belonged to was rolled back by a later failure. */
  | 'rolled-back'
  /** PostgreSQL rejected it (see `error`). */
  | 'failed'
  /** Never ran: an earlier statement failed. */
  | 'not-run'
  /** A transaction-control statement (`BEGIN`, `COMMIT`, ...) the dry run carried out itself. */
  | 'transaction-control'
  /** Never sent: on a server, it would act outside the temporary database (see `note`). */
  | 'skipped';

export interface TracedStatement {
  index: number;
  range: SourceRange;
  start: Position;
  end: Position;
  status: StatementStatus;
  /**
   * Strongest lock this statement acquired on each table (`pg_locks` of its own backend, read
   * before its transaction ended), tables only, sorted by table. Empty when `locksObserved` is false.
   */
  locks: TableLock[];
  /**
   * Every table lock the transaction holds once this statement has run (the locks of earlier
   * statements of a batch or BEGIN block included): what other sessions wait on at that moment.
   */
  heldLocks: TableLock[];
  /** False when the locks could not be read: the statement must run outside a transaction block (CONCURRENTLY, VACUUM), or it failed. */
  locksObserved: boolean;
  /** Tables whose storage was replaced (`pg_class.relfilenode` changed). */
  rewrites: string[];
  durationMs: number;
  error?: TraceError;
  /** Plain-words remark, e.g. why locks were not observed, or why the statement was skipped. */
  note?: string;
  /** On a server: procedural code that may act outside the temporary database (it ran; see docs/dry-run.md). */
  uncertain?: string;
}

/** A statement of an earlier migration the replay on a server did not send, or flagged. */
export interface ReplayGuardNote {
  migration: string;
  statementIndex: number;
  reason: string;
}

export interface ReplayFailure {
  migration: string;
  /** Index of the statement that failed when retried one by one; absent for the whole file. */
  statementIndex?: number;
  error: { sqlstate: string; message: string };
}

export interface ReplaySummary {
  /** Migrations replayed before the traced one. */
  migrations: number;
  /** True when the state came from the replay cache (warm run). */
  cached: boolean;
  durationMs: number;
  /** History migrations (or statements) that PostgreSQL rejected; the replay went on without them. */
  failures: ReplayFailure[];
  /** On a server: statements of earlier migrations not sent because they act outside the temporary database. */
  skipped?: ReplayGuardNote[];
  /** On a server: statements of earlier migrations that ran procedural code which may act outside it. */
  uncertain?: ReplayGuardNote[];
}

/** How a dry run on a server was confined. */
export interface ServerConfinement {
  /** The temporary database. */
  database: string;
  /** The throwaway role the SQL ran as (owner of the temporary database, no other rights), or null. */
  role: string | null;
  /** Why no throwaway role was used (the URL's role cannot CREATE ROLE, ...). */
  roleUnavailable?: string;
}

export interface SampleRowsReport {
  inserted: string[];
  failed: { table: string; message: string }[];
}

export interface TraceResult {
  engine: 'pglite' | 'postgres';
  /** `version()` of the shadow database. */
  serverVersion: string;
  migration: { name: string; file?: string };
  execution: ExecutionMode;
  /** `applied`: every statement ran; `failed`: nothing of the file stayed applied; `partially-applied`: a failure left earlier statements applied (split mode). */
  outcome: 'applied' | 'failed' | 'partially-applied';
  statements: TracedStatement[];
  replay: ReplaySummary;
  extensions: { loaded: string[]; unsupported: string[] };
  sampleRows?: SampleRowsReport;
  /** On a server: the temporary database and the role the SQL ran as. */
  server?: ServerConfinement;
  /** Plain-words notes (unsupported extensions, history failures, ...). Never contain a password. */
  notices: string[];
  totalMs: number;
}
