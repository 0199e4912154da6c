/**
 * Publishes findings as diagnostics. Open files always get theirs; the Problems panel also covers
 * the migrations added or changed on the current branch (setting `preflight.problems.scope`:
 * `all` for every migration), schema.prisma and project-wide findings.
 */
import * as vscode from 'vscode';
import { Config } from './config';
import { toDiagnostic } from './convert';
import type { ProjectSession } from './project-session';

export class DiagnosticsPublisher implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('preflight');
  /** Files each project last published diagnostics for. */
  private readonly published = new Map<string, Set<string>>();

  constructor(private readonly docUri: (ruleId: string) => vscode.Uri) {}

  publish(session: ProjectSession): void {
    const open = new Set(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => d.uri.fsPath));
    const scopeAll = Config.for(session.workspaceFolder ? vscode.Uri.file(session.workspaceFolder) : undefined).problemsScope === 'all';
    const before = this.published.get(session.key) ?? new Set<string>();
    const now = new Set<string>();
    for (const file of session.filesWithFindings()) {
      const findings = session.findingsOf(file).filter((f) => open.has(file) || scopeAll || session.inBranchScope(f.migration));
      if (!findings.length) continue;
      this.collection.set(vscode.Uri.file(file), findings.map((f) => toDiagnostic(f, this.docUri)));
      now.add(file);
    }
    for (const file of before) if (!now.has(file)) this.collection.delete(vscode.Uri.file(file));
    this.published.set(session.key, now);
  }

  clear(session: ProjectSession): void {
    for (const file of this.published.get(session.key) ?? []) this.collection.delete(vscode.Uri.file(file));
    this.published.delete(session.key);
  }

  /** Our diagnostics for a file, as published. */
  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    this.collection.dispose();
  }
}
