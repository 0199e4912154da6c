/**
 * Reading and writing the checklist file without ever losing an edit: every change is
 * read-modify-write against what is on disk at that moment, written to a temporary file and
 * renamed over the old one (atomic), and retried if the file changed in between.
 */
import { accessSync, closeSync, constants, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../input-error';
import { readSourceFile } from '../text/read-source-file';
import { CHECKLIST_FILE, mergeState, parseChecklistMarkdown, renderChecklist, type ParsedChecklistFile } from './markdown';
import type { Checklist, ChecklistState } from './model';
import { listWords } from '../text/list-words';

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

/** @throws InputError when `file` exists and is read-only: renaming over it would replace it all the same. */
function refuseReadOnly(file: string): void {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    return; // no file yet
  }
  let writable = (mode & 0o222) !== 0;
  if (writable) {
    try {
      accessSync(file, constants.W_OK);
    } catch {
      writable = false;
    }
  }
  if (!writable) throw new InputError(`${file} is read-only (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): it was not replaced; make it writable (chmod u+w) to regenerate it`);
}

/**
 * Writes `text` to `file` atomically: a reader sees the old or the new file, never half.
 * @throws InputError when the file is read-only or its folder cannot be written.
 */
export function writeAtomic(file: string, text: string): void {
  refuseReadOnly(file);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC' || code === 'ENOENT') throw new InputError(`cannot write ${file}: ${code === 'ENOENT' ? 'its folder does not exist' : code === 'ENOSPC' ? 'the disk is full' : `the folder is not writable (${code})`}; nothing was written`);
    throw e;
  }
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
    refuseToLose(file, before, previous);
    const merged = mergeState(list, previous);
    for (const e of edits) applyEdit(merged.state, e);
    for (const e of edits) {
      if (e.kind !== 'tick') continue;
      // A person's tick or untick is the newest word on the item: the reset and its evidence go.
      delete merged.resets[e.id];
      delete merged.tickedAt[e.id];
    }
    const text = renderChecklist(list, merged.state, { resets: merged.resets, archived: merged.archived, tickedAt: merged.tickedAt, other: merged.other });
    const now = readIfExists(file);
    if (now !== before && attempt < 20) continue; // changed under us: start again from what is there now
    if (text !== before) writeAtomic(file, text);
    return { text, parsed: parseChecklistMarkdown(text) };
  }
}

/**
 * What must stop a regeneration, because writing would lose what is in the file: git conflict
 * markers (one side's ticks and notes would be dropped), or a file that is not a Preflight
 * checklist at all (hand-written text under our file name).
 * @throws InputError naming the file and why
 */
function refuseToLose(file: string, text: string | null, parsed: ParsedChecklistFile): void {
  if (text === null) return;
  if (parsed.conflicts.length) {
    const n = parsed.conflicts.length;
    throw new InputError(`${file} has unresolved git conflict markers on line${n === 1 ? '' : 's'} ${listLines(parsed.conflicts)}: resolve the conflict (keep the ticks and notes of both sides), then regenerate; the file was not changed`);
  }
  if (!parsed.recognised && text.trim() !== '') throw new InputError(`${file} is not a Preflight checklist (no "<!-- preflight-checklist v1 -->" line and no checklist items): it was not overwritten; rename or remove it to generate the checklist`);
}

function listLines(lines: number[]): string {
  const shown = lines.slice(0, 10).map(String);
  if (lines.length > 10) return `${shown.join(', ')} and ${lines.length - 10} more`;
  return listWords(shown);
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
