/**
 * Rule documentation, one rendered, read-only view for every way in: the rule-id link of the
 * Problems panel (and of the diagnostic hover), the quick fix and `Preflight: Show Rule
 * Documentation`. A rule's page is the resource `preflight-rule:/<id>.preflight-rule`, served
 * read-only by a file system provider (so nothing in the extension's folder is ever opened for
 * editing) and shown by a read-only custom editor that renders its Markdown with VS Code's own
 * Markdown renderer. The text is the shipped `docs/rules/<id>.md` (generated from the rule
 * files), else rendered from the rule's metadata: the same single source.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { newNonce } from './checklist/webview-html';
import { loadCore } from './core-loader';
import { plainText } from './plain-words';
import { renderRuleDocPage } from './rule-doc-page';

export const RULE_DOC_SCHEME = 'preflight-rule';
export const RULE_DOC_VIEW_TYPE = 'preflight.ruleDocumentation';
const SUFFIX = '.preflight-rule';

export class RuleDocs implements vscode.CustomReadonlyEditorProvider, vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The page of a rule: the target of a diagnostic's code link. */
  readonly uriOf = (ruleId: string): vscode.Uri => vscode.Uri.from({ scheme: RULE_DOC_SCHEME, path: `/${safeName(ruleId)}${SUFFIX}` });

  /** The Markdown file shipped in the extension (for the Markdown report's relative links). */
  readonly shippedUriOf = (ruleId: string): vscode.Uri => vscode.Uri.joinPath(this.extensionUri, 'docs', 'rules', `${safeName(ruleId)}.md`);

  register(): vscode.Disposable[] {
    return [
      vscode.workspace.registerFileSystemProvider(RULE_DOC_SCHEME, this, { isReadonly: new vscode.MarkdownString('Rule documentation is generated from the rule files; it cannot be edited here.'), isCaseSensitive: true }),
      vscode.window.registerCustomEditorProvider(RULE_DOC_VIEW_TYPE, this, { supportsMultipleEditorsPerDocument: true }),
      this.changed,
    ];
  }

  /** Opens a rule's page; asks which rule when none is given. */
  async show(ruleId?: string): Promise<void> {
    const core = await loadCore();
    let id = typeof ruleId === 'string' ? ruleId : undefined;
    if (!id) {
      const pick = await vscode.window.showQuickPick(
        core.RULES.map((r) => ({ label: r.meta.id, description: r.meta.defaultSeverity, detail: plainText(r.meta.summary) })),
        { title: 'Preflight: Show Rule Documentation', placeHolder: 'Rule', matchOnDetail: true },
      );
      if (!pick) return;
      id = pick.label;
    }
    if (!core.RULES.some((r) => r.meta.id === id) && !existsSync(this.shippedUriOf(id).fsPath)) {
      void vscode.window.showWarningMessage(`Preflight has no rule "${id}".`);
      return;
    }
    await vscode.commands.executeCommand('vscode.openWith', this.uriOf(id), RULE_DOC_VIEW_TYPE, { preview: true });
  }

  /** The Markdown of a rule's page, or null for an unknown rule. */
  private async markdownOf(uri: vscode.Uri): Promise<string | null> {
    const id = idOf(uri);
    if (!id) return null;
    const shipped = this.shippedUriOf(id).fsPath;
    if (existsSync(shipped)) return readFileSync(shipped, 'utf8');
    const core = await loadCore();
    const rule = core.RULES.find((r) => r.meta.id === id);
    return rule ? core.renderRuleDoc(rule.meta) : null;
  }

  // -- the read-only custom editor

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    panel.webview.options = { enableScripts: false, enableCommandUris: false, localResourceRoots: [media] };
    const id = idOf(document.uri) ?? 'unknown rule';
    panel.title = `Rule: ${id}`;
    panel.iconPath = vscode.Uri.joinPath(media, 'preflight.svg');
    const markdown = await this.markdownOf(document.uri);
    let html: string | null = null;
    if (markdown !== null) {
      // VS Code's own Markdown renderer (the built-in Markdown extension); plain text when it is missing.
      html = await Promise.resolve(vscode.commands.executeCommand<string>('markdown.api.render', markdown)).then(
        (h) => (typeof h === 'string' ? h : null),
        () => null,
      );
    }
    panel.webview.html = renderRuleDocPage({
      cspSource: panel.webview.cspSource,
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview.css')).toString(),
      nonce: newNonce(),
      id,
      html,
      markdown: markdown ?? `Preflight has no rule "${id}".`,
    });
  }

  // -- the read-only file system behind the pages

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (uri.path === '/') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const text = await this.markdownOf(uri);
    if (text === null) throw vscode.FileSystemError.FileNotFound(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: Buffer.byteLength(text), permissions: vscode.FilePermission.Readonly };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const text = await this.markdownOf(uri);
    if (text === null) throw vscode.FileSystemError.FileNotFound(uri);
    return Buffer.from(text, 'utf8');
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}

function idOf(uri: vscode.Uri): string | null {
  const base = path.posix.basename(uri.path);
  return base.endsWith(SUFFIX) ? base.slice(0, -SUFFIX.length) : null;
}

function safeName(id: string): string {
  return id.replace(/[^a-z0-9-]/gi, '_');
}
