/**
 * `Preflight: Dry-run Migration`: the migration given (a Uri from the editor title, the Explorer,
 * the review panel or the Migrations tree), else the active migration.sql, else a quick pick; run
 * only in a trusted workspace, because a dry run executes the migration's SQL (in PGlite).
 */
import * as vscode from 'vscode';
import { migrationOf, pickMigration, type MigrationTarget } from '../migration-picker';
import type { WorkspaceAnalyzer } from '../workspace-analyzer';
import type { DryRunOutcome, DryRuns } from './dry-runs';

export const DRY_RUN_COMMAND = 'preflight.dryRunMigration';

/** What the command uses of the palette's command context (commands.ts passes its own). */
export interface DryRunCommandContext {
  analyzer: WorkspaceAnalyzer;
  dryRuns: DryRuns;
  log: vscode.LogOutputChannel;
}

const UNTRUSTED =
  'Preflight: a dry run executes the migration’s SQL in an embedded PostgreSQL (PGlite), so it runs only in a trusted workspace. In Restricted Mode Preflight reviews migrations without running them.';

export async function dryRunMigration(ctx: DryRunCommandContext, arg?: unknown): Promise<DryRunOutcome | undefined> {
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    void vscode.window.showWarningMessage(UNTRUSTED, manage).then((choice) => choice === manage && vscode.commands.executeCommand('workbench.trust.manage'));
    ctx.log.info('Dry run refused: the workspace is not trusted');
    return { message: UNTRUSTED };
  }
  const target = await targetOf(ctx, arg);
  return target ? ctx.dryRuns.run(target.session, target.name) : undefined;
}

async function targetOf(ctx: DryRunCommandContext, arg: unknown): Promise<MigrationTarget | undefined> {
  const given = arg === undefined ? undefined : await migrationOf(ctx.analyzer, arg);
  if (given) return given;
  const doc = vscode.window.activeTextEditor?.document;
  if (arg === undefined && doc?.uri.scheme === 'file') {
    const active = await migrationOf(ctx.analyzer, doc.uri);
    if (active) return active;
  }
  await ctx.analyzer.idle();
  return pickMigration(ctx.analyzer, 'Preflight: Dry-run Migration');
}
