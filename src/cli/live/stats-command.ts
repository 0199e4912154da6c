/**
 * `preflight stats [path] --database-url …`: row estimates and sizes of the database's tables as
 * JSON on stdout (docs/stats.schema.json), nothing else: no rows, no URL. Commit the file, or make
 * it in a CI job that has the credentials, and review with --stats-file where there are none.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTableStats } from '../../core/live/stats';
import type { Io } from '../main';
import { parseCommand, renderHelp, type CommandSpec } from '../options/option-table';
import { UsageError } from '../usage-error';
import { LIVE_EPILOG, LIVE_OPTIONS, liveChoice, withLiveSession } from './live-options';

export const STATS_SPEC: CommandSpec = {
  name: 'stats',
  usage: '[path] [options]',
  summary: "Write a database's row estimates and table sizes as JSON, for check --stats-file (read-only)",
  description: `Reads pg_class.reltuples, pg_stat_user_tables.n_live_tup and the total, table and index sizes of
every table, read-only, and prints them as JSON (docs/stats.schema.json). The file holds those
numbers only: no rows and no URL, so it is safe to commit or to upload from CI. Review with it:
preflight check --stats-file preflight-stats.json. path is accepted for symmetry with status and is
not read.`,
  options: [
    ...LIVE_OPTIONS,
    { name: 'output-file', short: 'o', type: 'string', value: '<path>', description: 'Write the JSON to this file instead of stdout' },
  ],
  epilog: `${LIVE_EPILOG}

Exit codes:
  0  written
  2  usage error, no database URL, or the database cannot be read`,
};

export async function statsCommand(args: string[], io: Io): Promise<number> {
  const command = parseCommand(STATS_SPEC, args);
  if (command.help) {
    io.stdout(renderHelp(STATS_SPEC));
    return 0;
  }
  if (command.positionals.length > 1) throw new UsageError(`stats takes one project path, got ${command.positionals.length}`);
  const choice = liveChoice(command.values, io);
  if (!choice) throw new UsageError('stats needs a database: --database-url <url>, or set PREFLIGHT_DATABASE_URL');
  const stats = await withLiveSession(choice, io, (session) => readTableStats(session));
  if ('interrupted' in stats) return stats.interrupted;
  const json = `${JSON.stringify(stats, null, 2)}\n`;
  const out = command.values['output-file'] as string | undefined;
  if (out === undefined) io.stdout(json);
  else {
    try {
      writeFileSync(path.resolve(io.cwd, out), json);
    } catch (e) {
      throw new UsageError(`cannot write --output-file ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    io.stderr(`preflight: wrote ${out}: ${stats.tables.length} ${stats.tables.length === 1 ? 'table' : 'tables'}\n`);
  }
  return 0;
}
