/**
 * The deployment checklist in VS Code: the Preflight sidebar (Migrations tree + Checklist
 * webview view) and the review panel behind `Preflight: Review Migration…`. `activate()` calls
 * `registerChecklistFeatures` once; it composes the pieces of this folder, registers their
 * commands, and returns what the rest of the extension uses (the review presenter).
 */
import * as vscode from 'vscode';
import { InputError } from '../../core/input-error';
import type { DryRunObservations } from '../dry-run/dry-runs';
import type { ProjectSession } from '../project-session';
import type { WorkspaceAnalyzer } from '../workspace-analyzer';
import { ChecklistService } from './checklist-service';
import { CHECKLIST_VIEW_ID, ChecklistViewProvider } from './checklist-view';
import { MigrationSelection } from './migration-selection';
import { MigrationsTree, SHOW_CHECKLIST_COMMAND, type MigrationNode } from './migrations-tree';
import { REVIEW_PANEL_TYPE, ReviewPanels } from './review-panel';

export const MIGRATIONS_VIEW_ID = 'preflight.migrations';

export interface ChecklistServices {
  analyzer: WorkspaceAnalyzer;
  log: vscode.LogOutputChannel;
  /** What dry runs observed: the review panel shows it per statement. */
  dryRuns: DryRunObservations;
}

export interface ChecklistFeatures {
  /** Opens the review panel of a migration (what `Preflight: Review Migration…` shows). */
  showReview(session: ProjectSession, migration: string): Promise<void>;
  /** The checklists (generated, read and written); the live-database check records its results through it. */
  checklists: ChecklistService;
  /** The migration folder the Checklist view shows. */
  currentMigrationDir(): string | null;
  showChecklist(dir: string): Promise<void>;
}

/** A folder from a command argument: a tree node, a Uri of the folder or a file in it, or a path. */
function dirOf(arg: unknown, selection: MigrationSelection): string | null {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return selection.migrationDirOf(arg.fsPath) ?? arg.fsPath;
  if (arg && typeof arg === 'object' && (arg as MigrationNode).kind === 'migration') return (arg as Extract<MigrationNode, { kind: 'migration' }>).dir;
  return selection.current;
}

export function registerChecklistFeatures(context: vscode.ExtensionContext, services: ChecklistServices): ChecklistFeatures {
  const { analyzer, log, dryRuns } = services;
  const checklists = new ChecklistService(analyzer, log);
  const selection = new MigrationSelection(analyzer);
  const tree = new MigrationsTree(analyzer, checklists);
  const treeView = vscode.window.createTreeView(MIGRATIONS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: false });
  const checklistView = new ChecklistViewProvider(context.extensionUri, checklists, selection, log);
  const showChecklist = async (dir: string) => {
    selection.select(dir);
    await checklistView.reveal();
  };
  const reviews = new ReviewPanels({ analyzer, checklists, log, dryRuns, extensionUri: context.extensionUri, showChecklist });

  const commands: Record<string, (arg?: unknown) => unknown> = {
    [SHOW_CHECKLIST_COMMAND]: (arg) => {
      const dir = dirOf(arg, selection);
      return dir ? showChecklist(dir) : undefined;
    },
    'preflight.checklist.refresh': () => {
      tree.refresh();
      return checklistView.refresh();
    },
    'preflight.checklist.openFile': async (arg) => {
      const ref = checklists.ref(dirOf(arg, selection) ?? '');
      if (!ref) return;
      if (!checklists.readFile(ref.dir)) await checklists.edit(ref, []);
      await vscode.window.showTextDocument(vscode.Uri.file(checklists.fileOf(ref.dir)), { preview: false });
    },
    'preflight.checklist.review': (arg) => {
      const ref = checklists.ref(dirOf(arg, selection) ?? '');
      return ref ? reviews.show(ref.session, ref.name) : undefined;
    },
    'preflight.checklist.writeDownSql': async (arg) => {
      const ref = checklists.ref(dirOf(arg, selection) ?? '');
      if (!ref) return;
      const file = await checklists.writeDownSql(ref, async () => (await vscode.window.showWarningMessage(`${ref.name}/down.sql exists and differs from the rollback Preflight generates. Replace it?`, { modal: true }, 'Replace')) === 'Replace');
      if (file) await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
    },
  };

  context.subscriptions.push(
    checklists,
    selection,
    tree,
    treeView,
    checklistView,
    reviews,
    vscode.window.registerWebviewViewProvider(CHECKLIST_VIEW_ID, checklistView),
    // A review panel open before a window reload comes back (its page stored the migration's model).
    vscode.window.registerWebviewPanelSerializer(REVIEW_PANEL_TYPE, { deserializeWebviewPanel: (panel, state) => reviews.restore(panel, state) }),
    ...Object.entries(commands).map(([id, run]) =>
      vscode.commands.registerCommand(id, async (arg?: unknown) => {
        try {
          return await run(arg);
        } catch (e) {
          log.error(`${id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          // A refusal about the user's files (conflict markers, a read-only or foreign checklist file) is said as it is.
          void vscode.window.showErrorMessage(e instanceof InputError ? `Preflight: ${e.message}` : `Preflight: ${id} failed; see Preflight: Show Output.`);
          return undefined;
        }
      }),
    ),
    analyzer.onDidAnalyse(() => {
      tree.refresh();
      // After a reload the editors are back before the projects are found: follow the active one now.
      if (!selection.current || selection.isStandIn) selection.followActiveEditor();
      if (!selection.current) void checklistView.refresh();
    }),
    analyzer.onDidRemoveSession(() => tree.refresh()),
    checklists.onDidChange(() => tree.refresh()),
    selection.onDidChange((dir) => {
      const node = dir ? tree.nodeOf(dir) : undefined;
      if (node && treeView.visible) void Promise.resolve(treeView.reveal(node, { select: true, focus: false })).catch(() => undefined);
    }),
  );

  return { showReview: (session, migration) => reviews.show(session, migration), checklists, currentMigrationDir: () => selection.current, showChecklist };
}
