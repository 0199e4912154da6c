/**
 * Measures how long PostgreSQL takes for the work whose lock time grows with the table — an index
 * build, a table rewrite (ALTER COLUMN TYPE), a validating scan (VALIDATE CONSTRAINT, SET NOT NULL)
 * — at a few table sizes, on a PostgreSQL server of its own (test/server/cluster.ts), and prints
 * the measurements as JSON. src/core/sizes/duration-model.ts is fitted to them; docs/live-database.md
 * gives the method and the error. Run: npx tsx scripts/calibrate-durations.ts [rows,rows,...]
 */
import { startCluster } from '../test/server/cluster';

const SIZES = (process.argv[2] ?? '100000,300000,1000000,3000000,10000000').split(',').map(Number);

interface Measurement {
  rows: number;
  tableBytes: number;
  indexBytes: number;
  totalBytes: number;
  work: 'index-build' | 'rewrite' | 'validate-scan' | 'validate-foreign-key';
  statement: string;
  seconds: number;
}

async function main(): Promise<void> {
  const cluster = await startCluster();
  const db = await cluster.admin();
  const out: Measurement[] = [];
  const version = (await db.query('SHOW server_version')).rows[0].server_version as string;
  try {
    for (const rows of SIZES) {
      await db.query('DROP TABLE IF EXISTS "Order"; DROP TABLE IF EXISTS "Customer"');
      await db.query('CREATE TABLE "Customer" ("id" SERIAL PRIMARY KEY, "email" TEXT NOT NULL)');
      await db.query(`INSERT INTO "Customer" ("email") SELECT 'c' || g || '@example.com' FROM generate_series(0, 100000) g`);
      // A table as Prisma creates it: serial key, a foreign-key column, text, a timestamp, an enum-like text, an amount.
      await db.query(`CREATE TABLE "Order" ("id" SERIAL PRIMARY KEY, "customerId" INTEGER, "email" TEXT, "status" TEXT NOT NULL DEFAULT 'OPEN', "amount" INTEGER NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP)`);
      await db.query(`INSERT INTO "Order" ("customerId", "email", "status", "amount") SELECT 1 + (random() * 99999)::int, 'user' || (random() * 1e9)::bigint || '@example.com', (ARRAY['OPEN','PAID','VOID'])[1 + (g % 3)], (random() * 10000)::int FROM generate_series(1, $1) g`, [rows]);
      await db.query('VACUUM ANALYZE "Order"');
      const size = async () => {
        const r = (await db.query(`SELECT pg_table_size('"Order"') AS t, pg_indexes_size('"Order"') AS i, pg_total_relation_size('"Order"') AS a`)).rows[0];
        return { tableBytes: Number(r.t), indexBytes: Number(r.i), totalBytes: Number(r.a) };
      };
      const time = async (work: Measurement['work'], statement: string, undo?: string) => {
        const s = await size();
        const t0 = process.hrtime.bigint();
        await db.query(statement);
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        out.push({ rows, ...s, work, statement, seconds: Math.round(seconds * 1000) / 1000 });
        process.stderr.write(`${rows} rows, ${(s.tableBytes / 1e6).toFixed(0)} MB: ${work} ${seconds.toFixed(3)} s  ${statement}\n`);
        if (undo) await db.query(undo);
      };
      await time('index-build', 'CREATE INDEX "Order_customerId_idx" ON "Order"("customerId")', 'DROP INDEX "Order_customerId_idx"');
      await time('index-build', 'CREATE INDEX "Order_email_idx" ON "Order"("email")', 'DROP INDEX "Order_email_idx"');
      await time('index-build', 'CREATE UNIQUE INDEX "Order_id_email_key" ON "Order"("id", "email")', 'DROP INDEX "Order_id_email_key"');
      await time('validate-scan', 'ALTER TABLE "Order" ALTER COLUMN "customerId" SET NOT NULL', 'ALTER TABLE "Order" ALTER COLUMN "customerId" DROP NOT NULL');
      await db.query(`ALTER TABLE "Order" ADD CONSTRAINT "Order_amount_check" CHECK ("amount" >= 0) NOT VALID`);
      await time('validate-scan', 'ALTER TABLE "Order" VALIDATE CONSTRAINT "Order_amount_check"', 'ALTER TABLE "Order" DROP CONSTRAINT "Order_amount_check"');
      await db.query(`ALTER TABLE "Order" ADD CONSTRAINT "Order_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") NOT VALID`);
      await time('validate-foreign-key', 'ALTER TABLE "Order" VALIDATE CONSTRAINT "Order_customerId_fkey"', 'ALTER TABLE "Order" DROP CONSTRAINT "Order_customerId_fkey"');
      await time('rewrite', 'ALTER TABLE "Order" ALTER COLUMN "amount" SET DATA TYPE BIGINT');
      await time('rewrite', 'ALTER TABLE "Order" ALTER COLUMN "customerId" SET DATA TYPE TEXT');
    }
  } finally {
    await db.end();
    cluster.stop();
  }
  process.stdout.write(`${JSON.stringify({ server: `PostgreSQL ${version}`, settings: 'fsync=off, maintenance_work_mem 64MB (default), warm cache', measurements: out }, null, 2)}\n`);
}

void main();
