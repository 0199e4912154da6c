/** The status bar item for the active migration or schema file: counts, and a click opens the review. */
import * as vscode from 'vscode';
import { REVIEW_COMMAND } from './commands';
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
    const session = file ? this.analyzer.sessionOf(file) : undefined;
    if (!file || !session) {
      this.item.hide();
      return;
    }
    const migration = session.migrationNameOf(file);
    const findings = session.findingsOf(file);
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    const infos = findings.length - errors - warnings;
    const spin = this.busy ? '$(sync~spin) ' : '';
    this.item.text = `${spin}Preflight $(error) ${errors} $(warning) ${warnings}${infos ? ` $(info) ${infos}` : ''}`;
    const version = session.analysis?.result.prismaVersion ?? session.project.prismaVersion.version;
    const runs = migration ? session.migrationOf(file)?.report.execution.reason : undefined;
    const tooltip = new vscode.MarkdownString(
      `**Preflight** · ${migration ? `migration \`${migration}\`` : 'schema'}\n\n${errors} error(s), ${warnings} warning(s), ${infos} info\n\nPrisma ${version ?? 'version unknown'}${runs ? `: ${runs}` : ''}${session.branch ? `\n\nProblems panel: migrations changed since ${session.branch.label}` : ''}\n\nClick to review${migration ? ' this migration' : ' a migration'}.`,
    );
    this.item.tooltip = tooltip;
    this.item.command = { command: REVIEW_COMMAND, title: 'Review Migration', arguments: migration ? [vscode.Uri.file(file)] : [] };
    this.item.backgroundColor = errors ? new vscode.ThemeColor('statusBarItem.errorBackground') : warnings ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
