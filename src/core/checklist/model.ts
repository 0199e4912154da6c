/** The deployment checklist of one migration, as plain data. */

export type SectionId = 'pre' | 'deploy' | 'verify' | 'monitor' | 'rollback' | 'signoff';

export const SECTION_TITLES: Record<SectionId, string> = {
  pre: 'Pre-deployment',
  deploy: 'Deployment',
  verify: 'Post-deployment verification',
  monitor: 'Monitoring',
  rollback: 'Rollback',
  signoff: 'Sign-off',
};

export const SECTION_ORDER: SectionId[] = ['pre', 'deploy', 'verify', 'monitor', 'rollback', 'signoff'];

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
];

export interface Checklist {
  migration: string;
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
}

export function emptyState(): ChecklistState {
  return { ticks: {}, notes: {}, fingerprints: {}, record: {} };
}
