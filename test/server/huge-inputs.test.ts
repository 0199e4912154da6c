/**
 * Huge inputs end with a clear answer, within a memory bound, never a hang: a 35 MB or 50 MB
 * migration is an `unreadable-file` finding ("too large to review") in every format, and
 * `checklist` / `trace` refuse it in one line on stderr; 1 MB of ADD COLUMN statements on one table
 * (the densest SQL under the limit, some 23,000 statements) is reviewed. Each run gets a 512 MB V8
 * heap and 30 s (60 s for the review): before the limit, the first hung for more than 300 s, the
 * second printed "internal error: [object Object]" and FATAL text on stdout; 500 KB of ADD COLUMN
 * on one table ran out of memory at 4.3 GB before the catalog forked a table's columns in O(1).
 * In the server suite (`npm run test:server`) because each case takes seconds; it needs no server.
 * test/unit/review-limits.test.ts holds the fast checks of the same limit.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const HUGE = '20260101000000_huge';

function createTables(bytes: number): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const s = `CREATE TABLE "T${i}" ("id" SERIAL NOT NULL, "name" TEXT, CONSTRAINT "T${i}_pkey" PRIMARY KEY ("id"));\n`;
    parts.push(s);
    n += s.length;
  }
  return parts.join('');
}

function addColumns(bytes: number): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const s = `ALTER TABLE "Product" ADD COLUMN "c${i}" TEXT;\n`;
    parts.push(s);
    n += s.length;
  }
  return parts.join('');
}

describe('huge inputs: a clear error within a memory bound, never a hang', function () {
  this.timeout(120_000);
  let project: string;
  before(() => {
    project = mkdtempSync(path.join(tmpdir(), 'pf-huge-'));
    cpSync(path.join(ROOT, 'examples', 'shop'), project, { recursive: true });
    mkdirSync(path.join(project, 'prisma', 'migrations', HUGE));
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['--max-old-space-size=512', CLI, ...args], { cwd: project, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    assert.equal(r.signal, null, `ended by ${r.signal} (timed out or killed); stderr: ${r.stderr?.slice(0, 500)}`);
    return r;
  };
  const write = (sql: string) => writeFileSync(path.join(project, 'prisma', 'migrations', HUGE, 'migration.sql'), sql);

  for (const [name, sql, reason] of [
    ['a 35 MB migration', () => createTables(35 * 1024 * 1024), /is 35 MB, more than the 1 MB Preflight reviews in one file \(PREFLIGHT_MAX_FILE_SIZE raises the limit\)/],
    ['a 50 MB migration', () => createTables(50 * 1024 * 1024), /is 50 MB, more than the 1 MB/],
  ] as const) {
    it(`${name}: check reports unreadable-file in json and pretty (exit 1, nothing on stderr but notes), checklist and trace refuse it (exit 2, one line)`, () => {
      write(sql());
      const json = run('check', '.', '--format', 'json');
      assert.equal(json.status, 1, json.stderr);
      const report = JSON.parse(json.stdout) as { findings: { rule: string; message: string; file: string }[] };
      const finding = report.findings.find((f) => f.rule === 'unreadable-file');
      assert.ok(finding, json.stdout.slice(0, 2000));
      assert.match(finding.message, reason);
      assert.doesNotMatch(json.stderr, /FATAL|internal error|object Object/);

      const pretty = run('check', '.');
      assert.equal(pretty.status, 1);
      assert.match(pretty.stdout, /error\[unreadable-file\]/);

      for (const command of ['checklist', 'trace']) {
        const r = run(command, path.join('prisma', 'migrations', HUGE));
        assert.equal(r.status, 2, `${command}: ${r.stderr}`);
        assert.equal(r.stdout, '', command);
        assert.match(r.stderr, reason, command);
        assert.equal(r.stderr.trimEnd().split('\n').length, 1, `${command}: ${r.stderr}`);
      }
    });
  }

  it('1 MB of ADD COLUMN on one table is reviewed within the 512 MB heap: every statement in the report, no unreadable-file', () => {
    const sql = addColumns(1024 * 1024 - 200);
    write(sql);
    const r = spawnSync(process.execPath, ['--max-old-space-size=512', CLI, 'check', '.', '--format', 'json'], { cwd: project, encoding: 'utf8', timeout: 60_000, maxBuffer: 512 * 1024 * 1024, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    assert.equal(r.signal, null, `ended by ${r.signal} (timed out or killed); stderr: ${r.stderr?.slice(0, 500)}`);
    assert.doesNotMatch(r.stderr, /FATAL|internal error|heap/);
    const report = JSON.parse(r.stdout) as { findings: { rule: string }[]; migrations: { name: string; statements: unknown[] }[] };
    assert.equal(report.findings.filter((f) => f.rule === 'unreadable-file').length, 0);
    assert.equal(report.migrations.find((m) => m.name === HUGE)?.statements.length, sql.split('\n').length - 1);
  });
});
