/**
 * The dry run's own thread (the entry point of `dist/trace.js`, started by `trace-runner.ts`):
 * PGlite compiles and runs its WASM here, so the extension host stays responsive, and Cancel can
 * end the thread at once. It keeps one `ReplayCache` per cache folder for as long as it lives
 * (memory, and on disk in the folder the extension gives it).
 */
import { parentPort } from 'node:worker_threads';
import { ReplayCache } from '../../core/trace/replay-cache';
import { traceMigration } from '../../core/trace/trace-migration';
import type { TraceReply, TraceRequest } from './trace-protocol';

const caches = new Map<string, ReplayCache>();
const port = parentPort;
if (!port) throw new Error('trace-worker runs as a worker thread');

const reply = (message: TraceReply) => port.postMessage(message);

port.on('message', async (request: TraceRequest) => {
  if (request?.type !== 'trace') return;
  const { id, migrations, options, cacheDir } = request;
  let cache = caches.get(cacheDir);
  if (!cache) caches.set(cacheDir, (cache = new ReplayCache(cacheDir)));
  try {
    const result = await traceMigration(migrations, { ...options, cache, onProgress: (message) => reply({ type: 'progress', id, message }) });
    reply({ type: 'result', id, result });
  } catch (e) {
    reply({ type: 'error', id, message: e instanceof Error ? e.message : String(e), ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) });
  }
});
