/**
 * What a dry run cannot prove: the conditions it names are confirmed on PostgreSQL 18 (PGlite) —
 * each statement applies on an empty table and fails, with the SQLSTATE named, once one row holds
 * what it depends on — and the list comes from the static findings of the migration traced.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { analyzeProject } from '../../src/core/analysis/analyze-project';
import { discoverProject } from '../../src/core/project/discover';
import { startPglite, type PgliteDatabase } from '../../src/core/trace/pglite-engine';
import { sqlstateOf } from './support/pglite';
import type { SourceRange } from '../../src/core/types';
import { linesWords } from '../../src/core/text/list-words';
import { unprovenByDryRun, unprovenSentences } from '../../src/core/trace/unproven';

const ROOT = join(__dirname, '..', '..');
const SHOP = join(ROOT, 'examples', 'shop');
const SESSIONS = '20250311102044_add_user_sessions';

/** A range on `line` (1-based), all a finding needs here. */
function lineRange(line: number): SourceRange {
  return { startOffset: 0, endOffset: 1, start: { line, column: 1 }, end: { line, column: 2 } };
}


describe('what a dry run on empty tables cannot prove', function () {
  this.timeout(120_000);

  describe('the conditions, on PostgreSQL (PGlite): applied on an empty table, failed with one row', () => {
    let db: PgliteDatabase;
    before(async () => {
      db = await startPglite([]);
    });
    after(async () => {
      await db?.close();
    });

    const cases: { rule: string; sqlstate: string; setup: string; row: string; statement: string }[] = [
      { rule: 'add-required-column', sqlstate: '23502', setup: 'CREATE TABLE t (id int)', row: 'INSERT INTO t VALUES (1)', statement: 'ALTER TABLE t ADD COLUMN c text NOT NULL' },
      { rule: 'set-not-null', sqlstate: '23502', setup: 'CREATE TABLE t (id int, c text)', row: 'INSERT INTO t VALUES (1, NULL)', statement: 'ALTER TABLE t ALTER COLUMN c SET NOT NULL' },
      { rule: 'unique-constraint', sqlstate: '23505', setup: 'CREATE TABLE t (id int, c text)', row: "INSERT INTO t VALUES (1, 'a'), (2, 'a')", statement: 'ALTER TABLE t ADD CONSTRAINT t_c_key UNIQUE (c)' },
      { rule: 'foreign-key-validation', sqlstate: '23503', setup: 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (id int, p_id int)', row: 'INSERT INTO t VALUES (1, 42)', statement: 'ALTER TABLE t ADD CONSTRAINT t_p_fkey FOREIGN KEY (p_id) REFERENCES p (id)' },
      { rule: 'check-constraint-validation', sqlstate: '23514', setup: 'CREATE TABLE t (id int, n int)', row: 'INSERT INTO t VALUES (1, -1)', statement: 'ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n >= 0)' },
      { rule: 'narrowing-type-change', sqlstate: '22001', setup: 'CREATE TABLE t (id int, c varchar(10))', row: "INSERT INTO t VALUES (1, 'abcdefghij')", statement: 'ALTER TABLE t ALTER COLUMN c SET DATA TYPE varchar(3)' },
      {
        rule: 'drop-enum-value',
        sqlstate: '22P02',
        setup: `CREATE TYPE "E" AS ENUM ('A', 'VOID'); CREATE TYPE "E_new" AS ENUM ('A'); CREATE TABLE t (id int, e "E")`,
        row: `INSERT INTO t VALUES (1, 'VOID')`,
        statement: `ALTER TABLE t ALTER COLUMN e TYPE "E_new" USING (e::text::"E_new")`,
      },
    ];
    for (const c of cases) {
      it(`${c.rule}: applies on an empty table, fails with ${c.sqlstate} once a row holds what it depends on`, async () => {
        await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
        await db.exec(c.setup);
        await db.exec('BEGIN');
        assert.equal(await sqlstateOf(db, c.statement), 'ok', 'on the empty table');
        await db.exec('ROLLBACK');
        await db.exec(c.row);
        assert.equal(await sqlstateOf(db, c.statement), c.sqlstate, 'with the row');
        const u = unprovenByDryRun([{ rule: c.rule, severity: 'error', file: 'f', migration: 'm', range: lineRange(3), message: '', help: '' }], 'm');
        assert.match(u.failsOnRows[0]?.condition ?? '', new RegExp(`\\(${c.sqlstate}(\\)|,| or)`), `the words name ${c.sqlstate}`);
      });
    }
  });

  it('lists the data-dependent findings of the traced migration only, once per line and rule, and the lines whose lock time grows with the table', async () => {
    const analysis = await analyzeProject(discoverProject(SHOP));
    const u = unprovenByDryRun(analysis.result.findings, SESSIONS);
    assert.deepEqual(u.failsOnRows, [{ line: 11, rule: 'add-required-column', condition: 'fails if the table has any row (23502)' }]);
    const other = analysis.result.findings.filter((f) => f.migration !== SESSIONS && f.rule === 'set-not-null');
    assert.ok(other.length === 0 || !u.failsOnRows.some((f) => f.rule === 'set-not-null'), 'findings of other migrations are not listed');
    const sentences = unprovenSentences(u, false);
    assert.match(sentences[0], /^line 11 \(add-required-column\) fails if the table has any row \(23502\); the dry run ran on empty tables, so it could not tell\.$/);
    assert.match(unprovenSentences(u, true)[0], /tables that held one synthetic row each/);
  });

  it('an uncertain note proves nothing either way and is not listed; lines read as words', () => {
    const range = lineRange(2);
    assert.deepEqual(unprovenByDryRun([{ rule: 'set-not-null', severity: 'info', file: 'f', migration: 'm', range, message: '', help: '', uncertain: true }], 'm'), { failsOnRows: [], slowOnRows: [] });
    assert.equal(linesWords([4]), 'line 4');
    assert.equal(linesWords([4, 9]), 'lines 4 and 9');
    assert.equal(linesWords([4, 9, 12]), 'lines 4, 9 and 12');
  });

  it('preflight trace says what the dry run could not prove, in pretty and JSON output', () => {
    const cli = join(ROOT, 'dist', 'cli.js');
    const migration = join('examples', 'shop', 'prisma', 'migrations', SESSIONS);
    const json = spawnSync(process.execPath, [cli, 'trace', migration, '--format', 'json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(json.status, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.equal(report.outcome ?? report.migration?.outcome ?? 'applied', 'applied');
    assert.deepEqual(report.unproven.failsOnRows, [{ line: 11, rule: 'add-required-column', condition: 'fails if the table has any row (23502)' }]);
    const pretty = spawnSync(process.execPath, [cli, 'trace', migration], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.match(pretty.stdout, /applied cleanly .*\nnot proven: line 11 \(add-required-column\) fails if the table has any row \(23502\)/);
  });
});
