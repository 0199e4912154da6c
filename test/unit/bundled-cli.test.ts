/**
 * The rest of the suite runs the sources; users run the bundle (dist/cli.js), which loads the
 * parser's WebAssembly from beside itself and drives it through src/core/sql/parser.ts. This runs
 * the built CLI on SQL full of multi-byte characters and compares it with the in-process CLI: same
 * statements, same positions, same findings.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

describe('bundled CLI', function () {
  this.timeout(60_000);

  it('the built CLI reports what the source does, on SQL with 2-, 3- and 4-byte characters', async function () {
    if (!existsSync(CLI)) this.skip();
    const dir = mkdtempSync(path.join(tmpdir(), 'pf-glue-'));
    try {
      const sql = [
        '-- Café ☕ and a clef 𝄞 before the first statement',
        'CREATE TABLE "Crème" ("id" SERIAL NOT NULL, "naïve" TEXT NOT NULL DEFAULT \'𝄞☕é\', CONSTRAINT "Crème_pkey" PRIMARY KEY ("id"));',
        '/* 𝄞𝄞𝄞 */ CREATE INDEX "Crème_naïve_idx" ON "Crème"("naïve");',
        'ALTER TABLE "Crème" DROP COLUMN "naïve"; -- ☕',
        'UPDATE "Crème" SET "id" = 1 WHERE \'é\' = \'☕𝄞\';',
      ].join('\n');
      for (const [name, text] of [['20250101000000_init', sql.split('\n').slice(0, 2).join('\n')], ['20250102000000_more', sql]] as const) {
        mkdirSync(path.join(dir, 'prisma', 'migrations', name), { recursive: true });
        writeFileSync(path.join(dir, 'prisma', 'migrations', name, 'migration.sql'), `${text}\n`);
      }
      writeFileSync(path.join(dir, 'prisma', 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
      const bundled = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json', '--prisma-version', '7.3.0'], { cwd: dir, encoding: 'utf8' });
      let out = '';
      await main(['check', dir, '--format', 'json', '--prisma-version', '7.3.0'], { stdout: (t) => (out += t), stderr: () => {}, cwd: dir, env: {}, isTTY: false });
      const fromSource = JSON.parse(out);
      assert.deepEqual(JSON.parse(bundled.stdout), fromSource);
      // Not vacuous: the later statements were found and placed after the multi-byte text (𝄞 is two UTF-16 units).
      const more = fromSource.migrations.find((m: { name: string }) => m.name === '20250102000000_more');
      assert.deepEqual(more.statements.map((s: { start: { line: number; column: number } }) => [s.start.line, s.start.column]), [[2, 1], [3, 14], [4, 1], [5, 1]]);
      assert.ok(fromSource.findings.some((f: { rule: string; start: { line: number } }) => f.rule === 'drop-column' && f.start.line === 4));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a reader that closes the pipe early (preflight check | head) ends the run quietly, with the exit code', async function () {
    if (!existsSync(CLI)) this.skip();
    const child = spawn(process.execPath, [CLI, 'check', 'examples/shop', '--format', 'json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.destroy(); // gone before the report is written
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(err, '');
    assert.equal(code, 1); // the example has errors
  });
});
