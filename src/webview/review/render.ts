/**
 * The review panel as an element tree: what the migration does, statement by statement, and
 * what it means for production. Pure: no DOM, so tests render it to a string.
 */
import type { ChecklistStatusView, LiveCheckView, DryRunView, LockView, ObservedStatementView, ReviewViewModel, SeverityView, StatementView } from '../../shared/messages';
import { h, type VElement, type VNode } from '../dom';
import { renderVerdict } from '../verdict';
import { plural } from '../../core/text/plural';

export interface ReviewUiState {
  /** The last action's outcome, shown under the buttons. */
  notice: { text: string; error: boolean } | null;
}

const SEVERITY_WORD: Record<SeverityView, string> = { error: 'error', warning: 'warning', info: 'info' };

function severityBadge(severity: SeverityView): VElement {
  return h('span', { class: `badge ${severity}` }, SEVERITY_WORD[severity]);
}

function ruleButton(rule: string): VElement {
  return h('button', { type: 'button', class: 'link rule', 'data-action': 'showRule', 'data-rule': rule, title: `Documentation of ${rule}` }, rule);
}

function lineButton(line: number): VElement {
  return h('button', { type: 'button', class: 'link line', 'data-action': 'revealLine', 'data-line': line, title: `Go to line ${line} of migration.sql` }, `line ${line}`);
}

export function renderReview(model: ReviewViewModel, ui: ReviewUiState): VElement {
  const { counts } = model;
  return h(
    'main',
    { class: 'review', 'data-migration': model.migration },
    h(
      'header',
      { class: 'head' },
      h('h1', null, `Pre-flight review: ${model.migration}`),
      h(
        'p',
        { class: 'meta' },
        h('code', null, model.file),
        ` · Prisma ${model.prismaVersion ?? 'version unknown'} · `,
        h('span', { class: 'counts' }, `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info`),
      ),
      h(
        'div',
        { class: 'toolbar' },
        h('button', { type: 'button', 'data-action': 'openChecklist' }, 'Open the checklist'),
        h('button', { type: 'button', class: 'secondary', 'data-action': 'writeDownSql', title: 'Write the rollback SQL to down.sql in the migration folder' }, 'Write down.sql'),
        model.actions.dryRun && h('button', { type: 'button', class: 'secondary', 'data-action': 'dryRun', title: 'Preflight: Dry-run Migration' }, 'Dry run'),
        model.actions.checkDatabase && h('button', { type: 'button', class: 'secondary', 'data-action': 'checkDatabase', title: 'Preflight: Check Against Database… (read-only)' }, 'Check against database'),
      ),
      ui.notice && h('p', { class: `banner${ui.notice.error ? ' error' : ''}`, role: 'status' }, withCode(ui.notice.text)),
    ),
    renderVerdict(model.verdict),
    renderChecklistStatus(model.checklist),
    h(
      'section',
      null,
      h('h2', null, 'How Prisma runs this file'),
      h('p', null, capitalise(model.execution.reason), '.'),
      h(
        'p',
        null,
        model.execution.mode === 'batch'
          ? 'Every lock below is held until the whole file has run, and a failure rolls back the whole file.'
          : 'Each statement commits on its own: a failure midway leaves the earlier statements applied.',
      ),
    ),
    h(
      'section',
      null,
      h('h2', null, 'Summary by category'),
      model.categories.length === 0
        ? h('p', null, 'No findings.')
        : model.categories.map((c) =>
            h(
              'div',
              { class: 'category', 'data-category': c.id },
              h('h3', null, `${c.title} (${c.findings.reduce((n, f) => n + 1 + (f.more?.length ?? 0), 0)})`),
              h(
                'ul',
                { class: 'findings' },
                c.findings.map((f) =>
                  h(
                    'li',
                    { class: `finding ${f.severity}` },
                    h('div', null, severityBadge(f.severity), ' ', ruleButton(f.rule), f.line !== undefined && [' ', lineButton(f.line)], f.more && h('span', { class: 'sub' }, ` · ${plural(f.more.length + 1, 'statement')}`)),
                    h('p', { class: 'message' }, withCode(f.message)),
                    f.more &&
                      h(
                        'details',
                        { class: 'more' },
                        h('summary', null, `The same on ${plural(f.more.length, 'more statement')}`),
                        h('ul', null, f.more.map((o) => h('li', null, o.line !== undefined && [lineButton(o.line), ' '], withCode(o.message)))),
                      ),
                    f.help && h('p', { class: 'help' }, withCode(f.help)),
                  ),
                ),
              ),
            ),
          ),
    ),
    model.onDelete.length > 0 &&
      h(
        'section',
        null,
        h('h2', null, 'Foreign keys: what deletes will do'),
        h(
          'table',
          { class: 'ondelete' },
          h('thead', null, h('tr', null, h('th', null, 'Foreign key'), h('th', null, 'ON DELETE'), h('th', null, 'What it means'))),
          h(
            'tbody',
            null,
            model.onDelete.map((c) =>
              h(
                'tr',
                null,
                h('td', null, h('code', null, c.constraint), h('div', { class: 'sub' }, c.table, ' → ', c.references), c.line !== undefined && lineButton(c.line)),
                h(
                  'td',
                  null,
                  c.from ? h('span', { class: 'from' }, c.from.onDelete) : h('em', null, 'new key'),
                  ' → ',
                  h('strong', null, c.to ? c.to.onDelete : 'dropped'),
                  c.from && c.to && c.from.onUpdate !== c.to.onUpdate && h('div', { class: 'sub' }, `ON UPDATE ${c.from.onUpdate} → ${c.to.onUpdate}`),
                ),
                h('td', null, c.meaning),
              ),
            ),
          ),
        ),
      ),
    model.dryRun && renderDryRun(model.dryRun),
    h(
      'section',
      null,
      h('h2', null, 'Statements'),
      h(
        'table',
        { class: 'statements' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', null, '#'),
            h('th', null, 'Statement'),
            h('th', null, 'Locks (what they block)'),
            h('th', null, 'Rewrites'),
            model.dryRun && h('th', { class: 'observed' }, 'Observed in a dry run'),
            h('th', null, 'Findings'),
          ),
        ),
        h('tbody', null, model.statements.map((st) => renderStatement(st, model.dryRun !== null))),
      ),
    ),
    model.notices.length > 0 && h('section', null, h('h2', null, 'Notes'), h('ul', null, model.notices.map((n) => h('li', null, n)))),
  );
}

function renderChecklistStatus(status: ChecklistStatusView | null): VElement {
  const body = !status
    ? h('p', null, 'No checklist for this migration.')
    : !status.fileExists
      ? h('p', null, `Not started: ${plural(status.total, 'item')}, ${status.preTotal} of them before deployment. The file is written with the first tick.`)
      : h(
          'div',
          { class: 'progress-line' },
          h('progress', { value: status.done, max: Math.max(status.total, 1), 'aria-label': 'Checklist progress' }),
          h('span', { class: 'count', 'data-progress': `${status.done}/${status.total}` }, `${status.done}/${status.total} ticked`),
          h('span', { class: status.preOpen ? 'open' : 'ok' }, status.preOpen ? ` · ${status.preOpen} of ${status.preTotal} pre-deployment items open` : ' · every pre-deployment item ticked'),
        );
  return h('section', { class: 'checklist-status' }, h('h2', null, 'Checklist'), body, status?.checks && renderLiveChecks(status.checks));
}

const CHECK_WORDS: Record<LiveCheckView['state'], string> = { passed: 'passed', failed: 'failed', error: 'error', timeout: 'timed out', 'not-run': 'recorded' };

/** The checks run against a live database: verdict, what was observed, why a check failed. */
function renderLiveChecks(checks: { id: string; title: string; check: LiveCheckView }[]): VElement {
  const targets = [...new Set(checks.map((c) => c.check.target))];
  const failed = checks.filter((c) => c.check.state === 'failed' || c.check.state === 'error' || c.check.state === 'timeout').length;
  return h(
    'div',
    { class: 'live-checks' },
    h('h3', null, `Against the database ${targets.join(', ')}: ${failed ? `${plural(failed, 'check')} did not pass` : 'every check passed'}`),
    h(
      'ul',
      null,
      checks.map((c) =>
        h(
          'li',
          { class: `live-check ${c.check.state}`, 'data-check': c.id, 'data-state': c.check.state },
          h('strong', null, CHECK_WORDS[c.check.state]),
          ': ',
          c.title,
          h('span', { class: 'sub' }, ` · observed ${c.check.observed}${c.check.state === 'not-run' ? '' : ` · expected ${c.check.expected}`} · ${c.check.at}`),
          c.check.explanation && h('p', { class: 'help' }, c.check.explanation),
        ),
      ),
    ),
  );
}

function renderLock(l: LockView): VElement {
  return h('li', { class: l.existing ? 'lock' : 'lock new-table' }, h('strong', null, l.lock), ' on ', h('code', null, l.table), l.existing ? `: ${l.blocks}` : ' (created in this migration: blocks nobody)');
}

function renderStatement(st: StatementView, dryRun: boolean): VElement {
  // data-label: the column's title, shown beside each cell when a narrow panel stacks the table.
  return h(
    'tr',
    { 'data-statement': st.index },
    h('td', { 'data-label': '#' }, h('span', null, String(st.index + 1), ' ', lineButton(st.line))),
    h('td', { 'data-label': 'Statement' }, h('code', { class: 'sql', title: st.kind }, st.sql)),
    h('td', { 'data-label': 'Locks' }, st.locks.length ? h('ul', { class: 'locks' }, st.locks.map(renderLock)) : '—'),
    h('td', { 'data-label': 'Rewrites' }, st.rewrites.length ? h('span', null, st.rewrites.map((t, i) => [i ? ', ' : '', h('code', null, t)]).flat()) : '—'),
    dryRun && h('td', { class: 'observed', 'data-label': 'Dry run', 'data-observed': st.observed?.status ?? 'none' }, st.observed ? h('div', null, renderObserved(st.observed)) : '—'),
    h('td', { 'data-label': 'Findings' }, st.findings.length ? h('ul', { class: 'findings compact' }, st.findings.map((f) => h('li', null, severityBadge(f.severity), ' ', ruleButton(f.rule)))) : '—'),
  );
}

/** The latest dry run of this text: engine, outcome, when; its notes (unsupported extensions, replay failures). */
function renderDryRun(d: DryRunView): VElement {
  return h(
    'section',
    { class: 'dry-run', 'data-outcome': d.outcome },
    h('h2', null, 'Dry run'),
    h('p', { class: `banner${d.outcome === 'applied' ? '' : ' error'}`, role: 'status' }, d.summary, ` Finished at ${d.at}; the column “Observed in a dry run” below shows what PostgreSQL took per statement.`),
    d.notices.length > 0 && h('ul', null, d.notices.map((n) => h('li', null, n))),
    d.unproven.length > 0 && h('p', null, h('strong', null, 'What it cannot prove:')),
    d.unproven.length > 0 && h('ul', { class: 'unproven' }, d.unproven.map((n) => h('li', null, capitalise(n)))),
  );
}

/** One statement as the dry run saw it, and where the static claim differs. */
function renderObserved(o: ObservedStatementView): VNode[] {
  const out: VNode[] = [];
  if (o.status === 'failed' && o.error) {
    out.push(h('div', null, severityBadge('error'), ' ', h('strong', null, `SQLSTATE ${o.error.sqlstate}`), `: ${o.error.message}`, ' ', lineButton(o.error.line)));
    if (o.error.hint) out.push(h('div', { class: 'sub' }, `Hint: ${o.error.hint}`));
    return out;
  }
  out.push(h('div', null, o.summary));
  if (o.differences?.length) out.push(h('div', { class: 'sub differs' }, `Differs from the static analysis: ${o.differences.join('; ')}`));
  return out;
}

/** Text whose Markdown code spans (`x`) become <code> elements, the rest plain text. */
export function withCode(text: string): VNode[] {
  return text.split(/`([^`\n]*)`/).map((part, i) => (i % 2 ? h('code', null, part) : part)).filter((n) => n !== '');
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
