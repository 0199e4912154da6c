/**
 * A dry run's failures as problems of migration.sql: where (PostgreSQL's error position, else the
 * failing statement), how bad (an error PostgreSQL raised; information when PGlite itself cannot
 * run the statement, e.g. an extension it does not ship) and what to read (SQLSTATE, message,
 * detail, hint, and what the failure means for the file). No `vscode` here: unit-tested under Node.
 */
import type { TracedStatement, TraceError, TraceResult } from '../../core/trace/types';
import type { Position, SourceRange } from '../../core/types';
import { engineLabel } from './observed-words';

/** The diagnostic code of every dry-run problem. */
export const DRY_RUN_ERROR = 'dry-run-error';

export interface DryRunProblem {
  statementIndex: number;
  range: SourceRange;
  /** `error`: PostgreSQL rejected the statement; `info`: the embedded database cannot run it. */
  severity: 'error' | 'info';
  message: string;
}

export function dryRunProblems(result: TraceResult, text: string): DryRunProblem[] {
  const out: DryRunProblem[] = [];
  for (const st of result.statements) {
    if (st.status !== 'failed' || !st.error) continue;
    const limitation = pgliteLimitation(result, st, text);
    out.push({
      statementIndex: st.index,
      range: errorRange(text, st, st.error),
      severity: limitation === null ? 'error' : 'info',
      message: limitation === null ? failureMessage(result, st.error) : limitationMessage(result, st.error, limitation),
    });
  }
  return out;
}

function failureMessage(result: TraceResult, e: TraceError): string {
  const lines = [`SQLSTATE ${e.sqlstate}: ${e.message}`];
  if (e.detail) lines.push(`Detail: ${e.detail}`);
  if (e.hint) lines.push(`Hint: ${e.hint}`);
  const whatHappens =
    result.outcome === 'partially-applied'
      ? 'the statements before it stay applied and the deploy stops here (then `prisma migrate resolve`)'
      : 'nothing of the file stays applied and the deploy stops here';
  lines.push(`Dry run on ${engineLabel(result)} (${result.execution.reason}): ${whatHappens}.`);
  return lines.join('\n');
}

function limitationMessage(result: TraceResult, e: TraceError, why: string): string {
  return [
    `The dry run could not run this statement: ${why} (SQLSTATE ${e.sqlstate}: ${e.message}).`,
    `This says nothing about your database; \`preflight trace --shadow-database-url <url>\` runs it on a PostgreSQL server that has what it needs (${engineLabel(result)} here).`,
  ].join('\n');
}

/**
 * Why the statement failed in the embedded database when the failure is PGlite's, not the
 * migration's: an extension PGlite does not ship (or something that needs it), or PGlite giving
 * up (XX000). Null for a failure PostgreSQL itself would raise.
 */
export function pgliteLimitation(result: TraceResult, st: TracedStatement, text: string): string | null {
  const e = st.error;
  if (!e || result.engine !== 'pglite') return null;
  if (e.sqlstate === 'XX000') return 'the embedded database (PGlite) stopped';
  const sql = text.slice(st.range.startOffset, st.range.endOffset).toLowerCase();
  const said = `${e.message} ${e.detail ?? ''}`.toLowerCase();
  for (const name of result.extensions.unsupported) {
    const word = new RegExp(`(^|[^a-z0-9_])${name.toLowerCase().replace(/[^a-z0-9_]/g, (c) => `\\${c}`)}($|[^a-z0-9_])`);
    if (word.test(said) || word.test(sql)) return `PGlite does not provide the extension "${name}"`;
  }
  if (e.sqlstate === '58P01' && /extension/.test(said)) return 'PGlite does not provide this extension';
  return null;
}

/**
 * Where a failure points: PostgreSQL's error position (the token there) when it is inside the
 * file and not simply the statement's start; else the whole failing statement.
 */
export function errorRange(text: string, st: TracedStatement, e: TraceError): SourceRange {
  if (e.offset === st.range.startOffset || e.offset < 0 || e.offset >= text.length) return st.range;
  const token = /^(?:"(?:[^"]|"")*"|'(?:[^']|'')*'|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*|\d+(?:\.\d+)?|\S)/.exec(text.slice(e.offset, e.offset + 2000))?.[0] ?? text[e.offset];
  const start: Position = { line: e.line, column: e.column };
  return { startOffset: e.offset, endOffset: e.offset + token.length, start, end: positionAfter(start, token) };
}

/** The position right after `text` written from `start` (1-based lines, UTF-16 columns). */
function positionAfter(start: Position, text: string): Position {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length === 1) return { line: start.line, column: start.column + text.length };
  return { line: start.line + lines.length - 1, column: lines[lines.length - 1].length + 1 };
}
