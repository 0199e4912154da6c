/**
 * The editor layer's `WorkspaceAnalyzer` (src/editor/workspace-analyzer.ts) over VS Code: settings,
 * open documents, workspace trust and folders, and `workspace.findFiles` for the project markers.
 */
import * as vscode from 'vscode';
import { PROJECT_MARKER_NAMES, WorkspaceAnalyzer as EditorWorkspaceAnalyzer, type EditorHost } from '../editor/workspace-analyzer';
import { Config } from './config';

export { errorText, isPrismaFile, type AnalyseRequest } from '../editor/workspace-analyzer';

const PROJECT_MARKERS = `**/{${PROJECT_MARKER_NAMES.join(',')}}`;
const EXCLUDE = '**/{node_modules,.git}/**';

export class WorkspaceAnalyzer extends EditorWorkspaceAnalyzer {
  constructor(log: vscode.LogOutputChannel) {
    super(vscodeHost(log));
  }
}

function vscodeHost(log: vscode.LogOutputChannel): EditorHost {
  return {
    log,
    isTrusted: () => vscode.workspace.isTrusted,
    workspaceFolders: () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    workspaceFolderOf: (fileOrDir) => vscode.workspace.getWorkspaceFolder(vscode.Uri.file(fileOrDir))?.uri.fsPath,
    settingsFor: (fileOrDir) => Config.for(vscode.Uri.file(fileOrDir)),
    findProjectMarkers: async (max) => (await vscode.workspace.findFiles(PROJECT_MARKERS, EXCLUDE, max)).filter((u) => u.scheme === 'file').map((u) => u.fsPath),
    openDocuments: () =>
      vscode.workspace.textDocuments
        .filter((d) => d.uri.scheme === 'file')
        .map((d) => ({ file: d.uri.fsPath, version: d.version, dirty: d.isDirty, text: () => d.getText() })),
  };
}
