/**
 * What a live check run changes in preflight-checklist.md besides the results themselves: the
 * ticks Preflight sets or undoes, and the row counts and sizes in the migration record. The CLI
 * (`preflight checklist --database-url`) and the editor write the same edits.
 */
import type { ChecklistEdit } from '../checklist/file';
import type { CheckRun } from './checks';

/**
 * @param source where the URL came from: `--database-url` or the editor say "from the database",
 *   an environment variable is named.
 */
export function checkRunEdits(run: CheckRun, source: string, now: Date = new Date()): ChecklistEdit[] {
  const edits: ChecklistEdit[] = run.ticks.map((t) => ({ kind: 'tick', id: t.id, checked: t.checked }));
  if (run.sizes) edits.push({ kind: 'record', key: 'sizes', value: `${run.sizes} (${now.toISOString().slice(0, 10)}, ${source === '--database-url' || source === 'editor' ? 'from the database' : `from ${source}`})` });
  // After deployment: each locked table's count, next to the one recorded before.
  const rowCounts = run.rowCounts ?? [];
  if (rowCounts.length) edits.push({ kind: 'record', key: 'rowCountsAfter', value: `${rowCounts.map((c) => `${c.table}: ${c.observed}`).join('; ')} (${now.toISOString().slice(0, 10)})` });
  return edits;
}

/** Counts of a run's results, for one line ("2 passed, 1 failed"). Real plurals are the caller's words. */
export function checkCounts(run: Pick<CheckRun, 'checklist'>): Record<'passed' | 'failed' | 'timeout' | 'error', number> {
  const counts = { passed: 0, failed: 0, timeout: 0, error: 0 };
  for (const i of run.checklist.items) {
    const s = i.check?.state;
    if (s === 'passed' || s === 'failed' || s === 'timeout' || s === 'error') counts[s]++;
  }
  return counts;
}
