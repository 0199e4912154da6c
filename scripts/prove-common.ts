/**
 * Shared driver of the corpus differential scripts (prove-catalog.ts, prove-locks.ts): replays
 * every repository of the corpus (PREFLIGHT_CORPUS, default ../shared/corpus; or the ones named on the command line) in PGlite.
 * Usage: tsx scripts/prove-<what>.ts [repo ...] [--limit N] [--quiet]
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { proveHistory, readMigrationFolders, type ProofReport, type ProveOptions } from '../src/core/trace/differential';

import { CORPUS } from '../test/unit/support/corpus';

export { CORPUS };

export interface RepoProof {
  repo: string;
  report: ProofReport;
}

export async function proveCorpus(what: Pick<ProveOptions, 'catalog' | 'locks'>, onRepo: (p: RepoProof) => void): Promise<{ proofs: RepoProof[]; quiet: boolean }> {
  const args = process.argv.slice(2);
  const quiet = args.includes('--quiet');
  const limitAt = args.indexOf('--limit');
  const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : undefined;
  const named = args.filter((a, i) => !a.startsWith('--') && !(limitAt >= 0 && i === limitAt + 1));
  const corpus = CORPUS;
  const repos = readdirSync(corpus)
    .filter((d) => existsSync(path.join(corpus, d, 'migrations')))
    .filter((d) => named.length === 0 || named.some((n) => d.includes(n)))
    .sort();
  const proofs: RepoProof[] = [];
  for (const repo of repos) {
    const history = readMigrationFolders(path.join(corpus, repo, 'migrations'));
    const report = await proveHistory(history, {
      ...what,
      limit,
      onMigration: quiet ? undefined : (name, i, total) => process.stderr.write(`\r${repo}: ${i + 1}/${total} ${name.slice(0, 60).padEnd(60)}`),
    });
    if (!quiet) process.stderr.write('\n');
    proofs.push({ repo, report });
    onRepo({ repo, report });
  }
  return { proofs, quiet };
}

export function pct(agreed: number, total: number): string {
  return total === 0 ? 'n/a' : `${((100 * agreed) / total).toFixed(2)}%`;
}

export function printFailures(p: RepoProof): void {
  if (p.report.failed.length === 0) return;
  const byReason = new Map<string, number>();
  for (const f of p.report.failed) byReason.set(`${f.sqlstate} ${f.message}`, (byReason.get(`${f.sqlstate} ${f.message}`) ?? 0) + 1);
  console.log(`  statements PostgreSQL rejected (left out on both sides): ${p.report.failed.length}`);
  for (const f of p.report.failed) console.log(`    ${f.migration}:${f.line} ${f.sqlstate} ${f.message}`);
  if (p.report.extensions.unsupported.length) console.log(`  extensions PGlite lacks: ${p.report.extensions.unsupported.join(', ')}`);
}
