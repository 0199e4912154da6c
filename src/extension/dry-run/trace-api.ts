/**
 * The one door from the extension into the dry run (`src/core/trace`), and the entry point of
 * `dist/trace.js`. Loaded on the first dry run through `loadTrace()`, never at activation; PGlite
 * itself (its JavaScript, WASM and data files, shipped in `dist/pglite/`) loads only when a dry run
 * starts the database.
 */
export { ReplayCache } from '../../core/trace/replay-cache';
export { traceMigration, type TraceOptions } from '../../core/trace/trace-migration';
export type { TraceMigrationInput, TraceResult } from '../../core/trace/types';
