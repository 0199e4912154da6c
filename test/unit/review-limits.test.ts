/**
 * The review limit (src/core/text/review-limits.ts): sizes, and the CLI
 * path with limits lowered through the environment, so the unit suite stays fast. The real huge
 * inputs (35 MB, 50 MB, 1 MB of ADD COLUMN on one table) run in test/server/huge-inputs.test.ts.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeProject } from '../../src/core/analysis/analyze-project';
import { discoverProject } from '../../src/core/project/discover';
import { parseSize, reviewLimits, tooManyBytes } from '../../src/core/text/review-limits';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

describe('review limits', () => {
  it('read sizes with units and ignore invalid ones', () => {
    assert.equal(parseSize('2MB'), 2 * 1024 * 1024);
    assert.equal(parseSize('512kb'), 512 * 1024);
    assert.equal(parseSize('1048576'), 1048576);
    assert.equal(parseSize('lots'), null);
    assert.equal(reviewLimits({ PREFLIGHT_MAX_FILE_SIZE: '5MB' }).maxBytes, 5 * 1024 * 1024);
    assert.equal(reviewLimits({ PREFLIGHT_MAX_FILE_SIZE: 'lots' }).maxBytes, 1024 * 1024);
    assert.equal(tooManyBytes(1024 * 1024), null, 'exactly 1 MB is reviewed');
    assert.match(tooManyBytes(1024 * 1024 + 1) ?? '', /is 1 MB, more than the 1 MB/);
  });

  it('the CLI applies the limits from the environment: a file over PREFLIGHT_MAX_FILE_SIZE is unreadable-file, exit 1', function () {
    this.timeout(30_000);
    const project = mkdtempSync(path.join(tmpdir(), 'pf-limits-'));
    try {
      cpSync(path.join(ROOT, 'examples', 'shop'), project, { recursive: true });
      const folder = path.join(project, 'prisma', 'migrations', '20260101000000_big');
      mkdirSync(folder);
      writeFileSync(path.join(folder, 'migration.sql'), 'CREATE TABLE "Big" ("id" INTEGER);\n'.repeat(1000));
      const env = { PATH: process.env.PATH, NO_COLOR: '1', PREFLIGHT_MAX_FILE_SIZE: '20KB' };
      const r = spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'json'], { cwd: project, encoding: 'utf8', env });
      assert.equal(r.status, 1, r.stderr);
      const f = (JSON.parse(r.stdout) as { findings: { rule: string; message: string }[] }).findings.find((x) => x.rule === 'unreadable-file');
      assert.match(f?.message ?? '', /is 34\.2 KB, more than the 20 KB Preflight reviews in one file/);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('an unsaved editor buffer (an override) is held to the same limit as the file on disk: unreadable-file, not analysed', async function () {
    this.timeout(30_000);
    const shop = path.join(ROOT, 'examples', 'shop');
    const project = discoverProject(shop);
    const file = project.migrations.find((m) => m.sqlFile)!.sqlFile!;
    // One byte over 1 MB, of statements that would otherwise be findings (drop-table on every line).
    const line = 'DROP TABLE "Product";\n';
    const big = line.repeat(Math.ceil((1024 * 1024 + 1) / line.length));
    const { result } = await analyzeProject(project, { overrides: new Map([[file, big]]) });
    const mine = result.findings.filter((f) => f.file === file);
    assert.deepEqual(mine.map((f) => f.rule), ['unreadable-file']);
    assert.match(mine[0].message, /is 1 MB, more than the 1 MB Preflight reviews in one file/);
    // Within the limit, the buffer is reviewed as written.
    const { result: small } = await analyzeProject(project, { overrides: new Map([[file, line]]) });
    assert.ok(small.findings.some((f) => f.file === file && f.rule === 'drop-table'));
  });
});
