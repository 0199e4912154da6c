/**
 * The persistent cache (src/core/cache/history-store.ts): output byte-identical to a run without
 * it, and invalidated by an edit, a configuration change, a Prisma version change and a tool
 * version change; a corrupted cache file is ignored and rewritten; concurrent runs each get the
 * right answer and leave a valid file.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HistoryAnalyzer } from '../../src/core/analysis/history';
import { defaultCacheDir, HistoryStore } from '../../src/core/cache/history-store';
import { RULES } from '../../src/core/rules/index';
import { ensureSqlParser } from '../../src/core/sql/parser';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const ENV = { PATH: process.env.PATH, NO_COLOR: '1' };

describe('persistent cache', function () {
  this.timeout(120_000);
  let project: string;
  let cacheDir: string;
  beforeEach(() => {
    project = mkdtempSync(path.join(tmpdir(), 'pf-cache-'));
    cpSync(path.join(ROOT, 'examples', 'shop'), project, { recursive: true });
    cacheDir = path.join(project, '.cache-under-test');
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  const check = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'json', ...args], { cwd: project, encoding: 'utf8', env: ENV });
    assert.equal(r.signal, null);
    return r.stdout;
  };
  const cold = (...args: string[]) => check('--no-cache', ...args);
  const warm = (...args: string[]) => check('--cache-dir', cacheDir, ...args);
  const cacheFiles = (kind = 'history') => readdirSync(cacheDir).filter((f) => f.startsWith(`${kind}-`) && f.endsWith('.json')).map((f) => path.join(cacheDir, f));
  const migration = (name: string) => path.join(project, 'prisma', 'migrations', name, 'migration.sql');

  it('a warm run prints byte for byte what a run without the cache prints (examples/shop), and --no-cache writes nothing', () => {
    const expected = cold();
    assert.ok(expected.includes('"findings"'));
    assert.equal(statSync(cacheDir, { throwIfNoEntry: false }), undefined, '--no-cache wrote a cache');
    assert.equal(warm(), expected, 'first run (fills the cache)');
    assert.equal(cacheFiles().length, 1);
    assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
    assert.equal(warm(), expected, 'second run (restored from the cache)');
  });

  it('an edit of a migration, a configuration change and a Prisma version change each give what a cold run gives', () => {
    warm();
    appendFileSync(migration('20250311102044_add_user_sessions'), '\nALTER TABLE "Product" DROP COLUMN "name";\n');
    assert.equal(warm(), cold(), 'after an edit in the middle of the history');
    writeFileSync(path.join(project, 'preflight.config.json'), JSON.stringify({ rules: { 'drop-column': 'warning', 'foreign-key-without-index': 'off' } }));
    assert.equal(warm(), cold(), 'after a configuration change');
    assert.equal(warm('--prisma-version', '5.22.0'), cold('--prisma-version', '5.22.0'), 'another Prisma version');
    assert.equal(warm(), cold(), 'back to the first Prisma version');
  });

  it('a corrupted or foreign cache file is ignored and rewritten', () => {
    const expected = cold();
    warm();
    const [file] = cacheFiles();
    const text = readFileSync(file, 'utf8');
    for (const broken of [text.slice(0, text.length / 2), text.replace('"rule"', '"rulz"'), 'not a cache', '']) {
      writeFileSync(file, broken);
      assert.equal(warm(), expected);
      assert.equal(readFileSync(file, 'utf8'), text, 'rewritten whole');
    }
  });

  it('a file whose hash holds but whose lines do not parse is ignored and rewritten', () => {
    const expected = cold();
    warm();
    const [file] = cacheFiles();
    const text = readFileSync(file, 'utf8');
    const rehashed = (body: string) => `${createHash('sha256').update(body).digest('hex')}\n${body}`;
    const body = text.slice(65);
    const lines = body.split('\n');
    // (Deltas of earlier migrations are parsed when read, and a hash that holds means this build wrote them.)
    for (const broken of [
      body.replace('\t', ' '), // a migration line with a field too few
      [lines[0], '{"tables":', ...lines.slice(2)].join('\n'), // a snapshot that does not parse
    ]) {
      writeFileSync(file, rehashed(broken));
      assert.equal(warm(), expected);
      assert.equal(readFileSync(file, 'utf8'), text, 'rewritten whole');
    }
  });

  it('a migration added at the end (a pull request) is reviewed on the restored history; the file then holds it too', () => {
    warm();
    const lineCount = () => readFileSync(cacheFiles()[0], 'utf8').split('\n').length;
    const before = lineCount();
    const dir = path.join(project, 'prisma', 'migrations', '20260101000000_add_refunds');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'migration.sql'), 'ALTER TABLE "Product" ADD COLUMN "refundable" BOOLEAN NOT NULL DEFAULT true;\nCREATE INDEX "Product_refundable_idx" ON "Product"("refundable");\n');
    const expected = cold();
    assert.equal(warm(), expected, 'restored prefix plus the new migration');
    assert.equal(lineCount(), before + 1, 'one line more: the new migration');
    assert.equal(warm(), expected, 'all restored');
  });

  it('a --since check on the restored base prints what --no-cache prints and leaves the file as the base left it', () => {
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: project, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    warm(); // the base branch fills the cache
    const [file] = cacheFiles();
    const base = readFileSync(file, 'utf8');
    const dir = path.join(project, 'prisma', 'migrations', '20260101000000_add_refunds');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'migration.sql'), 'ALTER TABLE "Product" ADD COLUMN "refundable" BOOLEAN NOT NULL;\n');
    git('add', '-A');
    git('commit', '-qm', 'branch');
    const expected = cold('--since', 'HEAD~1');
    assert.ok(expected.includes('20260101000000_add_refunds'));
    assert.equal(warm('--since', 'HEAD~1'), expected);
    assert.equal(readFileSync(file, 'utf8'), base, 'not rewritten for the branch\'s own migration');
    assert.equal(warm('--since', 'HEAD~1'), expected, 'again');
    assert.equal(warm(), cold(), 'the whole history, which is then recorded');
    assert.notEqual(readFileSync(file, 'utf8'), base);
  });

  it('findings judged on the later history follow it: a later migration that indexes a foreign key, then its removal', () => {
    const add = (name: string, sql: string) => {
      mkdirSync(path.join(project, 'prisma', 'migrations', name));
      writeFileSync(migration(name), sql);
    };
    add('20260101000000_refunds', 'CREATE TABLE "Refund" ("id" SERIAL PRIMARY KEY, "sale_id" INTEGER NOT NULL);\nALTER TABLE "Refund" ADD CONSTRAINT "Refund_sale_id_fkey" FOREIGN KEY ("sale_id") REFERENCES "Sale"("id") ON DELETE CASCADE;\n');
    const without = cold();
    assert.ok(without.includes('"foreign-key-without-index"'), 'the foreign key is flagged');
    assert.equal(warm(), without);
    add('20260102000000_refund_index', 'CREATE INDEX "Refund_sale_id_idx" ON "Refund"("sale_id");\n');
    const judged = cold();
    assert.ok(judged.includes('A later migration, 20260102000000_refund_index'), 'judged on the later history');
    assert.equal(warm(), judged, 'the earlier migration restored, judged again on the longer history');
    assert.equal(warm(), judged, 'the judged finding restored');
    rmSync(path.join(project, 'prisma', 'migrations', '20260102000000_refund_index'), { recursive: true });
    assert.equal(warm(), without, 'the later migration gone: judged on the shorter history again');
  });

  it('schema.prisma parsed once: restored while its text is the same, parsed again after an edit, a corrupted file ignored', () => {
    const schemaFile = path.join(project, 'prisma', 'schema.prisma');
    const expected = cold();
    assert.equal(warm(), expected);
    assert.equal(cacheFiles('schema').length, 1);
    assert.equal(warm(), expected, 'restored');
    const [file] = cacheFiles('schema');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"models"', '"modelz"'));
    assert.equal(warm(), expected, 'a corrupted file is parsed again');
    writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace(/onDelete: Restrict/, 'onDelete: Cascade'));
    const edited = cold();
    assert.notEqual(edited, expected, 'the edit changes the review');
    assert.equal(warm(), edited, 'after an edit of schema.prisma');
    assert.equal(cacheFiles('schema').length, 2, 'one file per version of the schema');
    for (let i = 0; i < 5; i++) {
      writeFileSync(schemaFile, `${readFileSync(schemaFile, 'utf8')}\n// edit ${i}\n`);
      warm();
    }
    assert.equal(cacheFiles('schema').length, 4, 'the newest four kept');
    assert.equal(warm(), cold(), 'after pruning');
  });

  it('concurrent runs sharing one cache folder all print the cold answer and leave a valid file', async () => {
    const expected = cold();
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, 'check', '.', '--format', 'json', '--cache-dir', cacheDir], { cwd: project, env: ENV });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
    for (let round = 0; round < 2; round++) {
      const outputs = await Promise.all([run(), run(), run(), run()]);
      for (const out of outputs) assert.equal(out, expected, `round ${round}`);
    }
    assert.equal(cacheFiles().length, 1);
    assert.deepEqual(readdirSync(cacheDir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
    assert.equal(warm(), expected);
  });

  it('a new tool version does not read the entries of another', async () => {
    await ensureSqlParser();
    const migrations = readdirSync(path.join(project, 'prisma', 'migrations'))
      .filter((n) => /^\d/.test(n))
      .map((name) => ({ name, file: migration(name), text: readFileSync(migration(name), 'utf8') }));
    const options = { prismaVersion: '7.3.0', rules: RULES, severityOf: (_: string, s: 'error' | 'warning' | 'info') => s, fileOfMigration: () => null };
    // As analyzeProject does: analyse with the store, then record in it.
    const analyze = (toolVersion: string, key: string) => {
      const store = new HistoryStore(cacheDir, { toolVersion, project });
      const r = new HistoryAnalyzer().analyze(migrations, options, key, store);
      store.record(migrations, r.analyses, key, r.restored);
      return r;
    };
    const first = analyze('1.0.0', 'k');
    assert.equal(first.reused, 0);
    const again = analyze('1.0.0', 'k');
    assert.equal(again.reused, migrations.length, 'same version: the whole history restored');
    assert.deepEqual(again.analyses.map((a) => a.findings), first.analyses.map((a) => a.findings));
    assert.equal(analyze('1.0.1', 'k').reused, 0, 'another version: nothing restored');
    assert.equal(analyze('1.0.0', 'other options').reused, 0, 'other options: nothing restored');
  });

  it('lives in node_modules/.cache/preflight next to the project, else in the user cache folder', () => {
    const nested = path.join(project, 'packages', 'db');
    mkdirSync(nested, { recursive: true });
    assert.equal(defaultCacheDir(nested, { XDG_CACHE_HOME: '/xdg' }), '/xdg/preflight');
    mkdirSync(path.join(project, 'node_modules'));
    assert.equal(defaultCacheDir(nested), path.join(project, 'node_modules', '.cache', 'preflight'));
  });
});
