// The real-UI checks of the checklist feature (the Preflight sidebar and the review panel), run by
// scripts/e2e-run.mjs after the extension's own checks, in the same code-server and copy of
// examples/shop. Every test name starts with "[checklist]" (`npm run test:e2e -- --grep "[checklist]"`).
// Webview content is read inside the webview's frame, where the user sees it.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cursorLine, goToLine, openFile, openWorkbench, pickMigration, runCommand, waitFor, webviewFrame } from './workbench.mjs';

const MIGRATION = '20250527160833_tenant_indexes_and_cash_drawer_set_null';
const checklistFile = (workspace, name = MIGRATION) => join(workspace, 'prisma', 'migrations', name, 'preflight-checklist.md');

// A migration whose identifiers and comments are markup, and a folder name that is too.
const IMG = '</script><img src=x onerror=alert(1)>';
const SVG = '"><svg onload=alert(2)>';
const IDX = '<img src=x onerror=alert(3)>';
const HOSTILE_MIGRATION = '20990301000000_x<img src=x onerror=alert(4)>y'; // no slash: it is a folder name
const q = (name) => `"${name.replace(/"/g, '""')}"`;
const HOSTILE_SQL = `-- ${IMG} <!-- </textarea><script>alert(5)</script>
CREATE TABLE ${q(IMG)} ("id" SERIAL NOT NULL, ${q(SVG)} TEXT, "sale_id" INTEGER, CONSTRAINT "hostile_pkey" PRIMARY KEY ("id"));
CREATE INDEX ${q(IDX)} ON "Sale"("created_at");
ALTER TABLE "Product" ADD COLUMN ${q(SVG)} TEXT NOT NULL;
ALTER TABLE ${q(IMG)} ADD CONSTRAINT "hostile_sale_fkey" FOREIGN KEY ("sale_id") REFERENCES "Sale"("id") ON DELETE CASCADE ON UPDATE CASCADE;
`;

/** Writes a file the way git does: a new file renamed over the old one. */
function replaceOnDisk(file, text) {
  writeFileSync(`${file}.e2e-tmp`, text);
  renameSync(`${file}.e2e-tmp`, file);
}

/** Opens the Preflight container in the activity bar (its icon appears once the extension is registered). */
async function openSidebar(page) {
  const header = page.locator('.pane-header', { hasText: 'Migrations' }).first();
  if (!(await header.isVisible().catch(() => false))) {
    const icon = page.locator('.activitybar .action-item a[aria-label^="Preflight"], .activitybar .action-item[aria-label^="Preflight"]').first();
    await icon.waitFor({ state: 'visible', timeout: 60_000 });
    await icon.click();
  }
  await waitFor(async () => (await migrationRows(page)).length > 0, { what: 'migration folders in the Preflight sidebar', timeout: 60_000 });
}

/** What the tree shows for a folder: Prisma's `<timestamp>_<name>` as the name. */
const titleOf = (folder) => /^\d{14}_(.+)$/.exec(folder)?.[1] ?? folder;

/** The rows of the Migrations tree: label, description and icon. */
async function migrationRows(page) {
  return page.$$eval('.pane:has(.pane-header[aria-label*="Migrations"]) .monaco-list-row, .pane:has(.title[title="Migrations"]) .monaco-list-row', (rows) =>
    rows.map((r) => ({
      label: r.querySelector('.label-name')?.textContent ?? '',
      description: r.querySelector('.label-description')?.textContent ?? '',
      icon: [...(r.querySelector('.custom-view-tree-node-item-icon')?.classList ?? [])].find((c) => c.startsWith('codicon-') && c !== 'codicon-') ?? '',
      selected: r.classList.contains('selected'),
    })),
  );
}

async function clickMigration(page, folder) {
  const name = titleOf(folder);
  const row = page.locator('.pane .monaco-list-row', { has: page.locator('.label-name', { hasText: name }) }).first();
  await waitFor(async () => (await row.count()) > 0, { what: `${name} in the Migrations tree`, timeout: 30_000 });
  await row.click();
}

/** Inside a webview: nothing the workspace wrote became an element, a handler or a script. */
async function inertness(frame) {
  return frame.evaluate(() => ({
    dangerous: [...document.querySelectorAll('img, svg, iframe, object, embed, b, math, form')].map((e) => e.outerHTML.slice(0, 80)),
    handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName}[${a.name}]`)),
    // VS Code itself prepends one script (#_vscodeApiScript: acquireVsCodeApi); every other one is ours.
    scripts: [...document.querySelectorAll('script:not(#_vscodeApiScript)')].map((s) => s.getAttribute('src') ?? `inline:${s.type || 'js'}`),
    text: document.body.innerText,
  }));
}

/**
 * Clicks the Preflight status-bar item once it speaks of `migration`: it shows as soon as the
 * project is found, and a click before the active file's analysis arrives opens the migration
 * picker instead of that migration's review.
 */
async function clickStatusBarFor(page, migration) {
  const item = page.locator(`.statusbar-item[aria-label*="migration ${migration}"]`).first();
  await item.waitFor({ timeout: 30_000 }).catch(async () => {
    const labels = await page.$$eval('.statusbar-item', (i) => i.map((x) => x.getAttribute('aria-label')).filter((l) => /Preflight/.test(l ?? '')));
    throw new Error(`no Preflight status-bar item for ${migration}; shown: ${labels.join(' | ')}`);
  });
  await item.click();
}

export const tests = [
  {
    name: '[checklist] the Preflight sidebar lists the migration folders newest first, with severity icons',
    async run({ page, assert, screenshot, expected, workspace }) {
      await openSidebar(page);
      const folders = readdirSync(join(workspace, 'prisma', 'migrations'), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
      const rows = await waitFor(async () => {
        const r = await migrationRows(page);
        return r.length >= folders.length && r.every((x) => x.icon && x.icon !== 'codicon-circle-outline') ? r : null;
      }, { what: 'every migration analysed in the tree', timeout: 60_000 });
      const newestFirst = [...folders].sort((a, b) => b.localeCompare(a));
      assert(JSON.stringify(rows.map((r) => r.label)) === JSON.stringify(newestFirst.map(titleOf)), `tree order:\n${rows.map((r) => r.label).join('\n')}\nexpected:\n${newestFirst.join('\n')}`);
      // A narrow sidebar leaves room for the name and a counter only: the date is in the tooltip.
      assert(rows.every((r) => /^(\d+\/\d+)?$/.test(r.description)), `descriptions other than a checklist counter: ${rows.map((r) => r.description).join(', ')}`);
      const worst = (name) => {
        const f = expected.filter((e) => e.path.includes(`/${name}/`));
        return f.some((e) => e.severity === 'error') ? 'codicon-error' : f.some((e) => e.severity === 'warning') ? 'codicon-warning' : null;
      };
      const wrong = rows.map((r, i) => ({ ...r, folder: newestFirst[i] })).filter((r) => worst(r.folder) && worst(r.folder) !== r.icon);
      assert(wrong.length === 0, `icons that disagree with the CLI: ${wrong.map((r) => `${r.folder} ${r.icon} (CLI: ${worst(r.folder)})`).join(', ')}`);
      await screenshot('sidebar');
      return rows.map((r) => `${r.label.slice(0, 18)} ${r.icon.replace('codicon-', '')}`).join(' · ');
    },
  },
  {
    name: '[checklist] ticking an item in the Checklist view writes preflight-checklist.md, and the tree shows the progress',
    async run({ page, assert, screenshot, workspace }) {
      const file = checklistFile(workspace);
      rmSync(file, { force: true }); // a checklist generated in the example by `npm run review` is not the one under test
      await openSidebar(page);
      await clickMigration(page, MIGRATION);
      const frame = await webviewFrame(page, `main.checklist[data-migration="${MIGRATION}"]`, `the Checklist view of ${MIGRATION}`);
      const before = await frame.$eval('.head .count', (e) => e.textContent);
      assert(/^0\/\d+$/.test(before), `progress before ticking: ${before}`);
      await frame.click('input[data-action="tick"][data-id="pre.backup"]');
      const text = await waitFor(() => existsSync(file) && /- \[x\] Take a full backup[^\n]*<!-- id:pre\.backup /.test(readFileSync(file, 'utf8')) && readFileSync(file, 'utf8'), { what: 'the tick in preflight-checklist.md on disk' });
      const total = Number(before.split('/')[1]);
      assert((text.match(/<!-- id:/g) ?? []).length === total, `the file holds ${(text.match(/<!-- id:/g) ?? []).length} items, the view ${total}`);
      await waitFor(async () => (await frame.$eval('.head .count', (e) => e.textContent)) === `1/${total}`, { what: `1/${total} in the view` });
      await waitFor(async () => (await migrationRows(page)).find((r) => r.label === titleOf(MIGRATION))?.description === `1/${total}`, { what: `1/${total} next to the folder in the tree` });

      // A note, typed like a person does: it reaches the file once typing stops.
      await frame.click('li[data-item="pre.backup"] button.title');
      const note = 'Backup stored in s3://backups/shop/2025-05-27 <checked by Ana>';
      await frame.locator('textarea[data-id="pre.backup"]').pressSequentially(note, { delay: 10 });
      await waitFor(() => readFileSync(file, 'utf8').includes(`  Notes: ${note}`), { what: 'the note in the file' });
      await frame.fill('input[data-field="deployedBy"]', 'Ana Lima');
      await frame.press('input[data-field="deployedBy"]', 'Tab');
      await waitFor(() => readFileSync(file, 'utf8').includes('- **Deployed by:** Ana Lima'), { what: 'the record field in the file' });
      await screenshot('ticked');
      return `${file.split('/prisma/')[1]}: pre.backup ticked, note and record written; view and tree show 1/${total}`;
    },
  },
  {
    name: '[checklist] a change to the file on disk (git checkout, another editor) refreshes the view; editing migration.sql regenerates it keeping ticks',
    async run({ page, assert, screenshot, workspace }) {
      const file = checklistFile(workspace);
      const frame = await webviewFrame(page, `main.checklist[data-migration="${MIGRATION}"]`, 'the Checklist view');
      const text = readFileSync(file, 'utf8');
      const line = /- \[ \] ([^\n]*)<!-- id:pre\.backup-verify /.exec(text);
      assert(line, 'no unticked pre.backup-verify item in the file');
      replaceOnDisk(file, text.replace('- [ ] ' + line[1] + '<!-- id:pre.backup-verify ', '- [x] ' + line[1] + '<!-- id:pre.backup-verify '));
      await waitFor(async () => frame.$eval('input[data-id="pre.backup-verify"]', (e) => e.checked), { what: 'the view to show the tick made on disk' });

      // The migration gains a statement: the file is regenerated, ticks and notes stay.
      const sql = join(workspace, 'prisma', 'migrations', MIGRATION, 'migration.sql');
      replaceOnDisk(sql, `${readFileSync(sql, 'utf8')}\n-- CreateIndex\nCREATE INDEX "Sale_customer_total_idx" ON "Sale"("total");\n`);
      const regenerated = await waitFor(() => {
        const t = readFileSync(file, 'utf8');
        return t.includes('Sale_customer_total_idx') ? t : null;
      }, { what: 'the checklist to be regenerated with the new index', timeout: 30_000 });
      assert(/- \[x\] Take a full backup[^\n]*<!-- id:pre\.backup /.test(regenerated), 'the tick of pre.backup was lost on regeneration');
      assert(/- \[x\] [^\n]*<!-- id:pre\.backup-verify /.test(regenerated), 'the tick made on disk was lost on regeneration');
      assert(regenerated.includes('Notes: Backup stored in s3://backups/shop/2025-05-27'), 'the note was lost on regeneration');
      await waitFor(async () => (await frame.$$eval('li[data-item]', (items) => items.map((i) => i.textContent).join('\n'))).includes('Sale_customer_total_idx'), { what: 'the new item in the view' });
      await screenshot('regenerated');
      return 'disk tick shown; regenerated with the new index, 2 ticks and the note kept';
    },
  },
  {
    name: '[checklist] a tick whose statement is mistyped and saved is reset, and comes back when the edit is undone and saved',
    async run({ page, assert, screenshot, workspace }) {
      const file = checklistFile(workspace);
      const id = 'verify.fk.CashDrawer_openedById_fkey';
      const ticked = () => new RegExp(`- \\[x\\] [^\\n]*<!-- id:${id.replace(/\./g, '\\.')} `).test(readFileSync(file, 'utf8'));
      let frame = await webviewFrame(page, `main.checklist[data-migration="${MIGRATION}"]`, 'the Checklist view');
      await frame.click(`input[data-action="tick"][data-id="${id}"]`);
      await waitFor(ticked, { what: `${id} ticked in the file` });
      // A typo in the statement behind the item, typed in the editor and saved: the statement no longer parses.
      const sqlPath = join(workspace, 'prisma', 'migrations', MIGRATION, 'migration.sql');
      const original = readFileSync(sqlPath, 'utf8');
      const lines = original.split('\n');
      const at = lines.findIndex((l) => l.includes('ADD CONSTRAINT "CashDrawer_openedById_fkey"'));
      assert(at >= 0, 'no ADD CONSTRAINT "CashDrawer_openedById_fkey" in the migration');
      await openFile(page, `prisma/migrations/${MIGRATION}/migration.sql`);
      await goToLine(page, at + 1, lines[at].indexOf('SET NULL') + 1);
      await page.keyboard.type('X');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+S');
      await waitFor(() => readFileSync(sqlPath, 'utf8') !== original, { what: 'the typo saved' });
      const reset = await waitFor(() => {
        const t = readFileSync(file, 'utf8');
        return !ticked() && /ticked when it last applied|> Reset:/.test(t) ? t : null;
      }, { what: 'the tick reset in the file, saying so', timeout: 30_000 });
      frame = await webviewFrame(page, `main.checklist[data-migration="${MIGRATION}"]`, 'the Checklist view');
      await screenshot('tick-reset');
      // Undo and save: the statement is what was ticked, and so is the item.
      await page.keyboard.press('Control+Z');
      await page.keyboard.press('Control+S');
      await waitFor(() => readFileSync(sqlPath, 'utf8') === original, { what: 'the undo saved' });
      await waitFor(ticked, { what: `${id} ticked again in the file`, timeout: 30_000 });
      await waitFor(async () => {
        const f = await webviewFrame(page, `main.checklist[data-migration="${MIGRATION}"]`, 'the Checklist view');
        return f.$eval(`input[data-id="${id}"]`, (e) => e.checked).catch(() => false);
      }, { what: 'the view to show the tick again' });
      await screenshot('tick-restored');
      const how = /ticked when it last applied/.test(reset) ? 'kept under "no longer apply" while the statement did not parse' : 'shown as a Reset while the statement differed';
      return `tick ${how}; back after undo + save`;
    },
  },
  {
    name: '[checklist] an item’s line button opens migration.sql with its statement selected',
    async run({ page, assert }) {
      const frame = await webviewFrame(page, `main.checklist[data-migration="${MIGRATION}"]`, 'the Checklist view');
      const button = 'button.line[data-id="deploy.lock.public.CashDrawer"]';
      const label = await frame.$eval(button, (b) => b.textContent);
      await frame.click(button);
      await waitFor(async () => (await page.$$eval('.tabs-container .tab.active', (t) => t.map((x) => x.getAttribute('aria-label') ?? x.textContent).join(' '))).includes('migration.sql'), { what: 'migration.sql in the editor' });
      const wanted = Number(label.slice(1));
      let line = null;
      await waitFor(async () => (line = await cursorLine(page)) === wanted, { what: `the cursor on line ${wanted}`, timeout: 10_000 }).catch(() => assert(false, `the cursor is on line ${line}, the item says ${label}`));
      return `${label} → cursor on line ${line}`;
    },
  },
  {
    name: '[checklist] hostile identifiers, comments and folder names render as text in the Checklist view and the review panel',
    async run({ page, assert, screenshot, workspace }) {
      const dialogs = [];
      const onDialog = (d) => {
        dialogs.push(d.message());
        void d.dismiss().catch(() => {});
      };
      page.on('dialog', onDialog);
      try {
        const dir = join(workspace, 'prisma', 'migrations', HOSTILE_MIGRATION);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'migration.sql'), HOSTILE_SQL);
        await openSidebar(page);
        await waitFor(async () => (await migrationRows(page)).some((r) => r.label === titleOf(HOSTILE_MIGRATION)), { what: 'the hostile migration in the tree', timeout: 30_000 });
        await clickMigration(page, HOSTILE_MIGRATION);
        const frame = await webviewFrame(page, 'main.checklist', 'the Checklist view');
        await waitFor(async () => (await frame.$eval('main.checklist', (m) => m.dataset.migration).catch(() => null)) === HOSTILE_MIGRATION, { what: 'the hostile migration in the Checklist view' });
        // Open every item, so code blocks with the SQL are on the page too.
        // (each click redraws the view, so take the first closed one each time)
        for (let i = 0; i < 200 && (await frame.$('button.title[aria-expanded="false"]')); i++) await frame.click('button.title[aria-expanded="false"]');
        await frame.click('input[data-action="tick"]');
        await waitFor(() => existsSync(join(dir, 'preflight-checklist.md')), { what: 'the hostile migration’s checklist file' });
        const view = await inertness(frame);
        assert(view.dangerous.length === 0, `workspace text became elements in the Checklist view: ${view.dangerous.join(' | ')}`);
        assert(view.handlers.length === 0, `event handlers in the Checklist view: ${view.handlers.join(', ')}`);
        assert(view.scripts.length === 1 && /checklist\.js/.test(view.scripts[0]), `scripts in the Checklist view: ${view.scripts.join(', ')}`);
        for (const s of [HOSTILE_MIGRATION, IMG, IDX, `"Product".${q(SVG)}`]) assert(view.text.includes(s) || view.text.includes(s.replace(/""/g, '"')), `not shown as text in the Checklist view: ${s}`);
        await screenshot('checklist-view');

        await runCommand(page, 'Preflight: Review Migration…');
        await pickMigration(page, '20990301000000');
        // The frame is looked up again until it shows this migration: a panel that showed another
        // one before re-renders, and a frame found too early can be detached under us.
        const panel = await waitFor(async () => {
          const frame = await webviewFrame(page, 'main.review', 'the review panel');
          return (await frame.$eval('main.review', (m) => m.dataset.migration).catch(() => null)) === HOSTILE_MIGRATION ? frame : null;
        }, { what: 'the hostile review' });
        const review = await inertness(panel);
        assert(review.dangerous.length === 0, `workspace text became elements in the review panel: ${review.dangerous.join(' | ')}`);
        assert(review.handlers.length === 0, `event handlers in the review panel: ${review.handlers.join(', ')}`);
        assert(review.scripts.length === 2 && review.scripts.includes('inline:application/json') && review.scripts.some((s) => /review\.js/.test(s)), `scripts in the review panel: ${review.scripts.join(', ')}`);
        for (const s of [`Pre-flight review: ${HOSTILE_MIGRATION}`, IMG, IDX]) assert(review.text.includes(s), `not shown as text in the review panel: ${s}`);
        await screenshot('review-panel');
        assert(dialogs.length === 0, `a dialog opened: ${dialogs.join(', ')}`);
        return `${view.text.split('\n').filter((l) => l.includes('<img')).length} lines of the Checklist view and ${review.text.split('\n').filter((l) => l.includes('<img')).length} of the review show markup as text; no dialog, no extra element`;
      } finally {
        page.off('dialog', onDialog);
      }
    },
  },
  {
    name: '[checklist] the review panel states locks, onDelete changes and checklist progress, and writes down.sql',
    async run({ page, assert, screenshot, workspace }) {
      await runCommand(page, 'Preflight: Review Migration…');
      await pickMigration(page, '20250527160833');
      const panel = await webviewFrame(page, `main.review[data-migration="${MIGRATION}"]`, `the review of ${MIGRATION}`);
      // A panel opened earlier comes back with what it last showed, then the extension's latest.
      const text = await waitFor(async () => {
        const t = await panel.evaluate(() => document.body.innerText);
        return /\d+\/\d+ ticked/.test(t) ? t : null;
      }, { what: 'the review with the checklist progress', timeout: 15_000 }).catch(() => panel.evaluate(() => document.body.innerText));
      // innerText is what the user reads: headings come out in the capitals CSS gives them.
      assert(/summary by category/i.test(text) && /Locks and rewrites \(\d+\)/.test(text), `no summary by category:\n${text.slice(0, 1500)}`);
      assert(/ACCESS EXCLUSIVE on\s+"CashDrawer": blocks all reads and writes/.test(text), `no lock in plain words:\n${text.slice(0, 2000)}`);
      assert(/CashDrawer_openedById_fkey[\s\S]*?RESTRICT\s*→\s*SET NULL[\s\S]*?sets the key of its\s+"CashDrawer"\s+rows to NULL/.test(text), 'the onDelete change is not stated from → to with its meaning');
      assert(/\d+\/\d+ ticked\s*·\s*\d+ of \d+ pre-deployment items open/.test(text), `no checklist status:\n${text.slice(0, 800)}`);
      const buttons = await panel.$$eval('.toolbar button', (b) => b.map((x) => x.textContent));
      assert(buttons.includes('Open the checklist') && buttons.includes('Write down.sql'), `buttons: ${buttons.join(', ')}`);
      await screenshot('review');
      await panel.evaluate(() => document.querySelector('table.ondelete')?.scrollIntoView());
      await screenshot('review-foreign-keys-and-statements');
      await panel.click('button[data-action="writeDownSql"]');
      const down = join(workspace, 'prisma', 'migrations', MIGRATION, 'down.sql');
      const sql = await waitFor(() => existsSync(down) && readFileSync(down, 'utf8'), { what: 'down.sql on disk' });
      assert(/ON DELETE RESTRICT/.test(sql) && /prisma migrate resolve --rolled-back 20250527160833/.test(sql), `down.sql:\n${sql}`);
      // "Open the checklist" binds the Checklist view to this folder (it showed another one).
      await panel.click('button[data-action="openChecklist"]');
      await webviewFrame(page, `main.checklist[data-migration="${MIGRATION}"]`, 'the Checklist view bound to the reviewed migration');
      return `buttons: ${buttons.join(', ')}; down.sql ${sql.split('\n').length} lines`;
    },
  },
  {
    name: '[checklist] the review panel at 600 px keeps Rewrites and Findings on screen, and opens no third column from the second group',
    async run({ browser, server, branchWorkspace, assert, screenshotPath }) {
      // Its own window on the branch copy, 1300 px wide: a review beside the editor gets about 600 px.
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const groups = () => page.$$eval('.editor-group-container', (g) => g.length);
      try {
        await openWorkbench(page, server.url, branchWorkspace);
        await openFile(page, `prisma/migrations/${MIGRATION}/migration.sql`);
        await clickStatusBarFor(page, MIGRATION);
        const panel = await webviewFrame(page, `main.review[data-migration="${MIGRATION}"]`, `the review of ${MIGRATION}`);
        const layout = await panel.evaluate(() => {
          const cells = [...document.querySelectorAll('table.statements td[data-label="Rewrites"], table.statements td[data-label="Findings"]')];
          return { width: window.innerWidth, scroll: document.documentElement.scrollWidth, cells: cells.length, outside: cells.filter((c) => c.getBoundingClientRect().right > window.innerWidth + 1).length };
        });
        await panel.evaluate(() => document.querySelector('table.statements')?.scrollIntoView());
        await page.screenshot({ path: screenshotPath('review-600px') });
        assert(layout.width < 760, `the review is ${layout.width} px wide, not a narrow column beside the editor`);
        assert(layout.cells > 0 && layout.outside === 0 && layout.scroll <= layout.width + 1, `at ${layout.width} px: ${layout.outside} of ${layout.cells} Rewrites/Findings cells past the edge, page ${layout.scroll} px wide`);
        assert((await groups()) === 2, `${await groups()} editor groups after the first review`);
        // From the second group: another migration, reviewed by the status bar, opens in the first group.
        const newest = readdirSync(join(branchWorkspace, 'prisma', 'migrations')).filter((n) => /^\d{14}_/.test(n)).sort().at(-1);
        await openFile(page, `prisma/migrations/${newest}/migration.sql`);
        await clickStatusBarFor(page, newest);
        await webviewFrame(page, `main.review[data-migration="${newest}"]`, `the review of ${newest}`);
        assert((await groups()) === 2, `${await groups()} editor groups after reviewing from the second group`);
        return `review ${layout.width} px wide, ${layout.cells} Rewrites/Findings cells inside; 2 editor groups throughout`;
      } catch (e) {
        await page.screenshot({ path: screenshotPath('failed') }).catch(() => undefined); // this window, not the suite's
        throw e;
      } finally {
        await page.close();
      }
    },
  },
  {
    name: '[checklist] after a window reload the review panel comes back, and the Checklist view follows the active editor’s migration',
    async run({ browser, server, branchWorkspace, assert, screenshotPath }) {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      try {
        await openWorkbench(page, server.url, branchWorkspace);
        const newest = readdirSync(join(branchWorkspace, 'prisma', 'migrations')).filter((n) => /^\d{14}_/.test(n)).sort().at(-1);
        // The review of the newest migration, then the older migration's file as the active editor.
        await openFile(page, `prisma/migrations/${newest}/migration.sql`);
        await clickStatusBarFor(page, newest);
        await webviewFrame(page, `main.review[data-migration="${newest}"]`, `the review of ${newest}`);
        await openFile(page, `prisma/migrations/${MIGRATION}/migration.sql`);
        await clickStatusBarFor(page, MIGRATION); // the item follows the active editor: the file is open and analysed
        await webviewFrame(page, `main.review[data-migration="${MIGRATION}"]`, `the review of ${MIGRATION}`);
        await openFile(page, `prisma/migrations/${MIGRATION}/migration.sql`);
        // Reload as a person does, through the workbench: its shutdown saves the open editors and the
        // webview's state before the page goes (a bare page.reload() can outrun that save).
        await runCommand(page, 'Developer: Reload Window');
        await page.waitForEvent('load', { timeout: 60_000 }).catch(() => undefined);
        await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 90_000 });
        // A webview in a tab that is not the active one is restored when a person shows it: click its tab.
        const reviewTab = page.locator('.tabs-container .tab', { hasNotText: 'migration.sql' }).filter({ hasText: new RegExp(`${newest}|${MIGRATION}`) }).first();
        await reviewTab.waitFor({ timeout: 60_000 });
        await reviewTab.click();
        const restored = await waitFor(
          async () => {
            for (const f of page.frames()) {
              const name = await f.evaluate(() => document.querySelector('main.review')?.getAttribute('data-migration') ?? null).catch(() => null);
              if (name) return name;
            }
            return null;
          },
          { what: 'a review panel restored after the reload', timeout: 90_000 },
        );
        await openSidebar(page);
        const checklist = await waitFor(
          async () => {
            for (const f of page.frames()) {
              const name = await f.evaluate(() => document.querySelector('main.checklist')?.getAttribute('data-migration') ?? null).catch(() => null);
              if (name === MIGRATION) return name;
            }
            return null;
          },
          { what: `the Checklist view on ${MIGRATION}, the active editor’s migration, after the reload`, timeout: 60_000 },
        );
        await page.screenshot({ path: screenshotPath('after-reload') });
        assert(restored === MIGRATION || restored === newest, `restored review of ${restored}`);
        return `restored the review of ${restored}; Checklist view on ${checklist}`;
      } catch (e) {
        await page.screenshot({ path: screenshotPath('failed') }).catch(() => undefined); // this window, not the suite's
        throw e;
      } finally {
        await page.close();
      }
    },
  },
];
