// The real-UI test of Preflight: Check Against Database… (run by scripts/e2e-run.mjs after the
// others; every test name starts with "[live]"). A PostgreSQL 15 cluster of its own, seeded by
// test/e2e/live-db.ts (tsx), and a project folder of its own opened in the same code-server; the
// URL is typed into the command's input box as a user would. The shop workspace is reopened after.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { openFile, openWorkbench, runCommand, waitFor, webviewFrame } from './workbench.mjs';

/** Starts the seeded database; resolves with what live-db.ts printed and a stop function. */
function startDatabase(root) {
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'test', 'e2e', 'live-db.ts')], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the test database did not start in 90 s: ${err}`)), 90_000);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve({ ...JSON.parse(line), stop: () => child.stdin.end() });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the test database exited (${code}): ${err}`));
    });
  });
}

/** Files under `dir` whose bytes contain `needle` (the URL's password), as relative paths. */
function filesContaining(dir, needle) {
  const found = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && statSync(p).size < 50_000_000 && readFileSync(p).includes(needle)) found.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

/** The Checklist view's frame once it shows live results, and the result of an item (by its id prefix). */
async function checkOf(frame, idPrefix) {
  return frame.evaluate((prefix) => {
    const item = [...document.querySelectorAll('li.item[data-item]')].find((li) => li.getAttribute('data-item').startsWith(prefix));
    const check = item?.querySelector('.live-check');
    return check ? { state: check.getAttribute('data-check-state'), text: check.innerText } : null;
  }, idPrefix);
}

export const tests = [
  {
    name: '[live] Check Against Database…: URL typed once into a hidden input, failing and passing pre-checks in the Checklist view, status in the status bar, the URL in no file',
    async run({ page, server, assert, screenshot, workspace, root }) {
      const db = await startDatabase(root);
      try {
        await openWorkbench(page, server.url, db.project);
        await openFile(page, `prisma/migrations/${db.migration}/migration.sql`);
        await page.waitForTimeout(1500);
        await runCommand(page, 'Preflight: Check Against Database…');
        const input = '.quick-input-widget input[type="password"]';
        await page.waitForSelector(input, { state: 'visible', timeout: 30_000 });
        await page.fill(input, db.url);
        await screenshot('url-hidden');
        await page.keyboard.press('Enter');

        const frame = await webviewFrame(page, '.live-check[data-check-state="failed"]', 'a failed live check in the Checklist view');
        const nulls = await waitFor(() => checkOf(frame, 'pre.nulls.'), { what: 'the NULL check result' });
        const orphans = await waitFor(() => checkOf(frame, 'pre.orphans.'), { what: 'the orphan check result' });
        await frame.evaluate(() => document.querySelector('li.item[data-item^="pre.nulls."]')?.scrollIntoView({ block: 'start' }));
        await page.waitForTimeout(300);
        await screenshot('checklist-results');
        assert(nulls.state === 'failed' && /Failed · observed 5 · expected 0/.test(nulls.text) && /5 rows of "Order" have NULL in "customerId"/.test(nulls.text), `NULL check: ${JSON.stringify(nulls)}`);
        assert(orphans.state === 'passed' && /Passed · observed 0/.test(orphans.text), `orphan check: ${JSON.stringify(orphans)}`);
        const ticked = await frame.evaluate(() => [...document.querySelectorAll('li.item[data-item^="pre.orphans."] input.tick')].every((i) => i.checked));
        assert(ticked, 'the passing check is ticked by Preflight');

        // preflight status: one failed and one pending migration → the status-bar hint.
        const hint = await waitFor(async () => page.$$eval('.statusbar-item', (items) => items.map((i) => i.getAttribute('aria-label') ?? '').find((t) => t.startsWith('Database ')) ?? null), { what: 'the database hint in the status bar' });
        assert(/1 failed migration/.test(hint) && /1 migration not applied yet/.test(hint), `status-bar hint: ${hint}`);

        const file = readFileSync(join(db.project, 'prisma', 'migrations', db.migration, 'preflight-checklist.md'), 'utf8');
        assert(/> Preflight check: failed · observed: 5/.test(file), 'the result is recorded in preflight-checklist.md');
        const leaks = [...filesContaining(db.project, db.password).map((f) => `workspace: ${f}`), ...filesContaining(join(server.userData, 'User'), db.password).filter((f) => !/state\.vscdb/.test(f)).map((f) => `user data: ${f}`), ...filesContaining(join(server.userData, 'logs'), db.password).map((f) => `logs: ${f}`)];
        assert(leaks.length === 0, `the password is written in: ${leaks.join(', ')}`);
        const stored = filesContaining(server.userData, db.password);
        return `password only in: ${stored.join(', ') || 'no file (the browser holds SecretStorage)'}; hint: ${hint}`;
      } finally {
        db.stop();
        await openWorkbench(page, server.url, workspace).catch(() => {});
      }
    },
  },
];
