/**
 * `Preflight: Review Migration…` as a webview panel per migration folder: a summary by category,
 * the statements with their locks in plain words, the foreign keys whose deletes change, the
 * checklist's progress, and buttons to open the checklist, write down.sql and start a dry run
 * (when a dry-run command is registered and the workspace is trusted), with what the latest dry
 * run of exactly this text observed per statement. Follows the analysis as the migration is
 * edited, the checklist file as it is ticked, and the dry runs as they finish or go stale.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Catalog } from '../../core/catalog/model';
import type { HostToReviewMessage, ReviewAction, ReviewViewModel } from '../../shared/messages';
import { SHOW_RULE_DOC_COMMAND } from '../code-actions';
import { CHECK_DATABASE_COMMAND } from '../live/live-database';
import { loadCore } from '../core-loader';
import type { DryRunOutcome, DryRunObservations } from '../dry-run/dry-runs';
import type { ProjectSession } from '../project-session';
import { errorText, type WorkspaceAnalyzer } from '../workspace-analyzer';
import type { ChecklistService, MigrationRef } from './checklist-service';
import { dispatchReviewMessage, type ReviewPanelActions } from './dispatch';
import { checklistStatus, reviewViewModel, verdictView } from './view-models';
import { newNonce, webviewHtml } from './webview-html';

export const REVIEW_PANEL_TYPE = 'preflight.review';
/** Dry-run commands Preflight knows of, by id; the button shows when one is registered. */
const DRY_RUN_COMMANDS = ['preflight.dryRunMigration', 'preflight.dryRun', 'preflight.traceMigration'];

export interface ReviewPanelHost {
  analyzer: WorkspaceAnalyzer;
  checklists: ChecklistService;
  log: vscode.LogOutputChannel;
  /** What dry runs observed (shown per statement while the file still matches). */
  dryRuns: DryRunObservations;
  extensionUri: vscode.Uri;
  /** Binds the Checklist view to a folder and shows it. */
  showChecklist(dir: string): Promise<void>;
}

export class ReviewPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ReviewPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly host: ReviewPanelHost) {
    this.disposables.push(
      host.analyzer.onDidAnalyse((session) => {
        for (const p of this.panels.values()) if (host.analyzer.sessionOf(p.dir) === session) void p.update();
      }),
      host.checklists.onDidChange((dir) => this.panelOf(dir)?.updateChecklistStatus()),
      host.dryRuns.onDidChange((file) => void this.panelOf(path.dirname(file))?.update()),
    );
  }

  /** Opens (or brings forward) the review of one migration. */
  async show(session: ProjectSession, name: string): Promise<void> {
    const ref = this.host.checklists.refByName(session, name);
    if (!ref) {
      void vscode.window.showWarningMessage(`Preflight: ${name} has no migration.sql to review.`);
      return;
    }
    const existing = this.panelOf(ref.dir);
    if (existing) {
      existing.panel.reveal();
      await existing.update();
      return;
    }
    const model = await buildReviewModel(this.host, ref);
    if (!model) {
      void vscode.window.showWarningMessage(`Preflight could not analyse ${name}; see Preflight: Show Output.`);
      return;
    }
    const panel = new ReviewPanel(this.host, ref.dir, model);
    this.panels.set(ref.dir, panel);
    panel.panel.onDidDispose(() => this.panels.delete(ref.dir));
  }

  /** A panel VS Code kept across a window reload: rebinds it to its migration, or closes it when the migration is gone. */
  async restore(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    // The page's saved state names the migration; the panel's title ("Review: <name>") too, when the state was not kept.
    const saved = (state as { model?: { migration?: unknown } } | undefined)?.model?.migration;
    const name = typeof saved === 'string' ? saved : /^Review: (.+)$/.exec(webviewPanel.title)?.[1];
    await this.host.analyzer.idle();
    const session = typeof name === 'string' ? this.host.analyzer.all().find((s) => s.project.migrations.some((m) => m.name === name)) : undefined;
    const ref = session && typeof name === 'string' ? this.host.checklists.refByName(session, name) : undefined;
    const model = ref && !this.panelOf(ref.dir) ? await buildReviewModel(this.host, ref) : null;
    if (!ref || !model) {
      this.host.log.info(`Not restoring a review panel of ${typeof name === 'string' ? name : 'an unknown migration'}: it is no longer in the workspace`);
      webviewPanel.dispose();
      return;
    }
    const panel = new ReviewPanel(this.host, ref.dir, model, webviewPanel);
    this.panels.set(ref.dir, panel);
    panel.panel.onDidDispose(() => this.panels.delete(ref.dir));
  }

  private panelOf(dir: string): ReviewPanel | undefined {
    for (const [key, p] of this.panels) if (path.relative(key, dir) === '') return p;
    return undefined;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

class ReviewPanel {
  readonly panel: vscode.WebviewPanel;
  /** A message was not delivered while the panel was hidden. */
  private missed = false;

  constructor(
    private readonly host: ReviewPanelHost,
    readonly dir: string,
    model: ReviewViewModel,
    restored?: vscode.WebviewPanel,
  ) {
    const media = vscode.Uri.joinPath(host.extensionUri, 'media');
    if (restored) restored.webview.options = { enableScripts: true, localResourceRoots: [media] };
    this.panel =
      restored ??
      vscode.window.createWebviewPanel(REVIEW_PANEL_TYPE, `Review: ${model.migration}`, { viewColumn: reviewColumn() }, {
        enableScripts: true,
        enableFindWidget: true,
        localResourceRoots: [media],
      });
    this.panel.iconPath = vscode.Uri.joinPath(media, 'preflight.svg');
    this.load(model);
    this.panel.onDidChangeViewState(() => {
      if (this.panel.visible && this.missed) void this.update();
    });
    this.panel.webview.onDidReceiveMessage(async (raw) => {
      try {
        if (!(await dispatchReviewMessage(raw, this.actions))) host.log.warn(`Review panel sent a message Preflight does not understand: ${JSON.stringify(raw)?.slice(0, 200)}`);
      } catch (e) {
        host.log.error(`Review panel: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        this.post({ type: 'error', message: errorText(e) });
      }
    });
  }

  /** (Re)loads the page with `model` in it: the first time, and for a hidden panel (it cannot take messages). */
  private load(model: ReviewViewModel): void {
    const media = vscode.Uri.joinPath(this.host.extensionUri, 'media');
    const webview = this.panel.webview;
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'dist', 'review.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview.css')).toString(),
      nonce: newNonce(),
      title: `Review: ${model.migration}`,
      initialModel: model,
    });
    this.missed = false;
  }

  private get ref(): MigrationRef | undefined {
    return this.host.checklists.ref(this.dir);
  }

  async update(): Promise<void> {
    const ref = this.ref;
    const model = ref && (await buildReviewModel(this.host, ref));
    if (!model) return;
    if (this.panel.visible) this.post({ type: 'show', model });
    else this.load(model);
  }

  async updateChecklistStatus(): Promise<void> {
    const ref = this.ref;
    if (ref) this.post({ type: 'checklistStatus', status: await statusOf(this.host, ref) });
  }

  private post(message: HostToReviewMessage): void {
    if (!this.panel.visible) {
      this.missed = true;
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private readonly actions: ReviewPanelActions = {
    ready: () => this.update(),
    action: (action: ReviewAction) => this.run(action),
    revealLine: async (line: number) => {
      const ref = this.ref;
      if (!ref) return;
      const at = new vscode.Range(line - 1, 0, line - 1, 0);
      const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(ref.sqlFile), { selection: at, viewColumn: column });
      editor.revealRange(at, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    },
    showRule: (rule: string) => vscode.commands.executeCommand(SHOW_RULE_DOC_COMMAND, rule),
  };

  private async run(action: ReviewAction): Promise<void> {
    const ref = this.ref;
    if (!ref) throw new Error('this migration folder is no longer part of the project');
    switch (action) {
      case 'openChecklist':
        await this.host.showChecklist(ref.dir);
        break;
      case 'writeDownSql': {
        const file = await this.host.checklists.writeDownSql(ref, async (f) => {
          const replace = 'Replace';
          return (await vscode.window.showWarningMessage(`${path.basename(path.dirname(f))}/down.sql exists and differs from the rollback Preflight generates. Replace it?`, { modal: true }, replace)) === replace;
        });
        if (!file) return;
        const run = (await this.host.checklists.checklist(ref)).rollbackRun;
        this.post({ type: 'done', action, message: `Wrote ${path.relative(ref.session.workspaceFolder ?? ref.session.project.root, file)}. Its header says how to run it: ${run.command}` });
        await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true, viewColumn: vscode.ViewColumn.Beside });
        break;
      }
      case 'checkDatabase': {
        const outcome = await vscode.commands.executeCommand<{ message: string } | undefined>(CHECK_DATABASE_COMMAND, vscode.Uri.file(ref.sqlFile));
        if (outcome?.message) this.post({ type: 'done', action, message: outcome.message });
        break;
      }
      case 'dryRun': {
        const command = await dryRunCommand();
        if (!command) throw new Error('no dry-run command is available (it needs a trusted workspace)');
        const outcome = await vscode.commands.executeCommand<DryRunOutcome | undefined>(command, vscode.Uri.file(ref.sqlFile));
        if (outcome?.message) this.post({ type: 'done', action, message: outcome.message });
        break;
      }
    }
  }
}

/**
 * Where a new review opens: beside the editor when it is in the first group, else in the first
 * group (from the second group, Beside would open a third column and squeeze everything).
 */
function reviewColumn(): vscode.ViewColumn {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return vscode.ViewColumn.Active;
  return editor.viewColumn === undefined || editor.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
}

async function dryRunCommand(): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) return undefined;
  const registered = new Set(await vscode.commands.getCommands(true));
  return DRY_RUN_COMMANDS.find((c) => registered.has(c));
}

async function checklistOf(host: ReviewPanelHost, ref: MigrationRef) {
  try {
    return await host.checklists.checklist(ref);
  } catch (e) {
    host.log.warn(`Checklist status of ${ref.name}: ${errorText(e)}`);
    return null;
  }
}

async function statusOf(host: ReviewPanelHost, ref: MigrationRef) {
  const mc = await checklistOf(host, ref);
  return mc ? checklistStatus(mc.checklist, host.checklists.readFile(ref.dir)) : null;
}

/** The review of a migration from its project's latest analysis (unsaved edits included). */
async function buildReviewModel(host: ReviewPanelHost, ref: MigrationRef): Promise<ReviewViewModel | null> {
  if (!ref.session.analysis) await host.analyzer.analyse(ref.session);
  const analysis = ref.session.analysis;
  const at = analysis?.migrations.findIndex((m) => m.report.name === ref.name) ?? -1;
  if (!analysis || at < 0) return null;
  const core = await loadCore();
  const root = ref.session.workspaceFolder ?? ref.session.project.root;
  const migration = analysis.migrations[at];
  const mc = await checklistOf(host, ref);
  return reviewViewModel({
    core,
    analysis,
    migration,
    before: at > 0 ? analysis.migrations[at - 1].after : new Catalog(),
    file: path.relative(root, ref.sqlFile).split(path.sep).join('/'),
    checklist: mc ? checklistStatus(mc.checklist, host.checklists.readFile(ref.dir)) : null,
    verdict: mc ? verdictView(mc.checklist) : [],
    dryRun: (await dryRunCommand()) !== undefined,
    checkDatabase: vscode.workspace.isTrusted,
    observed: host.dryRuns.current(ref.sqlFile, migration.parsed.text) ?? null,
    revision: ++revisions,
  });
}

let revisions = 0;
