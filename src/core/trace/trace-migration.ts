/**
 * `traceMigration`: the dry run. Replays migrations 1..N-1 in a shadow database exactly as the
 * project's Prisma version runs them (cached, so a second run on the same history is warm), then
 * applies migration N the same way and reports what PostgreSQL did per statement: the locks it
 * took, the tables it rewrote, how long it ran, and where it failed.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { executionModeOf } from '../analysis/execution';
import { parseMigrationSql, type ParsedMigration } from '../sql/parse-migration';
import { ensureSqlParser } from '../sql/parser';
import type { ExecutionMode } from '../types';
import { databaseFailureOf, isDatabaseError, type ShadowDatabase } from './engine';
import { extensionsRequested } from './extensions';
import { startPglite } from './pglite-engine';
import { startPostgres } from './postgres-engine';
import { redactSecrets } from './redact';
import { ReplayCache, replayKey } from './replay-cache';
import { runMigration } from './run-migration';
import { insertSampleRows } from './sample-rows';
import type { ReplayFailure, ReplaySummary, TraceMigrationInput, TraceResult } from './types';

export interface TraceOptions {
  /** The project's Prisma version (decides batch or split); null = unknown = batch, the safe reading. */
  prismaVersion: string | null;
  /** Which migration to dry-run (folder name); default the last. Later migrations are ignored. */
  target?: string;
  /** Run on a temporary database of this PostgreSQL server instead of PGlite. */
  databaseUrl?: string;
  /** Insert one synthetic row per table before the traced migration (data-dependent failures). */
  sampleRows?: boolean;
  /** Where replayed histories are kept (PGlite only); default: a shared cache in the OS temp dir. Null: none. */
  cache?: ReplayCache | null;
  onProgress?(message: string): void;
}

/** The installed PGlite's version (part of the cache key: a new PGlite means a new data directory format). */
function pgliteVersion(): string {
  try {
    const main = require.resolve('@electric-sql/pglite');
    return String(JSON.parse(readFileSync(path.join(path.dirname(main), '..', 'package.json'), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

let sharedCache: ReplayCache | null = null;

/** The cache `traceMigration` uses when none is given: memory plus the OS temp directory. */
export function defaultReplayCache(): ReplayCache {
  sharedCache ??= new ReplayCache();
  return sharedCache;
}

interface Prepared {
  name: string;
  file?: string;
  text: string;
  parsed: ParsedMigration;
  execution: ExecutionMode;
}

export async function traceMigration(migrations: readonly TraceMigrationInput[], options: TraceOptions): Promise<TraceResult> {
  const t0 = performance.now();
  await ensureSqlParser();
  const end = options.target === undefined ? migrations.length - 1 : migrations.findIndex((m) => m.name === options.target);
  if (end < 0) throw new Error(options.target === undefined ? 'there is no migration to dry-run' : `no migration named "${options.target}"`);
  const prepared: Prepared[] = migrations.slice(0, end + 1).map((m) => {
    const parsed = parseMigrationSql(m.text);
    return { name: m.name, file: m.file, text: m.text, parsed, execution: executionModeOf(parsed.statements, options.prismaVersion) };
  });
  const history = prepared.slice(0, -1);
  const target = prepared[prepared.length - 1];
  const notices: string[] = [];
  const progress = (m: string) => options.onProgress?.(options.databaseUrl ? redactSecrets(m, options.databaseUrl) : m);

  const wanted = extensionsRequested(prepared.flatMap((p) => p.parsed.statements));
  let db: ShadowDatabase | null = null;
  let replay: ReplaySummary;
  let extensions = { loaded: [] as string[], unsupported: [] as string[] };
  try {
    if (options.databaseUrl) {
      progress('Creating a temporary database');
      db = await startPostgres(options.databaseUrl);
      const r0 = performance.now();
      progress(`Replaying ${history.length} migrations`);
      const failures = await replayHistory(db, history);
      replay = { migrations: history.length, cached: false, durationMs: Math.round(performance.now() - r0), failures };
      extensions = { loaded: wanted, unsupported: [] };
    } else {
      const cache = options.cache === undefined ? defaultReplayCache() : options.cache;
      const key = replayKey(['pglite', pgliteVersion(), wanted.join(','), ...history.flatMap((h) => [h.name, h.execution.mode, h.text])]);
      const r0 = performance.now();
      const hit = cache ? await cache.get(key) : undefined;
      if (hit) {
        progress('Starting the embedded database from the cached history');
        const pg = await startPglite(wanted, hit.dump);
        db = pg;
        extensions = { loaded: pg.extensions.loaded, unsupported: pg.extensions.unsupported };
        replay = { migrations: hit.migrations, cached: true, durationMs: Math.round(performance.now() - r0), failures: hit.failures };
      } else {
        progress('Starting the embedded database');
        const pg = await startPglite(wanted);
        db = pg;
        extensions = { loaded: pg.extensions.loaded, unsupported: pg.extensions.unsupported };
        progress(`Replaying ${history.length} migrations`);
        const failures = await replayHistory(pg, history);
        if (cache) await cache.set(key, { dump: await pg.dump(), failures, migrations: history.length });
        replay = { migrations: history.length, cached: false, durationMs: Math.round(performance.now() - r0), failures };
      }
    }
    for (const name of extensions.unsupported) notices.push(`PGlite does not provide the extension "${name}": statements that need it fail in this dry run (a real PostgreSQL with it installed, --database-url, would run them).`);
    if (replay.failures.length) notices.push(`${replay.failures.length} statement(s) of earlier migrations failed in the replay and were skipped; the shadow database may differ from yours (see replay.failures).`);

    let sampleRows;
    if (options.sampleRows) {
      progress('Inserting one sample row per table');
      sampleRows = await insertSampleRows(db);
    }
    progress(`Dry-running ${target.name}`);
    const run = await runMigration(db, target.parsed, target.execution.mode);
    if (run.engineLost) notices.push(`The embedded database stopped while running ${target.name}: ${run.engineLost}`);
    const serverVersion = run.engineLost ? 'PGlite' : await db.serverVersion().catch(() => 'unknown');
    const result: TraceResult = {
      engine: db.kind,
      serverVersion,
      migration: { name: target.name, ...(target.file ? { file: target.file } : {}) },
      execution: target.execution,
      outcome: run.outcome,
      statements: run.statements,
      replay,
      extensions,
      ...(sampleRows ? { sampleRows } : {}),
      notices,
      totalMs: Math.round(performance.now() - t0),
    };
    return options.databaseUrl ? (JSON.parse(redactSecrets(JSON.stringify(result), options.databaseUrl)) as TraceResult) : result;
  } catch (e) {
    if (options.databaseUrl) {
      const err = new Error(redactSecrets(e instanceof Error ? e.message : String(e), options.databaseUrl));
      throw err;
    }
    throw e;
  } finally {
    await db?.close().catch(() => undefined);
  }
}

/**
 * Replays earlier migrations as Prisma runs them. A migration that fails is retried statement by
 * statement, skipping what fails, so the shadow database comes as close as it can to the one the
 * history really produced (real histories are sometimes patched by hand); each failure is kept.
 */
export async function replayHistory(db: ShadowDatabase, history: readonly { name: string; text: string; parsed: ParsedMigration; execution: ExecutionMode }[]): Promise<ReplayFailure[]> {
  const failures: ReplayFailure[] = [];
  for (const m of history) {
    if (m.execution.mode === 'batch') {
      try {
        await db.exec(m.text);
        continue;
      } catch (e) {
        if (!isDatabaseError(e)) throw e;
        await db.exec('ROLLBACK').catch(() => undefined);
      }
    }
    await replayOneByOne(db, m, failures);
  }
  return failures;
}

async function replayOneByOne(db: ShadowDatabase, m: { name: string; parsed: ParsedMigration }, failures: ReplayFailure[]): Promise<void> {
  for (const st of m.parsed.statements) {
    try {
      await db.exec(st.text);
    } catch (e) {
      if (!isDatabaseError(e)) throw e;
      const f = databaseFailureOf(e);
      failures.push({ migration: m.name, statementIndex: st.index, error: { sqlstate: f.sqlstate, message: f.message } });
      // Leave an aborted transaction block so the next statements can run.
      const aborted = await db.query('SELECT 1').then(() => false, () => true);
      if (aborted) await db.exec('ROLLBACK').catch(() => undefined);
    }
  }
}
