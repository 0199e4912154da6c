/**
 * PGlite (PostgreSQL 18 compiled to WASM) as the shadow database. Loaded on first need: importing
 * this file costs nothing until `startPglite` runs. A started database can be dumped to a tarball
 * and a new one started from that dump in well under a second, which is how replayed histories
 * are cached (see replay-cache.ts).
 */
import type { PGlite } from '@electric-sql/pglite';
import type { ShadowDatabase } from './engine';
import { loadPgliteExtensions, type ExtensionPlan } from './extensions';

export interface PgliteDatabase extends ShadowDatabase {
  readonly kind: 'pglite';
  readonly extensions: ExtensionPlan;
  /** The data directory as a tarball, for the replay cache. */
  dump(): Promise<Blob>;
}

export async function startPglite(extensionNames: readonly string[], fromDump?: Blob): Promise<PgliteDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const extensions = await loadPgliteExtensions(extensionNames);
  const db: PGlite = await PGlite.create({
    extensions: extensions.modules,
    ...(fromDump ? { loadDataDir: fromDump } : {}),
  });
  return {
    kind: 'pglite',
    extensions,
    async exec(sql) {
      await db.exec(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    async serverVersion() {
      const rows = (await db.query<{ v: string }>('SELECT version() AS v')).rows;
      return rows[0]?.v ?? 'PGlite';
    },
    async dump() {
      return (await db.dumpDataDir('none')) as Blob;
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
