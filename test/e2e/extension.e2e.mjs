// The real-UI checks of the extension, run by scripts/e2e-run.mjs against code-server with the
// packaged .vsix installed and a copy of examples/shop open. Each test states one behaviour a
// user relies on; `ctx.expected` holds what the CLI reports for the same files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyQuickFix, cursorLine, editorText, focusEditorEnd, goToLine, openFile, readProblems, runCommand, showHover, statusBarText, waitFor } from './workbench.mjs';

/** Migrations the suite adds to the copy of the example, as a developer would. */
export const ADDED_MIGRATIONS = {
  // One statement: "Add CONCURRENTLY" is a safe fix here.
  '20990101000000_index_product_name': 'CREATE INDEX "Product_name_idx" ON "Product"("name");\n',
  // A typo in the middle: the valid statements around it must still be reviewed.
  '20990101000100_broken_syntax': 'CREATE INDEX "Sale_created_at_idx" ON "Sale"("created_at");\nALTER TABLEE "Sale" ADD COLUMN "note" TEXT;\nDROP TABLE "Category";\n',
};

const key = (p) => `${p.path}:${p.line}:${p.rule}`;
const shown = (p) => `${p.folder}/${p.file}`;

export const tests = [
  {
    name: 'Problems panel lists what the CLI reports, rule by rule and line by line, for every migration and schema.prisma',
    async run({ page, expected, assert }) {
      const wanted = new Set(expected.map(key));
      const problems = await waitFor(async () => {
        const rows = await readProblems(page);
        return rows.length >= expected.length ? rows : null;
      }, { timeout: 90_000, interval: 1500, what: `${expected.length} Preflight problems` }).catch(async () => readProblems(page));
      const got = new Set(problems.map((p) => key({ ...p, path: shown(p) })));
      const missing = [...wanted].filter((k) => !got.has(k));
      const extra = [...got].filter((k) => !wanted.has(k));
      assert(missing.length === 0 && extra.length === 0, `Problems panel and CLI differ.\nmissing: ${missing.join(', ') || 'none'}\nextra: ${extra.join(', ') || 'none'}`);
      assert(problems.some((p) => p.file === 'schema.prisma'), 'no schema.prisma finding in the Problems panel');
      return `${problems.length} problems, all matching the CLI (${new Set(problems.map(shown)).size} files)`;
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
      assert(/blocks inserts, updates and deletes/.test(text), `hover does not say what the lock blocks:\n${text}`);
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
    name: 'Preflight: Review Migration… opens a readable report of the chosen migration',
    async run({ page, assert }) {
      await runCommand(page, 'Preflight: Review Migration…');
      await waitFor(async () => (await page.$$eval('.quick-input-widget .monaco-list-row', (r) => r.length)) > 0, { what: 'the migration quick pick' });
      await page.fill('.quick-input-widget input', '20250527160833');
      await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
      const frameText = await waitFor(async () => {
        for (const f of page.frames()) {
          const t = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
          if (t.includes('Pre-flight review: 20250527160833')) return t;
        }
        return null;
      }, { timeout: 30_000, what: 'the review preview' });
      assert(/How Prisma runs this file/.test(frameText), 'the review does not say how the file runs');
      assert(/non-concurrent-index/.test(frameText), 'the review does not list the findings');
      return frameText.split('\n').slice(0, 3).join(' / ');
    },
  },
  {
    name: 'Preflight: Show Rule Documentation opens the shipped rule page',
    async run({ page }) {
      await runCommand(page, 'Preflight: Show Rule Documentation');
      await waitFor(async () => (await page.$$eval('.quick-input-widget .monaco-list-row', (r) => r.length)) > 0, { what: 'the rule quick pick' });
      await page.fill('.quick-input-widget input', 'drop-table');
      await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
      const t = await waitFor(async () => {
        for (const f of page.frames()) {
          const text = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
          if (/Why is this bad\?/.test(text) && /drop-table/.test(text)) return text;
        }
        return null;
      }, { timeout: 30_000, what: 'the drop-table documentation preview' });
      return t.split('\n')[0];
    },
  },
];
