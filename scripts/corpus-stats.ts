// Findings per rule over the corpus (PREFLIGHT_CORPUS, default ../shared/corpus), per Prisma version: `npx tsx scripts/corpus-stats.ts [7.3.0] [7.8.0]`.
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeProject } from '../src/core/analysis/analyze-project';
import { discoverProject } from '../src/core/project/discover';
import { CORPUS } from '../test/unit/support/corpus';

async function main(): Promise<void> {
  const versions = process.argv.slice(2).length ? process.argv.slice(2) : ['7.3.0', '7.8.0'];
  const repos = readdirSync(CORPUS).filter((d) => existsSync(path.join(CORPUS, d, 'migrations'))).sort();
  for (const v of versions) {
    const counts = new Map<string, Map<string, number>>();
    for (const repo of repos) {
      const a = await analyzeProject(discoverProject(path.join(CORPUS, repo), { prismaVersion: v }));
      for (const f of a.result.findings) {
        const m = counts.get(f.rule) ?? new Map<string, number>();
        m.set(repo, (m.get(repo) ?? 0) + 1);
        counts.set(f.rule, m);
      }
    }
    console.log(`\nPrisma ${v}: findings per rule (total, then per repo)`);
    for (const [rule, m] of [...counts].sort()) {
      const total = [...m.values()].reduce((a, b) => a + b, 0);
      console.log(`${rule.padEnd(34)} ${String(total).padStart(6)}  ${[...m].map(([r, n]) => `${r.split('__')[1]}:${n}`).join(' ')}`);
    }
  }
}

main();
