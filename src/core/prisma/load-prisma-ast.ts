/**
 * Loads `@mrleebo/prisma-ast` on first need, not at activation: importing it builds a parser, and
 * lilconfig searches from the working directory up to the home directory for a `prisma-ast`
 * config (`package.json` key, `.prisma-astrc*`, `prisma-ast.config.js`), requiring any `.js` one
 * it finds. That config only changes the package's default parser, which is not used here.
 *
 * Two things stand between the package and the Node versions we support:
 * - its parser generator, chevrotain 12, calls `Object.groupBy` (Node >= 21) when a parser is
 *   built; Node 20 (this project's CI, VS Code's extension host before Node 22) lacks it, so it
 *   is added here when missing, before the package loads;
 * - chevrotain 12 is ESM-only and its sub-packages (`@chevrotain/utils`, ...) export only an
 *   `import` condition. Node's own `require()` of ESM handles that, and so do our esbuild bundles;
 *   a require hook that compiles ESM to CommonJS (tsx's, which the unit tests run under) cannot
 *   resolve those sub-packages. Then chevrotain's self-contained single-file build is loaded in
 *   its place.
 */
import Module from 'node:module';
import { dirname, join } from 'node:path';
import type * as PrismaAst from '@mrleebo/prisma-ast';

export type PrismaAstModule = typeof PrismaAst;

let loaded: PrismaAstModule | null = null;

export function loadPrismaAst(): PrismaAstModule {
  if (loaded) return loaded;
  addObjectGroupBy();
  try {
    loaded = require('@mrleebo/prisma-ast') as PrismaAstModule;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw e;
    preloadChevrotainBundle();
    loaded = require('@mrleebo/prisma-ast') as PrismaAstModule;
  }
  return loaded;
}

function addObjectGroupBy(): void {
  const object = Object as unknown as { groupBy?: unknown };
  if (typeof object.groupBy === 'function') return;
  Object.defineProperty(Object, 'groupBy', {
    configurable: true,
    writable: true,
    value: <T, K extends PropertyKey>(items: Iterable<T>, keyOf: (item: T, index: number) => K): Partial<Record<K, T[]>> => {
      const groups = Object.create(null) as Partial<Record<K, T[]>>;
      let index = 0;
      for (const item of items) (groups[keyOf(item, index++)] ??= []).push(item);
      return groups;
    },
  });
}

/** Puts chevrotain's single-file build (`lib/chevrotain.mjs`, no imports) where `require('chevrotain')` finds it. */
function preloadChevrotainBundle(): void {
  const requireFromHere = Module.createRequire(__filename);
  const requireFromPrismaAst = Module.createRequire(requireFromHere.resolve('@mrleebo/prisma-ast'));
  const entry = requireFromPrismaAst.resolve('chevrotain');
  const bundle: unknown = requireFromPrismaAst(join(dirname(entry), '..', 'chevrotain.mjs'));
  const cached = new Module(entry);
  cached.filename = entry;
  cached.loaded = true;
  cached.exports = bundle;
  requireFromHere.cache[entry] = cached;
}
