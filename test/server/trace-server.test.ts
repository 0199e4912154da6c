/**
 * `preflight trace` on a real PostgreSQL 15 server the suite starts itself (cluster.ts): the dry run
 * stays inside its temporary database, cleans up after signals and earlier runs, times out, and
 * never leaks or mangles the password. Runs the built CLI (dist/cli.js) as a child process.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Client } from 'pg';
import { startCluster, type Cluster } from './cluster';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

/** A project with these migrations (folder name → SQL), in order. */
function project(migrations: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pf-server-'));
  const m = path.join(dir, 'prisma', 'migrations');
  mkdirSync(m, { recursive: true });
  writeFileSync(path.join(m, 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(path.join(m, name));
    writeFileSync(path.join(m, name, 'migration.sql'), sql);
  }
  return dir;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

function trace(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [CLI, 'trace', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1', ...env }, timeout: 120_000 });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

function started(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [CLI, 'trace', ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1', ...env } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<Run>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out, err })));
  return { child, done };
}

/** Polls until the check holds (the mocha timeout bounds it). */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 100));
}

describe('preflight trace on a PostgreSQL server', function () {
  this.timeout(180_000);
  let cluster: Cluster;
  let admin: Client;
  let url: (password?: string) => string;

  before(async function () {
    this.timeout(120_000);
    cluster = await startCluster();
    admin = await cluster.admin();
    await admin.query(`CREATE ROLE tracer LOGIN CREATEDB CREATEROLE PASSWORD 'tracerpass'`);
    await admin.query('CREATE ROLE app LOGIN');
    await admin.query('CREATE DATABASE victim');
    url = (password = 'tracerpass') => `postgresql://tracer:${encodeURIComponent(password)}@127.0.0.1:${cluster.port}/postgres`;
  });

  after(async () => {
    await admin?.end().catch(() => undefined);
    cluster?.stop();
  });

  const leftovers = async () => (await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'preflight\\_trace\\_%'`)).rows.map((r) => r.datname as string);
  const leftoverRoles = async () => (await admin.query(`SELECT rolname FROM pg_roles WHERE rolname LIKE 'preflight\\_trace\\_%'`)).rows.map((r) => r.rolname as string);

  it('DROP DATABASE victim, alone in its file, is skipped and victim stays', async () => {
    const dir = project({
      '20240101000000_init': 'CREATE TABLE "User"(id int PRIMARY KEY);\n',
      '20240102000000_drop': 'DROP DATABASE victim;\n',
      '20240103000000_next': 'ALTER TABLE "User" ADD COLUMN "name" text;\n',
    });
    const r = trace([dir, '--format', 'json'], { PREFLIGHT_SHADOW_DATABASE_URL: url() });
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.equal(json.engine, 'postgres');
    assert.deepEqual(json.replay.skipped.map((s: { migration: string }) => s.migration), ['20240102000000_drop']);
    assert.match(json.replay.skipped[0].reason, /DROP DATABASE/);
    const victim = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'victim'`);
    assert.equal(victim.rowCount, 1);
    assert.deepEqual(await leftovers(), []);
  });

  it('a traced DROP DATABASE is reported skipped in pretty and JSON output, and victim stays', async () => {
    const dir = project({ '20240101000000_drop': 'DROP DATABASE victim;\n' });
    const json = JSON.parse(trace([dir, '--format', 'json'], { PREFLIGHT_SHADOW_DATABASE_URL: url() }).out);
    assert.equal(json.statements[0].status, 'skipped');
    assert.match(json.statements[0].note, /not sent to the server: DROP DATABASE drops another database/);
    const pretty = trace([dir], { PREFLIGHT_SHADOW_DATABASE_URL: url() });
    assert.match(pretty.out, /SKIPPED: not sent to the server: DROP DATABASE/);
    assert.equal((await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'victim'`)).rowCount, 1);
  });

  it('ALTER ROLE app SET ... leaves the role unchanged', async () => {
    const dir = project({ '20240101000000_role': `ALTER ROLE app SET search_path = 'hijacked';\nCREATE TABLE "T"(id int);\n` });
    const r = trace([dir, '--format', 'json'], { PREFLIGHT_SHADOW_DATABASE_URL: url() });
    assert.equal(JSON.parse(r.out).statements[0].status, 'skipped', r.err);
    const settings = await admin.query(`SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = 'app'`);
    assert.equal(settings.rowCount, 0);
  });

  it('runs the SQL as a throwaway role owning the temporary database, and drops both', async () => {
    const dir = project({ '20240101000000_who': 'CREATE TABLE "T"(id int);\n' });
    const json = JSON.parse(trace([dir, '--format', 'json'], { PREFLIGHT_SHADOW_DATABASE_URL: url() }).out);
    assert.match(json.server.role, /^preflight_trace_/);
    assert.equal(json.server.role, json.server.database);
    assert.deepEqual(await leftovers(), []);
    assert.deepEqual(await leftoverRoles(), []);
  });

  it('says when no throwaway role could be used (the URL\'s role may not CREATE ROLE)', async () => {
    await admin.query(`CREATE ROLE plain LOGIN CREATEDB PASSWORD 'plainpass'`);
    const dir = project({ '20240101000000_t': 'CREATE TABLE "T"(id int);\n' });
    const json = JSON.parse(trace([dir, '--format', 'json'], { PREFLIGHT_SHADOW_DATABASE_URL: `postgresql://plain:plainpass@127.0.0.1:${cluster.port}/postgres` }).out);
    assert.equal(json.server.role, null);
    assert.match(json.server.roleUnavailable, /may not CREATE ROLE/);
    assert.ok(json.notices.some((n: string) => /throwaway role could not be used/.test(n)));
  });

  describe('a long statement interrupted', () => {
    const sleeping = () => project({ '20240101000000_sleep': 'SELECT pg_sleep(120);\n' });
    const sleepingBackends = async () => (await admin.query(`SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(120)%' AND pid <> pg_backend_pid()`)).rowCount ?? 0;

    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      it(`${signal} cancels the backend, drops the temporary database and exits ${code}`, async () => {
        const { child, done } = started([sleeping()], { PREFLIGHT_SHADOW_DATABASE_URL: url() });
        await until(async () => (await sleepingBackends()) > 0);
        child.kill(signal);
        const r = await done;
        assert.equal(r.code, code, r.err);
        assert.match(r.err, new RegExp(`interrupted by ${signal}; the temporary database was dropped`));
        assert.equal(await sleepingBackends(), 0);
        assert.deepEqual(await leftovers(), []);
        assert.deepEqual(await leftoverRoles(), []);
      });
    }

    it('the server going away mid-run: one line on stderr names the temporary database left behind, and --cleanup drops it later', async () => {
      const { done } = started([sleeping()], { PREFLIGHT_SHADOW_DATABASE_URL: url() });
      await until(async () => (await sleepingBackends()) > 0);
      const temporary = await leftovers();
      assert.equal(temporary.length, 1, `temporary databases: ${temporary.join(', ')}`);
      // Every connection the run holds ends at once, as when the server restarts or the network drops.
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (usename = 'tracer' OR usename LIKE 'preflight\\_trace\\_%')`);
      const r = await done;
      assert.equal(r.code, 2, `${r.out}\n${r.err}`);
      const lines = r.err.trim().split('\n');
      const failure = lines.find((l) => /the dry run could not run/.test(l));
      assert.ok(failure, r.err);
      assert.match(failure!, new RegExp(`the connection to the server was lost while running 20240101000000_sleep \\(.+\\); the database ${temporary[0]}( and the role \\S+)? stayed on the server \\(preflight trace --cleanup drops (it|them)\\)$`));
      assert.doesNotMatch(r.err, /tracerpass|`/);
      assert.deepEqual(await leftovers(), temporary, 'it is still there, as the message says');
      const cleanup = trace(['--cleanup'], { PREFLIGHT_SHADOW_DATABASE_URL: url() });
      assert.equal(cleanup.code, 0, cleanup.err);
      assert.deepEqual(await leftovers(), []);
      await admin.query(`DO $$ DECLARE r record; BEGIN FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE 'preflight\\_trace\\_%' LOOP EXECUTE format('DROP ROLE %I', r.rolname); END LOOP; END $$`);
    });

    it('the URL from the environment is not in the process arguments (ps)', async () => {
      const { child, done } = started([sleeping()], { PREFLIGHT_SHADOW_DATABASE_URL: url() });
      await until(async () => (await sleepingBackends()) > 0);
      const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
      child.kill('SIGINT');
      await done;
      assert.ok(cmdline.includes('trace'), cmdline);
      assert.ok(!cmdline.includes('postgresql://') && !cmdline.includes('tracerpass'), cmdline);
    });
  });

  it('a later run drops a stale database of a dead process on this host and says so on stderr', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    const name = 'preflight_trace_stale_dead';
    await admin.query(`CREATE DATABASE ${name} OWNER tracer`);
    await admin.query(`COMMENT ON DATABASE ${name} IS '${JSON.stringify({ tool: 'preflight trace', pid: dead, host: hostname(), started: new Date().toISOString() })}'`);
    const old = 'preflight_trace_stale_old';
    await admin.query(`CREATE DATABASE ${old} OWNER tracer`);
    await admin.query(`COMMENT ON DATABASE ${old} IS '${JSON.stringify({ tool: 'preflight trace', pid: process.pid, host: 'elsewhere', started: '2020-01-01T00:00:00.000Z' })}'`);
    const live = 'preflight_trace_live';
    await admin.query(`CREATE DATABASE ${live} OWNER tracer`);
    await admin.query(`COMMENT ON DATABASE ${live} IS '${JSON.stringify({ tool: 'preflight trace', pid: process.pid, host: hostname(), started: new Date().toISOString() })}'`);
    const r = trace([project({ '20240101000000_t': 'CREATE TABLE "T"(id int);\n' })], { PREFLIGHT_SHADOW_DATABASE_URL: url() });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`dropped ${name}, left behind by an earlier dry run \\(its process ${dead} on this host has ended\\)`));
    assert.match(r.err, new RegExp(`dropped ${old}, left behind by an earlier dry run \\(started 2020-01-01T00:00:00.000Z, more than 24 h ago\\)`));
    assert.deepEqual(await leftovers(), [live]);
    await admin.query(`DROP DATABASE ${live}`);
  });

  it('--cleanup lists and drops leftovers, unmarked ones included; --list-leftovers only lists', async () => {
    await admin.query('CREATE DATABASE preflight_trace_unmarked OWNER tracer');
    const listed = trace(['--list-leftovers'], { PREFLIGHT_SHADOW_DATABASE_URL: url() });
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, /^preflight_trace_unmarked {2}no Preflight marker$/m);
    assert.deepEqual(await leftovers(), ['preflight_trace_unmarked']);
    const r = trace(['--cleanup'], { PREFLIGHT_SHADOW_DATABASE_URL: url() });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^dropped preflight_trace_unmarked {2}no Preflight marker$/m);
    assert.deepEqual(await leftovers(), []);
  });

  it('a listener on 127.0.0.1 that never answers is an error within the connect timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const { done } = started([project({ '1_t': 'SELECT 1;\n' }), '--connect-timeout', '1'], { PREFLIGHT_SHADOW_DATABASE_URL: `postgresql://u:pw@127.0.0.1:${port}/db` });
      const r = await done;
      assert.equal(r.code, 2);
      assert.match(r.err, /cannot connect to the shadow database server \(postgresql:\/\/u:\*\*\*\*@127\.0\.0\.1:\d+\/db\): no answer within 1 s \(--connect-timeout\)/);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  for (const password of ['postgres', 'public', 'Lock', 'e']) {
    it(`with the password "${password}" the JSON report is valid and says postgres, public and Lock`, async () => {
      await admin.query(`ALTER ROLE tracer PASSWORD '${password}'`);
      try {
        const dir = project({ '20240101000000_t': 'CREATE TABLE "Product"(id int PRIMARY KEY);\n', '20240102000000_a': 'ALTER TABLE "Product" ADD COLUMN "e" text;\n' });
        const r = trace([dir, '--format', 'json'], { PREFLIGHT_SHADOW_DATABASE_URL: url(password) });
        assert.equal(r.code, 0, r.err);
        const json = JSON.parse(r.out);
        assert.equal(json.engine, 'postgres');
        assert.deepEqual(json.statements[0].locks, [{ table: 'public.Product', mode: 'AccessExclusiveLock' }]);
      } finally {
        await admin.query(`ALTER ROLE tracer PASSWORD 'tracerpass'`);
      }
    });
  }

  it('PGPASSWORD supplies the password when the URL has none', async () => {
    const r = trace([project({ '1_t': 'SELECT 1;\n' }), '--format', 'json'], { PREFLIGHT_SHADOW_DATABASE_URL: `postgresql://tracer@127.0.0.1:${cluster.port}/postgres`, PGPASSWORD: 'tracerpass' });
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).engine, 'postgres');
  });

  it('sslmode=require prints no node-postgres warning; a server without TLS is a clear error', async () => {
    const r = trace([project({ '1_t': 'SELECT 1;\n' })], { PREFLIGHT_SHADOW_DATABASE_URL: `${url()}?sslmode=require` });
    assert.equal(r.code, 2);
    assert.ok(!/SECURITY WARNING|DeprecationWarning|Warning:/.test(r.err), r.err);
    assert.match(r.err, /the server does not accept TLS connections, and sslmode=require requires TLS/);
  });

  it('sslmode=prefer falls back to a plain connection on a server without TLS, without a warning', async () => {
    const r = trace([project({ '1_t': 'SELECT 1;\n' }), '--format', 'json'], { PREFLIGHT_SHADOW_DATABASE_URL: `${url()}?sslmode=prefer` });
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
  });

  it('--statement-timeout ends a statement that runs too long, and the run cleans up', async () => {
    const r = trace([project({ '1_sleep': 'SELECT pg_sleep(30);\n' }), '--format', 'json', '--statement-timeout', '1'], { PREFLIGHT_SHADOW_DATABASE_URL: url() });
    assert.equal(r.code, 1, r.err);
    assert.equal(JSON.parse(r.out).statements[0].error.sqlstate, '57014');
    assert.deepEqual(await leftovers(), []);
  });
});
