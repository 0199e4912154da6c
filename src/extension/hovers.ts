/** The editor layer's hovers (src/editor/hovers.ts) for VS Code, with what a dry run of exactly this text observed. */
import * as vscode from 'vscode';
import { hoverAt, noHoverReason } from '../editor/hovers';
import { loadCore } from './core-loader';
import { fromEditorRange } from './convert';
import type { DryRunObservations } from './dry-run/dry-runs';
import { observedHover } from './dry-run/observed-words';
import type { WorkspaceAnalyzer } from './workspace-analyzer';

export class PreflightHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly analyzer: WorkspaceAnalyzer,
    private readonly log: vscode.LogOutputChannel,
    private readonly dryRuns?: DryRunObservations,
  ) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    try {
      return await this.hoverAt(doc, position);
    } catch (e) {
      this.log.error(`Hover failed in ${doc.uri.fsPath}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return undefined;
    }
  }

  private async hoverAt(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    if (doc.uri.scheme !== 'file') return undefined;
    const file = doc.uri.fsPath;
    const session = this.analyzer.sessionOf(file);
    if (!session?.analysis || !session.isCurrent(file, doc.version)) {
      this.log.trace(noHoverReason(session, file, doc.version));
      return undefined;
    }
    const core = await loadCore();
    const observed = this.dryRuns?.current(file, doc.getText());
    const hover = hoverAt(core, session, file, doc.version, doc.offsetAt(position), (index, facts) => {
      const traced = observed?.result.statements.find((t) => t.index === index);
      return observed && traced ? observedHover(core, observed.result, facts, traced) : undefined;
    });
    return hover && new vscode.Hover(new vscode.MarkdownString(hover.markdown), hover.range && fromEditorRange(hover.range));
  }
}
