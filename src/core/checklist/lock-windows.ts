/**
 * How long each existing table is locked by a migration, one entry per table: the strongest
 * blocking mode any statement takes on it, from the first statement that takes it until its
 * transaction ends — the end of the file when it runs as one batch, the COMMIT of a BEGIN block,
 * else the statement itself.
 */
import type { MigrationAnalysis } from '../analysis/analyze-migration';
import { transactionsOf } from '../analysis/analyze-migration';
import type { Catalog } from '../catalog/model';
import { lockRank, type LockMode } from '../types';

/** Modes that block application reads or writes (weaker ones only conflict with DDL and VACUUM). */
const BLOCKING: ReadonlySet<LockMode> = new Set(['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock']);

export interface LockWindow {
  table: string;
  mode: LockMode;
  /** 1-based lines of the statements that take a blocking lock on the table. */
  lines: number[];
  /** Lines of statements that rewrite the table. */
  rewriteLines: number[];
  /** 0-based indexes of those statements, in file order. */
  statements: number[];
  /** Where the lock is released: the end of the file, a COMMIT line, or each statement's end. */
  until: { kind: 'file-end' } | { kind: 'commit'; line: number } | { kind: 'statement' };
}

export function lockWindows(analysis: MigrationAnalysis, before: Catalog): LockWindow[] {
  const statements = analysis.parsed.statements;
  const facts = analysis.report.statements;
  const { transactions } = transactionsOf(statements, analysis.report.execution.mode);
  const groupOf = new Map<number, number[]>();
  for (const g of transactions) for (const i of g) groupOf.set(i, g);
  const byTable = new Map<string, LockWindow>();
  facts.forEach((s, i) => {
    for (const l of s.facts.locks) {
      if (!before.tables.has(l.table) || !BLOCKING.has(l.mode)) continue;
      const line = s.range.start.line;
      let w = byTable.get(l.table);
      if (!w) {
        const group = groupOf.get(i) ?? [i];
        const last = group[group.length - 1];
        const until: LockWindow['until'] =
          group.length <= 1 ? { kind: 'statement' } : last === statements.length - 1 ? { kind: 'file-end' } : { kind: 'commit', line: statements[last].range.start.line };
        w = { table: l.table, mode: l.mode, lines: [], rewriteLines: [], statements: [], until };
        byTable.set(l.table, w);
      }
      if (lockRank(l.mode) > lockRank(w.mode)) w.mode = l.mode;
      if (!w.statements.includes(i)) w.statements.push(i);
      if (!w.lines.includes(line)) w.lines.push(line);
      if (s.facts.rewrites.includes(l.table) && !w.rewriteLines.includes(line)) w.rewriteLines.push(line);
    }
  });
  return [...byTable.values()];
}
