/**
 * Publishes the editor layer's diagnostics (src/editor/diagnostics.ts: which files, which
 * diagnostics) into VS Code's collection.
 */
import * as vscode from 'vscode';
import { DiagnosticsScope } from '../editor/diagnostics';
import { Config } from './config';
import { toDiagnostic } from './convert';
import type { ProjectSession } from './project-session';

export class DiagnosticsPublisher implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('preflight');
  private readonly scope: DiagnosticsScope;

  constructor(docUri: (ruleId: string) => vscode.Uri) {
    this.scope = new DiagnosticsScope((id) => docUri(id).toString());
  }

  publish(session: ProjectSession): void {
    const open = new Set(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => d.uri.fsPath));
    const scopeAll = Config.for(session.workspaceFolder ? vscode.Uri.file(session.workspaceFolder) : undefined).problemsScope === 'all';
    const update = this.scope.publish(session, open, scopeAll);
    for (const [file, diagnostics] of update.set) this.collection.set(vscode.Uri.file(file), diagnostics.map(toDiagnostic));
    for (const file of update.clear) this.collection.delete(vscode.Uri.file(file));
  }

  clear(session: ProjectSession): void {
    for (const file of this.scope.clear(session)) this.collection.delete(vscode.Uri.file(file));
  }

  /** Our diagnostics for a file, as published. */
  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    this.collection.dispose();
  }
}
