// Bundles the CLI and the extension with esbuild (one file each, plus the script of the extension's
// dry-run worker) and ships libpg-query's WASM beside them, and PGlite beside the dry-run worker
// (dist/pglite/). Usage: node scripts/build.mjs [--watch] [--minify]
import { build, context } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

// PGlite in the extension. Its loader finds pglite.wasm, pglite.data and initdb.wasm next to its
// own module, and each contrib module finds its tarball one folder up from itself: bundled, those
// lookups would point at the wrong files. So PGlite ships as its own published files, in its own
// layout, under dist/pglite/ (package.json, LICENSE, dist/index.cjs, the WASM and data files, and
// only the contrib modules the dry run imports, with their tarballs); the bundle keeps
// `@electric-sql/pglite[/contrib/x]` as requires of those files, made only when a dry run starts
// the database. `vsce package --no-dependencies` ships dist/pglite.
//
// The dry run itself (src/core/trace and what it uses) runs in a worker thread whose script is
// dist/trace.js (src/extension/dry-run/trace-worker.ts): dist/extension.js never contains it.
const PGLITE_PACKAGE = dirname(dirname(require.resolve('@electric-sql/pglite')));
const PGLITE_OUT = join(root, 'dist', 'pglite');
const traceApart = {
  name: 'trace-apart',
  setup(b) {
    b.onResolve({ filter: /^(@electric-sql\/pglite|pg)(\/|$)/ }, (a) => ({ errors: [{ text: `${a.path} belongs in dist/trace.js (src/extension/dry-run/trace-worker.ts), not in dist/extension.js` }] }));
  },
};
const pgliteApart = {
  name: 'pglite-apart',
  setup(b) {
    b.onResolve({ filter: /^@electric-sql\/pglite(\/|$)/ }, (a) => ({ errors: [{ text: `${a.path} belongs in dist/trace.js (the dry run), not in dist/live.js` }] }));
  },
};
const pgliteBesideTheBundle = {
  name: 'pglite-beside-the-bundle',
  setup(b) {
    const contrib = new Set();
    b.onResolve({ filter: /^@electric-sql\/pglite(\/contrib\/[\w-]+)?$/ }, (a) => {
      const name = a.path.split('/contrib/')[1];
      if (name) contrib.add(name);
      return { path: name ? `./pglite/dist/contrib/${name}.cjs` : './pglite/dist/index.cjs', external: true };
    });
    b.onEnd((result) => {
      if (!result.errors.length) copyPglite([...contrib].sort());
    });
  },
};

/** PGlite's own files, as published, into dist/pglite/: the engine and the contrib modules `names`. */
function copyPglite(names) {
  rmSync(PGLITE_OUT, { recursive: true, force: true });
  mkdirSync(join(PGLITE_OUT, 'dist', 'contrib'), { recursive: true });
  const copy = (rel) => copyFileSync(join(PGLITE_PACKAGE, rel), join(PGLITE_OUT, rel));
  const { name, version, license } = JSON.parse(readFileSync(join(PGLITE_PACKAGE, 'package.json'), 'utf8'));
  // The version is read by the dry run for its cache key (a new PGlite means a new data format).
  writeFileSync(join(PGLITE_OUT, 'package.json'), `${JSON.stringify({ name, version, license, main: 'dist/index.cjs' }, null, 2)}\n`);
  for (const f of ['LICENSE', 'dist/index.cjs', 'dist/pglite.wasm', 'dist/pglite.data', 'dist/initdb.wasm']) copy(f);
  for (const n of names) {
    copy(`dist/contrib/${n}.cjs`);
    const source = readFileSync(join(PGLITE_PACKAGE, 'dist', 'contrib', `${n}.cjs`), 'utf8');
    const tarballs = [...source.matchAll(/new URL\("\.\.\/([\w.-]+\.tar\.gz)"/g)].map((m) => m[1]);
    if (tarballs.length !== 1) throw new Error(`PGlite contrib module ${n}: expected one "../<name>.tar.gz" in its source, found ${tarballs.length}; see scripts/build.mjs`);
    copy(`dist/${tarballs[0]}`);
  }
}

// The language server (`preflight lsp`) and its protocol library live in dist/lsp.js, required by
// dist/cli.js only when that command runs: every other command starts without parsing them.
const lspApart = {
  name: 'lsp-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/lsp\/lsp-command$/ }, () => ({ path: './lsp.js', external: true }));
  },
};

// What the analysis is built from: every source file and the pinned parser. The persistent cache
// keys its results by it, so a build that analyses differently never reads an older build's
// results, even under the same package version (a developer's build, a prerelease).
function buildId() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else hash.update(`${p.slice(root.length)}\0`).update(readFileSync(p)).update('\0');
    }
  };
  walk(join(root, 'src'));
  hash.update(readFileSync(require.resolve('libpg-query/package.json')));
  return hash.digest('hex').slice(0, 16);
}

const common = {
  plugins: [],
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: true,
  minify,
  logLevel: 'info',
  absWorkingDir: root,
};

const entries = [
  // PGlite finds its WASM and data files next to its own module: it stays a dependency, not bundled.
  { ...common, plugins: [...common.plugins, lspApart], entryPoints: ['src/cli/index.ts'], outfile: 'dist/cli.js', external: ['@electric-sql/pglite', '@electric-sql/pglite/*', 'pg'], define: { 'process.env.PREFLIGHT_BUILD_ID': JSON.stringify(buildId()) } },
  { ...common, entryPoints: ['src/lsp/lsp-command.ts'], outfile: 'dist/lsp.js', external: ['@electric-sql/pglite', '@electric-sql/pglite/*', 'pg'] },
  { ...common, plugins: [...common.plugins, traceApart], entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The dry run's worker, PGlite beside it (see above); `pg` is only for --database-url, which the
  // extension never passes. Dynamic imports become requires: PGlite's files load as CommonJS.
  { ...common, plugins: [...common.plugins, pgliteBesideTheBundle], entryPoints: ['src/extension/dry-run/trace-worker.ts'], outfile: 'dist/trace.js', external: ['pg'], supported: { 'dynamic-import': false } },
  // Live reads (Preflight: Check Against Database…) in a worker of their own, with `pg` bundled
  // (the .vsix has no node_modules); pg-native and pg-cloudflare are optional and never used.
  { ...common, plugins: [...common.plugins, pgliteApart], entryPoints: ['src/extension/live/live-worker.ts'], outfile: 'dist/live.js', external: ['pg-native', 'pg-cloudflare'] },
];

mkdirSync(join(root, 'dist'), { recursive: true });
const wasm = join(dirname(require.resolve('libpg-query')), 'libpg-query.wasm');
copyFileSync(wasm, join(root, 'dist', 'libpg-query.wasm'));

if (watch) {
  for (const e of entries) await (await context(e)).watch();
} else {
  await Promise.all(entries.map((e) => build(e)));
}
await (await import('./build-webview.mjs')).buildWebviews({ watch, minify }); // webview bundles → media/dist/ (checklist view, review panel)
