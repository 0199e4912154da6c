/**
 * Lock claims in rule messages, each confirmed on PostgreSQL 18 (PGlite) through pg_locks of the
 * own backend inside an open transaction: what the message names is what PostgreSQL takes.
 */
import { strict as assert } from 'node:assert';
import { startPglite, type PgliteDatabase } from '../../../src/core/trace/pglite-engine';
import { lint } from '../support/lint';

/** The relation locks a statement holds just before its transaction ends: "table:mode", sorted. */
async function locksOf(db: PgliteDatabase, sql: string): Promise<string[]> {
  await db.exec(`BEGIN; ${sql}`);
  try {
    const rows = await db.query<{ rel: string; mode: string }>(
      "SELECT c.relname AS rel, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.locktype = 'relation' AND l.pid = pg_backend_pid() AND c.relkind IN ('r', 'm', 'p') AND c.relnamespace <> 'pg_catalog'::regnamespace ORDER BY 1, 2",
    );
    return rows.map((r) => `${r.rel}:${r.mode}`);
  } finally {
    await db.exec('ROLLBACK');
  }
}

const SETUP = `CREATE TABLE "User" ("id" SERIAL NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`;

describe('lock wording confirmed in PGlite', function () {
  this.timeout(120_000);
  let db: PgliteDatabase;
  before(async () => {
    db = await startPglite([]);
    await db.exec(SETUP);
  });
  after(async () => {
    await db?.close();
  });

  describe('lock-timeout-missing on DROP CONSTRAINT of a foreign key', () => {
    const drop = 'ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";';

    it('PostgreSQL takes ACCESS EXCLUSIVE on the referencing and the referenced table', async () => {
      assert.deepEqual(await locksOf(db, drop), ['Post:AccessExclusiveLock', 'User:AccessExclusiveLock']);
    });

    it('the message names both tables', async () => {
      const [f] = await lint(drop, { setup: SETUP, rules: ['lock-timeout-missing'] });
      assert.equal(
        f.message,
        'This statement takes ACCESS EXCLUSIVE locks on "Post" and "User" (each blocks all reads and writes) with no lock_timeout set: while it waits for running queries on these tables, every new query on them queues behind it.',
      );
    });

    it('a statement locking one table keeps the singular', async () => {
      const [f] = await lint('ALTER TABLE "Post" ADD COLUMN "slug" TEXT;', { setup: SETUP, rules: ['lock-timeout-missing'] });
      assert.match(f.message, /^This statement takes an ACCESS EXCLUSIVE lock on "Post" \(blocks all reads and writes\) with no lock_timeout set: while it waits for running queries on the table, every new query on it queues behind it\.$/);
    });

    it('identifiers that need quoting are quoted as PostgreSQL needs them', async () => {
      const setup = 'CREATE SCHEMA "Billing";\nCREATE TABLE "Billing"."A ""x""" ("id" INTEGER PRIMARY KEY);\nCREATE TABLE "b" ("a" INTEGER CONSTRAINT "b_a_fkey" REFERENCES "Billing"."A ""x"""("id"));';
      const [f] = await lint('ALTER TABLE "b" DROP CONSTRAINT "b_a_fkey";', { setup, rules: ['lock-timeout-missing'] });
      assert.match(f.message, /ACCESS EXCLUSIVE locks on "b" and "Billing"\."A ""x""" \(each blocks/);
    });
  });

  describe('unbounded-data-change says until when the row locks are held', () => {
    const update = 'UPDATE "Post" SET "authorId" = "authorId";\nALTER TABLE "Post" ADD COLUMN "slug" TEXT;';
    const message = async (prismaVersion: string | null, sql = update) => (await lint(sql, { setup: SETUP, prismaVersion, rules: ['unbounded-data-change'] }))[0].message;

    it('Prisma ≥ 7.4 runs the statement on its own: released when that statement commits', async () => {
      assert.equal(await message('7.8.0'), 'Updates every row of "Post" in one transaction: each row stays locked against other writes until this statement ends (Prisma 7.8.0 runs it on its own and commits it right away), and a large table bloats and writes a burst of WAL.');
    });

    it('Prisma ≤ 7.3 sends one batch: held until the whole file commits', async () => {
      assert.match(await message('7.3.0'), /each row stays locked against other writes until the whole file commits \(Prisma 7\.3\.0 sends this file as one batch\)/);
    });

    it('a BEGIN block of its own: held until its COMMIT', async () => {
      assert.match(await message('7.8.0', `BEGIN;\n${update}\nCOMMIT;\nSELECT 1;`), /each row stays locked against other writes until the transaction ends on line 4,/);
    });

    it('one batch cut by a mid-file COMMIT: held until that COMMIT', async () => {
      assert.match(await message('7.3.0', `${update}\nCOMMIT;\nSELECT 1;`), /until the transaction ends on line 3,/);
    });
  });
});
