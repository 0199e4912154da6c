/**
 * `preflight check --format github`: one GitHub Actions workflow command per finding, which the
 * runner turns into an annotation on the pull request's diff:
 *
 *   ::error file=prisma/migrations/x/migration.sql,line=3,col=1,endLine=3,endColumn=26,title=drop-table::Drops table ...
 *
 * Escaping follows @actions/toolkit's `command.ts`: in the message (data) `%`, `\r` and `\n`; in
 * property values also `:` and `,`, which would otherwise end the value.
 */
import { plainText } from '../../core/text/plain-text';
import type { AnalysisResult, Finding, Severity } from '../../core/types';
import { displayPath } from './paths';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function toGithubAnnotations(result: AnalysisResult, cwd: string): string {
  return result.findings.map((f) => `${annotation(f, cwd)}\n`).join('');
}

function annotation(f: Finding, cwd: string): string {
  const { start, end } = f.range;
  const properties: [string, string | number][] = [
    ['file', displayPath(cwd, f.file)],
    ['line', start.line],
  ];
  // GitHub only supports columns on a single-line annotation; it rejects them otherwise.
  if (start.line === end.line) properties.push(['col', start.column]);
  properties.push(['endLine', end.line]);
  if (start.line === end.line) properties.push(['endColumn', end.column]);
  properties.push(['title', f.rule]);
  const props = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  const text = f.help ? `${f.message} ${f.help}` : f.message;
  return `::${COMMAND[f.severity]} ${props}::${escapeData(plainText(text))}`;
}


/** Escapes the message part of a workflow command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value of a workflow command. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
