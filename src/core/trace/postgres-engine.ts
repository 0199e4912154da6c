/**
 * A real PostgreSQL server as the shadow database. Preflight creates a database of its own
 * (`preflight_trace_<random>`, marked with a JSON comment naming this process), and, where the
 * URL's role may CREATE ROLE, a throwaway role of the same name that owns that database and has no
 * other right; the migration's SQL runs as that role, in that database. Both are dropped at the
 * end, also after a failure or a cancel. The database the URL names is used only for that CREATE
 * and DROP (and to cancel a statement). The URL's password never appears in a message.
 */
import { randomBytes } from 'node:crypto';
import type { Client as PgClient, ClientConfig } from 'pg';
import type { ShadowDatabase } from './engine';
import { isDatabaseError } from './engine';
import { dropStaleDatabases, traceMarker } from './leftover-databases';
import { redactSecrets } from './redact';
import { DEFAULT_TIMEOUTS, fallsBackToPlain, serverSettings, type ServerTimeouts } from './server-connection';
import type { ServerConfinement } from './types';

export interface PostgresDatabase extends ShadowDatabase {
  readonly kind: 'postgres';
  /** Name of the temporary database. */
  readonly database: string;
  readonly confinement: ServerConfinement;
  /** Cancels the statement running in the temporary database (pg_cancel_backend from the admin connection). */
  cancel(): Promise<void>;
  /** Drops the temporary database and role; says what could not be dropped. */
  close(): Promise<void>;
  /** After close: what stayed on the server (null when everything was dropped). */
  leftover(): string | null;
}

export interface StartPostgresOptions {
  timeouts?: ServerTimeouts;
  /** Said on stderr by the CLI: stale databases of earlier runs dropped, ... */
  onWarning?(message: string): void;
  env?: NodeJS.ProcessEnv;
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Connects with the settings; `allow`/`prefer` fall back to a plain connection when the server offers no TLS. */
export async function connectClient(config: ClientConfig, sslmode: string): Promise<PgClient> {
  const { Client } = await import('pg');
  const attempt = async (c: ClientConfig) => {
    const client = new Client(c);
    // node-postgres emits 'error' on a dropped connection; without a listener that would crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    return client;
  };
  try {
    return await attempt(config);
  } catch (e) {
    if (fallsBackToPlain(sslmode as never) && /does not support SSL/i.test(String((e as Error)?.message))) return attempt({ ...config, ssl: false });
    throw e;
  }
}

/** A driver or server error in words a user can act on. */
export function connectionProblem(e: unknown, sslmode: string, timeouts: ServerTimeouts): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/timeout/i.test(message) && !isDatabaseError(e)) return `no answer within ${timeouts.connectTimeoutMs / 1000} s (--connect-timeout)`;
  if (/does not support SSL/i.test(message)) return `the server does not accept TLS connections, and sslmode=${sslmode} requires TLS (use sslmode=prefer or disable for a local server)`;
  return message;
}

export async function startPostgres(url: string, options: StartPostgresOptions = {}): Promise<PostgresDatabase> {
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const settings = serverSettings(url, timeouts, options.env);
  const database = `preflight_trace_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const fail = (what: string, e: unknown): never => {
    const err = new Error(redactSecrets(`${what} (${settings.redacted}): ${connectionProblem(e, settings.sslmode, timeouts)}`, url));
    if (isDatabaseError(e)) Object.assign(err, { code: (e as { code: string }).code });
    throw err;
  };
  let admin: PgClient;
  try {
    admin = await connectClient(settings.config, settings.sslmode);
  } catch (e) {
    return fail('cannot connect to the shadow database server', e);
  }
  const dropped = await dropStaleDatabases(admin).catch(() => []);
  for (const d of dropped) options.onWarning?.(d.error ? `could not drop ${d.database}, left behind by an earlier dry run (${d.why}): ${d.error}` : `dropped ${d.database}, left behind by an earlier dry run (${d.why})`);

  let role: string | null = null;
  let roleUnavailable: string | undefined;
  let leftover: string | null = null;
  const dropAll = async () => {
    const left: string[] = [];
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`).catch(() => left.push(`the database ${database}`));
    if (role) await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`).catch(() => left.push(`the role ${role}`));
    await admin.end().catch(() => undefined);
    leftover = left.length ? `${left.join(' and ')} stayed on the server (preflight trace --cleanup drops ${left.length > 1 ? 'them' : 'it'})` : null;
  };
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
    await admin.query(`COMMENT ON DATABASE ${quoteIdent(database)} IS ${quoteLiteral(JSON.stringify(traceMarker()))}`);
  } catch (e) {
    await dropAll();
    return fail('cannot create a temporary database for the dry run', e);
  }

  // The throwaway role: LOGIN with a random password, owner of the temporary database, no other right.
  const password = randomBytes(24).toString('base64url');
  let client: PgClient | null = null;
  try {
    const can = await admin.query<{ ok: boolean }>('SELECT rolsuper OR rolcreaterole AS ok FROM pg_roles WHERE rolname = current_user');
    if (!can.rows[0]?.ok) throw new Error('the URL\'s role may not CREATE ROLE');
    await admin.query(`CREATE ROLE ${quoteIdent(database)} LOGIN PASSWORD ${quoteLiteral(password)} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 2`);
    role = database;
    await admin.query(`COMMENT ON ROLE ${quoteIdent(role)} IS ${quoteLiteral(JSON.stringify(traceMarker()))}`);
    // Membership lets the URL's role hand the database over, cancel the role's statements and drop its database.
    await admin.query(`GRANT ${quoteIdent(role)} TO CURRENT_USER`);
    await admin.query(`ALTER DATABASE ${quoteIdent(database)} OWNER TO ${quoteIdent(role)}`);
    client = await connectClient({ ...settings.config, database, user: role, password }, settings.sslmode);
  } catch (e) {
    roleUnavailable = `the dry run ran as the URL's role: a throwaway role could not be used (${redactSecrets(e instanceof Error ? e.message : String(e), url)})`;
    if (role) await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`).then(() => (role = null), () => undefined);
    if (role === null) {
      // Hand the database back if the owner was changed before the failure.
      await admin.query(`ALTER DATABASE ${quoteIdent(database)} OWNER TO CURRENT_USER`).catch(() => undefined);
    }
  }
  if (!client) {
    try {
      client = await connectClient({ ...settings.config, database }, settings.sslmode);
    } catch (e) {
      await dropAll();
      return fail('cannot connect to the temporary database', e);
    }
  }
  const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const c = client;
  let closed = false;
  return {
    kind: 'postgres',
    database,
    confinement: { database, role, ...(roleUnavailable ? { roleUnavailable } : {}) },
    async exec(sql) {
      await c.query(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      return (await c.query(sql, params as unknown[])).rows as T[];
    },
    async serverVersion() {
      const r = await c.query('SELECT version() AS v');
      return String(r.rows[0]?.v ?? 'PostgreSQL');
    },
    async cancel() {
      await admin.query('SELECT pg_cancel_backend($1)', [backend]).catch(() => undefined);
    },
    async close() {
      if (closed) return;
      closed = true;
      await c.end().catch(() => undefined);
      await dropAll();
    },
    leftover: () => leftover,
  };
}
