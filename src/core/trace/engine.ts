/**
 * The shadow database a dry run executes in: PGlite in-process (the default), or a temporary
 * database on a real PostgreSQL server. Both speak the same two verbs: `exec` sends text with the
 * simple-query protocol (several statements in one text run as one implicit transaction, exactly
 * as Prisma's batch does), `query` runs one statement and returns rows.
 */

export interface ShadowDatabase {
  readonly kind: 'pglite' | 'postgres';
  /** Sends the text as one simple query. Throws the server's error (see `DatabaseFailure`). */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** `version()` of the server, e.g. `PostgreSQL 18.6 (PGlite 0.5.16) ...`. */
  serverVersion(): Promise<string>;
  close(): Promise<void>;
}

/** What PostgreSQL said when a statement failed. */
export interface DatabaseFailure {
  sqlstate: string;
  message: string;
  detail?: string;
  hint?: string;
  /** 1-based character position in the text that was sent, when PostgreSQL gave one. */
  position?: number;
}

/** Reads PostgreSQL's error fields from a PGlite or node-postgres error (both use the same names). */
export function databaseFailureOf(e: unknown): DatabaseFailure {
  const err = (e ?? {}) as { code?: unknown; message?: unknown; detail?: unknown; hint?: unknown; position?: unknown };
  const position = err.position !== undefined && err.position !== null && err.position !== '' ? Number(err.position) : undefined;
  const code = typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) ? err.code : 'XX000';
  return {
    sqlstate: code,
    message: typeof err.message === 'string' ? err.message : String(e),
    ...(typeof err.detail === 'string' && err.detail ? { detail: err.detail } : {}),
    ...(typeof err.hint === 'string' && err.hint ? { hint: err.hint } : {}),
    ...(position !== undefined && Number.isFinite(position) && position > 0 ? { position } : {}),
  };
}

/** Whether an error came from the server (has a SQLSTATE) rather than from the driver or WASM. */
export function isDatabaseError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}
