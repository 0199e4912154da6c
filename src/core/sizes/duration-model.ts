/**
 * How long the work that holds a migration's lock takes, to an order of magnitude: time grows in
 * proportion to the table (rows for an index build's sort and a foreign-key check's join; bytes
 * for a scan and a rewrite). Each coefficient is the geometric mean of seconds per unit over
 * scripts/calibrate-durations.ts's measurements of 1 M rows and more on PostgreSQL 15 (below that,
 * fixed costs dominate and every estimate is under a second anyway); docs/duration-calibration.json
 * holds the measurements and docs/live-database.md the method and the error. Another server,
 * cold caches, wider keys, more indexes or a busy disk change it: every message says it is an estimate.
 */
export type Work = 'index-build' | 'rewrite' | 'validate-scan' | 'validate-foreign-key';

export interface SizeFacts {
  rows: number | null;
  /** pg_table_size (table and TOAST). */
  tableBytes: number;
  /** pg_total_relation_size (with the indexes a rewrite rebuilds). */
  totalBytes: number;
}

/**
 * What each kind of work grows with, and the seconds per unit fitted on the measurements (an index
 * build 1.5 µs per row, a validating scan 2.3 ns per byte ≈ 430 MB/s, a foreign-key validation
 * 1.2 µs per row, a rewrite 21 ns per byte of table and indexes ≈ 49 MB/s). On the measurements of
 * 1 M rows and more the estimate is within a factor of 3.7 (index builds: a text key sorts about 4×
 * slower than an integer), 1.7 (scans), 1.6 (foreign keys) and 1.5 (rewrites) of the measured time.
 */
export const DURATION_MODEL: Record<Work, { per: 'rows' | 'tableBytes' | 'totalBytes'; secondsPerUnit: number }> = {
  'index-build': { per: 'rows', secondsPerUnit: 1.543e-6 },
  'validate-scan': { per: 'tableBytes', secondsPerUnit: 2.308e-9 },
  'validate-foreign-key': { per: 'rows', secondsPerUnit: 1.212e-6 },
  rewrite: { per: 'totalBytes', secondsPerUnit: 2.055e-8 },
};

/** Seconds, or null when the size it grows with is unknown (no row estimate). */
export function estimateSeconds(work: Work, size: SizeFacts): number | null {
  const m = DURATION_MODEL[work];
  const x = size[m.per];
  return x === null ? null : x * m.secondsPerUnit;
}

/** "under a second", "about 40 s", "about 3 min", "about 2 h": one significant figure. */
export function describeDuration(seconds: number): string {
  if (seconds < 1) return 'under a second';
  const [value, unit] = seconds < 60 ? [seconds, 's'] : seconds < 3600 ? [seconds / 60, 'min'] : [seconds / 3600, 'h'];
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const rounded = Math.round(value / magnitude) * magnitude;
  // 59.6 s rounds to 60 s: say 1 min.
  if (unit === 's' && rounded >= 60) return 'about 1 min';
  if (unit === 'min' && rounded >= 60) return 'about 1 h';
  return `about ${rounded} ${unit}`;
}
