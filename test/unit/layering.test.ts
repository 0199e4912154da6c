/**
 * The floors of the code (docs/architecture.md): an import goes to the same floor or one below,
 * never up; the core and the editor layer never import `vscode`. Type-only imports count too:
 * a type that two floors share lives in the lower one.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');

/** Each folder's floor, from the ground up. Folders on one floor may import each other's files. */
const FLOORS: string[][] = [
  ['core/types', 'core/text', 'core/input-error'],
  ['core/sql', 'core/project', 'core/git'],
  ['core/pg'],
  ['core/catalog'],
  ['core/prisma'],
  ['core/facts'],
  ['core/rules'],
  ['core/analysis', 'core/sizes'],
  ['core/checklist', 'core/trace', 'core/live', 'core/cache'],
  ['shared', 'editor', 'webview'],
  ['cli', 'lsp', 'extension'],
];
const floorOf = new Map(FLOORS.flatMap((names, i) => names.map((n) => [n, i] as const)));

function folderOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts[0] === 'core' ? `core/${parts[1].replace(/\.ts$/, '')}` : parts[0];
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?'([^']+)'|require\('([^']+)'\)/g;

describe('layering: imports go down the floors, never up', () => {
  const files = sources(SRC);

  it('every folder of src/ has a floor', () => {
    assert.deepEqual([...new Set(files.map(folderOf))].filter((f) => !floorOf.has(f)).sort(), []);
  });

  it('no import runs up a floor (the facts sit below the rules, the drivers above them)', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const spec = m[1] ?? m[2];
        if (!spec.startsWith('.')) continue;
        const to = folderOf(path.resolve(path.dirname(file), spec));
        if (floorOf.get(to)! > floorOf.get(from)!) upward.push(`${path.relative(SRC, file)} imports ${spec} (${from} → ${to})`);
      }
    }
    assert.deepEqual(upward, []);
  });

  it('src/core, src/editor and src/lsp never import vscode', () => {
    const offending = files.filter((f) => /^(core|editor|lsp)$/.test(folderOf(f).split('/')[0])).filter((f) => /from 'vscode'|require\('vscode'\)/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offending.map((f) => path.relative(SRC, f)), []);
  });
});
