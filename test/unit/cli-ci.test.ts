import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { CHECK_SPEC, CHECKLIST_SPEC, COMMENT_SPEC, EXPLAIN_SPEC, RULES_SPEC } from '../../src/cli/options/command-specs';

const ROOT = path.resolve(__dirname, '..', '..');
const SHOP = path.join(ROOT, 'examples', 'shop');
const MIGRATIONS = path.join(SHOP, 'prisma', 'migrations');

async function run(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = { NO_COLOR: '1' }): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd, env, isTTY: false });
  return { code, out, err };
}

/** A temporary folder, removed after the test. */
function scratch(): { dir: string; done(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'pf-ci-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

function copyShopTo(dest: string): string {
  cpSync(SHOP, dest, { recursive: true, filter: (src) => !src.endsWith('preflight-checklist.md') && !src.endsWith('down.sql') });
  return dest;
}

function gitInit(dir: string): (...args: string[]) => string {
  const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 't@example.com');
  git('config', 'user.name', 't');
  git('config', 'commit.gpgsign', 'false');
  return git;
}

type Doc = { version: number; findings: { rule: string; severity: string; file: string; migration: string | null }[]; migrations: { name: string; file: string }[]; notices: string[] };

describe('preflight CLI for CI', function () {
  this.timeout(120_000);

  describe('--help', () => {
    for (const spec of [CHECK_SPEC, COMMENT_SPEC, EXPLAIN_SPEC, RULES_SPEC, CHECKLIST_SPEC]) {
      it(`${spec.name} --help and -h exit 0 and list every option of the command's table`, async () => {
        const long = await run([spec.name, '--help']);
        assert.equal(long.code, 0);
        assert.equal(long.err, '');
        assert.ok(long.out.startsWith(`Usage: preflight ${spec.name}`), long.out);
        for (const o of spec.options) assert.ok(long.out.includes(`--${o.name}`), `--${o.name} missing from ${spec.name} --help`);
        assert.equal((await run([spec.name, '-h'])).out, long.out);
      });
    }

    it('every option the help lists is accepted by the parser (check: each flag with a value)', async () => {
      const out = (await run(['check', '--help'])).out;
      const listed = [...out.matchAll(/^ {2}(?:-\w, | {4})--([\w-]+)/gm)].map((m) => m[1]).filter((n) => n !== 'help');
      assert.deepEqual(listed, CHECK_SPEC.options.map((o) => o.name));
    });

    it('preflight --help lists the commands, trace and comment included', async () => {
      const r = await run(['--help']);
      assert.equal(r.code, 0);
      for (const c of ['check', 'comment', 'checklist', 'trace', 'explain', 'rules']) assert.match(r.out, new RegExp(`^  ${c} `, 'm'));
    });
  });

  describe('did you mean', () => {
    it('names the option meant for an unknown flag, the command for an unknown subcommand, the rule for an unknown id', async () => {
      const flag = await run(['check', '--formt', 'json']);
      assert.equal(flag.code, 2);
      assert.match(flag.err.split('\n')[0], /unknown option --formt for check \(did you mean --format\?\)/);
      const command = await run(['chek']);
      assert.equal(command.code, 2);
      assert.match(command.err.split('\n')[0], /unknown command "chek" \(did you mean check\?\)/);
      const rule = await run(['explain', 'drop-colum']);
      assert.equal(rule.code, 2);
      assert.match(rule.err.split('\n')[0], /unknown rule "drop-colum" \(did you mean drop-column\?\)/);
      const choice = await run(['check', 'examples/shop', '--fail-on', 'warn']);
      assert.match(choice.err.split('\n')[0], /--fail-on must be one of error, warning, info, never, not "warn" \(did you mean warning\?\)/);
    });
  });

  describe('flags', () => {
    it('--output-file writes the report to the file and nothing to stdout', async () => {
      const s = scratch();
      try {
        const file = path.join(s.dir, 'reports', 'preflight.json');
        const r = await run(['check', 'examples/shop', '--format', 'json', '--output-file', file]);
        assert.equal(r.code, 1);
        assert.equal(r.out, '');
        assert.equal(JSON.parse(readFileSync(file, 'utf8')).version, 2);
        assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse((await run(['check', 'examples/shop', '--format', 'json'])).out));
      } finally {
        s.done();
      }
    });

    it('--fail-on sets the threshold, --exit-zero and never always exit 0', async () => {
      // examples/shop has errors, warnings and infos
      const only = async (rule: string, extra: string[]) => (await run(['check', 'examples/shop', '--select', rule, ...extra])).code;
      assert.equal(await only('non-concurrent-index', []), 0, 'a warning does not fail by default');
      assert.equal(await only('non-concurrent-index', ['--fail-on', 'warning']), 1);
      assert.equal(await only('non-concurrent-index', ['--fail-on', 'error']), 0);
      assert.equal(await only('lock-timeout-missing', ['--fail-on', 'warning']), 0, 'an info is below warning');
      assert.equal(await only('lock-timeout-missing', ['--fail-on', 'info']), 1);
      assert.equal(await only('drop-column', []), 1);
      assert.equal(await only('drop-column', ['--fail-on', 'never']), 0);
      assert.equal(await only('drop-column', ['--exit-zero']), 0);
    });

    it('--select reports only the rules listed, --ignore leaves them out; an unknown id is a usage error', async () => {
      const rules = async (extra: string[]) => new Set((JSON.parse((await run(['check', 'examples/shop', '--format', 'json', ...extra])).out) as Doc).findings.map((f) => f.rule));
      const all = await rules([]);
      assert.ok(all.has('drop-column') && all.has('non-concurrent-index') && all.size > 3);
      assert.deepEqual([...(await rules(['--select', 'drop-column,non-concurrent-index']))].sort(), ['drop-column', 'non-concurrent-index']);
      const ignored = await rules(['--ignore', 'drop-column']);
      assert.deepEqual([...all].filter((r) => !ignored.has(r)), ['drop-column']);
      const bad = await run(['check', 'examples/shop', '--select', 'drop-column,drop-tabel']);
      assert.equal(bad.code, 2);
      assert.equal(bad.out, '');
      assert.match(bad.err.split('\n')[0], /unknown rule "drop-tabel" in --select \(did you mean drop-table\?\)/);
    });

    it('--quiet prints the findings only: no notes on stderr, no summary line', async () => {
      const s = scratch();
      try {
        const shop = copyShopTo(path.join(s.dir, 'shop'));
        rmSync(path.join(shop, 'package.json'));
        const loud = await run(['check', shop, '--select', 'drop-column']);
        assert.match(loud.err, /preflight: note: Prisma version unknown/);
        assert.match(loud.out, /in \d+ migrations\n$/);
        const quiet = await run(['check', shop, '--select', 'drop-column', '--quiet']);
        assert.equal(quiet.err, '');
        assert.ok(quiet.out.startsWith('error[drop-column]'));
        assert.doesNotMatch(quiet.out, /in \d+ migrations/);
      } finally {
        s.done();
      }
    });
  });

  describe('configuration and notices', () => {
    it('an invalid config exits 2 with one line naming the file, the line and what is wrong', async () => {
      const s = scratch();
      try {
        const shop = copyShopTo(path.join(s.dir, 'shop'));
        writeFileSync(path.join(shop, 'preflight.config.json'), '{\n  "rules": {},\n  "rule": { "drop-column": "off" }\n}\n');
        for (const format of ['pretty', 'json']) {
          const r = await run(['check', shop, '--format', format]);
          assert.equal(r.code, 2);
          assert.equal(r.out, '');
          assert.match(r.err.split('\n')[0], /^preflight: invalid configuration: .*preflight\.config\.json: line 3: unknown setting "rule" \(did you mean "rules"\?/);
        }
        writeFileSync(path.join(shop, 'preflight.config.json'), '{ "rules": { "drop-colum": "off" } }\n');
        assert.match((await run(['check', shop])).err, /unknown rule "drop-colum"/);
      } finally {
        s.done();
      }
    });

    it('notices are in the JSON document and on stderr, in every format', async () => {
      const s = scratch();
      try {
        const shop = copyShopTo(path.join(s.dir, 'shop'));
        rmSync(path.join(shop, 'package.json'));
        const json = await run(['check', shop, '--format', 'json']);
        const doc = JSON.parse(json.out) as Doc;
        assert.equal(doc.notices.length, 1);
        assert.match(doc.notices[0], /^Prisma version unknown/);
        assert.equal(json.err, `preflight: note: ${doc.notices[0]}\n`);
        for (const format of ['pretty', 'sarif', 'github', 'markdown', 'gitlab']) {
          assert.equal((await run(['check', shop, '--format', format])).err, json.err, format);
        }
      } finally {
        s.done();
      }
    });

    it('a skipped MySQL project is a notice of the run', async () => {
      const s = scratch();
      try {
        const shop = copyShopTo(path.join(s.dir, 'shop'));
        writeFileSync(path.join(shop, 'prisma', 'migrations', 'migration_lock.toml'), 'provider = "mysql"\n');
        const r = await run(['check', shop, '--format', 'json']);
        const doc = JSON.parse(r.out) as Doc;
        assert.ok(doc.notices.some((n) => /Preflight only reviews PostgreSQL migrations; skipped \d+ migrations/.test(n)), doc.notices.join('\n'));
        assert.match(r.err, /preflight: note: .*only reviews PostgreSQL/);
      } finally {
        s.done();
      }
    });

    it('check honours "baseRef" of preflight.config.json as the editor does; --since wins over it', async () => {
      const s = scratch();
      try {
        const shop = copyShopTo(path.join(s.dir, 'shop'));
        const git = gitInit(shop);
        const migrations = readdirSync(path.join(shop, 'prisma', 'migrations')).filter((n) => /^\d/.test(n)).sort();
        const last = migrations[migrations.length - 1];
        const lastDir = path.join(shop, 'prisma', 'migrations', last);
        const kept = path.join(s.dir, 'last');
        cpSync(lastDir, kept, { recursive: true });
        rmSync(lastDir, { recursive: true });
        git('add', '-A');
        git('commit', '-qm', 'base');
        git('branch', 'base');
        cpSync(kept, lastDir, { recursive: true });
        writeFileSync(path.join(shop, 'preflight.config.json'), '{ "baseRef": "base" }\n');
        const names = async (extra: string[]) => (JSON.parse((await run(['check', shop, '--format', 'json', ...extra])).out) as Doc).migrations.map((m) => m.name);
        assert.deepEqual(await names([]), [last]);
        git('add', '-A');
        git('commit', '-qm', 'branch');
        assert.deepEqual(await names(['--since', 'HEAD']), []);
        writeFileSync(path.join(shop, 'preflight.config.json'), '{ "baseRef": "no-such-ref" }\n');
        const bad = await run(['check', shop]);
        assert.equal(bad.code, 2);
        assert.match(bad.err.split('\n')[0], /no-such-ref.*"baseRef" in .*preflight\.config\.json/);
      } finally {
        s.done();
      }
    });
  });

  describe('inputs', () => {
    it('migration.sql files of one project are reviewed together, once: the same findings as the whole project', async () => {
      const files = readdirSync(MIGRATIONS)
        .filter((n) => /^\d/.test(n))
        .map((n) => path.join('examples/shop/prisma/migrations', n, 'migration.sql'));
      const whole = JSON.parse((await run(['check', 'examples/shop', '--format', 'json'])).out) as Doc;
      const named = JSON.parse((await run(['check', ...files, '--format', 'json'])).out) as Doc;
      assert.ok(!Array.isArray(named), 'one project, one document');
      assert.deepEqual(named, whole);
      const projectLevel = whole.findings.filter((f) => f.migration === null).length;
      assert.ok(projectLevel > 0, 'the example has schema findings');
      // Two of the files: their migrations only, plus the schema findings once.
      const two = JSON.parse((await run(['check', files[1], files[2], '--format', 'json'])).out) as Doc;
      assert.deepEqual(two.migrations.map((m) => m.file), [files[1], files[2]]);
      assert.equal(two.findings.filter((f) => f.migration === null).length, projectLevel);
    });

    it('a schema file named beside migration files (what a commit hook passes) adds its findings, not every migration', async () => {
      const schema = 'examples/shop/prisma/schema.prisma';
      const newest = readdirSync(MIGRATIONS).filter((n) => /^\d/.test(n)).sort().at(-1)!;
      const file = path.join('examples/shop/prisma/migrations', newest, 'migration.sql');
      const whole = JSON.parse((await run(['check', 'examples/shop', '--format', 'json'])).out) as Doc;
      const schemaFindings = whole.findings.filter((f) => f.file === schema);
      assert.ok(schemaFindings.length > 0, 'the example has schema findings');

      const alone = JSON.parse((await run(['check', schema, '--format', 'json'])).out) as Doc;
      assert.deepEqual(alone.migrations, []);
      assert.deepEqual(alone.findings, whole.findings.filter((f) => f.migration === null));
      for (const args of [[schema, file], [file, schema]]) {
        const staged = JSON.parse((await run(['check', ...args, '--format', 'json'])).out) as Doc;
        assert.deepEqual(staged.migrations.map((m) => m.name), [newest]);
        assert.deepEqual(new Set(staged.findings.map((f) => f.migration ?? f.file)), new Set([newest, ...schemaFindings.map((f) => f.file)]));
      }
      // the migrations folder (or the project) still stands for every migration, whatever the order
      const all = JSON.parse((await run(['check', schema, 'examples/shop/prisma/migrations', '--format', 'json'])).out) as Doc;
      assert.equal(all.findings.length, whole.findings.length);
    });

    it('a folder holding several projects reviews each, skipping node_modules and git-ignored folders', async () => {
      const s = scratch();
      try {
        const repo = s.dir;
        copyShopTo(path.join(repo, 'apps', 'web'));
        copyShopTo(path.join(repo, 'packages', 'db'));
        copyShopTo(path.join(repo, 'node_modules', 'some-lib'));
        copyShopTo(path.join(repo, 'build', 'copy'));
        writeFileSync(path.join(repo, '.gitignore'), 'build/\n');
        gitInit(repo);
        for (const args of [['check', '.', '--format', 'json'], ['check', '--format', 'json']]) {
          const r = await run(args, repo);
          const docs = JSON.parse(r.out) as Doc[];
          assert.ok(Array.isArray(docs), r.err);
          assert.deepEqual(
            docs.map((d) => d.migrations[0].file.split('/prisma/')[0]),
            ['apps/web', 'packages/db'],
          );
          assert.equal(r.code, 1);
        }
      } finally {
        s.done();
      }
    });

    it('paths are relative to the git top level from a subfolder (working-directory: prisma), to the working directory without git', async () => {
      const s = scratch();
      try {
        const shop = copyShopTo(path.join(s.dir, 'shop'));
        const prisma = path.join(shop, 'prisma');
        const noGit = await run(['check', '.', '--format', 'github', '--select', 'drop-column'], prisma);
        assert.match(noGit.out, /^::error file=migrations\/\d+_[a-z_]+\/migration.sql,/m);
        gitInit(shop);
        for (const format of ['github', 'json', 'gitlab', 'markdown']) {
          const r = await run(['check', '.', '--format', format, '--select', 'drop-column'], prisma);
          assert.match(r.out, /prisma\/migrations\/\d+_[a-z_]+\//, format);
          assert.doesNotMatch(r.out, /(^|[^/])migrations\/\d+_[a-z_]+\//, format);
        }
        const sarif = JSON.parse((await run(['check', '.', '--format', 'sarif', '--select', 'drop-column'], prisma)).out);
        assert.match(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, /^prisma\/migrations\//);
      } finally {
        s.done();
      }
    });
  });

  describe('--format github', () => {
    it('annotations are plain text: the help of every finding without Markdown backticks', async () => {
      const json = JSON.parse((await run(['check', 'examples/shop', '--format', 'json'])).out) as { findings: { help?: string }[] };
      assert.ok(json.findings.some((f) => f.help?.includes('`')), 'the example has help with backticks');
      const r = await run(['check', 'examples/shop', '--format', 'github']);
      const lines = r.out.trimEnd().split('\n');
      assert.equal(lines.length, json.findings.length);
      for (const line of lines) assert.doesNotMatch(line, /`/);
    });
  });

  describe('--format gitlab', () => {
    it('is a Code Quality report: description, check_name, fingerprint, severity, location.path and lines.begin for every finding', async () => {
      const r = await run(['check', 'examples/shop', '--format', 'gitlab']);
      const json = JSON.parse((await run(['check', 'examples/shop', '--format', 'json'])).out) as Doc;
      const issues = JSON.parse(r.out) as { description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }[];
      assert.equal(r.code, 1);
      assert.equal(issues.length, json.findings.length);
      const severities = { error: 'critical', warning: 'major', info: 'info' } as Record<string, string>;
      issues.forEach((issue, k) => {
        assert.equal(typeof issue.description, 'string');
        assert.ok(issue.description.length > 0);
        assert.equal(issue.check_name, json.findings[k].rule);
        assert.equal(issue.severity, severities[json.findings[k].severity]);
        assert.equal(issue.location.path, json.findings[k].file);
        assert.ok(Number.isInteger(issue.location.lines.begin) && issue.location.lines.begin >= 1);
      });
      assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length, 'fingerprints are unique');
    });

    it('fingerprints are stable across runs and when lines move above a finding', async () => {
      const s = scratch();
      try {
        const shop = copyShopTo(path.join(s.dir, 'shop'));
        const fingerprints = async () => (JSON.parse((await run(['check', shop, '--format', 'gitlab'])).out) as { fingerprint: string; check_name: string }[]).map((i) => `${i.check_name} ${i.fingerprint}`);
        const first = await fingerprints();
        assert.deepEqual(await fingerprints(), first);
        const file = path.join(shop, 'prisma', 'migrations', readdirSync(path.join(shop, 'prisma', 'migrations')).filter((n) => /^\d/.test(n)).sort().pop()!, 'migration.sql');
        writeFileSync(file, `-- a comment added above\n\n${readFileSync(file, 'utf8')}`);
        assert.deepEqual(await fingerprints(), first);
      } finally {
        s.done();
      }
    });
  });

  describe('--format markdown', () => {
    it('starts with the hidden marker and the verdict, counts with real plurals, a table per migration, help collapsed', async () => {
      const r = await run(['check', 'examples/shop', '--format', 'markdown']);
      const json = JSON.parse((await run(['check', 'examples/shop', '--format', 'json'])).out) as Doc;
      const lines = r.out.split('\n');
      assert.equal(lines[0], '<!-- preflight-prisma:review -->');
      const errors = json.findings.filter((f) => f.severity === 'error').length;
      assert.equal(lines[1], `## 🛑 Preflight: ${errors} errors — this will fail or lose data at deploy`);
      assert.match(r.out, /^\*\*\d+ errors, \d+ warnings?, \d+ info\*\* in \d+ migrations reviewed\.$/m);
      assert.match(r.out, /^- \*\*Data lost:\*\* .*`drop-column`/m);
      assert.match(r.out, /^- \*\*Locks:\*\* \d+ existing tables?$/m);
      assert.match(r.out, /^ {2}- `"\w+"`: ACCESS EXCLUSIVE \(blocks all reads and writes\) in `\d+_\w+`/m);
      const withFindings = new Set(json.findings.filter((f) => f.migration).map((f) => f.migration));
      for (const m of withFindings) assert.ok(r.out.includes(`### \`${m}\``), `no section for ${m}`);
      assert.equal((r.out.match(/^\| Severity \| Rule \| Line \| Finding \|$/gm) ?? []).length, withFindings.size + 1, 'a table per migration and one for schema.prisma');
      assert.equal((r.out.match(/<details><summary>/g) ?? []).length, (r.out.match(/<\/details>/g) ?? []).length);
      assert.match(r.out, /Checklist: not written yet — `preflight checklist examples\/shop\/prisma\/migrations\/\d+_\w+` writes `examples\/shop\/prisma\/migrations\/\d+_\w+\/preflight-checklist.md`\./);
      assert.doesNotMatch(r.out, /\(s\)/);
    });

    it('a clean review says so under the same marker', async () => {
      const r = await run(['check', 'examples/shop', '--format', 'markdown', '--select', 'parse-error']);
      assert.equal(r.code, 0);
      assert.ok(r.out.startsWith('<!-- preflight-prisma:review -->\n## ✅ Preflight: no findings\n'), r.out);
    });
  });
});
