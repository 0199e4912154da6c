/**
 * What a check against a live database shows in the editor, as plain data (no `vscode`):
 * `preflight status`'s report as diagnostics on the migration folders' migration.sql, the
 * status-bar hint, and the one-line summary of a run. Plain text throughout (the Problems panel,
 * notifications and the status bar show Markdown as it is).
 */
import type { EditorDiagnostic } from '../../editor/shapes';
import { DIAGNOSTIC_SOURCE } from '../../editor/shapes';
import { plural } from '../../editor/plain-words';
import { checkCounts } from '../../core/live/check-edits';
import type { MigrationStatus, StatusReport } from '../../core/live/status';
import { redactUrl } from '../../core/trace/redact';
import type { LiveRunResult } from './live-protocol';

/** Codes of the diagnostics (ids of the rule catalog's live-database entries), linked to docs/live-database.md. */
export const MIGRATION_FAILED = 'migration-failed';
export const DATABASE_DRIFT = 'database-drift';

const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Diagnostics by migration.sql: a failed migration (Error, migration-failed) and a modified one
 * (Warning, database-drift) on their own file; a migration the database has and the folder lacks,
 * and drift in the schema, on the migration.sql of the newest migration the database has applied
 * (drift is measured against it), else the newest one here. Pending migrations are no problem.
 */
export function statusDiagnostics(report: StatusReport, local: { name: string; sqlFile: string | null }[], docHref: string): Map<string, EditorDiagnostic[]> {
  const out = new Map<string, EditorDiagnostic[]>();
  const fileOf = (name: string) => local.find((m) => m.name === name)?.sqlFile ?? null;
  const add = (file: string | null, severity: 1 | 2, code: string, message: string) => {
    if (!file) return;
    const d: EditorDiagnostic = { range: START, severity, source: DIAGNOSTIC_SOURCE, code, codeDescription: { href: docHref }, message: `${message} (database ${report.target})` };
    out.set(file, [...(out.get(file) ?? []), d]);
  };
  let upTo: string | null = null;
  for (const m of report.migrations) if ((m.state === 'applied' || m.state === 'modified') && fileOf(m.name)) upTo = m.name;
  const newest = [...local].reverse().find((m) => m.sqlFile)?.name ?? null;
  const anchor = fileOf(upTo ?? newest ?? '');
  for (const m of report.migrations) {
    if (m.state === 'failed') add(fileOf(m.name), 1, MIGRATION_FAILED, `Migration ${m.name} ${m.message}: ${(m.commands ?? []).join(' or ')}`);
    else if (m.state === 'modified') add(fileOf(m.name), 2, DATABASE_DRIFT, `Migration ${m.name}: ${m.message}`);
    else if (m.state === 'missing-locally') add(anchor, 2, DATABASE_DRIFT, `Migration ${m.name} is ${m.message}`);
  }
  for (const d of report.drift) add(anchor, 2, DATABASE_DRIFT, `Drift: ${capitalise(d.message)}`);
  return out;
}

/** The status bar's hint: shown only while the database has pending or failed migrations. */
export interface DatabaseHint {
  text: string;
  /** What a screen reader says, and the tooltip. */
  label: string;
  failed: boolean;
}

export function databaseHint(report: StatusReport): DatabaseHint | null {
  const count = (state: MigrationStatus['state']) => report.migrations.filter((m) => m.state === state).length;
  const failed = count('failed');
  const pending = count('pending') + count('rolled-back');
  if (!failed && !pending) return null;
  const parts = [failed ? `${failed} failed` : '', pending ? `${pending} pending` : ''].filter(Boolean);
  const words = [failed ? `${plural(failed, 'failed migration')} (migrate deploy refuses to run until it is resolved)` : '', pending ? `${plural(pending, 'migration')} not applied yet` : ''].filter(Boolean);
  return { text: `$(database) ${parts.join(', ')}`, label: `Database ${report.target}: ${words.join('; ')}. Click to see the Problems panel.`, failed: failed > 0 };
}

/** One sentence for the notification at the end of a run. */
export function runSummary(result: LiveRunResult, phaseWords = 'pre-deployment'): string {
  const parts: string[] = [];
  if (result.checks) {
    const c = checkCounts(result.checks);
    const ran = c.passed + c.failed + c.timeout + c.error;
    if (!ran) parts.push(`no ${phaseWords} checks to run for ${result.checks.checklist.migration}`);
    else {
      const counts = [`${c.passed} passed`, `${c.failed} failed`, c.timeout ? `${c.timeout} timed out` : '', c.error ? `${c.error} with an error` : ''].filter(Boolean);
      parts.push(`${plural(ran, `${phaseWords} check`)} of ${result.checks.checklist.migration}: ${counts.join(', ')}`);
    }
  }
  if (result.status) {
    const r = result.status;
    const n = (s: MigrationStatus['state']) => r.migrations.filter((m) => m.state === s).length;
    const bad = [n('failed') ? `${n('failed')} failed` : '', n('modified') ? `${n('modified')} modified` : '', n('missing-locally') ? `${n('missing-locally')} missing here` : '', n('pending') ? `${n('pending')} pending` : ''].filter(Boolean);
    parts.push(`migrations: ${bad.length ? bad.join(', ') : 'all applied'}; ${r.drift.length ? plural(r.drift.length, 'drift difference') : 'no drift'}`);
  } else if (result.statusError) parts.push(`status not read: ${result.statusError}`);
  return `${parts.map(capitalise).join('. ')} (${result.target}).`;
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** host:port/database of a URL: what the notifications and the log name (never the user or password). */
export function targetLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}${u.port ? `:${u.port}` : ''}/${decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default)'}`;
  } catch {
    return redactUrl(url);
  }
}

/** Whether text looks like a PostgreSQL URL; the reason when it does not (the input box shows it). */
export function urlProblem(text: string): string | null {
  const t = text.trim();
  if (!t) return 'Type the URL of the database to read, e.g. postgresql://user:password@host:5432/db';
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return 'This is not a URL: postgresql://user:password@host:5432/db';
  }
  if (u.protocol !== 'postgresql:' && u.protocol !== 'postgres:') return 'The URL must start with postgresql:// or postgres://';
  return null;
}
