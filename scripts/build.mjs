// Bundles the CLI and the extension with esbuild (one file each) and ships libpg-query's WASM
// beside them. Usage: node scripts/build.mjs [--watch] [--minify]
import { build, context } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { libpgQueryGlue } from './libpg-query-glue.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

// @mrleebo/prisma-ast looks for a `prisma-ast` config file from the working directory upwards at
// import time (lilconfig) and would execute a `.js` one found in the user's repository. Our parser
// passes its options explicitly, so the bundles get a lookup that finds nothing and runs nothing.
const noConfigLookup = {
  name: 'no-prisma-ast-config-lookup',
  setup(b) {
    b.onResolve({ filter: /^lilconfig$/ }, () => ({ path: 'lilconfig', namespace: 'preflight-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'preflight-stub' }, () => ({
      contents: 'const none = { search: () => null, load: () => null };\nexports.lilconfigSync = () => none;\nexports.lilconfig = () => ({ search: async () => null, load: async () => null });',
      loader: 'js',
    }));
  },
};

const common = {
  plugins: [noConfigLookup, libpgQueryGlue],
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
  { ...common, entryPoints: ['src/cli/index.ts'], outfile: 'dist/cli.js', external: ['@electric-sql/pglite', '@electric-sql/pglite/*', 'pg'] },
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
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
