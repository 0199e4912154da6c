/**
 * PostgreSQL's own parser (libpg-query, compiled to WebAssembly), loaded once on first need;
 * everything after that is synchronous.
 *
 * We drive libpg-query's Emscripten module ourselves rather than through the package's
 * `parseSync`: that wrapper copies the SQL into WebAssembly memory and the JSON parse tree out of
 * it a byte at a time in JavaScript (a length count, an encoder, a NUL scan over the whole JSON).
 * Here the same three steps are Buffer.byteLength, TextEncoder.encodeInto and a typed-array
 * indexOf; the WebAssembly call, the result struct and the error fields are the ones `parseSync`
 * reads (libpg-query 18, `wasm/index.cjs`). The parse of civitai's 696 migrations takes 8-15% less
 * time; a lone surrogate (invalid UTF-16, only possible in an unsaved editor buffer) is encoded as
 * U+FFFD instead of an invalid 3-byte sequence: the same length, so byte offsets do not move.
 */
// @ts-expect-error: the Emscripten factory ships without types (its shape is declared below).
import createPgQueryModule from 'libpg-query/wasm/libpg-query.js';

/** The part of libpg-query's Emscripten module we use. */
interface PgQueryModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  /** PgQueryParseResult* for a NUL-terminated UTF-8 string: { char* parse_tree; char* stderr_buffer; PgQueryError* error }. */
  _wasm_parse_query_raw(queryPtr: number): number;
  _wasm_free_parse_result(resultPtr: number): void;
  /** char* JSON (or an error message) for a NUL-terminated CREATE FUNCTION / DO statement in PL/pgSQL. */
  _wasm_parse_plpgsql(queryPtr: number): number;
  _wasm_free_string(ptr: number): void;
}

let loading: Promise<void> | null = null;
let wasm: PgQueryModule | null = null;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function ensureSqlParser(): Promise<void> {
  loading ??= (createPgQueryModule as () => Promise<PgQueryModule>)().then((m) => {
    wasm = m;
  });
  return loading;
}

export function isSqlParserLoaded(): boolean {
  return wasm !== null;
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
  const m = wasm;
  if (!m) throw new Error('libpg-query is not loaded yet: await ensureSqlParser() first');
  if (sql === '') return { ok: false, error: { message: 'Query cannot be empty', cursorByte: null } };
  const length = Buffer.byteLength(sql, 'utf8');
  const queryPtr = m._malloc(length + 1);
  if (!queryPtr) return { ok: false, error: { message: 'Failed to parse query: memory allocation failed', cursorByte: null } };
  let resultPtr = 0;
  try {
    // HEAPU8 is replaced whenever the WebAssembly memory grows (malloc, the parse): read it afresh.
    const written = encoder.encodeInto(sql, m.HEAPU8.subarray(queryPtr, queryPtr + length)).written;
    m.HEAPU8[queryPtr + written] = 0;
    resultPtr = m._wasm_parse_query_raw(queryPtr);
    if (!resultPtr) return { ok: false, error: { message: 'Failed to parse query: memory allocation failed', cursorByte: null } };
    const treePtr = readU32(m.HEAPU8, resultPtr);
    const errorPtr = readU32(m.HEAPU8, resultPtr + 8);
    if (errorPtr) {
      // PgQueryError: { char* message; char* funcname; char* filename; int lineno; int cursorpos; ... }
      const messagePtr = readU32(m.HEAPU8, errorPtr);
      const cursorpos = readU32(m.HEAPU8, errorPtr + 16) | 0;
      const message = messagePtr ? readCString(m.HEAPU8, messagePtr) : 'Unknown error';
      // 1-based in libpg_query, 0 when there is none (then the start, as libpg-query's parseSync reports it).
      return { ok: false, error: { message, cursorByte: cursorpos > 0 ? cursorpos - 1 : 0 } };
    }
    if (!treePtr) return { ok: false, error: { message: 'No parse tree generated', cursorByte: null } };
    const tree = JSON.parse(readCString(m.HEAPU8, treePtr)) as { stmts?: RawStmt[] };
    return { ok: true, stmts: tree.stmts ?? [] };
  } finally {
    m._free(queryPtr);
    if (resultPtr) m._wasm_free_parse_result(resultPtr);
  }
}

/**
 * PL/pgSQL's own parser over one `CREATE FUNCTION ... LANGUAGE plpgsql` or `DO` statement: the
 * function trees (`PLpgSQL_function`), or null when PostgreSQL's PL/pgSQL parser rejects it.
 */
export function parsePlpgsqlRaw(sql: string): Record<string, unknown>[] | null {
  const m = wasm;
  if (!m) throw new Error('libpg-query is not loaded yet: await ensureSqlParser() first');
  const length = Buffer.byteLength(sql, 'utf8');
  const queryPtr = m._malloc(length + 1);
  if (!queryPtr) return null;
  let resultPtr = 0;
  try {
    const written = encoder.encodeInto(sql, m.HEAPU8.subarray(queryPtr, queryPtr + length)).written;
    m.HEAPU8[queryPtr + written] = 0;
    resultPtr = m._wasm_parse_plpgsql(queryPtr);
    if (!resultPtr) return null;
    const out = readCString(m.HEAPU8, resultPtr);
    // Success is a JSON object; anything else is PostgreSQL's error message.
    if (!out.startsWith('{')) return null;
    return ((JSON.parse(out) as { plpgsql_funcs?: Record<string, unknown>[] }).plpgsql_funcs ?? []);
  } finally {
    m._free(queryPtr);
    if (resultPtr) m._wasm_free_string(resultPtr);
  }
}

function readU32(heap: Uint8Array, ptr: number): number {
  return (heap[ptr] | (heap[ptr + 1] << 8) | (heap[ptr + 2] << 16) | (heap[ptr + 3] << 24)) >>> 0;
}

function readCString(heap: Uint8Array, ptr: number): string {
  let end = heap.indexOf(0, ptr);
  if (end < 0) end = heap.length;
  return decoder.decode(heap.subarray(ptr, end));
}
