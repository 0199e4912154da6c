/**
 * Table sizes for a review (`check`, `comment`, `checklist`): from a stats file (`--stats-file`,
 * what `preflight stats` wrote; CI needs no credentials) or read live, read-only, from
 * `--database-url` / `--database-url-env`. A review never reads PREFLIGHT_DATABASE_URL unless asked:
 * an environment that sets it for `status` does not make every `check` connect.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../core/input-error';
import { readTableStats } from '../../core/live/stats';
import type { Checklist } from '../../core/checklist/model';
import { displayTable } from '../../core/pg/names';
import { describeTableSize, parseStatsFile, statsByTable, type StatsFile } from '../../core/sizes/table-stats';
import type { Io } from '../main';
import type { OptionSpec } from '../options/option-table';
import { UsageError } from '../usage-error';
import { LIVE_TIMEOUT_OPTIONS, liveChoice, withLiveSession } from './live-options';

export const STATS_FILE_OPTION: OptionSpec = {
  name: 'stats-file',
  type: 'string',
  value: '<file>',
  description: 'Table sizes from preflight stats: locking findings state the size and an estimated duration, and severities rise with it',
};

export const SIZE_OPTIONS: readonly OptionSpec[] = [
  STATS_FILE_OPTION,
  { name: 'database-url', type: 'string', value: '<url>', description: 'Read the table sizes from this database instead, read-only (as preflight stats does)' },
  { name: 'database-url-env', type: 'string', value: '<name>', description: 'Read that URL from this environment variable, e.g. PREFLIGHT_DATABASE_URL or DATABASE_URL' },
  ...LIVE_TIMEOUT_OPTIONS,
];

/** The stats file named by --stats-file. @throws InputError (one line) when it cannot be read or is not one. */
export function readStatsFileOption(file: string, io: Io): StatsFile {
  let text;
  try {
    text = readFileSync(path.resolve(io.cwd, file), 'utf8');
  } catch (e) {
    throw new InputError(`cannot read --stats-file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseStatsFile(text, file);
}

/**
 * The sizes a review uses: --stats-file, else the database --database-url / --database-url-env
 * name; null when neither is given. Interrupted (SIGINT) reads end the command like status does.
 */
export async function tableStatsFor(values: Record<string, unknown>, io: Io): Promise<StatsFile | { interrupted: number } | null> {
  const file = values['stats-file'] as string | undefined;
  const asked = values['database-url'] !== undefined || values['database-url-env'] !== undefined;
  if (file !== undefined && asked) throw new UsageError('give --stats-file or --database-url, not both');
  if (file !== undefined) return readStatsFileOption(file, io);
  if (!asked) return null;
  const choice = liveChoice(values, io);
  if (!choice) return null;
  return withLiveSession(choice, io, (session) => readTableStats(session));
}

/**
 * `checklist --stats-file`: the migration record's "Table sizes before deployment" from the file,
 * for the tables the checklist would count (its pre.size items): estimates, said to be estimates,
 * so the after-deploy phase never compares a count with them. null when the file has none of them.
 */
export function sizesRecordFromStats(list: Checklist, stats: StatsFile, file: string): string | null {
  const byShownName = new Map([...statsByTable(stats)].map(([key, t]) => [displayTable(key), t]));
  const parts: string[] = [];
  for (const item of list.items) {
    if (!item.id.startsWith('pre.size.')) continue;
    const shown = item.title.replace(/^Record the row count and size of /, '');
    const t = byShownName.get(shown);
    if (t) parts.push(`${shown}: ${describeTableSize(t)} (estimate)`);
  }
  if (!parts.length) return null;
  return `${parts.join('; ')} (${stats.collectedAt.slice(0, 10) || 'undated'}, from ${file})`;
}
