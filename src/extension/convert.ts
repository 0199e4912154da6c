/** The editor layer's LSP-shaped data (src/editor/shapes.ts) → VS Code types, at the edge. */
import * as vscode from 'vscode';
import { ruleOf as ruleOfRef } from '../editor/diagnostics';
import { toEditorRange } from '../editor/positions';
import type { EditorDiagnostic, EditorRange, EditorSeverity, EditorWorkspaceEdit } from '../editor/shapes';
import type { SourceRange } from '../core/types';

export { DIAGNOSTIC_SOURCE } from '../editor/shapes';

/** Core ranges carry 1-based lines and UTF-16 columns, as VS Code counts them. */
export function toRange(r: SourceRange): vscode.Range {
  return fromEditorRange(toEditorRange(r));
}

export function fromEditorRange(r: EditorRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toEditorRangeOf(r: vscode.Range): EditorRange {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

function toSeverity(s: EditorSeverity): vscode.DiagnosticSeverity {
  switch (s) {
    case 1:
      return vscode.DiagnosticSeverity.Error;
    case 2:
      return vscode.DiagnosticSeverity.Warning;
    case 3:
      return vscode.DiagnosticSeverity.Information;
    default:
      return vscode.DiagnosticSeverity.Hint;
  }
}

export function toDiagnostic(d: EditorDiagnostic): vscode.Diagnostic {
  const out = new vscode.Diagnostic(fromEditorRange(d.range), d.message, toSeverity(d.severity));
  out.source = d.source;
  out.code = d.codeDescription ? { value: d.code, target: vscode.Uri.parse(d.codeDescription.href) } : d.code;
  if (d.relatedInformation?.length) {
    out.relatedInformation = d.relatedInformation.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.location.file), fromEditorRange(r.location.range)), r.message));
  }
  return out;
}

/** The rule id of one of our diagnostics, or null for anyone else's. */
export function ruleOf(d: vscode.Diagnostic): string | null {
  const code = d.code;
  return ruleOfRef({ range: toEditorRangeOf(d.range), source: d.source, code: typeof code === 'object' && code !== null ? code.value : code });
}

export function toWorkspaceEdit(e: EditorWorkspaceEdit): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const change of e.changes) {
    if (change.kind === 'create') edit.createFile(vscode.Uri.file(change.file), { contents: Buffer.from(change.contents, 'utf8'), ignoreIfExists: false });
    else for (const t of change.edits) edit.replace(vscode.Uri.file(change.file), fromEditorRange(t.range), t.newText);
  }
  return edit;
}
