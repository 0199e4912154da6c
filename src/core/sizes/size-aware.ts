/**
 * The one place where table sizes change a review: a pass over the findings once the analysis is
 * done, with the statements' facts (the locks and rewrites of src/core/facts/locks.ts). A
 * locking finding names its table's size next to the table ("SHARE lock on "Product" (≈12.4 M
 * rows, 3.1 GB)"); an index build, a rewrite or a validating scan also gets an order-of-magnitude
 * duration from duration-model.ts, said to be an estimate; and its severity is raised when that
 * estimated lock time passes the thresholds (lockTimeSeverity in preflight.config.json). Without
 * stats nothing changes; no rule knows about sizes.
 */
import { displayTable } from '../pg/names';
import { RULES } from '../rules/index';
import type { AnalysisResult, Finding, Severity, StatementFacts, TableName } from '../types';
import { describeDuration, estimateSeconds, type Work } from './duration-model';
import { describeTableSize, rowEstimate, type TableStats } from './table-stats';

/** Estimated lock time, in seconds, from which a finding is at least a warning / an error. */
export interface LockTimeSeverity {
  warning: number | null;
  error: number | null;
}

/** Like pgfence's size levels, in estimated lock time: a second blocks a busy table's queries; ten make requests time out. */
export const DEFAULT_LOCK_TIME_SEVERITY: LockTimeSeverity = { warning: 1, error: 10 };

/** The work whose duration a rule's finding is about (the lock is held for all of it). */
const WORK_OF_RULE: Record<string, Work> = {
  'non-concurrent-index': 'index-build',
  'unique-constraint': 'index-build',
  'rewrite-column-type': 'rewrite',
  'volatile-default': 'rewrite',
  'set-not-null': 'validate-scan',
  'check-constraint-validation': 'validate-scan',
  'foreign-key-validation': 'validate-foreign-key',
};

const WORK_WORDS: Record<Work, string> = {
  'index-build': 'The index build',
  rewrite: 'The rewrite',
  'validate-scan': 'The scan',
  'validate-foreign-key': 'The validating scan',
};

const LOCKING = new Set(RULES.filter((r) => r.meta.category === 'locking').map((r) => r.meta.id));
const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface SizeContext {
  tables: ReadonlyMap<TableName, TableStats>;
  severity: LockTimeSeverity | 'off';
}

/** The result with sizes in its locking findings (and severities raised); the same result when no table it locks has stats. */
export function withTableSizes(result: AnalysisResult, ctx: SizeContext): AnalysisResult {
  const facts = new Map<string, StatementFacts>();
  for (const m of result.migrations) for (const s of m.statements) facts.set(`${m.name}\0${s.index}`, s.facts);
  return { ...result, findings: result.findings.map((f) => sizedFinding(f, f.migration !== null && f.statementIndex !== undefined ? facts.get(`${f.migration}\0${f.statementIndex}`) : undefined, ctx)) };
}

export function sizedFinding(f: Finding, facts: StatementFacts | undefined, ctx: SizeContext): Finding {
  if (!facts || !LOCKING.has(f.rule)) return f;
  const newTables = new Set(facts.newTables);
  const candidates = [...new Set([...facts.locks.map((l) => l.table), ...facts.rewrites])].filter((t) => !newTables.has(t) && ctx.tables.has(t));
  if (!candidates.length) return f;
  // Each table the message names gets its size after its first mention; the first one named is the finding's table.
  let message = f.message;
  const named: { table: TableName; at: number }[] = [];
  for (const table of candidates) {
    const shown = displayTable(table);
    const at = message.indexOf(shown);
    if (at < 0) continue;
    named.push({ table, at });
  }
  named.sort((a, b) => b.at - a.at);
  for (const { table, at } of named) {
    const end = at + displayTable(table).length;
    message = `${message.slice(0, end)} (${describeTableSize(ctx.tables.get(table)!)})${message.slice(end)}`;
  }
  const main = named.length ? named[named.length - 1].table : candidates[0];
  const stats = ctx.tables.get(main)!;
  if (!named.length) message = `${message} ${displayTable(main)} holds ${describeTableSize(stats)}.`;
  let work = WORK_OF_RULE[f.rule];
  // A type change that keeps the table rebuilds only its indexes.
  if (work === 'rewrite' && f.rule === 'rewrite-column-type' && !facts.rewrites.includes(main)) work = 'index-build';
  if (!work) return { ...f, message };
  const seconds = estimateSeconds(work, { rows: rowEstimate(stats), tableBytes: stats.tableBytes, totalBytes: stats.totalBytes });
  if (seconds === null) return { ...f, message };
  message = `${message} ${WORK_WORDS[work]} takes ${describeDuration(seconds)} on this size, an estimate.`;
  const raise = f.uncertain || ctx.severity === 'off' ? null : raisedTo(f.severity, seconds, ctx.severity);
  if (!raise) return { ...f, message };
  message = `${message} Raised to ${raise.severity}: the estimated lock time reaches ${raise.threshold} s (lockTimeSeverity).`;
  return { ...f, message, severity: raise.severity };
}

/** The severity the estimated lock time calls for, when it is above the finding's own. */
export function raisedTo(current: Severity, seconds: number, t: LockTimeSeverity): { severity: Severity; threshold: number } | null {
  const wanted = t.error !== null && seconds >= t.error ? { severity: 'error' as const, threshold: t.error } : t.warning !== null && seconds >= t.warning ? { severity: 'warning' as const, threshold: t.warning } : null;
  return wanted && RANK[wanted.severity] > RANK[current] ? wanted : null;
}
