/**
 * The status bar item, shown as soon as a Prisma project is found: the counts of the active
 * migration or schema file, else of what the Problems panel covers; the tooltip says what
 * Preflight is, what the Problems panel covers and why; a click opens the review.
 */
import * as vscode from 'vscode';
import { REVIEW_COMMAND } from './commands';
import { Config } from './config';
import { findingCounts } from './plain-words';
import type { ProjectSession } from './project-session';
import type { WorkspaceAnalyzer } from './workspace-analyzer';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('preflight.status', vscode.StatusBarAlignment.Left, 10);
  private busy = false;

  constructor(private readonly analyzer: WorkspaceAnalyzer) {
    this.item.name = 'Preflight';
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.update();
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const file = doc?.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
    const session = (file ? this.analyzer.sessionOf(file) : undefined) ?? this.analyzer.all()[0];
    if (!session) {
      this.item.hide();
      return;
    }
    const own = file !== undefined && session.owns(file);
    const migration = own ? session.migrationNameOf(file) : null;
    const scopeAll = Config.for(session.workspaceFolder ? vscode.Uri.file(session.workspaceFolder) : undefined).problemsScope === 'all';
    const findings = own ? session.findingsOf(file) : (session.analysis?.result.findings ?? []).filter((f) => scopeAll || session.inBranchScope(f.migration));
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    const infos = findings.length - errors - warnings;
    const spin = this.busy ? '$(sync~spin) ' : '';
    this.item.text = `${spin}Preflight $(error) ${errors} $(warning) ${warnings}${infos ? ` $(info) ${infos}` : ''}`;
    this.item.tooltip = tooltipOf(session, { file: own ? file : undefined, migration, counts: findingCounts(errors, warnings, infos), scopeAll });
    // What a screen reader says (the text's icons read as "error 3 warning 14"), and what names the file the click reviews.
    this.item.accessibilityInformation = { label: `Preflight, ${own ? (migration ? `migration ${migration}` : 'schema') : 'Problems panel'}: ${findingCounts(errors, warnings, infos)}. Click to review ${migration ? 'this migration' : 'a migration'}.` };
    this.item.command = { command: REVIEW_COMMAND, title: 'Review Migration', arguments: migration ? [vscode.Uri.file(file!)] : [] };
    this.item.backgroundColor = errors ? new vscode.ThemeColor('statusBarItem.errorBackground') : warnings ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function tooltipOf(session: ProjectSession, at: { file?: string; migration: string | null; counts: string; scopeAll: boolean }): vscode.MarkdownString {
  const version = session.analysis?.result.prismaVersion ?? session.project.prismaVersion.version;
  const runs = at.migration && at.file ? session.migrationOf(at.file)?.report.execution.reason : undefined;
  const what = at.file ? (at.migration ? `migration \`${at.migration}\`` : 'schema') : 'what the Problems panel shows';
  const md = new vscode.MarkdownString(
    [
      `**Preflight** reviews Prisma migrations before they reach production: data loss, locks and rewrites, deploy failures, foreign keys.`,
      `${capitalise(what)}: ${at.counts}.`,
      `Prisma ${version ?? 'version unknown'}${runs ? `: ${runs}` : ''}.`,
      `Problems panel: ${session.problemsScopeText(at.scopeAll)}.`,
      `Click to review ${at.migration ? 'this migration' : 'a migration'}.`,
    ].join('\n\n'),
  );
  return md;
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
