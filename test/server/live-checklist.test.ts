/**
 * `preflight checklist <folder> --database-url` (the built CLI) against a real PostgreSQL 15 server
 * holding data that makes the pending migration fail: results recorded under each item, failures
 * explained, passing checks ticked by Preflight and only those ticks undone by a later failing
 * run, sizes in the migration record, a timeout reported, the after-deploy verification, JSON.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import type { Cluster } from './cluster';
import { preflight, startLiveServer } from './live-server';
import { liveProject, NAMES, seedLiveDatabase, TIGHTEN } from './live-seed';
import { preflightStatements } from './statement-log';

describe('preflight checklist against a PostgreSQL server', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  let db: Client;
  let url: string;
  let folder: string;
  let file: string;
  const checkLine = (text: string, id: string) => {
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes(`<!-- id:${id} `));
    assert.ok(at >= 0, `no item ${id}`);
    return { item: lines[at], check: lines[at + 1], why: lines[at + 2] };
  };

  before(async () => {
    const server = await startLiveServer('deployer', 'Chk-Pass-55', 'prod');
    cluster = server.cluster;
    db = await server.superuser();
    await db.query('SET ROLE deployer');
    await seedLiveDatabase(db);
    await db.query('RESET ROLE');
    url = server.url;
    folder = path.join(liveProject(), 'prisma', 'migrations', NAMES.tighten);
    file = path.join(folder, 'preflight-checklist.md');
  });

  after(async () => {
    await db?.end().catch(() => undefined);
    cluster?.stop();
  });

  it('records each pre-check under its item and explains the failures in the data', () => {
    const r = preflight(['checklist', folder, '--database-url', url]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /pre-deployment checks on 127\.0\.0\.1:\d+\/prod: \d+ passed, 5 failed/);
    assert.match(r.out, /5 rows of "Order" have NULL in "customerId": SET NOT NULL will fail; fix the data first/);
    const text = readFileSync(file, 'utf8');
    const nulls = checkLine(text, 'pre.nulls.public.Order.customerId');
    assert.match(nulls.item, /^- \[ \]/);
    assert.match(nulls.check, /> Preflight check: failed · observed: 5 · expected: 0 \(otherwise the statement fails\) · at \d{4}-\d\d-\d\dT[\d:.]+Z on 127\.0\.0\.1:\d+\/prod$/);
    assert.equal(nulls.why.trim(), '> Why: 5 rows of "Order" have NULL in "customerId": SET NOT NULL will fail; fix the data first');
    assert.match(checkLine(text, 'pre.orphans.Order_productId_fkey').why, /2 rows of "Order" point at no "Product" row: adding "Order_productId_fkey" will fail/);
    assert.match(checkLine(text, 'pre.narrowing.public.Order.note').why, /3 values of "Order"."note" do not fit character varying\(20\)/);
    assert.match(checkLine(text, 'pre.duplicates.Order_code_key').why, /1 value of \("code"\) occurs more than once in "Order"/);
    assert.match(checkLine(text, 'pre.enum-values.Status').why, /4 rows still hold 'VOID' of enum "Status"/);
    assert.match(text, /- \*\*Table sizes before deployment:\*\* "Order": row_count 7, total_size \d+ kB/);
    assert.ok(!text.includes('Chk-Pass-55') && !r.out.includes('Chk-Pass-55') && !r.err.includes('Chk-Pass-55'));
  });

  it('ticks checks that pass once the data is fixed, and a later failing run undoes only its own ticks', async () => {
    await db.query(`UPDATE "Order" SET "customerId" = 3 WHERE "customerId" IS NULL`);
    await db.query(`UPDATE "Order" SET "productId" = 1 WHERE "productId" = 99`);
    await db.query(`UPDATE "Order" SET note = left(note, 20), status = 'PAID', code = 'A' || id WHERE true`);
    const r = preflight(['checklist', folder], { PREFLIGHT_DATABASE_URL: url });
    assert.equal(r.code, 0, r.out + r.err);
    let text = readFileSync(file, 'utf8');
    const nulls = checkLine(text, 'pre.nulls.public.Order.customerId');
    assert.match(nulls.item, /^- \[x\]/);
    assert.match(nulls.check, /> Preflight check: passed, ticked by Preflight · observed: 0/);
    // A person ticks the orphan check themselves (as if they had checked it by hand).
    const orphans = checkLine(text, 'pre.orphans.Order_productId_fkey');
    text = text.replace(orphans.check + '\n', '');
    writeFileSync(file, text);
    await db.query(`UPDATE "Order" SET "customerId" = NULL WHERE id = 1`);
    await db.query(`UPDATE "Order" SET "productId" = 99 WHERE id = 2`);
    const again = preflight(['checklist', folder, '--database-url', url]);
    assert.equal(again.code, 1);
    assert.match(again.out, /1 earlier tick of its own undone/);
    text = readFileSync(file, 'utf8');
    assert.match(checkLine(text, 'pre.nulls.public.Order.customerId').item, /^- \[ \]/, 'Preflight undid its own tick');
    assert.match(checkLine(text, 'pre.nulls.public.Order.customerId').why, /1 row of "Order" has NULL in "customerId"/);
    assert.match(checkLine(text, 'pre.orphans.Order_productId_fkey').item, /^- \[x\]/, "a person's tick stays");
    assert.match(checkLine(text, 'pre.orphans.Order_productId_fkey').check, /Preflight check: failed · observed: 1/);
    const verify = preflight(['checklist', folder, '--verify']);
    assert.equal(verify.code, 1);
    assert.match(verify.out, /check failed against the database: Check for orphan rows/);
    await db.query(`UPDATE "Order" SET "customerId" = 3, "productId" = 1 WHERE id IN (1, 2)`);
  });

  it('a check stuck behind a lock is reported as timed out, not a hang', async () => {
    const holder = new Client({ host: cluster.socketDir, port: cluster.port, user: 'postgres', database: 'prod' });
    await holder.connect();
    await holder.query('BEGIN; LOCK TABLE "Order" IN ACCESS EXCLUSIVE MODE');
    try {
      const started = Date.now();
      const r = preflight(['checklist', folder, '--database-url', url, '--lock-timeout', '0.2', '--format', 'json']);
      assert.ok(Date.now() - started < 30_000);
      assert.equal(r.code, 1, r.err);
      const model = JSON.parse(r.out);
      const nulls = model.items.find((i: { id: string }) => i.id === 'pre.nulls.public.Order.customerId');
      assert.equal(nulls.check.state, 'timeout');
      assert.match(nulls.check.explanation, /^timed out: run it by hand/);
      assert.equal(nulls.section, 'pre');
      assert.match(nulls.sql, /SELECT count\(\*\) AS nulls FROM "Order"/);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  it('after deploying, --phase after-deploy runs the verification queries and ticks them', async () => {
    await db.query(TIGHTEN);
    const r = preflight(['checklist', folder, '--database-url', url, '--phase', 'after-deploy', '--format', 'json']);
    assert.equal(r.code, 0, r.out + r.err);
    const model = JSON.parse(r.out);
    assert.equal(model.version, 1);
    assert.equal(model.migration, NAMES.tighten);
    const verify = model.items.filter((i: { section: string; check: { state: string } }) => i.section === 'verify' && i.check.state !== 'not-run');
    assert.ok(verify.length >= 3);
    for (const i of verify) assert.equal(i.check.state, 'passed', JSON.stringify(i));
    const fk = verify.find((i: { id: string }) => i.id === 'verify.fk.Order_productId_fkey');
    assert.equal(fk.check.observed, 'confdeltype = r, confupdtype = c, convalidated = t');
    const text = readFileSync(file, 'utf8');
    assert.match(checkLine(text, 'verify.fk.Order_productId_fkey').item, /^- \[x\]/);
    // The row counts against those recorded before deployment.
    // ("Order"'s count timed out in the last run before deployment: it has none recorded to compare with.)
    assert.deepEqual(model.rowCounts.find((c: { table: string }) => c.table === '"Product"'), { table: '"Product"', before: 1, after: 1, state: 'passed', observed: '1 before, 1 after' });
    assert.equal(model.rowCounts.find((c: { table: string }) => c.table === '"Order"').state, 'not-run');
    assert.match(text, /- \*\*Row counts after deployment:\*\* .*"Product": 1 before, 1 after/);
    await db.query(`ALTER TABLE "Order" DROP CONSTRAINT "Order_productId_fkey", ADD CONSTRAINT "Order_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE CASCADE`);
    const drifted = preflight(['checklist', folder, '--database-url', url, '--phase', 'after-deploy']);
    assert.equal(drifted.code, 1);
    assert.match(drifted.out, /confdeltype is c, expected r/);
  });

  it('after deploying, fewer rows than recorded before deployment fail the run and say how many', async () => {
    const recorded = preflight(['checklist', folder, '--database-url', url]);
    assert.match(readFileSync(file, 'utf8'), /Table sizes before deployment:\*\* .*"Order": row_count \d+/, recorded.out);
    await db.query(`DELETE FROM "Order" WHERE "id" = (SELECT max("id") FROM "Order")`);
    const r = preflight(['checklist', folder, '--database-url', url, '--phase', 'after-deploy', '--format', 'json']);
    assert.equal(r.code, 1);
    const order = JSON.parse(r.out).rowCounts.find((c: { table: string }) => c.table === '"Order"');
    assert.equal(order.state, 'failed');
    assert.equal(order.after, order.before - 1);
    assert.equal(order.explanation, '1 row fewer in "Order" than before deployment: check that the migration did not delete it (rows the application deleted meanwhile count too)');
    const pretty = preflight(['checklist', folder, '--database-url', url, '--phase', 'after-deploy']);
    assert.match(pretty.out, new RegExp(`row count of "Order": ${order.before} before, ${order.after} after\n  1 row fewer`));
  });

  it('sent nothing but reads, all as application_name preflight', () => {
    const statements = preflightStatements(readFileSync(path.join(cluster.socketDir, 'log'), 'utf8')).filter((s) => s.app === 'preflight');
    assert.ok(statements.length > 20);
    assert.deepEqual(statements.filter((s) => !/^(BEGIN READ ONLY|SET LOCAL|SELECT|ROLLBACK)\b/.test(s.text)), []);
  });
});
