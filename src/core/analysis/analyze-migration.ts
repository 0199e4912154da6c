/**
 * Analyses one migration against the database the earlier migrations leave: parses it, applies
 * it statement by statement to a fork of the catalog, works out each statement's facts and runs
 * the rules.
 */
import { applyStatement } from '../catalog/apply';
import type { Catalog } from '../catalog/model';
import { transactionKindOf } from '../pg/ast';
import type { MigrationReport as RuleReport, AnalyzedStatement, MigrationContext, Rule } from '../rules/rule';
import { parseMigrationSql, type ParsedMigration, type SqlStatement } from '../sql/parse-migration';
import type { Finding, MigrationReport, Severity } from '../types';
import { executionModeOf } from '../facts/execution';
import { doBlockFacts, statementFacts, type DoBodyStatementFacts } from '../facts/locks';

export type SeverityOf = (ruleId: string, fallback: Severity) => Severity | 'off';

export interface MigrationInput {
  name: string;
  file: string;
  text: string;
}

export interface MigrationOptions {
  prismaVersion: string | null;
  rules: readonly Rule[];
  severityOf: SeverityOf;
  fileOfMigration(name: string): string | null;
}

export interface MigrationAnalysis {
  report: MigrationReport;
  findings: Finding[];
  parsed: ParsedMigration;
  after: Catalog;
}

export function analyzeMigration(input: MigrationInput, before: Catalog, options: MigrationOptions): MigrationAnalysis {
  const parsed = parseMigrationSql(input.text);
  const execution = executionModeOf(parsed.statements, options.prismaVersion);
  const current = before.fork();
  const statements: AnalyzedStatement[] = [];
  const existedBefore = (table: string) => before.tables.has(table);
  // The state before each statement, for the rules. Forks are copy-on-write, and statements that
  // change nothing (DML, SET, GRANT, ...) share the snapshot of the statement before them.
  let snapshot: Catalog | null = null;
  let snapshotVersion = -1;
  // The statements of each DO block's body, with their facts (rules check them too).
  const doBodies = new Map<number, DoBodyStatementFacts[]>();
  for (const sql of parsed.statements) {
    if (!snapshot || current.version !== snapshotVersion) {
      snapshot = current.fork();
      snapshotVersion = current.version;
    }
    const origin = { migration: input.name, statementIndex: sql.index, range: sql.range };
    const body = sql.type === 'DoStmt' ? doBlockFacts(sql.node, sql.text, snapshot, existedBefore, origin) : null;
    if (body?.inner.length) doBodies.set(sql.index, body.inner);
    const facts = body?.facts ?? statementFacts(sql.node, snapshot, existedBefore);
    statements.push({ index: sql.index, sql, facts, catalog: snapshot });
    applyStatement(current, sql.node, origin, sql.text);
    // New means created by this migration (before or by this statement), not merely absent from the
    // history: a table no migration creates may already exist, with rows, and a table renamed here
    // is the old one.
    const createdHere = (c: Catalog, t: string) => c.table(t)?.origin.migration === input.name;
    const at = snapshot;
    if (facts.newTables.length) facts.newTables = facts.newTables.filter((t) => createdHere(at, t) || createdHere(current, t));
  }

  const { transactions, explicit } = transactionsOf(parsed.statements, execution.mode);
  const groupOf = new Map<number, number[]>();
  for (const g of transactions) for (const i of g) groupOf.set(i, g);

  const findings: Finding[] = [];
  const fileIgnored = new Set(parsed.fileIgnored);
  let currentRule: Rule | null = null;
  const ctx: MigrationContext = {
    name: input.name,
    file: input.file,
    text: input.text,
    parsed,
    statements,
    before,
    after: current,
    execution,
    prismaVersion: options.prismaVersion,
    existedBefore,
    transactions,
    transactionOf: (i) => {
      const g = groupOf.get(i);
      return g && g.length > 1 ? g : null;
    },
    inExplicitBlock: (i) => explicit.has(i),
    fileOfMigration: options.fileOfMigration,
    report(r: RuleReport) {
      const rule = currentRule!;
      const severity = options.severityOf(rule.meta.id, r.severity ?? rule.meta.defaultSeverity);
      if (severity === 'off') return;
      const ignoredHere = r.statement === null ? [] : (parsed.statements[r.statement]?.ignored ?? []);
      if (isSuppressed(rule.meta.id, fileIgnored) || isSuppressed(rule.meta.id, new Set(ignoredHere))) return;
      findings.push({
        rule: rule.meta.id,
        // A finding that cannot tell (it needs a fact the migrations do not show) is a note.
        severity: r.cannotTell ? 'info' : severity,
        file: input.file,
        migration: input.name,
        range: r.range ?? parsed.statements[r.statement ?? 0].range,
        message: r.message,
        help: r.help,
        ...(r.fixes?.length ? { fixes: r.fixes } : {}),
        ...(r.related?.length ? { related: r.related } : {}),
        ...(r.statement === null ? {} : { statementIndex: r.statement }),
        ...(r.cannotTell ? { uncertain: true } : {}),
      });
    },
  };
  const bodies = [...doBodies].map(([index, inner]) => doBodyContext(ctx, statements[index], inner, statements[index + 1]?.catalog ?? current));
  for (const rule of options.rules) {
    if (!rule.checkMigration) continue;
    currentRule = rule;
    try {
      rule.checkMigration(ctx);
      if (rule.meta.insideDoBlocks) for (const body of bodies) rule.checkMigration(body);
    } catch (e) {
      // A rule bug must not take the others down; say so where the user will see it.
      findings.push(internalErrorFinding(rule.meta.id, input, parsed, e));
    }
  }
  // Rule ids are lower-case ASCII words joined by '-': code-point order is their localeCompare order
  // (tested in the registry test), without starting ICU's collator in every process.
  findings.sort((a, b) => a.range.startOffset - b.range.startOffset || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return {
    report: {
      name: input.name,
      file: input.file,
      execution,
      statements: statements.map((s) => ({ index: s.index, range: s.sql.range, facts: s.facts })),
    },
    findings,
    parsed,
    after: current,
  };
}

/**
 * The statements of a DO block's body as a migration of their own, for the rules that judge each
 * statement on its own: the same history before, the database after the block, one transaction
 * (a DO block runs as one statement). A finding points at the statement inside the body, carries
 * the DO block's statement index (so its suppressions apply), says when the statement runs only
 * in a branch, and offers no fix (a rewrite inside procedural code is for the author).
 */
function doBodyContext(ctx: MigrationContext, block: AnalyzedStatement, inner: DoBodyStatementFacts[], after: Catalog): MigrationContext {
  const body = inner.filter((x) => !x.statement.expression);
  const lines = ctx.parsed.lines;
  const base = block.sql.range.startOffset;
  const statements: AnalyzedStatement[] = body.map((x, k) => ({
    index: k,
    sql: { index: k, range: lines.range(base + x.statement.start, base + x.statement.end), text: x.statement.text, node: x.statement.node, type: x.statement.type, ignored: block.sql.ignored },
    facts: x.facts,
    catalog: x.catalog,
  }));
  const all = statements.map((s) => s.index);
  const line = block.sql.range.start.line;
  return {
    ...ctx,
    statements,
    parsed: { ...ctx.parsed, statements: statements.map((s) => s.sql) },
    after,
    transactions: [all],
    transactionOf: () => all,
    inExplicitBlock: () => ctx.inExplicitBlock(block.index),
    report(r) {
      const k = r.statement ?? 0;
      const x = body[k];
      const where = !x
        ? ''
        : x.statement.branch === 'always'
          ? ` This statement is inside the DO block on line ${line}${x.statement.viaExecute ? ', run by EXECUTE of a string literal' : ''}.`
          : x.statement.branch === 'guarded'
            ? ` This statement is inside the DO block on line ${line}, in a guarded part (an IF without ELSE, or a block that catches errors): this applies when that part runs.`
            : ` This statement is inside the DO block on line ${line}, in an ELSE or CASE branch, a loop or an exception handler: this applies when that branch runs.`;
      ctx.report({ ...r, statement: block.index, range: r.range ?? statements[k]?.sql.range ?? block.sql.range, message: `${r.message}${where}`, fixes: undefined });
    },
  };
}

function isSuppressed(ruleId: string, ignored: Set<string>): boolean {
  return ignored.has(ruleId) || ignored.has('all');
}

function internalErrorFinding(ruleId: string, input: MigrationInput, parsed: ParsedMigration, e: unknown): Finding {
  return {
    rule: ruleId,
    severity: 'info',
    file: input.file,
    migration: input.name,
    range: parsed.lines.range(0, 0),
    message: `Preflight's rule ${ruleId} failed on this file (${e instanceof Error ? e.message : String(e)}); its findings are missing. Please report this.`,
    help: 'Other rules ran normally.',
  };
}

/**
 * Which statements PostgreSQL runs together in one transaction. In a batch (Prisma ≤ 7.3, or the
 * fallback) the whole file is one implicit transaction, cut only by COMMIT / ROLLBACK; when split,
 * each statement runs alone except inside the file's own BEGIN ... COMMIT.
 */
export function transactionsOf(statements: SqlStatement[], mode: 'batch' | 'split'): { transactions: number[][]; explicit: Set<number> } {
  const transactions: number[][] = [];
  const explicit = new Set<number>();
  let open: number[] | null = null;
  let inBlock = false;
  for (const st of statements) {
    const kind = transactionKindOf(st.node);
    const begins = kind === 'begin';
    const ends = kind === 'commit' || kind === 'rollback' || kind === 'two-phase';
    if (begins) inBlock = true;
    if (inBlock && !begins && !ends) explicit.add(st.index);
    if (mode === 'batch') {
      open ??= [];
      open.push(st.index);
      if (ends) {
        transactions.push(open);
        open = null;
      }
    } else if (inBlock || begins) {
      open ??= [];
      open.push(st.index);
      if (ends) {
        transactions.push(open);
        open = null;
      }
    } else {
      transactions.push([st.index]);
    }
    if (ends) inBlock = false;
  }
  if (open) transactions.push(open);
  return { transactions, explicit };
}
