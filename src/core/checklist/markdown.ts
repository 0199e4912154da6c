/**
 * The checklist file: GitHub-flavoured Markdown (task lists render in pull requests) with each
 * item's stable id and fingerprint in an HTML comment. People edit it anywhere — the sidebar, a
 * text editor, a merge — so parsing is forgiving: ticks, notes and record fields are read back
 * by id, and nothing a person wrote is dropped on regeneration.
 */
import { RECORD_FIELDS, SECTION_ORDER, SECTION_TITLES, emptyState, type Checklist, type ChecklistItem, type ChecklistState, type VerdictLine } from './model';

export const CHECKLIST_FILE = 'preflight-checklist.md';
const MARKER = '<!-- preflight-checklist v1 -->';
const ITEM = /^\s*[-*] \[( |x|X)\] (.*?)\s*<!-- id:(\S+) fp:(\S+) -->\s*$/;
const RECORD = /^\s*[-*] \*\*(.+?):\*\*[ \t]?(.*)$/;

/** One line of free text, safe inside the Markdown structure (no comment markers). */
function cleanNote(text: string): string {
  return text.replace(/<!--|-->/g, '').replace(/\r/g, '');
}

export interface RenderOptions {
  /** Why items were reset, by id (shown under the item). */
  resets?: Record<string, string>;
  /** Notes of items that no longer exist, kept so no edit is lost. */
  archived?: Record<string, string>;
}

export function renderChecklist(list: Checklist, state: ChecklistState, options: RenderOptions = {}): string {
  const out: string[] = [`# Pre-flight checklist: ${list.migration}`, '', MARKER, '', ...list.summary.map((s) => `> ${s}`), ''];
  if (list.verdict.length) out.push(...renderVerdict(list.verdict));
  out.push('Tick items with `[x]` and write after `Notes:`; `preflight checklist` regenerates the file and keeps both for items that still apply.', '');
  for (const section of SECTION_ORDER) {
    const items = list.items.filter((i) => i.section === section);
    if (!items.length) continue;
    out.push(`## ${SECTION_TITLES[section]}`, '');
    for (const item of items) out.push(...renderItem(item, state, options.resets?.[item.id]), '');
  }
  out.push('## Migration record', '');
  for (const f of RECORD_FIELDS) out.push(`- **${f.label}:** ${cleanNote(state.record[f.key] ?? '').replace(/\n/g, ' ')}`.trimEnd());
  out.push('');
  const archived = Object.entries(options.archived ?? {}).filter(([, v]) => v.trim());
  if (archived.length) {
    out.push('## Notes on items that no longer apply', '');
    for (const [id, note] of archived) out.push(`- \`${id}\`: ${note.split('\n').join('\n  ')}`);
    out.push('');
  }
  return out.join('\n');
}

/** The verdict as a plain list (no task boxes: it is regenerated, never ticked). */
function renderVerdict(verdict: VerdictLine[]): string[] {
  const out = ['## Verdict', ''];
  for (const v of verdict) {
    out.push(`- **${v.label}:** ${v.text}`.trimEnd());
    for (const p of v.points) out.push(`  - ${p}`);
  }
  out.push('');
  return out;
}

function renderItem(item: ChecklistItem, state: ChecklistState, reset: string | undefined): string[] {
  const ticked = state.ticks[item.id] === true;
  const where = item.line ? ` (line ${item.line})` : '';
  const lines = [`- [${ticked ? 'x' : ' '}] ${item.title}${where} <!-- id:${item.id} fp:${item.fingerprint} -->`];
  if (reset) lines.push(`  > Reset: ${reset}`);
  if (item.detail) lines.push(`  ${item.detail}`);
  if (item.code) {
    const fence = item.code.text.includes('```') ? '~~~~' : '```';
    lines.push(`  ${fence}${item.code.lang}`, ...item.code.text.split('\n').map((l) => `  ${l}`), `  ${fence}`);
  }
  if (item.expected) lines.push(`  Expected: ${item.expected}`);
  const note = state.notes[item.id] ?? '';
  const noteLines = cleanNote(note).split('\n');
  lines.push(`  Notes: ${noteLines[0]}`.trimEnd(), ...noteLines.slice(1).map((l) => `  ${l}`.trimEnd()));
  return lines;
}

export interface ParsedChecklistFile {
  state: ChecklistState;
  /** Item ids in file order. */
  ids: string[];
  /** Notes kept in the "no longer apply" section. */
  archived: Record<string, string>;
  /** "Reset: ..." lines still shown under unticked items. */
  resets: Record<string, string>;
  /** Whether the text looked like a Preflight checklist at all. */
  recognised: boolean;
}

export function parseChecklistMarkdown(text: string): ParsedChecklistFile {
  const state = emptyState();
  const ids: string[] = [];
  const archived: Record<string, string> = {};
  const resets: Record<string, string> = {};
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let current: string | null = null;
  let inFence: string | null = null;
  let inNotes = false;
  let section = '';
  for (const line of lines) {
    if (inFence) {
      if (line.trim().startsWith(inFence)) inFence = null;
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      section = heading[1].trim();
      current = null;
      inNotes = false;
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      current = item[3];
      ids.push(current);
      state.ticks[current] = item[1] !== ' ';
      state.fingerprints[current] = item[4];
      inNotes = false;
      continue;
    }
    if (section === 'Migration record') {
      const rec = RECORD.exec(line);
      const field = rec && RECORD_FIELDS.find((f) => f.label === rec[1].trim());
      if (field) state.record[field.key] = rec![2].trim();
      continue;
    }
    if (section === 'Notes on items that no longer apply') {
      const m = /^\s*[-*] `([^`]+)`: ?(.*)$/.exec(line);
      if (m) {
        current = m[1];
        archived[current] = m[2];
      } else if (current && /^ {2}/.test(line)) archived[current] += `\n${line.slice(2)}`;
      continue;
    }
    if (!current) continue;
    const fence = /^\s*(```+|~~~~+)/.exec(line);
    if (fence && !inNotes) {
      inFence = fence[1];
      continue;
    }
    const reset = /^\s{2,}> Reset: (.*)$/.exec(line);
    if (reset && !inNotes) {
      resets[current] = reset[1];
      continue;
    }
    const notes = /^\s{2,}Notes:[ \t]?(.*)$/.exec(line);
    if (notes) {
      state.notes[current] = notes[1];
      inNotes = true;
      continue;
    }
    if (inNotes) {
      if (line.trim() === '') {
        inNotes = false;
        continue;
      }
      if (/^\s{2,}/.test(line)) state.notes[current] += `\n${line.replace(/^\s{2}/, '')}`;
      else inNotes = false;
    }
  }
  for (const id of Object.keys(state.notes)) state.notes[id] = state.notes[id].replace(/\s+$/, '');
  return { state, ids, archived, resets, recognised: text.includes(MARKER) || ids.length > 0 };
}

export interface MergeResult {
  state: ChecklistState;
  resets: Record<string, string>;
  archived: Record<string, string>;
}

/**
 * Carries a person's work over to a regenerated checklist: ticks stay where the item's
 * fingerprint is unchanged, and are reset (saying why) where the statement behind it changed;
 * notes and record fields always stay; notes of vanished items move to an archive section.
 */
export function mergeState(list: Checklist, previous: ParsedChecklistFile): MergeResult {
  const state = emptyState();
  const resets: Record<string, string> = {};
  const archived = { ...previous.archived };
  const now = new Set(list.items.map((i) => i.id));
  for (const item of list.items) {
    state.fingerprints[item.id] = item.fingerprint;
    const note = previous.state.notes[item.id] ?? archived[item.id];
    if (note) state.notes[item.id] = note;
    delete archived[item.id];
    if (!previous.state.ticks[item.id]) {
      const shown = previous.resets[item.id];
      if (shown && previous.state.fingerprints[item.id] === item.fingerprint) resets[item.id] = shown;
      continue;
    }
    if (previous.state.fingerprints[item.id] === item.fingerprint) state.ticks[item.id] = true;
    else resets[item.id] = `this was ticked, but what it checks changed since${item.line ? ` (the statement on line ${item.line})` : ''}; check it again.`;
  }
  for (const [id, note] of Object.entries(previous.state.notes)) if (!now.has(id) && note.trim()) archived[id] = note;
  state.record = { ...previous.state.record };
  return { state, resets, archived };
}
