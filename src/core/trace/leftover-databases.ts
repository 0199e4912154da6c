/**
 * Temporary databases a dry run left on a server (a kill -9, a lost connection). Each one carries
 * a JSON comment naming the run that made it: `{"tool":"preflight trace","pid":…,"host":…,"started":…}`.
 * A new dry run drops those of dead processes on this host, and any older than a day;
 * `preflight trace --cleanup` drops every one not in use by a live run on this host.
 */
import { hostname } from 'node:os';
import type { Client as PgClient } from 'pg';

export const TRACE_TOOL = 'preflight trace';
/** A marked database older than this is stale whatever its pid. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export interface TraceMarker {
  tool: string;
  pid: number;
  host: string;
  started: string;
}

export function traceMarker(now = new Date()): TraceMarker {
  return { tool: TRACE_TOOL, pid: process.pid, host: hostname(), started: now.toISOString() };
}

export interface LeftoverDatabase {
  database: string;
  marker: TraceMarker | null;
  /** Whether a throwaway role of the same name exists. */
  role: boolean;
}

export function readMarker(comment: string | null): TraceMarker | null {
  if (!comment) return null;
  try {
    const m = JSON.parse(comment) as Partial<TraceMarker>;
    if (m.tool !== TRACE_TOOL || typeof m.pid !== 'number' || typeof m.host !== 'string' || typeof m.started !== 'string') return null;
    return m as TraceMarker;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a marked database is stale, or null while its run may still be going. */
export function staleBecause(marker: TraceMarker, now = Date.now()): string | null {
  const age = now - Date.parse(marker.started);
  if (Number.isFinite(age) && age > STALE_AFTER_MS) return `started ${marker.started}, more than 24 h ago`;
  if (marker.host === hostname() && marker.pid !== process.pid && !processAlive(marker.pid)) return `its process ${marker.pid} on this host has ended`;
  return null;
}

/** In use by a live process on this host (never dropped by --cleanup). */
export function inUse(marker: TraceMarker | null): boolean {
  return marker !== null && marker.host === hostname() && (marker.pid === process.pid || processAlive(marker.pid)) && staleBecause(marker) === null;
}

export async function listLeftovers(admin: PgClient): Promise<LeftoverDatabase[]> {
  const rows = await admin.query<{ datname: string; comment: string | null; role: boolean }>(
    `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS comment, EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = d.datname) AS role
       FROM pg_database d WHERE d.datname LIKE 'preflight\\_trace\\_%' ORDER BY d.datname`,
  );
  return rows.rows.map((r) => ({ database: r.datname, marker: readMarker(r.comment), role: r.role }));
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Drops the database and its throwaway role; the error message when it could not. */
export async function dropLeftover(admin: PgClient, d: LeftoverDatabase): Promise<string | null> {
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(d.database)} WITH (FORCE)`);
    if (d.role) await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(d.database)}`);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** A new run's housekeeping: drops this tool's stale databases (marked, dead pid on this host or older than a day). */
export async function dropStaleDatabases(admin: PgClient): Promise<{ database: string; why: string; error: string | null }[]> {
  const out: { database: string; why: string; error: string | null }[] = [];
  for (const d of await listLeftovers(admin)) {
    const why = d.marker ? staleBecause(d.marker) : null;
    if (why) out.push({ database: d.database, why, error: await dropLeftover(admin, d) });
  }
  return out;
}
