/**
 * Replay time per corpus repository: `traceMigration` on the newest migration, cold (history
 * replayed from scratch in a new PGlite) and warm (history restored from the replay cache).
 * Usage: npx tsx scripts/prove-replay-times.ts [repo ...] [--prisma-version 7.3.0]
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { readMigrationFolders } from '../src/core/trace/differential';
import { ReplayCache } from '../src/core/trace/replay-cache';
import { traceMigration } from '../src/core/trace/trace-migration';
import { CORPUS } from './prove-common';

void (async () => {
  const args = process.argv.slice(2);
  const v = args.indexOf('--prisma-version');
  const prismaVersion = v >= 0 ? args[v + 1] : null;
  const named = args.filter((a, i) => !a.startsWith('--') && !(v >= 0 && i === v + 1));
  const corpus = CORPUS;
  const repos = readdirSync(corpus).filter((d) => existsSync(path.join(corpus, d, 'migrations'))).filter((d) => named.length === 0 || named.some((n) => d.includes(n))).sort();
  console.log(`prisma version: ${prismaVersion ?? 'unknown (batch)'}`);
  console.log('repository | migrations | cold: total s (replay s) | warm: total s (restore s) | replay failures | outcome of the newest');
  for (const repo of repos) {
    const history = readMigrationFolders(path.join(corpus, repo, 'migrations'));
    const cache = new ReplayCache(null);
    const cold = await traceMigration(history, { prismaVersion, cache });
    const warm = await traceMigration(history, { prismaVersion, cache });
    console.log(
      `${repo} | ${history.length} | ${(cold.totalMs / 1000).toFixed(1)} (${(cold.replay.durationMs / 1000).toFixed(1)}) | ${(warm.totalMs / 1000).toFixed(1)} (${(warm.replay.durationMs / 1000).toFixed(1)}) | ${cold.replay.failures.length} | ${cold.outcome}`,
    );
  }
})();
