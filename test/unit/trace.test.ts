/**
 * The dry run observes what PostgreSQL 18 really does. One PGlite instance serves the statement
 * cases (the schema is reset between them); traceMigration runs end to end a few times.
 */
import { strict as assert } from 'node:assert';
import { parseMigrationSql } from '../../src/core/sql/parse-migration';
import { ensureSqlParser } from '../../src/core/sql/parser';
import { startPglite, type PgliteDatabase } from '../../src/core/trace/pglite-engine';
import { startPostgres } from '../../src/core/trace/postgres-engine';
import { redactSecrets, redactUrl } from '../../src/core/trace/redact';
import { ReplayCache } from '../../src/core/trace/replay-cache';
import { runMigration, type RunMode } from '../../src/core/trace/run-migration';
import { insertSampleRows } from '../../src/core/trace/sample-rows';
import { traceMigration } from '../../src/core/trace/trace-migration';

describe('dry run (trace)', function () {
  this.timeout(120_000);
  let db: PgliteDatabase;
  before(async () => {
    await ensureSqlParser();
    db = await startPglite([]);
  });
  after(async () => db?.close());
  beforeEach(async () => db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;'));

  const setup = (sql: string) => db.exec(sql);
  const run = (sql: string, mode: RunMode) => runMigration(db, parseMigrationSql(sql), mode);
  const locksOf = (r: Awaited<ReturnType<typeof run>>, i: number) => r.statements[i].locks.map((l) => `${l.table} ${l.mode}`);

  describe('observed locks and rewrites', () => {
    const cases: { name: string; setup: string; sql: string; locks: string[]; rewrites: string[] }[] = [
      {
        name: 'ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE on both tables (PostgreSQL 18)',
        setup: 'CREATE TABLE "User"(id int PRIMARY KEY); CREATE TABLE "Post"(id int PRIMARY KEY, "authorId" int);',
        sql: 'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;',
        locks: ['public.Post ShareRowExclusiveLock', 'public.User ShareRowExclusiveLock'],
        rewrites: [],
      },
      {
        name: 'int to bigint rewrites the table under ACCESS EXCLUSIVE',
        setup: 'CREATE TABLE "Product"(id int PRIMARY KEY, n int);',
        sql: 'ALTER TABLE "Product" ALTER COLUMN "n" SET DATA TYPE BIGINT;',
        locks: ['public.Product AccessExclusiveLock'],
        rewrites: ['public.Product'],
      },
      {
        name: 'varchar(10) to varchar(20) does not rewrite',
        setup: 'CREATE TABLE "Product"(id int PRIMARY KEY, code varchar(10));',
        sql: 'ALTER TABLE "Product" ALTER COLUMN "code" SET DATA TYPE VARCHAR(20);',
        locks: ['public.Product AccessExclusiveLock'],
        rewrites: [],
      },
      {
        name: 'CREATE INDEX takes SHARE (blocks writes, not reads)',
        setup: 'CREATE TABLE "Product"(id int PRIMARY KEY, code text);',
        sql: 'CREATE INDEX "Product_code_idx" ON "Product"("code");',
        locks: ['public.Product ShareLock'],
        rewrites: [],
      },
      {
        name: 'VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE on the table and ROW SHARE on the referenced one',
        setup: 'CREATE TABLE "User"(id int PRIMARY KEY); CREATE TABLE "Post"(id int PRIMARY KEY, "authorId" int); ALTER TABLE "Post" ADD CONSTRAINT f FOREIGN KEY ("authorId") REFERENCES "User"(id) NOT VALID;',
        sql: 'ALTER TABLE "Post" VALIDATE CONSTRAINT f;',
        locks: ['public.Post ShareUpdateExclusiveLock', 'public.User RowShareLock'],
        rewrites: [],
      },
      {
        name: 'TRUNCATE replaces the storage',
        setup: 'CREATE TABLE "Log"(id int);',
        sql: 'TRUNCATE "Log";',
        locks: ['public.Log AccessExclusiveLock'],
        rewrites: ['public.Log'],
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        await setup(c.setup);
        const r = await run(c.sql, 'split');
        assert.equal(r.outcome, 'applied');
        assert.equal(r.statements[0].locksObserved, true);
        assert.deepEqual(locksOf(r, 0), c.locks);
        assert.deepEqual(r.statements[0].rewrites, c.rewrites);
        assert.ok(r.statements[0].durationMs >= 0);
      });
    }
  });

  describe('batch and split execution', () => {
    const FILE = [
      '-- AlterTable',
      'ALTER TABLE "Product" ADD COLUMN "barcode" TEXT;',
      '',
      '-- CreateIndex',
      'CREATE INDEX CONCURRENTLY "Product_barcode_idx" ON "Product"("barcode");',
      '',
    ].join('\n');

    it('a batch fails with 25001 exactly at CONCURRENTLY next to another statement, and nothing stays applied', async () => {
      await setup('CREATE TABLE "Product"(id int PRIMARY KEY);');
      const r = await run(FILE, 'batch');
      assert.equal(r.outcome, 'failed');
      assert.deepEqual(r.statements.map((s) => s.status), ['rolled-back', 'failed']);
      assert.deepEqual(locksOf(r, 0), ['public.Product AccessExclusiveLock']);
      const e = r.statements[1].error!;
      assert.equal(e.sqlstate, '25001');
      assert.match(e.message, /CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
      assert.deepEqual([e.line, e.column], [5, 1]);
      const cols = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'Product' AND column_name = 'barcode'`);
      assert.equal(cols[0].n, 0);
    });

    it('PostgreSQL itself fails the same file sent as one batch with the same SQLSTATE', async () => {
      await setup('CREATE TABLE "Product"(id int PRIMARY KEY);');
      await assert.rejects(db.exec(FILE), (e: { code?: string }) => e.code === '25001');
    });

    it('a lone CONCURRENTLY runs (outside a transaction block), its locks reported as not observable', async () => {
      await setup('CREATE TABLE "Product"(id int PRIMARY KEY, barcode text);');
      const r = await run('CREATE INDEX CONCURRENTLY "Product_barcode_idx" ON "Product"("barcode");', 'batch');
      assert.equal(r.outcome, 'applied');
      assert.equal(r.statements[0].locksObserved, false);
      assert.deepEqual(r.statements[0].locks, []);
    });

    it('split mode leaves the statements before a failure applied (partial application)', async () => {
      await setup('CREATE TABLE "Product"(id int PRIMARY KEY);');
      const r = await run('ALTER TABLE "Product" ADD COLUMN "a" TEXT;\nALTER TABLE "Missing" ADD COLUMN "b" TEXT;\nALTER TABLE "Product" ADD COLUMN "c" TEXT;\n', 'split');
      assert.equal(r.outcome, 'partially-applied');
      assert.deepEqual(r.statements.map((s) => s.status), ['applied', 'failed', 'not-run']);
      assert.equal(r.statements[1].error!.sqlstate, '42P01');
      const cols = await db.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'Product' ORDER BY 1`);
      assert.deepEqual(cols.map((c) => c.column_name), ['a', 'id']);
    });

    it('a batch with the file\'s own BEGIN ... COMMIT (Prisma\'s enum block) applies', async () => {
      await setup(`CREATE TYPE "Role" AS ENUM ('A', 'B'); CREATE TABLE "User"(id int PRIMARY KEY, role "Role");`);
      const r = await run(
        `BEGIN;\nCREATE TYPE "Role_new" AS ENUM ('A');\nALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");\nALTER TYPE "Role" RENAME TO "Role_old";\nALTER TYPE "Role_new" RENAME TO "Role";\nDROP TYPE "public"."Role_old";\nCOMMIT;\n`,
        'batch',
      );
      assert.equal(r.outcome, 'applied');
      assert.deepEqual(r.statements[2].rewrites, ['public.User']);
      assert.deepEqual(locksOf(r, 2), ['public.User AccessExclusiveLock']);
    });

    it('a batch opening with BEGIN; SET TRANSACTION ISOLATION LEVEL runs (no observation query precedes it)', async () => {
      await setup('CREATE TABLE "Job"(id int PRIMARY KEY, state text);');
      const r = await run('BEGIN;\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nUPDATE "Job" SET "state" = \'done\';\nCOMMIT;\n', 'batch');
      assert.equal(r.outcome, 'applied');
      assert.deepEqual(locksOf(r, 2), ['public.Job RowExclusiveLock']);
    });

    it('ALTER TYPE ... ADD VALUE then using the value in the same batch fails with 55P04', async () => {
      await setup(`CREATE TYPE "Role" AS ENUM ('A'); CREATE TABLE "User"(id int PRIMARY KEY, role "Role");`);
      const r = await run(`ALTER TYPE "Role" ADD VALUE 'B';\nALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'B';\n`, 'batch');
      assert.equal(r.outcome, 'failed');
      assert.equal(r.statements[1].error!.sqlstate, '55P04');
      const split = await run(`ALTER TYPE "Role" ADD VALUE 'B';\nALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'B';\n`, 'split');
      assert.equal(split.outcome, 'applied');
    });
  });

  describe('error positions', () => {
    it('maps PostgreSQL\'s character position to the file\'s line and column (astral characters included)', async () => {
      await setup('CREATE TABLE "Product"(id int PRIMARY KEY, name text);');
      const sql = `-- 𝄞 comment before\nUPDATE "Product"\n   SET "name" = '𝄞𝄞'\n WHERE "nope" = 1;\n`;
      const r = await run(sql, 'split');
      const e = r.statements[0].error!;
      assert.equal(e.sqlstate, '42703');
      assert.deepEqual([e.line, e.column], [4, 8]);
      assert.equal(sql.slice(e.offset, e.offset + 6), '"nope"');
    });

    it('a syntax error in a batch is reported where the server finds it, and nothing runs', async () => {
      await setup('CREATE TABLE "Product"(id int PRIMARY KEY);');
      const r = await run('ALTER TABLE "Product" ADD COLUMN "a" TEXT;\nUPDATE "Product" SET "a" = 1 "x" = 2;\n', 'batch');
      assert.equal(r.outcome, 'failed');
      assert.deepEqual(r.statements.map((s) => s.status), ['not-run', 'failed']);
      const e = r.statements[1].error!;
      assert.equal(e.sqlstate, '42601');
      assert.deepEqual([e.line, e.column], [2, 30]);
    });
  });

  describe('sample rows', () => {
    it('make data-dependent failures show: a required column without default, SET NOT NULL over NULLs', async () => {
      await setup('CREATE TABLE "User"(id serial PRIMARY KEY, email text NOT NULL, nick text); CREATE TABLE "Post"(id uuid PRIMARY KEY, "authorId" int NOT NULL REFERENCES "User"(id), at timestamp(3) NOT NULL, tags text[] NOT NULL);');
      const rows = await insertSampleRows(db);
      assert.deepEqual(rows.failed, []);
      assert.deepEqual(rows.inserted.sort(), ['public.Post', 'public.User']);
      const r = await run('ALTER TABLE "Post" ADD COLUMN "title" TEXT NOT NULL;', 'split');
      assert.equal(r.statements[0].error?.sqlstate, '23502');
      const r2 = await run('ALTER TABLE "User" ALTER COLUMN "nick" SET NOT NULL;', 'split');
      assert.equal(r2.statements[0].error?.sqlstate, '23502');
    });
  });

  describe('traceMigration end to end', () => {
    const history = [
      { name: '20240101000000_init', text: 'CREATE TABLE "User"(id int PRIMARY KEY);\nCREATE TABLE "Post"(id int PRIMARY KEY, "authorId" int, n int);\n' },
      { name: '20240201000000_fk', text: 'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\nALTER TABLE "Post" ALTER COLUMN "n" SET DATA TYPE BIGINT;\n' },
    ];

    it('replays the history, traces the last migration, and is warm the second time', async () => {
      const cache = new ReplayCache(null);
      const cold = await traceMigration(history, { prismaVersion: '7.4.0', cache });
      assert.equal(cold.engine, 'pglite');
      assert.match(cold.serverVersion, /PostgreSQL 18/);
      assert.equal(cold.execution.mode, 'split');
      assert.equal(cold.outcome, 'applied');
      assert.equal(cold.replay.cached, false);
      assert.deepEqual(cold.statements[0].locks, [
        { table: 'public.Post', mode: 'ShareRowExclusiveLock' },
        { table: 'public.User', mode: 'ShareRowExclusiveLock' },
      ]);
      assert.deepEqual(cold.statements[1].rewrites, ['public.Post']);
      const warm = await traceMigration(history, { prismaVersion: '7.4.0', cache, sampleRows: true });
      assert.equal(warm.replay.cached, true);
      assert.equal(warm.replay.migrations, 1);
      assert.deepEqual(warm.sampleRows?.failed, []);
      assert.deepEqual(warm.statements.map((s) => s.status), ['applied', 'applied']);
    });

    it('reports an extension PGlite lacks instead of crashing', async () => {
      const r = await traceMigration([{ name: '1_vector', text: 'CREATE EXTENSION IF NOT EXISTS "vector";\nCREATE TABLE "Doc"(id int PRIMARY KEY);\n' }], { prismaVersion: '7.4.0', cache: null });
      assert.deepEqual(r.extensions.unsupported, ['vector']);
      assert.ok(r.notices.some((n) => n.includes('"vector"')));
      assert.equal(r.statements[0].status, 'failed');
      assert.equal(r.outcome, 'failed');
    });
  });

  describe('database URLs are never printed with their password', () => {
    it('redactUrl masks the password in userinfo and in parameters', () => {
      assert.equal(redactUrl('postgresql://admin:s3cr%40t@db.example:5432/app?sslmode=require'), 'postgresql://admin:****@db.example:5432/app?sslmode=require');
      assert.equal(redactUrl('postgres://u@h/db?password=hunter2'), 'postgres://u@h/db?password=****');
      assert.equal(redactUrl('not a url user:pw@host'), 'not a url user:pw@host');
    });

    it('an unparsable URL has everything between :// and the last @ masked, a raw @ in the password included', () => {
      const url = 'postgresql://admin:p@ss:w@rd@db.example:notaport/app';
      assert.throws(() => new URL(url));
      assert.equal(redactUrl(url), 'postgresql://****@db.example:notaport/app');
    });

    for (const password of ['postgres', 'public', 'Lock', 'e']) {
      it(`redactSecrets with the password "${password}" changes only the URL (a JSON report stays valid and equal)`, () => {
        const url = `postgresql://tracer:${password}@127.0.0.1:5432/postgres`;
        const report = JSON.stringify({ engine: 'postgres', locks: [{ table: 'public.Product', mode: 'AccessExclusiveLock' }], notices: [`cannot connect (${url})`] }, null, 2);
        const out = redactSecrets(report, url);
        const parsed = JSON.parse(out);
        assert.equal(parsed.engine, 'postgres');
        assert.deepEqual(parsed.locks, [{ table: 'public.Product', mode: 'AccessExclusiveLock' }]);
        assert.deepEqual(parsed.notices, ['cannot connect (postgresql://tracer:****@127.0.0.1:5432/postgres)']);
      });
    }

    it('a connection failure names the server without the password', async () => {
      const url = 'postgresql://preflight:topsecret@127.0.0.1:1/postgres';
      await assert.rejects(startPostgres(url), (e: Error) => !e.message.includes('topsecret') && e.message.includes('****'));
      await assert.rejects(
        traceMigration([{ name: '1', text: 'SELECT 1;' }], { prismaVersion: null, shadowDatabaseUrl: url }),
        (e: Error) => !e.message.includes('topsecret'),
      );
    });
  });
});
