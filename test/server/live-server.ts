/**
 * What the live-database server tests share: a cluster of their own that logs every statement with
 * its application name (so a test can show that Preflight sent nothing but reads), a role owning
 * one database, and the built CLI run as a user runs it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { Client } from 'pg';
import { startCluster, type Cluster } from './cluster';

const CLI = path.join(path.resolve(__dirname, '..', '..'), 'dist', 'cli.js');

/** `node dist/cli.js ...args` with only PATH, NO_COLOR and `env`: exit code, stdout, stderr. */
export function preflight(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1', ...env }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same, started in the background: the child (to signal it) and its end. */
export function startPreflight(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<{ code: number | null; out: string; err: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1', ...env } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  return { child, done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err }))) };
}

export interface LiveServer {
  cluster: Cluster;
  /** The role's URL over TCP (what a user passes to Preflight). */
  url: string;
  /** A superuser session in the role's database, over the socket (for seeding and checks). */
  superuser(): Promise<Client>;
}

/** Starts a cluster with statement logging and a LOGIN `role` (password `password`) owning `database`. */
export async function startLiveServer(role: string, password: string, database: string): Promise<LiveServer> {
  const cluster = await startCluster();
  const admin = await cluster.admin();
  try {
    await admin.query(`ALTER SYSTEM SET log_statement = 'all'`);
    await admin.query(`ALTER SYSTEM SET log_line_prefix = '[%a] '`);
    await admin.query('SELECT pg_reload_conf()');
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await admin.query(`CREATE DATABASE ${database} OWNER ${role}`);
  } finally {
    await admin.end();
  }
  return {
    cluster,
    url: `postgresql://${role}:${encodeURIComponent(password)}@127.0.0.1:${cluster.port}/${database}`,
    async superuser() {
      const c = new Client({ host: cluster.socketDir, port: cluster.port, user: 'postgres', database });
      await c.connect();
      return c;
    },
  };
}
