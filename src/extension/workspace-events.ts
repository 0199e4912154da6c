/**
 * What makes the analyses run again: typing (debounced), opening and closing editors, saving,
 * files created, changed or deleted on disk, settings, workspace trust and folders.
 */
import * as vscode from 'vscode';
import { Config } from './config';
import type { DiagnosticsPublisher } from './diagnostics';
import type { StatusBar } from './status-bar';
import { isPrismaFile, type WorkspaceAnalyzer } from './workspace-analyzer';

const WATCHED = ['**/migration.sql', '**/*.prisma', '**/migration_lock.toml', '**/preflight.config.json', '**/prisma.config.{ts,mts,cts,js,mjs,cjs}', '**/migrations/*'];

export function watchWorkspace(analyzer: WorkspaceAnalyzer, diagnostics: DiagnosticsPublisher, status: StatusBar): vscode.Disposable[] {
  const onDocument = async (doc: vscode.TextDocument, delay: (config: Config) => number, saved = false) => {
    if (doc.uri.scheme !== 'file' || !isPrismaFile(doc.uri.fsPath)) return;
    const session = await analyzer.ensureSessionOf(doc.uri.fsPath);
    if (session) analyzer.schedule(session, delay(Config.for(doc.uri)), saved ? { git: [doc.uri.fsPath] } : {});
  };
  const layoutTimers = new Map<string, NodeJS.Timeout>();
  const onDisk = (uri: vscode.Uri, layoutChanged: boolean) => {
    if (uri.scheme !== 'file') return;
    const file = uri.fsPath;
    if (/preflight\.config\.json$|prisma\.config\.[cm]?[jt]s$/.test(file)) {
      debounce(layoutTimers, '*', () => void analyzer.discoverAll());
      return;
    }
    const session = analyzer.sessionOf(file);
    if (!session) {
      if (layoutChanged && isPrismaFile(file)) debounce(layoutTimers, '*', () => void analyzer.discoverAll());
      return;
    }
    if (layoutChanged) debounce(layoutTimers, session.key, () => void analyzer.rediscover(session));
    else analyzer.schedule(session, 100, { git: [file] });
  };

  const disposables: vscode.Disposable[] = [
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) void onDocument(e.document, (c) => c.analysisDelayMs);
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => void onDocument(doc, () => 0)),
    vscode.workspace.onDidCloseTextDocument((doc) => void onDocument(doc, () => 0)),
    vscode.workspace.onDidSaveTextDocument((doc) => void onDocument(doc, () => 0, true)),
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
    { dispose: () => layoutTimers.forEach((t) => clearTimeout(t)) },
  ];
  for (const glob of WATCHED) {
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

function debounce(timers: Map<string, NodeJS.Timeout>, key: string, run: () => void): void {
  const t = timers.get(key);
  if (t) clearTimeout(t);
  timers.set(
    key,
    setTimeout(() => {
      timers.delete(key);
      run();
    }, 200),
  );
}
