/**
 * The Checklist view as an element tree, from the model the extension sends and the view's own
 * UI state (expanded items, drafts). Pure: no DOM, so tests render it to a string.
 */
import type { ChecklistItemView, ChecklistViewModel, LiveCheckView } from '../../shared/messages';
import { h, type VElement, type VNode } from '../dom';
import { renderVerdict } from '../verdict';

/** What the view remembers between renders and across hide/show (through setState). */
export interface ChecklistUiState {
  expanded: Record<string, boolean>;
  collapsedSections: Record<string, boolean>;
  hideDone: boolean;
  /** Text typed but not yet acknowledged by the extension, by field key (`note:<id>`, `record:<key>`). */
  drafts: Record<string, Draft>;
  /** Item whose SQL was just copied (for the "Copied" label). */
  copied: string | null;
}

export interface Draft {
  /** The migration the text was typed in. */
  migration: string;
  text: string;
}

/** The draft of a field of this model, if one is pending. */
export function draftOf(ui: ChecklistUiState, model: ChecklistViewModel, key: string): string | undefined {
  const d = ui.drafts[key];
  return d && d.migration === model.migration ? d.text : undefined;
}

export function initialUiState(): ChecklistUiState {
  return { expanded: {}, collapsedSections: {}, hideDone: false, drafts: {}, copied: null };
}

/** What the view shows: the checklist, or a message instead of it. */
export type ChecklistScreen =
  | { kind: 'model'; model: ChecklistViewModel; error?: string }
  | { kind: 'message'; text: string; busy?: boolean };

export function renderChecklistScreen(screen: ChecklistScreen, ui: ChecklistUiState): VElement {
  if (screen.kind === 'message') return h('main', { class: 'empty', 'aria-busy': screen.busy ? 'true' : undefined }, h('p', null, screen.text));
  return renderChecklist(screen.model, ui, screen.error);
}

export function renderChecklist(model: ChecklistViewModel, ui: ChecklistUiState, error?: string): VElement {
  const { done, total } = model.progress;
  return h(
    'main',
    { class: 'checklist', 'data-migration': model.migration },
    h(
      'header',
      { class: 'head' },
      h('h1', { title: model.folder }, model.migration),
      h(
        'div',
        { class: 'progress-line' },
        h('progress', { value: String(done), max: String(Math.max(total, 1)), 'aria-label': 'Checklist progress' }),
        h('span', { class: 'count', 'data-progress': `${done}/${total}` }, `${done}/${total}`),
      ),
      h(
        'div',
        { class: 'toolbar' },
        h('button', { type: 'button', 'data-action': 'openFile', title: 'Open preflight-checklist.md in the editor' }, 'Open file'),
        h('button', { type: 'button', 'data-action': 'openReview', title: 'Preflight: Review Migration' }, 'Review'),
        h(
          'label',
          { class: 'toggle' },
          h('input', { type: 'checkbox', 'data-action': 'hideDone', checked: ui.hideDone }),
          'Hide ticked',
        ),
      ),
    ),
    error && h('p', { class: 'banner error', role: 'alert' }, error),
    !model.fileExists && h('p', { class: 'banner' }, 'Not written yet: preflight-checklist.md is created in the migration folder with your first tick, note or record entry.'),
    model.unsavedInEditor && h('p', { class: 'banner warning' }, 'preflight-checklist.md has unsaved changes in an editor; save them to see them here. Changes made here are written to the file on disk.'),
    renderVerdict(model.verdict),
    model.summary.length > 0 && h('ul', { class: 'summary' }, model.summary.map((s) => h('li', null, s))),
    model.sections.map((section) => {
      const ticked = section.items.filter((i) => i.checked).length;
      const collapsed = ui.collapsedSections[section.id] === true;
      const items = ui.hideDone ? section.items.filter((i) => !i.checked) : section.items;
      return h(
        'section',
        { class: 'section', 'data-section': section.id },
        h(
          'h2',
          null,
          h(
            'button',
            { type: 'button', class: 'section-toggle', 'data-action': 'toggleSection', 'data-section': section.id, 'aria-expanded': collapsed ? 'false' : 'true' },
            h('span', { class: 'chevron', 'aria-hidden': 'true' }, collapsed ? '▸' : '▾'),
            section.title,
          ),
          h('span', { class: 'count' }, `${ticked}/${section.items.length}`),
        ),
        !collapsed && h('ul', { class: 'items' }, items.map((item) => renderItem(model, item, ui))),
      );
    }),
    h(
      'section',
      { class: 'section record' },
      h('h2', null, 'Migration record'),
      h(
        'div',
        { class: 'fields' },
        model.record.map((f) => {
          const key = `record:${f.key}`;
          return h(
            'label',
            { class: 'field' },
            h('span', null, f.label),
            h('input', { type: 'text', 'data-action': 'record', 'data-field': f.key, 'data-key': key, value: draftOf(ui, model, key) ?? f.value, spellcheck: 'false', autocomplete: 'off' }),
          );
        }),
      ),
    ),
    model.archived.length > 0 &&
      h(
        'section',
        { class: 'section archived' },
        h('h2', null, 'Notes on items that no longer apply'),
        h('ul', null, model.archived.map((a) => h('li', null, h('code', null, a.id), ': ', a.note))),
      ),
  );
}

function renderItem(model: ChecklistViewModel, item: ChecklistItemView, ui: ChecklistUiState): VElement {
  const expanded = ui.expanded[item.id] === true;
  const noteKey = `note:${item.id}`;
  const note = draftOf(ui, model, noteKey) ?? item.note;
  return h(
    'li',
    { class: `item${item.checked ? ' done' : ''}${item.reset ? ' reset' : ''}`, 'data-item': item.id },
    h(
      'div',
      { class: 'item-head' },
      h('input', { type: 'checkbox', class: 'tick', 'data-action': 'tick', 'data-id': item.id, checked: item.checked, 'aria-label': item.title }),
      h('button', { type: 'button', class: 'title', 'data-action': 'toggle', 'data-id': item.id, 'aria-expanded': expanded ? 'true' : 'false' }, item.title),
      item.line !== undefined && h('button', { type: 'button', class: 'line', 'data-action': 'reveal', 'data-id': item.id, title: `Go to the statement on line ${item.line}` }, `L${item.line}`),
    ),
    item.reset && h('p', { class: 'reset-reason' }, `Reset: ${item.reset}`),
    item.check && renderLiveCheck(item.check),
    !expanded && note.trim() !== '' && h('p', { class: 'note-preview', title: note }, note),
    expanded &&
      h(
        'div',
        { class: 'item-body' },
        item.detail && h('p', { class: 'detail' }, item.detail),
        item.code &&
          h(
            'div',
            { class: 'code' },
            h('pre', null, h('code', { 'data-lang': item.code.lang }, item.code.text)),
            h('button', { type: 'button', class: 'copy', 'data-action': 'copy', 'data-id': item.id, title: 'Copy to the clipboard' }, ui.copied === item.id ? 'Copied' : 'Copy'),
          ),
        item.expected && h('p', { class: 'expected' }, h('strong', null, 'Expected: '), item.expected),
        h('textarea', { class: 'note', 'data-action': 'note', 'data-id': item.id, 'data-key': noteKey, rows: '2', placeholder: 'Notes (saved to the file)', 'aria-label': `Notes on ${item.title}` }, note),
      ),
  );
}

const CHECK_WORDS: Record<LiveCheckView['state'], string> = { passed: 'Passed', failed: 'Failed', error: 'Error', timeout: 'Timed out', 'not-run': 'Recorded' };

/** The item's last result against a live database: verdict and observed value always visible, the why under a failure. */
function renderLiveCheck(c: LiveCheckView): VElement {
  const observed = c.state === 'not-run' ? `: ${c.observed}` : ` · observed ${c.observed}${c.state === 'passed' ? '' : ` · expected ${c.expected}`}`;
  return h(
    'div',
    { class: `live-check ${c.state}`, 'data-check-state': c.state, title: `Checked on ${c.target} at ${c.at}${c.tickedByPreflight ? '; ticked by Preflight' : ''}` },
    h('p', null, h('strong', null, CHECK_WORDS[c.state]), observed),
    c.explanation && c.state !== 'passed' && h('p', { class: 'why' }, c.explanation),
  );
}

/** Every item of the model, in order. */
export function itemsOf(model: ChecklistViewModel): ChecklistItemView[] {
  return model.sections.flatMap((s) => s.items);
}

export type { VNode };
