/**
 * What the referential-action messages claim, confirmed on PostgreSQL 18 (PGlite), and the
 * messages themselves. PostgreSQL's documentation (ddl-constraints, "Foreign Keys"): RESTRICT
 * prevents deletion of a referenced row; NO ACTION raises an error if referencing rows still exist
 * when the constraint is checked, and unlike RESTRICT allows the check to be deferred. SET NULL
 * sets the referencing columns to NULL — on a NOT NULL column that is a NOT NULL violation.
 */
import { strict as assert } from 'node:assert';
import { startPglite, type PgliteDatabase } from '../../../src/core/trace/pglite-engine';
import { sqlstateOf } from '../support/pglite';
import { lint } from '../support/lint';
import { lintSchema } from '../support/lint-schema';


async function parentAndChild(db: PgliteDatabase, childColumn: string, action: string): Promise<void> {
  await db.exec(`DROP TABLE IF EXISTS "Child", "Parent";
CREATE TABLE "Parent" ("id" INTEGER PRIMARY KEY);
CREATE TABLE "Child" ("id" INTEGER, "parent_id" INTEGER ${childColumn}, CONSTRAINT "Child_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "Parent"("id") ${action});
INSERT INTO "Parent" VALUES (1), (2);
INSERT INTO "Child" VALUES (1, 1);`);
}

describe('referential actions: what PostgreSQL does (PGlite)', function () {
  this.timeout(120_000);
  let db: PgliteDatabase;
  before(async () => {
    db = await startPglite([]);
  });
  after(async () => {
    await db?.close();
  });

  it('ON DELETE SET NULL on a NOT NULL column: deleting a parent that has children fails with 23502; one without children is deleted', async () => {
    await parentAndChild(db, 'NOT NULL', 'ON DELETE SET NULL');
    assert.equal(await sqlstateOf(db, 'DELETE FROM "Parent" WHERE "id" = 1'), '23502');
    assert.equal(await sqlstateOf(db, 'DELETE FROM "Parent" WHERE "id" = 2'), 'ok');
  });

  it('RESTRICT and NO ACTION both refuse the delete, with SQLSTATE 23001 and 23503', async () => {
    await parentAndChild(db, '', 'ON DELETE RESTRICT');
    assert.equal(await sqlstateOf(db, 'DELETE FROM "Parent" WHERE "id" = 1'), '23001');
    await parentAndChild(db, '', 'ON DELETE NO ACTION');
    assert.equal(await sqlstateOf(db, 'DELETE FROM "Parent" WHERE "id" = 1'), '23503');
  });

  it('a statement that deletes the children together with the parent works under both', async () => {
    for (const action of ['RESTRICT', 'NO ACTION']) {
      await parentAndChild(db, '', `ON DELETE ${action}`);
      assert.equal(await sqlstateOf(db, 'WITH c AS (DELETE FROM "Child" WHERE "parent_id" = 1) DELETE FROM "Parent" WHERE "id" = 1'), 'ok', action);
    }
  });

  it('NO ACTION lets the delete through when a row with the same key is back by the end of the statement; RESTRICT does not', async () => {
    const swap = 'WITH d AS (DELETE FROM "Parent" WHERE "id" = 1 RETURNING "id") INSERT INTO "Parent" SELECT "id" FROM d';
    await parentAndChild(db, '', 'ON DELETE NO ACTION');
    assert.equal(await sqlstateOf(db, swap), 'ok');
    await parentAndChild(db, '', 'ON DELETE RESTRICT');
    assert.equal(await sqlstateOf(db, swap), '23001');
  });

  it('a DEFERRABLE NO ACTION key can be checked at COMMIT; RESTRICT is checked at once even when deferred', async () => {
    const deferred = 'BEGIN; SET CONSTRAINTS ALL DEFERRED; DELETE FROM "Parent" WHERE "id" = 1; DELETE FROM "Child" WHERE "parent_id" = 1; COMMIT';
    await parentAndChild(db, '', 'ON DELETE NO ACTION DEFERRABLE');
    assert.equal(await sqlstateOf(db, deferred), 'ok');
    await parentAndChild(db, '', 'ON DELETE RESTRICT DEFERRABLE');
    assert.equal(await sqlstateOf(db, deferred), '23001');
  });
});

const BASE = `CREATE TABLE "Session" ("id" SERIAL NOT NULL, CONSTRAINT "Session_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Product" ("id" SERIAL NOT NULL, "session_id" INTEGER NOT NULL, CONSTRAINT "Product_pkey" PRIMARY KEY ("id"));
CREATE INDEX "Product_session_id_idx" ON "Product"("session_id");
ALTER TABLE "Product" ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`;

const recreate = (action: string) => `ALTER TABLE "Product" DROP CONSTRAINT "Product_session_id_fkey";
ALTER TABLE "Product" ADD CONSTRAINT "Product_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "Session"("id") ${action} ON UPDATE CASCADE;`;

describe('referential actions: what the messages say', () => {
  it('on-delete-change RESTRICT → NO ACTION: refused either way, an info finding that says what changes', async () => {
    const [f] = await lint(recreate('ON DELETE NO ACTION'), { setup: BASE, rules: ['on-delete-change'] });
    assert.equal(f.severity, 'info');
    assert.equal(
      f.message,
      'Foreign key "Product_session_id_fkey" changes ON DELETE RESTRICT → NO ACTION: deleting a "Session" row that still has "Product" rows is refused either way (the error becomes SQLSTATE 23503 instead of 23001); the check now runs at the end of the statement, and lets the change through when a "Session" row with the same key is there again by then — most applications see no difference.',
    );
    assert.doesNotMatch(f.message, /now fails/);
  });

  it('on-delete-change NO ACTION → RESTRICT of a DEFERRABLE key says it can no longer be deferred', async () => {
    const setup = BASE.replace('ON DELETE RESTRICT ON UPDATE CASCADE', 'ON DELETE NO ACTION ON UPDATE CASCADE DEFERRABLE');
    const [f] = await lint(recreate('ON DELETE RESTRICT').replace('CASCADE;', 'CASCADE DEFERRABLE;'), { setup, rules: ['on-delete-change'] });
    assert.equal(f.severity, 'info');
    assert.match(f.message, /refused either way \(the error becomes SQLSTATE 23001 instead of 23503\); the check now refuses even when .* and can no longer be deferred to COMMIT/);
  });

  it('on-delete-change RESTRICT → NO ACTION together with an ON UPDATE change stays a warning', async () => {
    const [f] = await lint(recreate('ON DELETE NO ACTION').replace('ON UPDATE CASCADE;', 'ON UPDATE RESTRICT;'), { setup: BASE, rules: ['on-delete-change'] });
    assert.equal(f.severity, 'warning');
  });

  it('on-delete-change to SET NULL on a NOT NULL column says the delete fails, not that rows are orphaned', async () => {
    const [f] = await lint(recreate('ON DELETE SET NULL'), { setup: BASE, rules: ['on-delete-change'] });
    assert.equal(
      f.message,
      'Foreign key "Product_session_id_fkey" changes ON DELETE RESTRICT → SET NULL: deleting a "Session" row that still has "Product" rows now fails: SET NULL cannot be carried out on the NOT NULL column "session_id" (NOT NULL violation, SQLSTATE 23502).',
    );
  });

  it('on-delete-change to SET NULL on a nullable column says the key becomes NULL', async () => {
    const setup = BASE.replace('"session_id" INTEGER NOT NULL', '"session_id" INTEGER');
    const [f] = await lint(recreate('ON DELETE SET NULL'), { setup, rules: ['on-delete-change'] });
    assert.match(f.message, /deleting a "Session" row now sets the key of its "Product" rows to NULL \(the rows stay, pointing at no "Session" row\)\.$/);
  });

  it('prisma-schema-drift: a database SET NULL on a NOT NULL column is described as failing deletes', async () => {
    const history = [BASE.replace('ON DELETE RESTRICT', 'ON DELETE SET NULL')];
    const schema = 'model Session {\n  id       Int       @id @default(autoincrement())\n  products Product[]\n}\n\nmodel Product {\n  id        Int     @id @default(autoincrement())\n  sessionId Int     @map("session_id")\n  session   Session @relation(fields: [sessionId], references: [id])\n\n  @@index([sessionId])\n}\n';
    const [f] = await lintSchema(schema, { history, rules: ['prisma-schema-drift'] });
    assert.equal(
      f.message,
      'Product.session says onDelete Restrict (Prisma’s default), but the database has ON DELETE SET NULL: deleting a "Session" row that still has "Product" rows still fails: SET NULL cannot be carried out on the NOT NULL column "session_id" (NOT NULL violation, SQLSTATE 23502). No migration implements the change yet.',
    );
  });
});
