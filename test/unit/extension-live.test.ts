/**
 * Check Against Database… without VS Code or a server: status as diagnostics and the status-bar
 * hint, the run's summary, the edits a run writes, the URL checks, and the Checklist view and
 * review panel showing recorded results (as text, never markup).
 */
import { strict as assert } from 'node:assert';
import { checkRunEdits } from '../../src/core/live/check-edits';
import type { CheckRun } from '../../src/core/live/checks';
import type { MigrationStatus, StatusReport } from '../../src/core/live/status';
import type { Checklist, ChecklistItem } from '../../src/core/checklist/model';
import { checklistStatus, checklistViewModel } from '../../src/extension/checklist/view-models';
import { DATABASE_DRIFT, MIGRATION_FAILED, databaseHint, runSummary, statusDiagnostics, targetLabel, urlProblem } from '../../src/extension/live/live-words';
import { initialUiState, renderChecklist } from '../../src/webview/checklist/render';
import { textOf, toHtml } from '../../src/webview/dom';

const local = [
  { name: '1_init', sqlFile: '/p/m/1_init/migration.sql' },
  { name: '2_orders', sqlFile: '/p/m/2_orders/migration.sql' },
  { name: '3_more', sqlFile: '/p/m/3_more/migration.sql' },
];
const m = (name: string, state: MigrationStatus['state'], extra: Partial<MigrationStatus> = {}): MigrationStatus => ({ name, state, startedAt: null, finishedAt: null, message: state, ...extra });
const report = (migrations: MigrationStatus[], drift: StatusReport['drift'] = []): StatusReport => ({ version: 1, target: 'db.internal:5432/shop', migrations, drift, notes: [] });

describe('Check Against Database: status as diagnostics', () => {
  it('puts a failed migration on its own file as an Error (migration-failed) with the resolve commands', () => {
    const r = report([m('1_init', 'applied'), m('2_orders', 'failed', { message: 'started and never finished', commands: ['npx prisma migrate resolve --rolled-back 2_orders', 'npx prisma migrate resolve --applied 2_orders'] }), m('3_more', 'pending')]);
    const d = statusDiagnostics(r, local, 'file:///docs/live-database.md');
    assert.deepEqual([...d.keys()], ['/p/m/2_orders/migration.sql']);
    const [only] = d.get('/p/m/2_orders/migration.sql')!;
    assert.equal(only.code, MIGRATION_FAILED);
    assert.equal(only.severity, 1);
    assert.equal(only.codeDescription?.href, 'file:///docs/live-database.md');
    assert.match(only.message, /--rolled-back 2_orders or npx prisma migrate resolve --applied 2_orders/);
    assert.match(only.message, /\(database db\.internal:5432\/shop\)$/);
    assert.doesNotMatch(only.message, /`/);
  });

  it('puts a modified migration on its file, and drift and missing-locally on the newest applied one (Warnings, database-drift)', () => {
    const r = report(
      [m('1_init', 'modified', { message: 'migration.sql changed after it was applied' }), m('2_orders', 'applied'), m('3_more', 'pending'), m('9_elsewhere', 'missing-locally', { message: 'recorded in the database, but there is no such migration folder here' })],
      [{ kind: 'index-invalid', object: '"Order_idx"', expected: 'valid', actual: 'INVALID', message: 'index "Order_idx" on "Order" is INVALID' }],
    );
    const d = statusDiagnostics(r, local, 'x');
    assert.deepEqual(d.get('/p/m/1_init/migration.sql')!.map((x) => [x.code, x.severity]), [[DATABASE_DRIFT, 2]]);
    const anchored = d.get('/p/m/2_orders/migration.sql')!;
    assert.deepEqual(anchored.map((x) => x.code), [DATABASE_DRIFT, DATABASE_DRIFT]);
    assert.match(anchored[0].message, /^Migration 9_elsewhere is recorded in the database/);
    assert.match(anchored[1].message, /^Drift: Index "Order_idx" on "Order" is INVALID/);
    assert.equal(d.has('/p/m/3_more/migration.sql'), false, 'pending is not a problem');
  });

  it('anchors drift on the newest local migration when nothing is applied', () => {
    const d = statusDiagnostics(report([m('1_init', 'pending')], [{ kind: 'table-missing', object: '"A"', expected: 'exists', actual: 'missing', message: 'table "A" does not exist in the database' }]), local.slice(0, 1), 'x');
    assert.deepEqual([...d.keys()], ['/p/m/1_init/migration.sql']);
  });
});

describe('Check Against Database: the status-bar hint and the summary', () => {
  it('shows a hint only while migrations are pending or failed, with real plurals', () => {
    assert.equal(databaseHint(report([m('1_init', 'applied'), m('2_orders', 'modified')])), null);
    const one = databaseHint(report([m('1_init', 'applied'), m('2_orders', 'pending')]))!;
    assert.equal(one.text, '$(database) 1 pending');
    assert.match(one.label, /1 migration not applied yet/);
    assert.equal(one.failed, false);
    const both = databaseHint(report([m('1_init', 'failed'), m('2_orders', 'pending'), m('3_more', 'pending')]))!;
    assert.equal(both.text, '$(database) 1 failed, 2 pending');
    assert.match(both.label, /^Database db\.internal:5432\/shop: 1 failed migration .*; 2 migrations not applied yet\./);
    assert.equal(both.failed, true);
  });

  it('sums up a run in one plain sentence', () => {
    const checklist = listOf([item('pre.a', { state: 'passed' }), item('pre.b', { state: 'failed' }), item('pre.c')]);
    const run: CheckRun = { checklist, ticks: [], sizes: null };
    assert.equal(
      runSummary({ target: 'h:5432/db', checks: run, status: report([m('1_init', 'applied'), m('2_orders', 'pending')]) }),
      '2 pre-deployment checks of 2_orders: 1 passed, 1 failed. Migrations: 1 pending; no drift (h:5432/db).',
    );
    const single = listOf([item('pre.a', { state: 'timeout' })]);
    assert.match(runSummary({ target: 't', checks: { checklist: single, ticks: [], sizes: null }, status: null, statusError: 'no table' }), /^1 pre-deployment check of 2_orders: 0 passed, 0 failed, 1 timed out\. Status not read: no table/);
  });
});

describe('Check Against Database: what a run writes', () => {
  it('writes the ticks and the table sizes as the CLI does', () => {
    const run: CheckRun = { checklist: listOf([]), ticks: [{ id: 'pre.a', checked: true }, { id: 'pre.b', checked: false }], sizes: '"Order": count 5, size 16 kB' };
    assert.deepEqual(checkRunEdits(run, 'editor', new Date('2025-06-01T10:00:00Z')), [
      { kind: 'tick', id: 'pre.a', checked: true },
      { kind: 'tick', id: 'pre.b', checked: false },
      { kind: 'record', key: 'sizes', value: '"Order": count 5, size 16 kB (2025-06-01, from the database)' },
    ]);
    assert.match((checkRunEdits(run, 'PREFLIGHT_DATABASE_URL')[2] as { value: string }).value, /from PREFLIGHT_DATABASE_URL\)$/);
  });

  it('accepts only postgres URLs in the input box, and names the target without user or password', () => {
    assert.equal(urlProblem('postgresql://u:p@h:5432/db'), null);
    assert.equal(urlProblem(' postgres://h/db '), null);
    assert.match(urlProblem('')!, /Type the URL/);
    assert.match(urlProblem('mysql://h/db')!, /postgresql:\/\//);
    assert.match(urlProblem('h:5432')!, /postgresql:\/\/|not a URL/);
    assert.equal(targetLabel('postgresql://alice:s3cret@db.internal:6432/shop?sslmode=require'), 'db.internal:6432/shop');
    assert.doesNotMatch(targetLabel('postgresql://alice:s3cret@[bad'), /s3cret/);
  });
});

describe('Check Against Database: the views show recorded results', () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const list = listOf([item('pre.a', { state: 'passed', observed: '0' }), item('pre.b', { state: 'failed', observed: '5', explanation: `5 rows of "Order" have NULL in "${hostile}": SET NOT NULL will fail; fix the data first` })]);
  const file = { state: { ticks: {}, notes: {}, fingerprints: {}, record: {}, checks: {} } } as never;

  it('Checklist view: each checked item says passed or failed with the observed value and, for a failure, why', () => {
    const model = checklistViewModel(list, null, { folder: 'm/2_orders', unsavedInEditor: false });
    const items = model.sections.flatMap((s) => s.items);
    assert.equal(items[0].check?.state, 'passed');
    const html = toHtml(renderChecklist(model, initialUiState()));
    assert.match(html, /data-check-state="passed"/);
    assert.match(html, /data-check-state="failed"/);
    const text = textOf(renderChecklist(model, initialUiState()));
    assert.match(text, /Passed · observed 0/);
    assert.match(text, /Failed · observed 5 · expected 0/);
    assert.doesNotMatch(html, /<img/, 'workspace text is escaped');
    void file;
  });

  it('review panel: the checklist status lists the checks', () => {
    const status = checklistStatus(list, null);
    assert.deepEqual(status.checks?.map((c) => [c.id, c.check.state]), [['pre.a', 'passed'], ['pre.b', 'failed']]);
  });
});

function item(id: string, check?: Partial<NonNullable<ChecklistItem['check']>>): ChecklistItem {
  return {
    id,
    section: 'pre',
    title: `Check ${id}`,
    code: { lang: 'sql', text: 'SELECT count(*) FROM "Order" WHERE "customerId" IS NULL;' },
    expected: '0',
    fingerprint: `f-${id}`,
    ...(check ? { check: { state: 'passed', observed: '0', expected: '0', checkedAt: '2025-06-01T10:00:00.000Z', target: 'h:5432/db', ...check } } : {}),
  };
}

function listOf(items: ChecklistItem[]): Checklist {
  return { migration: '2_orders', verdict: [], summary: [], items };
}
