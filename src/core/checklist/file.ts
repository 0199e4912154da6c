/**
 * Reading and writing the checklist file without ever losing an edit: every change is
 * read-modify-write against what is on disk at that moment, written to a temporary file and
 * renamed over the old one (atomic), and retried if the file changed in between.
 */
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../input-error';
import { readSourceFile } from '../text/read-source-file';
import { CHECKLIST_FILE, mergeState, parseChecklistMarkdown, renderChecklist, type ParsedChecklistFile } from './markdown';
import type { Checklist, ChecklistState } from './model';

export function checklistPath(migrationDir: string): string {
  return path.join(migrationDir, CHECKLIST_FILE);
}

/** The file's text, or null when there is none. @throws InputError when it exists and cannot be read (a directory, permissions, not UTF-8). */
function readIfExists(file: string): string | null {
  const r = readSourceFile(file);
  if (r.ok) return r.text;
  if (r.problem.code === 'ENOENT') return null;
  throw new InputError(`${file} ${r.problem.reason}: the checklist is not written`);
}

/** Writes `text` to `file` atomically: a reader sees the old or the new file, never half. */
export function writeAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
}

export type ChecklistEdit =
  | { kind: 'tick'; id: string; checked: boolean }
  | { kind: 'note'; id: string; text: string }
  | { kind: 'record'; key: string; value: string };

export function applyEdit(state: ChecklistState, edit: ChecklistEdit): void {
  switch (edit.kind) {
    case 'tick':
      state.ticks[edit.id] = edit.checked;
      break;
    case 'note':
      state.notes[edit.id] = edit.text;
      break;
    case 'record':
      state.record[edit.key] = edit.value.replace(/\n/g, ' ');
      break;
  }
}

/**
 * Regenerates the file for a (re-)analysed migration, keeping what people wrote, and applies
 * `edits` in the same write. Retries when the file changes on disk while it works.
 */
export function updateChecklistFile(file: string, list: Checklist, edits: ChecklistEdit[] = []): { text: string; parsed: ParsedChecklistFile } {
  for (let attempt = 0; ; attempt++) {
    const before = readIfExists(file);
    const previous = parseChecklistMarkdown(before ?? '');
    const merged = mergeState(list, previous);
    for (const e of edits) applyEdit(merged.state, e);
    for (const e of edits) if (e.kind === 'tick') delete merged.resets[e.id];
    const text = renderChecklist(list, merged.state, { resets: merged.resets, archived: merged.archived });
    const now = readIfExists(file);
    if (now !== before && attempt < 20) continue; // changed under us: start again from what is there now
    if (text !== before) writeAtomic(file, text);
    return { text, parsed: parseChecklistMarkdown(text) };
  }
}

export function readChecklistFile(file: string): ParsedChecklistFile | null {
  const text = readIfExists(file);
  return text === null ? null : parseChecklistMarkdown(text);
}

export function checklistMtime(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}
