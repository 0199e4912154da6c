import { strict as assert } from 'node:assert';
import { lexSql } from '../../src/core/sql/lexer';
import { parseMigrationSql } from '../../src/core/sql/parse-migration';
import { ensureSqlParser } from '../../src/core/sql/parser';

before(ensureSqlParser);

const texts = (sql: string) => parseMigrationSql(sql).statements.map((s) => s.text);

describe('SQL front end', () => {
  it('gives each statement its exact range, semicolon included, comments outside', () => {
    const sql = '-- CreateTable\nCREATE TABLE "A" ("id" INTEGER);\n\n/* x */ CREATE INDEX "i" ON "A"("id"); -- trailing\n';
    const p = parseMigrationSql(sql);
    assert.deepEqual(p.statements.map((s) => [s.type, s.range.start, s.range.end]), [
      ['CreateStmt', { line: 2, column: 1 }, { line: 2, column: 33 }],
      ['IndexStmt', { line: 4, column: 9 }, { line: 4, column: 39 }],
    ]);
    assert.equal(sql.slice(p.statements[1].range.startOffset, p.statements[1].range.endOffset), 'CREATE INDEX "i" ON "A"("id");');
  });

  it('maps PostgreSQL byte offsets to editor columns in non-ASCII text', () => {
    const p = parseMigrationSql('-- café ☕ 𝄞\nCREATE TABLE "Ünïcode" ("é" TEXT);\nSELEC 1;');
    assert.equal(p.statements[0].text, 'CREATE TABLE "Ünïcode" ("é" TEXT);');
    assert.deepEqual(p.statements[1].error?.range.start, { line: 3, column: 1 });
  });

  it('a statement PostgreSQL rejects becomes one error; every other statement is still parsed', () => {
    const p = parseMigrationSql('CREATE TABLE "A" (id int);\nUPDATE "A" SET "a" = 1 "b" = 2;\nDROP TABLE "A";');
    assert.deepEqual(p.statements.map((s) => s.type), ['CreateStmt', 'Invalid', 'DropStmt']);
    assert.equal(p.statements[1].error?.message, 'syntax error at or near ""b""');
    assert.deepEqual(p.statements[1].error?.range.start, { line: 2, column: 24 });
  });

  it('cuts statements without being fooled by literals, quoted identifiers, dollar quotes and comments', () => {
    const sql = `SELECT 'a;b', E'c\\';d', "e;f";\nCREATE FUNCTION f() RETURNS void AS $body$ BEGIN PERFORM 1; END; $body$ LANGUAGE plpgsql;\n/* ; /* nested ; */ */ SELECT $$;$$;\nSELEC 1`;
    assert.deepEqual(texts(sql).length, 4);
    assert.deepEqual(lexSql(sql).chunks.length, 4);
  });

  it('keeps BEGIN ATOMIC bodies whole even when the file has a syntax error elsewhere', () => {
    const p = parseMigrationSql('CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELEC 2;');
    assert.deepEqual(p.statements.map((s) => s.type), ['CreateFunctionStmt', 'Invalid']);
  });

  it('never throws: unterminated literals, comments and dollar quotes, empty input', () => {
    for (const sql of ["SELECT 'abc", '/* open', 'SELECT $x$ abc', '"unterminated', '', ';;;', '\uFEFFSELECT 1;']) {
      const p = parseMigrationSql(sql);
      for (const s of p.statements) assert.ok(s.range.endOffset <= sql.length);
    }
    assert.equal(parseMigrationSql("SELECT 'abc").statements[0].error?.message, `unterminated quoted string at or near "'abc"`);
  });

  it("reads Prisma's -- Warnings: header and suppression comments", () => {
    const p = parseMigrationSql(`/*\n  Warnings:\n\n  - You are about to drop the column \`x\` on the \`Y\` table, all the data in the column will be lost.\n  - A unique constraint covering the columns \`[a]\` on the table \`Y\` will be added. If there are existing duplicate values, this will fail.\n\n*/\n-- preflight-ignore drop-column, drop-table: reviewed\nALTER TABLE "Y" DROP COLUMN "x";\n-- preflight-ignore-file lock-timeout-missing\nSELECT 1; -- preflight-ignore all`);
    assert.deepEqual(p.prismaWarnings.map((w) => w.text), [
      'You are about to drop the column `x` on the `Y` table, all the data in the column will be lost.',
      'A unique constraint covering the columns `[a]` on the table `Y` will be added. If there are existing duplicate values, this will fail.',
    ]);
    assert.deepEqual(p.statements.map((s) => s.ignored), [['drop-column', 'drop-table'], []]);
    assert.deepEqual(p.fileIgnored, ['lock-timeout-missing']);
    assert.equal(p.suppressions.all[0].reason, 'reviewed');
  });
});
