/**
 * The static model against PostgreSQL 18 (PGlite), on a slice of the corpus and on a small history
 * that holds every case the proof scripts found the static model wrong on. The full comparison is
 * `npx tsx scripts/prove-locks.ts` and `npx tsx scripts/prove-catalog.ts`.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { proveHistory, readMigrationFolders, type ProofReport } from '../../src/core/trace/differential';
import { CORPUS, describeWithCorpus } from './support/corpus';

function assertAllAgree(r: ProofReport): void {
  const show = (ms: { migration: string; line?: number; what: string; static: string; observed: string; sql?: string }[]) =>
    ms.slice(0, 10).map((m) => `${m.migration}:${m.line ?? ''} ${m.what}: static ${m.static} / observed ${m.observed} ${m.sql ?? ''}`);
  assert.deepEqual(show(r.locks.mismatches), []);
  assert.deepEqual(show(r.rewrites.mismatches), []);
  assert.deepEqual(show(r.catalog.mismatches), []);
  assert.equal(r.locks.agreed, r.locks.compared);
  assert.equal(r.catalog.agreedCheckpoints, r.catalog.checkpoints);
}

/** Each case was a mismatch before the static model was fixed. */
const HISTORY = [
  {
    name: '1_schema',
    text: `
CREATE TABLE "User" ("id" SERIAL PRIMARY KEY, "email" TEXT NOT NULL, "role" TEXT);
CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "authorId" INTEGER NOT NULL REFERENCES "User"("id") ON DELETE CASCADE, "title" VARCHAR(10), "n" INTEGER);
CREATE TABLE "Comment" ("id" SERIAL PRIMARY KEY, "postId" INTEGER REFERENCES "Post"("id") ON DELETE SET NULL);
CREATE TABLE "Room" ("id" INTEGER NOT NULL, "during" INT4RANGE, EXCLUDE USING gist ("during" WITH &&));
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE TABLE "Note" ("id" INTEGER PRIMARY KEY, "m" mood);
CREATE VIEW "PostView" AS SELECT p."id", u."email" FROM "Post" p JOIN "User" u ON u."id" = p."authorId";
CREATE INDEX "Post_title_idx" ON "Post"("title");
CREATE SEQUENCE note_id_seq;
CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER "t" BEFORE INSERT ON "Post" FOR EACH ROW EXECUTE FUNCTION noop();
INSERT INTO "User" ("email") VALUES ('a@example.com');
INSERT INTO "Post" ("authorId", "title") VALUES (1, 'x');
`,
  },
  {
    name: '2_changes',
    text: `
ALTER INDEX "Post_title_idx" RENAME TO "Post_title_key";
ALTER SEQUENCE note_id_seq OWNED BY "Note"."id";
DROP TRIGGER IF EXISTS "t" ON "Post";
CREATE TABLE "Snapshot" AS SELECT * FROM "PostView";
SELECT "id" INTO "Copy" FROM "User";
CREATE TEMP TABLE "Scratch" ("id" INTEGER);
INSERT INTO "Scratch" SELECT "id" FROM "User";
WITH moved AS (INSERT INTO "Comment" ("postId") SELECT "id" FROM "Post" RETURNING "id") SELECT count(*) FROM moved;
SELECT * FROM "User" FOR UPDATE;
DELETE FROM "User" WHERE "email" = 'nobody';
UPDATE "Post" SET "authorId" = "authorId";
ALTER TYPE mood RENAME TO feeling;
ALTER TABLE "Post" ALTER COLUMN "title" SET DATA TYPE VARCHAR(20);
ALTER TABLE "Post" ALTER COLUMN "n" SET DATA TYPE BIGINT;
DROP TABLE "Copy";
`,
  },
];

describe('static model against PostgreSQL (differential)', function () {
  this.timeout(60_000);

  it('agrees on every statement and every catalog item of a history holding the cases it once got wrong', async () => {
    const r = await proveHistory(HISTORY);
    assert.equal(r.failed.length, 0, JSON.stringify(r.failed));
    assertAllAgree(r);
    assert.ok(r.locks.compared >= 25);
  });
});

describeWithCorpus('static model against PostgreSQL on the corpus (differential)', function () {
  this.timeout(60_000);

  it('agrees on a real history (rallly: its first 60 migrations, locks, rewrites and catalog)', async () => {
    const r = await proveHistory(readMigrationFolders(path.join(CORPUS, 'lukevella__rallly', 'migrations')), { limit: 60 });
    assertAllAgree(r);
    assert.ok(r.locks.compared > 250, `compared ${r.locks.compared}`);
    assert.equal(r.catalog.checkpoints, 60);
  });
});
