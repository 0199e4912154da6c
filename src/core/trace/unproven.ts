/**
 * What a dry run cannot prove. It replays the history into empty tables (or, with sample rows, one
 * synthetic row per table), so a statement whose outcome depends on the rows applies cleanly there
 * and may still fail in production; and a scan, rewrite or index build that takes milliseconds on
 * an empty table holds its lock for as long as it takes on the real one.
 */
import { linesWords } from '../text/list-words';
import type { Finding } from '../types';

/** Rules whose statement succeeds or fails by what the rows hold, with the condition in PostgreSQL's terms. */
const FAILS_ON_ROWS: Readonly<Record<string, string>> = {
  'add-required-column': 'fails if the table has any row (23502)',
  'check-constraint-validation': 'fails if any row breaks the check (23514)',
  'drop-enum-value': 'fails if any row still holds a removed value (22P02)',
  'foreign-key-validation': 'fails if any row points at no parent row (23503)',
  'narrowing-type-change': 'fails if a value does not fit the new type (22001, 22003 or 22P02), or rounds it',
  'set-not-null': 'fails if any row holds NULL (23502)',
  'unique-constraint': 'fails if rows hold duplicates (23505)',
};

/** Rules whose statement scans, rewrites or indexes a table under a lock: its time here says nothing of production's. */
const SLOW_ON_ROWS: ReadonlySet<string> = new Set([
  'check-constraint-validation',
  'foreign-key-validation',
  'non-concurrent-index',
  'rewrite-column-type',
  'set-not-null',
  'unbounded-data-change',
  'unique-constraint',
  'volatile-default',
]);

export interface UnprovenOutcome {
  /** 1-based line of the statement. */
  line: number;
  rule: string;
  /** "fails if the table has any row (23502)". */
  condition: string;
}

export interface Unproven {
  /** Statements that can still fail on real rows, by line. */
  failsOnRows: UnprovenOutcome[];
  /** Lines of statements whose lock lasts as long as the work on the real table takes. */
  slowOnRows: number[];
}

/** What a dry run of `migration` cannot prove, from the static findings of that migration. */
export function unprovenByDryRun(findings: readonly Finding[], migration: string): Unproven {
  const own = findings.filter((f) => f.migration === migration && !f.uncertain);
  const seen = new Set<string>();
  const failsOnRows: UnprovenOutcome[] = [];
  const slow = new Set<number>();
  for (const f of own) {
    const line = f.range.start.line;
    const condition = FAILS_ON_ROWS[f.rule];
    if (condition && !seen.has(`${line}:${f.rule}`)) {
      seen.add(`${line}:${f.rule}`);
      failsOnRows.push({ line, rule: f.rule, condition });
    }
    if (SLOW_ON_ROWS.has(f.rule)) slow.add(line);
  }
  failsOnRows.sort((a, b) => a.line - b.line || (a.rule < b.rule ? -1 : 1));
  return { failsOnRows, slowOnRows: [...slow].sort((a, b) => a - b) };
}


/**
 * The sentences a person reads after a dry run that applied: what it could not prove, or nothing
 * when no finding depends on the rows. `sampleRows`: the run inserted one synthetic row per table.
 */
export function unprovenSentences(u: Unproven, sampleRows: boolean): string[] {
  const tables = sampleRows ? 'tables that held one synthetic row each' : 'empty tables';
  const out: string[] = [];
  for (const f of u.failsOnRows) out.push(`line ${f.line} (${f.rule}) ${f.condition}; the dry run ran on ${tables}, so it could not tell.`);
  if (u.slowOnRows.length) out.push(`the scans, rewrites and index builds on ${linesWords(u.slowOnRows)} took milliseconds on ${tables}; on the real tables they hold their locks for as long as the work takes.`);
  return out;
}
