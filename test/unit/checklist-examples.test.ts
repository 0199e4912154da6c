/** The checklists of examples/shop: what the seeds' hand-written checklists did, generated. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { checklistForMigration, renderDownSql } from '../../src/core/checklist/index';
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
});
