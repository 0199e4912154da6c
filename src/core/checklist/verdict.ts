/**
 * The verdict at the top of the checklist: whether the deploy fails and why, whether it loses
 * data, which tables are locked, how and for how long, whether the file is atomic under the
 * project's Prisma version, and what to do before merging.
 */
import type { MigrationAnalysis } from '../analysis/analyze-migration';
import { transactionsOf } from '../analysis/analyze-migration';
import { transactionKindOf } from '../pg/ast';
import { displayTable } from '../pg/names';
import { lockName, whatLockBlocks } from '../rules/helpers';
import type { LockWindow } from './lock-windows';
import type { VerdictLine } from './model';
import type { RollbackPlan } from './rollback';
import { plural } from '../text/plural';
import { linesWords } from '../text/list-words';

/** Rules whose finding means the deploy fails whatever the data. */
const ALWAYS_FAILS: ReadonlySet<string> = new Set(['parse-error', 'concurrently-in-transaction', 'enum-value-used-same-transaction', 'stray-migration-folder', 'nul-byte', 'unreadable-file', 'migration-failed']);

export interface VerdictInput {
  analysis: MigrationAnalysis;
  windows: LockWindow[];
  /** Data conditions that make a statement fail, each with the line of its statement. */
  failsIf: { text: string; line?: number }[];
  plan: RollbackPlan;
  /** Titles of the Application changes items. */
  applicationSteps: string[];
  /** Lines of CREATE INDEX CONCURRENTLY statements that really run outside a transaction block. */
  concurrentIndexLines: number[];
}


export function windowWords(w: LockWindow): string {
  const held = w.until.kind === 'file-end' ? 'until the whole file has finished' : w.until.kind === 'commit' ? `until the COMMIT on line ${w.until.line}` : w.lines.length > 1 ? 'while each of those statements runs' : 'while the statement runs';
  const rewrite = w.rewriteLines.length ? `; rewritten on ${linesWords(w.rewriteLines)} (time grows with the table size)` : '';
  return `${lockName(w.mode)} on ${displayTable(w.table)} (${whatLockBlocks(w.mode)}) from line ${w.lines[0]} ${held}${w.lines.length > 1 ? `, taken on ${linesWords(w.lines)}` : ''}${rewrite}`;
}

export function buildVerdict(input: VerdictInput): VerdictLine[] {
  const { analysis, windows, failsIf, plan } = input;
  const ex = analysis.report.execution;
  const out: VerdictLine[] = [];

  const certain = analysis.findings.filter((f) => ALWAYS_FAILS.has(f.rule) && f.severity === 'error');
  if (certain.length) {
    out.push({ key: 'deploy', label: 'Deploy', text: 'fails.', points: certain.map((f) => `${f.message.replace(/\.$/, "")} (line ${f.range.start.line})`) });
  } else if (failsIf.length) {
    out.push({ key: 'deploy', label: 'Deploy', text: 'fails if the production data does not pass the pre-checks below:', points: failsIf.map((c) => `${c.text}${c.line ? ` (line ${c.line})` : ''}`) });
  } else {
    out.push({ key: 'deploy', label: 'Deploy', text: 'nothing Preflight knows of makes it fail.', points: [] });
  }
  if (!certain.length && input.concurrentIndexLines.length) {
    out[0].points.push(`The CREATE INDEX CONCURRENTLY on ${linesWords(input.concurrentIndexLines)} can still fail midway (a deadlock, a cancel, a duplicate key for a unique index) and leave an INVALID index behind: see Deployment`);
  }

  const losses = [...plan.irreversible.map((x) => x.title), ...analysis.findings.filter((f) => f.rule === 'narrowing-type-change').map((f) => `${f.message.replace(/\.$/, "")} (line ${f.range.start.line})`)];
  out.push(losses.length ? { key: 'data', label: 'Data', text: 'lost: only the backup brings it back.', points: losses } : { key: 'data', label: 'Data', text: 'no data is dropped or overwritten.', points: [] });

  out.push(
    windows.length
      ? { key: 'locks', label: 'Locks', text: `${plural(windows.length, 'existing table')} locked:`, points: windows.map(windowWords) }
      : { key: 'locks', label: 'Locks', text: 'no lock that blocks reads or writes of an existing table.', points: [] },
  );

  const { transactions } = transactionsOf(analysis.parsed.statements, ex.mode);
  const commits = analysis.parsed.statements.filter((s) => transactionKindOf(s.node) === 'commit' && s.index < analysis.parsed.statements.length - 1);
  let atomic: string;
  if (ex.mode === 'batch' && transactions.length <= 1) atomic = `yes: ${ex.reason}; a failure rolls all of it back.`;
  else if (ex.mode === 'batch') atomic = `no: ${ex.reason}, but the COMMIT on ${linesWords(commits.map((c) => c.range.start.line))} commits what came before it.`;
  else if (analysis.parsed.statements.length <= 1) atomic = `yes: ${ex.reason}.`;
  else atomic = `no: ${ex.reason}; a failure midway leaves the earlier statements applied (then prisma migrate resolve).`;
  out.push({ key: 'atomic', label: 'Atomic', text: atomic, points: [] });

  const warnings = analysis.parsed.prismaWarnings;
  if (warnings.length) out.push({ key: 'prisma-warnings', label: 'Prisma warned', text: 'when it generated this file:', points: warnings.map((w) => w.text) });

  const todo: string[] = [];
  for (const f of certain) todo.push(f.help);
  if (failsIf.length) todo.push(`Run against production the ${failsIf.length === 1 ? 'pre-check that decides' : `${failsIf.length} pre-checks that decide`} whether it fails.`);
  for (const s of input.applicationSteps) todo.push(`${s} (Application changes).`);
  if (windows.length && !certain.length) todo.push(`Plan the deploy outside peak hours for ${windows.map((w) => displayTable(w.table)).join(', ')}.`);
  if (input.concurrentIndexLines.length && !certain.length) todo.push('Know how to drop an INVALID index and retry (Deployment).');
  if (losses.length) todo.push('Take the backup and keep it until the migration is verified.');
  out.push({ key: 'before-merge', label: 'Before merging', text: todo.length ? '' : 'nothing beyond the review.', points: [...new Set(todo)] });
  return out;
}
