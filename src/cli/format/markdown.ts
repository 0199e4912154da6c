/**
 * `preflight check --format markdown`: the review for a pull-request comment and a job summary.
 * The verdict comes first (what fails at deploy, what data is lost, which tables lock and how),
 * then one findings table per migration with findings (and per schema file), the help
 * collapsed, and that migration's checklist file. The first line is a hidden marker, so `preflight comment` finds its own
 * comment again: keep it stable.
 */
import { displayTable } from '../../core/pg/names';
import { ruleDocUrl } from '../../core/rules/docs';
import { lockName, whatLockBlocks } from '../../core/rules/helpers';
import type { AnalysisResult, Finding, LockMode, Severity, TableName } from '../../core/types';
import { displayPath } from './paths';
import { plural } from '../../core/text/plural';

export const COMMENT_MARKER = '<!-- preflight-prisma:review -->';

/** What the report says about a migration's checklist file. */
export interface ChecklistStatus {
  /** Path relative to the report root. */
  path: string;
  /** Null when the file has not been written yet. */
  items: { total: number; ticked: number } | null;
}

export interface MarkdownOptions {
  /** The checklist of a migration folder (its migration.sql, absolute), when it should be mentioned. */
  checklistOf?(migrationFile: string): ChecklistStatus | null;
}

const ICON: Record<Severity, string> = { error: '🛑', warning: '⚠️', info: 'ℹ️' };
/** Locks that stop writes (or more): the ones a reviewer has to plan a deploy around. */
const BLOCKING: readonly LockMode[] = ['AccessExclusiveLock', 'ExclusiveLock', 'ShareRowExclusiveLock', 'ShareLock'];
const STRENGTH: readonly LockMode[] = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];

export function toMarkdown(result: AnalysisResult, root: string, options: MarkdownOptions = {}): string {
  const out: string[] = [COMMENT_MARKER];
  const count = (s: Severity) => result.findings.filter((f) => f.severity === s).length;
  const errors = count('error');
  const verdict = errors
    ? `${ICON.error} Preflight: ${plural(errors, 'error')} — this will fail or lose data at deploy`
    : result.findings.length
      ? `${ICON.warning} Preflight: no errors; ${plural(result.findings.length, 'finding')} to review before deploying`
      : '✅ Preflight: no findings';
  out.push(`## ${verdict}`, '');
  out.push(`${counts(result)} in ${plural(result.migrations.length, 'migration')} reviewed.`, '');

  const verdictLines = [
    ...bullet('Fails at deploy', result.findings.filter((f) => f.severity === 'error' && !isDataLoss(f))),
    ...bullet('Data lost', result.findings.filter(isDataLoss)),
    ...lockLines(result),
  ];
  if (verdictLines.length) out.push(...verdictLines, '');

  for (const m of result.migrations) {
    const findings = result.findings.filter((f) => f.file === m.file);
    if (!findings.length) continue;
    out.push(`### \`${code(m.name)}\``, '', ...table(findings), '', ...details(findings), '');
    const checklist = options.checklistOf?.(m.file) ?? null;
    if (checklist) out.push(checklistLine(checklist, displayPath(root, m.file)), '');
  }
  const elsewhere = result.findings.filter((f) => !result.migrations.some((m) => m.file === f.file));
  for (const file of [...new Set(elsewhere.map((f) => f.file))]) {
    const findings = elsewhere.filter((f) => f.file === file);
    out.push(`### \`${code(displayPath(root, file))}\``, '', ...table(findings), '', ...details(findings), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function isDataLoss(f: Finding): boolean {
  return DATA_LOSS_RULES.has(f.rule);
}
const DATA_LOSS_RULES = new Set(['drop-table', 'drop-column', 'truncate-table', 'drop-schema', 'drop-enum-value', 'narrowing-type-change', 'unbounded-data-change']);

function bullet(label: string, findings: readonly Finding[]): string[] {
  if (!findings.length) return [];
  const shown = findings.slice(0, 5).map((f) => `${text(f.message)} (\`${f.rule}\`${f.migration ? ` in \`${code(f.migration)}\`` : ''})`);
  const more = findings.length > shown.length ? `; and ${findings.length - shown.length} more below` : '';
  return [`- **${label}:** ${shown.join('; ')}${more}`];
}

/** The strongest blocking lock per existing table, with the migrations that take it. */
function lockLines(result: AnalysisResult): string[] {
  const strongest = new Map<TableName, { mode: LockMode; migrations: Set<string> }>();
  for (const m of result.migrations) {
    for (const s of m.statements) {
      for (const l of s.facts.locks) {
        if (!BLOCKING.includes(l.mode) || s.facts.newTables.includes(l.table)) continue;
        const known = strongest.get(l.table);
        if (!known || STRENGTH.indexOf(l.mode) > STRENGTH.indexOf(known.mode)) strongest.set(l.table, { mode: l.mode, migrations: new Set([m.name]) });
        else if (known.mode === l.mode) known.migrations.add(m.name);
      }
    }
  }
  if (!strongest.size) return [];
  const lines = [...strongest].map(([table, { mode, migrations }]) => `  - \`${code(displayTable(table))}\`: ${lockName(mode)} (${whatLockBlocks(mode)}) in ${[...migrations].map((n) => `\`${code(n)}\``).join(', ')}`);
  return [`- **Locks:** ${plural(strongest.size, 'existing table')}`, ...lines];
}

function table(findings: readonly Finding[]): string[] {
  const rows = findings.map((f) => `| ${ICON[f.severity]} ${f.severity} | [\`${f.rule}\`](${ruleDocUrl(f.rule)}) | ${f.range.start.line} | ${text(f.message)} |`);
  return ['| Severity | Rule | Line | Finding |', '| --- | --- | --- | --- |', ...rows];
}

function details(findings: readonly Finding[]): string[] {
  const withHelp = findings.filter((f) => f.help);
  if (!withHelp.length) return [];
  return [`<details><summary>What to do (${plural(withHelp.length, 'finding')})</summary>`, '', ...withHelp.map((f) => `- **\`${f.rule}\`** (line ${f.range.start.line}): ${text(f.help)}`), '', '</details>'];
}

function checklistLine(c: ChecklistStatus, migrationFile: string): string {
  const folder = migrationFile.replace(/\/migration\.sql$/, '');
  if (!c.items) return `Checklist: not written yet — \`preflight checklist ${code(folder)}\` writes \`${code(c.path)}\`.`;
  return `Checklist: [\`${code(c.path)}\`](${encodeURI(c.path)}) — ${c.items.ticked} of ${plural(c.items.total, 'item')} ticked.`;
}

function counts(result: AnalysisResult): string {
  const count = (s: Severity) => result.findings.filter((f) => f.severity === s).length;
  return `**${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info**`;
}

/** Workspace text (messages quote identifiers) as inert Markdown on one line: no HTML, links, emphasis or table breaks. */
function text(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ').replace(/[\\`*_[\]<>|#~!&]/g, (c) => `\\${c}`);
}

/** Text inside a code span: one line, no backticks that would end it. */
function code(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|');
}
