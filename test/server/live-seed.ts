/**
 * A Prisma project and a database that production could look like: the first migrations applied
 * (one edited since), one failed, one pending that tightens the schema; data that makes its
 * pre-checks fail (NULLs, orphans, duplicates, values too long, an enum value in use); a
 * _prisma_migrations row with no folder; and drift made by hand.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Client } from 'pg';

export const INIT = `-- CreateEnum
CREATE TYPE "Status" AS ENUM ('OPEN', 'PAID', 'VOID');

-- CreateTable
CREATE TABLE "Customer" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Product" (
    "id" SERIAL NOT NULL,
    CONSTRAINT "Product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" SERIAL NOT NULL,
    "customerId" INTEGER,
    "productId" INTEGER,
    "status" "Status" NOT NULL DEFAULT 'OPEN',
    "note" VARCHAR(200),
    "code" TEXT,
    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Customer_email_key" ON "Customer"("email");

-- CreateIndex
CREATE INDEX "Order_status_idx" ON "Order"("status");

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;
`;

export const ADD_NAME = `-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "name" TEXT;
`;
/** The same migration as applied, edited afterwards (a comment): its checksum no longer matches. */
export const ADD_NAME_EDITED = `${ADD_NAME}-- edited after deploy
`;

export const BROKEN = `-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "phone" TEXT;
`;

export const TIGHTEN = `-- AlterEnum
BEGIN;
CREATE TYPE "Status_new" AS ENUM ('OPEN', 'PAID');
ALTER TABLE "Order" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Order" ALTER COLUMN "status" TYPE "Status_new" USING ("status"::text::"Status_new");
ALTER TYPE "Status" RENAME TO "Status_old";
ALTER TYPE "Status_new" RENAME TO "Status";
DROP TYPE "public"."Status_old";
ALTER TABLE "Order" ALTER COLUMN "status" SET DEFAULT 'OPEN';
COMMIT;

-- AlterTable
ALTER TABLE "Order" ALTER COLUMN "customerId" SET NOT NULL,
ALTER COLUMN "note" SET DATA TYPE VARCHAR(20);

-- CreateIndex
CREATE UNIQUE INDEX "Order_code_key" ON "Order"("code");

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
`;

export const NAMES = { init: '20240101000000_init', addName: '20240201000000_add_name', broken: '20240301000000_broken', tighten: '20240401000000_tighten', gone: '20231201000000_gone' };

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The project folder (its migrations as the repository has them now). */
export function liveProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pf-live-'));
  const m = path.join(dir, 'prisma', 'migrations');
  mkdirSync(m, { recursive: true });
  writeFileSync(path.join(m, 'migration_lock.toml'), 'provider = "postgresql"\n');
  const files: Record<string, string> = { [NAMES.init]: INIT, [NAMES.addName]: ADD_NAME_EDITED, [NAMES.broken]: BROKEN, [NAMES.tighten]: TIGHTEN };
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(path.join(m, name));
    writeFileSync(path.join(m, name, 'migration.sql'), sql);
  }
  return dir;
}

const PRISMA_MIGRATIONS = `CREATE TABLE "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Deploys init and add_name as Prisma would, records a failed broken and an unknown gone, adds data. `owner` is connected to the database. */
export async function seedLiveDatabase(owner: Client): Promise<void> {
  await owner.query(PRISMA_MIGRATIONS);
  await owner.query(INIT);
  await owner.query(ADD_NAME);
  const row = `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count) VALUES ($1, $2, $3, $4, $5, $6, $7)`;
  await owner.query(row, ['00000000-0000-0000-0000-000000000000', sha256('-- long gone\n'), '2023-12-01T00:00:05Z', NAMES.gone, null, '2023-12-01T00:00:00Z', 1]);
  await owner.query(row, ['00000000-0000-0000-0000-000000000001', sha256(INIT), '2024-01-01T00:00:05Z', NAMES.init, null, '2024-01-01T00:00:00Z', 1]);
  await owner.query(row, ['00000000-0000-0000-0000-000000000002', sha256(ADD_NAME), '2024-02-01T00:00:05Z', NAMES.addName, null, '2024-02-01T00:00:00Z', 1]);
  await owner.query(row, ['00000000-0000-0000-0000-000000000003', sha256(BROKEN), null, NAMES.broken, 'Database error: deadlock detected', '2024-03-01T00:00:00Z', 0]);
  await owner.query(`INSERT INTO "Customer" (email) VALUES ('a@example.com'), ('b@example.com'), ('c@example.com')`);
  await owner.query(`INSERT INTO "Product" DEFAULT VALUES`);
  // 5 NULL customerId; 2 orphan productId (99); 2 copies of code 'A'; 3 notes longer than 20; 4 rows still VOID.
  await owner.query(`INSERT INTO "Order" ("customerId", "productId", status, note, code) VALUES
    (NULL, 1, 'OPEN', 'short', 'A'), (NULL, 1, 'OPEN', NULL, 'A'), (NULL, 99, 'VOID', repeat('x', 30), 'B'),
    (NULL, 99, 'VOID', repeat('y', 25), 'C'), (NULL, NULL, 'VOID', repeat('z', 21), 'D'), (1, 1, 'VOID', 'ok', 'E'), (2, 1, 'PAID', NULL, NULL)`);
}

/** Drift made by hand, as a hotfix in production would: the FK's action, an index dropped, one left INVALID, a default, an enum value. Needs a superuser for the INVALID index. */
export async function driftByHand(superuser: Client): Promise<void> {
  await superuser.query(`ALTER TABLE "Order" DROP CONSTRAINT "Order_customerId_fkey", ADD CONSTRAINT "Order_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE`);
  await superuser.query(`DROP INDEX "Order_status_idx"`);
  await superuser.query(`UPDATE pg_index SET indisvalid = false WHERE indexrelid = '"Customer_email_key"'::regclass`);
  await superuser.query(`ALTER TABLE "Customer" ALTER COLUMN "email" SET DEFAULT ''`);
  await superuser.query(`ALTER TYPE "Status" ADD VALUE 'REFUNDED'`);
}
