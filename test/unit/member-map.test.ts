import { strict as assert } from 'node:assert';
import { applyStatement } from '../../src/core/catalog/apply';
import { Catalog } from '../../src/core/catalog/model';
import { parseMigrationSql } from '../../src/core/sql/parse-migration';
import { ensureSqlParser } from '../../src/core/sql/parser';

/** A table as plain data, in the catalog's iteration order. */
function tableState(c: Catalog, key: string): unknown {
  const t = c.table(key);
  return t && { name: t.name, uncertain: t.uncertain, columns: [...t.columns.entries()].map(([k, v]) => [k, { ...v }]), constraints: [...t.constraints.entries()].map(([k, v]) => [k, { ...v }]) };
}

const STATEMENTS = [
  'CREATE TABLE "T" ("id" SERIAL PRIMARY KEY, "a" TEXT, "b" INTEGER);',
  'ALTER TABLE "T" ADD COLUMN "c" TEXT;',
  'ALTER TABLE "T" ALTER COLUMN "a" SET NOT NULL;',
  'ALTER TABLE "T" ALTER COLUMN "a" SET DEFAULT \'x\';',
  'ALTER TABLE "T" ADD CONSTRAINT "b_positive" CHECK ("b" > 0) NOT VALID;',
  'ALTER TABLE "T" VALIDATE CONSTRAINT "b_positive";',
  'ALTER TABLE "T" ALTER COLUMN "b" TYPE BIGINT;',
  'ALTER TABLE "T" RENAME COLUMN "b" TO "bb";',
  'ALTER TABLE "T" RENAME CONSTRAINT "b_positive" TO "bb_positive";',
  'ALTER TABLE "T" ALTER COLUMN "a" DROP NOT NULL, ADD COLUMN "d" INTEGER NOT NULL DEFAULT 0;',
  'ALTER TABLE "T" DROP COLUMN "c";',
  'ALTER TABLE "T" RENAME TO "U";',
  'ALTER TABLE "U" ADD COLUMN "e" TEXT;',
];

describe('catalog tables: copy-on-write columns and constraints', () => {
  it('the state kept before every statement is what a replay of the statements before it gives', async () => {
    await ensureSqlParser();
    const statements = STATEMENTS.map((s) => parseMigrationSql(s).statements[0]);
    const current = new Catalog();
    const kept: Catalog[] = [];
    statements.forEach((st, i) => {
      kept.push(current.fork()); // as analyzeMigration keeps the catalog before each statement
      applyStatement(current, st.node, { migration: 'm', statementIndex: i }, st.text);
    });
    kept.push(current);
    kept.forEach((snapshot, n) => {
      const fresh = new Catalog();
      statements.slice(0, n).forEach((st, i) => applyStatement(fresh, st.node, { migration: 'm', statementIndex: i }, st.text));
      for (const key of ['public.T', 'public.U']) assert.deepEqual(tableState(snapshot, key), tableState(fresh, key), `before statement ${n}: ${key}`);
    });
  });

  it('changing one column of a wide table after a fork leaves every other column shared with the fork', async () => {
    await ensureSqlParser();
    const sql = `CREATE TABLE "W" (${Array.from({ length: 500 }, (_, i) => `"c${i}" TEXT`).join(', ')});`;
    const current = new Catalog();
    const st = parseMigrationSql(sql).statements[0];
    applyStatement(current, st.node, { migration: 'm', statementIndex: 0 }, st.text);
    const before = current.fork();
    const alter = parseMigrationSql('ALTER TABLE "W" ALTER COLUMN "c7" SET NOT NULL;').statements[0];
    applyStatement(current, alter.node, { migration: 'm', statementIndex: 1 }, alter.text);
    const after = current.fork(); // read-only from here: reads copy nothing
    const [was, now] = [before.table('public.W')!, after.table('public.W')!];
    assert.notEqual(was, now, 'the table itself is copied');
    assert.equal(was.columns.get('c7')!.notNull, false);
    assert.equal(now.columns.get('c7')!.notNull, true);
    for (const name of ['c0', 'c6', 'c8', 'c499']) assert.equal(now.columns.get(name), was.columns.get(name), `${name} is shared, not copied`);
  });
});
