/**
 * The one way Preflight reads a real database (production, a read replica): read-only at three
 * levels, bounded in time, and the URL never shown with its password.
 *
 * - The session starts with application_name=preflight, default_transaction_read_only=on and
 *   statement_timeout, lock_timeout, idle_in_transaction_session_timeout as startup parameters.
 * - Every read runs in its own BEGIN READ ONLY transaction that sets the three timeouts again
 *   (SET LOCAL: a pooler that drops startup parameters still gets them) and ends in ROLLBACK.
 * - The query itself goes through the extended protocol, which carries exactly one statement:
 *   a checklist query cannot end the transaction and start a writable one.
 * - The driver gives up a little after the server should have (a server that stops answering),
 *   and SIGINT cancels the running statement (PostgreSQL's cancel request) and closes the session.
 *
 * The URL is --database-url, else PREFLIGHT_DATABASE_URL, else the variable --database-url-env
 * names. Never PREFLIGHT_SHADOW_DATABASE_URL: that one is for the dry run, which writes.
 */
import { connect as netConnect } from 'node:net';
import * as path from 'node:path';
import type { Client, ClientConfig, QueryResult } from 'pg';
import { InputError } from '../input-error';
import { fallsBackToPlain, serverSettings, ServerUrlError } from '../trace/server-connection';
import { redactSecrets } from '../trace/redact';

export const APPLICATION_NAME = 'preflight';
export const DATABASE_URL_ENV = 'PREFLIGHT_DATABASE_URL';

export interface LiveTimeouts {
  /** Milliseconds to wait for the server to accept the connection and finish the startup. */
  connectTimeoutMs: number;
  /** statement_timeout of every read. */
  statementTimeoutMs: number;
  /** lock_timeout of every read: a read that waits behind a migration's lock gives up quickly. */
  lockTimeoutMs: number;
  /** idle_in_transaction_session_timeout: the server ends a session Preflight left open inside a transaction. */
  idleInTransactionTimeoutMs: number;
}

export const DEFAULT_LIVE_TIMEOUTS: LiveTimeouts = { connectTimeoutMs: 10_000, statementTimeoutMs: 5_000, lockTimeoutMs: 1_000, idleInTransactionTimeoutMs: 10_000 };

/** Where the URL came from, for messages ("from PREFLIGHT_DATABASE_URL"). */
export interface DatabaseUrlChoice {
  url: string;
  source: string;
}

/**
 * The live database URL: the flag, else PREFLIGHT_DATABASE_URL, else the variable named by
 * --database-url-env (read only when asked). null when none is given.
 * @throws InputError when --database-url-env names a variable that is not set, or the shadow variable.
 */
export function chooseDatabaseUrl(flag: string | undefined, envName: string | undefined, env: NodeJS.ProcessEnv): DatabaseUrlChoice | null {
  if (flag) return { url: flag, source: '--database-url' };
  if (envName) {
    if (envName === 'PREFLIGHT_SHADOW_DATABASE_URL') throw new InputError('--database-url-env cannot name PREFLIGHT_SHADOW_DATABASE_URL: that server is for the dry run, never for live reads');
    const v = env[envName];
    if (!v) throw new InputError(`--database-url-env ${envName}: the variable is not set`);
    return { url: v, source: envName };
  }
  const v = env[DATABASE_URL_ENV];
  return v ? { url: v, source: DATABASE_URL_ENV } : null;
}

/** A read that ran out of time: the statement was cancelled by the server (or the driver gave up). */
export class ReadTimeoutError extends Error {
  constructor(
    readonly timeoutMs: number,
    readonly reason: 'statement' | 'lock' | 'client',
  ) {
    super(`timed out: run it by hand (${reason === 'lock' ? `waited more than ${seconds(timeoutMs)} for a lock` : `longer than ${seconds(timeoutMs)}`})`);
  }
}

/** A read the server refused (syntax, missing table, a write refused by the read-only transaction). */
export class ReadError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Host, port and database of the URL, for "against which target": never the user or password. */
export interface LiveTarget {
  host: string;
  database: string;
  /** `host:port/database`. */
  label: string;
}

export function targetOf(url: string): LiveTarget {
  try {
    const u = new URL(url);
    const host = decodeURIComponent(u.hostname || u.searchParams.get('host') || 'localhost');
    const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default)';
    return { host, database, label: `${host}${u.port ? `:${u.port}` : ''}/${database}` };
  } catch {
    return { host: '(unparsable URL)', database: '', label: '(unparsable URL)' };
  }
}

export interface LiveSessionOptions {
  timeouts?: Partial<LiveTimeouts>;
  /** Aborting cancels the running read and closes the session (the CLI wires SIGINT to it). */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/**
 * A read-only session on a live database.
 * @throws InputError (one line, no password) when the URL is unusable or the server cannot be reached.
 */
export class LiveSession {
  private closed = false;
  private reading = false;

  private constructor(
    private readonly client: Client,
    private readonly config: ClientConfig,
    readonly timeouts: LiveTimeouts,
    readonly target: LiveTarget,
    /** The URL as it may be shown. */
    readonly redacted: string,
    private readonly url: string,
  ) {}

  static async open(url: string, options: LiveSessionOptions = {}): Promise<LiveSession> {
    const timeouts = { ...DEFAULT_LIVE_TIMEOUTS, ...options.timeouts };
    let settings;
    try {
      settings = serverSettings(url, { connectTimeoutMs: timeouts.connectTimeoutMs, statementTimeoutMs: timeouts.statementTimeoutMs }, options.env ?? process.env);
    } catch (e) {
      if (e instanceof ServerUrlError) throw new InputError(e.message.replace(/the shadow database URL/g, 'the database URL'));
      throw e;
    }
    const config: ClientConfig = {
      ...settings.config,
      application_name: APPLICATION_NAME,
      statement_timeout: timeouts.statementTimeoutMs,
      lock_timeout: timeouts.lockTimeoutMs,
      idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs,
      options: '-c default_transaction_read_only=on',
      // The driver's own limit, for a server that stops answering: after the server's own timeout.
      query_timeout: timeouts.statementTimeoutMs + timeouts.connectTimeoutMs,
    };
    // node-postgres is loaded on the first live read, not at start-up (every CLI run would pay for it).
    const { Client: PgClient } = await import('pg');
    const connect = async (c: ClientConfig): Promise<Client> => {
      const client = new PgClient(c);
      client.on('error', () => undefined); // a dropped connection surfaces on the next read
      await client.connect();
      return client;
    };
    let client: Client;
    try {
      try {
        client = await connect(config);
      } catch (e) {
        if (fallsBackToPlain(settings.sslmode) && config.ssl && /does not support SSL/i.test(String((e as Error)?.message))) client = await connect({ ...config, ssl: false });
        else throw e;
      }
    } catch (e) {
      throw new InputError(`cannot connect to ${settings.redacted}: ${redactSecrets(describeDriverError(e, timeouts.connectTimeoutMs), url)}`);
    }
    const session = new LiveSession(client, config, timeouts, targetOf(url), settings.redacted, url);
    options.signal?.addEventListener('abort', () => void session.cancel(), { once: true });
    return session;
  }

  /**
   * Runs one statement in its own BEGIN READ ONLY transaction (ROLLBACK afterwards).
   * @throws ReadTimeoutError when a timeout cancelled it, ReadError when the server refused it.
   */
  async read<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    if (this.closed) throw new ReadError('the database session was closed (interrupted)', undefined);
    const t = this.timeouts;
    await this.client.query(
      `BEGIN READ ONLY; SET LOCAL statement_timeout = ${t.statementTimeoutMs}; SET LOCAL lock_timeout = ${t.lockTimeoutMs}; SET LOCAL idle_in_transaction_session_timeout = ${t.idleInTransactionTimeoutMs}`,
    );
    this.reading = true;
    try {
      // queryMode 'extended': one statement, never a batch that could COMMIT and go on.
      return await this.client.query<R>({ text: sql, values: params, queryMode: 'extended' } as never);
    } catch (e) {
      throw this.translate(e);
    } finally {
      this.reading = false;
      if (!this.closed) await this.client.query('ROLLBACK').catch(() => undefined);
    }
  }

  private translate(e: unknown): Error {
    const err = e as { code?: string; message?: string };
    if (err?.code === '57014') return new ReadTimeoutError(this.timeouts.statementTimeoutMs, 'statement');
    if (err?.code === '55P03') return new ReadTimeoutError(this.timeouts.lockTimeoutMs, 'lock');
    if (/Query read timeout/i.test(err?.message ?? '')) {
      void this.cancel();
      return new ReadTimeoutError(this.timeouts.statementTimeoutMs, 'client');
    }
    return new ReadError(redactSecrets(err?.message ?? String(e), this.url), err?.code);
  }

  /** Cancels the running read (PostgreSQL's CancelRequest on a separate connection) and closes the session. */
  async cancel(): Promise<void> {
    if (this.closed) return;
    if (this.reading) await sendCancelRequest(this.config, this.client).catch(() => undefined);
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.end().catch(() => undefined);
  }
}

function describeDriverError(e: unknown, connectTimeoutMs: number): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/timeout expired|Connection terminated due to connection timeout/i.test(message)) return `no answer within ${seconds(connectTimeoutMs)} (--connect-timeout)`;
  return message.replace(/\s*\n\s*/g, ' ');
}

/**
 * PostgreSQL's cancel request (16 bytes: length, 80877102, backend pid, secret key) on a new
 * connection to the same server; the server interrupts the statement and answers nothing.
 */
function sendCancelRequest(config: ClientConfig, client: Client): Promise<void> {
  const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
  const host = config.host ?? 'localhost';
  const port = config.port ?? 5432;
  return new Promise((resolve) => {
    const socket = host.startsWith('/') ? netConnect(path.join(host, `.s.PGSQL.${port}`)) : netConnect(port, host);
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.setTimeout(2_000, done);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => {
      const b = Buffer.alloc(16);
      b.writeInt32BE(16, 0);
      b.writeInt32BE(80877102, 4);
      b.writeInt32BE(processID, 8);
      b.writeInt32BE(secretKey, 12);
      socket.end(b);
    });
  });
}
