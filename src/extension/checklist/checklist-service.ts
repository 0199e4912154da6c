/**
 * The checklists of the workspace's migration folders: generated from the migration files on
 * disk (the file describes what will be committed and deployed, not an unsaved buffer), read
 * from and written to `preflight-checklist.md` only through the core's read-modify-write
 * `updateChecklistFile`, one write at a time per folder. Watches the checklist files (editor
 * saves, git checkouts) and the migration files (a changed migration regenerates its existing
 * checklist, keeping ticks and notes) and says which folder changed.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checklistPath, readChecklistFile, updateChecklistFile, writeAtomic, type ChecklistEdit } from '../../core/checklist/file';
import type { ParsedChecklistFile } from '../../core/checklist/markdown';
import type { Checklist } from '../../core/checklist/model';
import type { ProjectSession } from '../project-session';
import { errorText, type WorkspaceAnalyzer } from '../workspace-analyzer';
import type { HistoryAnalyzer, MigrationChecklist } from './checklist-core';

type ChecklistCore = typeof import('./checklist-core');
let loading: Promise<ChecklistCore> | null = null;

function loadChecklistCore(): Promise<ChecklistCore> {
  loading ??= import('./checklist-core');
  return loading;
}

/** One migration folder of one project. */
export interface MigrationRef {
  session: ProjectSession;
  name: string;
  dir: string;
  sqlFile: string;
}

interface CachedChecklist {
  project: ProjectSession['project'];
  config: ProjectSession['config'];
  result: Promise<MigrationChecklist>;
}

const REGENERATE_DELAY_MS = 300;

export class ChecklistService implements vscode.Disposable {
  private readonly histories = new WeakMap<ProjectSession, HistoryAnalyzer>();
  private readonly cache = new Map<string, CachedChecklist>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [];

  /** A migration folder's checklist (file or inputs) changed; the argument is the folder. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly analyzer: WorkspaceAnalyzer,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const files = vscode.workspace.createFileSystemWatcher('**/preflight-checklist.md');
    const sql = vscode.workspace.createFileSystemWatcher('**/migration.sql');
    const fileChanged = (uri: vscode.Uri) => uri.scheme === 'file' && this.changed.fire(path.dirname(uri.fsPath));
    const sqlChanged = (uri: vscode.Uri) => uri.scheme === 'file' && this.migrationChanged(path.dirname(uri.fsPath));
    const documentChanged = (doc: vscode.TextDocument) => {
      if (doc.uri.scheme === 'file' && path.basename(doc.uri.fsPath) === 'preflight-checklist.md') this.changed.fire(path.dirname(doc.uri.fsPath));
    };
    this.disposables.push(
      files,
      sql,
      files.onDidCreate(fileChanged),
      files.onDidChange(fileChanged),
      files.onDidDelete(fileChanged),
      sql.onDidCreate(sqlChanged),
      sql.onDidChange(sqlChanged),
      sql.onDidDelete(sqlChanged),
      // Dirty state of an open checklist file (the view says when the editor holds unsaved changes).
      vscode.workspace.onDidChangeTextDocument((e) => documentChanged(e.document)),
      vscode.workspace.onDidSaveTextDocument(documentChanged),
      vscode.workspace.onDidCloseTextDocument(documentChanged),
      this.changed,
    );
  }

  /** The migration folder `dir` as the project knows it, if it is one (with a migration.sql). */
  ref(dir: string): MigrationRef | undefined {
    const session = this.analyzer.sessionOf(dir);
    const m = session?.project.migrations.find((x) => samePath(x.dir, dir));
    return session && m?.sqlFile ? { session, name: m.name, dir: m.dir, sqlFile: m.sqlFile } : undefined;
  }

  refByName(session: ProjectSession, name: string): MigrationRef | undefined {
    const m = session.project.migrations.find((x) => x.name === name);
    return m?.sqlFile ? { session, name: m.name, dir: m.dir, sqlFile: m.sqlFile } : undefined;
  }

  fileOf(dir: string): string {
    return checklistPath(dir);
  }

  /** The checklist generated from the migration files on disk (cached until they change). */
  checklist(ref: MigrationRef): Promise<MigrationChecklist> {
    const { project, config } = ref.session;
    const cached = this.cache.get(ref.dir);
    if (cached && cached.project === project && cached.config === config) return cached.result;
    const result = (async () => {
      const core = await loadChecklistCore();
      let history = this.histories.get(ref.session);
      if (!history) this.histories.set(ref.session, (history = new core.HistoryAnalyzer()));
      const started = Date.now();
      const mc = await core.checklistForMigration(project, ref.name, { config, history });
      this.log.debug(`Checklist of ${ref.name}: ${mc.checklist.items.length} items in ${Date.now() - started} ms`);
      return mc;
    })();
    this.cache.set(ref.dir, { project, config, result });
    result.catch(() => {
      if (this.cache.get(ref.dir)?.result === result) this.cache.delete(ref.dir);
    });
    return result;
  }

  /** The checklist file as it is on disk, or null when there is none (or it cannot be read). */
  readFile(dir: string): ParsedChecklistFile | null {
    try {
      return readChecklistFile(checklistPath(dir));
    } catch (e) {
      this.log.warn(`Cannot read ${checklistPath(dir)}: ${errorText(e)}`);
      return null;
    }
  }

  /** Whether an editor holds unsaved changes to the folder's checklist file. */
  unsavedInEditor(dir: string): boolean {
    const file = checklistPath(dir);
    return vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.scheme === 'file' && samePath(d.uri.fsPath, file));
  }

  /**
   * Applies edits to the file (creating it if needed) against what is on disk at that moment,
   * regenerated from the current migration. Edits of one folder are applied in the order given.
   * `list`: the checklist to write instead of the one generated (a live check run's, whose items
   * carry their results).
   */
  edit(ref: MigrationRef, edits: ChecklistEdit[], list?: Checklist): Promise<ParsedChecklistFile> {
    const previous = this.queues.get(ref.dir) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        const { parsed } = updateChecklistFile(checklistPath(ref.dir), list ?? (await this.checklist(ref)).checklist, edits);
        this.changed.fire(ref.dir);
        return parsed;
      });
    this.queues.set(ref.dir, run);
    void run.finally(() => {
      if (this.queues.get(ref.dir) === run) this.queues.delete(ref.dir);
    }).catch(() => undefined);
    return run;
  }

  /** Writes Prisma's documented `down.sql` into the folder; returns its path and whether it replaced a different file. */
  async writeDownSql(ref: MigrationRef, confirmReplace: (file: string) => Promise<boolean>): Promise<string | null> {
    const core = await loadChecklistCore();
    const text = core.renderDownSql(await this.checklist(ref));
    const file = path.join(ref.dir, 'down.sql');
    const existing = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (existing !== null && existing !== text && !(await confirmReplace(file))) return null;
    if (existing !== text) writeAtomic(file, text);
    return file;
  }

  /** A migration.sql changed on disk: later checklists may change too; an existing file is regenerated. */
  private migrationChanged(dir: string): void {
    const migrationsDir = path.dirname(dir);
    for (const key of [...this.cache.keys()]) if (samePath(path.dirname(key), migrationsDir)) this.cache.delete(key);
    const previous = this.timers.get(dir);
    if (previous) clearTimeout(previous);
    this.timers.set(
      dir,
      setTimeout(() => {
        this.timers.delete(dir);
        const ref = this.ref(dir);
        if (ref && existsSync(checklistPath(dir))) {
          this.edit(ref, []).then(
            () => this.log.info(`Regenerated ${path.relative(ref.session.project.root, checklistPath(dir))} after migration.sql changed (ticks and notes kept)`),
            (e) => this.log.warn(`Could not regenerate the checklist of ${ref.name}: ${errorText(e)}`),
          );
        }
        this.changed.fire(dir);
      }, REGENERATE_DELAY_MS),
    );
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}

export function samePath(a: string, b: string): boolean {
  return path.relative(a, b) === '';
}
