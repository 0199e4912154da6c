/**
 * Quick fixes for our diagnostics: the core's fixes (text edits plus new migration folders) first,
 * the first of them preferred (Enter applies the real fix, an unsafe one says so in its title),
 * then the suppression comments for the statement or the file, then the rule's documentation.
 * A fix that creates a migration folder takes the next free timestamp and opens the new file.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding, Fix } from '../core/types';
import { ruleOf, toRange } from './convert';
import { DRY_RUN_ERROR } from './dry-run/dry-run-problems';
import { freeMigrationFile } from './free-migration-folder';
import type { ProjectSession } from './project-session';
import type { WorkspaceAnalyzer } from './workspace-analyzer';

export const SHOW_RULE_DOC_COMMAND = 'preflight.showRuleDocumentation';
/** Run after a fix that created a migration: opens it and says where it went. */
export const OPEN_NEW_MIGRATION_COMMAND = 'preflight.openNewMigration';

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
    // Fixes first, ignore comments after them, documentation last: the menu keeps this order.
    const fixes: vscode.CodeAction[] = [];
    const ignores: vscode.CodeAction[] = [];
    const docs: vscode.CodeAction[] = [];
    const ignoredFileRules = new Set<string>();
    for (const diagnostic of ours) {
      const rule = ruleOf(diagnostic)!;
      const finding = current ? session.findingsOf(file).find((f) => f.rule === rule && toRange(f.range).isEqual(diagnostic.range)) : undefined;
      if (finding) {
        const own: { action: vscode.CodeAction; safe: boolean }[] = [];
        for (const fix of finding.fixes ?? []) {
          const action = await fixAction(doc, fix, diagnostic, this.log);
          if (action) own.push({ action, safe: fix.safe });
        }
        // The real fix is the default (a safe one when there is one), never an ignore comment.
        const preferred = (own.find((o) => o.safe) ?? own[0])?.action;
        if (preferred) preferred.isPreferred = true;
        fixes.push(...own.map((o) => o.action));
        const stmt = ignoreStatementAction(doc, session, finding, diagnostic);
        if (stmt) ignores.push(stmt);
        if (file.endsWith('.prisma')) ignores.push(ignoreSchemaLineAction(doc, rule, diagnostic));
        if (finding.migration && !ignoredFileRules.has(rule) && file.endsWith('.sql')) {
          ignoredFileRules.add(rule);
          ignores.push(ignoreFileAction(doc, rule, diagnostic));
        }
      }
      const action = new vscode.CodeAction(`Show documentation for ${rule}`, vscode.CodeActionKind.QuickFix);
      action.command = { command: SHOW_RULE_DOC_COMMAND, title: action.title, arguments: [rule] };
      action.diagnostics = [diagnostic];
      docs.push(action);
    }
    const actions = [...fixes, ...ignores, ...docs];
    return dedupe(actions);
  }
}

/**
 * The core's fix as a workspace edit: offsets become positions in the text the analysis read. A new
 * migration folder whose timestamp is taken moves to the next free one (VS Code would refuse the
 * whole edit, silently); the action then opens the new file.
 */
async function fixAction(doc: vscode.TextDocument, fix: Fix, diagnostic: vscode.Diagnostic, log: vscode.LogOutputChannel): Promise<vscode.CodeAction | undefined> {
  const edit = new vscode.WorkspaceEdit();
  let title = fix.title;
  const created: string[] = [];
  for (const f of fix.newFiles ?? []) {
    const file = freeFile(f.file, doc.uri.fsPath);
    if (!file) {
      log.warn(`Not offering "${fix.title}": no free migration folder name near ${path.basename(path.dirname(f.file))}`);
      return undefined;
    }
    title = title.split(path.basename(path.dirname(f.file))).join(path.basename(path.dirname(file)));
    edit.createFile(vscode.Uri.file(file), { contents: Buffer.from(f.content, 'utf8'), ignoreIfExists: false });
    created.push(file);
  }
  for (const e of fix.edits) {
    const target = e.file === doc.uri.fsPath ? doc : await vscode.workspace.openTextDocument(vscode.Uri.file(e.file)).then(
      (d) => d,
      () => undefined,
    );
    if (!target) return undefined;
    edit.replace(target.uri, new vscode.Range(target.positionAt(e.startOffset), target.positionAt(e.endOffset)), e.newText);
  }
  const action = new vscode.CodeAction(fix.safe ? title : `${title} (review: changes what the migration does)`, vscode.CodeActionKind.QuickFix);
  action.edit = edit;
  action.diagnostics = [diagnostic];
  const sql = created.find((f) => path.basename(f) === 'migration.sql');
  if (sql) action.command = { command: OPEN_NEW_MIGRATION_COMMAND, title: 'Open the new migration', arguments: [vscode.Uri.file(sql)] };
  return action;
}

/** A new file of a fix, in a migration folder nobody uses yet (a folder of the migrations directory). */
function freeFile(proposed: string, sourceFile: string): string | null {
  const migrationsDir = path.dirname(path.dirname(proposed));
  if (path.relative(migrationsDir, path.dirname(path.dirname(sourceFile))) !== '') return proposed;
  let existing: string[];
  try {
    existing = readdirSync(migrationsDir);
  } catch {
    existing = [];
  }
  return freeMigrationFile(proposed, path.basename(path.dirname(sourceFile)), existing);
}

/** Opens a migration a fix just created, and says where the statement went. */
export async function openNewMigration(uri: unknown): Promise<void> {
  if (!(uri instanceof vscode.Uri)) return;
  await vscode.window.showTextDocument(uri, { preview: false });
  const rel = vscode.workspace.asRelativePath(uri);
  void vscode.window.showInformationMessage(`Preflight: the statement now runs in its own migration, ${path.basename(path.dirname(uri.fsPath))} (${rel}). Review it before committing.`);
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
