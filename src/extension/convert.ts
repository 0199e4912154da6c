/** Core data → VS Code types, at the edge (the core never sees `vscode`). */
import * as vscode from 'vscode';
import type { Finding, RelatedLocation, Severity, SourceRange } from '../core/types';
import { plainText } from './plain-words';

export const DIAGNOSTIC_SOURCE = 'preflight';

/** Core ranges carry 1-based lines and UTF-16 columns, as VS Code counts them. */
export function toRange(r: SourceRange): vscode.Range {
  return new vscode.Range(r.start.line - 1, r.start.column - 1, r.end.line - 1, r.end.column - 1);
}

export function toSeverity(s: Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    default:
      return vscode.DiagnosticSeverity.Information;
  }
}

export function toDiagnostic(f: Finding, docUri: (ruleId: string) => vscode.Uri): vscode.Diagnostic {
  // The Problems panel is plain text: the core's Markdown code spans lose their backticks.
  const message = plainText(f.help ? `${f.message}\n${f.help}` : f.message);
  const d = new vscode.Diagnostic(toRange(f.range), message, toSeverity(f.severity));
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: f.rule, target: docUri(f.rule) };
  if (f.related?.length) d.relatedInformation = f.related.map(toRelated);
  return d;
}

function toRelated(r: RelatedLocation): vscode.DiagnosticRelatedInformation {
  return new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), toRange(r.range)), plainText(r.message));
}

/** The rule id of one of our diagnostics, or null for anyone else's. */
export function ruleOf(d: vscode.Diagnostic): string | null {
  if (d.source !== DIAGNOSTIC_SOURCE) return null;
  const code = d.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? null : String(code);
}
