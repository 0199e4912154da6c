/**
 * Preflight for VS Code. `activate()` only composes: the analyzer (which loads the core on first
 * need), the diagnostics, hovers, quick fixes, commands, the dry runs and the status bar. Every behaviour lives
 * in its own file of this folder; `src/core` does the analysis and knows nothing of VS Code.
 */
import * as vscode from 'vscode';
import { PreflightCodeActions } from './code-actions';
import { registerChecklistFeatures } from './checklist/index';
import { registerCommands } from './commands';
import { DiagnosticsPublisher } from './diagnostics';
import { DryRuns } from './dry-run/dry-runs';
import { LiveDatabase } from './live/live-database';
import { PreflightHoverProvider } from './hovers';
import { RuleDocs } from './rule-docs';
import { StatusBar } from './status-bar';
import { WorkspaceAnalyzer } from './workspace-analyzer';
import { watchWorkspace } from './workspace-events';

/** Migration files and Prisma schema files, whatever language mode they are in. */
const SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/migration.sql' },
  { scheme: 'file', pattern: '**/*.prisma' },
];

/** What the extension returns to other extensions and to its integration tests. */
export interface PreflightApi {
  /** Resolves when no analysis is running or queued. */
  idle(): Promise<void>;
}

export function activate(context: vscode.ExtensionContext): PreflightApi {
  const log = vscode.window.createOutputChannel('Preflight', { log: true });
  const analyzer = new WorkspaceAnalyzer(log);
  const docs = new RuleDocs(context.extensionUri);
  const diagnostics = new DiagnosticsPublisher(docs.uriOf);
  const status = new StatusBar(analyzer);
  // Dry runs in PGlite (loaded on the first one); the replay cache lives in the workspace's storage.
  const dryRuns = new DryRuns({ analyzer, log, storageUri: context.storageUri ?? context.globalStorageUri, docUri: vscode.Uri.joinPath(context.extensionUri, 'docs', 'dry-run.md') });
  const checklist = registerChecklistFeatures(context, { analyzer, log, dryRuns }); // the Preflight sidebar and the review panel
  // Check Against Database… (trusted workspaces; the driver loads in a worker on the first run, never here).
  const live = new LiveDatabase({ analyzer, log, secrets: context.secrets, checklists: checklist.checklists, currentMigrationDir: checklist.currentMigrationDir, showChecklist: checklist.showChecklist, docUri: vscode.Uri.joinPath(context.extensionUri, 'docs', 'live-database.md') });
  context.subscriptions.push(
    log,
    analyzer,
    diagnostics,
    status,
    dryRuns,
    ...docs.register(),
    vscode.languages.registerHoverProvider(SELECTOR, new PreflightHoverProvider(analyzer, log, dryRuns)),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new PreflightCodeActions(analyzer, log), PreflightCodeActions.metadata),
    ...registerCommands({ analyzer, docs, log, storageUri: context.globalStorageUri, dryRuns, showReview: checklist.showReview }),
    ...watchWorkspace(analyzer, diagnostics, status),
    ...live.register(),
  );
  log.info(`Preflight ${context.extension.packageJSON.version} activated${vscode.workspace.isTrusted ? '' : ' (restricted mode: static analysis only)'}`);
  void analyzer.discoverAll();
  return { idle: () => analyzer.idle() };
}

export function deactivate(): void {}
