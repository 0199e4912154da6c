/**
 * Finds the Prisma projects of the workspace and keeps their analyses current: from the unsaved
 * text of open editors (debounced) and from the files on disk (watchers). One analysis at a time
 * per project; requests that arrive meanwhile are folded into one more run. Errors are logged,
 * never thrown into the editor. What it needs of the editor (settings, open documents, trust,
 * workspace folders, a search for project markers, a log) comes through an `EditorHost`: the
 * VS Code extension and the language server each provide one.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadCore, type Core } from './core-loader';
import { Emitter, type Disposable } from './emitter';
import { ProjectSession, sessionKey } from './project-session';
import type { EditorSettings } from './settings';

/** File names that mark a Prisma project. */
export const PROJECT_MARKER_NAMES = ['migration_lock.toml', 'schema.prisma', 'preflight.config.json'] as const;

export interface EditorLog {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** An open editor document. */
export interface OpenDocument {
  file: string;
  version: number;
  /** Unsaved edits: the analysis reads `text()` instead of the file. */
  dirty: boolean;
  text(): string;
}

/** What the analyzer needs of an editor. */
export interface EditorHost {
  readonly log: EditorLog;
  /** Whether git may run (a repository's git config can run programs): VS Code's workspace trust. */
  isTrusted(): boolean;
  workspaceFolders(): string[];
  /** The workspace folder that holds a file or folder. */
  workspaceFolderOf(fileOrDir: string): string | undefined;
  /** The `preflight.*` settings that apply to a file or folder. */
  settingsFor(fileOrDir: string): EditorSettings;
  /** Files named as a `PROJECT_MARKER_NAMES` in the workspace, outside node_modules and .git, at most `max`. */
  findProjectMarkers(max: number): Promise<string[]>;
  /** Open documents of `file` scheme. */
  openDocuments(): OpenDocument[];
}

export interface AnalyseRequest {
  /**
   * Re-read the branch's changes from git: `true` for every migration (activation, folders
   * created or deleted, Re-analyse), or only for these files (saved, changed on disk), which
   * costs one `git show` each instead of one per migration of the history.
   */
  git?: boolean | string[];
}

function mergeRequests(a: AnalyseRequest | undefined, b: AnalyseRequest): AnalyseRequest {
  if (a?.git === true || b.git === true) return { git: true };
  const files = [...(Array.isArray(a?.git) ? a.git : []), ...(Array.isArray(b.git) ? b.git : [])];
  return files.length ? { git: [...new Set(files)] } : {};
}

export class WorkspaceAnalyzer implements Disposable {
  private readonly sessions = new Map<string, ProjectSession>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Map<string, AnalyseRequest>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly scheduled = new Map<string, AnalyseRequest>();
  private readonly analysed = new Emitter<ProjectSession>();
  private readonly busy = new Emitter<boolean>();
  private readonly removed = new Emitter<ProjectSession>();
  private discovering: Promise<void> | null = null;
  private inFlight = 0;

  /** A project's analysis finished (diagnostics, status bar and hovers read it). */
  readonly onDidAnalyse = this.analysed.event;
  /** True while any analysis runs. */
  readonly onDidChangeBusy = this.busy.event;
  /** A project disappeared (its diagnostics must go). */
  readonly onDidRemoveSession = this.removed.event;

  protected readonly log: EditorLog;

  constructor(protected readonly host: EditorHost) {
    this.log = host.log;
  }

  all(): ProjectSession[] {
    return [...this.sessions.values()];
  }

  /** The project a file belongs to, among those found so far. */
  sessionOf(file: string): ProjectSession | undefined {
    let best: ProjectSession | undefined;
    for (const s of this.sessions.values()) {
      if (s.owns(file) && (!best || s.key.length > best.key.length)) best = s;
    }
    return best;
  }

  /** The project a file belongs to, discovering it when it is a Prisma file no known project owns. */
  async ensureSessionOf(file: string): Promise<ProjectSession | undefined> {
    await this.discovering;
    const known = this.sessionOf(file);
    if (known || !isPrismaFile(file)) return known;
    return this.guard(`discovering the project of ${file}`, async () => {
      const session = await this.openSession(path.dirname(file));
      return session?.owns(file) ? session : undefined;
    });
  }

  /** Finds every project of the workspace anew and analyses each (activation, Re-analyse, settings). */
  discoverAll(): Promise<void> {
    this.discovering = this.guard('finding the Prisma projects of the workspace', async () => {
      const anchors = new Set<string>();
      for (const folder of this.host.workspaceFolders()) {
        const config = this.host.settingsFor(folder);
        if (!config.enabled) continue;
        if (config.schema || config.migrations) anchors.add(folder);
      }
      const markers = await this.host.findProjectMarkers(200);
      for (const file of markers) {
        if (!this.host.settingsFor(file).enabled) continue;
        anchors.add(path.dirname(file));
      }
      const found = new Map<string, ProjectSession>();
      for (const dir of [...anchors].sort()) {
        const s = await this.openSession(dir, found);
        if (s) found.set(s.key, s);
      }
      for (const [key, s] of this.sessions) {
        if (!found.has(key)) {
          this.sessions.delete(key);
          this.removed.fire(s);
        }
      }
      this.log.info(`Found ${this.sessions.size} Prisma project${this.sessions.size === 1 ? '' : 's'}${[...this.sessions.keys()].map((k) => `\n  ${k}`).join('')}`);
    }).then(() => undefined);
    return this.discovering.then(() => Promise.all(this.all().map((s) => this.analyse(s, { git: true })))).then(() => undefined);
  }

  /** Analyses a project after the user stops typing for a moment. */
  schedule(session: ProjectSession, delayMs: number, request: AnalyseRequest = {}): void {
    const previous = this.timers.get(session.key);
    if (previous) clearTimeout(previous);
    this.scheduled.set(session.key, mergeRequests(this.scheduled.get(session.key), request));
    this.timers.set(
      session.key,
      setTimeout(() => {
        this.timers.delete(session.key);
        const merged = this.scheduled.get(session.key) ?? {};
        this.scheduled.delete(session.key);
        void this.analyse(session, merged);
      }, delayMs),
    );
  }

  /** Re-reads the project's layout (migration folders come and go) and analyses it. */
  async rediscover(session: ProjectSession): Promise<void> {
    const fresh = await this.guard(`re-reading ${session.key}`, () => this.openSession(session.project.root, undefined, session));
    if (fresh) await this.analyse(fresh, { git: true });
  }

  /** Runs an analysis now, or once more after the one in progress. */
  analyse(session: ProjectSession, request: AnalyseRequest = {}): Promise<void> {
    const current = this.running.get(session.key);
    if (current) {
      this.again.set(session.key, mergeRequests(this.again.get(session.key), request));
      return current;
    }
    const run = this.runAnalysis(session, request).finally(() => {
      this.running.delete(session.key);
      const next = this.again.get(session.key);
      if (next) {
        this.again.delete(session.key);
        void this.analyse(session, next);
      }
    });
    this.running.set(session.key, run);
    return run;
  }

  /** Resolves once no analysis is running or queued. */
  async idle(): Promise<void> {
    await this.discovering;
    while (this.running.size || this.timers.size) {
      await Promise.all([...this.running.values()]);
      if (this.timers.size) await new Promise((r) => setTimeout(r, 50));
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.scheduled.clear();
    this.analysed.dispose();
    this.busy.dispose();
    this.removed.dispose();
  }

  private async runAnalysis(session: ProjectSession, request: AnalyseRequest): Promise<void> {
    this.setBusy(+1);
    try {
      await this.guard(`analysing ${session.key}`, async () => {
        const core = await loadCore();
        const { overrides, versions } = openDocumentsOf(this.host, session);
        if (request.git === true || session.analysis === null) this.readBranch(core, session, overrides);
        else if (Array.isArray(request.git)) this.readBranchFor(core, session, overrides, request.git);
        const started = Date.now();
        const analysis = await core.analyzeProject(session.project, {
          config: session.config,
          overrides,
          baseSchema: session.baseSchema,
          baseRef: session.branch?.ref ?? null,
          // In branch scope, drift that predates the branch is not its finding (scope all shows it).
          branchMigrations: this.host.settingsFor(session.workspaceFolder ?? session.project.root).problemsScope === 'branch' ? (session.branch?.changed ?? null) : null,
          modifiedMigrations: session.modifiedMigrations,
          history: session.history,
        });
        analysis.result.notices.unshift(...session.notices);
        // Table sizes from the config's "statsFile" (preflight stats), as the CLI reads them: locking findings state them.
        try {
          const tables = core.statsOfConfig(session.config, session.configFile);
          if (tables) analysis.result = core.withTableSizes(analysis.result, { tables, severity: session.config.lockTimeSeverity ?? core.DEFAULT_LOCK_TIME_SEVERITY });
        } catch (e) {
          analysis.result.notices.push(`${errorText(e)}; findings carry no table sizes`);
        }
        session.setAnalysis(analysis, versions);
        this.log.debug(`Analysed ${session.key}: ${analysis.result.findings.length} findings, ${analysis.migrations.length} migrations (${analysis.reused} from cache) in ${Date.now() - started} ms`);
        this.analysed.fire(session);
      });
    } finally {
      this.setBusy(-1);
    }
  }

  /**
   * The migrations the branch added or changed, against the configured base ref or the merge-base
   * with the default branch. Git runs only in trusted workspaces (a repository's git config can
   * run programs); without it, every migration is in scope.
   */
  private readBranch(core: Core, session: ProjectSession, overrides: ReadonlyMap<string, string>): void {
    session.branch = null;
    session.baseSchema = null;
    session.modifiedMigrations = [];
    session.trusted = this.host.isTrusted();
    if (!session.trusted) return;
    const root = session.project.root;
    let ref = session.config.baseRef;
    let label = ref ?? '';
    if (!ref) {
      const base = core.defaultBranchMergeBase(root);
      if (!base) {
        this.log.info(`${root}: no git repository or default branch; the Problems panel covers the newest migration and open files (preflight.problems.scope: all for every one)`);
        return;
      }
      ref = base.commit;
      label = `${base.ref} (merge-base ${base.commit.slice(0, 7)})`;
    }
    try {
      const changes = core.changesSinceRef(session.project, ref, (file) => overrides.get(file) ?? readOrNull(file));
      session.branch = { label, ref, changed: changes.changed };
      session.baseSchema = changes.baseSchemaFiles.length ? core.parsePrismaSchema(changes.baseSchemaFiles) : null;
      session.modifiedMigrations = changes.modified.map((migration) => ({ migration, baseRef: label }));
      this.log.info(`${root}: ${changes.changed.size} migration${changes.changed.size === 1 ? '' : 's'} added or changed since ${label}`);
    } catch (e) {
      this.log.warn(`${root}: cannot compare with ${label || 'the default branch'} (${errorText(e)}); the Problems panel covers every migration`);
    }
  }

  /** Updates the branch's changes for a few files only (a save), keeping the rest. */
  private readBranchFor(core: Core, session: ProjectSession, overrides: ReadonlyMap<string, string>, files: string[]): void {
    const branch = session.branch;
    if (!branch || !this.host.isTrusted()) return;
    const project = session.project;
    const migrations = project.migrations.filter((m) => m.sqlFile !== null && files.includes(m.sqlFile));
    const schemaChanged = project.schemaFiles.some((f) => files.includes(f));
    if (!migrations.length && !schemaChanged) return;
    try {
      const subset = { ...project, migrations, schemaFiles: schemaChanged ? project.schemaFiles : [] };
      const changes = core.changesSinceRef(subset, branch.ref, (file) => overrides.get(file) ?? readOrNull(file));
      const changed = new Set(branch.changed);
      const names = new Set(migrations.map((m) => m.name));
      for (const name of names) {
        if (changes.changed.has(name)) changed.add(name);
        else changed.delete(name);
      }
      session.branch = { ...branch, changed };
      session.modifiedMigrations = [
        ...session.modifiedMigrations.filter((m) => !names.has(m.migration.name)),
        ...changes.modified.map((migration) => ({ migration, baseRef: branch.label })),
      ];
      if (schemaChanged) session.baseSchema = changes.baseSchemaFiles.length ? core.parsePrismaSchema(changes.baseSchemaFiles) : null;
    } catch (e) {
      this.log.warn(`${project.root}: cannot compare ${files.join(', ')} with ${branch.label} (${errorText(e)})`);
    }
  }

  /** Discovers the project at `dir` with the settings layered over preflight.config.json. */
  private async openSession(dir: string, found?: Map<string, ProjectSession>, replacing?: ProjectSession): Promise<ProjectSession | undefined> {
    const core = await loadCore();
    const folder = this.host.workspaceFolderOf(dir);
    const settings = this.host.settingsFor(folder ?? dir);
    if (!settings.enabled) return undefined;
    const loaded = core.loadConfig(dir);
    const config = core.mergeConfig(loaded.config, settings.overlay(folder));
    const project = core.discoverProject(dir, {
      config,
      configDir: loaded.file ? path.dirname(loaded.file) : undefined,
      prismaVersion: settings.prismaVersion,
    });
    if (!project.migrationsDir && project.schemaFiles.length === 0) return undefined;
    // A migration folder or file is not a project of its own: keep the project that holds it.
    project.focus = {};
    const key = sessionKey(project);
    const existing = found?.get(key) ?? (replacing?.key === key ? replacing : this.sessions.get(key));
    const ruleIds = new Set(core.RULES.map((r) => r.meta.id));
    const notices = [
      ...loaded.problems,
      ...settings.problems,
      ...Object.keys(config.rules ?? {})
        .filter((id) => !ruleIds.has(id))
        .map((id) => `unknown rule "${id}" in ${loaded.file && loaded.config.rules?.[id] ? loaded.file : 'the preflight.rules setting'}`),
    ];
    if (!this.host.isTrusted()) notices.push('Restricted mode: static analysis only (no git, no database); trust the workspace for branch-aware Problems.');
    if (existing && JSON.stringify(existing.config) === JSON.stringify(config)) {
      existing.project = project;
      existing.notices = notices;
      existing.configFile = loaded.file;
      return existing;
    }
    const session = new ProjectSession(core, project, config, folder, notices);
    session.configFile = loaded.file;
    if (existing) this.removed.fire(existing);
    this.sessions.set(key, session);
    for (const n of [...project.notices, ...notices]) this.log.info(`${key}: ${n}`);
    this.log.info(`${key}: Prisma ${project.prismaVersion.version ?? 'version unknown'} (${project.prismaVersion.detail})`);
    return session;
  }

  private async guard<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (e) {
      this.log.error(`Failed ${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return undefined;
    }
  }

  private setBusy(delta: number): void {
    const was = this.inFlight > 0;
    this.inFlight += delta;
    if (was !== this.inFlight > 0) this.busy.fire(this.inFlight > 0);
  }
}

/**
 * The text of every open editor of the project with unsaved edits, and every open editor's version.
 * A saved document is read from disk by the core, as the CLI reads it: VS Code shows bytes that are
 * not UTF-8 as U+FFFD, and only the file itself can say it is undecodable (unreadable-file).
 */
function openDocumentsOf(host: EditorHost, session: ProjectSession): { overrides: Map<string, string>; versions: Map<string, number> } {
  const overrides = new Map<string, string>();
  const versions = new Map<string, number>();
  for (const doc of host.openDocuments()) {
    if (!session.owns(doc.file)) continue;
    if (doc.dirty) overrides.set(doc.file, doc.text());
    versions.set(doc.file, doc.version);
  }
  return { overrides, versions };
}

export function isPrismaFile(file: string): boolean {
  return path.basename(file) === 'migration.sql' || file.endsWith('.prisma');
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
