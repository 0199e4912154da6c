import { strict as assert } from 'node:assert';
import type { Finding } from '../../../src/core/types';
import { lint, lintIds } from '../support/lint';

const BASE = `CREATE TYPE "Status" AS ENUM ('DRAFT', 'PUBLISHED');
CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT, "name" TEXT, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER NOT NULL, "title" TEXT NOT NULL, "status" "Status" NOT NULL DEFAULT 'DRAFT', CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");`;

/** The versions where DESIGN.md's execution model differs: batch, split + broken migrate dev, split, unknown. */
const VERSIONS = ['7.3.0', '7.4.0', '7.7.2', '7.8.0', null] as const;
type Version = (typeof VERSIONS)[number];
const key = (v: Version) => String(v);

interface Case {
  name: string;
  sql: string;
  setup?: string;
  /** Same answer for every version, or per version (versions left out are not checked). */
  expect: string[] | Partial<Record<string, string[]>>;
}

/** Per-version expectations: batch = ≤ 7.3 and unknown; split = ≥ 7.4. */
const byMode = (batch: string[], split: string[]) => ({ '7.3.0': batch, '7.4.0': split, '7.7.2': split, '7.8.0': split, null: batch });

function table(rule: string, cases: Case[]): void {
  describe(rule, () => {
    for (const c of cases) {
      const expectations: [Version, string[]][] = Array.isArray(c.expect)
        ? VERSIONS.map((v) => [v, c.expect as string[]])
        : VERSIONS.filter((v) => (c.expect as Record<string, string[]>)[key(v)] !== undefined).map((v) => [v, (c.expect as Record<string, string[]>)[key(v)]!]);
      it(c.name, async () => {
        for (const [v, expected] of expectations) {
          const ids = await lintIds(c.sql, { setup: c.setup ?? BASE, prismaVersion: v, rules: [rule] });
          assert.deepEqual(ids, expected.map((e) => `${rule}@${e}`), `Prisma ${v}`);
        }
      });
    }
  });
}

/** Applies a finding's first fix to the file (edits of this file only, back to front). */
function applyFix(sql: string, f: Finding): string {
  const edits = f.fixes![0].edits.filter((e) => e.file === f.file).sort((a, b) => b.startOffset - a.startOffset);
  let out = sql;
  for (const e of edits) out = out.slice(0, e.startOffset) + e.newText + out.slice(e.endOffset);
  return out;
}

const CIC = 'CREATE INDEX CONCURRENTLY "Post_title_idx" ON "Post"("title");';

describe('rules: locking and transactions', () => {
  table('concurrently-in-transaction', [
    { name: 'alone in its file: runs outside a transaction everywhere', sql: CIC, expect: [] },
    { name: 'comments do not count as statements', sql: `-- CreateIndex\n${CIC}\n-- done`, expect: [] },
    { name: 'next to a SET: one batch up to 7.3 and when unknown, split from 7.4', sql: `SET lock_timeout = '5s';\n${CIC}`, expect: byMode(['2'], []) },
    { name: 'two concurrent builds: one batch up to 7.3', sql: `${CIC}\nCREATE INDEX CONCURRENTLY "Post_status_idx" ON "Post"("status");`, expect: byMode(['1', '2'], []) },
    { name: 'DROP INDEX CONCURRENTLY makes 7.4+ fall back to one batch', sql: `DROP INDEX CONCURRENTLY "Post_authorId_idx";\n${CIC}`, expect: ['1', '2'] },
    { name: 'DROP INDEX CONCURRENTLY alone is fine', sql: 'DROP INDEX CONCURRENTLY "public"."Post_authorId_idx";', expect: [] },
    { name: 'a DO block makes 7.4+ fall back to one batch', sql: `DO $$ BEGIN PERFORM 1; END $$;\n${CIC}`, expect: ['2'] },
    { name: 'REINDEX ... CONCURRENTLY next to another statement', sql: `SET lock_timeout = '5s';\nREINDEX INDEX CONCURRENTLY "Post_authorId_idx";`, expect: ['2'] },
    { name: 'inside BEGIN ... COMMIT on every version', sql: `BEGIN;\n${CIC}\nCOMMIT;`, expect: ['2'] },
    { name: 'a plain CREATE INDEX is not this rule', sql: 'SET lock_timeout = \'5s\';\nCREATE INDEX "Post_title_idx" ON "Post"("title");', expect: [] },
  ]);

  describe('concurrently-in-transaction messages say which case applies', () => {
    const message = async (sql: string, prismaVersion: string | null) => (await lint(sql, { setup: BASE, prismaVersion, rules: ['concurrently-in-transaction'] })).map((f) => f.message);
    it('Prisma ≤ 7.3: the file is one batch', async () => {
      assert.deepEqual(await message(`SET lock_timeout = '5s';\n${CIC}`, '7.3.0'), [
        'CREATE INDEX CONCURRENTLY cannot run inside a transaction block. Prisma 7.3.0 sends this file as one batch, which PostgreSQL runs as one transaction block: PostgreSQL rejects the statement (SQLSTATE 25001) and the deploy stops.',
      ]);
    });
    it('unknown version: the batch is assumed', async () => {
      const [m] = await message(`SET lock_timeout = '5s';\n${CIC}`, null);
      assert.match(m, /^CREATE INDEX CONCURRENTLY cannot run inside a transaction block\. The Prisma version is unknown, so Preflight assumes this file is sent as one batch/);
    });
    it('Prisma ≥ 7.4: the fallback names the statement and line that prevent splitting', async () => {
      const [drop, create] = await message(`DROP INDEX CONCURRENTLY "Post_authorId_idx";\n${CIC}`, '7.5.0');
      assert.equal(drop, 'DROP INDEX CONCURRENTLY cannot run inside a transaction block. Prisma 7.5.0 would run statements one by one, but cannot split this file because of DROP INDEX CONCURRENTLY (this statement), so it sends it as one batch, which PostgreSQL runs as one transaction block: PostgreSQL rejects the statement (SQLSTATE 25001) and the deploy stops.');
      assert.match(create, /Prisma 7\.5\.0 would run statements one by one, but cannot split this file because of DROP INDEX CONCURRENTLY on line 1, so it sends it as one batch/);
    });
    it('a BEGIN block: names its line, whatever the version', async () => {
      for (const v of ['7.3.0', '7.8.0']) {
        const [m] = await message(`-- note\nBEGIN;\n${CIC}\nCOMMIT;`, v);
        assert.match(m, /This one runs inside the BEGIN block on line 2: PostgreSQL rejects the statement \(SQLSTATE 25001\)/);
      }
    });
    it('fix: moves the statement into a migration of its own (unsafe)', async () => {
      const [f] = await lint(`SET lock_timeout = '5s';\n${CIC}`, { setup: BASE, rules: ['concurrently-in-transaction'] });
      assert.equal(f.fixes?.[0].safe, false);
      assert.match(f.fixes![0].newFiles![0].file, /20250101000002_create_index_concurrently\/migration\.sql$/);
      assert.equal(f.fixes![0].newFiles![0].content, `${CIC}\n`);
    });
  });

  table('non-concurrent-index-drop', [
    { name: 'Prisma’s "public"-qualified form', sql: '-- DropIndex\nDROP INDEX "public"."Post_authorId_idx";', expect: ['2'] },
    { name: 'unqualified', sql: 'DROP INDEX "Post_authorId_idx";', expect: ['1'] },
    { name: 'CONCURRENTLY', sql: 'DROP INDEX CONCURRENTLY "Post_authorId_idx";', expect: [] },
    { name: 'an index created in the same migration', sql: 'CREATE INDEX "Post_title_idx" ON "Post"("title");\nDROP INDEX "Post_title_idx";', expect: [] },
    { name: 'an index of a table created in the same migration', sql: 'CREATE TABLE "T" ("a" TEXT);\nCREATE INDEX "T_a_idx" ON "T"("a");\nDROP INDEX "T_a_idx";', expect: [] },
    { name: 'an index no migration creates (its table may hold rows)', sql: 'DROP INDEX IF EXISTS "Nope_idx";', expect: ['1'] },
  ]);

  describe('non-concurrent-index-drop fixes', () => {
    it('alone: adds CONCURRENTLY in place (safe)', async () => {
      const [f] = await lint('DROP INDEX "public"."Post_authorId_idx";', { setup: BASE, rules: ['non-concurrent-index-drop'] });
      assert.equal(f.message, 'Dropping index "Post_authorId_idx" takes an ACCESS EXCLUSIVE lock on "Post" (blocks all reads and writes): it waits for every running query on "Post", and every new query queues behind it.');
      assert.deepEqual([f.fixes?.[0].title, f.fixes?.[0].safe], ['Add CONCURRENTLY', true]);
      assert.equal(applyFix('DROP INDEX "public"."Post_authorId_idx";', f), 'DROP INDEX CONCURRENTLY "public"."Post_authorId_idx";');
    });
    it('next to other statements, even on 7.8: moves it (DROP INDEX CONCURRENTLY would make the file unsplittable)', async () => {
      const [f] = await lint('ALTER TABLE "Post" ADD COLUMN "x" TEXT;\nDROP INDEX "Post_authorId_idx";', { setup: BASE, prismaVersion: '7.8.0', rules: ['non-concurrent-index-drop'] });
      assert.equal(f.fixes?.[0].safe, false);
      assert.equal(f.fixes![0].newFiles![0].content, 'DROP INDEX CONCURRENTLY "Post_authorId_idx";\n');
    });
    it('no fix for several indexes at once', async () => {
      const [g] = await lint('DROP INDEX "Post_authorId_idx", "Post_title_idx";', { setup: [BASE, 'CREATE INDEX "Post_title_idx" ON "Post"("title");'], rules: ['non-concurrent-index-drop'] });
      assert.equal(g.fixes, undefined);
    });
  });

  table('check-constraint-validation', [
    { name: 'ADD CHECK on an existing table', sql: 'ALTER TABLE "Post" ADD CONSTRAINT "Post_title_check" CHECK (length("title") > 0);', expect: ['1'] },
    { name: '"public"-qualified table', sql: 'ALTER TABLE "public"."Post" ADD CONSTRAINT "Post_title_check" CHECK (length("title") > 0);', expect: ['1'] },
    { name: 'NOT VALID', sql: 'ALTER TABLE "Post" ADD CONSTRAINT "Post_title_check" CHECK (length("title") > 0) NOT VALID;', expect: [] },
    { name: 'VALIDATE CONSTRAINT afterwards', sql: 'ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_title_check";', setup: `${BASE}\nALTER TABLE "Post" ADD CONSTRAINT "Post_title_check" CHECK (length("title") > 0) NOT VALID;`, expect: [] },
    { name: 'a table created in the same migration', sql: 'CREATE TABLE "T" ("a" INTEGER);\nALTER TABLE "T" ADD CONSTRAINT "T_a_check" CHECK ("a" > 0);', expect: [] },
    { name: 'foreign keys are another rule', sql: 'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id");', expect: [] },
  ]);

  describe('check-constraint-validation fix', () => {
    it('adds NOT VALID and validates in a follow-up migration when the ALTER adds only the check', async () => {
      const sql = 'ALTER TABLE "Post" ADD CONSTRAINT "Post_title_check" CHECK (length("title") > 0);';
      const [f] = await lint(sql, { setup: BASE, rules: ['check-constraint-validation'] });
      assert.equal(applyFix(sql, f), 'ALTER TABLE "Post" ADD CONSTRAINT "Post_title_check" CHECK (length("title") > 0) NOT VALID;');
      assert.match(f.fixes![0].newFiles![0].content, /ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_title_check";/);
    });
    it('no fix when the ALTER TABLE does more', async () => {
      const [f] = await lint('ALTER TABLE "Post" ADD COLUMN "x" TEXT, ADD CONSTRAINT "Post_title_check" CHECK (length("title") > 0);', { setup: BASE, rules: ['check-constraint-validation'] });
      assert.equal(f.fixes, undefined);
    });
  });

  table('unique-constraint', [
    { name: 'ADD UNIQUE on an existing table', sql: 'ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");', expect: ['1'] },
    { name: 'Prisma’s @id change: DROP then ADD PRIMARY KEY', sql: 'ALTER TABLE "User" DROP CONSTRAINT "User_pkey",\nADD CONSTRAINT "User_pkey" PRIMARY KEY ("email");', expect: ['1'] },
    { name: 'USING INDEX adopts an index built beforehand', sql: 'ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE USING INDEX "User_email_key";', setup: `${BASE}\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");`, expect: [] },
    { name: 'a table created in the same migration', sql: 'CREATE TABLE "T" ("a" INTEGER);\nALTER TABLE "T" ADD CONSTRAINT "T_pkey" PRIMARY KEY ("a");', expect: [] },
    { name: 'CREATE UNIQUE INDEX is another rule', sql: 'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");', expect: [] },
  ]);

  it('unique-constraint help spells out the two steps', async () => {
    const [f] = await lint('ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");', { setup: BASE, rules: ['unique-constraint'] });
    assert.equal(f.message, 'Adding unique constraint "User_email_key" builds its unique index while holding an ACCESS EXCLUSIVE lock on "User" (blocks all reads and writes) for the whole build.');
    assert.equal(f.help, 'Build the index first with CREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User"("email") in a migration folder of its own, then ADD CONSTRAINT ... UNIQUE USING INDEX "User_email_key".');
  });

  const ADD = `-- AlterEnum\nALTER TYPE "Status" ADD VALUE 'ARCHIVED';\n`;
  table('enum-value-used-same-transaction', [
    { name: 'SET DEFAULT to the new value: one batch up to 7.3', sql: `${ADD}ALTER TABLE "Post" ALTER COLUMN "status" SET DEFAULT 'ARCHIVED';`, expect: byMode(['3'], []) },
    { name: 'UPDATE ... SET the new value', sql: `${ADD}UPDATE "Post" SET "status" = 'ARCHIVED' WHERE "id" < 10;`, expect: byMode(['3'], []) },
    { name: 'WHERE compares with the new value', sql: `${ADD}DELETE FROM "Post" WHERE "status" IN ('ARCHIVED', 'DRAFT');`, expect: byMode(['3'], []) },
    { name: 'a cast to the enum', sql: `${ADD}SELECT 'ARCHIVED'::"Status";`, expect: byMode(['3'], []) },
    { name: 'INSERT ... VALUES into the enum column', sql: `${ADD}INSERT INTO "Post" ("authorId", "title", "status") VALUES (1, 'x', 'ARCHIVED');`, expect: byMode(['3'], []) },
    { name: 'a CHECK on the enum column', sql: `${ADD}ALTER TABLE "Post" ADD CONSTRAINT "Post_status_check" CHECK ("status" <> 'ARCHIVED') NOT VALID;`, expect: byMode(['3'], []) },
    { name: 'a new column with the new value as default', sql: `${ADD}ALTER TABLE "User" ADD COLUMN "status" "Status" NOT NULL DEFAULT 'ARCHIVED';`, expect: byMode(['3'], []) },
    { name: 'only the first use is reported', sql: `${ADD}UPDATE "Post" SET "status" = 'ARCHIVED';\nALTER TABLE "Post" ALTER COLUMN "status" SET DEFAULT 'ARCHIVED';`, expect: byMode(['3'], []) },
    { name: 'inside a BEGIN block, on every version', sql: `BEGIN;\n${ADD}UPDATE "Post" SET "status" = 'ARCHIVED';\nCOMMIT;`, expect: ['4'] },
    { name: 'a COMMIT in between commits the value first', sql: `${ADD}COMMIT;\nUPDATE "Post" SET "status" = 'ARCHIVED';`, expect: [] },
    { name: 'the same word in a text column is not a use', sql: `${ADD}UPDATE "User" SET "name" = 'ARCHIVED';`, expect: [] },
    { name: 'an enum created in the same transaction may use its new values', sql: `CREATE TYPE "Kind" AS ENUM ('A');\nALTER TYPE "Kind" ADD VALUE 'B';\nCREATE TABLE "K" ("k" "Kind" NOT NULL DEFAULT 'B');`, expect: [] },
    { name: 'Prisma ≥ 7.4 falls back to one batch for a DO block', sql: `${ADD}DO $$ BEGIN PERFORM 1; END $$;\nUPDATE "Post" SET "status" = 'ARCHIVED';`, expect: ['4'] },
    { name: 'RENAME VALUE is not ADD VALUE', sql: `ALTER TYPE "Status" RENAME VALUE 'DRAFT' TO 'DRAFTED';\nUPDATE "Post" SET "status" = 'DRAFTED';`, expect: [] },
  ]);

  it('enum-value-used-same-transaction: message, and a fix that adds the value in a migration that runs first', async () => {
    const sql = `${ADD}ALTER TABLE "Post" ALTER COLUMN "status" SET DEFAULT 'ARCHIVED';`;
    const [f] = await lint(sql, { setup: BASE, rules: ['enum-value-used-same-transaction'] });
    assert.equal(f.message, 'Uses \'ARCHIVED\', which ALTER TYPE "Status" ADD VALUE on line 2 adds in the same transaction: PostgreSQL rejects it (SQLSTATE 55P04, unsafe use of new value) until that transaction commits. Prisma 7.3.0 sends this file as one batch, which PostgreSQL runs as one transaction.');
    assert.equal(f.fixes?.[0].safe, false);
    assert.match(f.fixes![0].newFiles![0].file, /20250101000000_add_status_archived\/migration\.sql$/);
    assert.equal(f.fixes![0].newFiles![0].content, "ALTER TYPE \"Status\" ADD VALUE 'ARCHIVED';\n");
    assert.equal(applyFix(sql, f), `-- AlterEnum\nALTER TABLE "Post" ALTER COLUMN "status" SET DEFAULT 'ARCHIVED';`);
  });

  table('lock-timeout-missing', [
    { name: 'ACCESS EXCLUSIVE on an existing table', sql: 'ALTER TABLE "Post" ADD COLUMN "slug" TEXT;', expect: ['1'] },
    { name: 'SET lock_timeout before it (a plain SET lasts for the connection)', sql: "SET lock_timeout = '5s';\nALTER TABLE \"Post\" ADD COLUMN \"slug\" TEXT;\nRESET lock_timeout;", expect: [] },
    { name: 'SET LOCAL counts only where the file is one transaction', sql: "SET LOCAL lock_timeout = '5s';\nALTER TABLE \"Post\" ADD COLUMN \"slug\" TEXT;", expect: byMode([], ['2']) },
    { name: 'set_config counts too', sql: "SELECT set_config('lock_timeout', '5s', false);\nALTER TABLE \"Post\" ADD COLUMN \"slug\" TEXT;", expect: [] },
    { name: 'lock_timeout = 0 turns the timeout off', sql: 'SET lock_timeout = 0;\nALTER TABLE "Post" ADD COLUMN "slug" TEXT;', expect: ['2'] },
    { name: 'after a RESET', sql: "SET lock_timeout = '5s';\nALTER TABLE \"Post\" ADD COLUMN \"slug\" TEXT;\nRESET lock_timeout;\nALTER TABLE \"User\" ADD COLUMN \"bio\" TEXT;", expect: ['4'] },
    { name: 'one finding covers the statements one SET would cover', sql: 'ALTER TABLE "Post" ADD COLUMN "slug" TEXT;\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\nDROP INDEX "Post_authorId_idx";', expect: ['1'] },
    { name: 'SET LOCAL ends with its BEGIN block', sql: "BEGIN;\nSET LOCAL lock_timeout = '5s';\nALTER TABLE \"Post\" ADD COLUMN \"slug\" TEXT;\nCOMMIT;\nALTER TABLE \"User\" ADD COLUMN \"bio\" TEXT;", expect: ['5'] },
    { name: 'a plain index build takes SHARE, not ACCESS EXCLUSIVE', sql: 'CREATE INDEX "Post_title_idx" ON "Post"("title");', expect: [] },
    { name: 'a table created in the same migration', sql: 'CREATE TABLE "T" ("a" TEXT);\nALTER TABLE "T" ADD COLUMN "b" TEXT;', expect: [] },
  ]);

  describe('lock-timeout-missing', () => {
    it('names the lock and the other statements it covers', async () => {
      const [f] = await lint('ALTER TABLE "Post" ADD COLUMN "slug" TEXT;\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\nDROP INDEX "Post_authorId_idx";', { setup: BASE, rules: ['lock-timeout-missing'] });
      assert.equal(f.message, 'This statement takes an ACCESS EXCLUSIVE lock on "Post" (blocks all reads and writes) with no lock_timeout set: while it waits for running queries on the table, every new query on it queues behind it. The statements on lines 2 and 3 take ACCESS EXCLUSIVE locks too; a lock_timeout set before this one covers them as well.');
    });
    for (const v of ['7.3.0', '7.8.0', null]) {
      it(`Prisma ${v}: the fix leaves nothing for lock-timeout-missing or set-local-ineffective`, async () => {
        const sql = '-- AlterTable\nALTER TABLE "Post" ADD COLUMN "slug" TEXT;\n\n-- AlterTable\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\n';
        const rules = ['lock-timeout-missing', 'set-local-ineffective'];
        const [f] = await lint(sql, { setup: BASE, prismaVersion: v, rules });
        assert.equal(f.fixes?.[0].safe, true);
        const fixed = applyFix(sql, f);
        assert.match(fixed, v === '7.8.0' ? /^-- AlterTable\nSET lock_timeout = '5s';\n[\s\S]*\nRESET lock_timeout;\n$/ : /^-- AlterTable\nSET LOCAL lock_timeout = '5s';\n/);
        assert.deepEqual(await lintIds(fixed, { setup: BASE, prismaVersion: v, rules }), []);
      });
    }
  });

  const ADD_COLUMN = '-- AlterTable\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\n';
  table('locks-accumulate', [
    { name: 'ACCESS EXCLUSIVE on one table held during an index build on another', sql: `${ADD_COLUMN}CREATE INDEX "Post_title_idx" ON "Post"("title");`, expect: byMode(['3'], []) },
    { name: 'inside a BEGIN block, on every version', sql: `BEGIN;\n${ADD_COLUMN}CREATE INDEX "Post_title_idx" ON "Post"("title");\nCOMMIT;`, expect: ['4'] },
    { name: 'a backfill after ADD COLUMN on the same table (reads blocked during the UPDATE)', sql: 'ALTER TABLE "Post" ADD COLUMN "slug" TEXT;\nUPDATE "Post" SET "slug" = lower("title");', expect: byMode(['2'], []) },
    { name: 'one index build’s SHARE lock held during the next build', sql: 'CREATE INDEX "Post_title_idx" ON "Post"("title");\nCREATE INDEX "User_email_idx" ON "User"("email");', expect: byMode(['2'], []) },
    { name: 'two index builds on the same table: the first lock blocks nothing more', sql: 'CREATE INDEX "Post_title_idx" ON "Post"("title");\nCREATE INDEX "Post_status_idx" ON "Post"("status");', expect: [] },
    { name: 'validation scans count: SET NOT NULL', sql: `${ADD_COLUMN}ALTER TABLE "Post" ALTER COLUMN "title" DROP NOT NULL;\nALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;`, expect: byMode(['4'], []) },
    { name: 'quick statements do not count', sql: `${ADD_COLUMN}ALTER TABLE "Post" ADD COLUMN "slug" TEXT;`, expect: [] },
    { name: 'row-level locks of earlier updates do not count', sql: 'UPDATE "User" SET "name" = NULL WHERE "id" = 1;\nUPDATE "Post" SET "title" = \'x\' WHERE "id" = 1;', expect: [] },
    { name: 'tables created in the same migration', sql: 'CREATE TABLE "T" ("a" TEXT);\nCREATE INDEX "T_a_idx" ON "T"("a");', expect: [] },
    { name: 'Prisma ≥ 7.4 falls back to one batch for a DO block', sql: `${ADD_COLUMN}DO $$ BEGIN PERFORM 1; END $$;\nCREATE INDEX "Post_title_idx" ON "Post"("title");`, expect: ['4'] },
  ]);

  it('locks-accumulate names the earlier lock, its line and why it is still held', async () => {
    const [f] = await lint(`${ADD_COLUMN}CREATE INDEX "Post_title_idx" ON "Post"("title");`, { setup: BASE, rules: ['locks-accumulate'] });
    assert.equal(f.message, 'While this statement builds an index on "Post", the ACCESS EXCLUSIVE lock on "User" (blocks all reads and writes) taken on line 2 is still held. Prisma 7.3.0 sends this file as one batch, which PostgreSQL runs as one transaction.');
  });

  table('concurrently-breaks-migrate-dev', [
    { name: 'two concurrent builds: 7.4.0–7.7.x only', sql: `${CIC}\nCREATE INDEX CONCURRENTLY "Post_status_idx" ON "Post"("status");`, expect: { '7.3.0': [], '7.4.0': ['1'], '7.7.2': ['1'], '7.8.0': [], null: [] } },
    { name: 'one concurrent build next to a SET', sql: `SET lock_timeout = '5s';\n${CIC}\nRESET lock_timeout;`, expect: { '7.3.0': [], '7.4.0': ['2'], '7.7.2': ['2'], '7.8.0': [], null: [] } },
    { name: 'alone in its file', sql: CIC, expect: [] },
    { name: 'when deploy itself falls back to one batch it is concurrently-in-transaction instead', sql: `DROP INDEX CONCURRENTLY "Post_authorId_idx";\n${CIC}`, expect: [] },
  ]);

  it('concurrently-breaks-migrate-dev lists the other concurrent statements', async () => {
    const [f] = await lint(`${CIC}\nCREATE INDEX CONCURRENTLY "Post_status_idx" ON "Post"("status");\nCREATE INDEX CONCURRENTLY "User_email_idx" ON "User"("email");`, { setup: BASE, prismaVersion: '7.6.0', rules: ['concurrently-breaks-migrate-dev'] });
    assert.equal(f.message, '`prisma migrate deploy` on Prisma 7.6.0 runs this file statement by statement, but `prisma migrate dev` replays it on the shadow database as one batch, where CREATE INDEX CONCURRENTLY fails (SQLSTATE 25001) (as do the CONCURRENTLY statements on lines 2 and 3): migrate dev stops with P3006 until Prisma 7.8.0.');
  });

  const CREATE_PROFILE = 'CREATE TABLE "Profile" ("id" SERIAL NOT NULL, CONSTRAINT "Profile_pkey" PRIMARY KEY ("id"));\n';
  table('non-atomic-migration', [
    { name: 'CREATE TABLE, then SET NOT NULL on existing data: split from 7.4', sql: `${CREATE_PROFILE}ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;`, expect: byMode([], ['2']) },
    { name: 'guarded earlier statements can be re-run', sql: `${CREATE_PROFILE.replace('CREATE TABLE', 'CREATE TABLE IF NOT EXISTS')}ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;`, expect: [] },
    { name: 'the risky statement first', sql: `ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;\n${CREATE_PROFILE}`, expect: [] },
    { name: 'Prisma’s unique index after dropping the old one', sql: 'DROP INDEX "Post_authorId_idx";\nCREATE UNIQUE INDEX "Post_authorId_key" ON "Post"("authorId");', expect: byMode([], ['2']) },
    { name: 'a type change that can fail a cast', sql: `${CREATE_PROFILE}ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE INTEGER USING "name"::integer;`, expect: byMode([], ['2']) },
    { name: 'a widening type change cannot fail', sql: `${CREATE_PROFILE}ALTER TABLE "Post" ALTER COLUMN "authorId" SET DATA TYPE BIGINT;`, expect: [] },
    { name: 'reported once per file', sql: `${CREATE_PROFILE}ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;\nALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");`, expect: byMode([], ['2']) },
    { name: 'a BEGIN block around the whole file is atomic', sql: `BEGIN;\n${CREATE_PROFILE}ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;\nCOMMIT;`, expect: [] },
    { name: 'NOT VALID constraints do not fail on existing rows', sql: `${CREATE_PROFILE}ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") NOT VALID;`, expect: [] },
    { name: 'a foreign key on a column just added is NULL in every row', sql: `${CREATE_PROFILE}ALTER TABLE "User" ADD COLUMN "profileId" INTEGER;\nALTER TABLE "User" ADD CONSTRAINT "User_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "Profile"("id");`, expect: [] },
    { name: '… unless an earlier statement filled it', sql: `${CREATE_PROFILE}ALTER TABLE "User" ADD COLUMN "profileId" INTEGER;\nUPDATE "User" SET "profileId" = 1;\nALTER TABLE "User" ADD CONSTRAINT "User_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "Profile"("id");`, expect: byMode([], ['4']) },
    { name: 'a unique index on a column just added', sql: 'ALTER TABLE "User" ADD COLUMN "handle" TEXT;\nCREATE UNIQUE INDEX "User_handle_key" ON "User"("handle");', expect: [] },
    { name: 'Prisma re-creating a foreign key to change ON DELETE', setup: `${BASE}\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`, sql: '-- DropForeignKey\nALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";\n\n-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;', expect: [] },
    { name: 'a file that falls back to one batch is atomic', sql: `${CREATE_PROFILE}DO $$ BEGIN PERFORM 1; END $$;\nALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;`, expect: [] },
  ]);

  it('non-atomic-migration names the failure and the statement that blocks a re-run', async () => {
    const [f] = await lint(`${CREATE_PROFILE}ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;`, { setup: BASE, prismaVersion: '7.4.0', rules: ['non-atomic-migration'] });
    assert.equal(f.message, 'Prisma 7.4.0 runs this file statement by statement, each committed on its own. If this statement fails — when a row of "User" has NULL in "email" — the statement before it stays applied, and re-running the file fails at CREATE TABLE on line 1, which has no IF [NOT] EXISTS guard.');
    assert.equal(f.severity, 'info');
  });

  const PRISMA_ENUM_BLOCK = `-- AlterEnum
BEGIN;
CREATE TYPE "Status_new" AS ENUM ('DRAFT');
ALTER TABLE "Post" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Post" ALTER COLUMN "status" TYPE "Status_new" USING ("status"::text::"Status_new");
ALTER TYPE "Status" RENAME TO "Status_old";
ALTER TYPE "Status_new" RENAME TO "Status";
DROP TYPE "public"."Status_old";
ALTER TABLE "Post" ALTER COLUMN "status" SET DEFAULT 'DRAFT';
COMMIT;
`;
  table('transaction-control', [
    { name: 'Prisma’s generated enum block, followed by other statements', sql: `${PRISMA_ENUM_BLOCK}\n-- AlterTable\nALTER TABLE "User" ADD COLUMN "bio" TEXT;`, expect: [] },
    { name: 'a hand-edited enum block is not Prisma’s', sql: `${PRISMA_ENUM_BLOCK.replace('DROP TYPE', 'UPDATE "Post" SET "title" = \'x\';\nDROP TYPE')}\nALTER TABLE "User" ADD COLUMN "bio" TEXT;`, expect: byMode(['11'], []) },
    { name: 'a mid-file COMMIT commits the first part of a batch', sql: 'BEGIN;\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\nCOMMIT;\nCREATE INDEX "Post_title_idx" ON "Post"("title");', expect: byMode(['3'], []) },
    { name: 'a COMMIT without BEGIN mid-file', sql: `${ADD}COMMIT;\nUPDATE "Post" SET "status" = 'ARCHIVED';`, expect: byMode(['3'], []) },
    { name: 'BEGIN ... COMMIT around the whole file', sql: '-- keep it atomic\nBEGIN;\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\nCREATE INDEX "Post_title_idx" ON "Post"("title");\nCOMMIT;', expect: [] },
    { name: 'a block that ends the file', sql: 'ALTER TABLE "User" ADD COLUMN "bio" TEXT;\nBEGIN;\nCREATE INDEX "Post_title_idx" ON "Post"("title");\nCOMMIT;', expect: [] },
    { name: 'ROLLBACK, on every version', sql: 'BEGIN;\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\nROLLBACK;', expect: ['3'] },
    { name: 'BEGIN without COMMIT', sql: 'BEGIN;\nALTER TABLE "User" ADD COLUMN "bio" TEXT;', expect: ['1'] },
    { name: 'END is COMMIT', sql: 'BEGIN;\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\nEND;\nALTER TABLE "Post" ADD COLUMN "slug" TEXT;', expect: byMode(['3'], []) },
  ]);

  it('transaction-control: a COMMIT after ADD VALUE points at a migration of its own', async () => {
    const [f] = await lint(`${ADD}COMMIT;\nUPDATE "Post" SET "status" = 'ARCHIVED';`, { setup: BASE, rules: ['transaction-control'] });
    assert.equal(f.message, 'This COMMIT ends the transaction early. Prisma 7.3.0 sends this file as one batch (one transaction), but this COMMIT commits lines 1–3 before the rest runs: if a later statement fails, Prisma marks the migration failed with that part already applied.');
    assert.equal(f.help, 'To commit a new enum value before it is used, put the ALTER TYPE ... ADD VALUE in a migration folder of its own instead of committing mid-file.');
  });

  table('set-local-ineffective', [
    { name: 'SET LOCAL outside a transaction block from 7.4', sql: "SET LOCAL lock_timeout = '5s';\nALTER TABLE \"Post\" ADD COLUMN \"slug\" TEXT;", expect: byMode([], ['1']) },
    { name: 'SET LOCAL inside a BEGIN block', sql: "BEGIN;\nSET LOCAL lock_timeout = '5s';\nALTER TABLE \"Post\" ADD COLUMN \"slug\" TEXT;\nCOMMIT;", expect: [] },
    { name: 'SET LOCAL in a file that falls back to one batch', sql: "SET LOCAL lock_timeout = '5s';\nDO $$ BEGIN PERFORM 1; END $$;", expect: [] },
    { name: 'set_config(..., true) is SET LOCAL', sql: "SELECT set_config('statement_timeout', '1min', true);\nUPDATE \"Post\" SET \"title\" = 'x';", expect: byMode([], ['1']) },
    { name: 'a plain SET with no RESET leaks, on every version', sql: "SET statement_timeout = '15min';\nUPDATE \"Post\" SET \"title\" = 'x';", expect: ['1'] },
    { name: 'SET then RESET', sql: "SET statement_timeout = '15min';\nUPDATE \"Post\" SET \"title\" = 'x';\nRESET statement_timeout;", expect: [] },
    { name: 'SET then RESET ALL', sql: "SET statement_timeout = '15min';\nRESET ALL;", expect: [] },
    { name: 'SET ... TO DEFAULT resets', sql: "SET statement_timeout = '15min';\nSET statement_timeout TO DEFAULT;", expect: [] },
    { name: 'set_config(..., false) leaks', sql: "SELECT set_config('lock_timeout', '5s', false);", expect: ['1'] },
    { name: 'SET search_path leaks', sql: 'SET search_path TO audit;', expect: ['1'] },
    { name: 'SET ROLE leaks', sql: 'SET ROLE migrator;', expect: ['1'] },
    { name: 'SET TRANSACTION ends with its transaction', sql: 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nUPDATE "Post" SET "title" = \'x\';', expect: [] },
  ]);

  describe('set-local-ineffective fixes', () => {
    it('a leaking SET: RESET at the end of the file (safe)', async () => {
      const sql = "SET statement_timeout = '15min';\nUPDATE \"Post\" SET \"title\" = 'x';";
      const [f] = await lint(sql, { setup: BASE, rules: ['set-local-ineffective'] });
      assert.equal(f.message, "SET statement_timeout stays in effect on the connection after this file: later migrations applied by the same `prisma migrate deploy` also run with statement_timeout = '15min'.");
      assert.equal(f.fixes?.[0].safe, true);
      assert.equal(applyFix(sql, f), `${sql}\nRESET statement_timeout;\n`);
    });
    it('SET ROLE: RESET ROLE; search_path: no fix', async () => {
      const [role] = await lint('SET ROLE migrator;\n', { setup: BASE, rules: ['set-local-ineffective'] });
      assert.equal(applyFix('SET ROLE migrator;\n', role), 'SET ROLE migrator;\nRESET role;\n');
      const [path] = await lint('SET search_path TO audit;', { setup: BASE, rules: ['set-local-ineffective'] });
      assert.equal(path.fixes, undefined);
    });
    it('an ineffective SET LOCAL becomes SET + RESET (unsafe: the setting starts to apply)', async () => {
      const sql = "SET LOCAL lock_timeout = '5s';\nALTER TABLE \"Post\" ADD COLUMN \"slug\" TEXT;\n";
      const [f] = await lint(sql, { setup: BASE, prismaVersion: '7.8.0', rules: ['set-local-ineffective'] });
      assert.equal(f.message, 'SET LOCAL lock_timeout lasts only until the end of the current transaction, and Prisma 7.8.0 runs this statement on its own, outside any transaction block: PostgreSQL only warns, and lock_timeout is never set.');
      assert.equal(f.fixes?.[0].safe, false);
      const fixed = applyFix(sql, f);
      assert.equal(fixed, "SET lock_timeout = '5s';\nALTER TABLE \"Post\" ADD COLUMN \"slug\" TEXT;\nRESET lock_timeout;\n");
      assert.deepEqual(await lintIds(fixed, { setup: BASE, prismaVersion: '7.8.0', rules: ['set-local-ineffective', 'lock-timeout-missing'] }), []);
    });
  });
});
