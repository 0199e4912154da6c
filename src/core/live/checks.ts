/**
 * Runs a checklist's queries against a live database, read-only, and judges each result by the
 * item's probe. Before deployment: the pre-deployment checks (orphans, NULLs, duplicates, values
 * that do not fit, enum values in use) and the row counts and sizes of the tables the migration
 * locks. After deployment: the verification queries (FK actions, index validity, column types,
 * new tables). Which ticks to set or undo is decided here; the file keeps a person's own ticks.
 */
import type { CheckResult, Checklist, ChecklistItem, ChecklistState, Probe } from '../checklist/model';
import { ReadTimeoutError, type LiveSession } from './connection';

export const CHECK_PHASES = ['before-deploy', 'after-deploy'] as const;
export type CheckPhase = (typeof CHECK_PHASES)[number];

const SECTION_OF: Record<CheckPhase, string> = { 'before-deploy': 'pre', 'after-deploy': 'verify' };

/** A value as PostgreSQL prints it (t/f for booleans), for comparing with a probe and showing. */
function pgText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function fill(failure: { one: string; many: string } | undefined, n: number, fallback: string): string {
  if (!failure) return fallback;
  return (n === 1 ? failure.one : failure.many).replace('{n}', String(n));
}

/** The verdict on rows a probe's query returned. */
export function judge(probe: Probe, rows: Record<string, unknown>[]): { passed: boolean; observed: string; explanation?: string } {
  switch (probe.kind) {
    case 'count': {
      const first = rows[0] ? Object.values(rows[0])[0] : undefined;
      const n = Number(first);
      if (rows.length !== 1 || !Number.isFinite(n)) return { passed: false, observed: `${rows.length} rows`, explanation: 'the query did not return one count' };
      const passed = n === probe.equals;
      return { passed, observed: String(n), ...(passed ? {} : { explanation: fill(probe.failure, n, `the count is ${n}, not ${probe.equals}`) }) };
    }
    case 'counts-zero': {
      const parts = rows.map((r) => {
        const values = Object.values(r);
        return { label: values.length > 1 ? String(values[0]) : '', n: Number(values[values.length - 1]) };
      });
      const total = parts.reduce((s, p) => s + (Number.isFinite(p.n) ? p.n : 0), 0);
      const observed = parts.map((p) => (p.label ? `${p.label}: ${p.n}` : String(p.n))).join(', ') || 'no rows';
      const passed = parts.every((p) => p.n === 0);
      return { passed, observed, ...(passed ? {} : { explanation: fill(probe.failure, total, `${total} rows`) }) };
    }
    case 'no-rows': {
      const passed = rows.length === 0;
      const observed = passed ? 'no rows' : `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}: ${rows.slice(0, 3).map((r) => Object.entries(r).map(([k, v]) => `${k}=${pgText(v)}`).join(' ')).join('; ')}${rows.length > 3 ? '; …' : ''}`;
      return { passed, observed, ...(passed ? {} : { explanation: fill(probe.failure, rows.length, observed) }) };
    }
    case 'row': {
      if (rows.length !== 1) return { passed: false, observed: `${rows.length} rows`, explanation: rows.length ? 'more than one row matched' : 'not found: the query returned no row' };
      const row = rows[0];
      const keys = Object.keys(probe.equals);
      const observed = keys.map((k) => `${k} = ${pgText(row[k]) ?? 'NULL'}`).join(', ');
      const wrong = keys.filter((k) => pgText(row[k]) !== probe.equals[k]);
      return { passed: wrong.length === 0, observed, ...(wrong.length ? { explanation: wrong.map((k) => `${k} is ${pgText(row[k]) ?? 'NULL'}, expected ${probe.equals[k] ?? 'NULL'}`).join('; ') } : {}) };
    }
  }
}

function expectedOf(item: ChecklistItem): string {
  if (item.expected) return item.expected;
  const p = item.probe!;
  return p.kind === 'count' ? String(p.equals) : p.kind === 'no-rows' ? 'no rows' : p.kind === 'counts-zero' ? '0 in every row' : Object.entries(p.equals).map(([k, v]) => `${k} = ${v ?? 'NULL'}`).join(', ');
}

export interface CheckRun {
  /** The checklist with each checked item's `check` set. */
  checklist: Checklist;
  /** Ticks to set (true) or undo (false): only on items a person has not ticked themselves. */
  ticks: { id: string; checked: boolean }[];
  /** Row counts and sizes of the tables the migration locks, one line, for the migration record (before-deploy only). */
  sizes: string | null;
  /** After deployment: each table's row count now against the count recorded before deployment. */
  rowCounts?: RowCountComparison[];
}

/** A locked table's row count after deployment against the one the migration record holds. */
export interface RowCountComparison {
  /** As the record names it, e.g. `"Order"`. */
  table: string;
  before: number | null;
  after: number | null;
  state: 'passed' | 'failed' | 'error' | 'timeout' | 'not-run';
  /** One line: "7 before, 7 after", or why it is not known. */
  observed: string;
  explanation?: string;
}

/** The row counts in a 'sizes' record ("\"Order\": row_count 7, total_size 16 kB; …"), by table as the record names it. */
export function recordedRowCounts(record: string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of (record ?? '').matchAll(/("(?:[^"]|"")*"(?:\."(?:[^"]|"")*")?): row_count (\d+)/g)) counts.set(m[1], Number(m[2]));
  return counts;
}

/** The verdict on one table's count: fewer rows than before is flagged (the migration, or the application meanwhile, deleted some). */
export function compareRowCount(table: string, before: number | undefined, after: number): RowCountComparison {
  if (before === undefined) return { table, before: null, after, state: 'not-run', observed: `${after} after; no count recorded before deployment`, explanation: 'run preflight checklist --database-url before deploying to record it' };
  const observed = `${before} before, ${after} after`;
  if (after >= before) return { table, before, after, state: 'passed', observed };
  const lost = before - after;
  return { table, before, after, state: 'failed', observed, explanation: `${lost} ${lost === 1 ? 'row' : 'rows'} fewer in ${table} than before deployment: check that the migration did not delete ${lost === 1 ? 'it' : 'them'} (rows the application deleted meanwhile count too)` };
}

/**
 * Runs the phase's queries one by one (each in its own read-only transaction, with the
 * session's timeouts) and judges them. A timeout or an error is that item's result, never the end
 * of the run. `previous` is what the file holds now (for who made each tick).
 */
export async function runChecks(session: LiveSession, list: Checklist, phase: CheckPhase, previous: ChecklistState, now: () => Date = () => new Date()): Promise<CheckRun> {
  const items: ChecklistItem[] = [];
  const ticks: CheckRun['ticks'] = [];
  const sizes: string[] = [];
  for (const item of list.items) {
    const runnable = item.section === SECTION_OF[phase] && item.code?.lang === 'sql';
    if (!runnable) {
      items.push(item);
      continue;
    }
    const base = { expected: '', checkedAt: now().toISOString(), target: session.target.label };
    let check: CheckResult;
    try {
      const { rows } = await session.read(item.code!.text.trim().replace(/;\s*$/, ''));
      if (item.probe) {
        const v = judge(item.probe, rows);
        check = { ...base, expected: expectedOf(item), state: v.passed ? 'passed' : 'failed', observed: v.observed, ...(v.explanation ? { explanation: v.explanation } : {}) };
      } else {
        // A query with nothing to judge (a row count, a size): recorded, never ticked.
        const observed = rows.map((r) => Object.entries(r).map(([k, val]) => `${k} ${pgText(val)}`).join(', ')).join('; ') || 'no rows';
        check = { ...base, expected: item.expected ?? 'recorded', state: 'not-run', observed };
        if (item.id.startsWith('pre.size.')) {
          check = { ...check, state: 'passed' };
          sizes.push(`${item.title.replace(/^Record the row count and size of /, '')}: ${observed}`);
        }
      }
    } catch (e) {
      const timeout = e instanceof ReadTimeoutError;
      check = { ...base, expected: item.probe ? expectedOf(item) : (item.expected ?? ''), state: timeout ? 'timeout' : 'error', observed: timeout ? 'timed out' : 'error', explanation: timeout ? e.message : `the query failed: ${(e as Error).message}` };
    }
    const tickedNow = previous.ticks[item.id] === true;
    const preflightTick = previous.checks?.[item.id]?.tickedByPreflight === true && previous.fingerprints[item.id] === item.fingerprint;
    if (check.state === 'passed') {
      if (!tickedNow) ticks.push({ id: item.id, checked: true });
      if (!tickedNow || preflightTick) check.tickedByPreflight = true;
    } else if (preflightTick && tickedNow) ticks.push({ id: item.id, checked: false });
    items.push({ ...item, check });
  }
  const rowCounts = phase === 'after-deploy' ? await rowCountsAfterDeploy(session, list, previous) : [];
  return { checklist: { ...list, items }, ticks, sizes: sizes.length ? sizes.join('; ') : null, rowCounts };
}

/** After deployment, the count query of each table whose size was recorded before, against that count. */
async function rowCountsAfterDeploy(session: LiveSession, list: Checklist, previous: ChecklistState): Promise<RowCountComparison[]> {
  const recorded = recordedRowCounts(previous.record.sizes);
  const out: RowCountComparison[] = [];
  for (const item of list.items) {
    if (!item.id.startsWith('pre.size.') || item.code?.lang !== 'sql') continue;
    const table = item.title.replace(/^Record the row count and size of /, '');
    const before = recorded.get(table);
    try {
      const { rows } = await session.read(item.code.text.trim().replace(/;\s*$/, ''));
      out.push(compareRowCount(table, before, Number(rows[0]?.row_count)));
    } catch (e) {
      const timeout = e instanceof ReadTimeoutError;
      out.push({ table, before: before ?? null, after: null, state: timeout ? 'timeout' : 'error', observed: timeout ? 'timed out' : 'error', explanation: timeout ? e.message : `the count failed: ${(e as Error).message}` });
    }
  }
  return out;
}

/** The checklist model as `preflight checklist --format json` prints it. */
export function checklistJson(list: Checklist): object {
  return {
    version: 1,
    migration: list.migration,
    items: list.items.map((i) => ({
      id: i.id,
      section: i.section,
      title: i.title,
      sql: i.code?.lang === 'sql' ? i.code.text : null,
      check: i.check ? { state: i.check.state, observed: i.check.observed, expected: i.check.expected, checkedAt: i.check.checkedAt, target: i.check.target, ...(i.check.explanation ? { explanation: i.check.explanation } : {}) } : { state: 'not-run', observed: null, expected: i.expected ?? null, checkedAt: null },
    })),
  };
}
