import { strict as assert } from 'node:assert';
import { lint, lintIds } from '../support/lint';

const PRODUCT = `CREATE TABLE "Session" ("id" SERIAL NOT NULL, CONSTRAINT "Session_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Product" ("id" SERIAL NOT NULL, "session_id" INTEGER, "name" TEXT NOT NULL, CONSTRAINT "Product_pkey" PRIMARY KEY ("id"));`;

describe('rules: drop-table, non-concurrent-index, foreign-key-validation, parse-error', () => {
  const cases: { name: string; sql: string; setup?: string; prismaVersion?: string; expect: string[] }[] = [
    { name: 'DROP TABLE of an existing table', setup: PRODUCT, sql: 'DROP TABLE "Product";', expect: ['drop-table@1'] },
    { name: 'DROP TABLE of a table created in the same migration', sql: 'CREATE TABLE "T" (id int);\nDROP TABLE "T";', expect: [] },
    { name: 'DROP TABLE with "public". qualification', setup: PRODUCT, sql: 'DROP TABLE "public"."Product";', expect: ['drop-table@1'] },
    { name: 'unquoted names fold to lower case: product is not "Product", and no migration creates it (it may hold rows)', setup: PRODUCT, sql: 'DROP TABLE IF EXISTS Product;', expect: ['drop-table@1'] },
    { name: 'CREATE INDEX on an existing table', setup: PRODUCT, sql: '-- CreateIndex\nCREATE INDEX "Product_name_idx" ON "Product"("name");', expect: ['non-concurrent-index@2'] },
    { name: 'CREATE INDEX CONCURRENTLY alone', setup: PRODUCT, sql: 'CREATE INDEX CONCURRENTLY "Product_name_idx" ON "Product"("name");', expect: [] },
    { name: 'CREATE INDEX on a new table', sql: 'CREATE TABLE "N" ("a" TEXT);\nCREATE INDEX "N_a_idx" ON "N"("a");', expect: [] },
    { name: 'FK on an existing table', setup: PRODUCT, sql: 'ALTER TABLE "Product" ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;', expect: ['foreign-key-validation@1'] },
    { name: 'FK NOT VALID', setup: PRODUCT, sql: 'ALTER TABLE "Product" ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") NOT VALID;', expect: [] },
    { name: 'syntax error keeps the other statements', setup: PRODUCT, sql: 'SELEC 1;\nDROP TABLE "Product";', expect: ['parse-error@1', 'drop-table@2'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      assert.deepEqual(await lintIds(c.sql, { setup: c.setup, prismaVersion: c.prismaVersion, rules: ['drop-table', 'non-concurrent-index', 'foreign-key-validation', 'parse-error'] }), c.expect);
    });
  }

  it('parse-error points at the token PostgreSQL names', async () => {
    const [f] = await lint('CREATE TABLE "A" (id int);\nSELECT 1 FROM WHERE;', { rules: ['parse-error'] });
    assert.equal(f.message, 'PostgreSQL cannot parse this statement: syntax error at or near "WHERE".');
    assert.deepEqual([f.range.start, f.range.end], [{ line: 2, column: 15 }, { line: 2, column: 20 }]);
  });

  it('adds CONCURRENTLY in place when the index runs alone', async () => {
    const [f] = await lint('CREATE INDEX "Product_name_idx" ON "Product"("name");', { setup: PRODUCT, rules: ['non-concurrent-index'] });
    assert.equal(f.fixes?.[0].title, 'Add CONCURRENTLY');
    assert.equal(f.fixes?.[0].safe, true);
    assert.deepEqual(f.fixes?.[0].edits.map((e) => [e.startOffset, e.newText]), [[12, ' CONCURRENTLY']]);
  });

  it('moves the index into its own migration when the file runs as one batch', async () => {
    const [f] = await lint('ALTER TABLE "Product" ADD COLUMN "x" TEXT;\nCREATE INDEX "Product_name_idx" ON "Product"("name");', { setup: PRODUCT, rules: ['non-concurrent-index'] });
    const fix = f.fixes![0];
    assert.equal(fix.safe, false);
    assert.match(fix.newFiles![0].file, /20250101000002_create_index_concurrently\/migration\.sql$/);
    assert.equal(fix.newFiles![0].content, 'CREATE INDEX CONCURRENTLY "Product_name_idx" ON "Product"("name");\n');
  });

  it('suppression comments silence one statement or the whole file', async () => {
    assert.deepEqual(await lintIds('-- preflight-ignore drop-table: archived\nDROP TABLE "Product";\nDROP TABLE "Session";', { setup: PRODUCT, rules: ['drop-table'] }), ['drop-table@3']);
    assert.deepEqual(await lintIds('-- preflight-ignore-file drop-table\nDROP TABLE "Product";\nDROP TABLE "Session";', { setup: PRODUCT, rules: ['drop-table'] }), []);
  });
});
