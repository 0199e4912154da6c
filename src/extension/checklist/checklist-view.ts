/**
 * The Checklist webview view of the Preflight sidebar, bound to one migration folder. It shows
 * the checklist generated from the migration with the ticks, notes and record of its file, and
 * turns every change made in it into an `updateChecklistFile` write.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChecklistEdit } from '../../core/checklist/file';
import type { HostToChecklistMessage } from '../../shared/messages';
import { REVIEW_COMMAND } from '../commands';
import { errorText } from '../workspace-analyzer';
import type { ChecklistService, MigrationRef } from './checklist-service';
import { dispatchChecklistMessage, type ChecklistViewActions } from './dispatch';
import type { MigrationSelection } from './migration-selection';
import { checklistViewModel } from './view-models';
import { newNonce, webviewHtml } from './webview-html';

export const CHECKLIST_VIEW_ID = 'preflight.checklist';

export class ChecklistViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** The JSON of the last message posted, so identical refreshes do not redraw the view. */
  private lastPosted = '';
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly checklists: ChecklistService,
    private readonly selection: MigrationSelection,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      selection.onDidChange(() => void this.refresh()),
      checklists.onDidChange((dir) => {
        if (this.selection.current && path.relative(dir, this.selection.current) === '') void this.refresh();
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    view.webview.html = webviewHtml({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'dist', 'checklist.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview.css')).toString(),
      nonce: newNonce(),
      title: 'Checklist',
    });
    this.lastPosted = '';
    view.webview.onDidReceiveMessage((raw) => this.onMessage(raw), undefined, this.disposables);
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
  }

  /** Shows the view (opening the sidebar if needed) without taking the focus from the tree. */
  async reveal(): Promise<void> {
    if (this.view) this.view.show(true);
    else await vscode.commands.executeCommand(`${CHECKLIST_VIEW_ID}.focus`);
  }

  /** Sends the bound folder's checklist to the view (if it is open). */
  async refresh(): Promise<void> {
    const view = this.view;
    if (!view) return;
    const generation = ++this.generation;
    if (!this.selection.current) this.selection.followActiveEditor();
    if (!this.selection.current || !existsSync(this.selection.current)) {
      // Nothing picked and no migration open, or the folder is gone: bind the newest migration (selecting refreshes again).
      const newest = this.selection.fallback();
      if (newest && newest !== this.selection.current) return this.selection.select(newest, true);
    }
    const dir = this.selection.current;
    const ref = dir ? this.checklists.ref(dir) : undefined;
    view.description = ref?.name ?? (dir ? path.basename(dir) : undefined);
    if (!ref) {
      this.post(
        dir
          ? { type: 'empty', reason: `${path.basename(dir)} is not a migration folder with a migration.sql (yet).` }
          : { type: 'empty', reason: 'No Prisma migration found yet. Open a migration.sql, or pick a migration in the Migrations list above.' },
      );
      return;
    }
    try {
      const pending = this.checklists.checklist(ref);
      const slow = setTimeout(() => generation === this.generation && this.post({ type: 'loading', migration: ref.name }), 150);
      const mc = await pending.finally(() => clearTimeout(slow));
      if (generation !== this.generation) return;
      const folder = path.relative(ref.session.workspaceFolder ?? ref.session.project.root, ref.dir).split(path.sep).join('/');
      const model = checklistViewModel(mc.checklist, this.checklists.readFile(ref.dir), { folder, unsavedInEditor: this.checklists.unsavedInEditor(ref.dir) });
      this.post({ type: 'show', model });
    } catch (e) {
      if (generation !== this.generation) return;
      this.log.error(`Checklist of ${ref.name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      this.post({ type: 'error', message: `Preflight could not prepare the checklist of ${ref.name}: ${errorText(e)}` });
    }
  }

  private post(message: HostToChecklistMessage): void {
    const json = JSON.stringify(message);
    if (!this.view || json === this.lastPosted) return;
    this.lastPosted = json;
    void this.view.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    try {
      const ok = await dispatchChecklistMessage(raw, this.actions);
      if (!ok) this.log.warn(`Checklist view sent a message Preflight does not understand: ${JSON.stringify(raw)?.slice(0, 200)}`);
    } catch (e) {
      this.log.error(`Checklist view: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      this.lastPosted = '';
      this.post({ type: 'error', message: `Preflight could not save that change: ${errorText(e)}. Nothing else was changed; try again, or edit the file.` });
    }
  }

  /** The migration an item message names, in the bound folder's project. */
  private refFor(migration: string): MigrationRef | undefined {
    const bound = this.selection.current ? this.checklists.ref(this.selection.current) : undefined;
    if (!bound) return undefined;
    return bound.name === migration ? bound : this.checklists.refByName(bound.session, migration);
  }

  private readonly actions: ChecklistViewActions = {
    ready: () => {
      this.lastPosted = '';
      return this.refresh();
    },
    edit: async (migration: string, edit: ChecklistEdit) => {
      const ref = this.refFor(migration);
      if (!ref) throw new Error(`the migration ${migration} is no longer in this project`);
      await this.checklists.edit(ref, [edit]);
      // The service announces the change; refresh now too, so the view answers even when the text did not change.
      this.lastPosted = '';
      await this.refresh();
    },
    copyCode: async (migration: string, id: string) => {
      const ref = this.refFor(migration);
      const item = ref && (await this.checklists.checklist(ref)).checklist.items.find((i) => i.id === id);
      if (!item?.code) return;
      await vscode.env.clipboard.writeText(item.code.text);
      vscode.window.setStatusBarMessage('Preflight: copied to the clipboard', 2000);
    },
    revealStatement: async (migration: string, id: string) => {
      const ref = this.refFor(migration);
      if (!ref) return;
      const mc = await this.checklists.checklist(ref);
      const item = mc.checklist.items.find((i) => i.id === id);
      const statement = item?.statementIndex !== undefined ? mc.analysis.report.statements.find((s) => s.index === item.statementIndex) : undefined;
      const range = statement
        ? new vscode.Range(statement.range.start.line - 1, statement.range.start.column - 1, statement.range.end.line - 1, statement.range.end.column - 1)
        : item?.line
          ? new vscode.Range(item.line - 1, 0, item.line - 1, 0)
          : undefined;
      if (!range) return;
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(ref.sqlFile), { preview: true });
      editor.selection = new vscode.Selection(range.end, range.start); // the cursor at the statement's start
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    },
    openFile: async () => {
      const ref = this.selection.current ? this.checklists.ref(this.selection.current) : undefined;
      if (!ref) return;
      const file = this.checklists.fileOf(ref.dir);
      if (!this.checklists.readFile(ref.dir)) await this.checklists.edit(ref, []);
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    },
    openReview: async () => {
      const ref = this.selection.current ? this.checklists.ref(this.selection.current) : undefined;
      if (ref) await vscode.commands.executeCommand(REVIEW_COMMAND, vscode.Uri.file(ref.sqlFile));
    },
  };

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
