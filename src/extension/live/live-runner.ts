/**
 * Runs a live-database job in a worker thread of its own (`live-worker.ts`, built to
 * `dist/live.js` beside `dist/extension.js`), one thread per run: the driver (`pg`) and the
 * core's analysis are never loaded into the extension host, and a run that will not stop can be
 * ended. Cancel asks the worker to cancel the running read on the server; if it has not answered
 * within a few seconds (a connection attempt still waiting), the thread is ended.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LiveReply, LiveRequest, LiveRunResult } from './live-protocol';

export class LiveRunCancelled extends Error {
  constructor() {
    super('the check against the database was cancelled');
  }
}

/** The database could not be reached or refused the login: the URL (or the network) is the problem. */
export class LiveConnectError extends Error {}

export interface LiveJob {
  result: Promise<LiveRunResult>;
  cancel(): void;
}

const CANCEL_GRACE_MS = 3_000;

export type LiveRunRequest = Omit<Extract<LiveRequest, { type: 'run' }>, 'type' | 'id'>;

export function runLive(request: LiveRunRequest, onProgress: (message: string) => void, script: string = path.join(__dirname, 'live.js')): LiveJob {
  const worker = new Worker(script);
  const id = 1;
  let settled = false;
  let resolve!: (r: LiveRunResult) => void;
  let reject!: (e: Error) => void;
  const result = new Promise<LiveRunResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const finish = (settle: () => void) => {
    if (settled) return;
    settled = true;
    settle();
    void worker.terminate();
  };
  worker.on('message', (reply: LiveReply) => {
    if (reply.id !== id) return;
    switch (reply.type) {
      case 'progress':
        onProgress(reply.message);
        break;
      case 'result':
        finish(() => resolve(reply.result));
        break;
      case 'cancelled':
        finish(() => reject(new LiveRunCancelled()));
        break;
      case 'error':
        finish(() => reject(reply.connect ? new LiveConnectError(reply.message) : new Error(reply.message)));
        break;
    }
  });
  worker.on('error', (e) => finish(() => reject(new Error(`the database check's thread stopped: ${e.message}`))));
  worker.on('exit', (code) => finish(() => reject(new Error(`the database check's thread exited (code ${code})`))));
  const message: LiveRequest = { type: 'run', id, ...request };
  worker.postMessage(message);
  return {
    result,
    cancel: () => {
      if (settled) return;
      worker.postMessage({ type: 'cancel', id } satisfies LiveRequest);
      setTimeout(() => finish(() => reject(new LiveRunCancelled())), CANCEL_GRACE_MS).unref?.();
    },
  };
}
