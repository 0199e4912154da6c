// Child process of `npm run bench`: loads a built dist/extension.js with a stub `vscode` module
// and times module load to `activate()` returned. Prints one JSON line:
//   {"loadMs": ..., "activateMs": ..., "totalMs": ...}
// Usage: node scripts/bench-activation.mjs <path to extension.js>
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';

const extensionFile = path.resolve(process.argv[2] ?? 'dist/extension.js');

/**
 * A `vscode` that accepts everything: any property is a callable, constructible stub returning
 * more stubs. Enough for `activate()` to compose its providers and commands; nothing happens.
 */
function stub(name) {
  const target = function () {};
  const assigned = new Map();
  return new Proxy(target, {
    set(_t, key, value) {
      assigned.set(key, value);
      return true;
    },
    get(_t, key) {
      if (assigned.has(key)) return assigned.get(key);
      if (key === 'then') return undefined; // not a thenable: `await stub` resolves at once
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toPrimitive) return () => '';
      if (key === 'toString' || key === 'toJSON') return () => name;
      if (key === 'length') return 0;
      if (key === 'packageJSON') return { version: '0.0.0-bench' };
      if (typeof key === 'symbol') return undefined;
      return stub(`${name}.${key}`);
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}

/**
 * The module object itself must list its exports as own properties: esbuild's `__toESM` copies
 * them (getOwnPropertyNames) into the namespace object `import * as vscode` sees. The names are
 * the top-level exports of @types/vscode.
 */
function vscodeModule() {
  const require = createRequire(import.meta.url);
  const names = new Set(['window', 'workspace', 'languages', 'commands', 'Uri', 'EventEmitter', 'Disposable']);
  try {
    const dts = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
    for (const m of dts.matchAll(/^\texport (?:namespace|class|enum|function|const|let) (\w+)/gm)) names.add(m[1]);
  } catch {
    // the short list above is enough for most bundles
  }
  const module = {};
  for (const n of names) module[n] = stub(`vscode.${n}`);
  return module;
}

const vscode = vscodeModule();
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return vscode;
  return originalLoad.call(this, request, parent, isMain);
};

const require = createRequire(import.meta.url);
const t0 = performance.now();
const extension = require(extensionFile);
const t1 = performance.now();
const api = extension.activate(stub('context'));
const t2 = performance.now();
if (!api || typeof api.idle !== 'function') {
  process.stderr.write('activate() did not return the Preflight API\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0 })}\n`);
process.exit(0);
