import type * as vscode from 'vscode';

/** Composes the extension; the full wiring lands with the extension issue. */
export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
