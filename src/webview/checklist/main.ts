/// <reference lib="dom" />
/**
 * The Checklist view's script (bundled to media/dist/checklist.js). It renders what the
 * extension sends, reports ticks, notes and record entries back (the extension writes the
 * file), and keeps its UI state with setState so the view comes back as it was after being
 * hidden.
 */
import { assertNever, type ChecklistToHostMessage, type ChecklistViewModel, type HostToChecklistMessage } from '../../shared/messages';
import { renderInto } from '../render-root';
import { connect } from '../vscode-api';
import { initialUiState, itemsOf, renderChecklistScreen, type ChecklistScreen, type ChecklistUiState } from './render';

interface Persisted {
  screen: ChecklistScreen;
  ui: ChecklistUiState;
}

const channel = connect<Persisted, ChecklistToHostMessage>();
const root = document.getElementById('root') as HTMLElement;
const saved = channel.getState();
let screen: ChecklistScreen = saved?.screen ?? { kind: 'message', text: 'Loading the checklist…', busy: true };
const ui: ChecklistUiState = { ...initialUiState(), ...saved?.ui, copied: null };
/** Fields whose text is waiting to be sent (debounced typing). */
const timers = new Map<string, ReturnType<typeof setTimeout>>();
const SEND_DELAY_MS = 500;

function render(): void {
  renderInto(root, renderChecklistScreen(screen, ui));
  channel.setState({ screen, ui });
}

// -- from the extension ------------------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent<HostToChecklistMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'show':
      forgetAcknowledgedDrafts(message.model);
      screen = { kind: 'model', model: message.model };
      break;
    case 'empty':
      screen = { kind: 'message', text: message.reason };
      break;
    case 'loading':
      if (screen.kind !== 'model' || screen.model.migration !== message.migration) screen = { kind: 'message', text: `Preparing the checklist of ${message.migration}…`, busy: true };
      break;
    case 'error':
      screen = screen.kind === 'model' ? { ...screen, error: message.message } : { kind: 'message', text: message.message };
      break;
    default:
      assertNever(message);
  }
  render();
});

/** A draft is done once the file holds it, or once its field is left with nothing left to send. */
function forgetAcknowledgedDrafts(model: ChecklistViewModel): void {
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.key : undefined;
  const values = new Map<string, string>();
  for (const item of itemsOf(model)) values.set(`note:${item.id}`, item.note);
  for (const f of model.record) values.set(`record:${f.key}`, f.value);
  for (const [key, draft] of Object.entries(ui.drafts)) {
    if (timers.has(key)) continue;
    const same = draft.migration === model.migration;
    if ((same && values.get(key) === draft.text) || !same || key !== focused) delete ui.drafts[key];
  }
}

// -- from the user -----------------------------------------------------------------------------

function send(message: ChecklistToHostMessage): void {
  channel.post(message);
}

/** The migration a field or button belongs to (its view may have moved on since). */
function migrationOf(el: Element): string | undefined {
  return el.closest<HTMLElement>('[data-migration]')?.dataset.migration;
}

function sendField(el: HTMLTextAreaElement | HTMLInputElement): void {
  const key = el.dataset.key;
  const migration = migrationOf(el);
  if (!key || !migration) return;
  const timer = timers.get(key);
  if (timer) clearTimeout(timer);
  timers.delete(key);
  if (el.dataset.action === 'note' && el.dataset.id) send({ type: 'note', migration, id: el.dataset.id, text: el.value });
  else if (el.dataset.action === 'record' && el.dataset.field) send({ type: 'record', migration, key: el.dataset.field, value: el.value });
}

function actionTarget(event: Event): HTMLElement | null {
  return event.target instanceof Element ? event.target.closest<HTMLElement>('[data-action]') : null;
}

document.addEventListener('click', (event) => {
  const el = actionTarget(event);
  if (!el || !(el instanceof HTMLButtonElement)) return;
  const id = el.dataset.id ?? '';
  const migration = migrationOf(el) ?? '';
  switch (el.dataset.action) {
    case 'toggle':
      ui.expanded[id] = !ui.expanded[id];
      render();
      break;
    case 'toggleSection': {
      const section = el.dataset.section ?? '';
      ui.collapsedSections[section] = !ui.collapsedSections[section];
      render();
      break;
    }
    case 'copy':
      send({ type: 'copyCode', migration, id });
      ui.copied = id;
      render();
      setTimeout(() => {
        if (ui.copied === id) {
          ui.copied = null;
          render();
        }
      }, 1500);
      break;
    case 'reveal':
      send({ type: 'revealStatement', migration, id });
      break;
    case 'openFile':
      send({ type: 'openFile' });
      break;
    case 'openReview':
      send({ type: 'openReview' });
      break;
  }
});

document.addEventListener('change', (event) => {
  const el = actionTarget(event);
  if (!(el instanceof HTMLInputElement)) return;
  const migration = migrationOf(el);
  if (el.dataset.action === 'tick' && el.dataset.id && migration) {
    const id = el.dataset.id;
    send({ type: 'tick', migration, id, checked: el.checked });
    // Show it at once; the extension answers with the file as written.
    if (screen.kind === 'model' && screen.model.migration === migration) {
      const item = itemsOf(screen.model).find((i) => i.id === id);
      if (item && item.checked !== el.checked) {
        item.checked = el.checked;
        screen.model.progress.done += el.checked ? 1 : -1;
      }
    }
    render();
  } else if (el.dataset.action === 'hideDone') {
    ui.hideDone = el.checked;
    render();
  } else if (el.dataset.action === 'record') sendField(el);
});

document.addEventListener('input', (event) => {
  const el = actionTarget(event);
  if (!(el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) || !el.dataset.key) return;
  if (el.dataset.action !== 'note' && el.dataset.action !== 'record') return;
  const key = el.dataset.key;
  const migration = migrationOf(el);
  if (!migration) return;
  ui.drafts[key] = { migration, text: el.value };
  channel.setState({ screen, ui });
  const timer = timers.get(key);
  if (timer) clearTimeout(timer);
  timers.set(key, setTimeout(() => sendField(el), SEND_DELAY_MS));
});

document.addEventListener('focusout', (event) => {
  const el = actionTarget(event);
  if ((el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) && el.dataset.key && timers.has(el.dataset.key)) sendField(el);
});

render();
// Drafts typed before the view was hidden and never acknowledged: send them now.
for (const [key, draft] of Object.entries(ui.drafts)) {
  const [kind, ...rest] = key.split(':');
  const target = rest.join(':');
  if (kind === 'note') send({ type: 'note', migration: draft.migration, id: target, text: draft.text });
  else if (kind === 'record') send({ type: 'record', migration: draft.migration, key: target, value: draft.text });
}
send({ type: 'ready' });
