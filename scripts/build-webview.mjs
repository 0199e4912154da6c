// Bundles the webview scripts (src/webview/*/main.ts) for the browser, one file per view, into
// media/dist/ (shipped in the .vsix by the `!media/**` line of .vscodeignore; not committed).
// Called by scripts/build.mjs with its --watch / --minify flags; runs on its own the same way.
import { build, context } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const WEBVIEW_ENTRIES = {
  checklist: 'src/webview/checklist/main.ts',
  review: 'src/webview/review/main.ts',
};

export async function buildWebviews({ watch = false, minify = false } = {}) {
  const options = {
    entryPoints: WEBVIEW_ENTRIES,
    outdir: 'media/dist',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome114',
    sourcemap: !minify,
    minify,
    logLevel: 'info',
    absWorkingDir: root,
  };
  rmSync(join(root, 'media', 'dist'), { recursive: true, force: true }); // no stale maps in the .vsix
  if (watch) await (await context(options)).watch();
  else await build(options);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWebviews({ watch: process.argv.includes('--watch'), minify: process.argv.includes('--minify') });
}
