// The real-UI checks of `Preflight: Dry-run Migration` (PGlite inside the installed .vsix), run by
// scripts/e2e-run.mjs with the extension's own checks, in the same code-server and copy of
// examples/shop. Every test name starts with "[dry run]" (`npm run test:e2e -- --grep "[dry run]"`).
// What is checked is what a user sees: the progress notification, the Problems panel, the hover,
// the review panel's column, the Output channel; and, in Restricted Mode, that there is no dry run.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { editorText, goToLine, openFile, pickMigration, readProblems, revertActiveFile, runCommand, setProblemsFilter, showHover, waitFor, webviewFrame } from './workbench.mjs';

/** examples/shop's newest migration: a column and CREATE INDEX CONCURRENTLY in one file, sent as one batch by Prisma 7.3 (25001). */
const BARCODE = '20251208101530_add_product_barcode';
const BARCODE_FILE = `prisma/migrations/${BARCODE}/migration.sql`;
/** Narrows Sale's decimals (a rewrite) after dropping indexes, all in one batch. */
const TENANT = '20250527160833_tenant_indexes_and_cash_drawer_set_null';

const TOAST = '.notifications-toasts .notification-list-item';

/** The visible notification toasts, as text. */
async function toasts(page) {
  return page.$$eval(TOAST, (items) => items.filter((i) => i.offsetParent !== null).map((i) => i.innerText.replace(/\s+/g, ' ').trim()));
}

/**
 * Waits for the dry run's progress notification of `migration` to appear and then to go away;
 * returns what it said while it ran and the notification that followed it.
 */
async function dryRunProgress(page, migration, screenshot) {
  const shown = await waitFor(async () => (await toasts(page)).find((t) => t.includes(`dry run of ${migration}`)), { what: `the progress notification of the dry run of ${migration}`, timeout: 20_000, interval: 100 });
  if (screenshot) await screenshot('progress');
  await waitFor(async () => !(await toasts(page)).some((t) => t.includes(`dry run of ${migration}`)), { what: 'the progress notification to finish', timeout: 150_000, interval: 250 });
  const outcome = await waitFor(async () => (await toasts(page)).find((t) => t.includes(migration) && /in the dry run/.test(t)), { what: 'the notification with the outcome', timeout: 10_000 });
  return { shown, outcome };
}

async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => {});
  await page.waitForTimeout(200);
}

/** The Output channel's visible text (the Preflight log, scrolled to its end). */
async function outputText(page) {
  await runCommand(page, 'Preflight: Show Output');
  return waitFor(async () => page.$eval('.output-view .view-lines', (e) => e.innerText.replace(/\u00a0/g, ' ')).catch(() => ''), { what: 'the Preflight output' });
}

export const tests = [
  {
    name: '[dry run] from the palette on the newest migration: a progress notification, then a dry-run-error at the CONCURRENTLY statement (SQLSTATE 25001)',
    async run({ page, assert, screenshot }) {
      await clearNotifications(page);
      await openFile(page, BARCODE_FILE);
      const title = await page.$$eval('.editor-group-container.active .editor-actions .action-label', (els) => els.map((e) => e.getAttribute('aria-label') ?? e.getAttribute('title') ?? ''));
      assert(title.some((t) => /Dry-run Migration/.test(t)), `no Dry-run Migration action in the editor title of migration.sql: ${title.join(', ')}`);
      await runCommand(page, 'Preflight: Dry-run Migration');
      const { shown, outcome } = await dryRunProgress(page, BARCODE, screenshot);
      assert(/failed in the dry run at line 5/.test(outcome) && /25001/.test(outcome), `the outcome notification: ${outcome}`);
      const row = await waitFor(async () => (await readProblems(page)).find((p) => p.folder === `prisma/migrations/${BARCODE}` && p.rule === 'dry-run-error'), { what: 'a dry-run-error in the Problems panel' });
      assert(row.line === 5 && row.column === 1, `dry-run-error at ${row.line}:${row.column}, the CREATE INDEX CONCURRENTLY is at 5:1`);
      assert(row.severity === 'Error', `dry-run-error severity ${row.severity}`);
      assert(/SQLSTATE 25001/.test(row.message) && /CREATE INDEX CONCURRENTLY cannot run inside a transaction block/.test(row.message), `message: ${row.message}`);
      const rows = await readProblems(page);
      assert(rows.some((p) => p.folder === `prisma/migrations/${BARCODE}` && p.rule === 'concurrently-in-transaction' && p.line === 5), 'the static concurrently-in-transaction finding is gone: the dry run must not replace it');
      await setProblemsFilter(page, BARCODE);
      await screenshot('problems');
      await setProblemsFilter(page, '');
      return `progress: "${shown}"; then "${outcome}"; Problems: ${row.severity} ${row.rule} line ${row.line}: ${row.message.split('\n')[0]}`;
    },
  },
  {
    name: '[dry run] the hover shows what the dry run observed next to the static claim',
    async run({ page, assert, screenshot }) {
      await openFile(page, BARCODE_FILE);
      await goToLine(page, 2, 3);
      const text = (await showHover(page, { until: /Observed in a dry run/ })).replace(/[\u00a0 ]+/g, ' ');
      assert(/How this file runs/.test(text), `the static part of the hover is missing:\n${text}`);
      assert(/Observed in a dry run \(PGlite, PostgreSQL 18\.\d+\): ACCESS EXCLUSIVE on "Product"; [\d.]+ ms; rolled back when a later statement failed/.test(text), `the observed locks:\n${text}`);
      assert(/static analysis above agrees/.test(text), `static and observed agree here:\n${text}`);
      await screenshot('hover');
      await page.keyboard.press('Escape');
      await goToLine(page, 5, 3);
      const failed = (await showHover(page, { until: /Observed in a dry run/ })).replace(/[\u00a0 ]+/g, ' ');
      assert(/failed with SQLSTATE 25001: CREATE INDEX CONCURRENTLY cannot run inside a transaction block/.test(failed), `the failing statement's hover:\n${failed}`);
      await page.keyboard.press('Escape');
      return text.split('\n').find((l) => l.includes('Observed in a dry run')) ?? '';
    },
  },
  {
    name: '[dry run] an edit clears the dry-run results of the file; the next dry run starts from the cached history and the hover follows it; reverting hides it again',
    async run({ page, assert, screenshot }) {
      await clearNotifications(page);
      await openFile(page, BARCODE_FILE);
      await goToLine(page, 5, 14);
      for (let i = 0; i < 'CONCURRENTLY '.length; i++) await page.keyboard.press('Delete');
      assert((await editorText(page)).includes('CREATE INDEX "Product_barcode_idx"'), `the edit did not happen:\n${await editorText(page)}`);
      await waitFor(async () => !(await readProblems(page)).some((p) => p.rule === 'dry-run-error'), { what: 'the dry-run-error to clear after the edit' });
      await runCommand(page, 'Preflight: Dry-run Migration');
      const { outcome } = await dryRunProgress(page, BARCODE);
      assert(/applied cleanly in the dry run/.test(outcome), `the edited file (unsaved) was not the one dry-run: ${outcome}`);
      const log = await outputText(page);
      assert(/from the cached history/.test(log), `the second dry run replayed the history again:\n${log.slice(-1500)}`);
      assert(!(await readProblems(page)).some((p) => p.rule === 'dry-run-error'), 'a dry-run-error after a clean dry run');
      await openFile(page, BARCODE_FILE);
      await goToLine(page, 5, 3);
      const text = await showHover(page, { until: /Observed in a dry run/ });
      assert(/SHARE on "Product"/.test(text), `the hover does not show the new observation:\n${text}`);
      await page.keyboard.press('Escape');
      await goToLine(page, 2, 3);
      await showHover(page, { until: /Observed in a dry run/ });
      await screenshot('hover-after-edit');
      await page.keyboard.press('Escape');
      await revertActiveFile(page);
      await waitFor(async () => (await editorText(page)).includes('CONCURRENTLY'), { what: 'the file to be reverted' });
      await goToLine(page, 5, 3);
      const after = await showHover(page, { until: /How this file runs/ });
      await page.keyboard.press('Escape');
      assert(!/Observed in a dry run/.test(after), `the hover still shows an observation of a text that is gone:\n${after}`);
      return `${outcome}; log: ${log.split('\n').find((l) => /cached history/.test(l))?.trim()}`;
    },
  },
  {
    name: '[dry run] the review panel’s Dry run button runs it for the panel’s migration and shows the observed column',
    async run({ page, assert, screenshot }) {
      await clearNotifications(page);
      await runCommand(page, 'Preflight: Review Migration…');
      await pickMigration(page, TENANT.slice(0, 14));
      const selector = `main.review[data-migration="${TENANT}"]`;
      const panel = await webviewFrame(page, selector, `the review of ${TENANT}`);
      assert(!(await panel.$('th.observed')), 'an observed column before any dry run of this migration');
      await panel.click('button[data-action="dryRun"]');
      const { outcome } = await dryRunProgress(page, TENANT);
      const cells = await waitFor(async () => {
        const frame = await webviewFrame(page, selector, 'the review panel');
        const got = await frame.$$eval('tr[data-statement] td.observed', (tds) => tds.map((td) => td.textContent.trim())).catch(() => []);
        return got.length && got.some((t) => t !== '—') ? { frame, got } : null;
      }, { what: 'the observed column in the review panel', timeout: 20_000 });
      const { frame } = cells;
      const head = await frame.$$eval('table.statements th', (ths) => ths.map((t) => t.textContent));
      assert(head.includes('Observed in a dry run'), `columns: ${head.join(' | ')}`);
      const rewrite = cells.got.find((t) => /rewrote "Sale"/.test(t));
      assert(rewrite && /SHARE on "Sale"/.test(rewrite), `no observed rewrite of "Sale": ${cells.got.join(' | ')}`);
      const summary = await frame.$eval('section.dry-run', (s) => s.textContent);
      assert(/Dry run on PGlite, PostgreSQL 18\.\d+: applied cleanly/.test(summary), `the dry-run section: ${summary}`);
      const banner = await frame.$eval('.head .banner', (b) => b.textContent).catch(() => '');
      assert(/applied cleanly in the dry run/.test(banner), `the panel does not say how the dry run it started ended: ${banner}`);
      await screenshot('review-panel-dry-run');
      // Wide enough for every column of the panel (it shares the editor area with migration.sql).
      const viewport = page.viewportSize();
      await page.setViewportSize({ width: 2800, height: viewport?.height ?? 1000 });
      await page.waitForTimeout(500);
      await (await webviewFrame(page, selector, 'the review panel')).evaluate(() => document.querySelector('section.dry-run')?.scrollIntoView());
      await screenshot('review-panel-observed-column');
      if (viewport) await page.setViewportSize(viewport);
      return `${outcome}; ${cells.got.length} statements, e.g. "${rewrite}"`;
    },
  },
  {
    name: '[dry run] Cancel on the progress notification ends the run at once (its worker thread) and nothing of it is shown',
    async run({ page, assert }) {
      const M = '20250916112205_remove_customer_loyalty_points'; // its history is not cached yet: a cold run of a few seconds
      await clearNotifications(page);
      await openFile(page, `prisma/migrations/${M}/migration.sql`);
      await runCommand(page, 'Preflight: Dry-run Migration');
      const toast = page.locator(TOAST, { hasText: `dry run of ${M}` }).first();
      await toast.waitFor({ state: 'visible', timeout: 20_000 });
      await toast.hover();
      await toast.getByRole('button', { name: 'Cancel' }).click();
      await waitFor(async () => !(await toasts(page)).some((t) => t.includes(`dry run of ${M}`)), { what: 'the progress notification to go away on Cancel', timeout: 5000 });
      const log = await waitFor(async () => {
        const t = await outputText(page);
        return new RegExp(`Dry run of ${M} cancelled`).test(t) ? t : null;
      }, { what: 'the cancellation in the Preflight log', timeout: 20_000, interval: 1000 });
      assert(!(await toasts(page)).some((t) => t.includes(M) && /in the dry run/.test(t)), 'an outcome notification for a cancelled dry run');
      await openFile(page, `prisma/migrations/${M}/migration.sql`);
      await goToLine(page, 8, 3);
      const hover = await showHover(page, { until: /How this file runs/ });
      await page.keyboard.press('Escape');
      assert(!/Observed in a dry run/.test(hover), `the hover shows the result of a cancelled dry run:\n${hover}`);
      return log.split('\n').filter((l) => l.includes(M) && /cancel|discarded/i.test(l)).map((l) => l.replace(/^\S+ \S+ /, '')).join(' / ');
    },
  },
  {
    name: '[dry run] statements of earlier migrations that fail in the replay go to the output channel and a warning',
    async run({ page, assert, workspace, screenshot }) {
      // After the suite's 20990101000100_broken_syntax (a typo, and a DROP TABLE of a referenced table).
      const M = '20990101000300_after_broken';
      const dir = join(workspace, 'prisma', 'migrations', M);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'migration.sql'), 'ALTER TABLE "Sale" ADD COLUMN "note" TEXT;\n');
      try {
        await clearNotifications(page);
        await openFile(page, `prisma/migrations/${M}/migration.sql`);
        await runCommand(page, 'Preflight: Dry-run Migration');
        const { outcome } = await dryRunProgress(page, M);
        const warning = await waitFor(async () => (await toasts(page)).find((t) => /earlier migrations failed when the dry run replayed them/.test(t)), { what: 'the warning about the replay', timeout: 10_000 });
        await screenshot('replay-warning');
        const log = await outputText(page);
        assert(/20990101000100_broken_syntax statement 2: SQLSTATE 42601/.test(log), `the failing statement of the earlier migration is not in the log:\n${log.slice(-2000)}`);
        assert(/applied cleanly in the dry run/.test(outcome), `the migration itself: ${outcome}`);
        return `${warning}; log: ${log.split('\n').find((l) => /broken_syntax statement 2/.test(l))?.trim()}`;
      } finally {
        await runCommand(page, 'View: Close Editor').catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: '[dry run] in Restricted Mode there is no dry run: not in the palette, the editor title or the review panel',
    async run({ browser, startRestrictedServer, branchWorkspace, assert, screenshotPath }) {
      const restricted = await startRestrictedServer();
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      try {
        await page.goto(`${restricted.url}/?folder=${encodeURIComponent(branchWorkspace)}`);
        await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 90_000 });
        const dontTrust = page.getByRole('button', { name: /No, I don.t trust the authors/ });
        await dontTrust.waitFor({ timeout: 30_000 });
        await dontTrust.click();
        await waitFor(async () => (await page.$$eval('.statusbar-item, .banner', (els) => els.map((e) => e.textContent).join(' '))).includes('Restricted Mode'), { what: 'Restricted Mode' });
        await waitFor(async () => (await readProblems(page)).length > 0, { what: 'the static analysis in Restricted Mode', timeout: 60_000 });
        await openFile(page, BARCODE_FILE);
        const title = await page.$$eval('.editor-group-container.active .editor-actions .action-label', (els) => els.map((e) => e.getAttribute('aria-label') ?? e.getAttribute('title') ?? ''));
        assert(title.some((t) => /Review Migration/.test(t)), `the editor title has no Preflight action at all: ${title.join(', ')}`);
        assert(!title.some((t) => /Dry-run Migration/.test(t)), `Dry-run Migration in the editor title in Restricted Mode: ${title.join(', ')}`);
        await page.keyboard.press('F1');
        await page.fill('.quick-input-widget input', '>Preflight: ');
        const commands = await waitFor(async () => {
          const rows = await page.$$eval('.quick-input-widget .monaco-list-row', (r) => r.map((x) => x.textContent));
          return rows.some((r) => /Review Migration/.test(r)) ? rows : null;
        }, { what: 'Preflight commands in the palette' });
        assert(!commands.some((r) => /Dry-run/.test(r)), `Dry-run Migration in the palette in Restricted Mode: ${commands.join(' | ')}`);
        await page.keyboard.press('Escape');
        await page.keyboard.press('F1');
        await page.fill('.quick-input-widget input', '>Preflight: Review Migration');
        await page.waitForTimeout(300);
        await page.keyboard.press('Enter');
        await pickMigration(page, BARCODE.slice(0, 14));
        const panel = await webviewFrame(page, `main.review[data-migration="${BARCODE}"]`, 'the review panel in Restricted Mode');
        const buttons = await panel.$$eval('.toolbar button', (b) => b.map((x) => x.textContent));
        await page.screenshot({ path: screenshotPath('restricted') });
        assert(buttons.includes('Open the checklist') && !buttons.includes('Dry run'), `review panel buttons in Restricted Mode: ${buttons.join(', ')}`);
        return `palette: ${commands.length} Preflight commands, no dry run; editor title: ${title.filter(Boolean).join(', ')}; review buttons: ${buttons.join(', ')}`;
      } finally {
        await page.close();
        restricted.stop();
      }
    },
  },
];
