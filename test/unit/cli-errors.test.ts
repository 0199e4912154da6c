/**
 * User errors: one line on stderr, exit 2, no stack trace; the stack only with --debug or
 * PREFLIGHT_DEBUG=1. Spawns the bundled CLI (as `nobody` for permission cases when run as root).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describeError } from '../../src/cli/main';
import { InputError } from '../../src/core/input-error';
import { commandAsOtherUser, skipWithoutOtherUser } from './support/other-user';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const MIGRATION = path.join('prisma', 'migrations', '20250101000000_init');

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pf-cli-errors-'));
  chmodSync(dir, 0o777);
  mkdirSync(path.join(dir, MIGRATION), { recursive: true });
  for (const d of ['prisma', 'prisma/migrations', MIGRATION]) chmodSync(path.join(dir, d), 0o777);
  writeFileSync(path.join(dir, 'package.json'), '{"name":"p","dependencies":{"prisma":"7.3.0"}}\n');
  writeFileSync(path.join(dir, 'prisma', 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
  writeFileSync(path.join(dir, MIGRATION, 'migration.sql'), 'CREATE TABLE "User" ("id" SERIAL NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n');
  return dir;
}

function cli(dir: string, args: string[], options: { asOtherUser?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const argv = [CLI, ...args];
  const [cmd, rest] = options.asOtherUser ? commandAsOtherUser(argv) : [process.execPath, argv];
  const r = spawnSync(cmd, rest, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1', ...options.env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function assertOneLineUserError(r: { code: number | null; out: string; err: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit code; stderr: ${r.err}`);
  assert.equal(r.out, '', 'nothing on stdout');
  assert.equal(r.err.split('\n').filter(Boolean).length, 1, `one line on stderr:\n${r.err}`);
  assert.ok(!r.err.includes('    at '), `no stack trace:\n${r.err}`);
  assert.ok(!r.err.includes('internal error'), r.err);
  assert.match(r.err, pattern);
}

describe('CLI: user errors are one line on stderr, exit 2, no stack', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const make = () => {
    const d = project();
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) {
      spawnSync('chmod', ['-R', 'u+rwX', d]);
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('checklist on a migration folder without migration.sql', () => {
    const dir = make();
    rmSync(path.join(dir, MIGRATION, 'migration.sql'));
    assertOneLineUserError(cli(dir, ['checklist', MIGRATION]), /has no migration\.sql/);
  });

  it('checklist with a migration.sql that cannot be read', function () {
    skipWithoutOtherUser(this, CLI);
    const dir = make();
    chmodSync(path.join(dir, MIGRATION, 'migration.sql'), 0o000);
    assertOneLineUserError(cli(dir, ['checklist', MIGRATION], { asOtherUser: true }), /migration\.sql cannot be read: permission denied \(EACCES\)/);
  });

  it('checklist with a migration.sql that is not UTF-8', () => {
    const dir = make();
    writeFileSync(path.join(dir, MIGRATION, 'migration.sql'), Buffer.from([0x53, 0x45, 0x4c, 0x45, 0x43, 0x54, 0x20, 0xff, 0x3b]));
    assertOneLineUserError(cli(dir, ['checklist', MIGRATION]), /is not valid UTF-8: byte 0xff at byte offset 7/);
  });

  it('checklist and down.sql refuse a migration.sql with a NUL byte, and write nothing', () => {
    const dir = make();
    writeFileSync(path.join(dir, MIGRATION, 'migration.sql'), 'SELECT 1;\n\0DROP TABLE "User";\n');
    assertOneLineUserError(cli(dir, ['checklist', MIGRATION, '--down-sql']), /:2:1: a NUL byte; PostgreSQL never executes the text after it/);
    assert.ok(!existsSync(path.join(dir, MIGRATION, 'preflight-checklist.md')));
    assert.ok(!existsSync(path.join(dir, MIGRATION, 'down.sql')));
  });

  it('checklist where preflight-checklist.md is a directory', () => {
    const dir = make();
    mkdirSync(path.join(dir, MIGRATION, 'preflight-checklist.md'));
    assertOneLineUserError(cli(dir, ['checklist', MIGRATION]), /preflight-checklist\.md is a directory, not a file/);
  });

  it('checklist on a path that is not a migration folder', () => {
    assertOneLineUserError(cli(make(), ['checklist', 'prisma']), /is not a migration folder/);
  });

  it('trace with a migration.sql that cannot be read', function () {
    skipWithoutOtherUser(this, CLI);
    const dir = make();
    chmodSync(path.join(dir, MIGRATION, 'migration.sql'), 0o000);
    assertOneLineUserError(cli(dir, ['trace', '.', '--no-cache'], { asOtherUser: true }), /cannot be read: permission denied \(EACCES\): the dry run does not start/);
  });

  it('trace with a migration.sql that is a directory', () => {
    const dir = make();
    rmSync(path.join(dir, MIGRATION, 'migration.sql'));
    mkdirSync(path.join(dir, MIGRATION, 'migration.sql'));
    assertOneLineUserError(cli(dir, ['trace', '.', '--no-cache']), /is a directory, not a file: the dry run does not start/);
  });

  it('trace refuses a migration.sql with a NUL byte instead of running the text before it', () => {
    const dir = make();
    writeFileSync(path.join(dir, MIGRATION, 'migration.sql'), 'CREATE TABLE "A" ("id" INTEGER);\0DROP TABLE "A";\n');
    assertOneLineUserError(cli(dir, ['trace', '.', '--no-cache']), /:1:33: a NUL byte; PostgreSQL never executes the text after it/);
  });

  it('a usage error is one line too', () => {
    assertOneLineUserError(cli(make(), ['check', '--format', 'xml']), /--format must be one of/);
  });
});

describe('CLI: internal errors', () => {
  it('are one line without --debug, and carry the stack with it', () => {
    const e = new Error('boom');
    const plain = describeError(e, false);
    assert.equal(plain, 'preflight: internal error: boom (run with --debug for details)\n');
    const debug = describeError(e, true);
    assert.match(debug, /^preflight: internal error: boom\nError: boom\n {4}at /);
  });

  it('a thrown object with a message is shown by its message, never as [object Object]', () => {
    assert.equal(describeError({ message: 'Aborted(OOM)' }, false), 'preflight: internal error: Aborted(OOM) (run with --debug for details)\n');
    assert.equal(describeError({ status: 7 }, false), 'preflight: internal error: {"status":7} (run with --debug for details)\n');
  });

  it('an InputError is its message alone; PREFLIGHT_DEBUG=1 adds the stack', () => {
    assert.equal(describeError(new InputError('x is a directory'), false), 'preflight: x is a directory\n');
    assert.match(describeError(new InputError('x'), true), /\n {4}at /);
  });
});
