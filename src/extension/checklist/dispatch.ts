/**
 * The extension's side of the webview messages: each view's messages are checked
 * (`parse…Message`) and routed by one switch to the view's actions. No `vscode` here, so tests
 * can show that every message type reaches its action and malformed ones reach none.
 */
import type { ChecklistEdit } from '../../core/checklist/file';
import { assertNever, parseChecklistMessage, parseReviewMessage, type ReviewAction } from '../../shared/messages';

export interface ChecklistViewActions {
  ready(): unknown;
  /** A tick, note or record entry made in the view for `migration` (a folder name). */
  edit(migration: string, edit: ChecklistEdit): unknown;
  copyCode(migration: string, id: string): unknown;
  revealStatement(migration: string, id: string): unknown;
  openFile(): unknown;
  openReview(): unknown;
}

/** Routes one message from the Checklist view; false when it was not a valid message. */
export async function dispatchChecklistMessage(raw: unknown, actions: ChecklistViewActions): Promise<boolean> {
  const message = parseChecklistMessage(raw);
  if (!message) return false;
  switch (message.type) {
    case 'ready':
      await actions.ready();
      break;
    case 'tick':
      await actions.edit(message.migration, { kind: 'tick', id: message.id, checked: message.checked });
      break;
    case 'note':
      await actions.edit(message.migration, { kind: 'note', id: message.id, text: message.text });
      break;
    case 'record':
      await actions.edit(message.migration, { kind: 'record', key: message.key, value: message.value });
      break;
    case 'copyCode':
      await actions.copyCode(message.migration, message.id);
      break;
    case 'revealStatement':
      await actions.revealStatement(message.migration, message.id);
      break;
    case 'openFile':
      await actions.openFile();
      break;
    case 'openReview':
      await actions.openReview();
      break;
    default:
      assertNever(message);
  }
  return true;
}

export interface ReviewPanelActions {
  ready(): unknown;
  action(action: ReviewAction): unknown;
  revealLine(line: number): unknown;
  showRule(rule: string): unknown;
}

/** Routes one message from a review panel; false when it was not a valid message. */
export async function dispatchReviewMessage(raw: unknown, actions: ReviewPanelActions): Promise<boolean> {
  const message = parseReviewMessage(raw);
  if (!message) return false;
  switch (message.type) {
    case 'ready':
      await actions.ready();
      break;
    case 'action':
      await actions.action(message.action);
      break;
    case 'revealLine':
      await actions.revealLine(message.line);
      break;
    case 'showRule':
      await actions.showRule(message.rule);
      break;
    default:
      assertNever(message);
  }
  return true;
}
