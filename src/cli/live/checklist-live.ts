/**
 * `preflight checklist <folder> --database-url …`: the checklist's queries run read-only against the
 * database, their results recorded under each item in the file, passing checks ticked (as ticked
 * by Preflight), the row counts and sizes of the locked tables in the migration record.
 */
import * as path from 'node:path';
import { readChecklistFile, updateChecklistFile, type MigrationChecklist } from '../../core/checklist/index';
import { checkRunEdits } from '../../core/live/check-edits';
import { emptyState } from '../../core/checklist/model';
import { checklistJson, runChecks, type CheckPhase } from '../../core/live/checks';
import type { Io } from '../main';
import { withLiveSession, type LiveChoice } from './live-options';

export async function checklistAgainstDatabase(mc: MigrationChecklist, file: string, choice: LiveChoice, phase: CheckPhase, format: 'pretty' | 'json', io: Io): Promise<number> {
  const previous = readChecklistFile(file)?.state ?? emptyState();
  const run = await withLiveSession(choice, io, (session) => runChecks(session, mc.checklist, phase, previous));
  if ('interrupted' in run) return run.interrupted;
  const rowCounts = run.rowCounts ?? [];
  updateChecklistFile(file, run.checklist, checkRunEdits(run, choice.source));
  const checked = run.checklist.items.filter((i) => i.check);
  const isBad = (state: string) => state === 'failed' || state === 'error' || state === 'timeout';
  const bad = checked.filter((i) => isBad(i.check!.state));
  const badCounts = rowCounts.filter((c) => isBad(c.state));
  const failed = bad.length || badCounts.length ? 1 : 0;
  if (format === 'json') {
    // rowCounts: after deployment only, each locked table's count against the one recorded before.
    io.stdout(`${JSON.stringify({ ...checklistJson(run.checklist), ...(phase === 'after-deploy' ? { rowCounts } : {}) }, null, 2)}\n`);
    return failed;
  }
  const target = checked[0]?.check?.target ?? '';
  const count = (state: string) => checked.filter((i) => i.check!.state === state).length;
  const parts = [`${count('passed')} passed`, `${count('failed')} failed`, ...(count('timeout') ? [`${count('timeout')} timed out`] : []), ...(count('error') ? [`${count('error')} with an error`] : [])];
  const phaseWords = phase === 'before-deploy' ? 'pre-deployment' : 'post-deployment';
  io.stdout(checked.length ? `${phaseWords} checks on ${target}: ${parts.join(', ')}\n` : `no ${phaseWords} checks to run for this migration\n`);
  for (const i of bad) io.stdout(`${i.check!.state === 'timeout' ? 'timed out' : i.check!.state}: ${i.title}\n  ${i.check!.explanation ?? i.check!.observed}\n`);
  for (const c of rowCounts) io.stdout(`row count of ${c.table}: ${c.observed}${c.explanation ? `\n  ${c.explanation}` : ''}\n`);
  const ticked = run.ticks.filter((t) => t.checked).length;
  const unticked = run.ticks.filter((t) => !t.checked).length;
  io.stdout(`wrote ${path.relative(io.cwd, file)}: ${ticked} ${ticked === 1 ? 'item' : 'items'} ticked by Preflight${unticked ? `, ${unticked === 1 ? '1 earlier tick of its own' : `${unticked} earlier ticks of its own`} undone` : ''}\n`);
  return failed;
}
