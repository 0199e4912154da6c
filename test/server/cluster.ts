/**
 * A PostgreSQL 15 cluster of the suite's own (Debian's postgresql package): initdb in a temporary
 * folder (as the `postgres` user when the suite runs as root: initdb refuses root), a free port on
 * 127.0.0.1, the socket in the same folder; trust over the socket, scram-sha-256 over TCP.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

const BIN = process.env.PREFLIGHT_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface Cluster {
  port: number;
  socketDir: string;
  /** A superuser client over the socket (no password). */
  admin(): Promise<Client>;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function asOwner(cmd: string, args: string[]): void {
  const root = process.getuid?.() === 0;
  if (root) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
  else execFileSync(cmd, args, { stdio: 'pipe' });
}

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-pg-'));
  chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const pwfile = path.join(dir, 'pw');
  writeFileSync(pwfile, 'superpass\n');
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', pwfile]);
  asOwner(path.join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  asOwner(path.join(BIN, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const stop = () => {
    try {
      asOwner(path.join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return {
    port,
    socketDir: dir,
    async admin() {
      const c = new Client({ host: dir, port, user: 'postgres', database: 'postgres' });
      await c.connect();
      return c;
    },
    stop,
  };
}
