/**
 * Fail closed: a file the review cannot read or decode is an error finding in every output
 * format (exit 1), never a silent pass; text after a NUL byte is never taken as reviewed.
 * Spawns the bundled CLI. As root every file is readable, so the permission cases run the CLI as
 * `nobody` (runuser); as another user, the mode bits apply to the test's own user.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { commandAsOtherUser, skipWithoutOtherUser } from './support/other-user';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const FORMATS = ['pretty', 'json', 'sarif', 'github'] as const;

const INIT = 'CREATE TABLE "User" ("id" SERIAL NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n';
const SECOND = 'CREATE TABLE "Post" ("id" SERIAL NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\n';

/** A project readable by every user: prisma/schema.prisma and two migrations. */
function project(second: string | Buffer = SECOND): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pf-fail-closed-'));
  chmodSync(dir, 0o755);
  const prisma = path.join(dir, 'prisma');
  mkdirSync(path.join(prisma, 'migrations', '20250101000000_init'), { recursive: true });
  mkdirSync(path.join(prisma, 'migrations', '20250102000000_second'));
  writeFileSync(path.join(dir, 'package.json'), '{"name":"p","dependencies":{"prisma":"7.3.0"}}\n');
  writeFileSync(path.join(prisma, 'schema.prisma'), 'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id Int @id @default(autoincrement())\n}\n\nmodel Post {\n  id Int @id @default(autoincrement())\n}\n');
  writeFileSync(path.join(prisma, 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
  writeFileSync(path.join(prisma, 'migrations', '20250101000000_init', 'migration.sql'), INIT);
  writeFileSync(path.join(prisma, 'migrations', '20250102000000_second', 'migration.sql'), second);
  return dir;
}

const SECOND_SQL = path.join('prisma', 'migrations', '20250102000000_second', 'migration.sql');

function check(dir: string, format: string, asOtherUser = false) {
  const argv = [CLI, 'check', '.', '--format', format];
  const [cmd, args] = asOtherUser ? commandAsOtherUser(argv) : [process.execPath, argv];
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The rule ids the output names, whatever its format. */
function rulesIn(format: string, out: string): string[] {
  if (format === 'json') return JSON.parse(out).findings.map((f: { rule: string }) => f.rule);
  if (format === 'sarif') return JSON.parse(out).runs[0].results.map((r: { ruleId: string }) => r.ruleId);
  if (format === 'github') return [...out.matchAll(/^::(?:error|warning|notice) .*?,title=([a-z-]+)::/gm)].map((m) => m[1]);
  return [...out.matchAll(/^(?:error|warning|info)\[([a-z-]+)\]/gm)].map((m) => m[1]);
}

function assertUnreadableInEveryFormat(dir: string, asOtherUser: boolean, expected: RegExp): void {
  for (const format of FORMATS) {
    const r = check(dir, format, asOtherUser);
    assert.equal(r.code, 1, `${format}: exit code (stderr: ${r.err})`);
    assert.ok(rulesIn(format, r.out).includes('unreadable-file'), `${format} output names unreadable-file:\n${r.out}`);
    assert.match(r.out, expected, format);
  }
}

describe('fail closed: unreadable and undecodable files', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) {
      spawnSync('chmod', ['-R', 'u+rwX', d]);
      rmSync(d, { recursive: true, force: true });
    }
  });
  const make = (second?: string | Buffer) => {
    const d = project(second);
    dirs.push(d);
    return d;
  };

  before(function () {
    assert.ok(existsSync(CLI), 'run `node scripts/build.mjs` first (npm test does)');
  });

  it('a readable project passes (the baseline the cases below break)', () => {
    const r = check(make(), 'json');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(rulesIn('json', r.out), []);
  });

  it('a migration.sql without read permission: unreadable-file in every format, exit 1', function () {
    skipWithoutOtherUser(this, CLI);
    const dir = make();
    chmodSync(path.join(dir, SECOND_SQL), 0o000);
    assertUnreadableInEveryFormat(dir, true, /permission denied \(EACCES\)/);
  });

  it('a migration folder that cannot be searched is unreadable-file, not "has no migration.sql"', function () {
    skipWithoutOtherUser(this, CLI);
    const dir = make();
    chmodSync(path.dirname(path.join(dir, SECOND_SQL)), 0o000);
    for (const format of FORMATS) {
      const r = check(dir, format, true);
      assert.equal(r.code, 1, `${format}: ${r.err}`);
      const rules = rulesIn(format, r.out);
      assert.ok(rules.includes('unreadable-file'), `${format}:\n${r.out}`);
      assert.ok(!rules.includes('stray-migration-folder'), `${format} calls it a folder without migration.sql`);
    }
  });

  it('a schema.prisma without read permission is unreadable-file', function () {
    skipWithoutOtherUser(this, CLI);
    const dir = make();
    chmodSync(path.join(dir, 'prisma', 'schema.prisma'), 0o000);
    assertUnreadableInEveryFormat(dir, true, /schema\.prisma cannot be read: permission denied/);
  });

  it('a migration.sql that is a directory (EISDIR) is unreadable-file in every format', () => {
    const dir = make();
    rmSync(path.join(dir, SECOND_SQL));
    mkdirSync(path.join(dir, SECOND_SQL));
    assertUnreadableInEveryFormat(dir, false, /is a directory, not a file/);
  });

  it('schema.prisma that is a directory is a finding in every format, not only a note', () => {
    const dir = make();
    rmSync(path.join(dir, 'prisma', 'schema.prisma'));
    mkdirSync(path.join(dir, 'prisma', 'schema.prisma'));
    assertUnreadableInEveryFormat(dir, false, /schema\.prisma is a directory, not a file/);
  });

  it('invalid UTF-8: an error at the first bad byte, with its byte offset, line and column', () => {
    const bytes = Buffer.concat([Buffer.from('-- café\nCREATE TABLE "Post" ("t" TEXT DEFAULT \''), Buffer.from([0xe9]), Buffer.from('\');\n')]);
    const dir = make(bytes);
    assertUnreadableInEveryFormat(dir, false, /is not valid UTF-8: byte 0xe9 at byte offset 48 \(line 2, column 40\)/);
    const finding = JSON.parse(check(dir, 'json').out).findings.find((f: { rule: string }) => f.rule === 'unreadable-file');
    assert.deepEqual([finding.file, finding.migration, finding.start], [SECOND_SQL.split(path.sep).join('/'), '20250102000000_second', { line: 2, column: 40 }]);
  });

  it('a NUL byte: nul-byte at its position, exit 1, and the statement hidden after it is not reviewed as run', () => {
    const dir = make(`${SECOND}\0DROP TABLE "User";\n`);
    for (const format of FORMATS) {
      const r = check(dir, format);
      assert.equal(r.code, 1, `${format}: ${r.err}`);
      const rules = rulesIn(format, r.out);
      assert.ok(rules.includes('nul-byte'), `${format}:\n${r.out}`);
      assert.ok(!rules.includes('drop-table'), `${format}: the text after the NUL was analysed as if PostgreSQL ran it`);
    }
    const json = JSON.parse(check(dir, 'json').out);
    const nul = json.findings.find((f: { rule: string }) => f.rule === 'nul-byte');
    assert.deepEqual(nul.start, { line: 2, column: 1 });
    assert.match(nul.message, /PostgreSQL never executes the text after it/);
    assert.equal(json.migrations.find((m: { name: string }) => m.name === '20250102000000_second').statements.length, 1);
  });
});
