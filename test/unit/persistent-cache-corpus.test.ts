/**
 * The persistent cache on the corpus of public Prisma histories: a run that fills the cache and a
 * run restored from it print byte for byte what `--no-cache` prints, for every repository.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CORPUS, corpusRepos, describeWithCorpus } from './support/corpus';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

describeWithCorpus('persistent cache on the corpus', function () {
  this.timeout(600_000);
  it('filled and restored, every repository prints what --no-cache prints', () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'pf-corpus-cache-'));
    try {
      for (const repo of corpusRepos().map((name) => path.join(CORPUS, name))) {
        const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'check', repo, '--format', 'json', ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { PATH: process.env.PATH, NO_COLOR: '1' } }).stdout;
        const cold = run('--no-cache');
        assert.ok(cold.includes('"migrations"'), repo);
        assert.equal(run('--cache-dir', cacheDir), cold, `${path.basename(repo)}: filling the cache`);
        assert.equal(run('--cache-dir', cacheDir), cold, `${path.basename(repo)}: restored from the cache`);
      }
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
