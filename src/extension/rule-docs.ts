/**
 * Rule documentation as shipped in the extension (`docs/rules/<id>.md`, generated from the rule
 * files). The Problems panel links to the file; the command and the quick fix open its preview.
 * A rule without a shipped page (a build that skipped `npm run docs`) is rendered from its
 * metadata, the same single source.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { loadCore } from './core-loader';

export class RuleDocs {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly storageUri: vscode.Uri,
  ) {}

  /** The shipped page of a rule (the target of the diagnostic's code link). */
  readonly uriOf = (ruleId: string): vscode.Uri => vscode.Uri.joinPath(this.extensionUri, 'docs', 'rules', `${safeName(ruleId)}.md`);

  /** Opens the rule's page in the Markdown preview; asks which rule when none is given. */
  async show(ruleId?: string): Promise<void> {
    const core = await loadCore();
    let id = typeof ruleId === 'string' ? ruleId : undefined;
    if (!id) {
      const pick = await vscode.window.showQuickPick(
        core.RULES.map((r) => ({ label: r.meta.id, description: r.meta.defaultSeverity, detail: stripTicks(r.meta.summary) })),
        { title: 'Preflight: Show Rule Documentation', placeHolder: 'Rule', matchOnDetail: true },
      );
      if (!pick) return;
      id = pick.label;
    }
    let uri = this.uriOf(id);
    if (!existsSync(uri.fsPath)) {
      const rule = core.RULES.find((r) => r.meta.id === id);
      if (!rule) {
        void vscode.window.showWarningMessage(`Preflight has no rule "${id}".`);
        return;
      }
      uri = vscode.Uri.joinPath(this.storageUri, 'rules', `${safeName(id)}.md`);
      await vscode.workspace.fs.writeFile(uri, Buffer.from(core.renderRuleDoc(rule.meta), 'utf8'));
    }
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  }
}

function safeName(id: string): string {
  return id.replace(/[^a-z0-9-]/gi, '_');
}

function stripTicks(s: string): string {
  return s.replace(/`/g, '');
}
