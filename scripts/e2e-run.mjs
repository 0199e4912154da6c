// `npm run test:e2e`: the real-UI suite. Builds and packages the extension, installs the .vsix
// into code-server (VS Code in the browser) with throw-away profile folders, opens a copy of
// examples/shop in Debian's Chromium through playwright-core, and runs test/e2e/extension.e2e.mjs.
// Screenshots and logs go to test-results/e2e/. The last line is "N passed, N failed".
// Needs `bash scripts/e2e-setup.sh` once per machine. Options: --no-build, --grep <text>.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : null;
// PREFLIGHT_E2E_RESULTS: another folder, so that two runs on one machine do not clobber each other.
const results = path.resolve(root, process.env.PREFLIGHT_E2E_RESULTS ?? path.join('test-results', 'e2e'));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// A guard against a hang, not a time limit on the tests: a loaded 2-core machine needs more than 9 minutes.
const SUITE_TIMEOUT_MS = 20 * 60_000;

function say(msg) {
  console.log(`[e2e] ${msg}`);
}

function finish(passed, failed) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

const { findCodeServer, startCodeServer, toolsDir } = await import('../test/e2e/code-server.mjs');
const { tests, ADDED_MIGRATIONS, BRANCH_MIGRATIONS, E2E_CONFIG } = await import('../test/e2e/extension.e2e.mjs');
tests.push(...(await import('../test/e2e/checklist.e2e.mjs')).tests); // the checklist sidebar and review panel
tests.push(...(await import('../test/e2e/live.e2e.mjs')).tests); // Check Against Database… (a PostgreSQL cluster of its own)

if (!existsSync(CHROMIUM) || !findCodeServer()) {
  say(`missing ${!existsSync(CHROMIUM) ? CHROMIUM : `code-server in ${toolsDir()}`}: run \`bash scripts/e2e-setup.sh\` first`);
  finish(0, 1);
}

rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

// 1. the .vsix, as users get it (`npm run package` writes preflight.vsix; --no-build reuses it)
const tmp = mkdtempSync(path.join(os.tmpdir(), 'preflight-e2e-'));
let vsix = path.join(root, 'preflight.vsix');
if (!args.includes('--no-build')) {
  say('npm run package');
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(r.stdout, r.stderr);
    say('packaging failed');
    finish(0, 1);
  }
}
if (!existsSync(vsix)) {
  say(`${vsix} does not exist: run without --no-build`);
  finish(0, 1);
}
copyFileSync(vsix, path.join(tmp, 'preflight.vsix')); // a later `npm run package` must not change it under us
vsix = path.join(tmp, 'preflight.vsix');
say(`packaged preflight.vsix (${Math.round(statSync(vsix).size / 1024)} KB)`);

// 2. a copy of the example project, plus the migrations the suite adds
const workspace = path.join(tmp, 'shop');
const example = path.join(root, 'examples', 'shop');
if (!existsSync(path.join(example, 'prisma', 'migrations'))) {
  say(`${example} has no prisma/migrations`);
  finish(0, 1);
}
cpSync(example, workspace, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
// A config file both the CLI and the extension must honour (a rule off, a severity changed).
writeFileSync(path.join(workspace, 'preflight.config.json'), `${JSON.stringify(E2E_CONFIG, null, 2)}\n`);
// Without git the Problems panel covers the newest migration only; "all" is one setting away, and
// this copy sets it, so the panel can be compared with the CLI for every migration.
mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
writeFileSync(path.join(workspace, '.vscode', 'settings.json'), `${JSON.stringify({ 'preflight.problems.scope': 'all' }, null, 2)}\n`);
for (const [name, sql] of Object.entries(ADDED_MIGRATIONS)) {
  mkdirSync(path.join(workspace, 'prisma', 'migrations', name), { recursive: true });
  writeFileSync(path.join(workspace, 'prisma', 'migrations', name, 'migration.sql'), sql);
}

// A git repository whose branch adds one migration: the Problems panel covers only that one.
const branchWorkspace = path.join(tmp, 'shop-on-a-branch');
cpSync(example, branchWorkspace, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
const git = (...a) => execFileSync('git', ['-c', 'user.name=Preflight E2E', '-c', 'user.email=e2e@preflight.invalid', '-c', 'commit.gpgsign=false', ...a], { cwd: branchWorkspace, stdio: 'pipe' });
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'history');
git('checkout', '-q', '-b', 'feature');
for (const [name, sql] of Object.entries(BRANCH_MIGRATIONS)) {
  mkdirSync(path.join(branchWorkspace, 'prisma', 'migrations', name), { recursive: true });
  writeFileSync(path.join(branchWorkspace, 'prisma', 'migrations', name, 'migration.sql'), sql);
}
git('add', '-A');
git('commit', '-q', '-m', 'feature migration');

// 3. what the CLI reports for the same files (the extension must agree)
const cli = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'src', 'cli', 'index.ts'), 'check', '.', '--format', 'json'], { cwd: workspace, encoding: 'utf8' });
let expected;
try {
  expected = JSON.parse(cli.stdout).findings.map((f) => ({ path: f.file, line: f.start.line, rule: f.rule, severity: f.severity }));
} catch {
  say(`the CLI did not produce JSON (exit ${cli.status}):\n${cli.stdout}\n${cli.stderr}`);
  finish(0, 1);
}
writeFileSync(path.join(results, 'cli-findings.json'), JSON.stringify(expected, null, 2));
say(`CLI: ${expected.length} findings in ${new Set(expected.map((e) => e.path)).size} files`);

const ruleIds = JSON.parse(spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'test', 'e2e', 'rule-ids.ts')], { cwd: root, encoding: 'utf8' }).stdout || '[]');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

// 4. code-server and the browser
const settings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'editor.hover.delay': 200,
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
};
let server;
let browser;
let passed = 0;
let failed = 0;
const watchdog = setTimeout(() => {
  say(`suite exceeded ${SUITE_TIMEOUT_MS / 60000} minutes`);
  server?.stop();
  finish(passed, failed + 1);
}, SUITE_TIMEOUT_MS);
try {
  server = await startCodeServer({ root: tmp, vsix, settings, logFile: path.join(results, 'code-server.log') });
  say(`code-server at ${server.url}`);
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const { openWorkbench } = await import('../test/e2e/workbench.mjs');
  const started = Date.now();
  await openWorkbench(page, server.url, workspace);
  say(`workbench open in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await page.screenshot({ path: path.join(results, '00-workbench.png') });

  let n = 0;
  for (const test of tests) {
    if (grep && !grep.split('|').some((g) => test.name.includes(g))) continue;
    n++;
    const slug = `${String(n).padStart(2, '0')}-${test.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60).replace(/-$/, '')}`;
    const assert = (ok, message) => {
      if (!ok) throw new Error(message);
    };
    const screenshotPath = (label) => path.join(results, `${slug}-${label}.png`);
    const screenshot = (label) => page.screenshot({ path: screenshotPath(label) });
    const t0 = Date.now();
    try {
      /** A second code-server that asks whether to trust the folder (for restricted-mode tests). */
      const startRestrictedServer = async () => {
        const dir = mkdtempSync(path.join(tmp, 'restricted-'));
        return startCodeServer({ root: dir, vsix, settings: { ...settings, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'always' }, logFile: path.join(results, 'code-server-restricted.log'), workspaceTrust: true });
      };
      const note = await test.run({ page, browser, server, expected, assert, screenshot, screenshotPath, workspace, branchWorkspace, ruleIds, manifest, root, startRestrictedServer });
      passed++;
      say(`✔ ${test.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${note ? `\n      ${note}` : ''}`);
    } catch (e) {
      failed++;
      say(`✘ ${test.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n      ${String(e?.message ?? e).replace(/\n/g, '\n      ')}`);
    }
    await page.screenshot({ path: path.join(results, `${slug}.png`) }).catch(() => {});
  }
} catch (e) {
  failed++;
  say(`suite could not run: ${e?.stack ?? e}`);
} finally {
  clearTimeout(watchdog);
  await browser?.close().catch(() => {});
  server?.stop();
  collectLogs(tmp);
  rmSync(tmp, { recursive: true, force: true });
}
finish(passed, failed);

/** The extension host's and Preflight's own logs, next to the screenshots. */
function collectLogs(dir) {
  const logs = path.join(dir, 'user-data', 'logs');
  if (!existsSync(logs)) return;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost|Preflight|remoteagent/i.test(p)) {
        mkdirSync(path.join(results, 'logs'), { recursive: true });
        copyFileSync(p, path.join(results, 'logs', path.relative(logs, p).replace(/[\\/]/g, '__')));
      }
    }
  };
  walk(logs);
}
