/**
 * A real PostgreSQL server as the shadow database. Preflight creates a database of its own
 * (`preflight_trace_<random>`), runs everything there, and drops it at the end, also after a
 * failure. It connects to the database the URL names only to run that CREATE and DROP: no other
 * database is ever read or changed. The URL's password never appears in a message.
 */
import { randomBytes } from 'node:crypto';
import type { ShadowDatabase } from './engine';
import { isDatabaseError } from './engine';
import { redactSecrets, redactUrl } from './redact';

export interface PostgresDatabase extends ShadowDatabase {
  readonly kind: 'postgres';
  /** Name of the temporary database. */
  readonly database: string;
}

/** The URL pointing at another database of the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export async function startPostgres(url: string): Promise<PostgresDatabase> {
  const { Client } = await import('pg');
  const database = `preflight_trace_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const fail = (what: string, e: unknown): never => {
    const message = e instanceof Error ? e.message : String(e);
    const err = new Error(redactSecrets(`${what} (${redactUrl(url)}): ${message}`, url));
    if (isDatabaseError(e)) Object.assign(err, { code: (e as { code: string }).code });
    throw err;
  };
  let admin: InstanceType<typeof Client>;
  try {
    admin = new Client({ connectionString: url });
    await admin.connect();
  } catch (e) {
    return fail('cannot connect to the database server', e);
  }
  try {
    await admin.query(`CREATE DATABASE "${database}"`);
  } catch (e) {
    await admin.end().catch(() => undefined);
    return fail('cannot create a temporary database for the dry run', e);
  }
  const client = new Client({ connectionString: withDatabase(url, database) });
  // node-postgres emits 'error' on a dropped connection; without a listener that would crash the process.
  client.on('error', () => undefined);
  admin.on('error', () => undefined);
  const dropDatabase = async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  };
  try {
    await client.connect();
  } catch (e) {
    await dropDatabase();
    return fail('cannot connect to the temporary database', e);
  }
  let closed = false;
  return {
    kind: 'postgres',
    database,
    async exec(sql) {
      await client.query(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params as unknown[])).rows as T[];
    },
    async serverVersion() {
      const r = await client.query('SELECT version() AS v');
      return String(r.rows[0]?.v ?? 'PostgreSQL');
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.end().catch(() => undefined);
      await dropDatabase();
    },
  };
}
