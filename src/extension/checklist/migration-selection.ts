/**
 * Which migration folder the Checklist view is bound to: the one picked in the Migrations tree
 * (or from a review panel), else the folder of the active editor when it is inside one. The
 * newest migration stands in while nothing is known (after a reload the editors come back before
 * the projects are found), and gives way to the active editor's folder as soon as it is known.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceAnalyzer } from '../workspace-analyzer';
import { samePath } from './checklist-service';

/** The review panel's webview type (as in review-panel.ts, which imports this folder's services). */
const REVIEW_PANEL_TYPE = 'preflight.review';

export class MigrationSelection implements vscode.Disposable {
  private dir: string | null = null;
  /** The bound folder is only the stand-in (the newest migration), not a choice. */
  private standIn = false;
  private readonly changed = new vscode.EventEmitter<string | null>();
  private readonly subscription: vscode.Disposable;

  readonly onDidChange = this.changed.event;

  constructor(private readonly analyzer: WorkspaceAnalyzer) {
    this.subscription = vscode.window.onDidChangeActiveTextEditor((editor) => this.followEditor(editor));
    this.followEditor(vscode.window.activeTextEditor);
  }

  /** The bound migration folder, if any. */
  get current(): string | null {
    return this.dir;
  }

  /** Whether the bound folder is only the newest migration standing in (nothing picked or open). */
  get isStandIn(): boolean {
    return this.standIn;
  }

  select(dir: string, standIn = false): void {
    this.standIn = standIn;
    if (this.dir !== null && samePath(this.dir, dir)) return;
    this.dir = dir;
    this.changed.fire(dir);
  }

  /** The migration folder a file is in, among the folders of the known projects. */
  migrationDirOf(file: string): string | null {
    const session = this.analyzer.sessionOf(file);
    const name = session?.migrationNameOf(file);
    const m = name ? session?.project.migrations.find((x) => x.name === name) : undefined;
    return m ? m.dir : null;
  }

  /** Binds the active editor's folder if it is in one (the projects may have been found since). */
  followActiveEditor(): void {
    if (vscode.window.activeTextEditor) return this.followEditor(vscode.window.activeTextEditor);
    // No text editor active (after a reload a restored webview can be): the active tab tells.
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    const input = tab?.input;
    if (input instanceof vscode.TabInputText) return this.followFile(input.uri);
    const review = input instanceof vscode.TabInputWebview && input.viewType.endsWith(REVIEW_PANEL_TYPE) ? /^Review: (.+)$/.exec(tab!.label)?.[1] : undefined;
    if (!review) return;
    const m = this.analyzer.all().flatMap((s) => s.project.migrations).find((x) => x.name === review);
    if (m) this.select(m.dir);
  }

  /** When nothing is bound yet: the newest migration of the first project. */
  fallback(): string | null {
    for (const session of this.analyzer.all()) {
      const newest = [...session.project.migrations].reverse().find((m) => m.sqlFile);
      if (newest) return newest.dir;
    }
    return null;
  }

  private followEditor(editor: vscode.TextEditor | undefined): void {
    this.followFile(editor?.document.uri);
  }

  private followFile(uri: vscode.Uri | undefined): void {
    if (uri?.scheme !== 'file' || !/^(migration\.sql|preflight-checklist\.md|down\.sql)$/.test(path.basename(uri.fsPath))) return;
    const dir = this.migrationDirOf(uri.fsPath);
    if (dir) this.select(dir);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
