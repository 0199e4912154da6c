/**
 * `preflight trace [path]`: dry-runs a migration in a shadow database (PGlite, or a temporary
 * database on the disposable server given by PREFLIGHT_SHADOW_DATABASE_URL or
 * --shadow-database-url) and prints what PostgreSQL did per statement. The path is a project (the
 * newest migration is traced) or one migration folder / its file. Never reads
 * PREFLIGHT_DATABASE_URL (the read-only URL, which may be production).
 * Exit codes: 0 the migration applied, 1 it failed in the dry run, 2 usage or internal error,
 * 130 / 143 interrupted by SIGINT / SIGTERM (the temporary database dropped first).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../core/input-error';
import { discoverProject, type PrismaProject } from '../core/project/discover';
import { LineIndex } from '../core/text/line-index';
import { readSourceFile } from '../core/text/read-source-file';
import { analyzeProject } from '../core/analysis/analyze-project';
import { redactSecrets } from '../core/trace/redact';
import { unprovenByDryRun, unprovenSentences, type Unproven } from '../core/trace/unproven';
import { ReplayCache } from '../core/trace/replay-cache';
import { DEFAULT_TIMEOUTS, serverSettings, ServerUrlError, type ServerTimeouts } from '../core/trace/server-connection';
import { TraceInterrupted, traceMigration } from '../core/trace/trace-migration';
import { traceCleanup } from './trace-cleanup';
import type { TraceMigrationInput, TraceResult } from '../core/trace/types';
import { displayPath } from './format/paths';
import type { Io } from './io';
import { UsageError } from './usage-error';
import { plural } from '../core/text/plural';

export const TRACE_HELP = `Usage: preflight trace [path] [options]

Dry-runs a migration: replays the earlier migrations in an embedded PostgreSQL 18 (PGlite), then
applies this one as the project's Prisma version would and reports, per statement, the locks
PostgreSQL took, the tables it rewrote, the time it took and any error.

  path                  a project (the newest migration is traced), or a migration folder / its migration.sql

Options:
  --format <f>          pretty (default) | json
  --prisma-version <v>  Assume this Prisma version (batch up to 7.3, statement by statement from 7.4)
  --shadow-database-url <url>
                        Run on a temporary database created on this disposable PostgreSQL server
                        (dropped afterwards) instead of PGlite; better: set
                        PREFLIGHT_SHADOW_DATABASE_URL (a flag is visible in ps). Never production:
                        statements that act outside that database are skipped, not sent
  --connect-timeout <s> Seconds to wait for the server to answer (default ${DEFAULT_TIMEOUTS.connectTimeoutMs / 1000})
  --statement-timeout <s>
                        The server's statement_timeout for each statement, in seconds (default
                        ${DEFAULT_TIMEOUTS.statementTimeoutMs / 1000}; 0 = none)
  --cleanup             List the temporary databases earlier runs left on the server and drop them
  --list-leftovers      List them only
  --sample-rows         Insert one synthetic row per table first, so data-dependent failures show
  --no-cache            Replay the history even when a cached replay exists

Environment: PREFLIGHT_SHADOW_DATABASE_URL (the server; the flag wins), PGPASSWORD and
PGPASSFILE (the password when the URL has none), PGSSLMODE (when the URL has no sslmode).
`;

/** Seconds from a flag, as milliseconds. */
function seconds(flag: string, value: string | undefined, fallbackMs: number, allowZero: boolean): number {
  if (value === undefined) return fallbackMs;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n) || (!allowZero && n === 0)) throw new UsageError(`${flag} must be a number of seconds${allowZero ? ' (0 = none)' : ' above 0'}, got "${value}"`);
  return Math.round(n * 1000);
}

const EXIT_ON_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const;

export async function traceCommand(args: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        'prisma-version': { type: 'string' },
        'shadow-database-url': { type: 'string' },
        'database-url': { type: 'string' },
        'connect-timeout': { type: 'string' },
        'statement-timeout': { type: 'string' },
        cleanup: { type: 'boolean' },
        'list-leftovers': { type: 'boolean' },
        'sample-rows': { type: 'boolean' },
        'no-cache': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(TRACE_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`trace takes one path, got ${positionals.length}`);
  const format = values.format ?? 'pretty';
  if (format !== 'pretty' && format !== 'json') throw new UsageError('--format must be pretty or json');
  const prismaVersionOverride = values['prisma-version'];
  if (prismaVersionOverride !== undefined && !/^\d+(\.\d+){0,2}(-[\w.]+)?$/.test(prismaVersionOverride)) throw new UsageError(`--prisma-version "${prismaVersionOverride}" is not a version like 7.3.0`);
  if (values['database-url'] !== undefined) throw new UsageError('trace has no --database-url: use --shadow-database-url or PREFLIGHT_SHADOW_DATABASE_URL, and point it at a disposable server (trace creates and drops databases there)');
  // Never PREFLIGHT_DATABASE_URL: that one is read-only and may be production.
  const shadowUrl = values['shadow-database-url'] ?? (io.env.PREFLIGHT_SHADOW_DATABASE_URL || undefined);
  const timeouts: ServerTimeouts = {
    connectTimeoutMs: seconds('--connect-timeout', values['connect-timeout'], DEFAULT_TIMEOUTS.connectTimeoutMs, false),
    statementTimeoutMs: seconds('--statement-timeout', values['statement-timeout'], DEFAULT_TIMEOUTS.statementTimeoutMs, true),
  };
  if (shadowUrl !== undefined) {
    try {
      serverSettings(shadowUrl, timeouts, io.env);
    } catch (e) {
      if (e instanceof ServerUrlError) throw new UsageError(e.message);
      throw e;
    }
  }
  if (values.cleanup || values['list-leftovers']) {
    if (shadowUrl === undefined) throw new UsageError(`${values.cleanup ? '--cleanup' : '--list-leftovers'} needs the server: set PREFLIGHT_SHADOW_DATABASE_URL or pass --shadow-database-url`);
    if (positionals.length) throw new UsageError(`${values.cleanup ? '--cleanup' : '--list-leftovers'} takes no path`);
    return traceCleanup(shadowUrl, timeouts, values.cleanup === true, io);
  }

  const target = path.resolve(io.cwd, positionals[0] ?? '.');
  const project = discoverProject(target, { prismaVersion: prismaVersionOverride });
  const migrations = readTraceInputs(project, io.cwd);
  if (migrations.length === 0) throw new UsageError(`no migrations found at ${displayPath(io.cwd, target)}`);
  const focus = project.focus.migration;
  const prismaVersion = project.prismaVersion.version;

  // SIGINT / SIGTERM: cancel the running statement, drop the temporary database, then exit 130 / 143.
  const abort = new AbortController();
  let signalled: keyof typeof EXIT_ON_SIGNAL | null = null;
  const onSignal = (name: keyof typeof EXIT_ON_SIGNAL) => () => {
    if (signalled) {
      // A second signal: leave at once.
      io.stderr('preflight: interrupted again; leaving without cleaning up (preflight trace --cleanup drops what stayed)\n');
      process.exit(EXIT_ON_SIGNAL[name]);
    }
    signalled = name;
    if (shadowUrl) io.stderr(`preflight: ${name}: cancelling the dry run and dropping its temporary database...\n`);
    abort.abort();
  };
  const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
  let result: TraceResult;
  try {
    result = await traceMigration(migrations, {
      prismaVersion,
      target: focus,
      shadowDatabaseUrl: shadowUrl,
      timeouts,
      signal: abort.signal,
      onWarning: (m) => io.stderr(`preflight: ${redactSecrets(m, shadowUrl)}\n`),
      sampleRows: values['sample-rows'] === true,
      ...(values['no-cache'] ? { cache: new ReplayCache(null) } : {}),
      onProgress: format === 'pretty' && io.isTTY ? (m) => io.stderr(`${m}...\n`) : undefined,
    });
  } catch (e) {
    if (e instanceof TraceInterrupted && signalled) {
      io.stderr(`preflight: interrupted by ${signalled}${e.leftover ? `; ${e.leftover}` : shadowUrl ? '; the temporary database was dropped' : ''}\n`);
      return EXIT_ON_SIGNAL[signalled];
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`preflight: the dry run could not run: ${redactSecrets(message, shadowUrl)}\n`);
    return 2;
  } finally {
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
  }
  if (signalled) {
    io.stderr(`preflight: interrupted by ${signalled}\n`);
    return EXIT_ON_SIGNAL[signalled];
  }
  const file = result.migration.file ? displayPath(io.cwd, result.migration.file) : result.migration.name;
  // Empty tables prove nothing about what depends on the rows: say what, from the static findings.
  const unproven = result.outcome === 'applied' ? unprovenByDryRun((await analyzeProject(project, { only: new Set([result.migration.name]) })).result.findings, result.migration.name) : null;
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ ...toJson(result, file, prismaVersion), ...(unproven ? { unproven } : {}) }, null, 2)}\n`);
  } else {
    io.stdout(toPretty(result, file, migrations.find((m) => m.name === result.migration.name)!.text, prismaVersion, unproven));
  }
  return result.outcome === 'applied' ? 0 : 1;
}

/**
 * Every migration.sql of the history, read strictly: a dry run of a history with a file it cannot
 * read, decode, or run whole (a NUL byte) would report on a database that is not the one deployed.
 */
function readTraceInputs(project: PrismaProject, cwd: string): TraceMigrationInput[] {
  const out: TraceMigrationInput[] = [];
  for (const m of project.migrations) {
    if (m.unreadable) throw new InputError(`${displayPath(cwd, m.unreadable.file)} ${m.unreadable.reason}: the dry run does not start (unreadable-file)`);
    if (!m.sqlFile) continue;
    const r = readSourceFile(m.sqlFile);
    if (!r.ok) throw new InputError(`${displayPath(cwd, m.sqlFile)} ${r.problem.reason}: the dry run does not start (unreadable-file)`);
    const nul = r.text.indexOf('\0');
    if (nul >= 0) {
      const at = new LineIndex(r.text).positionAt(nul);
      throw new InputError(`${displayPath(cwd, m.sqlFile)}:${at.line}:${at.column}: a NUL byte; PostgreSQL never executes the text after it, so the dry run does not start (nul-byte)`);
    }
    out.push({ name: m.name, file: m.sqlFile, text: r.text });
    if (m.name === project.focus.migration) break; // the ones after the traced migration play no part
  }
  return out;
}

function toJson(r: TraceResult, file: string, prismaVersion: string | null) {
  return {
    version: 1,
    engine: r.engine,
    serverVersion: r.serverVersion,
    prismaVersion,
    migration: { name: r.migration.name, file },
    execution: r.execution,
    outcome: r.outcome,
    statements: r.statements.map((s) => ({
      index: s.index,
      start: s.start,
      end: s.end,
      status: s.status,
      locks: s.locks,
      heldLocks: s.heldLocks,
      locksObserved: s.locksObserved,
      rewrites: s.rewrites,
      durationMs: s.durationMs,
      ...(s.error ? { error: { sqlstate: s.error.sqlstate, message: s.error.message, ...(s.error.detail ? { detail: s.error.detail } : {}), ...(s.error.hint ? { hint: s.error.hint } : {}), line: s.error.line, column: s.error.column } } : {}),
      ...(s.note ? { note: s.note } : {}),
      ...(s.uncertain ? { uncertain: s.uncertain } : {}),
    })),
    replay: r.replay,
    extensions: r.extensions,
    ...(r.sampleRows ? { sampleRows: r.sampleRows } : {}),
    ...(r.server ? { server: r.server } : {}),
    notices: r.notices,
    totalMs: r.totalMs,
  };
}

const quoteTable = (t: string) => {
  const dot = t.indexOf('.');
  const schema = t.slice(0, dot);
  const name = `"${t.slice(dot + 1).replace(/"/g, '""')}"`;
  return schema === 'public' ? name : `"${schema}".${name}`;
};

function toPretty(r: TraceResult, file: string, text: string, prismaVersion: string | null, unproven: Unproven | null): string {
  const lines: string[] = [];
  const engine = r.engine === 'pglite' ? `PGlite (${r.serverVersion.split(' (')[0]})` : `a temporary database (${r.serverVersion.split(' on ')[0]})`;
  lines.push(`Dry run of ${file} on ${engine}`);
  lines.push(`  ${r.execution.reason}${prismaVersion ? '' : ' (set --prisma-version to be exact)'}`);
  lines.push(`  history: ${plural(r.replay.migrations, 'earlier migration')} ${r.replay.cached ? 'restored from cache' : 'replayed'} in ${(r.replay.durationMs / 1000).toFixed(1)} s`);
  if (r.server) lines.push(`  temporary database ${r.server.database}, ${r.server.role ? `SQL run as the throwaway role ${r.server.role} (dropped afterwards)` : 'SQL run as the URL\'s role (no throwaway role)'}`);
  for (const s of r.replay.skipped ?? []) lines.push(`  history: skipped ${s.migration} statement ${s.statementIndex + 1}: ${s.reason}`);
  for (const s of r.replay.uncertain ?? []) lines.push(`  history: uncertain ${s.migration} statement ${s.statementIndex + 1}: ${s.reason}`);
  if (r.sampleRows) lines.push(`  sample rows: ${plural(r.sampleRows.inserted.length, 'table')} with one row${r.sampleRows.failed.length ? `, ${r.sampleRows.failed.length} could not get one` : ''}`);
  lines.push('');
  for (const s of r.statements) {
    if (s.status === 'transaction-control') continue;
    const head = text.slice(s.range.startOffset, s.range.endOffset).replace(/\s+/g, ' ').trim();
    const short = head.length > 72 ? `${head.slice(0, 69)}...` : head;
    lines.push(`${file}:${s.start.line}:${s.start.column}  ${short}`);
    if (s.status === 'not-run') {
      lines.push('    not run (an earlier statement failed)');
      continue;
    }
    if (s.status === 'skipped') {
      lines.push(`    SKIPPED: ${s.note ?? 'it acts outside the temporary database'}`);
      continue;
    }
    if (s.uncertain) lines.push(`    uncertain: ${s.uncertain}`);
    if (s.status === 'failed' && s.error) {
      lines.push(`    FAILED ${s.error.sqlstate} at ${s.error.line}:${s.error.column}: ${s.error.message}`);
      if (s.error.detail) lines.push(`    detail: ${s.error.detail}`);
      if (s.error.hint) lines.push(`    hint: ${s.error.hint}`);
      continue;
    }
    const locks = s.locksObserved ? (s.locks.length ? s.locks.map((l) => `${l.mode} on ${quoteTable(l.table)}`).join(', ') : 'no new table lock') : 'not observable (runs outside a transaction block)';
    lines.push(`    ${s.durationMs.toFixed(1)} ms; locks: ${locks}${s.rewrites.length ? `; rewrites ${s.rewrites.map(quoteTable).join(', ')}` : ''}${s.status === 'rolled-back' ? ' (rolled back)' : ''}`);
  }
  lines.push('');
  const verdict = r.outcome === 'applied' ? 'applied cleanly' : r.outcome === 'failed' ? 'FAILED: nothing of it stays applied' : 'FAILED midway: the statements before the failure stay applied';
  lines.push(`${r.migration.name}: ${verdict} (${(r.totalMs / 1000).toFixed(1)} s in all)`);
  for (const sentence of unproven ? unprovenSentences(unproven, r.sampleRows !== undefined) : []) lines.push(`not proven: ${sentence}`);
  for (const n of r.notices) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}
