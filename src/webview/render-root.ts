/// <reference lib="dom" />
/**
 * Replaces a view's content with a freshly rendered tree, keeping what the user is in the
 * middle of: the focused field (and its caret and typed text) and the scroll position.
 * Elements are matched by their data attributes, never by selectors built from workspace text.
 */
import { mount, type VNode } from './dom';

/** Identifies an interactive element across renders. */
export function keyOf(el: Element | null): string | null {
  if (!(el instanceof HTMLElement)) return null;
  const d = el.dataset;
  if (d.key) return d.key;
  if (!d.action) return null;
  return `${d.action}:${d.id ?? d.section ?? d.field ?? ''}`;
}

export function renderInto(root: HTMLElement, tree: VNode): void {
  const active = document.activeElement;
  const focusKey = root.contains(active) ? keyOf(active) : null;
  const field = active instanceof HTMLTextAreaElement || (active instanceof HTMLInputElement && active.type === 'text') ? active : null;
  const typed = field ? { value: field.value, start: field.selectionStart, end: field.selectionEnd } : null;
  const scroll = document.scrollingElement?.scrollTop ?? 0;

  root.replaceChildren(mount(tree, document) as Node);

  if (focusKey) {
    for (const el of root.querySelectorAll<HTMLElement>('[data-action], [data-key]')) {
      if (keyOf(el) !== focusKey) continue;
      if (typed && (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement)) {
        el.value = typed.value;
        el.focus();
        el.setSelectionRange(typed.start, typed.end);
      } else el.focus();
      break;
    }
  }
  if (document.scrollingElement) document.scrollingElement.scrollTop = scroll;
}
