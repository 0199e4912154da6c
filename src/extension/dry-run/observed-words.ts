/**
 * A dry run's observations in plain words, for the hover and the review panel: what each
 * statement locked, rewrote and took, and where that differs from the static analysis. No
 * `vscode` here: unit-tested under Node.
 */
import type { TracedStatement, TraceResult } from '../../core/trace/types';
import { lockRank, type LockMode, type StatementFacts, type TableLock } from '../../core/types';
import type { Core } from '../core-loader';

/** The core's wording of locks and tables (the same words the static hover uses). */
export type DryRunWords = Pick<Core, 'displayTable' | 'lockName'>;

/** `PGlite, PostgreSQL 18.6` (or `PostgreSQL 16.4` for a server). */
export function engineLabel(result: Pick<TraceResult, 'engine' | 'serverVersion'>): string {
  const pg = /PostgreSQL (\d+(?:\.\d+)?)/.exec(result.serverVersion)?.[1];
  const server = pg ? `PostgreSQL ${pg}` : 'PostgreSQL';
  return result.engine === 'pglite' ? `PGlite, ${server}` : server;
}

/** `3.1 ms`, `120 ms`, `2.4 s`. */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

export function lockWords(words: DryRunWords, locks: readonly TableLock[]): string {
  return locks.map((l) => `${words.lockName(l.mode)} on ${words.displayTable(l.table)}`).join(', ');
}

/**
 * One statement as the dry run saw it: `ACCESS EXCLUSIVE on "User"; rewrote "User"; 3.1 ms`,
 * or why there is nothing to see (failed, not run, locks not observable). Inside a batch or a
 * BEGIN block a statement takes only the modes its transaction does not hold yet: a stronger mode
 * an earlier statement took on the same table is named with it. `tables`: the tables the
 * statement is about (the static facts), so that the locks held for other tables are left out.
 */
export function observedSummary(words: DryRunWords, st: TracedStatement, tables?: readonly string[]): string {
  switch (st.status) {
    case 'failed':
      return st.error ? `failed with SQLSTATE ${st.error.sqlstate}: ${st.error.message}` : 'failed';
    case 'not-run':
      return 'not run: an earlier statement failed';
    case 'transaction-control':
      return 'transaction control, carried out as written';
    case 'skipped':
      return st.note ?? 'not sent: it acts outside the temporary database';
    default:
      break;
  }
  const held = strongest(st.heldLocks);
  const parts: string[] = [];
  if (!st.locksObserved) {
    parts.push('locks not observable (it runs outside a transaction block)');
  } else if (st.locks.length) {
    parts.push(
      st.locks
        .map((l) => {
          const already = held.get(l.table);
          const within = already && lockRank(already) > lockRank(l.mode) ? ` (${words.lockName(already)} already held)` : '';
          return `${words.lockName(l.mode)} on ${words.displayTable(l.table)}${within}`;
        })
        .join(', '),
    );
  } else {
    const relevant = st.heldLocks.filter((l) => !tables || tables.includes(l.table));
    parts.push(relevant.length ? `no new table lock (${lockWords(words, relevant.slice(0, 3))}${relevant.length > 3 ? ` and ${relevant.length - 3} more` : ''} already held)` : 'no table lock');
  }
  if (st.rewrites.length) parts.push(`rewrote ${st.rewrites.map((t) => words.displayTable(t)).join(', ')}`);
  parts.push(formatDuration(st.durationMs));
  if (st.status === 'rolled-back') parts.push('rolled back when a later statement failed');
  return parts.join('; ');
}

/** The tables a statement is about, as the static analysis knows them. */
export function tablesOf(facts: StatementFacts): string[] {
  return [...new Set([...facts.locks.map((l) => l.table), ...facts.rewrites, ...facts.newTables])];
}

function strongest(locks: readonly TableLock[]): Map<string, LockMode> {
  const out = new Map<string, LockMode>();
  for (const l of locks) {
    const had = out.get(l.table);
    if (!had || lockRank(l.mode) > lockRank(had)) out.set(l.table, l.mode);
  }
  return out;
}

/**
 * Modes a static claim may hold that an empty shadow database does not show: the row locks that
 * foreign-key triggers take on rows written (production tables have rows, the dry run's do not).
 */
const ROW_LEVEL: ReadonlySet<LockMode> = new Set(['RowShareLock', 'RowExclusiveLock']);

/**
 * Where the static analysis and the dry run disagree on one statement, in words; empty when they
 * agree. Null when they cannot be compared: the statement did not run, failed, or the static
 * analysis could not tell what it touches. A claimed mode the transaction already holds (at
 * least as strong, from an earlier statement of the batch or BEGIN block) counts as seen:
 * PostgreSQL does not take it again, and what blocks other sessions is the lock already held.
 */
export function staticVsObserved(words: DryRunWords, facts: StatementFacts, st: TracedStatement): string[] | null {
  if (facts.uncertain || (st.status !== 'applied' && st.status !== 'rolled-back')) return null;
  const out: string[] = [];
  if (st.locksObserved) {
    const claimed = strongest(facts.locks);
    const seen = strongest(st.locks);
    const held = strongest(st.heldLocks);
    for (const [table, mode] of claimed) {
      const observed = seen.get(table);
      if (observed === mode) continue;
      const stronger = observed !== undefined && lockRank(observed) > lockRank(mode);
      if (!stronger) {
        const alreadyHeld = held.get(table);
        if (alreadyHeld && lockRank(alreadyHeld) >= lockRank(mode)) continue;
        if (ROW_LEVEL.has(mode)) continue;
      }
      out.push(`${words.displayTable(table)}: static ${words.lockName(mode)}, observed ${observed ? words.lockName(observed) : 'no lock'}`);
    }
    for (const [table, observed] of seen) {
      if (!claimed.has(table)) out.push(`${words.displayTable(table)}: static no lock, observed ${words.lockName(observed)}`);
    }
  }
  const expected = new Set(facts.rewrites);
  const rewritten = new Set(st.rewrites);
  for (const t of expected) if (!rewritten.has(t)) out.push(`${words.displayTable(t)}: static rewrite, observed none`);
  for (const t of rewritten) if (!expected.has(t)) out.push(`${words.displayTable(t)}: static no rewrite, observed a rewrite`);
  return out;
}

/**
 * The hover's paragraph (Markdown): `**Observed in a dry run** (PGlite, PostgreSQL 18.6): ACCESS
 * EXCLUSIVE on "User"; rewrote "User"; 3.1 ms.`, then whether the static claim above agrees.
 */
export function observedHover(words: DryRunWords, result: Pick<TraceResult, 'engine' | 'serverVersion'>, facts: StatementFacts, st: TracedStatement): string {
  const out = [`**Observed in a dry run** (${escapeMarkdown(engineLabel(result))}): ${escapeMarkdown(observedSummary(words, st, tablesOf(facts)))}.`];
  const differences = staticVsObserved(words, facts, st);
  if (differences?.length === 0) out.push('The static analysis above agrees.');
  else if (differences) out.push(`**The static analysis and the dry run differ:** ${escapeMarkdown(differences.join('; '))}.`);
  return out.join('\n\n');
}

/** Text as Markdown that shows it literally (table names come from the workspace) and still wraps. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, '\\$&');
}

/** "applied cleanly" / "failed: nothing of it stays applied" / "failed midway: ...". */
export function outcomeWords(outcome: TraceResult['outcome']): string {
  switch (outcome) {
    case 'applied':
      return 'applied cleanly';
    case 'failed':
      return 'failed: nothing of it stays applied';
    case 'partially-applied':
      return 'failed midway: the statements before the failure stay applied';
  }
}

/** The run's notices as the editor shows them (the core's point at fields of the CLI's JSON). */
export function editorNotices(result: Pick<TraceResult, 'notices'>): string[] {
  return result.notices.map((n) => n.replace('(see replay.failures)', '(listed in the Preflight output)'));
}

/** What the run was, in one sentence: the engine, the outcome, and how the history got there. */
export function runSummary(result: TraceResult): string {
  const history = `${result.replay.migrations} earlier migration${result.replay.migrations === 1 ? '' : 's'} ${result.replay.cached ? 'restored from the cache' : 'replayed'} in ${formatDuration(result.replay.durationMs)}`;
  return `Dry run on ${engineLabel(result)}: ${outcomeWords(result.outcome)} (${formatDuration(result.totalMs)}; ${history}).`;
}
