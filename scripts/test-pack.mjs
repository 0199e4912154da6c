// The npm package as a user installs it: `npm pack` (prepack builds the bundles), then, in an empty
// project in a temporary folder, `npm i ./preflight-prisma-<version>.tgz`, and the installed bins run
// on a copy of examples/shop: `preflight check` reviews it (exit 1, findings), `check --help` prints
// check's options, `preflight trace` dry-runs it on PGlite, `preflight-prisma` is the same CLI
// (what `npx preflight-prisma` runs). Also asserts what the tarball holds and leaves out.
// Usage: npm run test:pack [-- --keep]   (run by .ci/run; too slow for npm test)
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'preflight-pack-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function du(dir) {
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    bytes += e.isDirectory() ? du(p) : statSync(p).size;
  }
  return bytes;
}

/** Runs a bin of the installed package in the project; its exit code, stdout and stderr. */
function bin(project, name, args) {
  const r = spawnSync(join(project, 'node_modules', '.bin', name), args, { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

try {
  const [packed] = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  const files = packed.files.map((f) => f.path).sort();
  for (const f of ['dist/cli.js', 'dist/lsp.js', 'dist/libpg-query.wasm', 'LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'docs/rules/drop-column.md', 'config.schema.json']) assert.ok(files.includes(f), `${f} missing from the tarball`);
  const stray = files.filter((f) => /^(src|test|scripts|examples|node_modules|media)\/|\.map$|^dist\/(extension|trace)\.js$|^dist\/pglite\//.test(f));
  assert.deepEqual(stray, [], 'sources, tests, source maps or extension files in the npm tarball');

  const project = join(work, 'app');
  cpSync(join(root, 'examples', 'shop'), join(project, 'shop'), { recursive: true });
  writeFileSync(join(project, 'package.json'), '{ "name": "app", "private": true }\n');
  execFileSync(npm, ['install', '--no-audit', '--no-fund', join(work, packed.filename)], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });

  const check = bin(project, 'preflight', ['check', 'shop']);
  assert.equal(check.code, 1, `preflight check shop: exit ${check.code}\n${check.stderr}`);
  assert.match(check.stdout, /\d+ errors?, \d+ warnings?, \d+ infos? in 8 migrations/);
  assert.match(check.stdout, /drop-column|add-required-column/);

  const help = bin(project, 'preflight', ['check', '--help']);
  assert.equal(help.code, 0, help.stderr);
  for (const o of ['--format', '--since', '--prisma-version', '--fail-on', '--output-file']) assert.ok(help.stdout.includes(o), `preflight check --help lacks ${o}`);

  // The language server (dist/lsp.js, loaded only by `preflight lsp`): initialize, then shutdown and exit.
  const frame = (msg) => { const body = JSON.stringify({ jsonrpc: '2.0', ...msg }); return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`; };
  const lsp = spawnSync(join(project, 'node_modules', '.bin', 'preflight'), ['lsp', '--stdio'], {
    cwd: project,
    encoding: 'utf8',
    timeout: 30_000,
    input: frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }) + frame({ id: 2, method: 'shutdown' }) + frame({ method: 'exit' }),
  });
  assert.equal(lsp.status, 0, `preflight lsp --stdio: exit ${lsp.status}\n${lsp.stderr}`);
  assert.match(lsp.stdout, /"id":1,"result":\{"capabilities":\{[^]*"hoverProvider":true/, `preflight lsp --stdio answered:\n${lsp.stdout.slice(0, 500)}`);

  const trace = bin(project, 'preflight', ['trace', 'shop', '--format', 'json']);
  // The example's newest migration runs CREATE INDEX CONCURRENTLY inside Prisma 7.3's one batch: it fails (exit 1).
  assert.equal(trace.code, 1, `preflight trace shop: exit ${trace.code}\n${trace.stderr}`);
  const report = JSON.parse(trace.stdout);
  assert.deepEqual([report.engine, report.migration.name, report.outcome], ['pglite', '20251208101530_add_product_barcode', 'failed']);

  const alias = bin(project, 'preflight-prisma', ['--version']);
  assert.equal(alias.code, 0, alias.stderr);
  assert.equal(alias.stdout.trim(), JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json").version)'], { cwd: root, encoding: 'utf8' })));

  const kb = (n) => `${Math.round(n / 1000).toLocaleString('en-US')} kB`;
  process.stdout.write(
    `npm package ok: ${packed.filename}, ${packed.entryCount} files, ${kb(packed.size)} packed, ${kb(packed.unpackedSize)} unpacked; ` +
      `node_modules of an empty project after install: ${kb(du(join(project, 'node_modules')))}\n`,
  );
} finally {
  if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
  else process.stdout.write(`kept ${work}\n`);
}
