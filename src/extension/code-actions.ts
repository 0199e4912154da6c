/**
 * Quick fixes for our diagnostics: the core's fixes (text edits plus new migration folders),
 * suppression comments for the statement or the file, and the rule's documentation. A fix is
 * preferred only when the core marks it safe: rewriting a migration is the user's decision.
 */
import * as vscode from 'vscode';
import type { Finding, Fix } from '../core/types';
import { ruleOf, toRange } from './convert';
import { DRY_RUN_ERROR } from './dry-run/dry-run-problems';
import type { ProjectSession } from './project-session';
import type { WorkspaceAnalyzer } from './workspace-analyzer';

export const SHOW_RULE_DOC_COMMAND = 'preflight.showRuleDocumentation';

export class PreflightCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(
    private readonly analyzer: WorkspaceAnalyzer,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    try {
      return await this.actionsFor(doc, range, context);
    } catch (e) {
      this.log.error(`Quick fixes failed in ${doc.uri.fsPath}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return [];
    }
  }

  private async actionsFor(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    // Dry-run failures (dry-run-error) are not rule findings: no fixes, ignore comments or rule page.
    const ours = context.diagnostics.filter((d) => ruleOf(d) !== null && ruleOf(d) !== DRY_RUN_ERROR);
    if (!ours.length || doc.uri.scheme !== 'file') return [];
    const file = doc.uri.fsPath;
    const session = this.analyzer.sessionOf(file);
    if (!session) return [];
    const current = session.isCurrent(file, doc.version);
    const actions: vscode.CodeAction[] = [];
    const ignoredFileRules = new Set<string>();
    for (const diagnostic of ours) {
      const rule = ruleOf(diagnostic)!;
      const finding = current ? session.findingsOf(file).find((f) => f.rule === rule && toRange(f.range).isEqual(diagnostic.range)) : undefined;
      if (finding) {
        let preferred = false;
        for (const fix of finding.fixes ?? []) {
          const action = await fixAction(doc, fix, diagnostic);
          if (!action) continue;
          if (fix.safe && !preferred) action.isPreferred = preferred = true;
          actions.push(action);
        }
        const stmt = ignoreStatementAction(doc, session, finding, diagnostic);
        if (stmt) actions.push(stmt);
        if (file.endsWith('.prisma')) actions.push(ignoreSchemaLineAction(doc, rule, diagnostic));
        if (finding.migration && !ignoredFileRules.has(rule) && file.endsWith('.sql')) {
          ignoredFileRules.add(rule);
          actions.push(ignoreFileAction(doc, rule, diagnostic));
        }
      }
      const docs = new vscode.CodeAction(`Show documentation for ${rule}`, vscode.CodeActionKind.QuickFix);
      docs.command = { command: SHOW_RULE_DOC_COMMAND, title: docs.title, arguments: [rule] };
      docs.diagnostics = [diagnostic];
      actions.push(docs);
    }
    return dedupe(actions);
  }
}

/** The core's fix as a workspace edit: offsets become positions in the text the analysis read. */
async function fixAction(doc: vscode.TextDocument, fix: Fix, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction | undefined> {
  const edit = new vscode.WorkspaceEdit();
  for (const f of fix.newFiles ?? []) {
    edit.createFile(vscode.Uri.file(f.file), { contents: Buffer.from(f.content, 'utf8'), ignoreIfExists: false });
  }
  for (const e of fix.edits) {
    const target = e.file === doc.uri.fsPath ? doc : await vscode.workspace.openTextDocument(vscode.Uri.file(e.file)).then(
      (d) => d,
      () => undefined,
    );
    if (!target) return undefined;
    edit.replace(target.uri, new vscode.Range(target.positionAt(e.startOffset), target.positionAt(e.endOffset)), e.newText);
  }
  const action = new vscode.CodeAction(fix.safe ? fix.title : `${fix.title} (review: changes what the migration does)`, vscode.CodeActionKind.QuickFix);
  action.edit = edit;
  action.diagnostics = [diagnostic];
  return action;
}

/** `-- preflight-ignore <rule>` on its own line before the statement, with its indentation. */
function ignoreStatementAction(doc: vscode.TextDocument, session: ProjectSession, finding: Finding, diagnostic: vscode.Diagnostic): vscode.CodeAction | undefined {
  if (finding.statementIndex === undefined) return undefined;
  const st = session.migrationOf(doc.uri.fsPath)?.parsed.statements[finding.statementIndex];
  if (!st) return undefined;
  const start = doc.positionAt(st.range.startOffset);
  const indent = doc.lineAt(start.line).text.slice(0, start.character).match(/^\s*/)?.[0] ?? '';
  const action = new vscode.CodeAction(`Ignore ${finding.rule} for this statement`, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  action.edit.insert(doc.uri, new vscode.Position(start.line, 0), `${indent}-- preflight-ignore ${finding.rule}\n`);
  action.diagnostics = [diagnostic];
  return action;
}

/** `// preflight-ignore <rule>` on its own line above the reported line of schema.prisma, with its indentation. */
function ignoreSchemaLineAction(doc: vscode.TextDocument, rule: string, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const line = diagnostic.range.start.line;
  const indent = doc.lineAt(line).text.match(/^\s*/)?.[0] ?? '';
  const action = new vscode.CodeAction(`Ignore ${rule} on this line`, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  action.edit.insert(doc.uri, new vscode.Position(line, 0), `${indent}// preflight-ignore ${rule}\n`);
  action.diagnostics = [diagnostic];
  return action;
}

/** `-- preflight-ignore-file <rule>` on the first line of the file. */
function ignoreFileAction(doc: vscode.TextDocument, rule: string, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(`Ignore ${rule} for this file`, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  action.edit.insert(doc.uri, new vscode.Position(0, 0), `-- preflight-ignore-file ${rule}\n`);
  action.diagnostics = [diagnostic];
  return action;
}

function dedupe(actions: vscode.CodeAction[]): vscode.CodeAction[] {
  const seen = new Set<string>();
  return actions.filter((a) => {
    const key = a.command ? `${a.title}|cmd` : a.title;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
