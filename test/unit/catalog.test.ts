import { strict as assert } from 'node:assert';
import { applyStatement } from '../../src/core/catalog/apply';
import { Catalog } from '../../src/core/catalog/model';
import { HistoryAnalyzer } from '../../src/core/analysis/history';
import { RULES } from '../../src/core/rules/index';
import { parseMigrationSql } from '../../src/core/sql/parse-migration';
import { ensureSqlParser } from '../../src/core/sql/parser';

async function replay(...files: string[]): Promise<Catalog> {
  await ensureSqlParser();
  const c = new Catalog();
  files.forEach((text, m) => {
    for (const st of parseMigrationSql(text).statements) applyStatement(c, st.node, { migration: `m${m}`, statementIndex: st.index }, st.text);
  });
  return c;
}

const INIT = `CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" VARCHAR(255) NOT NULL, "role" "Role" NOT NULL DEFAULT 'USER', "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER, "price" DECIMAL(65,30), CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;`;

describe('catalog replay', () => {
  it('models what Prisma generates: columns with PostgreSQL type names, nullability, defaults, keys, indexes, enums', async () => {
    const c = await replay(INIT);
    const user = c.table('public.User')!;
    assert.deepEqual([...user.columns.values()].map((col) => [col.name, col.type.display, col.notNull, col.hasDefault]), [
      ['id', 'integer', true, true],
      ['email', 'character varying(255)', true, false],
      ['role', '"Role"', true, true],
      ['createdAt', 'timestamp(3) without time zone', true, true],
    ]);
    assert.deepEqual(c.table('public.Post')!.columns.get('price')!.type.display, 'numeric(65,30)');
    assert.deepEqual(c.findConstraint('public.Post', 'Post_authorId_fkey')!.foreignKey, { columns: ['authorId'], refTable: 'public.User', refColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' });
    assert.deepEqual(c.indexes.get('public.User_email_key'), { ...c.indexes.get('public.User_email_key')!, columns: ['email'], unique: true, table: 'public.User' });
    assert.deepEqual(c.enums.get('public.Role')!.values, ['USER', 'ADMIN']);
  });

  it('follows renames of tables, columns, indexes and constraints through foreign keys', async () => {
    const c = await replay(INIT, `ALTER TABLE "User" RENAME TO "Account";
ALTER TABLE "public"."Account" RENAME COLUMN "id" TO "account_id";
ALTER INDEX "User_email_key" RENAME TO "Account_email_key";
ALTER TABLE "Post" RENAME CONSTRAINT "Post_authorId_fkey" TO "Post_account_fkey";`);
    assert.equal(c.table('public.User'), undefined);
    assert.ok(c.table('public.Account')!.columns.has('account_id'));
    assert.deepEqual(c.findConstraint('public.Post', 'Post_account_fkey')!.foreignKey!.refTable, 'public.Account');
    assert.deepEqual(c.findConstraint('public.Post', 'Post_account_fkey')!.foreignKey!.refColumns, ['account_id']);
    assert.equal(c.indexes.get('public.Account_email_key')!.table, 'public.Account');
  });

  it('folds unquoted names to lower case and keeps quoted case', async () => {
    const c = await replay('CREATE TABLE Orders (Id int);\nCREATE TABLE "Orders" ("Id" int);');
    assert.ok(c.table('public.orders')!.columns.has('id'));
    assert.ok(c.table('public.Orders')!.columns.has('Id'));
  });

  it("replays Prisma's enum recreation: values removed, columns follow the renamed type", async () => {
    const c = await replay(INIT, `BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER');
ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "public"."Role_old";
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'USER';
COMMIT;`);
    assert.deepEqual(c.enums.get('public.Role')!.values, ['USER']);
    assert.equal(c.enums.has('public.Role_old'), false);
    assert.equal(c.table('public.User')!.columns.get('role')!.type.display, '"Role"');
  });

  it('dynamic SQL in a DO block marks what the block names uncertain instead of guessing', async () => {
    const c = await replay(INIT, `DO $$ BEGIN EXECUTE format('ALTER TABLE %I ADD COLUMN x int', 'Post'); END $$;`);
    assert.equal(c.isUncertain('public.Post'), true);
    assert.equal(c.isUncertain('public.User'), false);
  });

  it('a DO block applies the static statements of its body and the literals it EXECUTEs', async () => {
    const c = await replay(
      INIT,
      `DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'c') THEN
    ALTER TABLE "Post" ADD COLUMN "y" TEXT NOT NULL;
  END IF;
  EXECUTE 'ALTER TABLE "Post" ADD COLUMN x int';
END $$;`,
    );
    assert.equal(c.isUncertain('public.Post'), false);
    assert.equal(c.table('public.Post')!.columns.get('y')?.notNull, true);
    assert.equal(c.table('public.Post')!.columns.has('x'), true);
  });

  it('a statement in an ELSE branch of a DO block may or may not have run: its table is uncertain', async () => {
    const c = await replay(INIT, `DO $$ BEGIN IF random() > 0.5 THEN NULL; ELSE ALTER TABLE "Post" ADD COLUMN x int; END IF; END $$;`);
    assert.equal(c.isUncertain('public.Post'), true);
  });

  it('forks are independent: a change after fork() does not leak back', async () => {
    const c = await replay(INIT);
    const f = c.fork();
    applyStatement(f, parseMigrationSql('ALTER TABLE "User" ADD COLUMN "x" TEXT;').statements[0].node, { migration: 'x', statementIndex: 0 });
    assert.equal(f.table('public.User')!.columns.has('x'), true);
    assert.equal(c.table('public.User')!.columns.has('x'), false);
  });
});

describe('history cache', () => {
  it('re-analysing after an edit of the newest migration replays nothing before it', async () => {
    await ensureSqlParser();
    const files = Array.from({ length: 30 }, (_, i) => ({ name: `m${String(i).padStart(3, '0')}`, file: `/x/m${i}/migration.sql`, text: `CREATE TABLE "T${i}" ("id" INTEGER);` }));
    const opts = { prismaVersion: '7.3.0', rules: RULES, severityOf: (_: string, s: 'error' | 'warning' | 'info') => s, fileOfMigration: () => null };
    const h = new HistoryAnalyzer();
    assert.equal(h.analyze(files, opts, 'k').reused, 0);
    files[29] = { ...files[29], text: 'CREATE TABLE "T29" ("id" INTEGER);\nDROP TABLE "T3";' };
    const second = h.analyze(files, opts, 'k');
    assert.equal(second.reused, 29);
    assert.deepEqual(second.analyses[29].findings.map((f) => f.rule).filter((r) => r === 'drop-table'), ['drop-table']);
    assert.equal(h.analyze(files, opts, 'other options').reused, 0);
  });
});

describe('catalog replay of procedural blocks', () => {
  it('a DO block of plain DML (a backfill) leaves its tables certain', async () => {
    const c = await replay(INIT, `DO $$ BEGIN UPDATE "Post" SET "price" = 0 WHERE "price" IS NULL; END $$;`);
    assert.equal(c.isUncertain('public.Post'), false);
  });
});
