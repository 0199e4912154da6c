/**
 * The editor layer's quick fixes (src/editor/code-actions.ts: the core's fixes first, the real fix
 * preferred, then ignore comments, then the rule's documentation) for VS Code.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeActionsFor } from '../editor/code-actions';
import { DocumentText } from '../editor/positions';
import { OPEN_NEW_MIGRATION_COMMAND } from '../editor/shapes';
import { ruleOf, toEditorRangeOf, toWorkspaceEdit } from './convert';
import { DRY_RUN_ERROR } from './dry-run/dry-run-problems';
import type { WorkspaceAnalyzer } from './workspace-analyzer';

export { OPEN_NEW_MIGRATION_COMMAND, SHOW_RULE_DOC_COMMAND } from '../editor/shapes';

export class PreflightCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(
    private readonly analyzer: WorkspaceAnalyzer,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    try {
      return this.actionsFor(doc, context);
    } catch (e) {
      this.log.error(`Quick fixes failed in ${doc.uri.fsPath}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return [];
    }
  }

  private actionsFor(doc: vscode.TextDocument, context: vscode.CodeActionContext): vscode.CodeAction[] {
    // Dry-run failures (dry-run-error) are not rule findings: no fixes, ignore comments or rule page.
    const ours = context.diagnostics.filter((d) => ruleOf(d) !== null && ruleOf(d) !== DRY_RUN_ERROR);
    if (!ours.length || doc.uri.scheme !== 'file') return [];
    const file = doc.uri.fsPath;
    const session = this.analyzer.sessionOf(file);
    if (!session) return [];
    const refs = ours.map((d) => ({ diagnostic: d, range: toEditorRangeOf(d.range), source: d.source, code: ruleOf(d)! }));
    const actions = codeActionsFor({ file, document: new DocumentText(doc.getText()), version: doc.version, session, diagnostics: refs, textOf, log: this.log });
    return actions.map((a) => {
      const action = new vscode.CodeAction(a.title, vscode.CodeActionKind.QuickFix);
      if (a.edit) action.edit = toWorkspaceEdit(a.edit);
      action.diagnostics = a.diagnostics.map((r) => r.diagnostic);
      if (a.isPreferred) action.isPreferred = true;
      if (a.command) {
        const args = a.command.command === OPEN_NEW_MIGRATION_COMMAND ? a.command.arguments.map((f) => vscode.Uri.file(String(f))) : a.command.arguments;
        action.command = { command: a.command.command, title: a.command.title, arguments: args };
      }
      return action;
    });
  }
}

/** Another file a fix edits: its open document's text, else the file's. */
function textOf(file: string): string | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (open) return open.getText();
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Opens a migration a fix just created, and says where the statement went. */
export async function openNewMigration(uri: unknown): Promise<void> {
  if (!(uri instanceof vscode.Uri)) return;
  await vscode.window.showTextDocument(uri, { preview: false });
  const rel = vscode.workspace.asRelativePath(uri);
  void vscode.window.showInformationMessage(`Preflight: the statement now runs in its own migration, ${path.basename(path.dirname(uri.fsPath))} (${rel}). Review it before committing.`);
}

