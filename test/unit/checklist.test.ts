import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeMigration } from '../../src/core/analysis/analyze-migration';
import { HistoryAnalyzer } from '../../src/core/analysis/history';
import { buildChecklist } from '../../src/core/checklist/build';
import { updateChecklistFile, type ChecklistEdit } from '../../src/core/checklist/file';
import { parseChecklistMarkdown } from '../../src/core/checklist/markdown';
import { rollbackPlan } from '../../src/core/checklist/rollback';
import { RULES } from '../../src/core/rules/index';
import { ensureSqlParser } from '../../src/core/sql/parser';

const HISTORY = [
  `CREATE TYPE "SaleStatus" AS ENUM ('PENDING', 'PAID', 'VOID');
CREATE TABLE "Session" ("id" SERIAL NOT NULL, CONSTRAINT "Session_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Product" ("id" SERIAL NOT NULL, "session_id" INTEGER, "sku" VARCHAR(64), "price" DECIMAL(65,30) NOT NULL, CONSTRAINT "Product_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Sale" ("id" SERIAL NOT NULL, "status" "SaleStatus" NOT NULL DEFAULT 'PENDING', CONSTRAINT "Sale_pkey" PRIMARY KEY ("id"));
ALTER TABLE "Product" ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE SET NULL ON UPDATE CASCADE;`,
];

const MIGRATION = `-- DropForeignKey
ALTER TABLE "Product" DROP CONSTRAINT "Product_session_id_fkey";

-- AlterTable
ALTER TABLE "Product" ALTER COLUMN "session_id" SET NOT NULL,
ALTER COLUMN "price" SET DATA TYPE DECIMAL(10,2);

-- CreateIndex
CREATE UNIQUE INDEX "Product_sku_key" ON "Product"("sku");

-- AddForeignKey
ALTER TABLE "Product" ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
`;

async function checklistOf(sql: string) {
  await ensureSqlParser();
  const opts = { prismaVersion: '7.3.0', rules: RULES, severityOf: (_: string, s: 'error' | 'warning' | 'info') => s, fileOfMigration: () => null };
  const history = HISTORY.map((text, i) => ({ name: `2025010100000${i}_init`, file: `/p/prisma/migrations/2025010100000${i}_init/migration.sql`, text }));
  const { catalog } = new HistoryAnalyzer().analyze(history, opts, 'x');
  const analysis = analyzeMigration({ name: '20250201000000_restrict', file: '/p/prisma/migrations/20250201000000_restrict/migration.sql', text: sql }, catalog, opts);
  return { list: buildChecklist({ analysis, before: catalog, prismaVersion: '7.3.0', migrationsDirRelative: 'prisma/migrations', schemaRelative: null }), analysis, before: catalog };
}

describe('checklist generation', () => {
  it('has the pre-checks the statements need, with exact SQL', async () => {
    const { list } = await checklistOf(MIGRATION);
    const byId = new Map(list.items.map((i) => [i.id, i]));
    assert.equal(byId.get('pre.orphans.Product_session_id_fkey')?.code?.text, 'SELECT count(*) AS orphans\nFROM "Product" c\nLEFT JOIN "Session" p ON p."id" = c."session_id"\nWHERE c."session_id" IS NOT NULL AND p."id" IS NULL;');
    assert.equal(byId.get('pre.nulls.public.Product.session_id')?.code?.text, 'SELECT count(*) AS nulls FROM "Product" WHERE "session_id" IS NULL;');
    assert.match(byId.get('pre.duplicates.Product_sku_key')!.code!.text, /GROUP BY "sku"\nHAVING count\(\*\) > 1/);
    assert.match(byId.get('pre.narrowing.public.Product.price')!.code!.text, /abs\("price"\) >= 1e8/);
    assert.ok(byId.has('pre.size.public.Product'));
  });

  it('verifies the new onDelete with the letter pg_constraint must show', async () => {
    const { list } = await checklistOf(MIGRATION);
    const v = list.items.find((i) => i.id === 'verify.fk.Product_session_id_fkey')!;
    assert.equal(v.title, 'Verify "Product_session_id_fkey" is ON DELETE RESTRICT, ON UPDATE CASCADE');
    assert.match(v.expected!, /^confdeltype = 'r', confupdtype = 'c'/);
    assert.ok(list.items.some((i) => i.id === 'verify.index.Product_sku_key' && i.expected === 'indisvalid = t, indisready = t'));
  });

  it('rolls back to the previous foreign key definition, in reverse order', async () => {
    const { analysis, before } = await checklistOf(MIGRATION);
    const plan = rollbackPlan(analysis, before);
    const sql = plan.sql.filter((l) => !l.startsWith('--'));
    assert.deepEqual(sql, [
      'ALTER TABLE "Product" DROP CONSTRAINT IF EXISTS "Product_session_id_fkey";',
      'DROP INDEX CONCURRENTLY IF EXISTS "public"."Product_sku_key";',
      'ALTER TABLE "Product" ALTER COLUMN "price" SET DATA TYPE numeric(65,30);',
      'ALTER TABLE "Product" ALTER COLUMN "session_id" DROP NOT NULL;',
      'ALTER TABLE "Product" ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE SET NULL ON UPDATE CASCADE;',
    ]);
    assert.equal(plan.needsPsql, true);
  });

  it('says plainly what cannot be undone', async () => {
    const { analysis, before } = await checklistOf('ALTER TABLE "Product" DROP COLUMN "sku";\nDROP TABLE "Sale";');
    assert.deepEqual(rollbackPlan(analysis, before).irreversible.map((x) => x.title), ['Table "Sale" and all its rows (dropped on line 2)', 'The values of "Product"."sku" (dropped on line 1)']);
  });
});

describe('checklist file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'pf-checklist-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps ticks, notes and record fields when regenerated; resets a tick whose statement changed, saying why', async () => {
    const file = path.join(dir, 'preflight-checklist.md');
    const first = await checklistOf(MIGRATION);
    updateChecklistFile(file, first.list, [
      { kind: 'tick', id: 'pre.backup', checked: true },
      { kind: 'note', id: 'pre.backup', text: 'stored in s3://backups/x\nsecond line' },
      { kind: 'tick', id: 'pre.duplicates.Product_sku_key', checked: true },
      { kind: 'record', key: 'deployedBy', value: 'Ada' },
    ]);
    const changed = await checklistOf(MIGRATION.replace('ON "Product"("sku")', 'ON "Product"("sku", "id")'));
    const { parsed, text } = updateChecklistFile(file, changed.list);
    assert.equal(parsed.state.ticks['pre.backup'], true);
    assert.equal(parsed.state.notes['pre.backup'], 'stored in s3://backups/x\nsecond line');
    assert.equal(parsed.state.record.deployedBy, 'Ada');
    assert.equal(parsed.state.ticks['pre.duplicates.Product_sku_key'], false);
    assert.match(text, /> Reset: this was ticked, but what it checks changed since \(the statement on line 9\); check it again\./);
    assert.match(text, /^- \[x\] Take a full backup of the production database <!-- id:pre\.backup fp:\w+(?: dt:\w+)? -->$/m);
  });

  it('a tick reset by an edit of its statement comes back when the edit is undone, even after a second edit; the file says so meanwhile', async () => {
    const file = path.join(dir, 'preflight-checklist.md');
    const id = 'pre.duplicates.Product_sku_key';
    updateChecklistFile(file, (await checklistOf(MIGRATION)).list, [{ kind: 'tick', id, checked: true }]);
    const typo = updateChecklistFile(file, (await checklistOf(MIGRATION.replace('ON "Product"("sku")', 'ON "Product"("skuu")'))).list);
    assert.equal(typo.parsed.state.ticks[id], false);
    assert.match(typo.text, /> Reset: this was ticked, but what it checks changed since \(the statement on line 9\); check it again\. The tick comes back if the statement does\. <!-- ticked-fp:\w+ -->/);
    const second = updateChecklistFile(file, (await checklistOf(MIGRATION.replace('ON "Product"("sku")', 'ON "Product"("sku", "id")'))).list);
    assert.equal(second.parsed.state.ticks[id], false);
    assert.equal(second.parsed.resets[id], typo.parsed.resets[id], 'the reset and its reason stay while the text differs');
    const undone = updateChecklistFile(file, (await checklistOf(MIGRATION)).list);
    assert.equal(undone.parsed.state.ticks[id], true, 'the tick made against this text is back');
    assert.equal(undone.parsed.resets[id], undefined);
    assert.doesNotMatch(undone.text, /ticked-fp|Reset:/);
  });

  it('the tick of an item that stops applying is kept with its note under "no longer apply", and comes back with the item', async () => {
    const file = path.join(dir, 'preflight-checklist.md');
    const id = 'pre.duplicates.Product_sku_key';
    updateChecklistFile(file, (await checklistOf(MIGRATION)).list, [
      { kind: 'tick', id, checked: true },
      { kind: 'note', id, text: '0 duplicates on prod' },
    ]);
    const gone = updateChecklistFile(file, (await checklistOf(MIGRATION.replace(/-- CreateIndex\n.*\n/, ''))).list);
    assert.ok(!gone.parsed.ids.includes(id), 'the unique index is gone, and so is its pre-check');
    assert.match(gone.text, /## Notes on items that no longer apply\n\n- `pre\.duplicates\.Product_sku_key` \(ticked when it last applied\): 0 duplicates on prod <!-- ticked-fp:\w+ -->/);
    const back = updateChecklistFile(file, (await checklistOf(MIGRATION)).list);
    assert.equal(back.parsed.state.ticks[id], true);
    assert.equal(back.parsed.state.notes[id], '0 duplicates on prod');
    assert.doesNotMatch(back.text, /no longer apply|ticked-fp/);
  });

  it("a person's tick or untick ends the reset and its evidence", async () => {
    const file = path.join(dir, 'preflight-checklist.md');
    const id = 'pre.duplicates.Product_sku_key';
    updateChecklistFile(file, (await checklistOf(MIGRATION)).list, [{ kind: 'tick', id, checked: true }]);
    const changed = (await checklistOf(MIGRATION.replace('ON "Product"("sku")', 'ON "Product"("skuu")'))).list;
    updateChecklistFile(file, changed);
    const unticked = updateChecklistFile(file, changed, [{ kind: 'tick', id, checked: false }]);
    assert.doesNotMatch(unticked.text, /ticked-fp|Reset:/);
    const undone = updateChecklistFile(file, (await checklistOf(MIGRATION)).list);
    assert.equal(undone.parsed.state.ticks[id], false, 'after an explicit untick, the old text does not bring the tick back');
  });

  it('text-editor edits are read back: a tick typed by hand survives regeneration', async () => {
    const file = path.join(dir, 'preflight-checklist.md');
    const { list } = await checklistOf(MIGRATION);
    updateChecklistFile(file, list);
    writeFileSync(file, readFileSync(file, 'utf8').replace('- [ ] Apply the migration', '- [x] Apply the migration').replace(/(id:deploy\.apply[^\n]*\n(?:.*\n)*?\s+Notes:)/, '$1 done at 10:02'));
    const { parsed } = updateChecklistFile(file, list);
    assert.equal(parsed.state.ticks['deploy.apply'], true);
    assert.equal(parsed.state.notes['deploy.apply'], 'done at 10:02');
  });

  it('1,000 interleaved operations (sidebar ticks, editor edits, external rewrites) lose no edit', async () => {
    const file = path.join(dir, 'preflight-checklist.md');
    const { list } = await checklistOf(MIGRATION);
    updateChecklistFile(file, list);
    const ids = list.items.map((i) => i.id);
    const expectTick = new Map<string, boolean>();
    const expectNote = new Map<string, string>();
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let op = 0; op < 1000; op++) {
      const id = ids[rand(ids.length)];
      switch (rand(4)) {
        case 0: {
          // webview tick
          const checked = rand(2) === 1;
          updateChecklistFile(file, list, [{ kind: 'tick', id, checked } as ChecklistEdit]);
          expectTick.set(id, checked);
          break;
        }
        case 1: {
          // webview note
          const text = `note ${op}${rand(3) === 0 ? `\nmore ${op}` : ''}`;
          updateChecklistFile(file, list, [{ kind: 'note', id, text }]);
          expectNote.set(id, text);
          break;
        }
        case 2: {
          // the text editor ticks by hand
          const before = readFileSync(file, 'utf8');
          const re = new RegExp(`^- \\[[ x]\\] (.*<!-- id:${id.replace(/\./g, '\\.')} )`, 'm');
          writeFileSync(file, before.replace(re, '- [x] $1'));
          expectTick.set(id, true);
          break;
        }
        default:
          // git checkout / external regeneration rewrites the whole file with the same content
          writeFileSync(file, readFileSync(file, 'utf8'));
          updateChecklistFile(file, list);
      }
    }
    const final = parseChecklistMarkdown(readFileSync(file, 'utf8'));
    for (const [id, v] of expectTick) assert.equal(final.state.ticks[id] === true, v, `tick of ${id}`);
    for (const [id, v] of expectNote) assert.equal(final.state.notes[id], v, `note of ${id}`);
  });
});
