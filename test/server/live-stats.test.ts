/**
 * `preflight stats` and a size-aware `check` (the built CLI) against a real PostgreSQL 15 server:
 * the stats file holds catalog numbers only (no rows, no URL, no host, no user), PREFLIGHT_DATABASE_URL
 * is used without a flag, and check --database-url / --stats-file put each locked table's size
 * into its findings, with an estimate for the index build and a severity raised by lockTimeSeverity.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Cluster } from './cluster';
import { preflight, startLiveServer, startPreflight, type LiveServer } from './live-server';
import { liveProject, NAMES, seedLiveDatabase } from './live-seed';
import { preflightStatements } from './statement-log';

/** A project whose one migration builds an index on "Big" without CONCURRENTLY. */
function bigProject(config: object): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pf-big-'));
  const m = path.join(dir, 'prisma', 'migrations');
  mkdirSync(path.join(m, '20240101000000_init'), { recursive: true });
  mkdirSync(path.join(m, '20240201000000_index'), { recursive: true });
  writeFileSync(path.join(m, 'migration_lock.toml'), 'provider = "postgresql"\n');
  writeFileSync(path.join(m, '20240101000000_init', 'migration.sql'), 'CREATE TABLE "Big" ("id" SERIAL NOT NULL, "v" INTEGER, CONSTRAINT "Big_pkey" PRIMARY KEY ("id"));\n');
  writeFileSync(path.join(m, '20240201000000_index', 'migration.sql'), 'SET lock_timeout = \'5s\';\n-- CreateIndex\nCREATE INDEX "Big_v_idx" ON "Big"("v");\n');
  writeFileSync(path.join(dir, 'preflight.config.json'), JSON.stringify(config));
  return dir;
}

describe('preflight stats and a size-aware check against a PostgreSQL server', function () {
  this.timeout(180_000);
  let cluster: Cluster;
  let url: string;
  let server: LiveServer;

  before(async () => {
    server = await startLiveServer('deployer', 'Stats-Pass-77', 'prod');
    cluster = server.cluster;
    const db = await server.superuser();
    await db.query('SET ROLE deployer');
    await seedLiveDatabase(db);
    await db.query('CREATE TABLE "Big" ("id" SERIAL NOT NULL, "v" INTEGER, CONSTRAINT "Big_pkey" PRIMARY KEY ("id"))');
    await db.query('INSERT INTO "Big" ("v") SELECT (random() * 1e6)::int FROM generate_series(1, 1000000)');
    await db.query('RESET ROLE');
    await db.query('ANALYZE');
    await db.end();
    url = server.url;
  });

  after(() => cluster?.stop());

  it('stats prints row estimates and sizes per table, and nothing that names the server', () => {
    const r = preflight(['stats'], { PREFLIGHT_DATABASE_URL: url });
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.equal(doc.version, 1);
    assert.deepEqual(Object.keys(doc).sort(), ['collectedAt', 'tables', 'version']);
    const big = doc.tables.find((t: { name: string }) => t.name === 'Big');
    assert.deepEqual(Object.keys(big).sort(), ['indexBytes', 'liveTuples', 'name', 'reltuples', 'schema', 'tableBytes', 'totalBytes']);
    assert.equal(big.schema, 'public');
    assert.equal(big.reltuples, 1_000_000);
    assert.ok(big.tableBytes > 30_000_000 && big.indexBytes > 10_000_000 && big.totalBytes === big.tableBytes + big.indexBytes, JSON.stringify(big));
    const order = doc.tables.find((t: { name: string }) => t.name === 'Order');
    assert.equal(order.reltuples, 7);
    assert.ok(doc.tables.some((t: { name: string }) => t.name === '_prisma_migrations'));
    for (const secret of ['Stats-Pass-77', 'deployer', '127.0.0.1', String(cluster.port), 'prod']) assert.ok(!r.out.includes(secret), `stats output holds ${secret}`);
    // No row data: the seed's e-mail addresses and notes never appear.
    assert.ok(!/@|example/.test(r.out));
  });

  it('SIGINT while check --database-url waits for the sizes: the read is cancelled on the server, exit 130', async () => {
    const holder = await server.superuser();
    const watcher = await server.superuser(); // pg_stat_activity is read once per transaction: the holder's view would never change
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE "Big" IN ACCESS EXCLUSIVE MODE'); // a migration holding the table: the size read queues behind it
      const { child, done } = startPreflight(['check', bigProject({}), '--database-url', url, '--lock-timeout', '60', '--statement-timeout', '60']);
      const waiting = async () => (await watcher.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'preflight' AND wait_event_type = 'Lock'`)).rows[0].n as number;
      for (let k = 0; k < 300 && (await waiting()) === 0; k++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await waiting(), 1, 'the size read never queued behind the lock');
      child.kill('SIGINT');
      const r = await done;
      assert.equal(r.code, 130, r.err);
      assert.equal(r.err.trim(), 'preflight: interrupted by SIGINT; the running read was cancelled');
      assert.equal(r.out, '');
      for (let k = 0; k < 50 && (await waiting()) > 0; k++) await new Promise((r2) => setTimeout(r2, 100));
      assert.equal(await waiting(), 0, 'the read still waits on the server');
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      await watcher.end();
    }
  });

  it('stats without a URL is a one-line usage error', () => {
    const r = preflight(['stats']);
    assert.equal(r.code, 2);
    assert.equal(r.err.trim().split('\n').length, 1);
    assert.match(r.err, /stats needs a database/);
  });

  it('check --database-url puts the locked table size into each locking finding', () => {
    const project = liveProject();
    const r = preflight(['check', path.join(project, 'prisma', 'migrations', NAMES.tighten), '--database-url', url, '--format', 'json', '--fail-on', 'never']);
    assert.equal(r.code, 0, r.err);
    const messages: string[] = JSON.parse(r.out).findings.map((f: { message: string }) => f.message);
    const sized = messages.filter((m) => m.includes('"Order" (≈7 rows, '));
    assert.ok(sized.length >= 2, messages.join('\n'));
    assert.ok(messages.some((m) => /SET NOT NULL on "customerId" scans every row of "Order" \(≈7 rows, \d+ kB\).* The scan takes under a second on this size, an estimate\./.test(m)), messages.join('\n'));
    assert.ok(!r.out.includes('Stats-Pass-77'));
    const plain = preflight(['check', path.join(project, 'prisma', 'migrations', NAMES.tighten), '--format', 'json', '--fail-on', 'never']);
    assert.ok(!plain.out.includes('≈'), 'without sizes the findings are unchanged');
  });

  it('a 1 M-row index build gets a duration estimate, and lockTimeSeverity raises it; --stats-file gives the same', () => {
    const stats = preflight(['stats', '--database-url', url]);
    const project = bigProject({ lockTimeSeverity: { warning: 0.1, error: 0.2 } });
    const statsFile = path.join(project, 'preflight-stats.json');
    writeFileSync(statsFile, stats.out);
    const live = preflight(['check', project, '--database-url', url, '--format', 'json', '--select', 'non-concurrent-index']);
    const fromFile = preflight(['check', project, '--stats-file', statsFile, '--format', 'json', '--select', 'non-concurrent-index']);
    assert.equal(fromFile.code, 1, fromFile.err);
    const finding = JSON.parse(fromFile.out).findings[0];
    assert.match(finding.message, /SHARE lock on "Big" \(≈1 M rows, \d+(\.\d)? MB\)/);
    assert.match(finding.message, /The index build takes about \d+ s on this size, an estimate\. Raised to error: the estimated lock time reaches 0\.2 s \(lockTimeSeverity\)\./);
    assert.equal(finding.severity, 'error');
    assert.deepEqual(JSON.parse(live.out).findings, JSON.parse(fromFile.out).findings);
    writeFileSync(path.join(project, 'preflight.config.json'), JSON.stringify({ lockTimeSeverity: 'off' }));
    const off = JSON.parse(preflight(['check', project, '--stats-file', statsFile, '--format', 'json', '--select', 'non-concurrent-index', '--fail-on', 'never']).out).findings[0];
    assert.notEqual(off.severity, 'error');
    assert.doesNotMatch(off.message, /Raised/);
  });

  it('a stats file that is not one, and both sources at once, are one-line errors (exit 2)', () => {
    const project = bigProject({});
    const bad = path.join(project, 'bad.json');
    writeFileSync(bad, '{"version": 1}');
    const r = preflight(['check', project, '--stats-file', bad]);
    assert.equal(r.code, 2);
    assert.match(r.err, /^preflight: .*bad\.json is not a stats file/);
    assert.equal(r.err.trim().split('\n').length, 1);
    const both = preflight(['check', project, '--stats-file', bad, '--database-url', url]);
    assert.equal(both.code, 2);
    assert.match(both.err, /--stats-file or --database-url, not both/);
  });

  it('sent nothing but reads, all as application_name preflight', () => {
    const statements = preflightStatements(readFileSync(path.join(cluster.socketDir, 'log'), 'utf8')).filter((s) => s.app === 'preflight');
    assert.ok(statements.length >= 4);
    assert.deepEqual(statements.filter((s) => !/^(BEGIN READ ONLY|SET LOCAL|SELECT|ROLLBACK)\b/.test(s.text)), []);
  });
});
