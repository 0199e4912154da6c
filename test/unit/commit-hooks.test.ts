/**
 * The pre-commit hook (.pre-commit-hooks.yaml) and the lint-staged recipe (docs/ci.md) run the
 * built CLI on a list of staged files. Run here as pre-commit runs a hook: `entry` followed by the
 * staged files its `files` pattern matches; and as lint-staged does, with absolute paths.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SHOP = path.join(ROOT, 'examples', 'shop');

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  args?: string[];
  pass_filenames?: boolean;
}

function run(command: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  // `preflight` is the package's bin: here, the built CLI
  const [bin, ...args] = command;
  assert.equal(bin, 'preflight');
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } }, (error, out, err) => resolve({ code: error ? Number((error as { code?: unknown }).code) : 0, out, err }));
  });
}

describe('commit hooks (pre-commit, lint-staged)', function () {
  this.timeout(60_000);
  let dir: string;
  let hook: Hook;

  before(function () {
    if (!existsSync(CLI)) this.skip();
    const hooks = parse(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
    assert.equal(hooks.length, 1);
    hook = hooks[0];
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pf-hooks-'));
    cpSync(SHOP, path.join(dir, 'shop'), { recursive: true, filter: (src) => !/preflight-checklist\.md$|down\.sql$|node_modules/.test(src) });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the hook is a node hook whose files pattern takes migration.sql and schema files, and nothing else', () => {
    assert.equal(hook.id, 'preflight');
    assert.equal(hook.language, 'node', 'pre-commit installs the package and its bin');
    assert.notEqual(hook.pass_filenames, false);
    const files = new RegExp(hook.files); // pre-commit uses Python's re.search; this pattern means the same in both
    const taken = [
      'prisma/migrations/20250101000000_init/migration.sql',
      'apps/web/prisma/migrations/20250101000000_init/migration.sql',
      'migrations/20250101000000_init/migration.sql',
      'prisma/schema.prisma',
      'prisma/schema/models.prisma',
    ];
    const left = ['prisma/migrations/migration_lock.toml', 'prisma/migrations/20250101000000_init/preflight-checklist.md', 'prisma/migrations/20250101000000_init/down.sql', 'sql/migration.sql', 'README.md', 'prisma/seed.ts'];
    for (const f of taken) assert.ok(files.test(f), `${f} is not passed to the hook`);
    for (const f of left) assert.ok(!files.test(f), `${f} is passed to the hook`);
  });

  it('pre-commit: a staged migration and the schema are reviewed as one project (that migration, the schema findings once); a safe migration passes', async () => {
    const files = new RegExp(hook.files);
    const migration = 'shop/prisma/migrations/20251208101530_add_product_barcode/migration.sql';
    const staged = [migration, 'shop/prisma/schema.prisma', 'shop/README.md'].filter((f) => files.test(f));
    const r = await run([...hook.entry.split(' '), ...(hook.args ?? []), ...staged], dir);
    assert.equal(r.code, 1, r.err); // CREATE INDEX CONCURRENTLY in a batch: an error
    const located = [...r.out.matchAll(/^ +--> (\S+?):\d+:\d+$/gm)].map((m) => m[1]);
    assert.deepEqual([...new Set(located)].sort(), [migration, 'shop/prisma/schema.prisma']);
    assert.match(r.out, /1 error, 1 warning, 1 info in 1 migration\n$/);

    const safe = 'shop/prisma/migrations/20260101000000_add_note/migration.sql';
    mkdirSync(path.join(dir, path.dirname(safe)));
    writeFileSync(path.join(dir, safe), 'CREATE TABLE "Note" ("id" SERIAL NOT NULL, CONSTRAINT "Note_pkey" PRIMARY KEY ("id"));\n');
    const ok = await run([...hook.entry.split(' '), safe], dir);
    assert.equal(ok.code, 0, ok.out);
    // the project's schema findings come with any file of it: the example's schema drift warning
    assert.match(ok.out, /0 errors, 1 warning, 0 infos in 1 migration\n$/);
  });

  it('lint-staged: absolute paths, from the folder of the package.json, give the same review', async () => {
    const migration = path.join(dir, 'shop/prisma/migrations/20251208101530_add_product_barcode/migration.sql');
    const relative = await run(['preflight', 'check', '--format', 'json', path.relative(dir, migration), 'shop/prisma/schema.prisma'], dir);
    const absolute = await run(['preflight', 'check', '--format', 'json', migration, path.join(dir, 'shop/prisma/schema.prisma')], path.join(dir, 'shop'));
    assert.equal(absolute.code, 1);
    const findings = (r: { out: string }) => (JSON.parse(r.out) as { findings: { rule: string; line: number; file: string }[] }).findings.map((f) => `${f.rule}:${f.line}:${f.file}`);
    // without git the paths are relative to the working directory, so compare them from one root
    assert.deepEqual(findings(absolute).map((f) => f.replace(/:prisma\//, ':shop/prisma/')), findings(relative));
  });
});
