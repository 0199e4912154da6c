/**
 * Hovers in plain words. On a statement of a migration.sql: the lock it takes on each table and
 * how long it is held, whether it rewrites the table, whether the table is new, and how the
 * project's Prisma version runs the file; after a dry run of exactly this text (VS Code), what
 * PostgreSQL really took, and whether that differs from the static claim. On a relation in
 * schema.prisma: the referential actions the migrations leave in the database, the schema's
 * effective ones, the consequence.
 */
import { warningsAbout } from '../core/sql/prisma-warning-targets';
import { lockRank, type LockMode, type StatementFacts } from '../core/types';
import type { MigrationAnalysis, PrismaRelation, ProjectAnalysis } from './core-api';
import type { Core } from './core-loader';
import { toEditorRange } from './positions';
import type { ProjectSession } from './project-session';
import type { EditorHover } from './shapes';

/** A paragraph a front end adds to a statement's hover (VS Code: what a dry run of exactly this text observed). */
export type StatementHoverExtra = (statementIndex: number, facts: StatementFacts) => string | undefined;

/**
 * The hover at `offset` of `file`, when the session's latest analysis read exactly this `version`
 * of the document (an older analysis would point at the wrong statement); else undefined, and
 * `why` says why, for the log.
 */
export function hoverAt(core: Core, session: ProjectSession, file: string, version: number, offset: number, extra?: StatementHoverExtra): EditorHover | undefined {
  if (!session.analysis || !session.isCurrent(file, version)) return undefined;
  const migration = session.migrationOf(file);
  if (migration) return statementHover(core, migration, offset, extra);
  if (session.isSchemaFile(file)) return relationHover(core, session.analysis, file, offset);
  return undefined;
}

/**
 * On a line of Prisma's `Warnings:` header: what Prisma's destructive-change checker said, and the
 * statement it is about, with Preflight's findings on that statement.
 */
function warningHeaderHover(m: MigrationAnalysis, offset: number): EditorHover | undefined {
  const w = m.parsed.prismaWarnings.find((x) => x.range.startOffset <= offset && offset <= x.range.endOffset);
  if (!w) return undefined;
  const md = new MarkdownText();
  md.appendMarkdown(`**Prisma's own warning** (written by \`prisma migrate dev\` when it generated this file): ${w.text}\n\n`);
  const about = m.parsed.statements.filter((s) => s.node && warningsAbout([w], s.text).length);
  for (const s of about) {
    const rules = [...new Set(m.findings.filter((f) => f.statementIndex === s.index).map((f) => f.rule))];
    md.appendMarkdown(`- Line ${s.range.start.line}: ${rules.length ? `Preflight reports ${rules.map((r) => `\`${r}\``).join(', ')}` : 'Preflight reports nothing on it'}.\n`);
  }
  if (!about.length) md.appendMarkdown('- No statement of this file names what the warning is about.\n');
  return { markdown: md.value, range: toEditorRange(w.range) };
}

/** Why there is no hover, in words for the log. */
export function noHoverReason(session: ProjectSession | undefined, file: string, version: number): string {
  return `No hover for ${file} v${version}: ${session ? (session.analysis ? `analysis read v${session.analysedVersions.get(file)}` : 'not analysed yet') : 'no project'}`;
}

/** Markdown built up piece by piece. */
class MarkdownText {
  value = '';
  appendMarkdown(s: string): void {
    this.value += s;
  }
}

function statementHover(core: Core, m: MigrationAnalysis, offset: number, extra: StatementHoverExtra | undefined): EditorHover | undefined {
  const statements = m.report.statements;
  const st = statements.find((s) => s.range.startOffset <= offset && offset <= s.range.endOffset);
  if (!st) return warningHeaderHover(m, offset);
  const sql = m.parsed.statements[st.index];
  const md = new MarkdownText();
  const firstLine = (sql?.text ?? '').split(/\r?\n/)[0].trim();
  md.appendMarkdown(`**Preflight** · statement ${st.index + 1} of ${statements.length}`);
  if (firstLine) md.appendMarkdown(` · \`${escapeCode(firstLine.length > 48 ? `${firstLine.slice(0, 45)}...` : firstLine)}\``);
  md.appendMarkdown('\n\n');
  if (!sql?.node) {
    md.appendMarkdown('PostgreSQL cannot parse this statement, so Preflight cannot say what it locks.\n\n');
  }

  // The statements of the transaction this one runs in (one batch, a BEGIN block, or itself).
  const group = core.transactionsOf(m.parsed.statements, m.report.execution.mode).transactions.find((g) => g.includes(st.index)) ?? [st.index];
  const held = lockDuration(m, group);
  const facts = st.facts;
  if (facts.locks.length) {
    for (const lock of facts.locks) {
      const table = `\`${escapeCode(core.displayTable(lock.table))}\``;
      const earlier = heldEarlier(m, group, st.index, lock.table, lock.mode);
      if (earlier) {
        // In one transaction a statement takes only what is not held yet: the earlier, stronger lock is what blocks.
        md.appendMarkdown(`- **${core.lockName(lock.mode)}** on ${table}: already covered by the **${core.lockName(earlier.mode)}** lock taken on line ${earlier.line} and held ${held}: ${core.whatLockBlocks(earlier.mode)}.\n`);
        continue;
      }
      md.appendMarkdown(`- **${core.lockName(lock.mode)}** on ${table}: ${core.whatLockBlocks(lock.mode)} ${held}${lock.may ? ' (only if the branch of the DO block that takes it runs)' : ''}.\n`);
    }
  } else if (sql?.node) {
    md.appendMarkdown('- Takes no table lock that blocks application traffic.\n');
  }
  const touched = new Set([...facts.locks.map((l) => l.table), ...facts.rewrites, ...facts.newTables]);
  for (const table of touched) {
    const name = `\`${escapeCode(core.displayTable(table))}\``;
    const isNew = facts.newTables.includes(table);
    const rewrite = facts.rewrites.includes(table);
    md.appendMarkdown(`- ${name}: ${isNew ? 'created in this migration (no production rows yet: no locking hazard)' : 'existed before this migration'}; ${rewrite ? '**rewritten** (every row copied, indexes rebuilt)' : 'not rewritten'}.\n`);
  }
  if (facts.uncertain) md.appendMarkdown(facts.uncertainReason ? `- **Uncertain:** ${facts.uncertainReason.replace(/[\\`*_[\]<>]/g, '\\$&')}.\n` : '- Preflight could not tell everything this statement touches.\n');
  const warned = sql ? warningsAbout(m.parsed.prismaWarnings, sql.text) : [];
  for (const w of warned) md.appendMarkdown(`- **Prisma's own warning** (from the header of this file): ${w.text}\n`);
  md.appendMarkdown(`\n**How this file runs:** ${capitalise(m.report.execution.reason)}.`);
  const more = extra?.(st.index, facts);
  if (more) md.appendMarkdown(`\n\n${more}`);
  return { markdown: md.value, range: toEditorRange(st.range) };
}

/** "until the migration ends" / "while the statement runs" / "until the COMMIT on line 12". */
function lockDuration(m: MigrationAnalysis, group: readonly number[]): string {
  if (group.length <= 1) return 'while the statement runs';
  const last = group[group.length - 1];
  if (last === m.parsed.statements.length - 1) return 'until the migration ends';
  const end = m.parsed.statements[last];
  return `until the end of its transaction (line ${end.range.start.line})`;
}

/** The first lock at least as strong as `mode` on `table` that an earlier statement of the same transaction holds. */
function heldEarlier(m: MigrationAnalysis, group: readonly number[], index: number, table: string, mode: LockMode): { mode: LockMode; line: number } | null {
  for (const i of group) {
    if (i >= index) break;
    const lock = m.report.statements[i]?.facts.locks.find((l) => l.table === table && !l.may && lockRank(l.mode) >= lockRank(mode));
    if (lock) return { mode: lock.mode, line: m.report.statements[i].range.start.line };
  }
  return null;
}

function relationHover(core: Core, analysis: ProjectAnalysis, file: string, offset: number): EditorHover | undefined {
  const schema = analysis.schema;
  if (!schema) return undefined;
  const within = (r: { startOffset: number; endOffset: number } | null | undefined) => !!r && r.startOffset <= offset && offset <= r.endOffset;
  const relation = schema.relations.find((r) => r.file === file && (within(r.onDelete.range) || within(r.onUpdate.range) || within(r.relationRange) || within(r.fieldRange)));
  if (!relation) return undefined;
  const md = new MarkdownText();
  const child = core.displayTable(`${relation.schema}.${relation.table}`);
  const parent = core.displayTable(`${relation.referencedSchema}.${relation.referencedTable}`);
  md.appendMarkdown(`**Preflight** · relation \`${relation.model}.${relation.field}\` → \`${relation.referencedModel}\` (foreign key \`${escapeCode(relation.constraintName)}\`)\n\n`);

  const fk = analysis.catalog.findConstraint(`${relation.schema}.${relation.table}`, relation.constraintName)?.foreignKey
    ? analysis.catalog.findConstraint(`${relation.schema}.${relation.table}`, relation.constraintName)
    : undefined;
  const schemaDelete = core.sqlReferentialAction(relation.onDelete.effective);
  const schemaUpdate = core.sqlReferentialAction(relation.onUpdate.effective);
  if (schema.relationMode === 'prisma') {
    md.appendMarkdown('- `relationMode = "prisma"`: Prisma emulates this relation; the database has no foreign key.\n');
  } else if (fk?.foreignKey) {
    md.appendMarkdown(`- **In the database** the migrations leave: \`ON DELETE ${fk.foreignKey.onDelete} ON UPDATE ${fk.foreignKey.onUpdate}\` (last set in \`${fk.origin.migration}\`).\n`);
  } else {
    md.appendMarkdown(`- **In the database** the migrations leave: no foreign key \`${escapeCode(relation.constraintName)}\` — no migration creates it yet.\n`);
  }
  md.appendMarkdown(`- **In this schema:** \`onDelete: ${relation.onDelete.effective}\` ${describeSetting(relation, 'onDelete')}, \`onUpdate: ${relation.onUpdate.effective}\` ${describeSetting(relation, 'onUpdate')}.\n`);

  const lines: string[] = [];
  if (fk?.foreignKey && fk.foreignKey.onDelete !== schemaDelete) {
    lines.push(`Once a migration implements the schema, ON DELETE goes ${fk.foreignKey.onDelete} → ${schemaDelete}: ${core.onDeleteConsequence(schemaDelete, child, parent, { from: fk.foreignKey.onDelete, notNull: relation.requiredColumns })}. No migration does yet: run \`prisma migrate dev --create-only\`.`);
  } else {
    lines.push(`${capitalise(core.onDeleteConsequence(schemaDelete, child, parent, { notNull: relation.requiredColumns }).replace(/ now /, ' '))}.`);
  }
  if (fk?.foreignKey && fk.foreignKey.onUpdate !== schemaUpdate) {
    lines.push(`ON UPDATE goes ${fk.foreignKey.onUpdate} → ${schemaUpdate}: ${core.onUpdateConsequence(schemaUpdate, child, parent, { from: fk.foreignKey.onUpdate, notNull: relation.requiredColumns })}.`);
  }
  md.appendMarkdown(`\n${lines.join('\n\n')}`);
  const range = within(relation.onDelete.range) ? relation.onDelete.range : within(relation.onUpdate.range) ? relation.onUpdate.range : within(relation.relationRange) ? relation.relationRange : relation.fieldRange;
  return { markdown: md.value, range: range ? toEditorRange(range) : undefined };
}

function describeSetting(r: PrismaRelation, which: 'onDelete' | 'onUpdate'): string {
  if (r[which].explicit) return '(written in `@relation`)';
  if (which === 'onUpdate') return "(Prisma's default)";
  return `(Prisma's default for ${r.required ? 'a required' : 'an optional'} relation)`;
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

function escapeCode(s: string): string {
  return s.replace(/`/g, "'");
}
