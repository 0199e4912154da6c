/**
 * The checklist file: GitHub-flavoured Markdown (task lists render in pull requests) with each
 * item's stable id and fingerprint in an HTML comment. People edit it anywhere — the sidebar, a
 * text editor, a merge — so parsing is forgiving: ticks, notes and record fields are read back
 * by id, and nothing a person wrote is dropped on regeneration.
 */
import { createHash } from 'node:crypto';
import { RECORD_FIELDS, SECTION_ORDER, SECTION_TITLES, emptyState, type CheckResult, type CheckState, type Checklist, type ChecklistItem, type ChecklistState, type VerdictLine } from './model';

export const CHECKLIST_FILE = 'preflight-checklist.md';
const MARKER = '<!-- preflight-checklist v1 -->';
const ITEM = /^\s*[-*] \[( |x|X)\] (.*?)\s*<!-- id:(\S+) fp:(\S+)(?: dt:(\S+))? -->\s*$/;
const RECORD = /^\s*[-*] \*\*(.+?):\*\*[ \t]?(.*)$/;
const INSTRUCTIONS = 'Tick items with `[x]` and write after `Notes:`';
/** The fingerprint an item had when a person ticked it, kept after a reset so the tick comes back with that text. */
const TICKED_FP = /\s*<!-- ticked-fp:(\S+) -->\s*$/;
const tickedFpComment = (fp: string | undefined) => (fp ? ` <!-- ticked-fp:${fp} -->` : '');
const ARCHIVED_TICK = ' (ticked when it last applied)';

/** A value Preflight writes on one line (a live check's observed value, its target): no comment markers. */
function cleanNote(text: string): string {
  return text.replace(/<!--|-->/g, '').replace(/\r/g, '');
}

/**
 * A person's text (a note, a record field) as written into the file: the comment markers `<!--` and
 * `-->` become `&lt;!--` and `--&gt;` (GitHub shows them as typed), so a note can neither open a
 * comment that hides the rest of the file nor read as an item's `<!-- id:... -->`; an `&` that would
 * read back as such an escape is escaped too (`&amp;`), so `unescapeText(escapeText(x)) === x` for
 * every x. Only these sequences change: other text, `&lt;` alone included, is written as it is.
 */
export function escapeText(text: string): string {
  return text.replace(/\r/g, '').replace(/<(?=!--)|(?<=--)>|&(?=(?:amp;)*lt;!--)|(?<=--)&(?=(?:amp;)*gt;)/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));
}

/** The text `escapeText` was given, from what it wrote (text it did not write is returned as it is, but for those sequences). */
export function unescapeText(text: string): string {
  return text.replace(/&lt;(?=!--)|(?<=--)&gt;|&amp;(?=(?:amp;)*lt;!--)|(?<=--)&amp;(?=(?:amp;)*gt;)/g, (e) => (e === '&lt;' ? '<' : e === '&gt;' ? '>' : '&'));
}

/** The evidence of an item's generated detail in the file (`dt:` on its id comment): a short hash of the detail's lines. */
export function detailHash(lines: readonly string[]): string {
  return createHash('sha256').update(lines.map((l) => l.trim()).join('\n')).digest('hex').slice(0, 8);
}
const detailLines = (item: ChecklistItem) => (item.detail ? item.detail.split('\n') : []);

export interface RenderOptions {
  /** Why items were reset, by id (shown under the item). */
  resets?: Record<string, string>;
  /** Notes of items that no longer exist, kept so no edit is lost. */
  archived?: Record<string, string>;
  /** By id: the fingerprint of a tick that was reset or whose item no longer applies (the evidence, kept). */
  tickedAt?: Record<string, string>;
  /** Text found outside any item that Preflight does not recognise, kept verbatim under "Other notes". */
  other?: string;
}

export function renderChecklist(list: Checklist, state: ChecklistState, options: RenderOptions = {}): string {
  const out: string[] = [`# Pre-flight checklist: ${list.migration}`, '', MARKER, '', ...list.summary.map((s) => `> ${s}`), ''];
  if (list.verdict.length) out.push(...renderVerdict(list.verdict));
  out.push(`${INSTRUCTIONS}; \`preflight checklist\` regenerates the file and keeps both for items that still apply.`, '');
  for (const section of SECTION_ORDER) {
    const items = list.items.filter((i) => i.section === section);
    if (!items.length) continue;
    out.push(`## ${SECTION_TITLES[section]}`, '');
    for (const item of items) out.push(...renderItem(item, state, options.resets?.[item.id], options.tickedAt?.[item.id]), '');
  }
  out.push('## Migration record', '');
  for (const f of RECORD_FIELDS) out.push(`- **${f.label}:** ${escapeText(state.record[f.key] ?? '').replace(/\n/g, ' ')}`.trimEnd());
  out.push('');
  const present = new Set(list.items.map((i) => i.id));
  const archivedTicks = Object.entries(options.tickedAt ?? {}).filter(([id]) => !present.has(id));
  const ids = [...new Set([...Object.keys(options.archived ?? {}).filter((id) => options.archived![id].trim()), ...archivedTicks.map(([id]) => id)])];
  if (ids.length) {
    out.push('## Notes on items that no longer apply', '');
    for (const id of ids) {
      const fp = options.tickedAt?.[id];
      const lines = indentNote(`- \`${id}\`${fp ? ARCHIVED_TICK : ''}: `, escapeText(options.archived?.[id] ?? ''));
      lines[0] = `${lines[0].trimEnd()}${tickedFpComment(fp)}`;
      out.push(...lines);
    }
    out.push('');
  }
  const other = options.other?.replace(/\r/g, '') ?? '';
  if (other.trim()) out.push(`## ${OTHER_NOTES}`, '', other, '');
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

function renderItem(item: ChecklistItem, state: ChecklistState, reset: string | undefined, tickedFp: string | undefined): string[] {
  const ticked = state.ticks[item.id] === true;
  const where = item.line ? ` (line ${item.line})` : '';
  // dt: the hash of the detail written under the title, so a later run tells it from a line a person adds there.
  const dt = item.detail ? ` dt:${detailHash(detailLines(item))}` : '';
  const lines = [`- [${ticked ? 'x' : ' '}] ${item.title}${where} <!-- id:${item.id} fp:${item.fingerprint}${dt} -->`];
  if (reset) lines.push(`  > Reset: ${reset}${tickedFpComment(tickedFp)}`);
  const check = state.checks?.[item.id];
  if (check) lines.push(...renderCheck(check));
  if (item.detail) lines.push(`  ${item.detail}`);
  if (item.code) {
    const fence = item.code.text.includes('```') ? '~~~~' : '```';
    lines.push(`  ${fence}${item.code.lang}`, ...item.code.text.split('\n').map((l) => `  ${l}`), `  ${fence}`);
  }
  if (item.expected) lines.push(`  Expected: ${item.expected}`);
  lines.push(...indentNote('  Notes: ', escapeText(state.notes[item.id] ?? '')));
  return lines;
}

/** A note under its label, continuation lines indented two spaces (blank lines stay empty). */
function indentNote(label: string, note: string): string[] {
  const [first, ...rest] = note.split('\n');
  return [`${label}${first}`.replace(/\s+$/, (w) => (first.trim() ? w : '')), ...rest.map((l) => (l.trim() ? `  ${l}` : ''))];
}

const CHECK_LINE = /^\s{2,}> Preflight check: (passed|failed|error|timeout|not-run)(, ticked by Preflight)? · observed: (.*) · expected: (.*) · at (\S+) on (.*)$/;
const CHECK_WHY = /^\s{2,}> Why: (.*)$/;
/** A value on the one-line check record: no separators, no line breaks, no comment markers. */
const oneLine = (v: string) => cleanNote(v).replace(/\s*\n\s*/g, ' ').replace(/ · /g, ' - ');

function renderCheck(c: CheckResult): string[] {
  const lines = [`  > Preflight check: ${c.state}${c.tickedByPreflight ? ', ticked by Preflight' : ''} · observed: ${oneLine(c.observed)} · expected: ${oneLine(c.expected)} · at ${c.checkedAt} on ${oneLine(c.target)}`];
  if (c.explanation) lines.push(`  > Why: ${oneLine(c.explanation)}`);
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
  /** By id: the fingerprint a reset or archived tick was made against (see `RenderOptions.tickedAt`). */
  tickedAt: Record<string, string>;
  /**
   * Lines found between an item's title and its `Notes:` line that are not Preflight's own
   * (reset, fenced code, `Expected:`): the generated detail line, or text a person added there.
   * `mergeState` tells them apart against the regenerated item and moves a person's lines into the note.
   */
  bodies: Record<string, string[]>;
  /** By id: the hash of the detail Preflight wrote under the item's title (`dt:`), absent when it wrote none (or an older Preflight wrote the file). */
  details?: Record<string, string>;
  /** Lines Preflight does not recognise outside any item, verbatim (rendered under "Other notes"). */
  other: string;
  /** 1-based lines holding git conflict markers (`<<<<<<<`, `|||||||`, `=======`, `>>>>>>>`); empty when there are none. */
  conflicts: number[];
  /** Whether the text looked like a Preflight checklist at all. */
  recognised: boolean;
}

const OTHER_NOTES = 'Other notes';
const ARCHIVE = 'Notes on items that no longer apply';
const RECORD_SECTION = 'Migration record';
const ITEM_SECTIONS = new Set<string>(Object.values(SECTION_TITLES));
const CONFLICT = /^(?:<{7}|\|{7}|>{7})(?:\s|$)|^={7}\s*$/;

/** 1-based lines of git conflict markers; `=======` alone is a setext underline, so it counts only next to `<<<<<<<`. */
export function conflictMarkerLines(text: string): number[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (!lines.some((l) => /^<{7}(?:\s|$)/.test(l))) return [];
  return lines.flatMap((l, i) => (CONFLICT.test(l) ? [i + 1] : []));
}

type Region = 'head' | 'verdict' | 'items' | 'record' | 'archive' | 'other';

function regionOf(heading: string, level: number): Region {
  if (level === 1 && heading.startsWith('Pre-flight checklist:')) return 'head';
  if (level !== 2) return 'other';
  if (heading === 'Verdict') return 'verdict';
  if (ITEM_SECTIONS.has(heading)) return 'items';
  if (heading === RECORD_SECTION) return 'record';
  if (heading === ARCHIVE) return 'archive';
  return 'other';
}

/**
 * Reads a checklist back. Every line is either Preflight's own (regenerated from the migration),
 * a person's work that has a place (ticks, notes, record fields, archived notes), or kept
 * verbatim: lines inside an item go to that item (its note), lines outside any item go to
 * "Other notes". Nothing is dropped.
 */
export function parseChecklistMarkdown(text: string): ParsedChecklistFile {
  const state = emptyState();
  const ids: string[] = [];
  const archived: Record<string, string> = {};
  const resets: Record<string, string> = {};
  const tickedAt: Record<string, string> = {};
  const bodies: Record<string, string[]> = {};
  const details: Record<string, string> = {};
  const other: string[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let region: Region = 'head';
  let current: string | null = null;
  let inFence: string | null = null;
  let inNotes = false;
  let blanks = 0; // blank lines inside a note or an archived note, kept if more text follows
  for (const line of lines) {
    if (inFence) {
      if (line.trim().startsWith(inFence)) inFence = null;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const next = regionOf(heading[2].trim(), heading[1].length);
      current = null;
      inNotes = false;
      blanks = 0;
      if (next === 'other' && heading[2].trim() !== OTHER_NOTES) other.push(line);
      region = next;
      continue;
    }
    const item = region === 'items' ? ITEM.exec(line) : null;
    if (item) {
      current = item[3];
      ids.push(current);
      state.ticks[current] = item[1] !== ' ';
      state.fingerprints[current] = item[4];
      if (item[5]) details[current] = item[5];
      bodies[current] = [];
      inNotes = false;
      blanks = 0;
      continue;
    }
    switch (region) {
      case 'head':
        if (line.trim() === '' || line.trim() === MARKER || /^> /.test(line) || line.startsWith(INSTRUCTIONS)) continue;
        other.push(line);
        continue;
      case 'verdict':
        if (line.trim() === '' || /^- \*\*.+?:\*\*/.test(line) || /^ {2}- /.test(line) || line.startsWith(INSTRUCTIONS)) continue;
        other.push(line);
        continue;
      case 'record': {
        if (line.trim() === '') continue;
        const rec = RECORD.exec(line);
        const field = rec && RECORD_FIELDS.find((f) => f.label === rec[1].trim());
        if (field) state.record[field.key] = unescapeText(rec![2].trim());
        else other.push(line);
        continue;
      }
      case 'archive': {
        const m = /^\s*[-*] `([^`]+)`(?: \(ticked when it last applied\))?: ?(.*)$/.exec(line);
        if (m) {
          current = m[1];
          const fp = TICKED_FP.exec(m[2]);
          if (fp) tickedAt[current] = fp[1];
          archived[current] = fp ? m[2].slice(0, fp.index) : m[2];
          blanks = 0;
        } else if (line.trim() === '') blanks++;
        else if (current && /^ {2}/.test(line)) {
          archived[current] += '\n'.repeat(blanks + 1) + line.slice(2);
          blanks = 0;
        } else {
          current = null;
          other.push(line);
        }
        continue;
      }
      case 'other':
        other.push(line);
        continue;
      case 'items':
        break;
    }
    if (!current) {
      if (line.trim() !== '') other.push(line);
      continue;
    }
    if (!inNotes) {
      const fence = /^\s*(```+|~~~~+)/.exec(line);
      if (fence) {
        inFence = fence[1];
        continue;
      }
      const check = !inNotes ? CHECK_LINE.exec(line) : null;
    if (check) {
      state.checks![current] = { state: check[1] as CheckState, observed: check[3], expected: check[4], checkedAt: check[5], target: check[6], ...(check[2] ? { tickedByPreflight: true } : {}) };
      continue;
    }
    const why = !inNotes ? CHECK_WHY.exec(line) : null;
    if (why && state.checks![current]) {
      state.checks![current].explanation = why[1];
      continue;
    }
    const reset = /^\s{2,}> Reset: (.*)$/.exec(line);
      if (reset) {
        const fp = TICKED_FP.exec(reset[1]);
        if (fp) tickedAt[current] = fp[1];
        resets[current] = fp ? reset[1].slice(0, fp.index) : reset[1];
        continue;
      }
      const notes = /^\s{2,}Notes:[ \t]?(.*)$/.exec(line);
      if (notes) {
        state.notes[current] = notes[1];
        inNotes = true;
        blanks = 0;
        continue;
      }
      if (/^\s{2,}Expected: /.test(line) || line.trim() === '') continue;
      bodies[current].push(line.replace(/^ {2}/, ''));
      continue;
    }
    // In the note: everything up to the next item or section is the person's text.
    if (line.trim() === '') {
      blanks++;
      continue;
    }
    state.notes[current] += '\n'.repeat(blanks + 1) + line.replace(/^ {2}/, '');
    blanks = 0;
  }
  for (const id of Object.keys(state.notes)) state.notes[id] = unescapeText(state.notes[id]);
  for (const id of Object.keys(archived)) archived[id] = unescapeText(archived[id]);
  return { state, ids, archived, resets, tickedAt, bodies, details, other: trimBlankLines(other).join('\n'), conflicts: conflictMarkerLines(text), recognised: text.includes(MARKER) || ids.length > 0 };
}

function trimBlankLines(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b);
}

export interface MergeResult {
  state: ChecklistState;
  resets: Record<string, string>;
  archived: Record<string, string>;
  /** The evidence of ticks that were reset or whose item no longer applies: the fingerprint each was made against. */
  tickedAt: Record<string, string>;
  other: string;
}

/**
 * The lines a person added between an item's title and its `Notes:` line. Preflight writes the
 * item's detail there, right under the title, and records its hash on the item's id comment
 * (`dt:`): the first lines of the body with that hash are the detail Preflight wrote, whatever the
 * regenerated detail now says. Without a hash (the item had no detail, or an older Preflight wrote
 * the file) only lines equal to the regenerated detail are Preflight's. Every other line is the
 * person's, never taken for a detail.
 */
function addedLines(body: readonly string[], writtenDetail: string | undefined, item: ChecklistItem | undefined): string[] {
  if (writtenDetail) {
    for (let k = 1; k <= body.length; k++) if (detailHash(body.slice(0, k)) === writtenDetail) return body.slice(k);
  }
  const detail = item ? detailLines(item).map((l) => l.trim()) : [];
  return body.filter((l) => !detail.includes(l.trim()));
}

function joinNote(note: string | undefined, added: readonly string[]): string | undefined {
  if (!added.length) return note;
  return [...(note ? [note] : []), ...added].join('\n');
}

/**
 * Carries a person's work over to a regenerated checklist: ticks stay where the item's
 * fingerprint is unchanged, and are reset (saying why) where the statement behind it changed; a
 * reset tick, or the tick of an item that no longer applies, keeps the fingerprint it was made
 * against, and comes back when the item does with that fingerprint (an edit undone); notes and
 * record fields always stay; lines added inside an item join its note; notes of
 * vanished items move to an archive section; unrecognised text outside items stays in "Other notes".
 */
export function mergeState(list: Checklist, previous: ParsedChecklistFile): MergeResult {
  const state = emptyState();
  const resets: Record<string, string> = {};
  const tickedAt: Record<string, string> = {};
  const archived = { ...previous.archived };
  const now = new Map(list.items.map((i) => [i.id, i]));
  const evidence = previous.tickedAt ?? {};
  const bodies = previous.bodies ?? {};
  for (const item of list.items) {
    state.fingerprints[item.id] = item.fingerprint;
    // A fresh live result wins; an earlier one stays while the item checks the same thing.
    const check = item.check ?? (previous.state.fingerprints[item.id] === item.fingerprint ? previous.state.checks?.[item.id] : undefined);
    if (check) state.checks![item.id] = check;
    const note = joinNote(previous.state.notes[item.id] ?? archived[item.id], addedLines(bodies[item.id] ?? [], previous.details?.[item.id], item));
    if (note) state.notes[item.id] = note;
    delete archived[item.id];
    if (!previous.state.ticks[item.id]) {
      const ticked = evidence[item.id];
      if (ticked === item.fingerprint) {
        state.ticks[item.id] = true; // what was ticked is back: so is the tick
        continue;
      }
      const shown = previous.resets[item.id];
      if (ticked) {
        tickedAt[item.id] = ticked;
        resets[item.id] = shown ?? resetReason(item);
      } else if (shown && previous.state.fingerprints[item.id] === item.fingerprint) resets[item.id] = shown;
      continue;
    }
    if (previous.state.fingerprints[item.id] === item.fingerprint) state.ticks[item.id] = true;
    else {
      resets[item.id] = resetReason(item);
      tickedAt[item.id] = previous.state.fingerprints[item.id];
    }
  }
  // Ticks of items that no longer apply, and the evidence kept from earlier runs, wait for their item.
  for (const [id, fp] of Object.entries(evidence)) if (!now.has(id)) tickedAt[id] = fp;
  for (const id of previous.ids) {
    if (now.has(id)) continue;
    // An item that no longer applies: its note, and the lines a person added inside it.
    const note = joinNote(previous.state.notes[id], addedLines(bodies[id] ?? [], previous.details?.[id], undefined));
    if (note?.trim()) archived[id] = archived[id] && archived[id] !== note ? `${archived[id]}\n${note}` : note;
    if (previous.state.ticks[id] && previous.state.fingerprints[id]) tickedAt[id] = previous.state.fingerprints[id];
  }
  state.record = { ...previous.state.record };
  return { state, resets, archived, tickedAt, other: previous.other ?? '' };
}

function resetReason(item: ChecklistItem): string {
  return `this was ticked, but what it checks changed since${item.line ? ` (the statement on line ${item.line})` : ''}; check it again. The tick comes back if the statement does.`;
}
