/**
 * `Preflight: Review Migration…` until the checklist webview exists: a Markdown report of one
 * migration — how it runs, what it locks and rewrites, every finding with its help — rendered
 * from the same analysis as the diagnostics.
 */
import * as path from 'node:path';
import { plural } from '../core/text/plural';
import type { Finding } from '../core/types';
import type { MigrationAnalysis, ProjectAnalysis } from './core-api';
import type { Core } from './core-loader';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export function renderReview(core: Core, analysis: ProjectAnalysis, migration: MigrationAnalysis, projectRoot: string, docLink: (ruleId: string) => string): string {
  const m = migration.report;
  const findings = [...migration.findings, ...analysis.result.findings.filter((f) => f.migration === m.name && f.file !== m.file)].sort(
    (a, b) => ORDER[a.severity] - ORDER[b.severity] || a.range.startOffset - b.range.startOffset,
  );
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const rel = (file: string) => path.relative(projectRoot, file).split(path.sep).join('/');
  const out: string[] = [];
  out.push(`# Pre-flight review: ${m.name}`, '');
  out.push(`\`${rel(m.file)}\` · Prisma ${analysis.result.prismaVersion ?? 'version unknown'} · ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`, '');
  out.push('## How Prisma runs this file', '', `${capitalise(m.execution.reason)}.`, '');
  if (m.execution.mode === 'batch') out.push('Every lock below is held until the whole file has run, and a failure rolls back the whole file.', '');
  else out.push('Each statement commits on its own: a failure midway leaves the earlier statements applied.', '');

  out.push('## Findings', '');
  if (!findings.length) out.push('None. ✅', '');
  for (const f of findings) {
    out.push(`- **${f.severity}** [\`${f.rule}\`](${docLink(f.rule)}) line ${f.range.start.line}: ${f.message}`);
    if (f.help) out.push(`  - ${f.help}`);
    for (const fix of f.fixes ?? []) out.push(`  - Quick fix${fix.safe ? '' : ' (review it)'}: ${fix.title}`);
  }
  out.push('');

  out.push('## Statements', '', '| # | line | statement | locks | rewrites | new tables |', '| --- | --- | --- | --- | --- | --- |');
  for (const st of m.statements) {
    const sql = migration.parsed.statements[st.index];
    const first = (sql?.text ?? '').split(/\r?\n/)[0].trim();
    const locks = st.facts.locks.map((l) => `${core.lockName(l.mode)} on ${core.displayTable(l.table)}`).join('<br>') || '—';
    const rewrites = st.facts.rewrites.map((t) => core.displayTable(t)).join(', ') || '—';
    const created = st.facts.newTables.map((t) => core.displayTable(t)).join(', ') || '—';
    out.push(`| ${st.index + 1} | ${st.range.start.line} | \`${cell(first.length > 60 ? `${first.slice(0, 57)}...` : first)}\` | ${cell(locks)} | ${cell(rewrites)} | ${cell(created)} |`);
  }
  out.push('');
  const notices = analysis.result.notices;
  if (notices.length) {
    out.push('## Notes', '');
    for (const n of notices) out.push(`- ${n}`);
    out.push('');
  }
  return out.join('\n');
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/`/g, "'");
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
