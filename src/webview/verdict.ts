/** The checklist's verdict as the Checklist view and the review panel both show it. Pure. */
import type { VerdictView } from '../shared/messages';
import { h, type VElement } from './dom';

export function renderVerdict(verdict: readonly VerdictView[]): VElement | null {
  if (!verdict.length) return null;
  return h(
    'section',
    { class: 'verdict', 'aria-label': 'Verdict' },
    h('h2', null, 'Verdict'),
    h(
      'ul',
      null,
      verdict.map((v) =>
        h(
          'li',
          { 'data-verdict': v.key },
          h('strong', null, `${v.label}: `),
          v.text,
          v.points.length > 0 && h('ul', null, v.points.map((p) => h('li', null, p))),
        ),
      ),
    ),
  );
}
