/**
 * What the extension and its dry-run worker (`trace-worker.ts`) say to each other: plain data
 * only (structured clone), typed once for both sides.
 */
import type { TraceMigrationInput, TraceResult } from '../../core/trace/types';

/** Extension → worker: dry-run `options.target` of `migrations`, the replay cache kept in `cacheDir`. */
export interface TraceRequest {
  type: 'trace';
  id: number;
  migrations: TraceMigrationInput[];
  options: { prismaVersion: string | null; target: string; sampleRows: boolean };
  cacheDir: string;
}

/** Worker → extension. */
export type TraceReply =
  | { type: 'progress'; id: number; message: string }
  | { type: 'result'; id: number; result: TraceResult }
  | { type: 'error'; id: number; message: string; stack?: string };
