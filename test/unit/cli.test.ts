import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

const ROOT = path.resolve(__dirname, '..', '..');
const SHOP = path.join(ROOT, 'examples', 'shop');

async function run(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = { NO_COLOR: '1' }): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd, env, isTTY: false });
  return { code, out, err };
}

function copyShop(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pf-cli-'));
  cpSync(SHOP, path.join(dir, 'shop'), { recursive: true, filter: (src) => !src.endsWith('preflight-checklist.md') && !src.endsWith('down.sql') });
  return path.join(dir, 'shop');
}

describe('preflight CLI', function () {
  this.timeout(60_000);

  it('exit 1 with errors on the example, JSON v2 with repository-relative paths and per-statement facts', async () => {
    const { code, out } = await run(['check', 'examples/shop', '--format', 'json']);
    assert.equal(code, 1);
    const json = JSON.parse(out);
    assert.deepEqual(Object.keys(json), ['version', 'prismaVersion', 'migrations', 'findings', 'notices']);
    assert.equal(json.version, 2);
    assert.equal(json.prismaVersion, '7.3.0');
    const m2 = json.migrations.find((m: { name: string }) => m.name === '20250203141527_protect_session_products');
    assert.equal(m2.file, 'examples/shop/prisma/migrations/20250203141527_protect_session_products/migration.sql');
    assert.equal(m2.mode, 'batch');
    const fk = m2.statements.find((s: { kind: string; locks: { table: string; mode: string }[] }) => s.kind === 'AlterTableStmt' && s.locks.some((l) => l.mode === 'ShareRowExclusiveLock'));
    assert.deepEqual(fk.locks, [{ table: 'public.Product', mode: 'ShareRowExclusiveLock' }, { table: 'public.Session', mode: 'ShareRowExclusiveLock' }]);
    const drift = json.findings.find((f: { rule: string }) => f.rule === 'prisma-schema-drift');
    assert.deepEqual([drift.file, drift.migration, drift.start], ['examples/shop/prisma/schema.prisma', null, { line: 207, column: 65 }]);
    assert.ok(json.findings.some((f: { rule: string; severity: string }) => f.rule === 'concurrently-in-transaction' && f.severity === 'error'));
  });

  it('--prisma-version 7.8.0 splits the files: the lone CONCURRENTLY is no longer an error', async () => {
    const { out } = await run(['check', 'examples/shop', '--format', 'json', '--prisma-version', '7.8.0']);
    const json = JSON.parse(out);
    assert.equal(json.prismaVersion, '7.8.0');
    assert.ok(!json.findings.some((f: { rule: string }) => f.rule === 'concurrently-in-transaction'));
  });

  it('a single migration folder reports only that migration', async () => {
    const { out } = await run(['check', 'examples/shop/prisma/migrations/20250916112205_remove_customer_loyalty_points', '--format', 'json']);
    const json = JSON.parse(out);
    assert.deepEqual(json.migrations.map((m: { name: string }) => m.name), ['20250916112205_remove_customer_loyalty_points']);
    assert.deepEqual([...new Set(json.findings.map((f: { migration: string | null }) => f.migration))].filter(Boolean), ['20250916112205_remove_customer_loyalty_points']);
  });

  it('a config file turns rules off and changes severities, for the CLI and everything else that reads it', async () => {
    const shop = copyShop();
    try {
      writeFileSync(path.join(shop, 'preflight.config.json'), '{\n  // comments allowed\n  "rules": { "concurrently-in-transaction": "off", "drop-column": "warning", "drop-enum-value": "warning", "add-required-column": "warning", "narrowing-type-change": "warning", "set-null-on-required-column": "off" },\n}\n');
      const { code, out } = await run(['check', shop, '--format', 'json']);
      const json = JSON.parse(out);
      assert.ok(!json.findings.some((f: { rule: string }) => f.rule === 'concurrently-in-transaction'));
      assert.equal(json.findings.find((f: { rule: string }) => f.rule === 'drop-column')?.severity ?? 'warning', 'warning');
      assert.equal(code, json.findings.some((f: { severity: string }) => f.severity === 'error') ? 1 : 0);
    } finally {
      rmSync(path.dirname(shop), { recursive: true, force: true });
    }
  });

  it('several paths: each project with its own configuration, JSON as an array of v1 documents, one SARIF run', async () => {
    const shop = copyShop();
    try {
      // The copy turns concurrently-in-transaction off; examples/shop keeps it: each path reads its own config.
      writeFileSync(path.join(shop, 'preflight.config.json'), '{ "rules": { "concurrently-in-transaction": "off" } }\n');
      const single = [JSON.parse((await run(['check', 'examples/shop', '--format', 'json'])).out), JSON.parse((await run(['check', shop, '--format', 'json'])).out)];
      const both = await run(['check', 'examples/shop', shop, '--format', 'json']);
      assert.equal(both.code, 1);
      assert.deepEqual(JSON.parse(both.out), single);
      assert.ok(single[0].findings.some((f: { rule: string }) => f.rule === 'concurrently-in-transaction'));
      assert.ok(!single[1].findings.some((f: { rule: string }) => f.rule === 'concurrently-in-transaction'));

      const sarif = JSON.parse((await run(['check', 'examples/shop', shop, '--format', 'sarif'])).out);
      assert.equal(sarif.runs.length, 1);
      assert.equal(sarif.runs[0].results.length, single[0].findings.length + single[1].findings.length);
      const pretty = (await run(['check', shop, 'examples/shop'])).out;
      assert.ok(pretty.includes('examples/shop/prisma/migrations/') && pretty.includes(path.relative(ROOT, shop)));

      // A path that is no project stops the run before anything is printed.
      const empty = mkdtempSync(path.join(tmpdir(), 'pf-empty-'));
      const bad = await run(['check', 'examples/shop', empty, '--format', 'json']);
      rmSync(empty, { recursive: true, force: true });
      assert.deepEqual([bad.code, bad.out], [2, '']);
      assert.match(bad.err, /no Prisma project found/);
    } finally {
      rmSync(path.dirname(shop), { recursive: true, force: true });
    }
  });

  it('// preflight-ignore in schema.prisma silences a schema finding on the next line, or the whole file', async () => {
    const shop = copyShop();
    try {
      const schemaFile = path.join(shop, 'prisma', 'schema.prisma');
      const original = readFileSync(schemaFile, 'utf8');
      const driftLines = async () => {
        const json = JSON.parse((await run(['check', shop, '--format', 'json'])).out);
        return json.findings.filter((f: { rule: string; file: string }) => f.rule === 'prisma-schema-drift' && f.file.endsWith('schema.prisma')).map((f: { start: { line: number } }) => f.start.line);
      };
      const saleLine = original.split('\n').findIndex((l) => /^\s*sale\s+Sale\s+@relation/.test(l)) + 1;
      assert.deepEqual(await driftLines(), [saleLine]);
      const withComment = (comment: string) => original.replace(/^(\s*)(sale\s+Sale\s+@relation)/m, `$1${comment}\n$1$2`);

      writeFileSync(schemaFile, withComment('// preflight-ignore prisma-schema-drift: the FK changes in the next release'));
      assert.deepEqual(await driftLines(), []);
      // Another rule's id, or a /// documentation comment, silences nothing (the finding moves down one line).
      writeFileSync(schemaFile, withComment('// preflight-ignore drop-column'));
      assert.deepEqual(await driftLines(), [saleLine + 1]);
      writeFileSync(schemaFile, withComment('/// preflight-ignore prisma-schema-drift'));
      assert.deepEqual(await driftLines(), [saleLine + 1]);
      // The directive covers only the next item: one placed before the model leaves the field reported.
      writeFileSync(schemaFile, original.replace(/^model SaleItem \{/m, '// preflight-ignore prisma-schema-drift\nmodel SaleItem {'));
      assert.deepEqual(await driftLines(), [saleLine + 1]);
      writeFileSync(schemaFile, `// preflight-ignore-file all: reviewed by hand\n${original}`);
      assert.deepEqual(await driftLines(), []);
    } finally {
      rmSync(path.dirname(shop), { recursive: true, force: true });
    }
  });

  it('usage errors exit 2 with a clear message', async () => {
    assert.deepEqual(await run(['check', '--format', 'xml']).then((r) => [r.code, r.err]), [2, 'preflight: --format must be one of pretty, json, sarif, github, markdown, gitlab, not "xml" (preflight --help shows the usage)\n']);
    assert.equal((await run(['frobnicate'])).code, 2);
    assert.equal((await run(['check', '--prisma-version', 'banana'])).code, 2);
    const none = await run(['check', mkdtempSync(path.join(tmpdir(), 'pf-empty-'))]);
    assert.equal(none.code, 2);
    assert.match(none.err, /no Prisma project found/);
  });

  it('explain prints the rule documentation; unknown ids are a usage error', async () => {
    const r = await run(['explain', 'drop-column']);
    assert.equal(r.code, 0);
    assert.equal(r.out, readFileSync(path.join(ROOT, 'docs', 'rules', 'drop-column.md'), 'utf8'));
    assert.equal((await run(['explain', 'no-such-rule'])).code, 2);
  });

  it('--since: only migrations changed since the ref, edited ones flagged, onDelete changes in schema.prisma', async () => {
    const shop = copyShop();
    const git = (...a: string[]) => execFileSync('git', a, { cwd: shop, stdio: 'pipe' });
    try {
      git('init', '-q', '-b', 'main');
      git('-c', 'user.email=a@b', '-c', 'user.name=t', 'commit', '-qm', 'init', '--allow-empty');
      git('add', '.');
      git('-c', 'user.email=a@b', '-c', 'user.name=t', 'commit', '-qm', 'shop');
      const m5 = path.join(shop, 'prisma/migrations/20250916112205_remove_customer_loyalty_points/migration.sql');
      writeFileSync(m5, readFileSync(m5, 'utf8') + '\n-- edited after deploy\n');
      const schema = path.join(shop, 'prisma/schema.prisma');
      writeFileSync(schema, readFileSync(schema, 'utf8').replace(/(sale\s+Sale\s+@relation\([^)]*onDelete: )Cascade/, '$1Restrict'));
      // Line endings alone are no change (a Windows checkout); a new folder is a change, not an edit.
      const m1 = path.join(shop, 'prisma/migrations/20250114093012_init/migration.sql');
      writeFileSync(m1, readFileSync(m1, 'utf8').replace(/\r?\n/g, '\r\n'));
      mkdirSync(path.join(shop, 'prisma/migrations/20991231000000_later'));
      writeFileSync(path.join(shop, 'prisma/migrations/20991231000000_later/migration.sql'), 'DROP TABLE "Session";\n');
      const { out } = await run(['check', shop, '--since', 'main', '--format', 'json']);
      const json = JSON.parse(out);
      assert.deepEqual(json.migrations.map((m: { name: string }) => m.name), ['20250916112205_remove_customer_loyalty_points', '20991231000000_later']);
      assert.deepEqual(json.findings.filter((f: { rule: string }) => f.rule === 'migration-modified').map((f: { migration: string }) => f.migration), ['20250916112205_remove_customer_loyalty_points']);
      const rules = json.findings.map((f: { rule: string }) => f.rule);
      assert.ok(rules.includes('migration-modified'), rules.join(','));
      assert.ok(rules.includes('prisma-on-delete-change'), rules.join(','));
      assert.equal((await run(['check', shop, '--since', 'no-such-ref'])).code, 2);
    } finally {
      rmSync(path.dirname(shop), { recursive: true, force: true });
    }
  });

  it('checklist writes the file, keeps it on rerun, and --verify gates on pre-deployment ticks', async () => {
    const shop = copyShop();
    try {
      const folder = path.join(shop, 'prisma/migrations/20250203141527_protect_session_products');
      assert.equal((await run(['checklist', folder, '--verify'])).code, 1);
      const w = await run(['checklist', folder, '--down-sql']);
      assert.equal(w.code, 0, w.err);
      const file = path.join(folder, 'preflight-checklist.md');
      assert.match(readFileSync(file, 'utf8'), /Check for orphan rows before adding "Product_session_id_fkey"/);
      assert.match(readFileSync(path.join(folder, 'down.sql'), 'utf8'), /ON DELETE SET NULL ON UPDATE CASCADE;/);
      assert.equal((await run(['checklist', folder, '--verify'])).code, 1);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^- \[ \] (.*<!-- id:pre\.)/gm, '- [x] $1'));
      assert.equal((await run(['checklist', folder, '--verify'])).code, 0);
    } finally {
      rmSync(path.dirname(shop), { recursive: true, force: true });
    }
  });

  it('the bundled CLI runs on its own, with the WASM parser beside it', () => {
    const cli = path.join(ROOT, 'dist', 'cli.js');
    assert.ok(existsSync(cli) && existsSync(path.join(ROOT, 'dist', 'libpg-query.wasm')), 'run `node scripts/build.mjs` first (npm test does)');
    const r = spawnSync(process.execPath, [cli, 'check', 'examples/shop', '--format', 'github'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^::error file=examples\/shop\/prisma\/migrations\/20251208101530_add_product_barcode\/migration\.sql,line=5,/m);
  });
});
