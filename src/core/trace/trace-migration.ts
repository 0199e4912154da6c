/**
 * `traceMigration`: the dry run. Replays migrations 1..N-1 in a shadow database exactly as the
 * project's Prisma version runs them (cached, so a second run on the same history is warm), then
 * applies migration N the same way and reports what PostgreSQL did per statement: the locks it
 * took, the tables it rewrote, how long it ran, and where it failed.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../input-error';
import * as path from 'node:path';
import { executionModeOf } from '../facts/execution';
import { parseMigrationSql, type ParsedMigration } from '../sql/parse-migration';
import { ensureSqlParser } from '../sql/parser';
import type { ExecutionMode } from '../types';
import { databaseFailureOf, isDatabaseError, type ShadowDatabase } from './engine';
import { extensionsRequested } from './extensions';
import { startPglite } from './pglite-engine';
import { startPostgres, type PostgresDatabase } from './postgres-engine';
import { redactSecrets } from './redact';
import { outsideVerdict } from './cluster-statements';
import type { ServerTimeouts } from './server-connection';
import { ReplayCache, replayKey } from './replay-cache';
import { runMigration } from './run-migration';
import { insertSampleRows } from './sample-rows';
import type { ReplayFailure, ReplayGuardNote, ReplaySummary, TraceMigrationInput, TraceResult } from './types';
import { plural } from '../text/plural';

export interface TraceOptions {
  /** The project's Prisma version (decides batch or split); null = unknown = batch, the safe reading. */
  prismaVersion: string | null;
  /** Which migration to dry-run (folder name); default the last. Later migrations are ignored. */
  target?: string;
  /**
   * Run on a temporary database of this PostgreSQL server (a disposable shadow server) instead of
   * PGlite. Statements that act outside that database are never sent (docs/dry-run.md).
   */
  shadowDatabaseUrl?: string;
  /** Connect and statement timeouts on the server (default 10 s and 60 s). */
  timeouts?: ServerTimeouts;
  /** Aborting cancels the running statement and ends the run (it throws `TraceInterrupted`); the temporary database is dropped. */
  signal?: AbortSignal;
  /** Things to say on stderr that are not part of the report (stale databases dropped). */
  onWarning?(message: string): void;
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

/** Thrown when `signal` aborted the run; the temporary database was dropped (or `leftover` says what stayed). */
export class TraceInterrupted extends Error {
  constructor(readonly leftover: string | null) {
    super(leftover ? `the dry run was interrupted; ${leftover}` : 'the dry run was interrupted');
  }
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
  const withNul = prepared.find((p) => p.parsed.nulOffset !== null);
  if (withNul) {
    const at = withNul.parsed.lines.positionAt(withNul.parsed.nulOffset!);
    throw new InputError(`${withNul.file ?? withNul.name}:${at.line}:${at.column}: a NUL byte; PostgreSQL never executes the text after it, so the dry run does not start (nul-byte)`);
  }
  const history = prepared.slice(0, -1);
  const target = prepared[prepared.length - 1];
  const notices: string[] = [];
  const url = options.shadowDatabaseUrl;
  const progress = (m: string) => options.onProgress?.(url ? redactSecrets(m, url) : m);
  const checkAborted = () => {
    if (options.signal?.aborted) throw new TraceInterrupted(null);
  };

  const wanted = extensionsRequested(prepared.flatMap((p) => p.parsed.statements));
  let db: ShadowDatabase | null = null;
  let server: PostgresDatabase | null = null;
  const onAbort = () => void server?.cancel();
  options.signal?.addEventListener('abort', onAbort);
  let replay: ReplaySummary;
  let extensions = { loaded: [] as string[], unsupported: [] as string[] };
  let result: TraceResult;
  try {
    checkAborted();
    if (url) {
      progress('Creating a temporary database');
      server = await startPostgres(url, { timeouts: options.timeouts, onWarning: options.onWarning });
      db = server;
      checkAborted();
      const r0 = performance.now();
      progress(`Replaying ${history.length} migrations`);
      const guard = { skipped: [] as ReplayGuardNote[], uncertain: [] as ReplayGuardNote[] };
      const failures = await replayHistory(db, history, { guard, signal: options.signal });
      replay = { migrations: history.length, cached: false, durationMs: Math.round(performance.now() - r0), failures, skipped: guard.skipped, uncertain: guard.uncertain };
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
        const failures = await replayHistory(pg, history, { signal: options.signal });
        if (cache) await cache.set(key, { dump: await pg.dump(), failures, migrations: history.length });
        replay = { migrations: history.length, cached: false, durationMs: Math.round(performance.now() - r0), failures };
      }
      if (cache?.refused) notices.push(`${cache.refused[0].toUpperCase()}${cache.refused.slice(1)} (the history is replayed each time).`);
    }
    for (const name of extensions.unsupported) notices.push(`PGlite does not provide the extension "${name}": statements that need it fail in this dry run (a real PostgreSQL with it installed, --shadow-database-url, would run them).`);
    if (replay.failures.length) notices.push(`${plural(replay.failures.length, 'statement')} of earlier migrations failed in the replay and ${replay.failures.length === 1 ? 'was' : 'were'} skipped; the shadow database may differ from yours (see replay.failures).`);
    if (replay.skipped?.length) notices.push(`${plural(replay.skipped.length, 'statement')} of earlier migrations ${replay.skipped.length === 1 ? 'acts' : 'act'} outside the temporary database and ${replay.skipped.length === 1 ? 'was' : 'were'} not sent to the server (see replay.skipped).`);
    if (server?.confinement.roleUnavailable) notices.push(server.confinement.roleUnavailable);

    let sampleRows;
    if (options.sampleRows) {
      progress('Inserting one sample row per table');
      sampleRows = await insertSampleRows(db);
    }
    checkAborted();
    progress(`Dry-running ${target.name}`);
    const run = await runMigration(db, target.parsed, target.execution.mode, { confine: server !== null });
    checkAborted();
    // A lost server is not an outcome of the migration: the run could not finish (the caller says what stayed behind).
    if (run.engineLost && server) throw new Error(`the connection to the server was lost while running ${target.name} (${run.engineLost})`);
    if (run.engineLost) notices.push(`The embedded database stopped while running ${target.name}: ${run.engineLost}`);
    const skipped = run.statements.filter((s) => s.status === 'skipped').length;
    if (skipped) notices.push(`${plural(skipped, 'statement')} ${skipped === 1 ? 'acts' : 'act'} outside the temporary database and ${skipped === 1 ? 'was' : 'were'} not sent to the server (status "skipped").`);
    const serverVersion = run.engineLost ? (server ? 'PostgreSQL' : 'PGlite') : await db.serverVersion().catch(() => 'unknown');
    result = {
      engine: db.kind,
      serverVersion,
      migration: { name: target.name, ...(target.file ? { file: target.file } : {}) },
      execution: target.execution,
      outcome: run.outcome,
      statements: run.statements,
      replay,
      extensions,
      ...(sampleRows ? { sampleRows } : {}),
      ...(server ? { server: server.confinement } : {}),
      notices,
      totalMs: Math.round(performance.now() - t0),
    };
  } catch (e) {
    await db?.close().catch(() => undefined);
    const leftover = server?.leftover() ?? null;
    if (e instanceof TraceInterrupted || options.signal?.aborted) throw new TraceInterrupted(leftover);
    if (url) {
      const message = redactSecrets(e instanceof Error ? e.message : String(e), url);
      throw new Error(leftover ? `${message}; ${leftover}` : message);
    }
    throw e;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  await db?.close().catch(() => undefined);
  const leftover = server?.leftover();
  if (leftover) result.notices.push(leftover.charAt(0).toUpperCase() + leftover.slice(1));
  return result;
}

export interface ReplayOptions {
  /** On a server: statements acting outside the database are not sent (recorded here), procedural ones flagged. */
  guard?: { skipped: ReplayGuardNote[]; uncertain: ReplayGuardNote[] };
  signal?: AbortSignal;
}

/**
 * Replays earlier migrations as Prisma runs them. A migration that fails is retried statement by
 * statement, skipping what fails, so the shadow database comes as close as it can to the one the
 * history really produced (real histories are sometimes patched by hand); each failure is kept.
 * With a guard (a server), a migration holding a statement that acts outside the database, or
 * one Preflight cannot parse, runs statement by statement without it.
 */
export async function replayHistory(db: ShadowDatabase, history: readonly { name: string; text: string; parsed: ParsedMigration; execution: ExecutionMode }[], options: ReplayOptions = {}): Promise<ReplayFailure[]> {
  const failures: ReplayFailure[] = [];
  for (const m of history) {
    if (options.signal?.aborted) throw new TraceInterrupted(null);
    const skip = new Set<number>();
    if (options.guard) {
      for (const st of m.parsed.statements) {
        const verdict = st.node === null ? { kind: 'outside' as const, reason: 'Preflight\'s parser rejects it, so it cannot tell what it would do outside the temporary database' } : outsideVerdict(st.node, st.text);
        if (verdict?.kind === 'outside') {
          skip.add(st.index);
          options.guard.skipped.push({ migration: m.name, statementIndex: st.index, reason: verdict.reason });
        } else if (verdict) options.guard.uncertain.push({ migration: m.name, statementIndex: st.index, reason: verdict.reason });
      }
    }
    if (m.execution.mode === 'batch' && skip.size === 0) {
      try {
        await db.exec(m.text);
        continue;
      } catch (e) {
        if (!isDatabaseError(e)) throw e;
        await db.exec('ROLLBACK').catch(() => undefined);
      }
    }
    await replayOneByOne(db, m, failures, skip);
  }
  return failures;
}

async function replayOneByOne(db: ShadowDatabase, m: { name: string; parsed: ParsedMigration }, failures: ReplayFailure[], skip: ReadonlySet<number>): Promise<void> {
  for (const st of m.parsed.statements) {
    if (skip.has(st.index)) continue;
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
