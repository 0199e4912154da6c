/**
 * A history without a baseline gets the same locking findings as one with a baseline. Each real
 * history (examples/shop, and the corpus when present) is analysed in full, then again cut short,
 * as a team that adopted Prisma Migrate on an existing database would have it: every migration on
 * its own (no history at all), and the second half without the first. Every locking, rewrite and
 * data-loss finding of the full history must come back on the short one, on the same statement
 * (or, where the rule needs a fact only the missing migrations show, as a note there saying it
 * cannot tell). The short history may find more: it cannot know what the cut-off migrations made safe.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeMigration, type MigrationInput, type MigrationOptions } from '../../src/core/analysis/analyze-migration';
import { HistoryAnalyzer } from '../../src/core/analysis/history';
import { Catalog } from '../../src/core/catalog/model';
import { compareMigrationNames } from '../../src/core/project/migration-order';
import { nodeBody, nodeType, type PgNode } from '../../src/core/pg/ast';
import { RULES } from '../../src/core/rules/index';
import type { SqlStatement } from '../../src/core/sql/parse-migration';
import { ensureSqlParser } from '../../src/core/sql/parser';
import type { Finding } from '../../src/core/types';
import { CORPUS, corpusRepos, describeWithCorpus } from './support/corpus';

/**
 * Locking, rewrite and data-loss rules, and the deploy failure of a required column. Not
 * locks-accumulate: it names the lock a statement still holds on another table, such as the
 * table a dropped foreign key referenced, which only the cut-off migrations show.
 */
const COMPARED = new Set(
  RULES.filter((r) => r.meta.category === 'locking' || r.meta.category === 'data-loss')
    .map((r) => r.meta.id)
    .filter((id) => id !== 'locks-accumulate')
    .concat(['add-required-column', 'rename-table', 'rename-column']),
);

function readHistory(dir: string): MigrationInput[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort(compareMigrationNames)
    .map((name) => {
      const file = path.join(dir, name, 'migration.sql');
      return { name, file, text: readFileSync(file, 'utf8') };
    });
}

const options: MigrationOptions = { prismaVersion: '7.3.0', rules: RULES, severityOf: (_, s) => s, fileOfMigration: () => null };

/** Full-history findings that the short history does not give on the same statement, as `migration:line rule`. */
function missing(full: Finding[], short: Finding[], statements: readonly SqlStatement[]): string[] {
  const out: string[] = [];
  for (const f of full) {
    const at = f.statementIndex;
    if (!COMPARED.has(f.rule) || at === undefined || f.uncertain) continue;
    // CREATE OR REPLACE VIEW, CREATE ... IF NOT EXISTS of a relation no earlier migration creates is
    // read as creating it (what it does in a complete history): the statements a short history sees
    // differently.
    if (createsIfMissing(statements[at].node)) continue;
    const found = short.some(
      (s) =>
        s.statementIndex !== undefined &&
        (s.uncertain ? s.statementIndex === at : s.rule === f.rule &&
          // One lock-timeout-missing finding covers every uncovered statement after it: the short
          // history may see an earlier one and report the group there.
          (f.rule === 'lock-timeout-missing' ? s.statementIndex <= at : s.statementIndex === at)),
    );
    if (!found) out.push(`${f.migration}:${f.range.start.line} ${f.rule}`);
  }
  return out;
}

function createsIfMissing(node: PgNode | null): boolean {
  const type = nodeType(node);
  const s = nodeBody(node);
  return (type === 'ViewStmt' && s.replace === true) || ((type === 'CreateStmt' || type === 'CreateTableAsStmt') && s.if_not_exists === true);
}

function compareHistory(history: MigrationInput[]): { alone: string[]; secondHalf: string[]; compared: number } {
  const full = new HistoryAnalyzer().analyze(history, options, 'full').analyses;
  const alone: string[] = [];
  for (const [i, m] of history.entries()) alone.push(...missing(full[i].findings, analyzeMigration(m, new Catalog(), options).findings, full[i].parsed.statements));
  const cut = Math.floor(history.length / 2);
  const half = new HistoryAnalyzer().analyze(history.slice(cut), options, 'half').analyses;
  const secondHalf = half.flatMap((a, i) => missing(full[cut + i].findings, a.findings, a.parsed.statements));
  const compared = full.flatMap((a) => a.findings).filter((f) => COMPARED.has(f.rule)).length;
  return { alone, secondHalf, compared };
}

const SHOP = path.resolve(__dirname, '..', '..', 'examples', 'shop', 'prisma', 'migrations');

function equivalenceTest(name: string, dir: string): void {
  it(`${name}: every migration alone, and the second half without the first`, () => {
    const r = compareHistory(readHistory(dir));
    assert.ok(r.compared > 0, 'the full history has findings to compare');
    assert.deepEqual(r.alone.slice(0, 20), [], 'alone');
    assert.deepEqual(r.secondHalf.slice(0, 20), [], 'second half');
  });
}

describe('a history without a baseline gets the same locking findings as one with a baseline', function () {
  this.timeout(300_000);
  before(ensureSqlParser);
  equivalenceTest('examples/shop', SHOP);
});

describeWithCorpus('a corpus history without a baseline gets the same locking findings as with one', function () {
  this.timeout(300_000);
  before(ensureSqlParser);
  for (const repo of corpusRepos()) equivalenceTest(repo, path.join(CORPUS, repo, 'migrations'));
});
