// The real-UI checks of the extension, run by scripts/e2e-run.mjs against code-server with the
// packaged .vsix installed and a copy of examples/shop open. Each test states one behaviour a
// user relies on; `ctx.expected` holds what the CLI reports for the same files.
import { execFileSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tests as dryRunTests } from './dry-run.e2e.mjs';
import { applyQuickFix, webviewFrame, cursorLine, openWorkbench, pickInQuickPick, pickMigration, revertActiveFile, setProblemsFilter, editorText, focusEditorEnd, goToLine, openFile, readProblems, runCommand, showHover, statusBarText, waitFor } from './workbench.mjs';

/** Migrations the suite adds to the copy of the example, as a developer would. */
export const ADDED_MIGRATIONS = {
  // One statement: "Add CONCURRENTLY" is a safe fix here.
  '20990101000000_index_product_name': 'CREATE INDEX "Product_name_idx" ON "Product"("name");\n',
  // A typo in the middle: the valid statements around it must still be reviewed.
  '20990101000100_broken_syntax': 'CREATE INDEX "Sale_created_at_idx" ON "Sale"("created_at");\nALTER TABLEE "Sale" ADD COLUMN "note" TEXT;\nDROP TABLE "Category";\n',
};

/** preflight.config.json of the copy: the CLI and the extension must both apply it. */
export const E2E_CONFIG = { rules: { 'lock-timeout-missing': 'off', 'drop-table': 'warning' } };

/** What a feature branch adds on top of the example's history (committed on branch `feature`). */
export const BRANCH_MIGRATIONS = {
  '20990101000200_index_sale_status': 'CREATE INDEX "Sale_status_idx" ON "Sale"("status");\n',
};

const key = (p) => `${p.path}:${p.line}:${p.rule}:${p.severity.toLowerCase()}`;
const shown = (p) => `${p.folder}/${p.file}`;

/** Problems-panel rows against the CLI's findings: what one has and the other lacks. */
function differences(problems, expected) {
  const wanted = new Set(expected.map(key));
  const got = new Set(problems.map((p) => key({ ...p, path: shown(p) })));
  return { missing: [...wanted].filter((k) => !got.has(k)), extra: [...got].filter((k) => !wanted.has(k)) };
}

export const tests = [
  {
    name: 'Problems panel lists what the CLI reports, rule by rule and line by line, for every migration and schema.prisma',
    async run({ page, expected, assert }) {
      const problems = await waitFor(async () => {
        const rows = await readProblems(page);
        return rows.length >= expected.length ? rows : null;
      }, { timeout: 90_000, interval: 1500, what: `${expected.length} Preflight problems` }).catch(async () => readProblems(page));
      const { missing, extra } = differences(problems, expected);
      assert(missing.length === 0 && extra.length === 0, `Problems panel and CLI differ.\nmissing: ${missing.join(', ') || 'none'}\nextra: ${extra.join(', ') || 'none'}`);
      assert(problems.some((p) => p.file === 'schema.prisma'), 'no schema.prisma finding in the Problems panel');
      assert(problems.some((p) => p.rule === 'drop-table' && p.severity === 'Warning'), 'preflight.config.json sets drop-table to warning');
      return `${problems.length} problems, all matching the CLI in rule, line and severity (${new Set(problems.map(shown)).size} files; preflight.config.json: ${JSON.stringify(E2E_CONFIG.rules)})`;
    },
  },
  {
    name: 'a file with a syntax error still shows diagnostics for its valid statements',
    async run({ page, assert }) {
      const rows = (await readProblems(page)).filter((p) => p.folder.endsWith('20990101000100_broken_syntax'));
      const at = rows.map((p) => `${p.line}:${p.rule}`).sort();
      assert(at.includes('2:parse-error'), `no parse-error on line 2: ${at.join(', ')}`);
      assert(at.includes('3:drop-table'), `no drop-table on line 3 after the syntax error: ${at.join(', ')}`);
      assert(at.includes('1:non-concurrent-index'), `no non-concurrent-index on line 1 before the syntax error: ${at.join(', ')}`);
      return at.join(', ');
    },
  },
  {
    name: 'hovering a CREATE INDEX shows the lock in plain words, the table and how the file runs',
    async run({ page, expected, assert, screenshot }) {
      const target = expected.find((p) => p.rule === 'non-concurrent-index' && !p.path.includes('2099')) ?? expected.find((p) => p.rule === 'non-concurrent-index');
      assert(target, 'the CLI reports no non-concurrent-index to hover');
      await openFile(page, target.path);
      await goToLine(page, target.line, 3);
      const text = await showHover(page, { until: /How this file runs/ });
      assert(/SHARE on ["“]?"?\w+/.test(text) || /SHARE on/.test(text), `hover does not name the SHARE lock:\n${text}`);
      // What blocks: the SHARE lock itself, or (in a batch) the stronger lock an earlier statement already holds.
      assert(/blocks inserts, updates and deletes/.test(text) || /already covered by the ACCESS EXCLUSIVE lock taken on line \d+ and held until the migration ends: blocks all reads and writes/.test(text), `hover does not say what the lock blocks:\n${text}`);
      assert(/existed before this migration/.test(text), `hover does not say the table pre-exists:\n${text}`);
      assert(/How this file runs/.test(text) && /batch|on its own/.test(text), `hover does not say how Prisma runs the file:\n${text}`);
      await screenshot('hover');
      await page.keyboard.press('Escape');
      return text.split('\n').find((l) => l.includes('SHARE')) ?? '';
    },
  },
  {
    name: 'hovering onDelete in schema.prisma shows the database action, the schema action and the consequence',
    async run({ page, expected, assert, screenshot, workspace }) {
      const schemaLines = (path) => readFileSync(join(workspace, path), 'utf8').split(/\r?\n/);
      const drift = expected.find((p) => (p.rule === 'prisma-schema-drift' || p.rule === 'prisma-on-delete-change') && /onDelete:/.test(schemaLines(p.path)[p.line - 1] ?? ''));
      assert(drift, 'the CLI reports no schema finding on an onDelete: argument to hover');
      const col = schemaLines(drift.path)[drift.line - 1].indexOf('onDelete:') + 3;
      await openFile(page, drift.path);
      const text = await waitFor(async () => {
        await goToLine(page, drift.line, col);
        const t = await showHover(page, { until: /In the database/ }).catch(() => '');
        if (t) await screenshot('hover');
        await page.keyboard.press('Escape');
        return /In the database/.test(t) ? t : null;
      }, { timeout: 45_000, interval: 1000, what: 'the relation hover' });
      assert(/In this schema/.test(text), `no schema action in the hover:\n${text}`);
      assert(/ON DELETE/.test(text), `no database action in the hover:\n${text}`);
      return text.split('\n').filter((l) => /database|schema|goes/.test(l)).join(' / ');
    },
  },
  {
    name: 'the "Ignore … on this line" quick fix in schema.prisma writes a // preflight-ignore comment and clears that diagnostic only',
    async run({ page, expected, assert, screenshot, workspace }) {
      const lines = readFileSync(join(workspace, 'prisma/schema.prisma'), 'utf8').split(/\r?\n/);
      const drifts = expected.filter((p) => p.rule === 'prisma-schema-drift' && p.path === 'prisma/schema.prisma');
      assert(drifts.length, 'the CLI reports no prisma-schema-drift in schema.prisma');
      const target = drifts[0];
      const at = (line) => (p) => p.rule === 'prisma-schema-drift' && p.file === 'schema.prisma' && p.line === line;
      await openFile(page, 'prisma/schema.prisma');
      await waitFor(async () => (await readProblems(page)).some(at(target.line)), { what: `prisma-schema-drift on line ${target.line} in the Problems panel` });
      await goToLine(page, target.line, lines[target.line - 1].search(/\S/) + 2);
      const offered = await applyQuickFix(page, 'Ignore prisma-schema-drift on this line', screenshot);
      await waitFor(async () => (await editorText(page)).includes('// preflight-ignore prisma-schema-drift\n'), { what: 'the ignore comment in the editor' });
      // The inserted line moves everything below it down by one: the ignored finding is gone, the others are still there.
      await waitFor(async () => {
        const problems = await readProblems(page);
        return !problems.some(at(target.line + 1)) && drifts.slice(1).every((d) => problems.some(at(d.line + 1)));
      }, { what: 'that diagnostic to clear, and only that one' });
      await screenshot('after-schema-ignore');
      await revertActiveFile(page);
      await waitFor(async () => (await readProblems(page)).some(at(target.line)), { what: 'the diagnostic to come back after the revert' });
      return `ignored line ${target.line} of ${drifts.length} drift finding(s); menu: ${offered.join(' | ')}`;
    },
  },
  {
    name: 'the "Add CONCURRENTLY" quick fix changes the text and clears that diagnostic',
    async run({ page, assert, screenshot }) {
      const folder = 'prisma/migrations/20990101000000_index_product_name';
      await openFile(page, `${folder}/migration.sql`);
      await waitFor(async () => (await readProblems(page)).some((p) => p.folder === folder && p.rule === 'non-concurrent-index'), { what: 'non-concurrent-index on the new migration' });
      await goToLine(page, 1, 3);
      const offered = await applyQuickFix(page, 'Add CONCURRENTLY', screenshot);
      await waitFor(async () => (await editorText(page)).includes('CREATE INDEX CONCURRENTLY "Product_name_idx"'), { what: 'CONCURRENTLY in the editor' });
      await waitFor(async () => !(await readProblems(page)).some((p) => p.folder === folder && p.rule === 'non-concurrent-index'), { what: 'the diagnostic to clear' });
      await screenshot('after-quick-fix');
      return `menu: ${offered.join(' | ')}`;
    },
  },
  {
    name: 'typing a DROP TABLE into a migration (unsaved) makes a drop-table diagnostic appear',
    async run({ page, assert }) {
      const folder = 'prisma/migrations/20990101000000_index_product_name';
      await openFile(page, `${folder}/migration.sql`);
      await focusEditorEnd(page);
      await page.keyboard.press('Enter');
      await page.keyboard.type('DROP TABLE "Category";', { delay: 15 });
      const text = await editorText(page);
      assert(text.includes('DROP TABLE "Category";'), `the editor does not hold the typed statement:\n${text}`);
      const row = await waitFor(async () => (await readProblems(page)).find((p) => p.folder === folder && p.rule === 'drop-table'), { what: 'a drop-table problem' });
      const typedLine = await cursorLine(page);
      assert(row.line === typedLine, `drop-table reported on line ${row.line}, the statement is on line ${typedLine}`);
      const status = await statusBarText(page);
      assert(status && /Preflight/.test(status), `no Preflight status bar item (got ${status})`);
      return `${row.severity} ${row.rule} line ${row.line}: ${row.message}; status bar: ${status.replace(/\s+/g, ' ')}`;
    },
  },
  {
    name: 'a -- preflight-ignore comment typed above a statement is highlighted and silences that rule',
    async run({ page, assert, screenshot }) {
      const folder = 'prisma/migrations/20990101000000_index_product_name';
      await openFile(page, `${folder}/migration.sql`);
      const row = await waitFor(async () => (await readProblems(page)).find((p) => p.folder === folder && p.rule === 'drop-table'), { what: 'the drop-table problem typed before' });
      await goToLine(page, row.line, 1);
      await page.keyboard.type('-- preflight-ignore drop-table: the table is unused since release 42', { delay: 10 });
      await page.keyboard.press('Enter');
      await waitFor(async () => !(await readProblems(page)).some((p) => p.folder === folder && p.rule === 'drop-table'), { what: 'drop-table to be silenced' });
      const tokens = await page.$$eval('.editor-group-container.active .monaco-editor .view-line span span', (spans) => spans.map((s) => ({ text: s.textContent, cls: s.className, color: getComputedStyle(s).color })));
      const directive = tokens.find((t) => t.text.trim() === 'preflight-ignore');
      const dash = tokens.find((t) => t.text.trim() === '--');
      assert(directive && dash, `the directive is not a token of its own: ${tokens.map((t) => JSON.stringify(t.text)).join(' ')}`);
      assert(directive.color !== dash.color, `preflight-ignore has the comment's colour (${directive.color})`);
      await screenshot('directive');
      await revertActiveFile(page); // leave the file as the CLI saw it, for the suites that follow
      return `directive colour ${directive.color}, comment colour ${dash.color}`;
    },
  },
  {
    name: 'the unsafe fix moves a CREATE INDEX CONCURRENTLY into a new migration folder right after this one, and opens it; applied again it takes the next free timestamp',
    async run({ page, assert, workspace, screenshot }) {
      const folder = 'prisma/migrations/20990101000100_broken_syntax';
      const dir = join(workspace, 'prisma', 'migrations');
      const moved = () => readdirSync(dir).filter((n) => /^2099010100010[1-9]_/.test(n)).sort();
      const restoreSource = async () => {
        // VS Code saves the files of an edit that also creates files (files.refactoring.autoSave): restore the disk and the editor.
        writeFileSync(join(workspace, folder, 'migration.sql'), ADDED_MIGRATIONS['20990101000100_broken_syntax']);
        await openFile(page, `${folder}/migration.sql`);
        await revertActiveFile(page);
        await waitFor(async () => (await editorText(page)).includes('Sale_created_at_idx'), { what: 'the file to be restored' });
      };
      const applyMove = async (n) => {
        await openFile(page, `${folder}/migration.sql`);
        await waitFor(async () => (await readProblems(page)).some((p) => p.folder === folder && p.rule === 'non-concurrent-index'), { what: 'non-concurrent-index on line 1' });
        await goToLine(page, 1, 3);
        const items = await applyQuickFix(page, 'Add CONCURRENTLY and move', n === 1 ? screenshot : undefined);
        const created = await waitFor(() => (moved().length >= n ? moved()[n - 1] : null), { what: `new migration folder number ${n}` });
        const sql = readFileSync(join(dir, created, 'migration.sql'), 'utf8');
        assert(/^CREATE INDEX CONCURRENTLY "Sale_created_at_idx" ON "Sale"\("created_at"\);/.test(sql), `unexpected SQL in ${created}: ${sql}`);
        // The new migration opens, and a notification says where the statement went.
        await waitFor(async () => (await editorText(page)).includes('CREATE INDEX CONCURRENTLY "Sale_created_at_idx"'), { what: `${created}/migration.sql in the editor` });
        const toast = await waitFor(async () => (await page.$$eval('.notifications-toasts .notification-list-item', (els) => els.map((e) => e.textContent))).find((t) => t.includes(created)), { what: `a notification naming ${created}` });
        return { created, items, toast };
      };
      const first = await applyMove(1);
      // Fixes first (the first preferred), ignore comments after them, documentation last.
      const kind = (t) => (t.startsWith('Ignore') ? 1 : t.startsWith('Show documentation') ? 2 : 0);
      const kinds = first.items.map(kind);
      assert(kinds[0] === 0 && kinds.every((k, i) => i === 0 || k >= kinds[i - 1]), `quick-fix menu order: ${first.items.join(' | ')}`);
      assert(first.created.startsWith('20990101000101_'), `first move went to ${first.created}`);
      await restoreSource();
      const second = await applyMove(2);
      await screenshot('moved-twice');
      assert(second.created.startsWith('20990101000102_'), `second move went to ${second.created}, not the next free second`);
      await waitFor(async () => (await page.$$eval('.explorer-folders-view .monaco-list-row', (rows) => rows.map((r) => r.textContent))).some((t) => t.includes(second.created)), { what: `${second.created} in the Explorer` });
      // Leave the project as the CLI saw it, for the suites that follow.
      await page.keyboard.press('Escape');
      for (const name of moved()) rmSync(join(dir, name), { recursive: true, force: true });
      await runCommand(page, 'View: Close All Editors'); // the tabs of the removed files
      await restoreSource();
      return `menu: ${first.items.slice(0, 3).join(' | ')} …; moved into ${first.created}, then ${second.created}; notification: ${second.toast.trim().slice(0, 120)}`;
    },
  },
  {
    name: 'the walkthrough Get started with Preflight lists what it does, opening a migration, the review, the checklist and the dry run',
    async run({ page, assert, screenshot }) {
      await runCommand(page, 'Welcome: Open Walkthrough...');
      await pickInQuickPick(page, 'Select a walkthrough to open', 'Get started with Preflight').catch(async () => {
        await page.keyboard.type('Get started with Preflight', { delay: 10 });
        await page.keyboard.press('Enter');
      });
      const text = await waitFor(async () => {
        const t = await page.$$eval('.gettingStartedContainer', (els) => els.map((e) => e.innerText).join('\n')).catch(() => '');
        return /Get started with Preflight/.test(t) && /Dry-run a migration/.test(t) ? t : null;
      }, { what: 'the Preflight walkthrough' });
      for (const step of ['What Preflight does', 'Open a migration', 'Review a migration', 'The deployment checklist', 'Dry-run a migration']) assert(text.includes(step), `no step "${step}" in the walkthrough:\n${text.slice(0, 800)}`);
      await page.getByRole('button', { name: /Review a migration/ }).first().click().catch(() => {});
      await page.waitForTimeout(1500);
      await screenshot('walkthrough');
      await runCommand(page, 'View: Close Editor');
      return text.split('\n').filter((l) => /Preflight|migration|checklist/i.test(l)).slice(0, 6).join(' / ');
    },
  },
  {
    name: 'the rule id in the Problems panel opens the rendered, read-only rule documentation',
    async run({ page, assert, screenshot }) {
      await setProblemsFilter(page, 'parse-error');
      const link = page.locator('.markers-panel .monaco-list-row a.monaco-link', { hasText: 'parse-error' }).first();
      await waitFor(async () => (await link.count()) > 0, { what: 'a parse-error code link' });
      const href = await link.getAttribute('href');
      assert(/^preflight-rule:\/parse-error\.preflight-rule$/.test(href ?? ''), `code link points at ${href}`);
      await link.click();
      const frame = await webviewFrame(page, 'main.rule-doc[data-rule="parse-error"] h1', 'the rendered parse-error page');
      const view = await frame.$eval('main.rule-doc', (m) => ({ text: m.innerText, headings: m.querySelectorAll('h1, h2').length, editable: m.querySelectorAll('[contenteditable], textarea, input').length }));
      const tab = await page.$$eval('.tabs-container .tab.active', (t) => t.map((x) => x.textContent).join(' '));
      await screenshot('rule-doc-from-problems');
      await setProblemsFilter(page, '');
      assert(/parse-error/.test(view.text) && view.headings > 1, `the opened page is not the rendered documentation:\n${view.text.slice(0, 200)}`);
      assert(view.editable === 0 && !/\.md\b/.test(tab), `an editable page or a Markdown file opened (tab: ${tab})`);
      await runCommand(page, 'View: Close Editor');
      return `${href} → tab "${tab.trim()}", ${view.headings} headings`;
    },
  },
  {
    name: 'on a git branch the Problems panel covers the migrations the branch adds, plus any migration file that is open',
    async run({ browser, server, branchWorkspace, assert, screenshotPath }) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      try {
        await openWorkbench(page, server.url, branchWorkspace);
        const branchFolder = `prisma/migrations/${Object.keys(BRANCH_MIGRATIONS)[0]}`;
        const rows = await waitFor(async () => {
          const r = await readProblems(page);
          return r.some((p) => p.folder === branchFolder) ? r : null;
        }, { timeout: 60_000, interval: 1000, what: 'problems of the branch migration' });
        const elsewhere = rows.filter((p) => p.folder.startsWith('prisma/migrations/') && p.folder !== branchFolder);
        assert(elsewhere.length === 0, `problems of migrations the branch did not touch: ${elsewhere.map((p) => `${p.folder}:${p.line}:${p.rule}`).join(', ')}`);
        // The schema's drift was there before the branch (the branch changes neither the relation nor its foreign key): not its finding.
        const drift = rows.filter((p) => p.file === 'schema.prisma');
        assert(drift.length === 0, `drift that predates the branch in the Problems panel: ${drift.map((p) => `${p.line}:${p.rule}`).join(', ')}`);
        const old = 'prisma/migrations/20250527160833_tenant_indexes_and_cash_drawer_set_null';
        await openFile(page, `${old}/migration.sql`);
        await waitFor(async () => (await readProblems(page)).some((p) => p.folder === old), { what: 'diagnostics of the opened old migration' });
        await runCommand(page, 'View: Close Editor');
        await waitFor(async () => !(await readProblems(page)).some((p) => p.folder === old), { what: 'the closed migration to leave the Problems panel' });
        await page.screenshot({ path: screenshotPath('branch-scope') });
        // Editing a migration that is on the default branch (here: on disk, as another editor or a
        // merge would) makes it part of the branch, flagged migration-modified.
        appendFileSync(join(branchWorkspace, old, 'migration.sql'), '-- edited after it was applied\n');
        await waitFor(async () => (await readProblems(page)).some((p) => p.folder === old && p.rule === 'migration-modified'), { what: 'migration-modified on the edited migration' });
        await page.screenshot({ path: screenshotPath('modified') });
        execFileSync('git', ['checkout', '--', `${old}/migration.sql`], { cwd: branchWorkspace });
        const counts = rows.reduce((m, p) => ((m[p.folder] = (m[p.folder] ?? 0) + 1), m), {});
        return Object.entries(counts).map(([f, n]) => `${f}: ${n}`).join(', ');
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'in Restricted Mode the extension still reviews the migrations, without git: the Problems panel covers the newest migration, and the status bar says so',
    async run({ browser, startRestrictedServer, branchWorkspace, assert, screenshotPath }) {
      const newest = `prisma/migrations/${Object.keys(BRANCH_MIGRATIONS).at(-1)}`;
      const restricted = await startRestrictedServer();
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      try {
        await page.goto(`${restricted.url}/?folder=${encodeURIComponent(branchWorkspace)}`);
        await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 90_000 });
        const dontTrust = page.getByRole('button', { name: /No, I don.t trust the authors/ });
        await dontTrust.waitFor({ timeout: 30_000 });
        await page.screenshot({ path: screenshotPath('trust-prompt') });
        await dontTrust.click();
        await waitFor(async () => (await page.$$eval('.statusbar-item, .banner', (els) => els.map((e) => e.textContent).join(' '))).includes('Restricted Mode'), { what: 'Restricted Mode' });
        const rows = await waitFor(async () => {
          const r = await readProblems(page);
          return r.some((p) => p.folder === newest) ? r : null;
        }, { timeout: 60_000, interval: 1000, what: 'problems of the newest migration (no git in Restricted Mode)' });
        const older = rows.filter((p) => p.folder.startsWith('prisma/migrations/') && p.folder !== newest);
        assert(older.length === 0, `without git the Problems panel covers the newest migration only, not: ${[...new Set(older.map((p) => p.folder))].join(', ')}`);
        // The status bar explains the scope, and that "all" is one setting away.
        await page.locator('.statusbar-item', { hasText: 'Preflight' }).first().hover();
        const tip = await waitFor(async () => (await page.$$eval('.monaco-hover, .workbench-hover', (els) => els.map((e) => e.textContent).join(' '))).match(/Problems panel:[^.]*newest migration[^]*problems\.scope/)?.[0], { what: 'the status-bar tooltip explaining the scope' });
        await page.screenshot({ path: screenshotPath('restricted-status-tooltip') });
        await runCommand(page, 'Preflight: Show Output');
        const log = await waitFor(async () => {
          const t = await page.$eval('.output-view .view-lines', (e) => e.innerText.replace(/\u00a0/g, ' ')).catch(() => '');
          return /restricted mode/i.test(t) ? t : null;
        }, { what: 'the restricted-mode note in the Preflight log' });
        await page.screenshot({ path: screenshotPath('restricted') });
        assert(rows.length > 0, 'no problems in Restricted Mode');
        return `${rows.length} problems in ${new Set(rows.map((p) => p.folder)).size} folders; tooltip: ${tip.slice(0, 160)}; log: ${log.split('\n').find((l) => /restricted mode/i.test(l))?.replace(/^\S+ \S+ /, '')}`;
      } finally {
        await page.close();
        restricted.stop();
      }
    },
  },
  {
    name: 'every rule has a severity setting, and the settings show in the Settings editor',
    async run({ page, ruleIds, manifest, assert, screenshot }) {
      const declared = manifest.contributes.configuration.properties['preflight.rules'].properties;
      const missing = ruleIds.filter((id) => !declared[id]);
      assert(ruleIds.length > 0 && missing.length === 0, `rules without a preflight.rules setting: ${missing.join(', ')}`);
      await runCommand(page, 'Preferences: Open Settings (UI)');
      await page.waitForSelector('.settings-editor', { timeout: 20_000 });
      await page.keyboard.type('preflight', { delay: 20 });
      // The list is virtualised: scroll through it, collecting every title shown.
      const seen = new Set();
      const titles = await waitFor(async () => {
        for (const t of await page.$$eval('.settings-editor .setting-item-title', (els) => els.map((e) => e.textContent))) seen.add(t);
        const all = [...seen];
        if (all.some((x) => /Problems.*Scope/i.test(x)) && all.some((x) => /Dry Run.*Sample Rows/i.test(x))) return all;
        await page.locator('.settings-editor .settings-tree-container').first().hover();
        await page.mouse.wheel(0, 300);
        return null;
      }, { what: 'Preflight settings (Problems: Scope, Dry Run: Sample Rows) in the Settings editor', interval: 400 });
      await screenshot('settings');
      await runCommand(page, 'View: Close Editor');
      return `${ruleIds.length} rules; settings shown: ${titles.join(', ')}`;
    },
  },
  {
    name: 'Preflight: Re-analyse Workspace runs again and Preflight: Show Output shows its log',
    async run({ page, expected, assert }) {
      await runCommand(page, 'Preflight: Re-analyse Workspace');
      await runCommand(page, 'Preflight: Show Output');
      const log = await waitFor(async () => {
        const t = await page.$eval('.output-view .view-lines', (e) => e.innerText.replace(/\u00a0/g, ' ')).catch(() => '');
        return /Re-analysing the workspace/.test(t) && /Found 1 Prisma project/.test(t) ? t : null;
      }, { what: 'the Preflight log in the Output panel' });
      let diff = null;
      await waitFor(async () => {
        diff = differences(await readProblems(page), expected);
        return diff.missing.length === 0 && diff.extra.length === 0;
      }, { what: 'the Problems panel to match the CLI again after re-analysing' }).catch(() => {
        assert(false, `after re-analysing, Problems panel and CLI differ.\nmissing: ${diff.missing.join(', ') || 'none'}\nextra: ${diff.extra.join(', ') || 'none'}`);
      });
      return log.split('\n').filter((l) => /Prisma 7|Found|Re-analysing/.test(l)).map((l) => l.replace(/^\S+ \S+ /, '')).join(' / ');
    },
  },
  {
    name: 'Preflight: Review Migration… picks a migration folder and opens its review',
    async run({ page, assert }) {
      await runCommand(page, 'Preflight: Review Migration…');
      await pickMigration(page, '20250527160833');
      // The review is a webview panel (or, without it, a Markdown preview): read whichever frame shows it.
      const frameText = await waitFor(async () => {
        for (const f of page.frames().filter((x) => x !== page.mainFrame())) {
          const t = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
          if (/tenant_indexes_and_cash_drawer_set_null/.test(t) && /non-concurrent-index|SHARE|ACCESS EXCLUSIVE/.test(t)) return t;
        }
        return null;
      }, { timeout: 30_000, what: 'the review of 20250527160833_tenant_indexes_and_cash_drawer_set_null' });
      assert(/batch|on its own|one transaction/i.test(frameText), 'the review does not say how Prisma runs the file');
      return frameText.split('\n').filter(Boolean).slice(0, 3).join(' / ');
    },
  },
  {
    name: 'Preflight: Show Rule Documentation opens the same rendered rule view as the Problems panel link',
    async run({ page }) {
      await runCommand(page, 'Preflight: Show Rule Documentation');
      await pickInQuickPick(page, 'Rule', 'drop-table');
      const t = await waitFor(async () => {
        // Looked up each time: the frame of a page that is still loading can be replaced.
        const frame = await webviewFrame(page, 'main.rule-doc[data-rule="drop-table"] h1', 'the rendered drop-table page');
        const text = await frame.$eval('main.rule-doc', (m) => m.textContent).catch(() => '');
        return /Why is this bad\?/i.test(text) ? text : null;
      }, { timeout: 30_000, what: 'the drop-table documentation' });
      await runCommand(page, 'View: Close Editor');
      return t.split('\n')[0];
    },
  },
];

// `Preflight: Dry-run Migration` (test/e2e/dry-run.e2e.mjs), after the checks above: they compare
// the Problems panel with the CLI, which knows nothing of dry runs.
tests.push(...dryRunTests);
