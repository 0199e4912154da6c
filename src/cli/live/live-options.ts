/**
 * What `status`, `checklist --database-url` and `stats` share: the live database URL and the
 * read timeouts (option rows for their tables), and a session that SIGINT / SIGTERM cancel.
 */
import { InputError } from '../../core/input-error';
import { chooseDatabaseUrl, DEFAULT_LIVE_TIMEOUTS, LiveSession, ReadError, ReadTimeoutError, type LiveTimeouts } from '../../core/live/connection';
import type { OptionSpec } from '../options/option-table';
import { UsageError } from '../usage-error';
import type { Io } from '../main';

const s = (ms: number) => `${ms / 1000} s`;

/** The timeouts of every live read (status, stats, checklist, and the size reads of check and comment). */
export const LIVE_TIMEOUT_OPTIONS: readonly OptionSpec[] = [
  { name: 'connect-timeout', type: 'string', value: '<s>', description: `Seconds to wait for the connection (default: ${s(DEFAULT_LIVE_TIMEOUTS.connectTimeoutMs)})` },
  { name: 'statement-timeout', type: 'string', value: '<s>', description: `statement_timeout of every read; a slower query is cancelled and reported as timed out (default: ${s(DEFAULT_LIVE_TIMEOUTS.statementTimeoutMs)})` },
  { name: 'lock-timeout', type: 'string', value: '<s>', description: `lock_timeout of every read: a read never queues behind a lock for longer (default: ${s(DEFAULT_LIVE_TIMEOUTS.lockTimeoutMs)})` },
];

export const LIVE_OPTIONS: readonly OptionSpec[] = [
  { name: 'database-url', type: 'string', value: '<url>', description: 'The database to read, read-only (default: PREFLIGHT_DATABASE_URL). A read replica of production is the right target' },
  { name: 'database-url-env', type: 'string', value: '<name>', description: "Read the URL from this environment variable instead, e.g. DATABASE_URL (the project's own variable is read only when named here)" },
  ...LIVE_TIMEOUT_OPTIONS,
];

export const LIVE_EPILOG = 'Every read runs in BEGIN READ ONLY with application_name preflight and the timeouts above; docs/live-database.md lists each query.';

function secondsOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new UsageError(`--${name} must be a number of seconds above 0, not "${String(value)}"`);
  return Math.round(n * 1000);
}

export interface LiveChoice {
  url: string;
  source: string;
  timeouts: LiveTimeouts;
}

/** The URL and timeouts from the options, or null when no URL is given. @throws UsageError on bad values. */
export function liveChoice(values: Record<string, unknown>, io: Io): LiveChoice | null {
  const timeouts: LiveTimeouts = {
    ...DEFAULT_LIVE_TIMEOUTS,
    connectTimeoutMs: secondsOption('connect-timeout', values['connect-timeout'], DEFAULT_LIVE_TIMEOUTS.connectTimeoutMs),
    statementTimeoutMs: secondsOption('statement-timeout', values['statement-timeout'], DEFAULT_LIVE_TIMEOUTS.statementTimeoutMs),
    lockTimeoutMs: secondsOption('lock-timeout', values['lock-timeout'], DEFAULT_LIVE_TIMEOUTS.lockTimeoutMs),
  };
  let chosen;
  try {
    chosen = chooseDatabaseUrl(values['database-url'] as string | undefined, values['database-url-env'] as string | undefined, io.env);
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message);
    throw e;
  }
  return chosen ? { ...chosen, timeouts } : null;
}

export const EXIT_ON_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Runs `work` with a session open; SIGINT / SIGTERM cancel the running read, close the session
 * and make the command exit 130 / 143.
 */
export async function withLiveSession<T>(choice: LiveChoice, io: Io, work: (session: LiveSession) => Promise<T>): Promise<T | { interrupted: number }> {
  const abort = new AbortController();
  let signalled: keyof typeof EXIT_ON_SIGNAL | null = null;
  const on = (name: keyof typeof EXIT_ON_SIGNAL) => () => {
    signalled = name;
    abort.abort();
  };
  const handlers = { SIGINT: on('SIGINT'), SIGTERM: on('SIGTERM') };
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
  let session: LiveSession | null = null;
  try {
    session = await LiveSession.open(choice.url, { timeouts: choice.timeouts, signal: abort.signal, env: io.env });
    return await work(session);
  } catch (e) {
    if (signalled) {
      io.stderr(`preflight: interrupted by ${signalled}; the running read was cancelled\n`);
      return { interrupted: EXIT_ON_SIGNAL[signalled] };
    }
    if (e instanceof ReadError || e instanceof ReadTimeoutError) throw new InputError(`reading ${session?.target.label ?? 'the database'}: ${e.message}`);
    throw e;
  } finally {
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
    await session?.close();
  }
}
