/// <reference lib="dom" />
/**
 * The review panel's script (bundled to media/dist/review.js). The panel's first model comes
 * embedded in the page (as JSON data, never markup); later ones arrive as messages.
 */
import { assertNever, type HostToReviewMessage, type ReviewAction, type ReviewToHostMessage, type ReviewViewModel } from '../../shared/messages';
import { renderInto } from '../render-root';
import { connect } from '../vscode-api';
import { renderReview, type ReviewUiState } from './render';

interface Persisted {
  model: ReviewViewModel | null;
  ui: ReviewUiState;
}

const channel = connect<Persisted, ReviewToHostMessage>();
const root = document.getElementById('root') as HTMLElement;
const saved = channel.getState();
/** The page holds the model it was loaded with; the saved state may hold a newer one (or an older one). */
let model: ReviewViewModel | null = newest(saved?.model ?? null, readEmbeddedModel());

function newest(a: ReviewViewModel | null, b: ReviewViewModel | null): ReviewViewModel | null {
  return !a ? b : !b ? a : b.revision >= a.revision ? b : a;
}
const ui: ReviewUiState = saved?.ui ?? { notice: null };

function readEmbeddedModel(): ReviewViewModel | null {
  const el = document.getElementById('initial-model');
  try {
    return el?.textContent ? (JSON.parse(el.textContent) as ReviewViewModel) : null;
  } catch {
    return null;
  }
}

function render(): void {
  if (model) renderInto(root, renderReview(model, ui));
  channel.setState({ model, ui });
}

window.addEventListener('message', (event: MessageEvent<HostToReviewMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'show':
      model = message.model; // the extension's latest, whatever the page started from
      break;
    case 'checklistStatus':
      if (model) model = { ...model, checklist: message.status };
      break;
    case 'done':
      ui.notice = { text: message.message, error: false };
      break;
    case 'error':
      ui.notice = { text: message.message, error: true };
      break;
    default:
      assertNever(message);
  }
  render();
});

const ACTIONS: Record<string, ReviewAction> = { openChecklist: 'openChecklist', writeDownSql: 'writeDownSql', dryRun: 'dryRun', checkDatabase: 'checkDatabase' };

document.addEventListener('click', (event) => {
  const el = event.target instanceof Element ? event.target.closest<HTMLElement>('button[data-action]') : null;
  if (!el) return;
  const action = el.dataset.action ?? '';
  if (action === 'revealLine') channel.post({ type: 'revealLine', line: Number(el.dataset.line) });
  else if (action === 'showRule' && el.dataset.rule) channel.post({ type: 'showRule', rule: el.dataset.rule });
  else if (Object.hasOwn(ACTIONS, action)) channel.post({ type: 'action', action: ACTIONS[action] });
});

render();
channel.post({ type: 'ready' });
