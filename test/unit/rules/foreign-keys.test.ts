import { strict as assert } from 'node:assert';
import { lint, lintIds } from '../support/lint';

const BASE = `CREATE TABLE "Session" ("id" SERIAL NOT NULL, CONSTRAINT "Session_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Product" ("id" SERIAL NOT NULL, "session_id" INTEGER, "owner_id" INTEGER NOT NULL, CONSTRAINT "Product_pkey" PRIMARY KEY ("id"));
CREATE INDEX "Product_owner_id_idx" ON "Product"("owner_id");
ALTER TABLE "Product" ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE SET NULL ON UPDATE CASCADE;`;

const RECREATE = (action: string, table = '"Product"') => `-- DropForeignKey
ALTER TABLE ${table} DROP CONSTRAINT "Product_session_id_fkey";

-- AlterTable
ALTER TABLE ${table} ADD COLUMN "note" TEXT;

-- AddForeignKey
ALTER TABLE ${table} ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE ${action} ON UPDATE CASCADE;`;

describe('rules: on-delete-change, set-null-on-required-column, foreign-key-without-index', () => {
  const only = { rules: ['on-delete-change', 'set-null-on-required-column', 'foreign-key-without-index'] };
  const cases: { name: string; sql: string; setup?: string; expect: string[] }[] = [
    { name: 'SET NULL → RESTRICT (seed 000)', setup: BASE, sql: RECREATE('RESTRICT'), expect: ['foreign-key-without-index@8', 'on-delete-change@8'] },
    { name: '"public".-qualified re-creation is the same key', setup: BASE, sql: RECREATE('CASCADE', '"public"."Product"'), expect: ['foreign-key-without-index@8', 'on-delete-change@8'] },
    { name: 'same action re-created: no change', setup: BASE, sql: RECREATE('SET NULL'), expect: ['foreign-key-without-index@8'] },
    { name: 'new FK on a new table with an index: nothing', sql: 'CREATE TABLE "A" ("id" INTEGER NOT NULL, CONSTRAINT "A_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "B" ("a_id" INTEGER);\nCREATE INDEX "B_a_id_idx" ON "B"("a_id");\nALTER TABLE "B" ADD CONSTRAINT "B_a_id_fkey" FOREIGN KEY ("a_id") REFERENCES "A"("id") ON DELETE SET NULL ON UPDATE CASCADE;', expect: [] },
    { name: 'SET NULL on a NOT NULL column', setup: BASE, sql: 'ALTER TABLE "Product" ADD CONSTRAINT "Product_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "Session"("id") ON DELETE SET NULL ON UPDATE CASCADE;', expect: ['set-null-on-required-column@1'] },
    { name: 'SET NULL after DROP NOT NULL in the same migration (seed 004)', setup: BASE, sql: 'ALTER TABLE "Product" ALTER COLUMN "owner_id" DROP NOT NULL;\nALTER TABLE "Product" ADD CONSTRAINT "Product_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "Session"("id") ON DELETE SET NULL ON UPDATE CASCADE;', expect: [] },
    { name: 'inline FK with SET NULL on a NOT NULL column in CREATE TABLE', sql: 'CREATE TABLE "P" ("id" INTEGER PRIMARY KEY);\nCREATE TABLE "C" ("p_id" INTEGER NOT NULL REFERENCES "P"("id") ON DELETE SET NULL);', expect: ['set-null-on-required-column@2'] },
    { name: 'SET DEFAULT on a NOT NULL column with a default is fine', sql: 'CREATE TABLE "P" ("id" INTEGER PRIMARY KEY);\nCREATE TABLE "C" ("p_id" INTEGER NOT NULL DEFAULT 0, CONSTRAINT "C_p_id_fkey" FOREIGN KEY ("p_id") REFERENCES "P"("id") ON DELETE SET DEFAULT);\nCREATE INDEX ON "C"("p_id");', expect: [] },
  ];
  for (const c of cases) it(c.name, async () => assert.deepEqual(await lintIds(c.sql, { setup: c.setup, ...only }), c.expect));

  it('states from → to, the consequence, and where the previous action was set', async () => {
    const [f] = await lint(RECREATE('RESTRICT'), { setup: BASE, rules: ['on-delete-change'] });
    assert.equal(f.message, 'Foreign key "Product_session_id_fkey" changes ON DELETE SET NULL → RESTRICT: deleting a "Session" row that still has "Product" rows now fails (SQLSTATE 23001).');
    assert.equal(f.related?.[0].message, 'previous definition of "Product_session_id_fkey" (ON DELETE SET NULL) in 20250101000000_m0');
    assert.equal(f.related?.[0].range.start.line, 4);
  });
});
