/**
 * What the webviews show, as plain data built from the core's results. No `vscode` here: the
 * models (and the escaping tests that feed them hostile identifiers) run under plain Node.
 */
import type { CheckResult, Checklist } from '../../core/checklist/model';
import { RECORD_FIELDS, SECTION_ORDER, SECTION_TITLES, emptyState } from '../../core/checklist/model';
import { mergeState, type ParsedChecklistFile } from '../../core/checklist/markdown';
import type { Catalog, Constraint } from '../../core/catalog/model';
import type { Finding, RuleCategory } from '../../core/types';
import type { TracedStatement } from '../../core/trace/types';
import type { StatementFacts } from '../../core/types';
import type { CategoryView, ChecklistStatusView, LiveCheckView, ChecklistViewModel, DryRunView, VerdictView, FindingView, ObservedStatementView, OnDeleteChangeView, ReviewViewModel, StatementView } from '../../shared/messages';
import type { MigrationAnalysis, ProjectAnalysis } from '../core-api';
import type { Core } from '../core-loader';
import type { DryRunObservation } from '../dry-run/observation-store';
import { editorNotices, engineLabel, observedSummary, runSummary, staticVsObserved, tablesOf } from '../dry-run/observed-words';
import { unprovenByDryRun, unprovenSentences } from '../../core/trace/unproven';

/** The state a checklist shows: the file's, carried over to the current items (or empty). */
function currentState(list: Checklist, file: ParsedChecklistFile | null) {
  return file ? mergeState(list, file) : { state: emptyState(), resets: {} as Record<string, string>, archived: {} as Record<string, string>, tickedAt: {} as Record<string, string> };
}

export function checklistViewModel(list: Checklist, file: ParsedChecklistFile | null, where: { folder: string; unsavedInEditor: boolean }): ChecklistViewModel {
  const { state, resets, archived } = currentState(list, file);
  const sections = SECTION_ORDER.map((id) => ({
    id,
    title: SECTION_TITLES[id],
    items: list.items
      .filter((i) => i.section === id)
      .map((i) => ({
        id: i.id,
        title: i.title,
        ...(i.detail ? { detail: i.detail } : {}),
        ...(i.code ? { code: { lang: i.code.lang, text: i.code.text } } : {}),
        ...(i.expected ? { expected: i.expected } : {}),
        ...(i.line !== undefined ? { line: i.line } : {}),
        checked: state.ticks[i.id] === true,
        note: state.notes[i.id] ?? '',
        ...(resets[i.id] ? { reset: resets[i.id] } : {}),
        ...(checkOf(i, state) ? { check: liveCheckView(checkOf(i, state)!) } : {}),
      })),
  })).filter((s) => s.items.length > 0);
  const done = list.items.filter((i) => state.ticks[i.id] === true).length;
  return {
    migration: list.migration,
    folder: where.folder,
    verdict: verdictView(list),
    summary: list.summary,
    sections,
    record: RECORD_FIELDS.map((f) => ({ key: f.key, label: f.label, value: state.record[f.key] ?? '' })),
    archived: Object.entries(archived)
      .filter(([, note]) => note.trim() !== '')
      .map(([id, note]) => ({ id, note })),
    progress: { done, total: list.items.length },
    fileExists: file !== null,
    unsavedInEditor: where.unsavedInEditor,
  };
}

/** The verdict as the webviews show it. */
export function verdictView(list: Checklist): VerdictView[] {
  return list.verdict.map((v) => ({ key: v.key, label: v.label, text: v.text, points: [...v.points] }));
}

export function checklistStatus(list: Checklist, file: ParsedChecklistFile | null): ChecklistStatusView {
  const { state } = currentState(list, file);
  const pre = list.items.filter((i) => i.section === 'pre');
  const checks = list.items.filter((i) => checkOf(i, state)).map((i) => ({ id: i.id, title: i.title, check: liveCheckView(checkOf(i, state)!) }));
  return {
    fileExists: file !== null,
    done: list.items.filter((i) => state.ticks[i.id] === true).length,
    total: list.items.length,
    preOpen: pre.filter((i) => state.ticks[i.id] !== true).length,
    preTotal: pre.length,
    ...(checks.length ? { checks } : {}),
  };
}

/** An item's live check result: the file's (kept while the item's fingerprint holds), else the item's own (a run's list). */
function checkOf(item: Checklist['items'][number], state: { checks?: Record<string, CheckResult> }): CheckResult | undefined {
  return state.checks?.[item.id] ?? item.check;
}

/** A recorded live check as the webviews show it (the time in the user's clock). */
export function liveCheckView(c: CheckResult): LiveCheckView {
  const when = new Date(c.checkedAt);
  return {
    state: c.state,
    observed: c.observed,
    expected: c.expected,
    at: Number.isNaN(when.getTime()) ? c.checkedAt : when.toLocaleString(),
    target: c.target,
    ...(c.explanation ? { explanation: c.explanation } : {}),
    tickedByPreflight: c.tickedByPreflight === true,
  };
}

/** Progress as the file alone tells it (the tree shows it without analysing anything). */
export function progressOfFile(file: ParsedChecklistFile): { done: number; total: number } {
  return { done: file.ids.filter((id) => file.state.ticks[id] === true).length, total: file.ids.length };
}

const CATEGORY_TITLES: Record<RuleCategory, string> = {
  'data-loss': 'Data loss',
  'deploy-failure': 'Deploy failures',
  locking: 'Locks and rewrites',
  'referential-action': 'Foreign keys and deletes',
  compatibility: 'Running application instances',
  hygiene: 'Hygiene',
};
const CATEGORY_ORDER: RuleCategory[] = ['data-loss', 'deploy-failure', 'locking', 'referential-action', 'compatibility', 'hygiene'];
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;
const MAX_SQL = 240;

/**
 * One entry per rule and advice: a rule that fires on five statements of a batch with the same
 * help (locks-accumulate) is listed once, the other statements under it.
 */
export function groupRepeated(findings: FindingView[]): FindingView[] {
  const out: FindingView[] = [];
  const byKey = new Map<string, FindingView>();
  for (const f of findings) {
    const key = `${f.rule}\u0000${f.severity}\u0000${f.help}`;
    const first = byKey.get(key);
    if (!first) {
      const copy = { ...f };
      byKey.set(key, copy);
      out.push(copy);
      continue;
    }
    (first.more ??= []).push({ ...(f.line !== undefined ? { line: f.line } : {}), message: f.message });
  }
  return out;
}

export interface ReviewInput {
  core: Pick<Core, 'RULES' | 'displayTable' | 'lockName' | 'whatLockBlocks' | 'onDeleteConsequence' | 'notNullColumnsOf'>;
  analysis: ProjectAnalysis;
  migration: MigrationAnalysis;
  /** The database before this migration. */
  before: Catalog;
  /** migration.sql relative to the workspace, for display. */
  file: string;
  checklist: ChecklistStatusView | null;
  /** The checklist's verdict; none when the checklist could not be built. */
  verdict?: VerdictView[];
  dryRun: boolean;
  /** Whether Check Against Database… can run (a trusted workspace). */
  checkDatabase?: boolean;
  /** The latest dry run of exactly the analysed text (the caller checks that it is current). */
  observed?: DryRunObservation | null;
  revision: number;
}

export function reviewViewModel(input: ReviewInput): ReviewViewModel {
  const { core, analysis, migration, before } = input;
  const m = migration.report;
  // The project's findings are the migration's as the front end shows them (with table sizes when a stats file gives them).
  const keyOf = (f: Finding) => `${f.file}\0${f.rule}\0${f.range.startOffset}\0${f.range.endOffset}`;
  const shown = new Map(analysis.result.findings.filter((f) => f.migration === m.name).map((f) => [keyOf(f), f]));
  const own = migration.findings.map((f) => shown.get(keyOf(f)) ?? f);
  const findings = [...own, ...analysis.result.findings.filter((f) => f.migration === m.name && f.file !== m.file)].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.range.startOffset - b.range.startOffset,
  );
  const categoryOf = new Map(core.RULES.map((r) => [r.meta.id, r.meta.category]));
  const view = (f: Finding): FindingView => ({ rule: f.rule, severity: f.severity, ...(f.file === m.file ? { line: f.range.start.line } : {}), message: f.message, help: f.help });
  const categories: CategoryView[] = [];
  for (const id of CATEGORY_ORDER) {
    const list = findings.filter((f) => (categoryOf.get(f.rule) ?? 'hygiene') === id);
    if (list.length) categories.push({ id, title: CATEGORY_TITLES[id], findings: groupRepeated(list.map(view)) });
  }
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;

  const observed = input.observed ?? null;
  const statements: StatementView[] = m.statements.map((st) => {
    const sql = migration.parsed.statements[st.index];
    const traced = observed?.result.statements.find((t) => t.index === st.index);
    const text = (sql?.text ?? '').replace(/\s+/g, ' ').trim();
    const mine = own.filter((f) =>
      f.statementIndex !== undefined ? f.statementIndex === st.index : f.range.startOffset >= st.range.startOffset && f.range.startOffset < st.range.endOffset,
    );
    return {
      index: st.index,
      line: st.range.start.line,
      sql: text.length > MAX_SQL ? `${text.slice(0, MAX_SQL - 1)}…` : text,
      kind: st.facts.kind,
      locks: st.facts.locks.map((l) => ({
        table: core.displayTable(l.table),
        lock: core.lockName(l.mode),
        blocks: core.whatLockBlocks(l.mode),
        existing: before.tables.has(l.table) && !st.facts.newTables.includes(l.table),
      })),
      rewrites: st.facts.rewrites.map((t) => core.displayTable(t)),
      newTables: st.facts.newTables.map((t) => core.displayTable(t)),
      findings: mine.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })),
      ...(traced ? { observed: observedStatementView(core, st.facts, traced) } : {}),
    };
  });

  return {
    migration: m.name,
    file: input.file,
    prismaVersion: analysis.result.prismaVersion,
    execution: { mode: m.execution.mode, reason: m.execution.reason },
    counts,
    categories,
    statements,
    onDelete: foreignKeyChanges(core, before, migration),
    checklist: input.checklist,
    verdict: input.verdict ?? [],
    notices: analysis.result.notices,
    actions: { dryRun: input.dryRun, ...(input.checkDatabase ? { checkDatabase: true } : {}) },
    dryRun: observed ? dryRunView(observed, analysis.result.findings) : null,
    revision: input.revision,
  };
}

function dryRunView(o: DryRunObservation, findings: readonly Finding[]): DryRunView {
  return {
    engine: engineLabel(o.result),
    outcome: o.result.outcome,
    summary: runSummary(o.result),
    at: new Date(o.finishedAt).toLocaleTimeString(),
    notices: editorNotices(o.result),
    unproven: o.result.outcome === 'applied' ? unprovenSentences(unprovenByDryRun(findings, o.migration), o.result.sampleRows !== undefined) : [],
  };
}

/** A statement as the dry run saw it, next to the static claim. */
export function observedStatementView(core: ReviewInput['core'], facts: StatementFacts, t: TracedStatement): ObservedStatementView {
  const differences = staticVsObserved(core, facts, t);
  return {
    status: t.status,
    summary: observedSummary(core, t, tablesOf(facts)),
    locks: t.locksObserved ? t.locks.map((l) => ({ table: core.displayTable(l.table), lock: core.lockName(l.mode) })) : [],
    rewrites: t.rewrites.map((r) => core.displayTable(r)),
    durationMs: t.durationMs,
    ...(t.error ? { error: { sqlstate: t.error.sqlstate, message: t.error.message, ...(t.error.hint ? { hint: t.error.hint } : {}), line: t.error.line } } : {}),
    ...(differences ? { differences } : {}),
  };
}

/**
 * Foreign keys this migration adds, re-creates with other actions, or drops, with what the
 * (new) ON DELETE does when a parent row is deleted.
 */
export function foreignKeyChanges(core: ReviewInput['core'], before: Catalog, migration: MigrationAnalysis): OnDeleteChangeView[] {
  const out: OnDeleteChangeView[] = [];
  const name = migration.report.name;
  const after = migration.after;
  const foreignKeys = (catalog: Catalog) => {
    const list: { table: string; c: Constraint }[] = [];
    for (const [key, t] of catalog.tables) for (const c of t.constraints.values()) if (c.foreignKey) list.push({ table: key, c });
    return list;
  };
  const previous = foreignKeys(before);
  const matched = new Set<Constraint>();
  const samePlace = (a: { table: string; c: Constraint }, b: { table: string; c: Constraint }) =>
    a.table === b.table && a.c.foreignKey!.refTable === b.c.foreignKey!.refTable && a.c.columns.join(',') === b.c.columns.join(',');
  for (const now of foreignKeys(after)) {
    const was = previous.find((p) => p.table === now.table && p.c.name === now.c.name) ?? previous.find((p) => samePlace(p, now));
    if (was) matched.add(was.c);
    if (now.c.origin.migration !== name) continue;
    const fk = now.c.foreignKey!;
    const from = was?.c.foreignKey;
    if (from && from.onDelete === fk.onDelete && from.onUpdate === fk.onUpdate) continue;
    const child = core.displayTable(now.table);
    const parent = core.displayTable(fk.refTable);
    out.push({
      constraint: now.c.name,
      table: child,
      references: parent,
      from: from ? { onDelete: from.onDelete, onUpdate: from.onUpdate } : null,
      to: { onDelete: fk.onDelete, onUpdate: fk.onUpdate },
      meaning: capitalise(
        from
          ? core.onDeleteConsequence(fk.onDelete, child, parent, { from: from.onDelete, notNull: core.notNullColumnsOf(after, now.table, fk) })
          : core.onDeleteConsequence(fk.onDelete, child, parent, { notNull: core.notNullColumnsOf(after, now.table, fk) }).replace(' now ', ' '),
      ),
      ...(now.c.origin.range ? { line: now.c.origin.range.start.line } : {}),
    });
  }
  for (const was of previous) {
    if (matched.has(was.c) || !after.tables.has(was.table)) continue;
    const fk = was.c.foreignKey!;
    const child = core.displayTable(was.table);
    const parent = core.displayTable(fk.refTable);
    out.push({
      constraint: was.c.name,
      table: child,
      references: parent,
      from: { onDelete: fk.onDelete, onUpdate: fk.onUpdate },
      to: null,
      meaning: `Dropped: deleting a ${parent} row no longer checks or changes ${child} rows (${fk.onDelete} no longer applies), and ${child} may now hold keys that point nowhere`,
    });
  }
  return out;
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
