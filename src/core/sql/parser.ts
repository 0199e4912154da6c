/**
 * Loading of libpg-query (PostgreSQL's own parser, compiled to WASM). The module is loaded once,
 * on first need; everything after that is synchronous.
 */
import * as pg from 'libpg-query';

let loading: Promise<void> | null = null;
let loaded = false;

export function ensureSqlParser(): Promise<void> {
  loading ??= pg.loadModule().then(() => {
    loaded = true;
  });
  return loading;
}

export function isSqlParserLoaded(): boolean {
  return loaded;
}

export interface RawStmt {
  stmt?: Record<string, unknown>;
  stmt_location?: number;
  stmt_len?: number;
}

export interface PgParseError {
  message: string;
  /** 0-based byte offset into the parsed text, when PostgreSQL gave one. */
  cursorByte: number | null;
}

export type RawParse = { ok: true; stmts: RawStmt[] } | { ok: false; error: PgParseError };

export function parseRaw(sql: string): RawParse {
  if (!loaded) throw new Error('libpg-query is not loaded yet: await ensureSqlParser() first');
  try {
    const result = pg.parseSync(sql) as unknown as { stmts?: RawStmt[] };
    return { ok: true, stmts: result.stmts ?? [] };
  } catch (e) {
    const err = e as { message?: string; sqlDetails?: { message?: string; cursorPosition?: number } };
    const message = err.sqlDetails?.message ?? err.message ?? String(e);
    const cursor = err.sqlDetails?.cursorPosition;
    return { ok: false, error: { message, cursorByte: typeof cursor === 'number' && cursor >= 0 ? cursor : null } };
  }
}
