// `npm run test:integration`: the @vscode/test-cli suite in a real VS Code desktop (extension
// host). Where VS Code cannot be had (no VSCODE_EXECUTABLE and no download, e.g. no internet),
// or Linux has no display and no xvfb-run, it says so and exits 0: the real-UI suite
// (`npm run test:e2e`, code-server + Chromium) covers the extension on such machines.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = path.join(root, '.tmp', 'integration');

function skip(reason) {
  console.log(`[integration] skipped: ${reason}`);
  console.log('[integration] the extension is tested in a real VS Code by `npm run test:e2e` (code-server + Chromium).');
  console.log('0 passed, 0 failed, 1 skipped');
  process.exit(0);
}

// 1. VS Code: given, cached, or downloaded
let executable = process.env.VSCODE_EXECUTABLE;
if (!executable) {
  const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
  try {
    executable = await Promise.race([
      downloadAndUnzipVSCode({ version: 'stable', timeout: 15_000, cachePath: path.join(root, '.tmp', 'vscode-test') }),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 60 s')), 60_000)),
    ]);
  } catch (e) {
    skip(`VS Code could not be downloaded (${String(e?.message ?? e).split('\n')[0]}); set VSCODE_EXECUTABLE to use an installed one`);
  }
}
const needsXvfb = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const hasXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).status === 0;
if (needsXvfb && !hasXvfb) skip('no display and no xvfb-run (apt-get install xvfb)');

// 2. the extension and the tests, bundled
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, ['scripts/build.mjs']);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const { build } = await import('esbuild');
const suite = path.join(root, 'test', 'integration', 'suite');
await build({
  entryPoints: readdirSync(suite).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(suite, f)),
  outdir: path.join(work, 'out'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode', 'mocha'],
  sourcemap: true,
  logLevel: 'warning',
});

// 3. a scratch copy of the example project (the tests edit files)
cpSync(path.join(root, 'examples', 'shop'), path.join(work, 'workspace'), { recursive: true, filter: (s) => !s.includes(`${path.sep}node_modules`) });

// 4. run
const bin = path.join(root, 'node_modules', '.bin', 'vscode-test');
const env = { ...process.env, VSCODE_EXECUTABLE: executable, PREFLIGHT_IT_WORKSPACE: path.join(work, 'workspace') };
if (!existsSync(bin)) skip('@vscode/test-cli is not installed (npm ci)');
if (needsXvfb) run('xvfb-run', ['-a', bin, '--config', '.vscode-test.mjs'], { env });
else run(bin, ['--config', '.vscode-test.mjs'], { env });
