/**
 * The language server: the editor layer (src/editor) over the Language Server Protocol. Like the
 * VS Code adapter, it only converts: diagnostics, hovers, code actions and the workspace analysis
 * are the editor layer's. This file and its siblings are the only ones that know the protocol.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type CodeAction,
  CodeActionKind,
  type Connection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type Diagnostic,
  FileChangeType,
  type InitializeParams,
  type InitializeResult,
  type TextDocumentEdit,
  TextDocuments,
  TextDocumentSyncKind,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocUrl } from '../core/rules/docs';
import { foldersBelow } from '../core/project/folders-below';
import { AnalysisTriggers, WATCHED_GLOBS } from '../editor/analysis-triggers';
import { codeActionsFor } from '../editor/code-actions';
import { loadCore } from '../editor/core-loader';
import { DiagnosticsScope } from '../editor/diagnostics';
import { hoverAt, noHoverReason } from '../editor/hovers';
import { DocumentText } from '../editor/positions';
import type { ProjectSession } from '../editor/project-session';
import { EditorSettings, SECTION } from '../editor/settings';
import { OPEN_NEW_MIGRATION_COMMAND, SHOW_RULE_DOC_COMMAND, type EditorCodeAction, type EditorDiagnostic, type EditorWorkspaceEdit } from '../editor/shapes';
import { PROJECT_MARKER_NAMES, WorkspaceAnalyzer, type EditorHost, type EditorLog } from '../editor/workspace-analyzer';

/** What the client can do, read once from `initialize`. */
interface ClientSupport {
  configuration: boolean;
  watchedFilesRegistration: boolean;
  configurationRegistration: boolean;
  documentChanges: boolean;
  createFile: boolean;
  showDocument: boolean;
  workspaceFolders: boolean;
}

/** Folders walked for project markers: depth and directory entries capped, as `preflight check` does. */
const MARKER_WALK = { maxDepth: 8, maxEntries: 50_000 };

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  /** Document versions last opened or saved: a document at another version has unsaved edits. */
  const savedVersions = new Map<string, number>();
  /** The URI the client spells each file with (answers must use its spelling). */
  const uriOfFile = new Map<string, string>();
  let folders: string[] = [];
  let support: ClientSupport;
  /** `preflight` settings per workspace folder ('' for none), from workspace/configuration, else initializationOptions. */
  const settings = new Map<string, EditorSettings>();
  let initialSettings = EditorSettings.fromObject({});
  const verbose = process.env.PREFLIGHT_LSP_DEBUG === '1';

  const log: EditorLog = {
    trace: (m) => verbose && connection.console.log(m),
    debug: (m) => verbose && connection.console.log(m),
    info: (m) => connection.console.info(m),
    warn: (m) => connection.console.warn(m),
    error: (m) => connection.console.error(m),
  };
  const folderOf = (fileOrDir: string) => folders.filter((f) => isInside(fileOrDir, f)).sort((a, b) => b.length - a.length)[0];
  const settingsFor = (fileOrDir: string | undefined) => settings.get((fileOrDir && folderOf(fileOrDir)) ?? '') ?? settings.get('') ?? initialSettings;
  const uriOf = (file: string) => uriOfFile.get(file) ?? pathToFileURL(file).href;

  const host: EditorHost = {
    log,
    // The user started the server in this workspace: git runs (the branch scope), as in a trusted VS Code workspace.
    isTrusted: () => true,
    workspaceFolders: () => folders,
    workspaceFolderOf: folderOf,
    settingsFor,
    findProjectMarkers: async (max) => {
      const names: readonly string[] = PROJECT_MARKER_NAMES;
      const found: string[] = [];
      for (const folder of folders) {
        const dirs = foldersBelow(folder, { ...MARKER_WALK, matches: (entries) => entries.some((e) => e.isFile() && names.includes(e.name)) });
        for (const dir of dirs) for (const name of names) found.push(path.join(dir, name));
      }
      return found.filter((f) => existsSync(f)).slice(0, max);
    },
    openDocuments: () =>
      documents
        .all()
        .map((d) => ({ doc: d, file: fileOf(d.uri) }))
        .filter((d): d is { doc: TextDocument; file: string } => d.file !== null)
        .map(({ doc, file }) => ({ file, version: doc.version, dirty: savedVersions.get(doc.uri) !== doc.version, text: () => doc.getText() })),
  };
  const analyzer = new WorkspaceAnalyzer(host);
  const triggers = new AnalysisTriggers(analyzer);
  const scope = new DiagnosticsScope(ruleDocUrl);

  const publish = (session: ProjectSession) => {
    const open = new Set(host.openDocuments().map((d) => d.file));
    const update = scope.publish(session, open, settingsFor(session.workspaceFolder ?? session.project.root).problemsScope === 'all');
    for (const [file, diagnostics] of update.set) void connection.sendDiagnostics({ uri: uriOf(file), diagnostics: diagnostics.map(toLspDiagnostic) });
    for (const file of update.clear) void connection.sendDiagnostics({ uri: uriOf(file), diagnostics: [] });
  };
  const toLspDiagnostic = (d: EditorDiagnostic): Diagnostic => ({
    range: d.range,
    severity: d.severity,
    source: d.source,
    code: d.code,
    codeDescription: d.codeDescription,
    message: d.message,
    relatedInformation: d.relatedInformation?.map((r) => ({ location: { uri: uriOf(r.location.file), range: r.location.range }, message: r.message })),
  });
  analyzer.onDidAnalyse(publish);
  analyzer.onDidRemoveSession((session) => {
    for (const file of scope.clear(session)) void connection.sendDiagnostics({ uri: uriOf(file), diagnostics: [] });
  });

  /** Reads the `preflight` section for every workspace folder (workspace/configuration), then finds and analyses the projects. */
  const refreshSettings = async () => {
    if (support.configuration) {
      const scopes = ['', ...folders];
      try {
        const values: unknown[] = await connection.workspace.getConfiguration(scopes.map((f) => (f ? { scopeUri: pathToFileURL(f).href, section: SECTION } : { section: SECTION })));
        settings.clear();
        scopes.forEach((f, i) => settings.set(f, values[i] && typeof values[i] === 'object' ? EditorSettings.fromObject(values[i]) : initialSettings));
      } catch (e) {
        log.warn(`workspace/configuration failed (${e instanceof Error ? e.message : String(e)}); using initializationOptions`);
      }
    }
    for (const problem of settingsFor(undefined).problems) log.warn(problem);
  };
  const rediscover = async () => {
    await refreshSettings();
    await analyzer.discoverAll();
  };

  /** Waits (a little) for the analysis of exactly this version: a request right after an edit answers from it, not from an older one. */
  const sessionFor = async (doc: TextDocument, token: { isCancellationRequested: boolean }) => {
    const file = fileOf(doc.uri);
    if (!file) return undefined;
    const session = await analyzer.ensureSessionOf(file);
    if (!session) return undefined;
    if (!session.isCurrent(file, doc.version)) await Promise.race([analyzer.idle(), delay(5000)]);
    return token.isCancellationRequested ? undefined : { file, session };
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    support = {
      configuration: caps.workspace?.configuration === true,
      watchedFilesRegistration: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      configurationRegistration: caps.workspace?.didChangeConfiguration?.dynamicRegistration === true,
      documentChanges: caps.workspace?.workspaceEdit?.documentChanges === true,
      createFile: caps.workspace?.workspaceEdit?.resourceOperations?.includes('create') === true,
      showDocument: caps.window?.showDocument?.support === true,
      workspaceFolders: caps.workspace?.workspaceFolders === true,
    };
    folders = (params.workspaceFolders ?? []).map((f) => fileOf(f.uri)).filter((f): f is string => f !== null);
    const root = params.rootUri ? fileOf(params.rootUri) : (params.rootPath ?? null);
    if (!folders.length && root) folders = [root];
    const options = params.initializationOptions as Record<string, unknown> | undefined;
    initialSettings = EditorSettings.fromObject(options?.[SECTION] ?? options ?? {});
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: [SHOW_RULE_DOC_COMMAND, OPEN_NEW_MIGRATION_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'preflight' },
    };
  });

  connection.onInitialized(() => {
    if (support.watchedFilesRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) });
    }
    if (support.configurationRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
    if (support.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => fileOf(f.uri)));
        folders = [...folders.filter((f) => !removed.has(f)), ...e.added.map((f) => fileOf(f.uri)).filter((f): f is string => f !== null)];
        void rediscover();
      });
    }
    void rediscover();
  });

  connection.onDidChangeConfiguration(() => void rediscover());

  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const c of changes) {
      const file = fileOf(c.uri);
      if (file) triggers.disk(file, c.type !== FileChangeType.Changed);
    }
  });

  documents.onDidOpen(({ document }) => {
    const file = fileOf(document.uri);
    if (!file) return;
    uriOfFile.set(file, document.uri);
    savedVersions.set(document.uri, document.version);
    void triggers.document(file, 0);
  });
  documents.onDidChangeContent(({ document }) => {
    const file = fileOf(document.uri);
    if (!file || savedVersions.get(document.uri) === document.version) return; // the open itself
    // A big file waits longer after the last keystroke: typing stays responsive while it is analysed.
    const wait = settingsFor(file).analysisDelayMs;
    void triggers.document(file, document.getText().length > 1_000_000 ? Math.max(wait, 1000) : wait);
  });
  documents.onDidSave(({ document }) => {
    const file = fileOf(document.uri);
    if (!file) return;
    savedVersions.set(document.uri, document.version);
    void triggers.document(file, 0, true);
  });
  documents.onDidClose(({ document }) => {
    const file = fileOf(document.uri);
    savedVersions.delete(document.uri);
    if (file) void triggers.document(file, 0);
  });

  connection.onHover(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const found = await sessionFor(doc, token);
    if (!found) return null;
    const hover = hoverAt(await loadCore(), found.session, found.file, doc.version, doc.offsetAt(params.position));
    if (!hover) log.trace(noHoverReason(found.session, found.file, doc.version));
    return hover ? { contents: { kind: 'markdown', value: hover.markdown }, range: hover.range } : null;
  });

  connection.onCodeAction(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const found = await sessionFor(doc, token);
    if (!found) return null;
    const actions = codeActionsFor({
      file: found.file,
      document: new DocumentText(doc.getText()),
      version: doc.version,
      session: found.session,
      diagnostics: params.context.diagnostics.map((d) => ({ ...d, code: d.code ?? undefined })),
      textOf: (file) => {
        const open = documents.get(uriOf(file));
        if (open) return open.getText();
        try {
          return readFileSync(file, 'utf8');
        } catch {
          return undefined;
        }
      },
      log,
    });
    return actions.map(toLspCodeAction).filter((a): a is CodeAction => a !== null);
  });

  const toLspCodeAction = (a: EditorCodeAction<Diagnostic & { code?: string | number }>): CodeAction | null => {
    const action: CodeAction = { title: a.title, kind: CodeActionKind.QuickFix, diagnostics: a.diagnostics };
    if (a.isPreferred) action.isPreferred = true;
    if (a.edit) {
      const edit = toWorkspaceEdit(a.edit);
      if (!edit) return null;
      action.edit = edit;
    }
    if (a.command) action.command = { title: a.command.title, command: a.command.command, arguments: a.command.arguments };
    return action;
  };

  /** The editor layer's edit as the client can take it: documentChanges (with CreateFile) when it supports them, else plain changes (and no fix that creates a file). */
  const toWorkspaceEdit = (e: EditorWorkspaceEdit): WorkspaceEdit | null => {
    if (support.documentChanges) {
      const out: WorkspaceEdit['documentChanges'] = [];
      for (const c of e.changes) {
        if (c.kind === 'create') {
          if (!support.createFile) return null;
          const uri = uriOf(c.file);
          out.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
          out.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.contents }] } satisfies TextDocumentEdit);
        } else {
          const uri = uriOf(c.file);
          out.push({ textDocument: { uri, version: documents.get(uri)?.version ?? null }, edits: c.edits });
        }
      }
      return { documentChanges: out };
    }
    if (e.changes.some((c) => c.kind === 'create')) return null;
    const changes: WorkspaceEdit['changes'] = {};
    for (const c of e.changes) if (c.kind === 'edit') (changes[uriOf(c.file)] ??= []).push(...c.edits);
    return { changes };
  };

  connection.onExecuteCommand(async (params) => {
    const [arg] = params.arguments ?? [];
    if (params.command === SHOW_RULE_DOC_COMMAND && typeof arg === 'string') {
      if (support.showDocument) await connection.window.showDocument({ uri: ruleDocUrl(arg), external: true });
      else connection.window.showInformationMessage(`${arg}: ${ruleDocUrl(arg)}`);
    } else if (params.command === OPEN_NEW_MIGRATION_COMMAND && typeof arg === 'string') {
      if (support.showDocument) await connection.window.showDocument({ uri: uriOf(arg), takeFocus: true });
      connection.window.showInformationMessage(`Preflight: the statement now runs in its own migration, ${path.basename(path.dirname(arg))}. Review it before committing.`);
    }
    return null;
  });

  connection.onShutdown(() => {
    triggers.dispose();
    analyzer.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

/** The path of a file: URI, or null for any other scheme. */
function fileOf(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
