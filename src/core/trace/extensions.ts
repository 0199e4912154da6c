/**
 * PostgreSQL extensions in the embedded shadow database. PGlite ships most of contrib as separate
 * modules that must be handed to it at start-up; a history's `CREATE EXTENSION` statements say
 * which ones to load. An extension PGlite does not ship is reported, and the statements that need
 * it fail in the dry run with PostgreSQL's own error, never with a crash.
 */
import type { Extension } from '@electric-sql/pglite';
import { nodeBody, nodeType } from '../pg/ast';
import type { SqlStatement } from '../sql/parse-migration';

type Loader = () => Promise<Extension>;

/** Extension name as `CREATE EXTENSION` spells it → PGlite module (statically listed so bundlers see them). */
const LOADERS: Record<string, Loader> = {
  amcheck: async () => (await import('@electric-sql/pglite/contrib/amcheck')).amcheck,
  bloom: async () => (await import('@electric-sql/pglite/contrib/bloom')).bloom,
  btree_gin: async () => (await import('@electric-sql/pglite/contrib/btree_gin')).btree_gin,
  btree_gist: async () => (await import('@electric-sql/pglite/contrib/btree_gist')).btree_gist,
  citext: async () => (await import('@electric-sql/pglite/contrib/citext')).citext,
  cube: async () => (await import('@electric-sql/pglite/contrib/cube')).cube,
  dict_int: async () => (await import('@electric-sql/pglite/contrib/dict_int')).dict_int,
  dict_xsyn: async () => (await import('@electric-sql/pglite/contrib/dict_xsyn')).dict_xsyn,
  earthdistance: async () => (await import('@electric-sql/pglite/contrib/earthdistance')).earthdistance,
  fuzzystrmatch: async () => (await import('@electric-sql/pglite/contrib/fuzzystrmatch')).fuzzystrmatch,
  hstore: async () => (await import('@electric-sql/pglite/contrib/hstore')).hstore,
  intarray: async () => (await import('@electric-sql/pglite/contrib/intarray')).intarray,
  isn: async () => (await import('@electric-sql/pglite/contrib/isn')).isn,
  lo: async () => (await import('@electric-sql/pglite/contrib/lo')).lo,
  ltree: async () => (await import('@electric-sql/pglite/contrib/ltree')).ltree,
  moddatetime: async () => (await import('@electric-sql/pglite/contrib/moddatetime')).moddatetime,
  pg_trgm: async () => (await import('@electric-sql/pglite/contrib/pg_trgm')).pg_trgm,
  pgcrypto: async () => (await import('@electric-sql/pglite/contrib/pgcrypto')).pgcrypto,
  seg: async () => (await import('@electric-sql/pglite/contrib/seg')).seg,
  tablefunc: async () => (await import('@electric-sql/pglite/contrib/tablefunc')).tablefunc,
  tcn: async () => (await import('@electric-sql/pglite/contrib/tcn')).tcn,
  tsm_system_rows: async () => (await import('@electric-sql/pglite/contrib/tsm_system_rows')).tsm_system_rows,
  tsm_system_time: async () => (await import('@electric-sql/pglite/contrib/tsm_system_time')).tsm_system_time,
  unaccent: async () => (await import('@electric-sql/pglite/contrib/unaccent')).unaccent,
  'uuid-ossp': async () => (await import('@electric-sql/pglite/contrib/uuid_ossp')).uuid_ossp,
};

/** Built into PostgreSQL itself: nothing to load. */
const BUILT_IN = new Set(['plpgsql']);

/** Extension names a set of statements creates, in order of first appearance. */
export function extensionsRequested(statements: readonly SqlStatement[]): string[] {
  const out: string[] = [];
  for (const st of statements) {
    if (nodeType(st.node) !== 'CreateExtensionStmt') continue;
    const name = String(nodeBody(st.node).extname ?? '');
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

export interface ExtensionPlan {
  /** Names PGlite will have available. */
  loaded: string[];
  /** Names PGlite lacks (e.g. `vector` in PGlite 0.5, `pgtap`, `postgis`). */
  unsupported: string[];
  modules: Record<string, Extension>;
}

/** Loads the PGlite modules for the requested extensions; unknown ones are listed as unsupported. */
export async function loadPgliteExtensions(names: readonly string[]): Promise<ExtensionPlan> {
  const plan: ExtensionPlan = { loaded: [], unsupported: [], modules: {} };
  for (const name of names) {
    if (BUILT_IN.has(name)) continue;
    const loader = LOADERS[name];
    if (!loader) {
      plan.unsupported.push(name);
      continue;
    }
    try {
      plan.modules[name.replace(/[^a-z0-9_]/gi, '_')] = await loader();
      plan.loaded.push(name);
    } catch {
      plan.unsupported.push(name);
    }
  }
  return plan;
}

export function isPgliteExtensionAvailable(name: string): boolean {
  return BUILT_IN.has(name) || LOADERS[name] !== undefined;
}
