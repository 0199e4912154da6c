/**
 * The GitHub Action (action.yml) run as the runner runs a composite action: its inputs with their
 * defaults, `${{ }}` expressions substituted, each `run:` step in `bash --noprofile --norc -eo
 * pipefail` in its working directory, with its own GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
 * The repository is a shallow clone of a pull request's branch (its base not fetched), and a
 * stand-in GitHub API on 127.0.0.1 receives the comment.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { startGitHubStandIn, type GitHubStandIn } from './support/github-stand-in';

const ROOT = path.resolve(__dirname, '..', '..');
const SHOP = path.join(ROOT, 'examples', 'shop');
const MARKER = '<!-- preflight-prisma:review -->';
const TOKEN = 'ghs_ActionStandInToken93c1d';

interface ActionDefinition {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; name?: string; if?: string; shell?: string; run?: string; uses?: string; with?: Record<string, string>; env?: Record<string, string>; 'working-directory'?: string }[] };
}

interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The job summary: every step's GITHUB_STEP_SUMMARY, in order. */
  summary: string;
  outputs: Record<string, string>;
  /** The paths the actions/cache step keeps between runs. */
  cached: string[];
}

interface Runner {
  workspace: string;
  actionPath: string;
  env: Record<string, string>;
  temp: string;
}

/** Runs action.yml's steps like the runner: fails the test on anything the simulation does not know. */
async function runAction(runner: Runner, given: Record<string, string>): Promise<ActionRun> {
  const action = parse(readFileSync(path.join(runner.actionPath, 'action.yml'), 'utf8')) as ActionDefinition;
  assert.equal(action.runs.using, 'composite');
  for (const name of Object.keys(given)) assert.ok(name in action.inputs, `action.yml has no input "${name}"`);
  const stepOutputs: Record<string, Record<string, string>> = {};
  const inputs: Record<string, string> = {};
  const evaluate = (text: string): string =>
    text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
      let m: RegExpExecArray | null;
      if ((m = /^inputs\.([\w-]+)$/.exec(expr))) return inputs[m[1]] ?? '';
      if (expr === 'github.action_path') return runner.actionPath;
      if (expr === 'github.token') return TOKEN;
      if (expr === 'github.sha') return 'f'.repeat(40);
      if (expr === 'runner.temp') return runner.temp;
      if (expr === 'runner.os') return 'Linux';
      if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr))) return stepOutputs[m[1]]?.[m[2]] ?? '';
      throw new Error(`the simulated runner does not know the expression ${expr}`);
    });
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = given[name] ?? evaluate(String(spec.default ?? ''));

  let stdout = '';
  let stderr = '';
  let summary = '';
  let code = 0;
  const cached: string[] = [];
  for (const [k, step] of action.runs.steps.entries()) {
    if (step.if !== undefined) {
      // The one condition the action uses: an input compared with 'true'.
      const m = /^inputs\.([\w-]+) == 'true'$/.exec(step.if);
      assert.ok(m, `the simulation does not evaluate if: ${step.if}`);
      if (inputs[m[1]] !== 'true') continue;
    }
    if (step.uses !== undefined) {
      // actions/cache restores nothing on a new runner; what it would save is checked by the tests.
      assert.equal(step.uses, 'actions/cache@v4', 'the simulation knows no other action');
      cached.push(evaluate(step.with!.path));
      continue;
    }
    assert.equal(step.shell, 'bash');
    const files = { output: path.join(runner.temp, `output-${k}`), summary: path.join(runner.temp, `summary-${k}`), script: path.join(runner.temp, `step-${k}.sh`) };
    writeFileSync(files.output, '');
    writeFileSync(files.summary, '');
    writeFileSync(files.script, evaluate(step.run ?? ''));
    const env: Record<string, string> = { ...runner.env, GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, GITHUB_ACTION_PATH: runner.actionPath };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = evaluate(String(value));
    const cwd = path.resolve(runner.workspace, evaluate(step['working-directory'] ?? '.'));
    const r = await bash(files.script, cwd, env);
    stdout += r.stdout;
    stderr += r.stderr;
    summary += readFileSync(files.summary, 'utf8');
    if (step.id) stepOutputs[step.id] = parseOutputFile(readFileSync(files.output, 'utf8'));
    if (r.code !== 0) {
      code = r.code;
      break;
    }
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([name, o]) => [name, evaluate(o.value)]));
  return { code, stdout, stderr, summary, outputs, cached };
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** `name=value` lines and `name<<DELIMITER` blocks, as the runner reads GITHUB_OUTPUT. */
function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([\w-]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return out;
}

describe('GitHub Action (action.yml): its contract', () => {
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionDefinition;
  const doc = readFileSync(path.join(ROOT, 'docs', 'ci.md'), 'utf8');

  it('docs/ci.md has a row for every input and output, and none for one the action lacks', () => {
    const rows = (heading: string) => {
      const section = doc.slice(doc.indexOf(`### ${heading}\n`), doc.indexOf('\n### ', doc.indexOf(`### ${heading}\n`) + 1));
      return [...section.matchAll(/^\| `([\w-]+)` \|/gm)].map((m) => m[1]).sort();
    };
    assert.deepEqual(rows('Inputs'), Object.keys(action.inputs).sort());
    assert.deepEqual(rows('Outputs'), Object.keys(action.outputs).sort());
    for (const [name, input] of Object.entries(action.inputs)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${name}\` |`))!;
      if (input.default && !input.default.includes('${{')) assert.ok(row.includes(`| \`${input.default}\` |`), `docs/ci.md gives another default for ${name}: ${row}`);
    }
  });

  it('inputs reach the scripts through env only, never spliced into a run: script', () => {
    for (const step of action.runs.steps) assert.doesNotMatch(step.run ?? '', /\$\{\{/, `step "${step.name}" splices an expression into its script`);
  });

  it('the local pre-commit hook in docs/ci.md takes the same files as .pre-commit-hooks.yaml', () => {
    const [hook] = parse(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { files: string }[];
    assert.match(doc, new RegExp(`^ +files: ${hook.files.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`, 'm'));
  });
});

describe('GitHub Action (action.yml) in a simulated runner', function () {
  this.timeout(120_000);
  let dir: string;
  let api: GitHubStandIn;
  let runner: Runner;
  let newest: string;
  let older: string;

  const prEnv = () => {
    const event = path.join(dir, 'pull_request.json');
    writeFileSync(event, JSON.stringify({ action: 'opened', number: 7, pull_request: { number: 7, base: { ref: 'main' }, head: { ref: 'feature' } } }));
    return { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_BASE_REF: 'main', GITHUB_HEAD_REF: 'feature', GITHUB_REF: 'refs/pull/7/merge' };
  };
  const pushEnv = () => {
    const event = path.join(dir, 'push.json');
    writeFileSync(event, JSON.stringify({ ref: 'refs/heads/main', head_commit: { id: '0' } }));
    return { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event, GITHUB_BASE_REF: '', GITHUB_REF: 'refs/heads/main' };
  };
  const noToken = (r: ActionRun) => assert.ok(!r.stdout.includes(TOKEN) && !r.stderr.includes(TOKEN) && !r.summary.includes(TOKEN), 'the token is printed');

  before(function () {
    if (!existsSync(path.join(ROOT, 'dist', 'cli.js'))) this.skip();
  });

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pf-action-'));
    api = await startGitHubStandIn({ owner: 'acme', repo: 'shop', token: TOKEN });
    // origin: main holds the shop without its newest migration; the pull request's branch adds it.
    const git = (cwd: string, ...a: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...a], { cwd, stdio: 'pipe', encoding: 'utf8' });
    const origin = path.join(dir, 'origin.git');
    const seed = path.join(dir, 'seed');
    mkdirSync(seed);
    git(dir, 'init', '-q', '--bare', '-b', 'main', origin);
    git(seed, 'init', '-q', '-b', 'main');
    const shop = path.join(seed, 'apps', 'shop');
    cpSync(SHOP, shop, { recursive: true, filter: (src) => !/preflight-checklist\.md$|down\.sql$|node_modules/.test(src) });
    const migrations = readdirSync(path.join(shop, 'prisma', 'migrations')).filter((n) => /^\d/.test(n)).sort();
    newest = migrations.at(-1)!;
    // a migration of the base branch with an error of its own (drop-column)
    older = migrations.find((n) => n.endsWith('_remove_customer_loyalty_points'))!;
    const moved = path.join(dir, newest);
    cpSync(path.join(shop, 'prisma', 'migrations', newest), moved, { recursive: true });
    rmSync(path.join(shop, 'prisma', 'migrations', newest), { recursive: true });
    git(seed, 'add', '-A');
    git(seed, 'commit', '-qm', 'base');
    git(seed, 'push', '-q', origin, 'main');
    git(seed, 'checkout', '-q', '-b', 'feature');
    cpSync(moved, path.join(shop, 'prisma', 'migrations', newest), { recursive: true });
    git(seed, 'add', '-A');
    git(seed, 'commit', '-qm', 'add a migration');
    git(seed, 'push', '-q', origin, 'feature');
    // what actions/checkout leaves by default: one commit of the branch, no base branch
    const workspace = path.join(dir, 'workspace');
    git(dir, 'clone', '-q', '--depth=1', '--branch', 'feature', `file://${origin}`, workspace);
    const temp = path.join(dir, 'runner-temp');
    mkdirSync(temp);
    const home = path.join(dir, 'home');
    mkdirSync(home);
    runner = {
      workspace,
      actionPath: ROOT,
      temp,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_API_URL: api.url,
        GITHUB_SERVER_URL: 'https://github.com',
        RUNNER_TEMP: temp,
      },
    };
  });
  afterEach(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('on a pull request: fetches the base, annotates only the new migration (repository paths), writes the summary and SARIF, posts the comment; a second run updates it', async () => {
    Object.assign(runner.env, prEnv());
    const inputs = { 'working-directory': 'apps/shop', comment: 'true', sarif: 'reports/preflight.sarif' };
    const first = await runAction(runner, inputs);
    assert.equal(first.code, 1, `${first.stdout}\n${first.stderr}`); // the new migration has an error
    noToken(first);
    const annotations = first.stdout.split('\n').filter((l) => l.startsWith('::error') || l.startsWith('::warning') || l.startsWith('::notice'));
    assert.ok(annotations.some((l) => l.startsWith(`::error file=apps/shop/prisma/migrations/${newest}/migration.sql,line=`)), first.stdout);
    assert.ok(!first.stdout.includes(older), 'a migration of the base branch is annotated: --since was not applied');
    assert.ok(first.summary.startsWith(MARKER), first.summary);
    assert.match(first.summary, new RegExp(newest));
    assert.ok(!first.summary.includes(older));
    assert.equal(readFileSync(first.outputs['summary-file'], 'utf8'), first.summary);

    const sarifFile = path.join(runner.workspace, 'apps', 'shop', 'reports', 'preflight.sarif');
    assert.equal(first.outputs['sarif-file'], sarifFile);
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
    const uris = sarif.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri);
    assert.ok(uris.length > 0 && uris.every((u: string) => u.startsWith('apps/shop/')), uris.join(' '));

    const posts = api.requests.filter((r) => r.method === 'POST');
    assert.equal(posts.length, 1);
    assert.equal(posts[0].authorization, `Bearer ${TOKEN}`);
    const [comment] = api.comments.get(7)!;
    assert.equal(comment.body, first.summary, 'the comment and the summary are the same report');

    // actions/cache keeps the folder the review wrote its analysis cache to.
    assert.deepEqual(first.cached, [path.join(runner.temp, 'preflight-cache')]);
    assert.ok(readdirSync(first.cached[0]).some((f) => /^history-[0-9a-f]+\.json$/.test(f)), `nothing cached in ${first.cached[0]}`);

    api.requests.length = 0;
    const second = await runAction(runner, inputs);
    assert.equal(second.code, 1);
    assert.equal(second.summary, first.summary, 'the cached analysis gives the same review');
    noToken(second);
    assert.deepEqual(api.requests.map((r) => r.method), ['GET', 'PATCH']);
    assert.equal(api.requests[1].url, `/repos/acme/shop/issues/comments/${comment.id}`);
    assert.equal(api.comments.get(7)!.length, 1);
  });

  it('cache: false keeps nothing: no actions/cache step, and the review writes no cache', async () => {
    Object.assign(runner.env, prEnv());
    const r = await runAction(runner, { 'working-directory': 'apps/shop', cache: 'false' });
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.cached, []);
    assert.ok(!existsSync(path.join(runner.temp, 'preflight-cache')));
  });

  it('outside a pull request: every migration is reviewed, no comment (a notice says why), fail-on never passes', async () => {
    Object.assign(runner.env, pushEnv());
    const r = await runAction(runner, { 'working-directory': 'apps/shop', comment: 'true', 'fail-on': 'never' });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`file=apps/shop/prisma/migrations/${older}/migration.sql`), 'every migration is reviewed');
    assert.match(r.stdout, /^::notice title=Preflight::No pull-request comment: this run is not for a pull request\.$/m);
    assert.equal(api.requests.length, 0);
    assert.equal(r.outputs['sarif-file'], '');
  });

  it('a comment that cannot be posted (a fork\'s read-only token) is a warning; the review still decides the result', async () => {
    Object.assign(runner.env, prEnv());
    api.failWith = { status: 403, message: `Resource not accessible by integration ${TOKEN}` };
    const r = await runAction(runner, { 'working-directory': 'apps/shop', comment: 'true' });
    assert.equal(r.code, 1);
    noToken(r);
    assert.match(r.stdout, /^::warning title=Preflight::The pull-request comment was not posted/m);
    assert.match(r.stderr, /HTTP 403/);
    assert.ok(r.summary.startsWith(MARKER));
  });

  it('invalid inputs stop the step with exit 2 and one line, before anything is written or posted', async () => {
    Object.assign(runner.env, prEnv());
    const badLevel = await runAction(runner, { 'working-directory': 'apps/shop', 'fail-on': 'warn', comment: 'true' });
    assert.equal(badLevel.code, 2);
    assert.match(badLevel.stderr, /^preflight: --fail-on must be one of error, warning, info, never, not "warn" \(did you mean warning\?\)/);
    assert.equal(badLevel.stderr.trimEnd().split('\n').length, 1, badLevel.stderr);
    assert.equal(badLevel.summary, '');
    const badComment = await runAction(runner, { 'working-directory': 'apps/shop', comment: 'yes' });
    assert.equal(badComment.code, 2);
    assert.equal(badComment.stderr, 'preflight: the comment input must be true or false, not "yes"\n');
    const badSince = await runAction(runner, { 'working-directory': 'apps/shop', since: 'origin/no-such-branch' });
    assert.equal(badSince.code, 2);
    assert.match(badSince.stderr, /no-such-branch/);
    assert.equal(api.requests.length, 0);
  });

  it('several paths, separated by spaces or new lines, relative to working-directory', async () => {
    Object.assign(runner.env, prEnv());
    const r = await runAction(runner, { path: `apps/shop/prisma/migrations/${newest}\n  apps/shop/prisma/schema.prisma `, 'fail-on': 'never' });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`file=apps/shop/prisma/migrations/${newest}/migration.sql`), r.stdout);
  });

  it('a checkout of the action without dist/ is built once (npm ci --ignore-scripts, then the build script)', async () => {
    const actionPath = path.join(dir, 'action');
    mkdirSync(path.join(actionPath, 'scripts'), { recursive: true });
    cpSync(path.join(ROOT, 'action.yml'), path.join(actionPath, 'action.yml'));
    writeFileSync(path.join(actionPath, 'scripts', 'build.mjs'), "import { mkdirSync, writeFileSync } from 'node:fs';\nmkdirSync('dist', { recursive: true });\nwriteFileSync('dist/cli.js', '');\n");
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    const log = path.join(dir, 'npm.log');
    writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "$PWD $*" >> '${log}'\n`);
    chmodSync(path.join(bin, 'npm'), 0o755);
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionDefinition;
    // the setup step alone: a copy of the action whose steps end after it
    writeFileSync(path.join(actionPath, 'action.yml'), JSON.stringify({ ...action, outputs: {}, runs: { ...action.runs, steps: [action.runs.steps[0]] } }));
    const setupOnly = { ...runner, actionPath, env: { ...runner.env, PATH: `${bin}:${runner.env.PATH}` } };
    await runAction(setupOnly, {});
    assert.equal(readFileSync(log, 'utf8'), `${actionPath} ci --ignore-scripts --no-audit --no-fund --loglevel=error\n`);
    assert.ok(existsSync(path.join(actionPath, 'dist', 'cli.js')));
    // built: the next run does not install again
    await runAction(setupOnly, {});
    assert.equal(readFileSync(log, 'utf8').split('\n').length, 2);
  });
});
