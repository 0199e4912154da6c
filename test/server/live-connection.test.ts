/**
 * The live-read layer (src/core/live/connection.ts) on a real PostgreSQL 15 server: writes fail,
 * slow reads time out instead of hanging, the server's statement log shows nothing but reads
 * from application_name preflight, and the password never appears in a message.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Client } from 'pg';
import { chooseDatabaseUrl, LiveSession, ReadError, ReadTimeoutError } from '../../src/core/live/connection';
import { startCluster, type Cluster } from './cluster';
import { preflightStatements } from './statement-log';

describe('live database reads (read-only layer)', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  let admin: Client;
  let url: string;

  before(async () => {
    cluster = await startCluster();
    admin = await cluster.admin();
    await admin.query(`ALTER SYSTEM SET log_statement = 'all'`);
    await admin.query(`ALTER SYSTEM SET log_line_prefix = '[%a] '`);
    await admin.query('SELECT pg_reload_conf()');
    await admin.query(`CREATE ROLE reader LOGIN PASSWORD 'S3cret-Pw'`);
    await admin.query('CREATE DATABASE shop OWNER reader');
    url = `postgresql://reader:S3cret-Pw@127.0.0.1:${cluster.port}/shop`;
  });

  after(async () => {
    await admin?.end().catch(() => undefined);
    cluster?.stop();
  });

  it('a write through the layer fails, even for the owner of the table', async () => {
    const s = await LiveSession.open(url);
    try {
      await assert.rejects(s.read('CREATE TABLE t (id int)'), (e: unknown) => e instanceof ReadError && e.code === '25006');
      const rows = await s.read<{ ro: string; app: string }>(`SELECT current_setting('transaction_read_only') AS ro, current_setting('application_name') AS app`);
      assert.deepEqual(rows.rows[0], { ro: 'on', app: 'preflight' });
    } finally {
      await s.close();
    }
    const tables = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'shop'`);
    assert.equal(tables.rowCount, 1);
  });

  it('a batch that tries to commit and write is refused as a whole (extended protocol: one statement)', async () => {
    const s = await LiveSession.open(url);
    try {
      await assert.rejects(s.read('SELECT 1; COMMIT; SET default_transaction_read_only = off; CREATE TABLE t (id int)'), ReadError);
      // the session is still usable and still read-only
      const r = await s.read<{ ro: string }>(`SELECT current_setting('default_transaction_read_only') AS ro`);
      assert.equal(r.rows[0].ro, 'on');
    } finally {
      await s.close();
    }
  });

  it('a read longer than the statement timeout is cancelled and reported as "timed out: run it by hand"', async () => {
    const s = await LiveSession.open(url, { timeouts: { statementTimeoutMs: 300 } });
    const started = Date.now();
    try {
      await assert.rejects(s.read('SELECT pg_sleep(30)'), (e: unknown) => e instanceof ReadTimeoutError && /^timed out: run it by hand/.test(e.message));
      assert.ok(Date.now() - started < 5_000, 'the read did not hang');
      const again = await s.read<{ one: number }>('SELECT 1 AS one');
      assert.equal(again.rows[0].one, 1);
    } finally {
      await s.close();
    }
  });

  it('a read waiting behind a lock gives up after lock_timeout', async () => {
    const holder = new (await import('pg')).Client({ host: cluster.socketDir, port: cluster.port, user: 'postgres', database: 'shop' });
    await holder.connect();
    await holder.query('CREATE TABLE IF NOT EXISTS locked (id int)');
    await holder.query('BEGIN; LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
    const s = await LiveSession.open(url, { timeouts: { lockTimeoutMs: 200 } });
    try {
      await assert.rejects(s.read('SELECT count(*) FROM locked'), (e: unknown) => e instanceof ReadTimeoutError && e.reason === 'lock' && /timed out: run it by hand/.test(e.message));
    } finally {
      await s.close();
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  it('an abort (SIGINT) cancels the running read on the server', async () => {
    const controller = new AbortController();
    const s = await LiveSession.open(url, { signal: controller.signal, timeouts: { statementTimeoutMs: 60_000 } });
    const reading = s.read('SELECT pg_sleep(60)');
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    await assert.rejects(reading);
    for (let k = 0; k < 50; k++) {
      const left = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'preflight' AND query LIKE '%pg_sleep(60)%' AND state = 'active'`);
      if (left.rows[0].n === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('the sleeping read is still running on the server');
  });

  it('the password never appears in a connection error', async () => {
    const wrong = `postgresql://reader:Wr0ng-Pw-123@127.0.0.1:${cluster.port}/shop`;
    await assert.rejects(LiveSession.open(wrong), (e: unknown) => {
      const m = (e as Error).message;
      return m.includes('****') && !m.includes('Wr0ng-Pw-123') && /password authentication failed/.test(m);
    });
    const closed = `postgresql://reader:Wr0ng-Pw-123@127.0.0.1:1/shop`;
    await assert.rejects(LiveSession.open(closed, { timeouts: { connectTimeoutMs: 2_000 } }), (e: unknown) => !(e as Error).message.includes('Wr0ng-Pw-123'));
  });

  it('the server log shows nothing but reads from application_name preflight', async () => {
    const log = path.join(cluster.socketDir, 'log');
    const from = readFileSync(log, 'utf8').length;
    const s = await LiveSession.open(url);
    await s.read(`SELECT count(*) FROM pg_class WHERE relname = $1`, ['pg_class']);
    await s.read('CREATE TABLE nope (id int)').catch(() => undefined);
    await s.close();
    await new Promise((r) => setTimeout(r, 300));
    const statements = preflightStatements(readFileSync(log, 'utf8').slice(from));
    assert.ok(statements.length >= 4, statements.join('\n'));
    for (const st of statements) assert.equal(st.app, 'preflight', st.text);
    // The refused CREATE is logged (the server saw it) and failed in a read-only transaction; everything else is a read.
    const writes = statements.filter((st) => !/^(BEGIN READ ONLY|SET LOCAL|SELECT|ROLLBACK|SHOW|WITH)/i.test(st.text));
    assert.deepEqual(writes.map((w) => w.text), ['CREATE TABLE nope (id int)']);
  });

  it('takes the URL from --database-url, else PREFLIGHT_DATABASE_URL, and the project variable only when asked', () => {
    const env = { PREFLIGHT_DATABASE_URL: 'postgresql://a/x', DATABASE_URL: 'postgresql://b/y', PREFLIGHT_SHADOW_DATABASE_URL: 'postgresql://c/z' };
    assert.equal(chooseDatabaseUrl('postgresql://f/w', undefined, env)?.url, 'postgresql://f/w');
    assert.equal(chooseDatabaseUrl(undefined, undefined, env)?.url, 'postgresql://a/x');
    assert.equal(chooseDatabaseUrl(undefined, undefined, { DATABASE_URL: 'postgresql://b/y', PREFLIGHT_SHADOW_DATABASE_URL: 'postgresql://c/z' }), null);
    assert.equal(chooseDatabaseUrl(undefined, 'DATABASE_URL', { DATABASE_URL: 'postgresql://b/y' })?.url, 'postgresql://b/y');
    assert.throws(() => chooseDatabaseUrl(undefined, 'PREFLIGHT_SHADOW_DATABASE_URL', env), /dry run/);
  });
});
