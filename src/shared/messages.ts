/**
 * Everything the extension and its webviews say to each other, typed once and used by both
 * sides (each side has one `switch` per direction). The view models are plain data built by the
 * extension from the core's results; every string in them may come from the workspace (table
 * names, SQL, notes) and is rendered by the webviews as text, never as markup.
 *
 * Messages from a webview are checked with `parse…Message` before the extension acts on them: a
 * webview renders workspace content, so its messages are treated as untrusted input.
 */

// ---------------------------------------------------------------------------------------------
// Checklist view (sidebar)

export interface ChecklistItemView {
  id: string;
  title: string;
  detail?: string;
  code?: { lang: 'sql' | 'sh'; text: string };
  expected?: string;
  /** 1-based line of the statement the item is about (jump target). */
  line?: number;
  checked: boolean;
  note: string;
  /** Why an earlier tick was reset (the statement behind it changed). */
  reset?: string;
  /** The last run of its query against a live database (Check Against Database…, or the CLI's checklist --database-url). */
  check?: LiveCheckView;
}

/** A check query's result against a live database, as recorded in preflight-checklist.md. */
export interface LiveCheckView {
  state: 'passed' | 'failed' | 'error' | 'timeout' | 'not-run';
  observed: string;
  expected: string;
  /** When, as the user's clock shows it. */
  at: string;
  /** host:port/database, never the user or password. */
  target: string;
  /** Why it did not pass, in plain words. */
  explanation?: string;
  tickedByPreflight: boolean;
}

export interface ChecklistSectionView {
  id: string;
  title: string;
  items: ChecklistItemView[];
}

export interface RecordFieldView {
  key: string;
  label: string;
  value: string;
}

/** One line of the verdict the checklist opens with (the core's VerdictLine, plain text). */
export interface VerdictView {
  key: string;
  label: string;
  text: string;
  points: string[];
}

export interface ChecklistViewModel {
  migration: string;
  /** Will the deploy fail, data, locks, atomicity, Prisma's warnings, what to do before merging. */
  verdict: VerdictView[];
  /** The migration folder relative to the workspace folder, for display. */
  folder: string;
  summary: string[];
  sections: ChecklistSectionView[];
  record: RecordFieldView[];
  /** Notes of items that no longer apply, kept in the file. */
  archived: { id: string; note: string }[];
  progress: { done: number; total: number };
  /** Whether preflight-checklist.md exists yet (it is written on the first edit). */
  fileExists: boolean;
  /** The file is open in an editor with unsaved changes: they are not shown here until saved. */
  unsavedInEditor: boolean;
}

/** Extension → Checklist view. */
export type HostToChecklistMessage =
  | { type: 'show'; model: ChecklistViewModel }
  | { type: 'empty'; reason: string }
  | { type: 'loading'; migration: string }
  | { type: 'error'; message: string };

/**
 * Checklist view → extension. Messages about items name the migration they were made in: the
 * view may have moved to another folder by the time a debounced note arrives.
 */
export type ChecklistToHostMessage =
  | { type: 'ready' }
  | { type: 'tick'; migration: string; id: string; checked: boolean }
  | { type: 'note'; migration: string; id: string; text: string }
  | { type: 'record'; migration: string; key: string; value: string }
  | { type: 'copyCode'; migration: string; id: string }
  | { type: 'revealStatement'; migration: string; id: string }
  | { type: 'openFile' }
  | { type: 'openReview' };

// ---------------------------------------------------------------------------------------------
// Review panel

export type SeverityView = 'error' | 'warning' | 'info';

export interface FindingView {
  rule: string;
  severity: SeverityView;
  /** Line in migration.sql; absent for findings in other files (schema.prisma, the folder). */
  line?: number;
  message: string;
  help: string;
  /** The same rule with the same advice on further statements, shown once under this one. */
  more?: { line?: number; message: string }[];
}

export interface CategoryView {
  id: string;
  title: string;
  findings: FindingView[];
}

export interface LockView {
  table: string;
  /** e.g. `ACCESS EXCLUSIVE`. */
  lock: string;
  /** Plain words: what the lock blocks. */
  blocks: string;
  /** The table existed before this migration (a lock on a new table hurts nobody). */
  existing: boolean;
}

export interface StatementView {
  index: number;
  line: number;
  /** The statement's SQL, whitespace collapsed, shortened. */
  sql: string;
  kind: string;
  locks: LockView[];
  rewrites: string[];
  newTables: string[];
  findings: { rule: string; severity: SeverityView; message: string }[];
  /** What the latest dry run of exactly this text saw; absent without one. */
  observed?: ObservedStatementView;
}

/** One statement as a dry run (PGlite) saw it. */
export interface ObservedStatementView {
  status: 'applied' | 'rolled-back' | 'failed' | 'not-run' | 'transaction-control' | 'skipped';
  /** As the hover says it: `ACCESS EXCLUSIVE on "User"; rewrote "User"; 3.1 ms`. */
  summary: string;
  /** Table locks the statement acquired, e.g. `{ table: '"User"', lock: 'ACCESS EXCLUSIVE' }`. */
  locks: { table: string; lock: string }[];
  rewrites: string[];
  durationMs: number;
  error?: { sqlstate: string; message: string; hint?: string; line: number };
  /** Where the static analysis and the dry run disagree, in words; empty when they agree; absent when not comparable. */
  differences?: string[];
}

/** The latest dry run of the migration, when it still matches the file. */
export interface DryRunView {
  /** `PGlite, PostgreSQL 18.6`. */
  engine: string;
  outcome: 'applied' | 'failed' | 'partially-applied';
  /** One sentence: engine, outcome, time, how the history was replayed. */
  summary: string;
  /** When it finished, as the user's clock shows it. */
  at: string;
  notices: string[];
  /** What empty tables cannot show (statements that fail on real rows, lock times), one sentence each. */
  unproven: string[];
}

export interface OnDeleteChangeView {
  constraint: string;
  table: string;
  references: string;
  /** Null: the foreign key is new in this migration. */
  from: { onDelete: string; onUpdate: string } | null;
  /** Null: the migration drops the foreign key. */
  to: { onDelete: string; onUpdate: string } | null;
  /** What the (new) ON DELETE means when a parent row is deleted. */
  meaning: string;
  /** Line of the statement that adds it. */
  line?: number;
}

export interface ChecklistStatusView {
  fileExists: boolean;
  done: number;
  total: number;
  /** Pre-deployment items still open (what `preflight checklist --verify` gates on). */
  preOpen: number;
  preTotal: number;
  /** Results of the checks run against a live database, by item (those that have one). */
  checks?: { id: string; title: string; check: LiveCheckView }[];
}

export interface ReviewViewModel {
  migration: string;
  file: string;
  prismaVersion: string | null;
  execution: { mode: 'batch' | 'split'; reason: string };
  counts: Record<SeverityView, number>;
  categories: CategoryView[];
  statements: StatementView[];
  onDelete: OnDeleteChangeView[];
  checklist: ChecklistStatusView | null;
  /** The checklist's verdict (empty when the checklist could not be built). */
  verdict: VerdictView[];
  notices: string[];
  /** Actions that need a trusted workspace: a dry run, a check against a database. */
  actions: { dryRun: boolean; checkDatabase?: boolean };
  /** The latest dry run of exactly this text (each statement's `observed` has the details), or null. */
  dryRun: DryRunView | null;
  /** Grows with every model the extension builds: a reloaded page shows the newest one it has. */
  revision: number;
}

/** Extension → review panel. */
export type HostToReviewMessage =
  | { type: 'show'; model: ReviewViewModel }
  | { type: 'checklistStatus'; status: ChecklistStatusView | null }
  | { type: 'done'; action: ReviewAction; message: string }
  | { type: 'error'; message: string };

export type ReviewAction = 'openChecklist' | 'writeDownSql' | 'dryRun' | 'checkDatabase';

/** Review panel → extension. */
export type ReviewToHostMessage =
  | { type: 'ready' }
  | { type: 'action'; action: ReviewAction }
  | { type: 'revealLine'; line: number }
  | { type: 'showRule'; rule: string };

// ---------------------------------------------------------------------------------------------
// Checking what a webview sends

/** Every message type, per direction: the compiler insists each list is complete. */
export const CHECKLIST_TO_HOST_TYPES = { ready: true, tick: true, note: true, record: true, copyCode: true, revealStatement: true, openFile: true, openReview: true } as const satisfies Record<ChecklistToHostMessage['type'], true>;
export const REVIEW_TO_HOST_TYPES = { ready: true, action: true, revealLine: true, showRule: true } as const satisfies Record<ReviewToHostMessage['type'], true>;
export const HOST_TO_CHECKLIST_TYPES = { show: true, empty: true, loading: true, error: true } as const satisfies Record<HostToChecklistMessage['type'], true>;
export const HOST_TO_REVIEW_TYPES = { show: true, checklistStatus: true, done: true, error: true } as const satisfies Record<HostToReviewMessage['type'], true>;
const REVIEW_ACTIONS: Record<ReviewAction, true> = { openChecklist: true, writeDownSql: true, dryRun: true, checkDatabase: true };

/** Longest note or record value accepted from a webview (a note is free text, not a file). */
export const MAX_TEXT = 20_000;
const MAX_ID = 300;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT;

/** The message if it is a well-formed Checklist-view message, else null. */
export function parseChecklistMessage(raw: unknown): ChecklistToHostMessage | null {
  if (!isObject(raw) || typeof raw.type !== 'string') return null;
  const type = raw.type as ChecklistToHostMessage['type'];
  switch (type) {
    case 'ready':
    case 'openFile':
    case 'openReview':
      return { type };
    case 'tick':
      return isId(raw.migration) && isId(raw.id) && typeof raw.checked === 'boolean' ? { type, migration: raw.migration, id: raw.id, checked: raw.checked } : null;
    case 'note':
      return isId(raw.migration) && isId(raw.id) && isText(raw.text) ? { type, migration: raw.migration, id: raw.id, text: raw.text } : null;
    case 'record':
      return isId(raw.migration) && isId(raw.key) && isText(raw.value) ? { type, migration: raw.migration, key: raw.key, value: raw.value } : null;
    case 'copyCode':
    case 'revealStatement':
      return isId(raw.migration) && isId(raw.id) ? { type, migration: raw.migration, id: raw.id } : null;
    default:
      return unknownType(type);
  }
}

/** The message if it is a well-formed review-panel message, else null. */
export function parseReviewMessage(raw: unknown): ReviewToHostMessage | null {
  if (!isObject(raw) || typeof raw.type !== 'string') return null;
  const type = raw.type as ReviewToHostMessage['type'];
  switch (type) {
    case 'ready':
      return { type };
    case 'action':
      return typeof raw.action === 'string' && Object.hasOwn(REVIEW_ACTIONS, raw.action) ? { type, action: raw.action as ReviewAction } : null;
    case 'revealLine':
      return typeof raw.line === 'number' && Number.isInteger(raw.line) && raw.line >= 1 ? { type, line: raw.line } : null;
    case 'showRule':
      return typeof raw.rule === 'string' && /^[a-z0-9-]{1,80}$/.test(raw.rule) ? { type, rule: raw.rule } : null;
    default:
      return unknownType(type);
  }
}

/** The `default` of a switch over a union: a compile error when a case is missing, null at run time. */
function unknownType(_type: never): null {
  return null;
}

/** For the `default` of switches that must handle every message. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
