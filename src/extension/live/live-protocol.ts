/**
 * What the extension and its live-database worker (`live-worker.ts`, `dist/live.js`) say to each
 * other: plain data only (structured clone), typed once for both sides. The URL travels only in a
 * `run` request, inside the extension host's own process; it is never in a reply.
 */
import type { Checklist, ChecklistState } from '../../core/checklist/model';
import type { PreflightConfig } from '../../core/project/config';
import type { PrismaProject } from '../../core/project/discover';
import type { CheckPhase, CheckRun } from '../../core/live/checks';
import type { LiveTimeouts } from '../../core/live/connection';
import type { StatusReport } from '../../core/live/status';

/** Extension → worker. */
export type LiveRequest =
  | {
      type: 'run';
      id: number;
      url: string;
      timeouts?: Partial<LiveTimeouts>;
      /** The checklist's queries to run (the checklist as generated, and what the file holds now). */
      checks?: { checklist: Checklist; previous: ChecklistState; phase: CheckPhase };
      /** `preflight status` of this project (the migration files on disk). */
      status?: { project: PrismaProject; config: PreflightConfig; schemaArg: string };
    }
  | { type: 'cancel'; id: number };

export interface LiveRunResult {
  /** host:port/database, never the user or password. */
  target: string;
  checks: CheckRun | null;
  status: StatusReport | null;
  /** Why status could not be read (redacted), when the checks ran. */
  statusError?: string;
}

/** Worker → extension. */
export type LiveReply =
  | { type: 'progress'; id: number; message: string }
  | { type: 'result'; id: number; result: LiveRunResult }
  | { type: 'cancelled'; id: number }
  /** `connect`: the database could not be reached or refused the login (the URL may be wrong). */
  | { type: 'error'; id: number; message: string; connect: boolean };
