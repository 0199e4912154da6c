/**
 * Generates the deployment checklist of one migration from its analysis: pre-checks with the
 * exact SQL for each statement, the deployment steps for the project's Prisma version,
 * verification queries with their expected results, monitoring, rollback SQL from the catalog,
 * sign-off. Items carry stable ids and a fingerprint of what they were made from.
 */
import { createHash } from 'node:crypto';
import type { MigrationAnalysis } from '../analysis/analyze-migration';
import type { Catalog, Column, Constraint } from '../catalog/model';
import { fkActionLetter } from '../catalog/model';
import { nodeBody, nodeType, strings, type PgNode } from '../pg/ast';
import { displayTable, keyOf, listName, quoteAlways, quoteLiteral, rangeVarName, splitKey } from '../pg/names';
import { columnTypeOf, isNarrowing } from '../pg/types';
import { lockName } from '../rules/helpers';
import type { SqlStatement } from '../sql/parse-migration';
import { alterCmds } from './alter-commands';
import { applicationSteps } from './application-steps';
import { lockWindows } from './lock-windows';
import { idPart, type Checklist, type ChecklistItem, type ItemDraft, type Probe } from './model';
import { forgetMigrationSql, rollbackPlan, rollbackRunCommand } from './rollback';
import { buildVerdict, windowWords } from './verdict';

export interface ChecklistInput {
  analysis: MigrationAnalysis;
  /** The database before this migration. */
  before: Catalog;
  prismaVersion: string | null;
  /** `prisma/migrations` relative to the project root, for commands. */
  migrationsDirRelative: string;
  /** `--schema` argument for prisma commands, relative to the project root, or null for the default. */
  schemaRelative: string | null;
}

export function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 10);
}

function normalizeSql(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

class Builder {
  readonly items: ChecklistItem[] = [];
  /** Data conditions under which a statement fails, from the pre-checks. */
  readonly failsIf: { text: string; line?: number }[] = [];
  private readonly seen = new Set<string>();

  add(item: ItemDraft): void {
    let id = item.id;
    for (let n = 2; this.seen.has(id); n++) id = `${item.id}.${n}`;
    this.seen.add(id);
    const { basis, failsIf, ...rest } = item;
    if (failsIf) this.failsIf.push({ text: failsIf, line: item.line });
    this.items.push({ ...rest, id, fingerprint: fingerprint(id, basis ?? '', item.code?.text ?? '', item.expected ?? '') });
  }
}

function tableSize(table: string): string {
  const t = displayTable(table);
  return `SELECT count(*) AS row_count, pg_size_pretty(pg_total_relation_size(${quoteLiteral(t)})) AS total_size FROM ${t};`;
}

export function buildChecklist(input: ChecklistInput): Checklist {
  const { analysis, before } = input;
  const after = analysis.after;
  const name = analysis.report.name;
  const b = new Builder();
  const statements = analysis.parsed.statements;
  const facts = analysis.report.statements;
  const heavyTables = new Set<string>();

  // Tables that a destructive or locking finding concerns get sized first.
  for (const f of analysis.findings) {
    if (f.statementIndex === undefined) continue;
    for (const l of facts[f.statementIndex]?.facts.locks ?? []) if (before.tables.has(l.table)) heavyTables.add(l.table);
  }

  // A file that only builds indexes CONCURRENTLY changes no data: no backup ritual, the real risk is an INVALID index.
  const onlyConcurrentIndexes = statements.length > 0 && statements.every(isConcurrentIndex) && !analysis.findings.some((f) => f.severity === 'error');
  if (onlyConcurrentIndexes) heavyTables.clear();

  // ---- Pre-deployment
  const backupFile = `backup_${name}_$(date +%Y%m%d_%H%M%S).dump`;
  if (!onlyConcurrentIndexes) b.add({
    id: 'pre.backup',
    section: 'pre',
    title: 'Take a full backup of the production database',
    detail: 'Custom format, so single tables can be restored. Keep it until the migration has been verified.',
    code: { lang: 'sh', text: `pg_dump "$DATABASE_URL" --format=custom --no-owner --file=${backupFile}` },
  });
  if (!onlyConcurrentIndexes) b.add({
    id: 'pre.backup-verify',
    section: 'pre',
    title: 'Verify the backup is readable and not empty',
    code: { lang: 'sh', text: `pg_restore --list backup_${name}_*.dump | head -n 20\nls -lh backup_${name}_*.dump` },
    expected: 'a table of contents listing your tables; a file size well above zero',
  });
  for (const table of [...heavyTables].sort()) {
    b.add({
      id: `pre.size.${idPart(table)}`,
      section: 'pre',
      title: `Record the row count and size of ${displayTable(table)}`,
      detail: 'Decides how long the locking statements will take; compare with the count after deployment.',
      code: { lang: 'sql', text: tableSize(table) },
      basis: table,
    });
  }

  statements.forEach((st, i) => preChecks(b, st, i, before, after));

  b.add({
    id: 'pre.review',
    section: 'pre',
    title: 'Review the migration SQL and every Preflight finding',
    detail: analysis.findings.length
      ? `${analysis.findings.length} ${analysis.findings.length === 1 ? 'finding' : 'findings'}: ${[...new Set(analysis.findings.map((f) => f.rule))].join(', ')}.`
      : 'Preflight found nothing to flag.',
    basis: analysis.findings.map((f) => `${f.rule}@${f.range.start.line}`).join(','),
  });

  // ---- Application changes
  const steps = applicationSteps(analysis, before);
  for (const step of steps) b.add(step);

  // ---- Deployment
  const schemaArg = input.schemaRelative ? ` --schema ${input.schemaRelative}` : '';
  b.add({
    id: 'deploy.status',
    section: 'deploy',
    title: 'Check that production has applied every earlier migration and nothing is failed',
    code: { lang: 'sh', text: `npx prisma migrate status${schemaArg}` },
    expected: `only ${name} is pending; no failed migrations`,
  });
  const ex = analysis.report.execution;
  if (!onlyConcurrentIndexes) b.add({
    id: 'deploy.mode',
    section: 'deploy',
    title: ex.mode === 'batch' ? 'Know that the file runs as one transaction' : 'Know that the file runs statement by statement, not atomically',
    detail:
      ex.mode === 'batch'
        ? `${capitalize(ex.reason)}. Every lock is held until the whole file finishes; any error rolls the whole file back.`
        : `${capitalize(ex.reason)}. If a statement fails, the ones before it stay applied: fix forward, then \`npx prisma migrate resolve --applied ${name}\` or --rolled-back.`,
    basis: `${ex.mode} ${ex.reason}`,
  });
  const windows = lockWindows(analysis, before);
  for (const w of windows) {
    const first = facts[w.statements[0]];
    b.add({
      id: `deploy.lock.${idPart(w.table)}`,
      section: 'deploy',
      title: `Maintenance window for ${displayTable(w.table)}: ${lockName(w.mode)} lock${w.rewriteLines.length ? ', table rewrite' : ''}`,
      detail: `${capitalize(windowWords(w))}. Deploy outside peak hours, with a lock_timeout so it gives up rather than queue every query behind it.`,
      statementIndex: w.statements[0],
      line: first.range.start.line,
      basis: `${w.mode} ${w.until.kind} ${w.statements.map((i) => normalizeSql(statements[i].text)).join(' | ')}`,
    });
  }
  statements.forEach((st, i) => {
    if (isConcurrentIndex(st)) {
      b.add({
        id: `deploy.concurrently.${i}`,
        section: 'deploy',
        title: "If the concurrent index build fails, drop the INVALID index before retrying",
        detail: 'The risk of CREATE INDEX CONCURRENTLY: it blocks no reads or writes, but waits for transactions older than itself, and if it fails (a deadlock, a unique violation, a cancel) it leaves an INVALID index behind that is not used yet slows every write, and the migration marked failed; re-running it fails on the existing name.',
        code: { lang: 'sql', text: `SELECT indexrelid::regclass AS index, indisvalid FROM pg_index WHERE NOT indisvalid;\n-- then, for the index of this migration:\nDROP INDEX CONCURRENTLY IF EXISTS ${indexDisplay(st)};` },
        statementIndex: i,
        line: st.range.start.line,
        basis: normalizeSql(st.text),
      });
    }
  });
  b.add({
    id: 'deploy.apply',
    section: 'deploy',
    title: 'Apply the migration',
    code: { lang: 'sh', text: `npx prisma migrate deploy${schemaArg}` },
    expected: `"All migrations have been successfully applied."`,
  });

  // ---- Verification
  b.add({
    id: 'verify.recorded',
    section: 'verify',
    title: `Prisma recorded ${name} as finished and not rolled back`,
    code: { lang: 'sql', text: `SELECT migration_name, finished_at, rolled_back_at, applied_steps_count\nFROM _prisma_migrations\nWHERE migration_name = ${quoteLiteral(name)};` },
    expected: 'one row, finished_at set, rolled_back_at NULL',
  });
  statements.forEach((st, i) => verifications(b, st, i, after));

  // ---- Monitoring
  b.add({
    id: 'monitor.blocked',
    section: 'monitor',
    title: 'Watch for sessions blocked behind the migration while it runs',
    code: {
      lang: 'sql',
      text: `SELECT pid, pg_blocking_pids(pid) AS blocked_by, wait_event_type, state, now() - query_start AS waiting, left(query, 80) AS query\nFROM pg_stat_activity\nWHERE cardinality(pg_blocking_pids(pid)) > 0\nORDER BY waiting DESC;`,
    },
    expected: 'no rows, or rows that clear within seconds',
  });
  if (!onlyConcurrentIndexes) b.add({
    id: 'monitor.locks',
    section: 'monitor',
    title: 'Check for lock waits on the tables this migration touches',
    code: { lang: 'sql', text: `SELECT l.relation::regclass AS table, l.mode, l.granted, a.pid, now() - a.query_start AS age\nFROM pg_locks l JOIN pg_stat_activity a USING (pid)\nWHERE NOT l.granted;` },
    expected: 'no rows',
  });
  const newIndexes = [...after.indexes.values()].filter((ix) => !before.indexes.has(keyOf(ix)) && !ix.constraint);
  if (newIndexes.length) {
    b.add({
      id: 'monitor.index-usage',
      section: 'monitor',
      title: 'After a day, check the new indexes are used',
      code: { lang: 'sql', text: `SELECT indexrelname, idx_scan, pg_size_pretty(pg_relation_size(indexrelid)) AS size\nFROM pg_stat_user_indexes\nWHERE indexrelname IN (${newIndexes.map((ix) => quoteLiteral(ix.name)).join(', ')});` },
      expected: 'idx_scan growing; an unused index only costs writes',
      basis: newIndexes.map((ix) => ix.name).join(','),
    });
  }

  // ---- Rollback
  const plan = rollbackPlan(analysis, before);
  b.add({
    id: 'rollback.sql',
    section: 'rollback',
    title: plan.sql.length ? 'Rollback SQL (also written as down.sql on request)' : 'No automatic rollback SQL',
    detail: plan.notes.join(' ') || undefined,
    code: plan.sql.length ? { lang: 'sql', text: plan.sql.join('\n') } : undefined,
    basis: plan.sql.join('\n') + plan.notes.join(' '),
  });
  for (const loss of plan.irreversible) {
    b.add({ id: `rollback.irreversible.${idPart(loss.key)}`, section: 'rollback', title: loss.title, detail: 'Only the backup brings this back.', basis: loss.key });
  }
  const buildsOutsideTransaction = statements.some(isConcurrentIndex) && !analysis.findings.some((f) => f.rule === 'concurrently-in-transaction');
  const downSql = `${input.migrationsDirRelative}/${name}/down.sql`;
  const run = rollbackRunCommand(plan, downSql, schemaArg);
  b.add({
    id: 'rollback.failed',
    section: 'rollback',
    title: 'If migrate deploy failed: mark the migration rolled back, fix it, deploy again',
    detail:
      ex.mode === 'batch'
        ? `The file runs as one transaction, so nothing of it stayed applied${buildsOutsideTransaction ? ', except the INVALID index a failed CREATE INDEX CONCURRENTLY leaves behind: drop it first (see Deployment)' : ''}. Prisma refuses further deploys (P3009) until the failed migration is resolved.`
        : `The statements before the failure stayed applied: undo them first with the matching part of down.sql (${run.why}). Prisma refuses further deploys (P3009) until the failed migration is resolved.`,
    code: { lang: 'sh', text: `${ex.mode === 'batch' ? '' : `${run.command}  # only what ran\n`}npx prisma migrate resolve --rolled-back ${name}${schemaArg}` },
    basis: ex.mode,
  });
  b.add({
    id: 'rollback.run',
    section: 'rollback',
    title: 'To undo a deploy that succeeded: run down.sql, make Prisma forget the migration, revert its commit',
    detail: `${run.why} prisma migrate resolve --rolled-back accepts only a failed migration (P3012), so the row in _prisma_migrations is deleted by hand; revert the commit that added ${name}, or the next deploy applies it again.`,
    code: { lang: 'sh', text: `${run.command}\necho "${forgetMigrationSql(name)}" | npx prisma db execute --stdin${schemaArg}` },
    basis: run.command,
  });

  // ---- Sign-off
  b.add({ id: 'signoff.reviewed', section: 'signoff', title: 'SQL and checklist reviewed by a second person' });
  b.add({ id: 'signoff.verified', section: 'signoff', title: 'Verification queries returned the expected results' });
  if (!onlyConcurrentIndexes) b.add({ id: 'signoff.monitored', section: 'signoff', title: 'Monitoring clean for the agreed period' });

  const summary = [
    `${statements.length} ${statements.length === 1 ? 'statement' : 'statements'}; ${ex.mode === 'batch' ? 'runs as one batch' : 'runs statement by statement'} (${ex.reason}).`,
    analysis.findings.length ? `Findings: ${countBy(analysis.findings.map((f) => f.severity))}.` : 'No findings.',
  ];
  const verdict = buildVerdict({
    analysis,
    windows,
    failsIf: b.failsIf,
    plan,
    applicationSteps: steps.map((s) => s.title),
    concurrentIndexLines: buildsOutsideTransaction ? statements.filter(isConcurrentIndex).map((st) => st.range.start.line) : [],
  });
  return { migration: name, verdict, summary, items: b.items };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function countBy(values: string[]): string {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([k, n]) => `${n} ${k}${n > 1 ? 's' : ''}`).join(', ');
}

function isConcurrentIndex(st: SqlStatement): boolean {
  return nodeType(st.node) === 'IndexStmt' && nodeBody(st.node).concurrent === true;
}

function indexDisplay(st: SqlStatement): string {
  const s = nodeBody(st.node);
  const rel = rangeVarName(s.relation);
  return `${quoteAlways(rel.schema)}.${quoteAlways(s.idxname ?? '<index name>')}`;
}

function fkCondition(c: Constraint): { join: string; missing: string; present: string } {
  const fk = c.foreignKey!;
  const join = fk.columns.map((col, k) => `p.${quoteAlways(fk.refColumns[k] ?? col)} = c.${quoteAlways(col)}`).join(' AND ');
  return {
    join,
    present: fk.columns.map((col) => `c.${quoteAlways(col)} IS NOT NULL`).join(' AND '),
    missing: `p.${quoteAlways(fk.refColumns[0] ?? 'id')} IS NULL`,
  };
}

function preChecks(b: Builder, st: SqlStatement, i: number, before: Catalog, after: Catalog): void {
  const line = st.range.start.line;
  const basis = normalizeSql(st.text);
  for (const { table, cmd } of alterCmds(st)) {
    const existed = before.tables.has(table);
    if (!existed) continue;
    const t = displayTable(table);
    switch (cmd.subtype) {
      case 'AT_AddConstraint': {
        const con = cmd.def?.Constraint ?? {};
        const name: string | undefined = con.conname;
        const saved = name ? after.findConstraint(table, name) : undefined;
        if (con.contype === 'CONSTR_FOREIGN' && saved?.foreignKey) {
          const { join, missing, present } = fkCondition(saved);
          b.add({
            id: `pre.orphans.${idPart(saved.name)}`,
            section: 'pre',
            title: `Check for orphan rows before adding ${quoteAlways(saved.name)}`,
            detail: `Rows of ${t} whose key points at no ${displayTable(saved.foreignKey.refTable)} row make the statement fail.`,
            code: { lang: 'sql', text: `SELECT count(*) AS orphans\nFROM ${t} c\nLEFT JOIN ${displayTable(saved.foreignKey.refTable)} p ON ${join}\nWHERE ${present} AND ${missing};` },
            expected: '0',
            probe: { kind: 'count', equals: 0, failure: { one: `1 row of ${t} points at no ${displayTable(saved.foreignKey.refTable)} row: adding ${quoteAlways(saved.name)} will fail; fix or delete it first`, many: `{n} rows of ${t} point at no ${displayTable(saved.foreignKey.refTable)} row: adding ${quoteAlways(saved.name)} will fail; fix or delete them first` } },
            failsIf: `a row of ${t} points at no ${displayTable(saved.foreignKey.refTable)} row through ${quoteAlways(saved.name)}`,
            statementIndex: i,
            line,
            basis,
          });
        }
        if ((con.contype === 'CONSTR_UNIQUE' || con.contype === 'CONSTR_PRIMARY') && !con.indexname) duplicates(b, table, strings(con.keys), i, line, basis, name ?? 'constraint');
        break;
      }
      case 'AT_SetNotNull':
        b.add({
          id: `pre.nulls.${idPart(table)}.${idPart(cmd.name)}`,
          section: 'pre',
          title: `Check ${t}.${quoteAlways(cmd.name)} has no NULLs before SET NOT NULL`,
          code: { lang: 'sql', text: `SELECT count(*) AS nulls FROM ${t} WHERE ${quoteAlways(cmd.name)} IS NULL;` },
          expected: '0 (otherwise the statement fails)',
          probe: { kind: 'count', equals: 0, failure: { one: `1 row of ${t} has NULL in ${quoteAlways(cmd.name)}: SET NOT NULL will fail; fix the data first`, many: `{n} rows of ${t} have NULL in ${quoteAlways(cmd.name)}: SET NOT NULL will fail; fix the data first` } },
          failsIf: `${t}.${quoteAlways(cmd.name)} holds a NULL`,
          statementIndex: i,
          line,
          basis,
        });
        break;
      case 'AT_AddColumn': {
        const def = cmd.def?.ColumnDef ?? {};
        const cons: PgNode[] = (def.constraints ?? []).map((c: PgNode) => c.Constraint ?? {});
        const notNull = cons.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
        const hasDefault = cons.some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_IDENTITY') || columnTypeOf(def.typeName).serial;
        if (notNull && !hasDefault) {
          b.add({
            id: `pre.empty.${idPart(table)}.${idPart(def.colname)}`,
            section: 'pre',
            title: `Check ${t} is empty: required column ${quoteAlways(def.colname)} is added without a default`,
            code: { lang: 'sql', text: `SELECT count(*) AS row_count FROM ${t};` },
            expected: '0 (otherwise the statement fails: existing rows would have NULL)',
            probe: { kind: 'count', equals: 0, failure: { one: `${t} has 1 row: adding required column ${quoteAlways(def.colname)} without a default will fail; give it a default or add it in steps`, many: `${t} has {n} rows: adding required column ${quoteAlways(def.colname)} without a default will fail; give it a default or add it in steps` } },
            failsIf: `${t} has any row (required column ${quoteAlways(def.colname)} has no default)`,
            statementIndex: i,
            line,
            basis,
          });
        }
        break;
      }
      case 'AT_AlterColumnType': {
        const col = before.table(table)?.columns.get(cmd.name);
        const to = columnTypeOf(cmd.def?.ColumnDef?.typeName);
        if (!col || !isNarrowing(col.type, to)) break;
        const c = quoteAlways(cmd.name);
        let query: string | null = null;
        if ((to.base === 'varchar' || to.base === 'bpchar') && to.mods.length) query = `SELECT count(*) AS too_long FROM ${t} WHERE length(${c}) > ${to.mods[0]};`;
        else if (to.base === 'numeric' && to.mods.length) query = `SELECT count(*) AS out_of_range FROM ${t} WHERE abs(${c}) >= 1e${to.mods[0] - (to.mods[1] ?? 0)} OR ${c} <> round(${c}, ${to.mods[1] ?? 0});`;
        else query = `SELECT count(*) AS not_castable FROM ${t} WHERE ${c} IS NOT NULL AND pg_input_is_valid(${c}::text, ${quoteLiteral(to.display)}) = false;`;
        b.add({
          id: `pre.narrowing.${idPart(table)}.${idPart(cmd.name)}`,
          section: 'pre',
          title: `Check existing values of ${t}.${c} fit ${to.display}`,
          detail: `The column changes from ${col.type.display} to ${to.display}: values that do not fit make the statement fail or are rounded.`,
          code: { lang: 'sql', text: query },
          expected: '0',
          probe: { kind: 'count', equals: 0, failure: { one: `1 value of ${t}.${c} does not fit ${to.display}: the type change will fail; fix it first`, many: `{n} values of ${t}.${c} do not fit ${to.display}: the type change will fail; fix them first` } },
          failsIf: to.base === 'numeric' && to.mods.length ? `a value of ${t}.${c} has more than ${to.mods[0] - (to.mods[1] ?? 0)} digits before the decimal point` : `a value of ${t}.${c} does not fit ${to.display}`,
          statementIndex: i,
          line,
          basis,
        });
        break;
      }
    }
  }
  const type = nodeType(st.node);
  const s = nodeBody(st.node);
  if (type === 'IndexStmt' && s.unique) {
    const table = keyOf(rangeVarName(s.relation));
    if (before.tables.has(table)) {
      const cols = (s.indexParams ?? []).map((p: PgNode) => p.IndexElem?.name).filter(Boolean) as string[];
      duplicates(b, table, cols, i, line, basis, s.idxname ?? 'index');
    }
  }
  if (type === 'CreateEnumStmt') {
    // Prisma's enum recreation: CREATE TYPE "X_new" with fewer values than "X".
    const n = listName(s.typeName);
    const m = /^(.*)_new$/.exec(n.name);
    const old = m ? before.enums.get(keyOf({ schema: n.schema, name: m[1] })) : undefined;
    if (old) {
      const kept = new Set(strings(s.vals));
      const removed = old.values.filter((v) => !kept.has(v));
      const users = enumColumns(before, keyOf(old));
      if (removed.length && users.length) {
        b.add({
          id: `pre.enum-values.${idPart(old.name)}`,
          section: 'pre',
          title: `Check no row still uses ${removed.map(quoteLiteral).join(', ')} of enum ${quoteAlways(old.name)}`,
          code: { lang: 'sql', text: users.map(({ table, column }) => `SELECT ${quoteLiteral(`${splitKey(table).name}.${column}`)} AS col, count(*) FROM ${displayTable(table)} WHERE ${quoteAlways(column)}::text IN (${removed.map(quoteLiteral).join(', ')})`).join('\nUNION ALL\n') + ';' },
          expected: '0 in every row (otherwise the type change fails)',
          probe: { kind: 'counts-zero', failure: { one: `1 row still holds ${removed.map(quoteLiteral).join(', ')} of enum ${quoteAlways(old.name)}: the type change will fail; update it first`, many: `{n} rows still hold ${removed.map(quoteLiteral).join(', ')} of enum ${quoteAlways(old.name)}: the type change will fail; update them first` } },
          failsIf: `a row still holds ${removed.map(quoteLiteral).join(', ')} of enum ${quoteAlways(old.name)}`,
          statementIndex: i,
          line,
          basis,
        });
      }
    }
  }
  if ((type === 'DropStmt' && s.removeType === 'OBJECT_TABLE') || type === 'TruncateStmt' || ((type === 'DeleteStmt' || type === 'UpdateStmt') && !s.whereClause)) {
    const tables: string[] =
      type === 'DropStmt' ? (s.objects ?? []).map((o: PgNode) => keyOf(listName(o.List?.items))) : type === 'TruncateStmt' ? (s.relations ?? []).map((r: PgNode) => keyOf(rangeVarName(r.RangeVar))) : [keyOf(rangeVarName(s.relation))];
    for (const table of tables.filter((t) => before.tables.has(t))) {
      b.add({
        id: `pre.export.${idPart(table)}.${i}`,
        section: 'pre',
        title: `Export ${displayTable(table)} before it is ${type === 'DropStmt' ? 'dropped' : type === 'TruncateStmt' ? 'emptied' : type === 'DeleteStmt' ? 'deleted from' : 'rewritten'}`,
        code: { lang: 'sh', text: `pg_dump "$DATABASE_URL" --format=custom --data-only --table=${shellQuote(displayTable(table))} --file=${idPart(splitKey(table).name)}_before_${i}.dump` },
        statementIndex: i,
        line,
        basis,
      });
    }
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function enumColumns(catalog: Catalog, enumKey: string): { table: string; column: string }[] {
  const out: { table: string; column: string }[] = [];
  for (const [key, t] of catalog.tables) for (const c of t.columns.values()) if (c.type.base === enumKey) out.push({ table: key, column: c.name });
  return out;
}

function duplicates(b: Builder, table: string, cols: string[], i: number, line: number, basis: string, name: string): void {
  if (!cols.length) return;
  const t = displayTable(table);
  const list = cols.map(quoteAlways).join(', ');
  b.add({
    id: `pre.duplicates.${idPart(name)}`,
    section: 'pre',
    title: `Check for duplicate (${list}) in ${t} before ${quoteAlways(name)}`,
    code: { lang: 'sql', text: `SELECT ${list}, count(*) AS copies\nFROM ${t}\nWHERE ${cols.map((c) => `${quoteAlways(c)} IS NOT NULL`).join(' AND ')}\nGROUP BY ${list}\nHAVING count(*) > 1\nLIMIT 20;` },
    expected: 'no rows (otherwise the statement fails)',
    probe: { kind: 'no-rows', failure: { one: `1 value of (${list}) occurs more than once in ${t}: ${quoteAlways(name)} will fail; remove the duplicates first`, many: `{n} values of (${list}) occur more than once in ${t} (the query shows at most 20): ${quoteAlways(name)} will fail; remove the duplicates first` } },
    failsIf: `${t} holds duplicate (${list})`,
    statementIndex: i,
    line,
    basis,
  });
}

function columnVerification(table: string, col: Column): { text: string; expected: string } {
  const { schema, name } = splitKey(table);
  return {
    text: `SELECT column_name, data_type, character_maximum_length, numeric_precision, numeric_scale, is_nullable, column_default\nFROM information_schema.columns\nWHERE table_schema = ${quoteLiteral(schema)} AND table_name = ${quoteLiteral(name)} AND column_name = ${quoteLiteral(col.name)};`,
    expected: `one row: type ${col.type.display}, is_nullable ${col.notNull ? 'NO' : 'YES'}, column_default ${col.hasDefault ? 'set' : 'NULL'}`,
  };
}

/** What information_schema.columns says of a column the catalog holds (data_type and its length, precision and scale; nullability). */
function columnProbe(col: Column): Probe {
  const equals: Record<string, string | null> = { is_nullable: col.notNull ? 'NO' : 'YES' };
  const t = col.type;
  const dataType = t.array ? 'ARRAY' : t.user ? 'USER-DEFINED' : t.display.replace(/\(\d+(,\d+)?\)/, '').replace(/\s+/g, ' ').trim();
  if (dataType) equals.data_type = dataType;
  if (!t.array && (t.base === 'varchar' || t.base === 'bpchar')) equals.character_maximum_length = t.mods.length ? String(t.mods[0]) : t.base === 'bpchar' ? '1' : null;
  if (!t.array && t.base === 'numeric' && t.mods.length) {
    equals.numeric_precision = String(t.mods[0]);
    equals.numeric_scale = String(t.mods[1] ?? 0);
  }
  return { kind: 'row', equals };
}

function verifications(b: Builder, st: SqlStatement, i: number, after: Catalog): void {
  const line = st.range.start.line;
  const basis = normalizeSql(st.text);
  const verifiedColumns = new Set<string>();
  for (const { table, cmd } of alterCmds(st)) {
    const t = after.table(table);
    if (!t) continue;
    if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.contype === 'CONSTR_FOREIGN') {
      const con = cmd.def.Constraint.conname ? t.constraints.get(cmd.def.Constraint.conname) : undefined;
      if (!con?.foreignKey) continue;
      b.add({
        id: `verify.fk.${idPart(con.name)}`,
        section: 'verify',
        title: `Verify ${quoteAlways(con.name)} is ON DELETE ${con.foreignKey.onDelete}, ON UPDATE ${con.foreignKey.onUpdate}`,
        code: { lang: 'sql', text: `SELECT conname, confdeltype, confupdtype, convalidated, pg_get_constraintdef(oid) AS definition\nFROM pg_constraint\nWHERE conname = ${quoteLiteral(con.name)} AND conrelid = ${quoteLiteral(displayTable(table))}::regclass;` },
        expected: `confdeltype = '${fkActionLetter(con.foreignKey.onDelete)}', confupdtype = '${fkActionLetter(con.foreignKey.onUpdate)}', convalidated = ${con.validated ? 't' : 'f (validate in the follow-up migration)'}`,
        probe: { kind: 'row', equals: { confdeltype: fkActionLetter(con.foreignKey.onDelete), confupdtype: fkActionLetter(con.foreignKey.onUpdate), convalidated: con.validated ? 't' : 'f' } },
        statementIndex: i,
        line,
        basis,
      });
    }
    const colName: string | undefined = cmd.subtype === 'AT_AddColumn' ? cmd.def?.ColumnDef?.colname : ['AT_AlterColumnType', 'AT_SetNotNull', 'AT_DropNotNull', 'AT_ColumnDefault'].includes(cmd.subtype) ? cmd.name : undefined;
    const col = colName !== undefined ? t.columns.get(colName) : undefined;
    if (col && !verifiedColumns.has(`${table}.${col.name}`)) {
      verifiedColumns.add(`${table}.${col.name}`);
      const v = columnVerification(table, col);
      b.add({ id: `verify.column.${idPart(table)}.${idPart(col.name)}`, section: 'verify', title: `Verify column ${displayTable(table)}.${quoteAlways(col.name)}`, code: { lang: 'sql', text: v.text }, expected: v.expected, probe: columnProbe(col), statementIndex: i, line, basis });
    }
  }
  const type = nodeType(st.node);
  const s = nodeBody(st.node);
  if (type === 'IndexStmt') {
    const rel = rangeVarName(s.relation);
    const ix = s.idxname ? after.indexes.get(keyOf({ schema: rel.schema, name: s.idxname })) : undefined;
    if (ix) {
      b.add({
        id: `verify.index.${idPart(ix.name)}`,
        section: 'verify',
        title: `Verify index ${quoteAlways(ix.name)} exists and is valid`,
        detail: s.concurrent ? 'A concurrent build that failed leaves the index INVALID: it is not used and still slows writes.' : undefined,
        code: { lang: 'sql', text: `SELECT indexrelid::regclass AS index, indisvalid, indisready\nFROM pg_index\nWHERE indexrelid = ${quoteLiteral(`${quoteAlways(ix.schema)}.${quoteAlways(ix.name)}`)}::regclass;` },
        expected: 'indisvalid = t, indisready = t',
        probe: { kind: 'row', equals: { indisvalid: 't', indisready: 't' } },
        statementIndex: i,
        line,
        basis,
      });
    }
  }
  if (type === 'CreateStmt') {
    const table = keyOf(rangeVarName(s.relation));
    if (after.tables.has(table)) {
      const { schema, name } = splitKey(table);
      b.add({
        id: `verify.table.${idPart(table)}`,
        section: 'verify',
        title: `Verify table ${displayTable(table)} exists with ${after.table(table)!.columns.size} columns`,
        code: { lang: 'sql', text: `SELECT count(*) AS columns FROM information_schema.columns WHERE table_schema = ${quoteLiteral(schema)} AND table_name = ${quoteLiteral(name)};` },
        expected: String(after.table(table)!.columns.size),
        probe: { kind: 'count', equals: after.table(table)!.columns.size },
        statementIndex: i,
        line,
        basis,
      });
    }
  }
}
