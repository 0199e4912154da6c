/**
 * Quick fixes for our diagnostics: the core's fixes (text edits plus new migration folders) first,
 * the first safe one preferred (Enter applies the real fix, an unsafe one says so in its title),
 * then the suppression comments for the statement or the file, then the rule's documentation.
 * A fix that creates a migration folder takes the next free timestamp and then opens the new file.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Finding, Fix } from '../core/types';
import { ruleOf } from './diagnostics';
import { freeMigrationFile } from './free-migration-folder';
import { DocumentText, sameRange, toEditorRange } from './positions';
import type { ProjectSession } from './project-session';
import { OPEN_NEW_MIGRATION_COMMAND, SHOW_RULE_DOC_COMMAND, type DiagnosticRef, type EditorCodeAction, type EditorFileChange, type EditorPosition } from './shapes';
import type { EditorLog } from './workspace-analyzer';

export interface CodeActionRequest<D extends DiagnosticRef> {
  file: string;
  /** The document as the editor holds it now. */
  document: DocumentText;
  version: number;
  session: ProjectSession;
  /** The diagnostics of the request (the editor's context): the ones of Preflight's rules get actions. */
  diagnostics: D[];
  /** The text of another file a fix edits (its open document, else the file); undefined when it cannot be read. */
  textOf(file: string): string | undefined;
  log: Pick<EditorLog, 'warn'>;
}

export function codeActionsFor<D extends DiagnosticRef>(req: CodeActionRequest<D>): EditorCodeAction<D>[] {
  const { file, document, session } = req;
  const ours = req.diagnostics.filter((d) => ruleOf(d) !== null);
  if (!ours.length) return [];
  const current = session.isCurrent(file, req.version);
  // Fixes first, ignore comments after them, documentation last: the menu keeps this order.
  const fixes: EditorCodeAction<D>[] = [];
  const ignores: EditorCodeAction<D>[] = [];
  const docs: EditorCodeAction<D>[] = [];
  const ignoredFileRules = new Set<string>();
  for (const diagnostic of ours) {
    const rule = ruleOf(diagnostic)!;
    const finding = current ? session.findingsOf(file).find((f) => f.rule === rule && sameRange(toEditorRange(f.range), diagnostic.range)) : undefined;
    if (finding) {
      const own: { action: EditorCodeAction<D>; safe: boolean }[] = [];
      for (const fix of finding.fixes ?? []) {
        const action = fixAction(req, fix, diagnostic);
        if (action) own.push({ action, safe: fix.safe });
      }
      // The real fix is the default (a safe one when there is one), never an ignore comment.
      const preferred = (own.find((o) => o.safe) ?? own[0])?.action;
      if (preferred) preferred.isPreferred = true;
      fixes.push(...own.map((o) => o.action));
      const stmt = ignoreStatementAction(document, file, session, finding, diagnostic);
      if (stmt) ignores.push(stmt);
      if (file.endsWith('.prisma')) ignores.push(ignoreSchemaLineAction(document, file, rule, diagnostic));
      if (finding.migration && !ignoredFileRules.has(rule) && file.endsWith('.sql')) {
        ignoredFileRules.add(rule);
        ignores.push(insertAction(file, `Ignore ${rule} for this file`, { line: 0, character: 0 }, `-- preflight-ignore-file ${rule}\n`, diagnostic));
      }
    }
    const title = `Show documentation for ${rule}`;
    docs.push({ title, kind: 'quickfix', diagnostics: [diagnostic], command: { command: SHOW_RULE_DOC_COMMAND, title, arguments: [rule] } });
  }
  return dedupe([...fixes, ...ignores, ...docs]);
}

/**
 * The core's fix as a workspace edit: offsets become positions in the text the analysis read. A new
 * migration folder whose timestamp is taken moves to the next free one (an editor refuses the whole
 * edit when the file exists); the action then opens the new file.
 */
function fixAction<D extends DiagnosticRef>(req: CodeActionRequest<D>, fix: Fix, diagnostic: D): EditorCodeAction<D> | undefined {
  const changes: EditorFileChange[] = [];
  let title = fix.title;
  const created: string[] = [];
  for (const f of fix.newFiles ?? []) {
    const file = freeFile(f.file, req.file);
    if (!file) {
      req.log.warn(`Not offering "${fix.title}": no free migration folder name near ${path.basename(path.dirname(f.file))}`);
      return undefined;
    }
    title = title.split(path.basename(path.dirname(f.file))).join(path.basename(path.dirname(file)));
    changes.push({ kind: 'create', file, contents: f.content });
    created.push(file);
  }
  const texts = new Map<string, DocumentText>([[req.file, req.document]]);
  for (const e of fix.edits) {
    let target = texts.get(e.file);
    if (!target) {
      const text = req.textOf(e.file);
      if (text === undefined) return undefined;
      target = new DocumentText(text);
      texts.set(e.file, target);
    }
    const edit = { range: { start: target.positionAt(e.startOffset), end: target.positionAt(e.endOffset) }, newText: e.newText };
    const last = changes[changes.length - 1];
    if (last?.kind === 'edit' && last.file === e.file) last.edits.push(edit);
    else changes.push({ kind: 'edit', file: e.file, edits: [edit] });
  }
  const action: EditorCodeAction<D> = { title: fix.safe ? title : `${title} (review: changes what the migration does)`, kind: 'quickfix', diagnostics: [diagnostic], edit: { changes } };
  const sql = created.find((f) => path.basename(f) === 'migration.sql');
  if (sql) action.command = { command: OPEN_NEW_MIGRATION_COMMAND, title: 'Open the new migration', arguments: [sql] };
  return action;
}

/** A new file of a fix, in a migration folder nobody uses yet (a folder of the migrations directory). */
function freeFile(proposed: string, sourceFile: string): string | null {
  const migrationsDir = path.dirname(path.dirname(proposed));
  if (path.relative(migrationsDir, path.dirname(path.dirname(sourceFile))) !== '') return proposed;
  let existing: string[];
  try {
    existing = readdirSync(migrationsDir);
  } catch {
    existing = [];
  }
  return freeMigrationFile(proposed, path.basename(path.dirname(sourceFile)), existing);
}

/** `-- preflight-ignore <rule>` on its own line before the statement, with its indentation. */
function ignoreStatementAction<D extends DiagnosticRef>(doc: DocumentText, file: string, session: ProjectSession, finding: Finding, diagnostic: D): EditorCodeAction<D> | undefined {
  if (finding.statementIndex === undefined) return undefined;
  const st = session.migrationOf(file)?.parsed.statements[finding.statementIndex];
  if (!st) return undefined;
  const start = doc.positionAt(st.range.startOffset);
  const indent = doc.lineText(start.line).slice(0, start.character).match(/^\s*/)?.[0] ?? '';
  return insertAction(file, `Ignore ${finding.rule} for this statement`, { line: start.line, character: 0 }, `${indent}-- preflight-ignore ${finding.rule}\n`, diagnostic);
}

/** `// preflight-ignore <rule>` on its own line above the reported line of schema.prisma, with its indentation. */
function ignoreSchemaLineAction<D extends DiagnosticRef>(doc: DocumentText, file: string, rule: string, diagnostic: D): EditorCodeAction<D> {
  const line = diagnostic.range.start.line;
  const indent = doc.lineText(line).match(/^\s*/)?.[0] ?? '';
  return insertAction(file, `Ignore ${rule} on this line`, { line, character: 0 }, `${indent}// preflight-ignore ${rule}\n`, diagnostic);
}

function insertAction<D extends DiagnosticRef>(file: string, title: string, at: EditorPosition, text: string, diagnostic: D): EditorCodeAction<D> {
  return { title, kind: 'quickfix', diagnostics: [diagnostic], edit: { changes: [{ kind: 'edit', file, edits: [{ range: { start: at, end: at }, newText: text }] }] } };
}

function dedupe<D extends DiagnosticRef>(actions: EditorCodeAction<D>[]): EditorCodeAction<D>[] {
  const seen = new Set<string>();
  return actions.filter((a) => {
    const key = a.command ? `${a.title}|cmd` : a.title;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
