/**
 * The live-database worker (the entry point of `dist/live.js`, started by `live-runner.ts` for
 * one run): it holds the only connection, through the core's read-only layer (`LiveSession`), and
 * runs what the CLI runs: `runChecks` (preflight checklist --database-url) and `readStatus`
 * (preflight status). `pg` lives in this bundle only, never in `dist/extension.js`. Cancel aborts
 * the session: PostgreSQL's cancel request for the running read, then the session is closed.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeProject } from '../../core/analysis/analyze-project';
import { Catalog } from '../../core/catalog/model';
import { InputError } from '../../core/input-error';
import { runChecks } from '../../core/live/checks';
import { LiveSession } from '../../core/live/connection';
import { migrationsTableOf, readStatus } from '../../core/live/status';
import { redactSecrets } from '../../core/trace/redact';
import type { LiveReply, LiveRequest, LiveRunResult } from './live-protocol';

const port = parentPort;
if (!port) throw new Error('live-worker runs as a worker thread');
const reply = (message: LiveReply) => port.postMessage(message);
const running = new Map<number, AbortController>();

port.on('message', (request: LiveRequest) => {
  if (request?.type === 'cancel') running.get(request.id)?.abort();
  else if (request?.type === 'run') void run(request);
});

async function run(request: Extract<LiveRequest, { type: 'run' }>): Promise<void> {
  const { id, url } = request;
  const abort = new AbortController();
  running.set(id, abort);
  const say = (message: string) => reply({ type: 'progress', id, message });
  let session: LiveSession | null = null;
  let connected = false;
  try {
    session = await LiveSession.open(url, { timeouts: request.timeouts, signal: abort.signal });
    connected = true;
    if (abort.signal.aborted) await session.cancel(); // aborted while connecting: the listener came too late
    const result: LiveRunResult = { target: session.target.label, checks: null, status: null };
    if (request.checks) {
      say(`running the checklist's queries on ${session.target.label}`);
      result.checks = await runChecks(session, request.checks.checklist, request.checks.phase, request.checks.previous);
    }
    if (abort.signal.aborted) return reply({ type: 'cancelled', id });
    if (request.status) {
      say(`comparing _prisma_migrations and the schema of ${session.target.label} with the migration folders`);
      try {
        const { project, config, schemaArg } = request.status;
        const analysis = await analyzeProject(project, { config });
        const after = new Map(analysis.migrations.map((m) => [m.report.name, m.after]));
        result.status = await readStatus({ session, project, catalogAfter: (n) => after.get(n), emptyCatalog: new Catalog(), migrationsTable: migrationsTableOf(url), schemaArg });
      } catch (e) {
        if (!request.checks) throw e;
        result.statusError = redactSecrets(e instanceof Error ? e.message : String(e), url);
      }
    }
    if (abort.signal.aborted) return reply({ type: 'cancelled', id });
    reply({ type: 'result', id, result });
  } catch (e) {
    if (abort.signal.aborted) return reply({ type: 'cancelled', id });
    // The layer's messages are redacted already; anything else is redacted here, structurally.
    reply({ type: 'error', id, message: redactSecrets(e instanceof Error ? e.message : String(e), url), connect: !connected && e instanceof InputError });
  } finally {
    running.delete(id);
    await session?.close();
  }
}
