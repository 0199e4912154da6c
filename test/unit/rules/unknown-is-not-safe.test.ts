/**
 * Unknown is not safe. A history without a baseline migration (a team that adopted Prisma Migrate
 * on a database it already had) never creates the tables it changes: each is an existing table of
 * unknown size. The classic cases (squawk's, pgfence's) on such tables are each flagged, with a
 * sentence saying the table is not known from the migrations; their safe counterparts stay quiet;
 * where a rule needs a fact nobody knows, it says so in a note instead of passing.
 */
import { strict as assert } from 'node:assert';
import { analyzeMigration } from '../../../src/core/analysis/analyze-migration';
import { Catalog } from '../../../src/core/catalog/model';
import { RULES } from '../../../src/core/rules/index';
import { ensureSqlParser } from '../../../src/core/sql/parser';
import type { Severity } from '../../../src/core/types';
import { lint, lintIds } from '../support/lint';

/** `text` as a migration with no history at all (a lone file, or the first of a history without a baseline). */
function analyzeAlone(text: string, severityOf: (id: string, fallback: Severity) => Severity | 'off' = (_, s) => s) {
  return analyzeMigration({ name: 'm', file: 'm.sql', text }, new Catalog(), { prismaVersion: '7.3.0', rules: RULES, severityOf, fileOfMigration: () => null });
}

const NOTE = '"Order" is not created by any earlier migration, so it may already hold rows.';

interface Case {
  name: string;
  sql: string;
  /** `rule@line` of every finding of `rule`. */
  expect: string[];
  rule: string;
}

/** On "Order", which no migration creates. */
const FLAGGED: Case[] = [
  { rule: 'non-concurrent-index', name: 'CREATE INDEX', sql: 'CREATE INDEX "Order_userId_idx" ON "Order"("userId");', expect: ['non-concurrent-index@1'] },
  { rule: 'set-not-null', name: 'SET NOT NULL', sql: 'ALTER TABLE "Order" ALTER COLUMN "userId" SET NOT NULL;', expect: ['set-not-null@1'] },
  { rule: 'foreign-key-validation', name: 'ADD FOREIGN KEY', sql: 'ALTER TABLE "Order" ADD CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id");', expect: ['foreign-key-validation@1'] },
  { rule: 'drop-column', name: 'DROP COLUMN', sql: 'ALTER TABLE "Order" DROP COLUMN "note";', expect: ['drop-column@1'] },
  { rule: 'drop-table', name: 'DROP TABLE', sql: 'DROP TABLE "Order";', expect: ['drop-table@1'] },
  { rule: 'truncate-table', name: 'TRUNCATE', sql: 'TRUNCATE "Order";', expect: ['truncate-table@1'] },
  { rule: 'unique-constraint', name: 'ADD UNIQUE', sql: 'ALTER TABLE "Order" ADD CONSTRAINT "Order_code_key" UNIQUE ("code");', expect: ['unique-constraint@1'] },
  { rule: 'unique-constraint', name: 'ADD PRIMARY KEY', sql: 'ALTER TABLE "Order" ADD CONSTRAINT "Order_pkey" PRIMARY KEY ("id");', expect: ['unique-constraint@1'] },
  { rule: 'check-constraint-validation', name: 'ADD CHECK', sql: 'ALTER TABLE "Order" ADD CONSTRAINT "Order_total_check" CHECK ("total" >= 0);', expect: ['check-constraint-validation@1'] },
  { rule: 'add-required-column', name: 'ADD COLUMN NOT NULL without a default', sql: 'ALTER TABLE "Order" ADD COLUMN "code" TEXT NOT NULL;', expect: ['add-required-column@1'] },
  { rule: 'volatile-default', name: 'ADD COLUMN with a volatile default', sql: 'ALTER TABLE "Order" ADD COLUMN "token" UUID NOT NULL DEFAULT gen_random_uuid();', expect: ['volatile-default@1'] },
  { rule: 'rewrite-column-type', name: 'ALTER TYPE with a USING that computes values', sql: 'ALTER TABLE "Order" ALTER COLUMN "total" TYPE BIGINT USING ("total" * 100);', expect: ['rewrite-column-type@1'] },
  { rule: 'rename-table', name: 'RENAME TABLE', sql: 'ALTER TABLE "Order" RENAME TO "Purchase";', expect: ['rename-table@1'] },
  { rule: 'rename-column', name: 'RENAME COLUMN', sql: 'ALTER TABLE "Order" RENAME COLUMN "note" TO "remark";', expect: ['rename-column@1'] },
  { rule: 'unbounded-data-change', name: 'UPDATE without WHERE', sql: 'UPDATE "Order" SET "note" = NULL;', expect: ['unbounded-data-change@1'] },
  { rule: 'lock-timeout-missing', name: 'ACCESS EXCLUSIVE with no lock_timeout', sql: 'ALTER TABLE "Order" ADD COLUMN "note2" TEXT;', expect: ['lock-timeout-missing@1'] },
];

/** The safe counterparts: quiet, although "Order" is just as unknown. */
const QUIET: Case[] = [
  { rule: 'non-concurrent-index', name: 'CREATE INDEX CONCURRENTLY', sql: 'CREATE INDEX CONCURRENTLY "Order_userId_idx" ON "Order"("userId");', expect: [] },
  { rule: 'foreign-key-validation', name: 'ADD FOREIGN KEY ... NOT VALID', sql: 'ALTER TABLE "Order" ADD CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") NOT VALID;', expect: [] },
  { rule: 'check-constraint-validation', name: 'ADD CHECK ... NOT VALID', sql: 'ALTER TABLE "Order" ADD CONSTRAINT "Order_total_check" CHECK ("total" >= 0) NOT VALID;', expect: [] },
  { rule: 'unique-constraint', name: 'ADD UNIQUE USING INDEX', sql: 'ALTER TABLE "Order" ADD CONSTRAINT "Order_code_key" UNIQUE USING INDEX "Order_code_key";', expect: [] },
  { rule: 'add-required-column', name: 'ADD COLUMN NOT NULL with a constant default', sql: 'ALTER TABLE "Order" ADD COLUMN "code" TEXT NOT NULL DEFAULT \'\';', expect: [] },
  { rule: 'volatile-default', name: 'ADD COLUMN with a constant default', sql: 'ALTER TABLE "Order" ADD COLUMN "flag" BOOLEAN NOT NULL DEFAULT false;', expect: [] },
  { rule: 'non-concurrent-index-drop', name: 'DROP INDEX CONCURRENTLY', sql: 'DROP INDEX CONCURRENTLY "Order_userId_idx";', expect: [] },
  { rule: 'unbounded-data-change', name: 'UPDATE with a WHERE', sql: 'UPDATE "Order" SET "note" = NULL WHERE "id" = 1;', expect: [] },
  { rule: 'lock-timeout-missing', name: 'a lock_timeout set first', sql: "SET lock_timeout = '2s';\nALTER TABLE \"Order\" ADD COLUMN \"note2\" TEXT;", expect: [] },
];

/** The same statements on a table created earlier in the same migration: no rows, no hazard. */
const CREATED_HERE = 'CREATE TABLE "Order" ("id" INTEGER, "userId" INTEGER, "note" TEXT, "code" TEXT, "total" INTEGER);\n';

describe('unknown is not safe: tables no migration creates', () => {
  describe('the classic cases are flagged', () => {
    for (const c of FLAGGED) it(`${c.rule}: ${c.name}`, async () => assert.deepEqual(await lintIds(c.sql, { rules: [c.rule] }), c.expect));
  });

  describe('their safe counterparts stay quiet', () => {
    for (const c of QUIET) it(`${c.rule}: ${c.name}`, async () => assert.deepEqual(await lintIds(c.sql, { rules: [c.rule] }), c.expect));
  });

  describe('and so does each of them on a table created earlier in the same migration', () => {
    for (const c of FLAGGED) {
      if (c.rule === 'rename-table' || c.rule === 'rename-column' || c.rule === 'drop-table') continue;
      it(`${c.rule}: ${c.name}`, async () => assert.deepEqual(await lintIds(CREATED_HERE + c.sql, { rules: [c.rule] }), []));
    }
  });

  it('the message says the table is not known from the migrations', async () => {
    const [f] = await lint('CREATE INDEX "Order_userId_idx" ON "Order"("userId");', { rules: ['non-concurrent-index'] });
    assert.equal(f.message, `Building this index takes a SHARE lock on "Order": inserts, updates and deletes wait until the whole build finishes. ${NOTE}`);
    assert.equal(f.severity, 'warning');
    assert.equal(f.uncertain, undefined);
  });

  it('a table an earlier migration creates gets no such sentence', async () => {
    const [f] = await lint('CREATE INDEX "Order_userId_idx" ON "Order"("userId");', { setup: CREATED_HERE, rules: ['non-concurrent-index'] });
    assert.ok(!f.message.includes('not created by any earlier migration'), f.message);
  });

  it('lock-timeout-missing names the table and says it is not known', async () => {
    const [f] = await lint('ALTER TABLE "Order" ADD COLUMN "note2" TEXT;', { rules: ['lock-timeout-missing'] });
    assert.equal(f.message, `This statement takes an ACCESS EXCLUSIVE lock on "Order" (blocks all reads and writes) with no lock_timeout set: while it waits for running queries on the table, every new query on it queues behind it. ${NOTE}`);
  });

  it('DROP INDEX of an index no migration creates: flagged, the lock is on its table, which is not known', async () => {
    const [drop] = await lint('DROP INDEX "Order_userId_idx";', { rules: ['non-concurrent-index-drop'] });
    assert.match(drop.message, /^Dropping index "Order_userId_idx" takes an ACCESS EXCLUSIVE lock on its table .* "Order_userId_idx" is not created by any earlier migration, so its table is not known from the migrations/);
    const [timeout] = await lint('DROP INDEX "Order_userId_idx";', { rules: ['lock-timeout-missing'] });
    assert.match(timeout.message, /^This statement takes an ACCESS EXCLUSIVE lock on the table of index "Order_userId_idx" \(blocks all reads and writes; no earlier migration creates the index/);
  });

  it('the lock facts name the table a DROP TABLE locks, and mark IF EXISTS of an unknown table uncertain', async () => {
    await ensureSqlParser();
    const report = analyzeAlone('DROP TABLE "Order";\nDROP TABLE IF EXISTS "Legacy";\nCREATE TABLE "T" ("a" INT);\nCREATE INDEX "T_a_idx" ON "T"("a");\nCREATE INDEX "Order_x_idx" ON "Order"("x");').report;
    const facts = report.statements.map((s) => s.facts);
    assert.deepEqual(facts[0].locks, [{ table: 'public.Order', mode: 'AccessExclusiveLock' }]);
    assert.equal(facts[0].uncertain, undefined);
    assert.deepEqual([facts[1].locks, facts[1].uncertain], [[{ table: 'public.Legacy', mode: 'AccessExclusiveLock' }], true]);
    // New means created by this migration; "Order" is not created here, so it may hold rows.
    assert.deepEqual([facts[2].newTables, facts[3].newTables, facts[4].newTables], [['public.T'], ['public.T'], []]);
  });

  describe('a rule that needs a fact nobody knows says so in a note', () => {
    it('ALTER COLUMN TYPE: whether it rewrites needs the current type', async () => {
      const findings = await lint('ALTER TABLE "Order" ALTER COLUMN "total" SET DATA TYPE BIGINT;', { rules: ['rewrite-column-type', 'narrowing-type-change'] });
      assert.deepEqual(findings.map((f) => [f.rule, f.severity, f.uncertain]), [['rewrite-column-type', 'info', true]]);
      assert.equal(
        findings[0].message,
        `Cannot tell whether changing "total" of "Order" to bigint rewrites the table or can fail on existing values: the column's current type is not known from the migrations. ${NOTE} The change holds an ACCESS EXCLUSIVE lock on "Order" (blocks all reads and writes) for as long as it runs.`,
      );
    });

    it('the note stays a note whatever severity the rule is configured to', async () => {
      await ensureSqlParser();
      const run = (severity: 'error' | 'off') =>
        analyzeAlone('ALTER TABLE "Order" ALTER COLUMN "total" SET DATA TYPE BIGINT;', (id, s) => (id === 'rewrite-column-type' ? severity : s)).findings.filter((f) => f.rule === 'rewrite-column-type');
      assert.deepEqual(run('error').map((f) => f.severity), ['info']);
      assert.deepEqual(run('off'), []);
    });

    it('a known column and type are judged as before: widening varchar to text is quiet', async () => {
      assert.deepEqual(await lintIds('ALTER TABLE "Order" ALTER COLUMN "note" SET DATA TYPE TEXT;', { setup: 'CREATE TABLE "Order" ("note" VARCHAR(10));', rules: ['rewrite-column-type'] }), []);
    });

    it("Prisma's enum recreation on an enum no migration creates: which values go is not known", async () => {
      const sql = 'BEGIN;\nCREATE TYPE "Status_new" AS ENUM (\'OPEN\');\nALTER TABLE "Order" ALTER COLUMN "status" TYPE "Status_new" USING ("status"::text::"Status_new");\nALTER TYPE "Status" RENAME TO "Status_old";\nALTER TYPE "Status_new" RENAME TO "Status";\nDROP TYPE "Status_old";\nCOMMIT;';
      const findings = await lint(sql, { rules: ['drop-enum-value', 'rewrite-column-type'] });
      assert.deepEqual(findings.map((f) => `${f.rule}@${f.range.start.line}:${f.severity}`), ['drop-enum-value@2:info', 'rewrite-column-type@3:warning']);
      assert.match(findings[0].message, /^Cannot tell which values recreating enum "Status" removes \(used by "Order"\."status"\)/);
    });
  });

  it('SET NOT NULL stays quiet where the migrations show the column is already NOT NULL', async () => {
    assert.deepEqual(await lintIds('ALTER TABLE "Order" ALTER COLUMN "id" SET NOT NULL;', { setup: 'CREATE TABLE "Order" ("id" INTEGER NOT NULL);', rules: ['set-not-null'] }), []);
  });
});
