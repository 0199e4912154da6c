/** The checklists of examples/shop: what the seeds' hand-written checklists did, generated. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { checklistForMigration, emptyState, renderChecklist, renderDownSql } from '../../src/core/checklist/index';
import { discoverProject } from '../../src/core/project/discover';

const SHOP = path.resolve(__dirname, '..', '..', 'examples', 'shop');

async function items(migration: string) {
  const mc = await checklistForMigration(discoverProject(SHOP), migration);
  return { mc, byId: new Map(mc.checklist.items.map((i) => [i.id, i])) };
}

describe('checklists of the example project (the seeds’ scenarios)', function () {
  this.timeout(60_000);

  it('seed 000 — Session/Product moved to ON DELETE RESTRICT: orphan check, NULL check, verify confdeltype r, rollback to SET NULL', async () => {
    const { mc, byId } = await items('20250203141527_protect_session_products');
    assert.match(byId.get('pre.orphans.Product_session_id_fkey')!.code!.text, /LEFT JOIN "Session" p ON p\."id" = c\."session_id"/);
    assert.equal(byId.get('pre.nulls.public.Product.session_id')!.expected, '0 (otherwise the statement fails)');
    assert.match(byId.get('verify.fk.Product_session_id_fkey')!.expected!, /^confdeltype = 'r'/);
    assert.match(renderDownSql(mc), /ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY \("session_id"\) REFERENCES "Session"\("id"\) ON DELETE SET NULL ON UPDATE CASCADE;/);
  });

  it('seed 002 — new sessions table and columns: the required column without default needs an empty table; the new table is verified', async () => {
    const { byId } = await items('20250311102044_add_user_sessions');
    const empty = [...byId.values()].find((i) => i.id.startsWith('pre.empty.'));
    assert.ok(empty, 'no emptiness check for the required column');
    assert.ok([...byId.keys()].some((id) => id.startsWith('verify.table.')));
  });

  it('seed 004 — tenant indexes, CashDrawer FK to SET NULL, decimal precision: index validity, confdeltype n, values that no longer fit', async () => {
    const { byId } = await items('20250527160833_tenant_indexes_and_cash_drawer_set_null');
    const ids = [...byId.keys()];
    assert.ok(ids.some((id) => id.startsWith('verify.index.Appointment_tenant_id')), ids.join(' '));
    const fk = [...byId.values()].find((i) => i.id.startsWith('verify.fk.') && /SET NULL/.test(i.title));
    assert.match(fk!.expected!, /^confdeltype = 'n'/);
    assert.ok(ids.some((id) => id.startsWith('pre.narrowing.public.Sale.')), ids.join(' '));
    assert.ok(ids.includes('monitor.index-usage'));
  });

  it('enum value removal: rows still using the value are counted before the type change', async () => {
    const { byId } = await items('20251021094417_remove_sale_status_void');
    assert.match(byId.get('pre.enum-values.SaleStatus')!.code!.text, /WHERE "status"::text IN \('VOID'\)/);
  });

  const verdictOf = (mc: Awaited<ReturnType<typeof items>>['mc']) => new Map(mc.checklist.verdict.map((v) => [v.key, v]));

  it('the verdict comes first in the file, before every section', async () => {
    const { mc } = await items('20250203141527_protect_session_products');
    const text = renderChecklist(mc.checklist, emptyState());
    assert.ok(text.indexOf('## Verdict') > 0 && text.indexOf('## Verdict') < text.indexOf('## Pre-deployment'));
    assert.match(text, /^- \*\*Deploy:\*\* fails if the production data does not pass the pre-checks below:\n {2}- "Product"\."session_id" holds a NULL \(line 11\)$/m);
  });

  it('verdict of each example migration: fails or not and why, data, locked tables, atomicity', async () => {
    const cases: { migration: string; deploy: RegExp; data: RegExp; locked: string[]; atomic: RegExp }[] = [
      { migration: '20250203141527_protect_session_products', deploy: /^fails if the production data/, data: /^no data is dropped/, locked: ['"Product"', '"Session"'], atomic: /^yes: Prisma 7\.3\.0 sends the whole file as one batch/ },
      { migration: '20250311102044_add_user_sessions', deploy: /^fails if/, data: /^no data/, locked: ['"Product"', '"User"'], atomic: /^yes/ },
      { migration: '20250527160833_tenant_indexes_and_cash_drawer_set_null', deploy: /^fails if/, data: /^lost/, locked: ['"CashDrawer"', '"User"', '"Appointment"', '"Sale"'], atomic: /^yes/ },
      { migration: '20250916112205_remove_customer_loyalty_points', deploy: /^nothing Preflight knows of makes it fail/, data: /^lost/, locked: ['"Customer"'], atomic: /^yes/ },
      { migration: '20251021094417_remove_sale_status_void', deploy: /^fails if/, data: /^no data/, locked: ['"Sale"'], atomic: /^yes/ },
      { migration: '20251105153012_sale_customer_history_index', deploy: /^nothing Preflight knows of makes it fail/, data: /^no data/, locked: [], atomic: /^yes/ },
      { migration: '20251208101530_add_product_barcode', deploy: /^fails\.$/, data: /^no data/, locked: ['"Product"'], atomic: /^yes/ },
    ];
    for (const c of cases) {
      const v = verdictOf((await items(c.migration)).mc);
      assert.match(v.get('deploy')!.text, c.deploy, c.migration);
      assert.match(v.get('data')!.text, c.data, c.migration);
      assert.deepEqual(v.get('locks')!.points.map((p) => /^[A-Z ]+ on ("[^"]+")/.exec(p)?.[1]), c.locked, c.migration);
      assert.match(v.get('atomic')!.text, c.atomic, c.migration);
      assert.ok(v.get('before-merge'), c.migration);
    }
  });

  it('verdict names the reason a deploy fails for certain, and what to do before merging', async () => {
    const v = verdictOf((await items('20251208101530_add_product_barcode')).mc);
    assert.match(v.get('deploy')!.points[0], /^CREATE INDEX CONCURRENTLY cannot run inside a transaction block\..*SQLSTATE 25001.* \(line 5\)$/);
    assert.deepEqual(v.get('before-merge')!.points, ['Move this statement into a migration folder of its own, with no other statement in it.']);
  });

  it('verdict on locks: how and for how long, the whole file when it runs as one batch, the rewrite named', async () => {
    const v = verdictOf((await items('20250527160833_tenant_indexes_and_cash_drawer_set_null')).mc);
    assert.equal(
      v.get('locks')!.points.find((p) => p.includes('"Sale"')),
      'ACCESS EXCLUSIVE on "Sale" (blocks all reads and writes) from line 19 until the whole file has finished, taken on lines 19, 25 and 36; rewritten on line 25 (time grows with the table size)',
    );
  });

  it('seed 004 — one maintenance-window item per locked table, not one per lock per statement', async () => {
    const { mc } = await items('20250527160833_tenant_indexes_and_cash_drawer_set_null');
    const locks = mc.checklist.items.filter((i) => i.id.startsWith('deploy.lock.'));
    assert.deepEqual(locks.map((i) => i.title), [
      'Maintenance window for "CashDrawer": ACCESS EXCLUSIVE lock',
      'Maintenance window for "User": ACCESS EXCLUSIVE lock',
      'Maintenance window for "Appointment": ACCESS EXCLUSIVE lock',
      'Maintenance window for "Sale": ACCESS EXCLUSIVE lock, table rewrite',
    ]);
    assert.match(locks[0].detail!, /taken on lines 10, 16, 22, 33 and 39\./);
  });

  it('a lone CREATE INDEX CONCURRENTLY gets a short list: no pg_dump ritual, the INVALID index is the risk named', async () => {
    const { mc, byId } = await items('20251105153012_sale_customer_history_index');
    assert.ok(!byId.has('pre.backup') && !byId.has('pre.backup-verify'), 'a backup is asked for an index build');
    assert.ok(![...byId.keys()].some((id) => id.startsWith('pre.size.')));
    assert.deepEqual(mc.checklist.items.map((i) => i.id), [
      'pre.review',
      'deploy.status',
      'deploy.concurrently.0',
      'deploy.apply',
      'verify.recorded',
      'verify.index.Sale_customer_id_created_at_idx',
      'monitor.blocked',
      'monitor.index-usage',
      'rollback.sql',
      'rollback.failed',
      'rollback.run',
      'signoff.reviewed',
      'signoff.verified',
    ]);
    assert.match(byId.get('deploy.concurrently.0')!.detail!, /leaves an INVALID index behind/);
    assert.match(verdictOf(mc).get('deploy')!.points.join(' '), /can still fail midway .* leave an INVALID index behind/);
    assert.match(byId.get('rollback.failed')!.detail!, /except the INVALID index a failed CREATE INDEX CONCURRENTLY leaves behind/);
    const full = await items('20250527160833_tenant_indexes_and_cash_drawer_set_null');
    assert.ok(full.byId.has('pre.backup'), 'a migration that changes data keeps the backup');
  });

  it('application steps: onDelete change → the code paths that delete the parent; NOT NULL → the backfill', async () => {
    const { byId } = await items('20250203141527_protect_session_products');
    const del = byId.get('app.on-delete.Product_session_id_fkey')!;
    assert.equal(del.section, 'app');
    assert.equal(del.title, 'Find the code that deletes "Session" rows and decide what it does now');
    assert.match(del.detail!, /^ON DELETE goes SET NULL → RESTRICT: deleting a "Session" row that still has "Product" rows now fails\b.*such a delete now fails where it used to succeed/);
    assert.equal(byId.get('app.backfill.public.Product.session_id')!.code!.text, 'UPDATE "Product" SET "session_id" = <value> WHERE "session_id" IS NULL;');
    const cash = (await items('20250527160833_tenant_indexes_and_cash_drawer_set_null')).byId.get('app.on-delete.CashDrawer_openedById_fkey')!;
    assert.match(cash.detail!, /^ON DELETE goes RESTRICT → SET NULL: deleting a "User" row now sets the key of its "CashDrawer" rows to NULL/);
  });

  it('application steps: a dropped column gets the release order; a required column added without default gets the backfill', async () => {
    const drop = (await items('20250916112205_remove_customer_loyalty_points')).byId.get('app.release-order.public.Customer.loyaltyPoints')!;
    assert.equal(drop.title, 'Release first the code that no longer reads or writes "Customer"."loyaltyPoints"');
    assert.match(drop.detail!, /Expand \/ contract/);
    const add = (await items('20250311102044_add_user_sessions')).byId.get('app.backfill.public.User.passwordHash')!;
    assert.match(add.code!.text, /^ALTER TABLE "User" ADD COLUMN "passwordHash" text;\nUPDATE "User" SET "passwordHash" = <value> WHERE "passwordHash" IS NULL;/);
    const enumStep = (await items('20251021094417_remove_sale_status_void')).byId.get('app.enum-values.SaleStatus')!;
    assert.match(enumStep.title, /no longer writes 'VOID'/);
  });

  it("Prisma's own -- Warnings: header is carried into the verdict, word for word", async () => {
    const { mc } = await items('20250916112205_remove_customer_loyalty_points');
    assert.deepEqual(verdictOf(mc).get('prisma-warnings')!.points, ['You are about to drop the column `loyaltyPoints` on the `Customer` table. All the data in the column will be lost.']);
    assert.equal(verdictOf((await items('20251105153012_sale_customer_history_index')).mc).get('prisma-warnings'), undefined);
  });

  it('one rollback procedure: psql where down.sql needs CONCURRENTLY, prisma db execute otherwise — never both', async () => {
    for (const [migration, tool, other] of [
      ['20250527160833_tenant_indexes_and_cash_drawer_set_null', 'psql', 'prisma db execute --file'],
      ['20250916112205_remove_customer_loyalty_points', 'prisma db execute --file', 'psql'],
    ] as const) {
      const { mc } = await items(migration);
      const rollback = mc.checklist.items.filter((i) => i.section === 'rollback');
      const words = rollback.map((i) => `${i.title}\n${i.detail ?? ''}\n${i.code?.text ?? ''}`).join('\n');
      assert.ok(words.includes(tool), `${migration}: ${tool} missing`);
      assert.ok(!words.includes(`${other} `) && !words.includes(`\`${other}`), `${migration}: also says ${other}`);
      assert.ok(renderDownSql(mc).includes(`-- Run it with: ${mc.rollbackRun.command}\n`));
      assert.ok(rollback.find((i) => i.id === 'rollback.run')!.code!.text.startsWith(mc.rollbackRun.command));
    }
  });
});
