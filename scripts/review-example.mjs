// The README's main job: a pre-flight review of the bundled example project (examples/shop) —
// the findings of every migration, the checklist of the newest one, and a dry run of it on the
// embedded database (PGlite). Exits non-zero only if Preflight itself fails (exit code 2).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const example = join(root, 'examples', 'shop');
const migrations = join(example, 'prisma', 'migrations');

function step(title, args) {
  process.stdout.write(`\n━━ ${title}\n$ preflight ${args.join(' ')}\n\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status === 2 || r.status === null) {
    process.stderr.write(`preflight failed (${r.status ?? r.signal}) on: ${args.join(' ')}\n`);
    process.exit(2);
  }
  return r.status;
}

const newest = readdirSync(migrations, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort((a, b) => a.localeCompare(b))
  .pop();

const code = step('Findings for every migration of examples/shop', ['check', 'examples/shop']);
step(`Deployment checklist for the newest migration (${newest})`, ['checklist', `examples/shop/prisma/migrations/${newest}`]);
if (existsSync(join(root, 'src', 'cli', 'trace-command.ts'))) {
  step(`Dry run of ${newest} on the embedded PostgreSQL (PGlite)`, ['trace', `examples/shop/prisma/migrations/${newest}`]);
}
process.stdout.write(`\nReview done: \`preflight check\` exited ${code} (${code === 1 ? 'errors found — as the example intends' : 'no errors'}). The checklist is examples/shop/prisma/migrations/${newest}/preflight-checklist.md.\n`);
