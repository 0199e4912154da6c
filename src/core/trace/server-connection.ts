/**
 * The shadow server's URL → node-postgres connection settings, with the timeouts and the TLS mode
 * decided here rather than left to the driver's defaults (none: a listener that never answers
 * would hang the dry run forever; `sslmode=require` would print node-postgres's deprecation
 * warning and then verify certificates, which libpq's `require` does not).
 *
 * sslmode (from the URL, else PGSSLMODE, else `disable`), as libpq defines it:
 *   disable      no TLS
 *   allow/prefer TLS without certificate checks when the server offers it, plain otherwise
 *   require      TLS, no certificate checks (with sslrootcert: the chain is checked, as verify-ca)
 *   verify-ca    TLS, the chain checked against sslrootcert, the host name not
 *   verify-full  TLS, chain and host name checked
 * The password comes from the URL, else PGPASSWORD, else the password file (PGPASSFILE, default
 * ~/.pgpass) — node-postgres reads the last two itself.
 */
import type { ClientConfig } from 'pg';
import { parse } from 'pg-connection-string';
import { redactUrl } from './redact';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface ServerTimeouts {
  /** Milliseconds to wait for the server to accept a connection and finish the startup. */
  connectTimeoutMs: number;
  /** The server's statement_timeout for every statement of the dry run, in milliseconds; 0 = none. */
  statementTimeoutMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { connectTimeoutMs: 10_000, statementTimeoutMs: 60_000 };

export interface ServerSettings {
  /** Connection settings for the database the URL names (change `database` for another). */
  config: ClientConfig;
  sslmode: SslMode;
  /** The URL as it may be shown. */
  redacted: string;
}

/** A URL that cannot be used, said without its password. */
export class ServerUrlError extends Error {}

export function serverSettings(url: string, timeouts: ServerTimeouts = DEFAULT_TIMEOUTS, env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const redacted = redactUrl(url);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ServerUrlError(`the shadow database URL is not a valid URL: ${redacted}`);
  }
  if (u.protocol !== 'postgresql:' && u.protocol !== 'postgres:') throw new ServerUrlError(`the shadow database URL must start with postgresql:// (got ${redacted})`);
  const mode = (u.searchParams.get('sslmode') ?? env.PGSSLMODE ?? 'disable') as SslMode;
  if (!SSL_MODES.includes(mode)) throw new ServerUrlError(`sslmode=${mode} is not one of ${SSL_MODES.join(', ')} (${redacted})`);
  // The mode is applied below; pg-connection-string must not see it (it would warn and verify).
  u.searchParams.delete('sslmode');
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(u.toString());
  } catch (e) {
    throw new ServerUrlError(`the shadow database URL cannot be read (${redacted}): ${e instanceof Error ? e.message : String(e)}`);
  }
  const fromFiles = typeof parsed.ssl === 'object' && parsed.ssl ? parsed.ssl : {};
  // Certificate and key files the URL names (sslcert, sslkey, sslrootcert), read by pg-connection-string.
  const files = { ...(fromFiles.ca ? { ca: fromFiles.ca } : {}), ...(fromFiles.cert ? { cert: fromFiles.cert } : {}), ...(fromFiles.key ? { key: fromFiles.key } : {}) };
  const hasCa = files.ca !== undefined;
  if (mode === 'verify-ca' && !hasCa) throw new ServerUrlError(`sslmode=verify-ca needs sslrootcert=<file> in the URL (${redacted})`);
  const ssl: ClientConfig['ssl'] =
    mode === 'disable'
      ? false
      : mode === 'verify-full'
        ? { ...files, rejectUnauthorized: true }
        : mode === 'verify-ca' || (mode === 'require' && hasCa)
          ? { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined }
          : { ...files, rejectUnauthorized: false };
  const config: ClientConfig = {
    host: parsed.host ?? undefined,
    port: parsed.port ? Number(parsed.port) : undefined,
    user: parsed.user || undefined,
    password: parsed.password || undefined,
    database: parsed.database ?? undefined,
    ...(parsed.application_name ? { application_name: parsed.application_name } : { application_name: 'preflight trace' }),
    ssl,
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    ...(timeouts.statementTimeoutMs > 0
      ? {
          statement_timeout: timeouts.statementTimeoutMs,
          // The client gives up a little later than the server, for a server that stops answering.
          query_timeout: timeouts.statementTimeoutMs + timeouts.connectTimeoutMs,
        }
      : {}),
  };
  return { config, sslmode: mode, redacted };
}

/** Modes that fall back to a plain connection when the server does not offer TLS. */
export function fallsBackToPlain(mode: SslMode): boolean {
  return mode === 'allow' || mode === 'prefer';
}
