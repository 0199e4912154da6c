/**
 * `Preflight: Check Against Database…` and `Preflight: Forget Database URL`. Trusted workspaces
 * only (the commands and their menu entries are hidden in Restricted Mode, and refuse there).
 *
 * - The URL is asked once per project (an input box that hides what is typed) and kept in VS
 *   Code's SecretStorage, never in a settings file, never logged; it is stored only after it worked.
 * - A run (in its own worker thread, `live-runner.ts`) does what the CLI does with the same core
 *   functions: the migration's pre-deployment checks (`preflight checklist --database-url`), their
 *   results written to preflight-checklist.md, which the Checklist view and the review panel
 *   render; and `preflight status` of the project, as diagnostics on the migration folders (a
 *   collection of its own) and a status-bar hint while migrations are pending or failed.
 * - Progress in a notification whose Cancel cancels the running query on the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readChecklistFile } from '../../core/checklist/file';
import { emptyState } from '../../core/checklist/model';
import { checkRunEdits } from '../../core/live/check-edits';
import type { StatusReport } from '../../core/live/status';
import { redactSecrets } from '../../core/trace/redact';
import type { ChecklistService, MigrationRef } from '../checklist/checklist-service';
import { toDiagnostic } from '../convert';
import { migrationOf, pickMigration, type MigrationTarget } from '../migration-picker';
import type { ProjectSession } from '../project-session';
import { errorText, type WorkspaceAnalyzer } from '../workspace-analyzer';
import type { LiveRunResult } from './live-protocol';
import { LiveConnectError, LiveRunCancelled, runLive } from './live-runner';
import { databaseHint, runSummary, statusDiagnostics, targetLabel, urlProblem } from './live-words';

export const CHECK_DATABASE_COMMAND = 'preflight.checkAgainstDatabase';
export const FORGET_DATABASE_COMMAND = 'preflight.forgetDatabaseUrl';

const UNTRUSTED = 'Preflight: checking against a database connects to it, so it runs only in a trusted workspace. In Restricted Mode Preflight reviews migrations without running them.';

export interface LiveDatabaseHost {
  analyzer: WorkspaceAnalyzer;
  checklists: ChecklistService;
  log: vscode.LogOutputChannel;
  secrets: vscode.SecretStorage;
  /** The shipped docs/live-database.md: the diagnostics' code link. */
  docUri: vscode.Uri;
  /** The folder the Checklist view shows (the command's migration when none is given). */
  currentMigrationDir(): string | null;
  /** Shows the folder's checklist in the Checklist view. */
  showChecklist(dir: string): Promise<void>;
}

/** What a run came to, for the command's callers (the review panel, tests). */
export interface LiveCheckOutcome {
  message: string;
  cancelled?: boolean;
}

/** The key of a project's URL in SecretStorage (one per project: two projects may use two databases). */
export function secretKeyOf(session: ProjectSession): string {
  return `preflight.databaseUrl:${session.key}`;
}

export class LiveDatabase implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('preflight-database');
  private readonly hint = vscode.window.createStatusBarItem('preflight.database', vscode.StatusBarAlignment.Left, 9);
  /** The files each project's last status put diagnostics on. */
  private readonly published = new Map<string, string[]>();
  private running = false;

  constructor(private readonly host: LiveDatabaseHost) {
    this.hint.name = 'Preflight: Database';
  }

  register(): vscode.Disposable[] {
    return [
      this,
      vscode.commands.registerCommand(CHECK_DATABASE_COMMAND, (arg?: unknown) => this.guard(CHECK_DATABASE_COMMAND, () => this.check(arg))),
      vscode.commands.registerCommand(FORGET_DATABASE_COMMAND, (arg?: unknown) => this.guard(FORGET_DATABASE_COMMAND, () => this.forget(arg))),
    ];
  }

  private async guard<T>(id: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (e) {
      this.host.log.error(`${id} failed: ${errorText(e)}`);
      void vscode.window.showErrorMessage(`Preflight: ${id} failed; see Preflight: Show Output.`);
      return undefined;
    }
  }

  async check(arg?: unknown): Promise<LiveCheckOutcome | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(UNTRUSTED);
      return { message: UNTRUSTED };
    }
    if (this.running) {
      void vscode.window.showInformationMessage('Preflight is already checking against a database; wait for it or cancel it.');
      return undefined;
    }
    const target = await this.targetOf(arg, 'Preflight: Check Against Database');
    if (!target) return undefined;
    const ref = this.host.checklists.refByName(target.session, target.name);
    if (!ref) return undefined;
    const key = secretKeyOf(target.session);
    let url = await this.host.secrets.get(key);
    const asked = !url;
    url ??= await askUrl(target.session);
    if (!url) return undefined;
    this.running = true;
    try {
      const outcome = await this.run(ref, url);
      if (outcome.result && asked) await this.host.secrets.store(key, url);
      return outcome;
    } finally {
      this.running = false;
    }
  }

  private async run(ref: MigrationRef, url: string): Promise<LiveCheckOutcome & { result?: LiveRunResult }> {
    const { session } = ref;
    const mc = await this.host.checklists.checklist(ref);
    const previous = readChecklistFile(this.host.checklists.fileOf(ref.dir))?.state ?? emptyState();
    const schemaArg = session.project.schemaPath && session.project.schemaPath !== path.join(session.project.root, 'prisma', 'schema.prisma') ? ` --schema ${path.relative(session.project.root, session.project.schemaPath)}` : '';
    const shown = targetLabel(url);
    this.host.log.info(`Checking ${ref.name} against ${shown} (read-only)`);
    let result: LiveRunResult;
    try {
      result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Preflight: checking ${ref.name} against ${shown}`, cancellable: true }, async (progress, token) => {
        const job = runLive({ url, checks: { checklist: mc.checklist, previous, phase: 'before-deploy' }, status: { project: session.project, config: session.config, schemaArg } }, (message) => progress.report({ message }));
        token.onCancellationRequested(() => job.cancel());
        return job.result;
      });
    } catch (e) {
      if (e instanceof LiveRunCancelled) {
        this.host.log.info('Check against the database cancelled; the running query was cancelled on the server');
        return { message: 'Cancelled: the running query was cancelled on the server; nothing was recorded.', cancelled: true };
      }
      const message = redactSecrets(errorText(e), url);
      this.host.log.warn(`Check against ${shown} failed: ${message}`);
      if (e instanceof LiveConnectError) {
        const forget = 'Forget the URL';
        void vscode.window.showErrorMessage(`Preflight: ${message}`, forget).then((c) => (c === forget ? this.forgetFor(session) : undefined));
      } else void vscode.window.showErrorMessage(`Preflight: ${message}`);
      return { message };
    }
    if (result.checks) await this.host.checklists.edit(ref, checkRunEdits(result.checks, 'editor'), result.checks.checklist);
    if (result.status) this.publish(session, result.status);
    else if (result.statusError) this.host.log.warn(`preflight status could not be read: ${result.statusError}`);
    const message = runSummary(result);
    this.host.log.info(message);
    await this.host.showChecklist(ref.dir);
    const problems = 'Show Problems';
    void vscode.window.showInformationMessage(`Preflight: ${message}`, problems).then((c) => c === problems && vscode.commands.executeCommand('workbench.actions.view.problems'));
    return { message, result };
  }

  /** The status report as diagnostics and the status-bar hint (replacing the project's previous ones). */
  publish(session: ProjectSession, report: StatusReport): void {
    this.clear(session);
    const byFile = statusDiagnostics(report, session.project.migrations, this.host.docUri.toString());
    for (const [file, list] of byFile) this.diagnostics.set(vscode.Uri.file(file), list.map(toDiagnostic));
    this.published.set(session.key, [...byFile.keys()]);
    const hint = databaseHint(report);
    if (!hint) return this.hint.hide();
    this.hint.text = hint.text;
    this.hint.tooltip = hint.label;
    this.hint.accessibilityInformation = { label: hint.label };
    this.hint.backgroundColor = hint.failed ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.hint.command = 'workbench.actions.view.problems';
    this.hint.show();
  }

  private clear(session: ProjectSession): void {
    for (const file of this.published.get(session.key) ?? []) this.diagnostics.delete(vscode.Uri.file(file));
    this.published.delete(session.key);
    this.hint.hide();
  }

  private async forget(arg?: unknown): Promise<void> {
    const sessions = this.host.analyzer.all();
    const target = arg !== undefined ? await migrationOf(this.host.analyzer, arg) : undefined;
    for (const session of target ? [target.session] : sessions) await this.forgetFor(session);
    void vscode.window.showInformationMessage(target || sessions.length === 1 ? 'Preflight forgot the database URL; the next check asks for it again.' : `Preflight forgot the database URLs of ${sessions.length} projects.`);
  }

  private async forgetFor(session: ProjectSession): Promise<void> {
    await this.host.secrets.delete(secretKeyOf(session));
    this.clear(session);
    this.host.log.info(`Forgot the database URL of ${session.project.root}`);
  }

  /** The migration given, else the Checklist view's, else the active migration.sql, else a quick pick. */
  private async targetOf(arg: unknown, title: string): Promise<MigrationTarget | undefined> {
    const given = arg === undefined ? undefined : await migrationOf(this.host.analyzer, arg);
    if (given) return given;
    const current = this.host.currentMigrationDir();
    if (arg === undefined && current) {
      const t = await migrationOf(this.host.analyzer, current);
      if (t) return t;
    }
    const doc = vscode.window.activeTextEditor?.document;
    if (arg === undefined && doc?.uri.scheme === 'file') {
      const active = await migrationOf(this.host.analyzer, doc.uri);
      if (active) return active;
    }
    await this.host.analyzer.idle();
    return pickMigration(this.host.analyzer, title);
  }

  dispose(): void {
    this.diagnostics.dispose();
    this.hint.dispose();
  }
}

async function askUrl(session: ProjectSession): Promise<string | undefined> {
  const where = path.basename(session.workspaceFolder ?? session.project.root);
  const url = await vscode.window.showInputBox({
    title: `Preflight: database URL for ${where}`,
    prompt: 'Read-only: every query runs in BEGIN READ ONLY with short timeouts. A read replica of production is the right target. Kept in VS Code’s secret storage, never in settings; Preflight: Forget Database URL removes it.',
    placeHolder: 'postgresql://user:password@host:5432/db',
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => urlProblem(text),
  });
  return url?.trim() || undefined;
}
