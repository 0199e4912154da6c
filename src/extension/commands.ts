/** The palette commands, in one table. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { OPEN_NEW_MIGRATION_COMMAND, SHOW_RULE_DOC_COMMAND, openNewMigration } from './code-actions';
import { loadCore } from './core-loader';
import { DRY_RUN_COMMAND, dryRunMigration } from './dry-run/dry-run-command';
import type { DryRuns } from './dry-run/dry-runs';
import { migrationOf, pickMigration } from './migration-picker';
import type { ProjectSession } from './project-session';
import { renderReview } from './review-report';
import type { RuleDocs } from './rule-docs';
import type { WorkspaceAnalyzer } from './workspace-analyzer';

export const REVIEW_COMMAND = 'preflight.reviewMigration';

export interface CommandContext {
  analyzer: WorkspaceAnalyzer;
  docs: RuleDocs;
  log: vscode.LogOutputChannel;
  storageUri: vscode.Uri;
  dryRuns: DryRuns;
  /** Shows a migration's review panel (src/extension/checklist); without it, the Markdown report. */
  showReview?(session: ProjectSession, migration: string): Promise<void>;
}

type Handler = (ctx: CommandContext, ...args: unknown[]) => unknown;

export const COMMANDS: Record<string, Handler> = {
  [REVIEW_COMMAND]: reviewMigration,
  [DRY_RUN_COMMAND]: dryRunMigration,
  [OPEN_NEW_MIGRATION_COMMAND]: (_ctx, uri) => openNewMigration(uri),
  [SHOW_RULE_DOC_COMMAND]: (ctx, ruleId) => ctx.docs.show(typeof ruleId === 'string' ? ruleId : undefined),
  'preflight.reanalyse': async (ctx) => {
    ctx.log.info('Re-analysing the workspace');
    for (const s of ctx.analyzer.all()) s.history.clear();
    await ctx.analyzer.discoverAll();
  },
  'preflight.showOutput': (ctx) => ctx.log.show(true),
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(ctx, ...args);
      } catch (e) {
        ctx.log.error(`${id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        void vscode.window.showErrorMessage(`Preflight: ${id} failed; see Preflight: Show Output.`);
        return undefined;
      }
    }),
  );
}

/** Quick-pick a migration folder (or take the one given), then open its review as a Markdown preview. */
async function reviewMigration(ctx: CommandContext, arg?: unknown): Promise<void> {
  await ctx.analyzer.idle();
  const target = (await migrationOf(ctx.analyzer, arg instanceof vscode.Uri ? arg : undefined)) ?? (await pickMigration(ctx.analyzer, 'Preflight: Review Migration'));
  if (!target) return;
  await ctx.analyzer.analyse(target.session);
  const analysis = target.session.analysis;
  const migration = analysis?.migrations.find((m) => m.report.name === target.name);
  if (!analysis || !migration) {
    void vscode.window.showWarningMessage(`Preflight could not analyse ${target.name}; see Preflight: Show Output.`);
    return;
  }
  if (ctx.showReview) return ctx.showReview(target.session, target.name);
  const core = await loadCore();
  const uri = vscode.Uri.joinPath(ctx.storageUri, 'review', `${target.name.replace(/[^\w.-]/g, '_')}.md`);
  // Relative links: the Markdown preview opens them, where it refuses file: URIs.
  const docLink = (id: string) => encodeURI(path.relative(path.dirname(uri.fsPath), ctx.docs.shippedUriOf(id).fsPath).split(path.sep).join('/'));
  const text = renderReview(core, analysis, migration, target.session.project.root, docLink);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  await vscode.commands.executeCommand('markdown.showPreview', uri);
}
