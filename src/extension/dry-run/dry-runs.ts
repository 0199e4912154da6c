/**
 * The dry runs of the workspace: runs a migration in PGlite (in a worker thread, `trace-runner.ts`)
 * behind a progress notification, one run at a time; keeps one replay cache for the workspace in
 * the extension's storage (a second run after an edit of the newest migration starts from the
 * replayed history); keeps what each run observed for as long as the files match; and publishes
 * the failures as `dry-run-error` diagnostics in a collection of their own (the static analysis
 * never overwrites them).
 */
import { readSourceFile } from '../../core/text/read-source-file';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Config } from '../config';
import { DIAGNOSTIC_SOURCE, toRange } from '../convert';
import type { ProjectSession } from '../project-session';
import { errorText, type WorkspaceAnalyzer } from '../workspace-analyzer';
import { DRY_RUN_ERROR, dryRunProblems } from './dry-run-problems';
import { historyHash, ObservationStore, stripBom, textHash, type DryRunObservation, type HashedMigration } from './observation-store';
import { editorNotices, engineLabel, formatDuration, runSummary } from './observed-words';
import type { TraceMigrationInput, TraceResult } from '../../core/trace/types';
import { DryRunCancelled, TraceRunner } from './trace-runner';
import { linesWords } from '../../core/text/list-words';
import { unprovenByDryRun, unprovenSentences, type Unproven } from '../../core/trace/unproven';
import { plural } from '../plain-words';

/** What a dry run came to, for the command and the review panel. */
export interface DryRunOutcome {
  /** One sentence for a notification or the review panel. */
  message: string;
  result?: TraceResult;
  /** What the run could not prove on empty tables (when it applied). */
  unproven?: Unproven;
  cancelled?: boolean;
}

/** What the hover and the review panel read. */
export interface DryRunObservations {
  /** The observation of `file` if it was made on exactly this text. */
  current(file: string, text: string): DryRunObservation | undefined;
  /** A file's observations appeared, changed or went stale. */
  readonly onDidChange: vscode.Event<string>;
}

export interface DryRunsHost {
  analyzer: WorkspaceAnalyzer;
  log: vscode.LogOutputChannel;
  /** Where the replay cache lives: the workspace's storage, else the extension's global storage. */
  storageUri: vscode.Uri;
  /** The target of the diagnostics' code link (the shipped docs/dry-run.md). */
  docUri: vscode.Uri;
}

export class DryRuns implements DryRunObservations, vscode.Disposable {
  private readonly store = new ObservationStore();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('preflight-dry-run');
  private readonly changed = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly runner = new TraceRunner();
  /** Settles when the last run requested has finished (each PGlite holds its database in memory: never two at once). */
  private queue: Promise<void> = Promise.resolve();
  private running = 0;
  /** Histories whose replay failures were already shown in a notification. */
  private readonly warnedHistories = new Set<string>();
  /** textHash per analysed text, by the parsed migration the analysis reuses while the file is unchanged. */
  private readonly hashes = new WeakMap<object, string>();
  private hasMigrations: boolean | undefined;

  readonly onDidChange = this.changed.event;

  constructor(private readonly host: DryRunsHost) {
    this.disposables.push(
      this.diagnostics,
      this.changed,
      vscode.workspace.onDidChangeTextDocument((e) => {
        const file = e.document.uri.fsPath;
        if (e.contentChanges.length && this.store.last(file) && !this.store.current(file, e.document.getText())) this.drop(file, 'the file changed');
      }),
      host.analyzer.onDidAnalyse((session) => {
        this.dropStale(session);
        this.updateContext();
      }),
      host.analyzer.onDidRemoveSession((session) => {
        for (const file of this.store.files(session.key)) this.drop(file, 'its project is gone');
      }),
    );
  }

  current(file: string, text: string): DryRunObservation | undefined {
    return this.store.current(file, text);
  }

  /**
   * Dry-runs migration `name` of the project (migrations 1..N as the editors hold them, unsaved
   * text included) behind a cancellable progress notification. Cancel ends the run at once.
   */
  async run(session: ProjectSession, name: string): Promise<DryRunOutcome> {
    const previous = this.queue;
    const waiting = this.running > 0;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    this.running++;
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Preflight: dry run of ${name}`, cancellable: true },
        async (progress, token) => {
          if (waiting) progress.report({ message: 'waiting for the dry run in progress' });
          await previous;
          if (token.isCancellationRequested) {
            this.host.log.info(`Dry run of ${name} cancelled before it started.`);
            return { message: `The dry run of ${name} was cancelled.`, cancelled: true };
          }
          return this.trace(session, name, progress, token);
        },
      );
    } finally {
      this.running--;
      release();
    }
  }

  private async trace(session: ProjectSession, name: string, progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken): Promise<DryRunOutcome> {
    const { log } = this.host;
    const { history, unreadable } = this.historyOf(session, name);
    const target = history.at(-1);
    if (unreadable || !target || target.name !== name) {
      // Fail closed: a replay without one of the files is not the database the deploy meets.
      const message = unreadable ? `The dry run of ${name} does not start: ${unreadable}.` : `Preflight cannot read ${name}/migration.sql.`;
      log.warn(message);
      void vscode.window.showWarningMessage(`Preflight: ${message}`);
      return { message };
    }
    const prismaVersion = session.project.prismaVersion.version;
    const sampleRows = Config.for(vscode.Uri.file(target.file!)).dryRunSampleRows;
    log.info(`Dry run of ${name}: ${plural(history.length - 1, 'earlier migration')}, Prisma ${prismaVersion ?? 'version unknown (batch assumed)'}${sampleRows ? ', one sample row per table' : ''}`);
    const job = this.runner.run(history, { prismaVersion, target: name, sampleRows }, this.cacheDir, (message) => {
      log.info(`  ${message}`);
      progress.report({ message });
    });
    const cancelling = token.onCancellationRequested(() => job.cancel());
    let result: TraceResult;
    try {
      result = await job.result;
    } catch (e) {
      if (e instanceof DryRunCancelled) {
        log.info(`Dry run of ${name} cancelled.`);
        return { message: `The dry run of ${name} was cancelled.`, cancelled: true };
      }
      log.error(`Dry run of ${name} could not run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      void vscode.window.showErrorMessage(`Preflight: the dry run of ${name} could not run (${errorText(e)}). See Preflight: Show Output.`);
      return { message: `The dry run could not run: ${errorText(e)}` };
    } finally {
      cancelling.dispose();
    }
    return this.accept(session, history, result);
  }

  /** Keeps what a finished run observed, publishes its problems and says what happened. */
  private accept(session: ProjectSession, history: TraceMigrationInput[], result: TraceResult): DryRunOutcome {
    const { log } = this.host;
    const target = history[history.length - 1];
    const file = target.file!;
    const hashed = history.map((m) => ({ name: m.name, textHash: textHash(m.text) }));
    const observation: DryRunObservation = {
      file,
      migration: target.name,
      projectKey: session.key,
      textHash: hashed[hashed.length - 1].textHash,
      historyHash: historyHash(hashed.slice(0, -1)),
      result,
      finishedAt: Date.now(),
    };
    this.store.set(observation);
    const problems = dryRunProblems(result, target.text);
    this.diagnostics.set(
      vscode.Uri.file(file),
      problems.map((p) => {
        const d = new vscode.Diagnostic(toRange(p.range), p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Information);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = { value: DRY_RUN_ERROR, target: this.host.docUri };
        return d;
      }),
    );
    const summary = runSummary(result);
    log.info(`${target.name}: ${summary}`);
    for (const p of problems) log.info(`  line ${p.range.start.line}: ${p.severity === 'error' ? 'FAILED' : 'could not run'}: ${p.message.split('\n')[0]}`);
    for (const n of editorNotices(result)) log.info(`  note: ${n}`);
    this.reportReplayFailures(result, observation.historyHash);
    this.changed.fire(file);
    const now = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file)?.getText();
    if (now !== undefined && !this.store.current(file, now)) this.drop(file, 'the file changed while the dry run ran');

    const failure = problems.find((p) => p.severity === 'error');
    if (failure) {
      const message = `${target.name} failed in the dry run at line ${failure.range.start.line}: ${failure.message.split('\n')[0]}`;
      void vscode.window.showWarningMessage(`Preflight: ${message}`);
      return { message, result };
    }
    // Empty tables prove nothing about what depends on the rows: say what, from the static findings.
    const unproven = result.outcome === 'applied' ? unprovenByDryRun(session.analysis?.result.findings ?? [], target.name) : null;
    const unprovenLines = [...new Set(unproven?.failsOnRows.map((f) => f.line) ?? [])];
    const notProven = unprovenLines.length ? ` It ran on empty tables, so what can still fail on real rows (${linesWords(unprovenLines)}) is not proven.` : '';
    for (const sentence of unproven ? unprovenSentences(unproven, result.sampleRows !== undefined) : []) log.info(`  not proven: ${sentence}`);
    const message = `${target.name} ${result.outcome === 'applied' ? 'applied cleanly' : 'did not apply'} in the dry run (${engineLabel(result)}, ${formatDuration(result.totalMs)})${problems.length ? `; ${plural(problems.length, 'statement')} the embedded database cannot run` : ''}.${notProven} Hover a statement for what it locked.`;
    void vscode.window.showInformationMessage(`Preflight: ${message}`);
    return { message, result, ...(unproven ? { unproven } : {}) };
  }

  /** Earlier migrations PostgreSQL rejected in the replay: the log always, a notification once per history. */
  private reportReplayFailures(result: TraceResult, history: string): void {
    const failures = result.replay.failures;
    if (!failures.length) return;
    const { log } = this.host;
    log.warn(`The replay of the earlier migrations skipped ${plural(failures.length, 'failing statement')}; the shadow database may differ from yours:`);
    for (const f of failures) log.warn(`  ${f.migration}${f.statementIndex !== undefined ? ` statement ${f.statementIndex + 1}` : ''}: SQLSTATE ${f.error.sqlstate}: ${f.error.message}`);
    if (this.warnedHistories.has(history)) return;
    this.warnedHistories.add(history);
    const show = 'Show Output';
    void vscode.window
      .showWarningMessage(`Preflight: ${plural(failures.length, 'statement')} of earlier migrations failed when the dry run replayed them and ${failures.length === 1 ? 'was' : 'were'} skipped; the shadow database may differ from yours.`, show)
      .then((choice) => choice === show && log.show(true));
  }

  /** Migrations 1..N in Prisma's order, as open editors hold them (unsaved text) or as on disk. */
  /** Migrations 1..N as unsaved editors hold them or as on disk; `unreadable` says which file stops the run. */
  private historyOf(session: ProjectSession, name: string): { history: TraceMigrationInput[]; unreadable?: string } {
    const open = new Map(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file' && d.isDirty).map((d) => [d.uri.fsPath, d.getText()]));
    const out: TraceMigrationInput[] = [];
    for (const m of session.project.migrations) {
      if (m.unreadable) return { history: out, unreadable: `${m.unreadable.file} ${m.unreadable.reason}` };
      if (!m.sqlFile) continue;
      let text = open.get(m.sqlFile);
      if (text === undefined) {
        const read = readSourceFile(m.sqlFile);
        if (!read.ok) return { history: out, unreadable: `${m.sqlFile} ${read.problem.reason}` };
        text = read.text;
      }
      out.push({ name: m.name, file: m.sqlFile, text: stripBom(text) });
      if (m.name === name) break;
    }
    return { history: out };
  }

  /** The workspace's replay cache, in the extension's storage (never the OS temp folder). */
  private get cacheDir(): string {
    return path.join(this.host.storageUri.fsPath, 'dry-run-cache');
  }

  /** Drops the observations of a project that the latest analysis no longer matches (a file or its history changed). */
  private dropStale(session: ProjectSession): void {
    const files = this.store.files(session.key);
    if (!files.length || !session.analysis) return;
    const history: HashedMigration[] = session.analysis.migrations.map((m) => ({ name: m.report.name, textHash: this.hashOf(m.parsed) }));
    for (const file of files) if (this.store.dropIfStale(file, history)) this.drop(file, 'the file or an earlier migration changed');
  }

  private hashOf(parsed: { text: string }): string {
    let h = this.hashes.get(parsed);
    if (h === undefined) this.hashes.set(parsed, (h = textHash(parsed.text)));
    return h;
  }

  private drop(file: string, why: string): void {
    this.store.delete(file);
    this.diagnostics.delete(vscode.Uri.file(file));
    this.host.log.debug(`Dry-run results of ${file} cleared: ${why}`);
    this.changed.fire(file);
  }

  /** `preflight.hasMigrations`: shows the dry-run command in the palette only where it can run. */
  private updateContext(): void {
    const has = this.host.analyzer.all().some((s) => s.project.migrations.some((m) => m.sqlFile !== null));
    if (has === this.hasMigrations) return;
    this.hasMigrations = has;
    void vscode.commands.executeCommand('setContext', 'preflight.hasMigrations', has);
  }

  dispose(): void {
    this.runner.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
