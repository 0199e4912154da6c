/**
 * A seeded PostgreSQL for the real-UI test of Check Against Database… (test/e2e/live.e2e.mjs),
 * from the server suite's own cluster and seed (test/server/cluster.ts, live-seed.ts): prints one
 * JSON line (the URL, its password, the project folder, the migration to check), then runs until
 * its stdin closes and stops the cluster. The orphans are fixed, so one pre-check passes and the
 * others (NULLs, duplicates, values too long, an enum value in use) fail.
 * Usage: tsx test/e2e/live-db.ts
 */
import { Client } from 'pg';
import { startCluster } from '../server/cluster';
import { liveProject, NAMES, seedLiveDatabase } from '../server/live-seed';

const PASSWORD = 'E2e-Live-Pw-7319';

async function main(): Promise<void> {
  const cluster = await startCluster();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    cluster.stop();
    process.exit(0);
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.on('SIGTERM', stop);
  process.stdin.resume();
  const admin = await cluster.admin();
  await admin.query(`CREATE ROLE deployer LOGIN PASSWORD '${PASSWORD}'`);
  await admin.query('CREATE DATABASE shop OWNER deployer');
  await admin.end();
  const db = new Client({ host: cluster.socketDir, port: cluster.port, user: 'postgres', database: 'shop' });
  await db.connect();
  await db.query('SET ROLE deployer');
  await seedLiveDatabase(db);
  await db.query(`UPDATE "Order" SET "productId" = 1 WHERE "productId" = 99`); // the orphan check passes
  await db.end();
  const project = liveProject();
  process.stdout.write(`${JSON.stringify({ url: `postgresql://deployer:${PASSWORD}@127.0.0.1:${cluster.port}/shop`, password: PASSWORD, project, migration: NAMES.tighten, failed: NAMES.broken })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
