/** Live check results in the checklist file: written under the item, read back, kept while the item checks the same thing. */
import { strict as assert } from 'node:assert';
import { mergeState, parseChecklistMarkdown, renderChecklist } from '../../src/core/checklist/markdown';
import { emptyState, type Checklist, type CheckResult } from '../../src/core/checklist/model';

const failed: CheckResult = {
  state: 'failed',
  observed: '5',
  expected: '0',
  checkedAt: '2025-06-01T10:00:00.000Z',
  target: 'db.internal:5432/shop',
  explanation: '5 rows of "Order" have NULL in "customerId": SET NOT NULL will fail; fix the data first',
};

function list(fp: string, check?: CheckResult): Checklist {
  return { migration: 'm', verdict: [], summary: [], items: [{ id: 'pre.nulls.Order.customerId', section: 'pre', title: 'Check', code: { lang: 'sql', text: 'SELECT 1;' }, fingerprint: fp, ...(check ? { check } : {}) }] };
}

describe('checklist file: live check results', () => {
  it('are written under the item and read back exactly, with who ticked', () => {
    const state = emptyState();
    state.ticks['pre.nulls.Order.customerId'] = true;
    const passed: CheckResult = { ...failed, state: 'passed', observed: '0', explanation: undefined, tickedByPreflight: true };
    delete passed.explanation;
    for (const c of [failed, passed]) {
      const text = renderChecklist(list('a', c), mergeState(list('a', c), parseChecklistMarkdown('')).state);
      const parsed = parseChecklistMarkdown(text);
      assert.deepEqual(parsed.state.checks!['pre.nulls.Order.customerId'], c, text);
    }
  });

  it('stay on regeneration without a database, and go when what the item checks changed', () => {
    const first = renderChecklist(list('a', failed), mergeState(list('a', failed), parseChecklistMarkdown('')).state);
    const again = mergeState(list('a'), parseChecklistMarkdown(first));
    assert.deepEqual(again.state.checks!['pre.nulls.Order.customerId'], failed);
    const changed = mergeState(list('b'), parseChecklistMarkdown(first));
    assert.equal(changed.state.checks!['pre.nulls.Order.customerId'], undefined);
  });

  it('never take a note written below them for a result', () => {
    const first = renderChecklist(list('a', failed), mergeState(list('a', failed), parseChecklistMarkdown('')).state);
    const edited = first.replace('  Notes:', '  Notes: asked the team\n  > Preflight check: passed · observed: 0 · expected: 0 · at x on y');
    const parsed = parseChecklistMarkdown(edited);
    assert.equal(parsed.state.checks!['pre.nulls.Order.customerId'].state, 'failed');
    assert.match(parsed.state.notes['pre.nulls.Order.customerId'], /asked the team\n> Preflight check: passed/);
  });
});
