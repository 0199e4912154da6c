import { strict as assert } from 'node:assert';
import { ensureSqlParser, parseRaw } from '../../../src/core/sql/parser';
import { columnTypeOf, isNarrowing, typeChangeKind } from '../../../src/core/pg/types';
import { lint, lintIds } from '../support/lint';

const RULES = [
  'drop-column', 'truncate-table', 'drop-schema', 'drop-enum-value', 'narrowing-type-change', 'unbounded-data-change',
  'rewrite-column-type', 'volatile-default', 'add-required-column', 'set-not-null', 'rename-table', 'rename-column',
];

const SHOP = `CREATE TABLE "Product" ("id" SERIAL NOT NULL, "name" TEXT NOT NULL, "sku" VARCHAR(64) NOT NULL, "price" DECIMAL(65,30) NOT NULL, "stock" INTEGER NOT NULL, "note" TEXT, "email" TEXT, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT "Product_pkey" PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "Product_email_key" ON "Product"("email");
CREATE TABLE "Order" ("id" SERIAL NOT NULL, "productId" INTEGER NOT NULL, CONSTRAINT "Order_pkey" PRIMARY KEY ("id"));
ALTER TABLE "Order" ADD CONSTRAINT "Order_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`;

/** formbricks: 20250904145727_removes_cron_and_survey_scheduling, verbatim (Prisma 6, "public".-qualified). */
const FORMBRICKS_SETUP = `CREATE TYPE "SurveyStatus" AS ENUM ('draft', 'scheduled', 'inProgress', 'paused', 'completed');
CREATE TABLE "Survey" ("id" TEXT NOT NULL, "status" "SurveyStatus" NOT NULL DEFAULT 'draft', "closeOnDate" TIMESTAMP(3), "runOnDate" TIMESTAMP(3), CONSTRAINT "Survey_pkey" PRIMARY KEY ("id"));`;
const FORMBRICKS = `/*
  Warnings:

  - The values [scheduled] on the enum \`SurveyStatus\` will be removed. If these variants are still used in the database, this will fail.
  - You are about to drop the column \`closeOnDate\` on the \`Survey\` table. All the data in the column will be lost.
  - You are about to drop the column \`runOnDate\` on the \`Survey\` table. All the data in the column will be lost.

*/

-- Update any scheduled surveys to paused
UPDATE "public"."Survey" SET "status" = 'paused' WHERE "status" = 'scheduled';

-- AlterEnum
BEGIN;
CREATE TYPE "public"."SurveyStatus_new" AS ENUM ('draft', 'inProgress', 'paused', 'completed');
ALTER TABLE "public"."Survey" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "public"."Survey" ALTER COLUMN "status" TYPE "public"."SurveyStatus_new" USING ("status"::text::"public"."SurveyStatus_new");
ALTER TYPE "public"."SurveyStatus" RENAME TO "SurveyStatus_old";
ALTER TYPE "public"."SurveyStatus_new" RENAME TO "SurveyStatus";
DROP TYPE "public"."SurveyStatus_old";
ALTER TABLE "public"."Survey" ALTER COLUMN "status" SET DEFAULT 'draft';
COMMIT;

-- AlterTable
ALTER TABLE "public"."Survey" DROP COLUMN "closeOnDate",
DROP COLUMN "runOnDate";
`;

/** civitai: 20230120050134_adjust_scanning_enums, verbatim (unqualified names). */
const CIVITAI_SETUP = `CREATE TYPE "ModelHashType" AS ENUM ('AutoV1', 'AutoV2', 'SHA256', 'CRC', 'CRC32', 'BLAKE3');
CREATE TYPE "UserActivityType" AS ENUM ('ModelDownload');
CREATE TABLE "ModelHash" ("fileId" INTEGER NOT NULL, "type" "ModelHashType" NOT NULL, "hash" TEXT NOT NULL, CONSTRAINT "ModelHash_pkey" PRIMARY KEY ("fileId", "type"));`;
const CIVITAI = `/*
  Warnings:

  - The values [CRC] on the enum \`ModelHashType\` will be removed. If these variants are still used in the database, this will fail.

*/
-- AlterEnum
BEGIN;
CREATE TYPE "ModelHashType_new" AS ENUM ('AutoV1', 'AutoV2', 'SHA256', 'CRC32', 'BLAKE3');
ALTER TABLE "ModelHash" ALTER COLUMN "type" TYPE "ModelHashType_new" USING ("type"::text::"ModelHashType_new");
ALTER TYPE "ModelHashType" RENAME TO "ModelHashType_old";
ALTER TYPE "ModelHashType_new" RENAME TO "ModelHashType";
DROP TYPE "ModelHashType_old";
COMMIT;

-- AlterEnum
ALTER TYPE "UserActivityType" ADD VALUE 'OtherDownload';
`;

interface Case {
  name: string;
  sql: string;
  setup?: string;
  expect: string[];
}

const cases: Record<string, Case[]> = {
  'drop-column': [
    { name: 'DROP COLUMN of an existing column', setup: SHOP, sql: 'ALTER TABLE "Product" DROP COLUMN "note";', expect: ['drop-column@1'] },
    { name: '"public".-qualified, one finding per column on its own line', setup: SHOP, sql: '-- AlterTable\nALTER TABLE "public"."Product" DROP COLUMN "note",\nDROP COLUMN "stock";', expect: ['drop-column@2', 'drop-column@3'] },
    { name: 'a column added earlier in the same migration holds no data', setup: SHOP, sql: 'ALTER TABLE "Product" ADD COLUMN "tmp" TEXT;\nALTER TABLE "Product" DROP COLUMN "tmp";', expect: [] },
    { name: 'a table created in the same migration', sql: 'CREATE TABLE "T" ("a" TEXT, "b" TEXT);\nALTER TABLE "T" DROP COLUMN "b";', expect: [] },
    { name: 'DROP COLUMN IF EXISTS of a column that is not there', setup: SHOP, sql: 'ALTER TABLE "Product" DROP COLUMN IF EXISTS "ghost";', expect: [] },
    {
      name: "Prisma's drop + add for an uncastable change (trigger.dev 20221227182358_rename_rule_to_filter)",
      setup: 'CREATE TABLE "EventRule" ("id" TEXT NOT NULL, "rule" JSONB NOT NULL, CONSTRAINT "EventRule_pkey" PRIMARY KEY ("id"));',
      sql: '-- AlterTable\nALTER TABLE "EventRule" DROP COLUMN "rule",\nADD COLUMN     "filter" JSONB NOT NULL;',
      expect: ['drop-column@2', 'add-required-column@3'],
    },
    {
      name: 'civitai 20221013194408_int_keys: TEXT id dropped and re-added as SERIAL',
      setup: 'CREATE TABLE "Account" ("id" TEXT NOT NULL, "type" TEXT NOT NULL, CONSTRAINT "Account_pkey" PRIMARY KEY ("id"));',
      sql: 'ALTER TABLE "Account" DROP CONSTRAINT "Account_pkey",\nDROP COLUMN "id",\nADD COLUMN     "id" SERIAL NOT NULL,\nADD CONSTRAINT "Account_pkey" PRIMARY KEY ("id");',
      expect: ['drop-column@2', 'volatile-default@3'],
    },
  ],
  'truncate-table': [
    { name: 'TRUNCATE of an existing table', setup: SHOP, sql: 'TRUNCATE TABLE "public"."Order";', expect: ['truncate-table@1'] },
    { name: 'TRUNCATE of a table created in the same migration', sql: 'CREATE TABLE "Scratch" ("a" TEXT);\nTRUNCATE "Scratch";', expect: [] },
    { name: 'TRUNCATE of a table no migration creates (it may hold rows)', sql: 'TRUNCATE "Unknown";', expect: ['truncate-table@1'] },
  ],
  'drop-schema': [
    { name: 'DROP SCHEMA of a schema created earlier', setup: 'CREATE SCHEMA "audit";\nCREATE TABLE "audit"."Log" ("id" SERIAL);', sql: 'DROP SCHEMA "audit" CASCADE;', expect: ['drop-schema@1'] },
    { name: 'DROP SCHEMA public (a reset script pasted into a migration)', setup: SHOP, sql: 'DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;', expect: ['drop-schema@1'] },
    { name: 'a schema created in the same migration', sql: 'CREATE SCHEMA "tmp";\nDROP SCHEMA "tmp";', expect: [] },
    { name: 'DROP SCHEMA IF EXISTS of a schema Preflight never saw', sql: 'DROP SCHEMA IF EXISTS "legacy" CASCADE;', expect: [] },
    { name: 'DROP DATABASE', sql: 'DROP DATABASE "shop";', expect: ['drop-schema@1'] },
  ],
  'drop-enum-value': [
    { name: 'formbricks, verbatim: the value removed, the columns rewritten and dropped', setup: FORMBRICKS_SETUP, sql: FORMBRICKS, expect: ['drop-enum-value@15', 'rewrite-column-type@17', 'drop-column@25', 'drop-column@26'] },
    { name: 'civitai, verbatim: unqualified names', setup: CIVITAI_SETUP, sql: CIVITAI, expect: ['drop-enum-value@9', 'rewrite-column-type@10'] },
    {
      name: 'a reorder removes nothing (langfuse 20260521000000): only the rewrite',
      setup: 'CREATE TYPE "MonitorSeverity" AS ENUM (\'OK\', \'ALERT\');\nCREATE TABLE "monitors" ("id" TEXT NOT NULL, "severity" "MonitorSeverity" NOT NULL DEFAULT \'OK\');',
      sql: 'BEGIN;\nCREATE TYPE "MonitorSeverity_new" AS ENUM (\'ALERT\', \'OK\');\nALTER TABLE "monitors" ALTER COLUMN "severity" DROP DEFAULT;\nALTER TABLE "monitors" ALTER COLUMN "severity" TYPE "MonitorSeverity_new" USING ("severity"::text::"MonitorSeverity_new");\nALTER TYPE "MonitorSeverity" RENAME TO "MonitorSeverity_old";\nALTER TYPE "MonitorSeverity_new" RENAME TO "MonitorSeverity";\nDROP TYPE "MonitorSeverity_old";\nALTER TABLE "monitors" ALTER COLUMN "severity" SET DEFAULT \'OK\';\nCOMMIT;',
      expect: ['rewrite-column-type@4'],
    },
    {
      name: 'a hand-written USING that maps every old value (rallly 20260117124004)',
      setup: 'CREATE TYPE "poll_status" AS ENUM (\'live\', \'paused\');\nCREATE TABLE "polls" ("id" TEXT NOT NULL, "status" "poll_status" NOT NULL);',
      sql: 'CREATE TYPE "poll_status_new" AS ENUM (\'open\', \'closed\');\nALTER TABLE "polls" ALTER COLUMN "status" TYPE "poll_status_new" USING (\n  CASE "status"::text WHEN \'live\' THEN \'open\'::poll_status_new ELSE \'closed\'::poll_status_new END\n);\nALTER TYPE "poll_status" RENAME TO "poll_status_old";\nALTER TYPE "poll_status_new" RENAME TO "poll_status";\nDROP TYPE "poll_status_old";',
      expect: ['rewrite-column-type@2'],
    },
    {
      name: 'an enum used only by a table created in the same migration',
      setup: 'CREATE TYPE "Kind" AS ENUM (\'A\', \'B\');',
      sql: 'CREATE TABLE "Thing" ("kind" "Kind" NOT NULL);\nCREATE TYPE "Kind_new" AS ENUM (\'A\');\nALTER TABLE "Thing" ALTER COLUMN "kind" TYPE "Kind_new" USING ("kind"::text::"Kind_new");\nALTER TYPE "Kind" RENAME TO "Kind_old";\nALTER TYPE "Kind_new" RENAME TO "Kind";\nDROP TYPE "Kind_old";',
      expect: [],
    },
  ],
  'narrowing-type-change': [
    { name: 'shorter varchar and smaller DECIMAL: narrowing and rewrite, each on its line', setup: SHOP, sql: '-- AlterTable\nALTER TABLE "Product" ALTER COLUMN "sku" SET DATA TYPE VARCHAR(16),\nALTER COLUMN "price" SET DATA TYPE DECIMAL(10,2);', expect: ['narrowing-type-change@2', 'rewrite-column-type@2', 'narrowing-type-change@3'] },
    { name: 'text to integer with USING', setup: SHOP, sql: 'ALTER TABLE "public"."Product" ALTER COLUMN "note" TYPE INTEGER USING ("note"::integer);', expect: ['narrowing-type-change@1', 'rewrite-column-type@1'] },
    { name: 'timestamp to date (civitai 20231005123051)', setup: SHOP, sql: 'ALTER TABLE "Product" ALTER COLUMN "createdAt" SET DATA TYPE DATE;', expect: ['narrowing-type-change@1', 'rewrite-column-type@1'] },
    { name: 'varchar(n) to text: neither', setup: SHOP, sql: 'ALTER TABLE "Product" ALTER COLUMN "sku" SET DATA TYPE TEXT;', expect: [] },
    { name: 'varchar(n) to a larger n: neither', setup: SHOP, sql: 'ALTER TABLE "Product" ALTER COLUMN "sku" SET DATA TYPE VARCHAR(128);', expect: [] },
    { name: 'integer to bigint: widening, but a rewrite (papermark 20250730000000, verbatim)', setup: 'CREATE TABLE "DocumentUpload" ("id" TEXT NOT NULL, "fileSize" INTEGER);', sql: '-- AlterTable\nALTER TABLE "DocumentUpload" ALTER COLUMN "fileSize" SET DATA TYPE BIGINT;\n', expect: ['rewrite-column-type@2'] },
    { name: 'jsonb[] to jsonb with a USING conversion (typebot 20230201082042)', setup: 'CREATE TABLE "Result" ("id" TEXT NOT NULL, "variables" JSONB[]);', sql: 'ALTER TABLE   "Result" ALTER COLUMN   variables TYPE JSONB USING array_to_json(variables);', expect: ['rewrite-column-type@1'] },
    { name: 'a table created in the same migration', sql: 'CREATE TABLE "T" ("a" VARCHAR(50));\nALTER TABLE "T" ALTER COLUMN "a" SET DATA TYPE VARCHAR(5);', expect: [] },
  ],
  'rewrite-column-type': [
    { name: 'TIMESTAMP(3) to TIMESTAMPTZ(3) (webstudio 20240916143551)', setup: SHOP, sql: 'ALTER TABLE "Product" ALTER COLUMN "createdAt" SET DATA TYPE TIMESTAMPTZ(3);', expect: ['rewrite-column-type@1'] },
    { name: 'several columns of one table: one rewrite, one finding', setup: SHOP, sql: 'ALTER TABLE "Product" ALTER COLUMN "stock" SET DATA TYPE BIGINT,\nALTER COLUMN "price" SET DATA TYPE DOUBLE PRECISION;', expect: ['rewrite-column-type@1', 'narrowing-type-change@2'] },
    { name: 'text to citext keeps the table but rebuilds the unique index', setup: SHOP, sql: 'ALTER TABLE "Product" ALTER COLUMN "email" SET DATA TYPE CITEXT;', expect: ['rewrite-column-type@1'] },
    { name: 'text to citext without an index: nothing to rebuild', setup: SHOP, sql: 'ALTER TABLE "Product" ALTER COLUMN "note" SET DATA TYPE CITEXT;', expect: [] },
    { name: 'a larger numeric precision at the same scale', setup: 'CREATE TABLE "P" ("v" DECIMAL(10,2));', sql: 'ALTER TABLE "P" ALTER COLUMN "v" SET DATA TYPE DECIMAL(12,2);', expect: [] },
  ],
  'volatile-default': [
    { name: 'gen_random_uuid() on an existing table (rallly 20260423144927)', setup: SHOP, sql: 'ALTER TABLE "Product" ADD COLUMN     "publicId" UUID NOT NULL DEFAULT gen_random_uuid();', expect: ['volatile-default@1'] },
    { name: 'SERIAL on an existing table', setup: SHOP, sql: 'ALTER TABLE "public"."Order" ADD COLUMN "seq" SERIAL;', expect: ['volatile-default@1'] },
    { name: "Prisma's @default(now()): stable, not volatile", setup: SHOP, sql: 'ALTER TABLE "Product" ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\nADD COLUMN "seenAt" TIMESTAMP(3) DEFAULT now();', expect: [] },
    { name: 'SET DEFAULT only affects new rows', setup: SHOP, sql: 'ALTER TABLE "Product" ALTER COLUMN "note" SET DEFAULT gen_random_uuid()::text;', expect: [] },
    { name: 'a table created in the same migration', sql: 'CREATE TABLE "T" ("a" TEXT);\nALTER TABLE "T" ADD COLUMN "id" UUID DEFAULT gen_random_uuid();', expect: [] },
  ],
  'add-required-column': [
    { name: 'NOT NULL without default on an existing table', setup: SHOP, sql: '-- AlterTable\nALTER TABLE "Product" ADD COLUMN     "currency" TEXT NOT NULL;', expect: ['add-required-column@2'] },
    { name: 'with a default', setup: SHOP, sql: 'ALTER TABLE "Product" ADD COLUMN "currency" TEXT NOT NULL DEFAULT \'EUR\';', expect: [] },
    { name: 'identity column', setup: SHOP, sql: 'ALTER TABLE "Order" ADD COLUMN "n" INTEGER GENERATED ALWAYS AS IDENTITY;', expect: ['volatile-default@1'] },
    { name: 'nullable, backfilled, then SET NOT NULL (the expand/contract steps in one file)', setup: SHOP, sql: 'ALTER TABLE "Product" ADD COLUMN "currency" TEXT;\nUPDATE "Product" SET "currency" = \'EUR\';\nALTER TABLE "Product" ALTER COLUMN "currency" SET NOT NULL;', expect: ['unbounded-data-change@2', 'set-not-null@3'] },
    { name: 'the table was emptied earlier in the migration', setup: SHOP, sql: 'DELETE FROM "Order";\nALTER TABLE "Order" ADD COLUMN "total" INTEGER NOT NULL;', expect: ['unbounded-data-change@1'] },
    { name: 'a table created in the same migration', sql: 'CREATE TABLE "T" ("a" TEXT);\nALTER TABLE "T" ADD COLUMN "b" TEXT NOT NULL;', expect: [] },
  ],
  'set-not-null': [
    { name: 'SET NOT NULL on an existing nullable column', setup: SHOP, sql: '-- AlterTable\nALTER TABLE "public"."Product" ALTER COLUMN "note" SET NOT NULL;', expect: ['set-not-null@2'] },
    { name: 'a validated CHECK (col IS NOT NULL) makes it instant', setup: [SHOP, 'ALTER TABLE "Product" ADD CONSTRAINT "Product_note_not_null" CHECK ("note" IS NOT NULL) NOT VALID;', 'ALTER TABLE "Product" VALIDATE CONSTRAINT "Product_note_not_null";'].join('\n'), sql: 'ALTER TABLE "Product" ALTER COLUMN "note" SET NOT NULL;', expect: [] },
    { name: 'a NOT VALID check does not prove anything yet', setup: [SHOP, 'ALTER TABLE "Product" ADD CONSTRAINT "Product_note_not_null" CHECK ("note" IS NOT NULL) NOT VALID;'].join('\n'), sql: 'ALTER TABLE "Product" ALTER COLUMN "note" SET NOT NULL;', expect: ['set-not-null@1'] },
    { name: 'a check on another column does not help', setup: [SHOP, 'ALTER TABLE "Product" ADD CONSTRAINT "c" CHECK ("email" IS NOT NULL);'].join('\n'), sql: 'ALTER TABLE "Product" ALTER COLUMN "note" SET NOT NULL;', expect: ['set-not-null@1'] },
    { name: 'already NOT NULL: nothing to scan', setup: SHOP, sql: 'ALTER TABLE "Product" ALTER COLUMN "name" SET NOT NULL;', expect: [] },
    { name: 'each change of one table in a migration sees only the earlier ones', setup: SHOP, sql: 'ALTER TABLE "Product" ADD COLUMN "x" TEXT;\nALTER TABLE "Product" ALTER COLUMN "note" SET NOT NULL;\nALTER TABLE "Product" ALTER COLUMN "note" SET NOT NULL;', expect: ['set-not-null@2'] },
    { name: 'a table created in the same migration', sql: 'CREATE TABLE "T" ("a" TEXT);\nALTER TABLE "T" ALTER COLUMN "a" SET NOT NULL;', expect: [] },
  ],
  'unbounded-data-change': [
    { name: 'UPDATE without WHERE (documenso 20230922121421)', setup: SHOP, sql: 'UPDATE "Product" SET "note" = "name";', expect: ['unbounded-data-change@1'] },
    { name: 'DELETE without WHERE, "public".-qualified', setup: SHOP, sql: 'DELETE FROM "public"."Order";', expect: ['unbounded-data-change@1'] },
    { name: 'UPDATE with WHERE', setup: SHOP, sql: 'UPDATE "Product" SET "note" = \'\' WHERE "note" IS NULL;', expect: [] },
    { name: 'a backfill of a table created in the same migration', sql: 'CREATE TABLE "T" ("a" TEXT);\nINSERT INTO "T" VALUES (\'x\');\nUPDATE "T" SET "a" = upper("a");', expect: [] },
  ],
  'rename-table': [
    { name: 'RENAME TO of an existing table', setup: SHOP, sql: 'ALTER TABLE "Order" RENAME TO "Purchase";', expect: ['rename-table@1'] },
    { name: 'a table created in the same migration', sql: 'CREATE TABLE "T" ("a" TEXT);\nALTER TABLE "T" RENAME TO "U";', expect: [] },
  ],
  'rename-column': [
    { name: 'RENAME COLUMN of an existing column', setup: SHOP, sql: 'ALTER TABLE "public"."Product" RENAME COLUMN "note" TO "description";', expect: ['rename-column@1'] },
    { name: 'a column added in the same migration', setup: SHOP, sql: 'ALTER TABLE "Product" ADD COLUMN "tmp" TEXT;\nALTER TABLE "Product" RENAME COLUMN "tmp" TO "notes";', expect: [] },
    {
      name: 'a column rebuilt under the old name (langfuse 20240512155020) is new to running code',
      setup: SHOP,
      sql: 'ALTER TABLE "Product" ADD COLUMN "note_temp" TEXT;\nUPDATE "Product" SET "note_temp" = "note" WHERE true;\nALTER TABLE "Product" DROP COLUMN "note";\nALTER TABLE "Product" RENAME COLUMN "note_temp" TO "note";\nALTER TABLE "Product" RENAME COLUMN "note" TO "remark";',
      expect: ['drop-column@3'],
    },
  ],
};

describe('rules: data loss, type changes, defaults, NOT NULL, renames', () => {
  for (const [rule, list] of Object.entries(cases)) {
    describe(rule, () => {
      for (const c of list) it(c.name, async () => assert.deepEqual(await lintIds(c.sql, { setup: c.setup, rules: RULES }), c.expect));
    });
  }

  describe('messages', () => {
    const one = async (sql: string, setup: string, rule: string) => {
      const found = await lint(sql, { setup, rules: [rule] });
      assert.equal(found.length, 1, `${rule}: ${found.map((f) => f.message).join(' | ')}`);
      return found[0];
    };

    it('drop-enum-value names the removed values and the columns', async () => {
      const f = await one(FORMBRICKS, FORMBRICKS_SETUP, 'drop-enum-value');
      assert.equal(f.message, `Recreates enum "SurveyStatus" without the value 'scheduled' (used by "Survey"."status"): the migration fails if any row still holds it, and application instances still writing it fail after the deploy.`);
      assert.equal(f.severity, 'error');
    });

    it('drop-column says when Prisma drops and re-adds a column', async () => {
      const f = await one('ALTER TABLE "Product" DROP COLUMN "stock",\nADD COLUMN "stock" TEXT NOT NULL DEFAULT \'\';', SHOP, 'drop-column');
      assert.equal(f.message, 'Drops column "stock" of "Product" (integer) and adds it again as text: every existing value is lost. Prisma generates this when it cannot cast the old type to the new one.');
      assert.deepEqual([f.range.start, f.range.end], [{ line: 1, column: 23 }, { line: 1, column: 42 }]);
    });

    it('narrowing-type-change says what happens to the values, with a query to check first', async () => {
      const f = await one('ALTER TABLE "Product" ALTER COLUMN "price" SET DATA TYPE DECIMAL(10,2);', SHOP, 'narrowing-type-change');
      assert.equal(f.message, 'Changing "price" of "Product" from numeric(65,30) to numeric(10,2) fails if any value has more than 8 digits before the decimal point, and rounds every value to 2 decimal places.');
      assert.match(f.help, /`SELECT count\(\*\) FROM "Product" WHERE abs\("price"\) >= 1e8 OR "price" <> round\("price", 2\)` must return 0/);
    });

    it('rewrite-column-type names the lock and what it blocks', async () => {
      const f = await one('ALTER TABLE "Order" ALTER COLUMN "productId" SET DATA TYPE BIGINT;', SHOP, 'rewrite-column-type');
      assert.equal(f.message, 'Changing "productId" from integer to bigint rewrites "Order" and rebuilds its indexes under an ACCESS EXCLUSIVE lock, which blocks all reads and writes of the table until the rewrite finishes.');
    });

    it('truncate-table names the tables emptied through CASCADE', async () => {
      const f = await one('TRUNCATE "Product" CASCADE;', SHOP, 'truncate-table');
      assert.equal(f.message, 'Deletes every row of "Product" and, through CASCADE, of "Order", under an ACCESS EXCLUSIVE lock (blocks all reads and writes); the rows can only come back from a backup.');
    });

    it('rename-table and rename-column point at @@map / @map', async () => {
      assert.match((await one('ALTER TABLE "Order" RENAME TO "Purchase";', SHOP, 'rename-table')).help, /@@map\("Order"\)/);
      assert.match((await one('ALTER TABLE "Product" RENAME COLUMN "note" TO "remark";', SHOP, 'rename-column')).help, /@map\("note"\)/);
    });

    it('set-not-null offers an unsafe fix: NOT VALID check here, validate and SET NOT NULL in a new migration', async () => {
      const sql = '-- AlterTable\nALTER TABLE "Product" ALTER COLUMN "note" SET NOT NULL;\n';
      const f = await one(sql, SHOP, 'set-not-null');
      assert.equal(f.message, 'SET NOT NULL on "note" scans every row of "Product" under an ACCESS EXCLUSIVE lock, which blocks all reads and writes of the table until the scan finishes.');
      const fix = f.fixes![0];
      assert.equal(fix.safe, false);
      assert.equal(fix.edits[0].newText, 'ALTER TABLE "Product" ADD CONSTRAINT "Product_note_not_null" CHECK ("note" IS NOT NULL) NOT VALID;');
      assert.equal(sql.slice(fix.edits[0].startOffset, fix.edits[0].endOffset), 'ALTER TABLE "Product" ALTER COLUMN "note" SET NOT NULL;');
      assert.match(fix.newFiles![0].file, /20250101000002_set_note_not_null\/migration\.sql$/);
      assert.equal(fix.newFiles![0].content, '-- Validates without blocking writes (SHARE UPDATE EXCLUSIVE); then SET NOT NULL needs no scan.\nALTER TABLE "Product" VALIDATE CONSTRAINT "Product_note_not_null";\nALTER TABLE "Product" ALTER COLUMN "note" SET NOT NULL;\nALTER TABLE "Product" DROP CONSTRAINT "Product_note_not_null";\n');
      // Applying the fix: the file and its follow-up are clean.
      const fixed = sql.slice(0, fix.edits[0].startOffset) + fix.edits[0].newText + sql.slice(fix.edits[0].endOffset);
      assert.deepEqual(await lintIds(fix.newFiles![0].content, { setup: [SHOP, fixed], rules: ['set-not-null'] }), []);
    });

    it('set-not-null offers no fix when the ALTER TABLE does more than that', async () => {
      const f = await one('ALTER TABLE "Product" ALTER COLUMN "note" SET NOT NULL,\nALTER COLUMN "email" SET DEFAULT \'\';', SHOP, 'set-not-null');
      assert.equal(f.fixes, undefined);
    });
  });
});

describe('column type changes agree with PostgreSQL 18', () => {
  // Measured with PGlite (PostgreSQL 18): relfilenode of the table before and after the change.
  const changes: [from: string, to: string, kind: 'binary-coercible' | 'rewrite', narrowing: boolean][] = [
    ['varchar(10)', 'varchar(20)', 'binary-coercible', false],
    ['varchar(20)', 'varchar(10)', 'rewrite', true],
    ['varchar(10)', 'text', 'binary-coercible', false],
    ['varchar', 'varchar(10)', 'rewrite', true],
    ['text', 'varchar(10)', 'rewrite', true],
    ['char(5)', 'text', 'rewrite', false],
    ['char(5)', 'varchar', 'rewrite', false],
    ['text', 'char', 'rewrite', true],
    ['text', 'citext', 'binary-coercible', false],
    ['citext', 'varchar(10)', 'rewrite', true],
    ['numeric(10,2)', 'numeric(12,2)', 'binary-coercible', false],
    ['numeric(10,2)', 'numeric(12,4)', 'rewrite', false],
    ['numeric(65,30)', 'numeric(10,2)', 'rewrite', true],
    ['numeric', 'numeric(10,2)', 'rewrite', true],
    ['numeric(65,30)', 'float8', 'rewrite', true],
    ['int4', 'int8', 'rewrite', false],
    ['int8', 'int4', 'rewrite', true],
    ['timestamp(3)', 'timestamptz(3)', 'rewrite', false],
    ['timestamp(3)', 'timestamp(6)', 'binary-coercible', false],
    ['timestamp(6)', 'timestamp(3)', 'rewrite', true],
    ['timestamp(3)', 'date', 'rewrite', true],
    ['text', 'jsonb', 'rewrite', true],
    ['text[]', 'varchar[]', 'rewrite', false],
    ['varchar(10)[]', 'text[]', 'rewrite', false],
  ];
  before(ensureSqlParser);
  const typeOf = (sql: string) => {
    const r = parseRaw(`ALTER TABLE t ALTER COLUMN c TYPE ${sql}`);
    assert.ok(r.ok);
    const stmt = r.stmts[0].stmt as { AlterTableStmt: { cmds: { AlterTableCmd: { def: { ColumnDef: { typeName: unknown } } } }[] } };
    return columnTypeOf(stmt.AlterTableStmt.cmds[0].AlterTableCmd.def.ColumnDef.typeName as Record<string, unknown>);
  };
  for (const [from, to, kind, narrowing] of changes) {
    it(`${from} → ${to}: ${kind}${narrowing ? ', narrowing' : ''}`, () => {
      assert.equal(typeChangeKind(typeOf(from), typeOf(to)), kind);
      assert.equal(isNarrowing(typeOf(from), typeOf(to)), narrowing);
    });
  }
});
