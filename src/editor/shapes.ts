/**
 * What the editor layer hands to its front ends: plain, JSON-serialisable data shaped like the
 * Language Server Protocol's (0-based lines, UTF-16 characters, severities 1–4, code actions with
 * workspace edits), so the language server sends it as it is and the VS Code adapter converts it
 * field by field. Files are paths, not URIs: each front end spells URIs the way its client does.
 */

export interface EditorPosition {
  /** 0-based. */
  line: number;
  /** 0-based, in UTF-16 code units. */
  character: number;
}

export interface EditorRange {
  start: EditorPosition;
  end: EditorPosition;
}

/** LSP's DiagnosticSeverity: 1 error, 2 warning, 3 information, 4 hint. */
export type EditorSeverity = 1 | 2 | 3 | 4;

export const DIAGNOSTIC_SOURCE = 'preflight';

export interface EditorRelatedInformation {
  location: { file: string; range: EditorRange };
  message: string;
}

export interface EditorDiagnostic {
  range: EditorRange;
  severity: EditorSeverity;
  source: typeof DIAGNOSTIC_SOURCE;
  /** The rule id. */
  code: string;
  /** Where the rule's page is (the front end decides: a `preflight-rule:` page in VS Code, the docs on the web elsewhere). */
  codeDescription?: { href: string };
  /** Plain text: no Markdown backticks (the Problems panel shows them as they are). */
  message: string;
  relatedInformation?: EditorRelatedInformation[];
}

/** A diagnostic as a front end hands it back with a code-action request: enough to find its finding. */
export interface DiagnosticRef {
  range: EditorRange;
  source?: string;
  code?: string | number;
}

export interface EditorHover {
  /** Markdown. */
  markdown: string;
  range?: EditorRange;
}

export interface EditorTextEdit {
  range: EditorRange;
  newText: string;
}

/** One change of a workspace edit, in order: a new file with its contents, or edits of an existing one. */
export type EditorFileChange = { kind: 'create'; file: string; contents: string } | { kind: 'edit'; file: string; edits: EditorTextEdit[] };

export interface EditorWorkspaceEdit {
  changes: EditorFileChange[];
}

export interface EditorCommand {
  title: string;
  command: string;
  /** Plain data; a file is a path (the front end turns it into its URI type). */
  arguments: unknown[];
}

export interface EditorCodeAction<D extends DiagnosticRef = DiagnosticRef> {
  title: string;
  kind: 'quickfix';
  /** The diagnostics it resolves, as the front end handed them in. */
  diagnostics: D[];
  isPreferred?: boolean;
  edit?: EditorWorkspaceEdit;
  command?: EditorCommand;
}

/** Commands the code actions refer to; each front end registers them (VS Code: the palette table; the server: workspace/executeCommand). */
export const SHOW_RULE_DOC_COMMAND = 'preflight.showRuleDocumentation';
/** Run after a fix that created a migration: opens it and says where it went. Argument: the new migration.sql's path. */
export const OPEN_NEW_MIGRATION_COMMAND = 'preflight.openNewMigration';
