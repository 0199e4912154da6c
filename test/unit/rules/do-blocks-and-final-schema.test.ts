/**
 * Issue 17: DO blocks read with PL/pgSQL's parser, consequences judged on the schema the whole
 * history leaves, and a lone SQL file. Every lock claim is confirmed in PostgreSQL 18 (PGlite's
 * pg_locks, read inside the statement's transaction): the DO block runs its body as one statement,
 * in one transaction, taking the locks its statements take ("DO", PL/pgSQL "Basic Statements").
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeMigration } from '../../../src/core/analysis/analyze-migration';
import { analyzeProject } from '../../../src/core/analysis/analyze-project';
import { HistoryAnalyzer } from '../../../src/core/analysis/history';
import { discoverProject } from '../../../src/core/project/discover';
import { RULES } from '../../../src/core/rules/index';
import { ensureSqlParser } from '../../../src/core/sql/parser';
import { startPglite, type PgliteDatabase } from '../../../src/core/trace/pglite-engine';
import { checkProjects } from '../../../src/cli/check-projects';
import { toJsonReport } from '../../../src/cli/format/json';
import type { StatementFacts } from '../../../src/core/types';
import { lint } from '../support/lint';

const INIT = `CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Post" ("id" INTEGER NOT NULL, "authorId" INTEGER, "b" TEXT, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));`;

const GUARDED_FK = `DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'Post_authorId_fkey') THEN
    ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL;
  END IF;
END $$;`;

const opts = { prismaVersion: '7.3.0', rules: RULES, severityOf: (_: string, s: 'error' | 'warning' | 'info') => s, fileOfMigration: () => null };

async function factsOf(setup: string, sql: string): Promise<StatementFacts[]> {
  await ensureSqlParser();
  const { catalog } = new HistoryAnalyzer().analyze([{ name: 'm0', file: '/m0.sql', text: setup }], opts, 'k');
  return analyzeMigration({ name: 'm1', file: '/m1.sql', text: sql }, catalog, opts).report.statements.map((s) => s.facts);
}

/** Locks the statement holds in PostgreSQL, read from pg_locks before its transaction ends (rolled back). */
async function observedLocks(db: PgliteDatabase, setup: string, sql: string): Promise<string[]> {
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  await db.exec(setup);
  await db.exec('BEGIN');
  try {
    await db.exec(sql);
    const rows = await db.query<{ rel: string; mode: string }>(
      "SELECT c.relname AS rel, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND c.relkind IN ('r', 'm', 'p', 'v') AND c.relnamespace = 'public'::regnamespace",
    );
    const strongest = new Map<string, string>();
    const order = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];
    for (const r of rows) if (order.indexOf(r.mode) > order.indexOf(strongest.get(r.rel) ?? '')) strongest.set(r.rel, r.mode);
    return [...strongest].map(([t, m]) => `public.${t}:${m}`).sort();
  } finally {
    await db.exec('ROLLBACK');
  }
}

const claimed = (f: StatementFacts) => f.locks.map((l) => `${l.table}:${l.mode}`).sort();

describe('issue 17: DO blocks, consequences on the final schema, a lone SQL file', function () {
  this.timeout(120_000);
  let db: PgliteDatabase;
  before(async () => {
    db = await startPglite([]);
  });
  after(async () => {
    await db?.close();
  });

  describe('DO blocks', () => {
    it('the IF NOT EXISTS ... ADD CONSTRAINT pattern: SHARE ROW EXCLUSIVE on both tables (may: in a branch), as pg_locks shows', async () => {
      const [facts] = await factsOf(INIT, GUARDED_FK);
      assert.deepEqual(claimed(facts), ['public.Post:ShareRowExclusiveLock', 'public.User:ShareRowExclusiveLock']);
      assert.ok(facts.locks.every((l) => l.may));
      assert.equal(facts.uncertain, undefined);
      assert.deepEqual(await observedLocks(db, INIT, GUARDED_FK), claimed(facts));
    });

    it('a lock only a branch takes: lock-timeout-missing and locks-accumulate say "may" / "if the branch ... ran"; pg_locks shows the lock only when the branch runs', async () => {
      const branchAdd = `DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'Post' AND column_name = 'c') THEN
    ALTER TABLE "Post" ADD COLUMN "c" TEXT;
  END IF;
END $$;`;
      const [timeout] = await lint(branchAdd, { setup: INIT, rules: ['lock-timeout-missing'] });
      assert.match(timeout.message, /^This statement may take an ACCESS EXCLUSIVE lock on "Post" \(blocks all reads and writes\), only if the branch of its DO block that takes it runs, with no lock_timeout set: /);
      const [accumulate] = await lint(`${branchAdd}\nCREATE INDEX "User_id_idx" ON "User"("id");`, { setup: INIT, rules: ['locks-accumulate'] });
      assert.match(accumulate.message, /the ACCESS EXCLUSIVE lock on "Post" \(blocks all reads and writes\) taken on line 1 is still held if the branch of the DO block that takes it ran\./);
      // A statement that certainly takes the lock still says "takes".
      const [plain] = await lint('ALTER TABLE "Post" ADD COLUMN "c" TEXT;', { setup: INIT, rules: ['lock-timeout-missing'] });
      assert.match(plain.message, /^This statement takes an ACCESS EXCLUSIVE lock on "Post"/);
      // PostgreSQL: the branch runs (no column "c" yet): ACCESS EXCLUSIVE on "Post"; it does not: no lock on "Post".
      assert.deepEqual(await observedLocks(db, INIT, branchAdd), ['public.Post:AccessExclusiveLock']);
      assert.deepEqual(await observedLocks(db, `${INIT}\nALTER TABLE "Post" ADD COLUMN "c" TEXT;`, branchAdd), []);
    });

    it('expressions PL/pgSQL runs as queries are read for locks: assignments, PERFORM, SELECT ... INTO, DECLARE defaults, RAISE; pg_locks agrees with each claim', async () => {
      const cases: [string, string[]][] = [
        ['DO $$ DECLARE n integer; BEGIN n := (SELECT count(*) FROM "Post"); END $$;', ['public.Post:AccessShareLock']],
        ['DO $$ DECLARE n integer; BEGIN n = count(*) FROM "Post"; END $$;', ['public.Post:AccessShareLock']],
        ['DO $$ DECLARE r record; BEGIN SELECT 1 AS x INTO r; r.x := (SELECT max("id") FROM "User"); END $$;', ['public.User:AccessShareLock']],
        ['DO $$ BEGIN PERFORM 1 FROM "Post" FOR UPDATE; END $$;', ['public.Post:RowShareLock']],
        ['DO $$ DECLARE n integer; BEGIN SELECT count(*) INTO n FROM "Post"; END $$;', ['public.Post:AccessShareLock']],
        ['DO $$ DECLARE n integer; BEGIN SELECT "id" INTO n FROM "Post" FOR UPDATE; END $$;', ['public.Post:RowShareLock']],
        ['DO $$ DECLARE n integer := (SELECT count(*) FROM "User"); BEGIN NULL; END $$;', ['public.User:AccessShareLock']],
        [`DO $$ BEGIN RAISE NOTICE '%', (SELECT count(*) FROM "User"); END $$;`, ['public.User:AccessShareLock']],
      ];
      for (const [sql, expected] of cases) {
        const [facts] = await factsOf(INIT, sql);
        assert.deepEqual(claimed(facts), expected, sql);
        assert.ok(facts.locks.every((l) => !l.may), sql);
        assert.deepEqual(await observedLocks(db, INIT, sql), expected, `pg_locks for ${sql}`);
      }
      // In a branch, the assignment's lock is one the block may take; the inner statement is the expression, at its place.
      const inBranch = 'DO $$ DECLARE n integer; BEGIN IF random() > 2 THEN n := (SELECT count(*) FROM "Post"); END IF; END $$;';
      const [facts] = await factsOf(INIT, inBranch);
      assert.deepEqual(facts.locks, [{ table: 'public.Post', mode: 'AccessShareLock', may: true }]);
      assert.deepEqual(await observedLocks(db, INIT, inBranch), [], 'the branch does not run: no lock');
    });

    it('rules apply to the statement inside the body, at its exact range, saying it runs in a branch', async () => {
      const findings = await lint(GUARDED_FK, { setup: INIT, rules: ['foreign-key-validation', 'foreign-key-without-index'] });
      const fk = findings.find((f) => f.rule === 'foreign-key-validation')!;
      assert.ok(fk, 'foreign-key-validation inside the DO block');
      assert.equal(fk.range.start.line, 3); // 1-based: the ALTER TABLE line
      assert.equal(GUARDED_FK.slice(fk.range.startOffset, fk.range.endOffset), 'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL');
      assert.match(fk.message, /inside the DO block on line 1, in a guarded part/);
      assert.equal(fk.fixes, undefined);
      assert.ok(findings.some((f) => f.rule === 'foreign-key-without-index'));
    });

    it('EXECUTE of a string literal is parsed: CREATE INDEX takes SHARE (pg_locks agrees), flagged inside the literal', async () => {
      const sql = `DO $$ BEGIN EXECUTE 'CREATE INDEX "Post_b_idx" ON "Post"("b")'; END $$;`;
      const [facts] = await factsOf(INIT, sql);
      assert.deepEqual(claimed(facts), ['public.Post:ShareLock']);
      assert.deepEqual(await observedLocks(db, INIT, sql), claimed(facts));
      const [f] = await lint(sql, { setup: INIT, rules: ['non-concurrent-index'] });
      assert.equal(sql.slice(f.range.startOffset, f.range.endOffset), 'CREATE INDEX "Post_b_idx" ON "Post"("b")');
      assert.match(f.message, /run by EXECUTE of a string literal/);
    });

    it('dynamic SQL stays uncertain, with its reason in the facts and in the JSON', async () => {
      const sql = `DO $$ BEGIN EXECUTE format('ALTER TABLE %I ADD COLUMN c int', 'Post'); END $$;`;
      const [facts] = await factsOf(INIT, sql);
      assert.equal(facts.uncertain, true);
      assert.match(facts.uncertainReason!, /dynamic SQL \(EXECUTE of format\('ALTER TABLE %I/);
      const json = toJsonReport({ prismaVersion: '7.3.0', migrations: [{ name: 'm1', file: '/m1.sql', execution: { mode: 'batch', reason: '' } as never, statements: [{ index: 0, range: { startOffset: 0, endOffset: 1, start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } as never, facts }] }], findings: [], notices: [] }, '/');
      assert.equal(json.migrations[0].statements[0].uncertain, true);
      assert.match(json.migrations[0].statements[0].uncertainReason!, /dynamic SQL/);
    });

    it('a table a DO block created, or one it altered, is an existing table for a later migration: CREATE INDEX is flagged on both', async () => {
      const doBlock = `DO $$ BEGIN\n  CREATE TABLE IF NOT EXISTS "Audit" ("id" INTEGER, "at" TIMESTAMP(3));\n  ALTER TABLE "Post" ADD COLUMN IF NOT EXISTS "c" INTEGER;\nEND $$;`;
      const findings = await lint('CREATE INDEX "Audit_at_idx" ON "Audit"("at");\nCREATE INDEX "Post_c_idx" ON "Post"("c");', { setup: [INIT, doBlock], rules: ['non-concurrent-index'] });
      assert.deepEqual(findings.map((f) => f.range.start.line), [1, 2]); // 1-based
    });
  });

  describe('consequences on the schema the whole history leaves', () => {
    it('a later SET NOT NULL under an ON DELETE SET NULL foreign key is set-null-on-required-column; PostgreSQL then fails the delete (23502)', async () => {
      const fk = 'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;';
      const later = 'ALTER TABLE "Post" ALTER COLUMN "authorId" SET NOT NULL;';
      const [f] = await lint(later, { setup: [INIT, fk], rules: ['set-null-on-required-column'] });
      assert.ok(f, 'flagged where the combination arises');
      assert.match(f.message, /fails with a NOT NULL violation \(23502\)/);
      assert.doesNotMatch(f.message, /orphan/);
      assert.equal(later.slice(f.range.startOffset, f.range.endOffset), 'ALTER COLUMN "authorId" SET NOT NULL');
      await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      await db.exec(`${INIT}\n${fk}\n${later}\nINSERT INTO "User" VALUES (1); INSERT INTO "Post" VALUES (1, 1, 'x');`);
      await assert.rejects(db.exec('DELETE FROM "User" WHERE "id" = 1'), (e: { code?: string }) => e.code === '23502');
    });

    it('REFRESH MATERIALIZED VIEW claims ACCESS SHARE on the tables its query reads, as pg_locks shows', async () => {
      const setup = `${INIT}\nCREATE VIEW "v" AS SELECT * FROM "User";\nCREATE MATERIALIZED VIEW "mv" AS SELECT p."id" FROM "Post" p JOIN "v" ON v."id" = p."authorId";`;
      const sql = 'REFRESH MATERIALIZED VIEW "mv";';
      const [facts] = await factsOf(setup, sql);
      assert.deepEqual(claimed(facts), ['public.Post:AccessShareLock', 'public.User:AccessShareLock', 'public.mv:AccessExclusiveLock', 'public.v:AccessShareLock']);
      assert.deepEqual(await observedLocks(db, setup, sql), claimed(facts));
    });

    it('foreign-key-without-index says a later migration adds the index', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'preflight-17-'));
      const m = (name: string, sql: string) => {
        mkdirSync(path.join(dir, 'prisma/migrations', name), { recursive: true });
        writeFileSync(path.join(dir, 'prisma/migrations', name, 'migration.sql'), sql);
      };
      m('1_init', INIT);
      writeFileSync(path.join(dir, 'prisma/migrations/migration_lock.toml'), 'provider = "postgresql"\n');
      m('2_fk', 'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;');
      m('3_ix', 'CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");');
      const { result } = await analyzeProject(discoverProject(dir, { prismaVersion: '7.3.0' }));
      const f = result.findings.find((x) => x.rule === 'foreign-key-without-index')!;
      assert.match(f.message, /A later migration, 3_ix, adds index "Post_authorId_idx", which covers it/);
    });
  });

  it('a lone SQL file outside any Prisma project is reviewed as a migration with no known history, with a note', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'preflight-17-lone-'));
    writeFileSync(path.join(dir, 'diff.sql'), 'CREATE INDEX "Post_b_idx" ON "Post"("b");\n');
    const [result] = await checkProjects([path.join(dir, 'diff.sql')], { since: undefined, config: undefined, prismaVersion: '7.3.0' }, dir);
    assert.deepEqual(result.findings.map((f) => f.rule).filter((r) => r === 'non-concurrent-index'), ['non-concurrent-index']);
    assert.ok(result.notices.some((n) => /not inside a Prisma project: reviewed as one migration with no known history/.test(n)));
  });

  it('a lone SQL file has no migrations folder: no fix offers a new migration folder; fixes that edit the file itself stay', async () => {
    const sql = 'ALTER TABLE "Post" ADD COLUMN "c" TEXT;\nCREATE INDEX "Post_b_idx" ON "Post"("b");\n';
    const dir = mkdtempSync(path.join(tmpdir(), 'preflight-17-lone-fix-'));
    writeFileSync(path.join(dir, 'diff.sql'), sql);
    const [lone] = await checkProjects([path.join(dir, 'diff.sql')], { since: undefined, config: undefined, prismaVersion: '7.3.0' }, dir);
    const fixesOf = (fs: typeof lone.findings) => fs.flatMap((f) => (f.fixes ?? []).map((x) => `${f.rule}: ${x.newFiles?.length ? 'new folder' : 'in place'}`)).sort();
    assert.ok(lone.findings.some((f) => f.rule === 'non-concurrent-index'));
    assert.deepEqual(fixesOf(lone.findings).filter((x) => x.endsWith('new folder')), []);
    assert.ok(fixesOf(lone.findings).includes('lock-timeout-missing: in place'));
    // The same file as a migration of a project: the move into a new migration folder is offered.
    const project = mkdtempSync(path.join(tmpdir(), 'preflight-17-project-fix-'));
    mkdirSync(path.join(project, 'prisma/migrations/20250101000000_m'), { recursive: true });
    writeFileSync(path.join(project, 'prisma/migrations/migration_lock.toml'), 'provider = "postgresql"\n');
    writeFileSync(path.join(project, 'prisma/migrations/20250101000000_m/migration.sql'), sql);
    const { result } = await analyzeProject(discoverProject(project, { prismaVersion: '7.3.0' }));
    assert.ok(fixesOf(result.findings).includes('non-concurrent-index: new folder'));
  });
});
