/**
 * The extension's settings: the editor layer's `EditorSettings` (src/editor/settings.ts, shared with
 * the language server) over VS Code's configuration, resource-scoped (multi-root aware).
 */
import * as vscode from 'vscode';
import { EditorSettings, SECTION } from '../editor/settings';

export { SECTION, type ProblemsScope } from '../editor/settings';

export class Config extends EditorSettings {
  constructor(scope?: vscode.ConfigurationScope) {
    super((key, fallback) => vscode.workspace.getConfiguration(SECTION, scope).get(key, fallback));
  }

  /** The settings that apply to a file or folder. */
  static for(scope?: vscode.ConfigurationScope): Config {
    return new Config(scope);
  }

  static affectsUs(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration(SECTION);
  }
}
