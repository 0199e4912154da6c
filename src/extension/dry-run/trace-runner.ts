/**
 * Runs dry runs in a worker thread (`trace-worker.ts`, built to `dist/trace.js` next to
 * `dist/extension.js`), started on the first dry run and kept while dry runs come (a warm replay
 * cache), ended after a few idle minutes. Nothing of the dry run — the core's trace, PGlite, its
 * WASM — is loaded into the extension host: activation never reads it, and a long replay never
 * blocks hovers or typing. Cancel ends the thread at once. One run at a time.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TraceMigrationInput, TraceResult } from '../../core/trace/types';
import type { TraceReply, TraceRequest } from './trace-protocol';

export class DryRunCancelled extends Error {
  constructor() {
    super('the dry run was cancelled');
  }
}

export interface TraceJob {
  result: Promise<TraceResult>;
  /** Ends the worker (and so the run) now; `result` rejects with `DryRunCancelled`. */
  cancel(): void;
}

const IDLE_MS = 5 * 60_000;

export class TraceRunner {
  private worker: Worker | null = null;
  private idle: NodeJS.Timeout | undefined;
  private nextId = 1;
  private current: { id: number; worker: Worker; resolve(r: TraceResult): void; reject(e: Error): void; onProgress(m: string): void } | null = null;

  /** @param script the worker's file (`dist/trace.js` beside the extension's bundle) */
  constructor(private readonly script: string = path.join(__dirname, 'trace.js')) {}

  run(migrations: TraceMigrationInput[], options: TraceRequest['options'], cacheDir: string, onProgress: (message: string) => void): TraceJob {
    if (this.current) throw new Error('a dry run is already running');
    clearTimeout(this.idle);
    const worker = this.workerNow();
    const id = this.nextId++;
    const result = new Promise<TraceResult>((resolve, reject) => {
      this.current = { id, worker, resolve, reject, onProgress };
    });
    const request: TraceRequest = { type: 'trace', id, migrations, options, cacheDir };
    worker.postMessage(request);
    return {
      result,
      cancel: () => {
        if (this.current?.id !== id) return;
        this.finish((c) => c.reject(new DryRunCancelled()));
        this.stop();
      },
    };
  }

  dispose(): void {
    this.finish((c) => c.reject(new DryRunCancelled()));
    this.stop();
  }

  private workerNow(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    // A thread that dies (PGlite aborting, out of memory) fails its run; one that was ended on purpose is already forgotten.
    worker.on('message', (reply: TraceReply) => this.onReply(reply));
    worker.on('error', (e) => this.finish((c) => c.reject(new Error(`the dry run's thread stopped: ${e.message}`)), worker));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      this.finish((c) => c.reject(new Error(`the dry run's thread exited (code ${code})`)), worker);
    });
    this.worker = worker;
    return worker;
  }

  private onReply(reply: TraceReply): void {
    const c = this.current;
    if (!c || reply.id !== c.id) return;
    switch (reply.type) {
      case 'progress':
        c.onProgress(reply.message);
        break;
      case 'result':
        this.finish(() => c.resolve(reply.result));
        break;
      case 'error': {
        const e = new Error(reply.message);
        if (reply.stack) e.stack = reply.stack;
        this.finish(() => c.reject(e));
        break;
      }
    }
  }

  /** Settles the current run (once; only if it runs on `worker`, when given) and starts the idle countdown. */
  private finish(settle: (c: NonNullable<TraceRunner['current']>) => void, worker?: Worker): void {
    const c = this.current;
    if (!c || (worker && c.worker !== worker)) return;
    this.current = null;
    settle(c);
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stop(), IDLE_MS);
    this.idle.unref?.();
  }

  private stop(): void {
    clearTimeout(this.idle);
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
  }
}
