/** The deployment checklist of one migration, as plain data. */

export type SectionId = 'pre' | 'app' | 'deploy' | 'verify' | 'monitor' | 'rollback' | 'signoff';

export const SECTION_TITLES: Record<SectionId, string> = {
  pre: 'Pre-deployment',
  app: 'Application changes',
  deploy: 'Deployment',
  verify: 'Post-deployment verification',
  monitor: 'Monitoring',
  rollback: 'Rollback',
  signoff: 'Sign-off',
};

export const SECTION_ORDER: SectionId[] = ['pre', 'app', 'deploy', 'verify', 'monitor', 'rollback', 'signoff'];

export interface ChecklistItem {
  /** Stable across regenerations while the item still applies, e.g. `pre.orphans.Product_session_id_fkey`. */
  id: string;
  section: SectionId;
  title: string;
  /** Plain-words explanation (one paragraph). */
  detail?: string;
  /** Code to run, with its language. */
  code?: { lang: 'sql' | 'sh'; text: string };
  /** What the query must return for the item to pass. */
  expected?: string;
  /** The statement the item is about (0-based index in the migration), for "jump to statement". */
  statementIndex?: number;
  /** 1-based line of that statement. */
  line?: number;
  /** Hash of what the item was generated from: when it changes, a tick is reset. */
  fingerprint: string;
  /** How a run against a live database judges what `code` returns (SQL items only). */
  probe?: Probe;
  /** The result of the last run against a live database (set by `preflight checklist --database-url`). */
  check?: CheckResult;
}

/**
 * How to judge a check query's result. `failure` explains a failed check in the user's words,
 * with `{n}` for the number observed: one form for 1, one for any other number.
 */
export type Probe =
  /** The first column of the only row is a count: it must equal `equals`. */
  | { kind: 'count'; equals: number; failure?: { one: string; many: string } }
  /** Every row's last column is a count that must be 0 (one row per column checked). */
  | { kind: 'counts-zero'; failure?: { one: string; many: string } }
  /** The query must return no rows. */
  | { kind: 'no-rows'; failure?: { one: string; many: string } }
  /** One row whose columns hold these values (as PostgreSQL prints them: t/f, letters). */
  | { kind: 'row'; equals: Record<string, string | null> };

export const CHECK_STATES = ['passed', 'failed', 'error', 'timeout', 'not-run'] as const;
export type CheckState = (typeof CHECK_STATES)[number];

/** What a check query returned against a live database, and the verdict. */
export interface CheckResult {
  state: CheckState;
  observed: string;
  expected: string;
  /** ISO 8601. */
  checkedAt: string;
  /** host:port/database, never user or password. */
  target: string;
  /** Plain words for a check that did not pass. */
  explanation?: string;
  /** The tick on the item was made by Preflight (a later failing run removes it; a person's tick it never touches). */
  tickedByPreflight?: boolean;
}

export interface RecordField {
  key: string;
  label: string;
}

export const RECORD_FIELDS: RecordField[] = [
  { key: 'date', label: 'Date' },
  { key: 'backup', label: 'Backup location' },
  { key: 'duration', label: 'Duration' },
  { key: 'issues', label: 'Issues' },
  { key: 'deployedBy', label: 'Deployed by' },
  { key: 'reviewedBy', label: 'Reviewed by' },
  { key: 'sizes', label: 'Table sizes before deployment' },
  { key: 'rowCountsAfter', label: 'Row counts after deployment' },
];

/**
 * The top of the checklist, before any section: will the deploy fail, does it lose data, what is
 * locked and for how long, is the file atomic, what to do before merging. Plain text (identifiers
 * quoted as PostgreSQL spells them), one entry per question, each with its own bullet points.
 */
export interface VerdictLine {
  key: 'deploy' | 'data' | 'locks' | 'atomic' | 'prisma-warnings' | 'before-merge';
  label: string;
  text: string;
  points: string[];
}

export interface Checklist {
  migration: string;
  verdict: VerdictLine[];
  /** Summary lines shown under the title. */
  summary: string[];
  items: ChecklistItem[];
}

/** What a person has done with the checklist: survives regeneration. */
export interface ChecklistState {
  ticks: Record<string, boolean>;
  notes: Record<string, string>;
  /** Fingerprints the ticks were made against. */
  fingerprints: Record<string, string>;
  record: Record<string, string>;
  /** Results of live checks, by item id (kept while the item's fingerprint holds). */
  checks?: Record<string, CheckResult>;
}

export function emptyState(): ChecklistState {
  return { ticks: {}, notes: {}, fingerprints: {}, record: {}, checks: {} };
}

/** An item as the generators write it: the builder adds the fingerprint. */
export type ItemDraft = Omit<ChecklistItem, 'fingerprint'> & {
  /** What the fingerprint is made from besides the code and the expected result. */
  basis?: string;
  /** The data condition under which the statement fails, for the verdict (e.g. `"Product"."session_id" holds a NULL`). */
  failsIf?: string;
};

/** A name as part of a stable item id: anything but letters, digits, _ . - becomes _. */
export function idPart(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]+/g, '_');
}
