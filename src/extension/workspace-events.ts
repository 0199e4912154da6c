/**
 * What makes the analyses run again, from VS Code's events: the editor layer's `AnalysisTriggers`
 * (src/editor/analysis-triggers.ts) for documents and files on disk; settings, workspace trust and
 * folders re-discover every project; analyses publish diagnostics and update the status bar.
 */
import * as vscode from 'vscode';
import { AnalysisTriggers, WATCHED_GLOBS } from '../editor/analysis-triggers';
import { Config } from './config';
import type { DiagnosticsPublisher } from './diagnostics';
import type { StatusBar } from './status-bar';
import type { WorkspaceAnalyzer } from './workspace-analyzer';

export function watchWorkspace(analyzer: WorkspaceAnalyzer, diagnostics: DiagnosticsPublisher, status: StatusBar): vscode.Disposable[] {
  const triggers = new AnalysisTriggers(analyzer);
  const onDocument = (doc: vscode.TextDocument, delay: (config: Config) => number, saved = false) => {
    if (doc.uri.scheme === 'file') void triggers.document(doc.uri.fsPath, delay(Config.for(doc.uri)), saved);
  };
  const onDisk = (uri: vscode.Uri, layoutChanged: boolean) => {
    if (uri.scheme === 'file') triggers.disk(uri.fsPath, layoutChanged);
  };

  const disposables: vscode.Disposable[] = [
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) onDocument(e.document, (c) => c.analysisDelayMs);
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => onDocument(doc, () => 0)),
    vscode.workspace.onDidCloseTextDocument((doc) => onDocument(doc, () => 0)),
    vscode.workspace.onDidSaveTextDocument((doc) => onDocument(doc, () => 0, true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (Config.affectsUs(e)) void analyzer.discoverAll();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void analyzer.discoverAll()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void analyzer.discoverAll()),
    vscode.window.onDidChangeActiveTextEditor(() => status.update()),
    analyzer.onDidAnalyse((session) => {
      diagnostics.publish(session);
      status.update();
    }),
    analyzer.onDidRemoveSession((session) => diagnostics.clear(session)),
    analyzer.onDidChangeBusy((busy) => status.setBusy(busy)),
    triggers,
  ];
  for (const glob of WATCHED_GLOBS) {
    const watcher = vscode.workspace.createFileSystemWatcher(glob);
    disposables.push(
      watcher,
      watcher.onDidCreate((uri) => onDisk(uri, true)),
      watcher.onDidDelete((uri) => onDisk(uri, true)),
      watcher.onDidChange((uri) => onDisk(uri, false)),
    );
  }
  return disposables;
}
