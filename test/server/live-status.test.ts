/**
 * `preflight status` (the built CLI) against a real PostgreSQL 15 server seeded as production could
 * be: applied, modified, failed, pending and missing-locally migrations, and drift made by hand.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Cluster } from './cluster';
import { preflight, startLiveServer } from './live-server';
import { driftByHand, liveProject, NAMES, seedLiveDatabase } from './live-seed';
import { preflightStatements } from './statement-log';

describe('preflight status on a PostgreSQL server', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  let url: string;
  let project: string;

  before(async () => {
    const server = await startLiveServer('deployer', 'Dep-Pass-77', 'prod');
    cluster = server.cluster;
    const su = await server.superuser();
    await su.query('SET ROLE deployer');
    await seedLiveDatabase(su);
    await su.query('RESET ROLE');
    await driftByHand(su);
    await su.end();
    url = server.url;
    project = liveProject();
  });

  after(() => cluster?.stop());

  it('gives every migration its state, and the resolve commands for the failed one', () => {
    const r = preflight(['status', project, '--format', 'json'], { PREFLIGHT_DATABASE_URL: url });
    assert.equal(r.code, 1, r.err);
    const report = JSON.parse(r.out);
    assert.equal(report.version, 1);
    assert.equal(report.target, `127.0.0.1:${cluster.port}/prod`);
    const states = Object.fromEntries(report.migrations.map((m: { name: string; state: string }) => [m.name, m.state]));
    assert.deepEqual(states, { [NAMES.init]: 'applied', [NAMES.addName]: 'modified', [NAMES.broken]: 'failed', [NAMES.tighten]: 'pending', [NAMES.gone]: 'missing-locally' });
    const failed = report.migrations.find((m: { state: string }) => m.state === 'failed');
    assert.deepEqual(failed.commands, [`npx prisma migrate resolve --rolled-back ${NAMES.broken}`, `npx prisma migrate resolve --applied ${NAMES.broken}`]);
    const modified = report.migrations.find((m: { state: string }) => m.state === 'modified');
    assert.notEqual(modified.checksum.recorded, modified.checksum.file);
  });

  it('lists the drift made by hand, and nothing else', () => {
    const r = preflight(['status', project, '--format', 'json', '--database-url', url]);
    const drift = JSON.parse(r.out).drift.map((d: { kind: string; object: string; expected: string; actual: string }) => `${d.kind} ${d.object}: ${d.expected} → ${d.actual}`).sort();
    assert.deepEqual(drift, [
      'column-default "Customer"."email": no default → a default',
      'enum-values "Status": OPEN, PAID, VOID → OPEN, PAID, VOID, REFUNDED',
      'foreign-key-actions "Order_customerId_fkey": ON DELETE SET NULL ON UPDATE CASCADE → ON DELETE CASCADE ON UPDATE CASCADE',
      'index-invalid "Customer_email_key": valid → INVALID',
      'index-missing "Order_status_idx": valid → missing',
    ]);
  });

  it('pretty output names states, commands and drift in plain text, without the password', () => {
    const r = preflight(['status', project, '--database-url', url]);
    assert.equal(r.code, 1);
    assert.match(r.out, /failed\s+20240301000000_broken/);
    assert.match(r.out, /npx prisma migrate resolve --rolled-back 20240301000000_broken/);
    assert.match(r.out, /Drift \(5 differences\):/);
    assert.match(r.out, /1 applied, 1 modified, 1 failed, 1 pending, 1 missing-locally; 5 drift differences/);
    assert.ok(!r.out.includes('`'), 'no Markdown backticks in plain text');
    for (const text of [r.out, r.err]) assert.ok(!text.includes('Dep-Pass-77'));
  });

  it('a wrong password or a closed port is one line on stderr, exit 2, without the password', () => {
    const wrong = preflight(['status', project, '--database-url', `postgresql://deployer:Not-It-99@127.0.0.1:${cluster.port}/prod`]);
    assert.equal(wrong.code, 2);
    assert.equal(wrong.err.trim().split('\n').length, 1, wrong.err);
    assert.match(wrong.err, /cannot connect to postgresql:\/\/deployer:\*\*\*\*@127\.0\.0\.1/);
    assert.ok(!wrong.err.includes('Not-It-99'));
  });

  it('reads the project variable only when --database-url-env names it', () => {
    const r = preflight(['status', project], { DATABASE_URL: url });
    assert.equal(r.code, 2);
    assert.match(r.err, /needs a database/);
    const named = preflight(['status', project, '--database-url-env', 'DATABASE_URL'], { DATABASE_URL: url });
    assert.equal(named.code, 1, named.err);
  });

  it('sent nothing but reads, all as application_name preflight', () => {
    const statements = preflightStatements(readFileSync(path.join(cluster.socketDir, 'log'), 'utf8')).filter((s) => s.app === 'preflight');
    assert.ok(statements.length > 10);
    const other = statements.filter((s) => !/^(BEGIN READ ONLY|SET LOCAL|SELECT|ROLLBACK)\b/.test(s.text));
    assert.deepEqual(other, []);
  });
});
