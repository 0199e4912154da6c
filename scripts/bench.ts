/**
 * `npm run bench`: Preflight measured side by side with squawk and pgfence on the shared corpus
 * (10 real Prisma histories), several runs each, medians and ratios printed in one run, and the
 * results written to docs/benchmarks.md (between the generated-section markers; the hand-written
 * notes around them are kept).
 *
 *   npm run bench -- [--runs 5] [--corpus <dir>] [--no-package] [--no-write]   (default: PREFLIGHT_CORPUS)
 *                    [--only process,cache,linear,editor,replay,extension]
 *
 * Timings are wall-clock medians. Nothing here is asserted in the test suite: the goals are
 * printed with the figures.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as pg from 'libpg-query';
import { analyzeMigration, type MigrationInput, type MigrationOptions } from '../src/core/analysis/analyze-migration';
import { analyzeProject, severityFromConfig } from '../src/core/analysis/analyze-project';
import { HistoryAnalyzer } from '../src/core/analysis/history';
import { Catalog } from '../src/core/catalog/model';
import { loadConfig } from '../src/core/project/config';
import { discoverProject, type PrismaProject } from '../src/core/project/discover';
import { RULES } from '../src/core/rules/index';
import { parseMigrationSql } from '../src/core/sql/parse-migration';
import { ensureSqlParser } from '../src/core/sql/parser';

const ROOT = path.resolve(__dirname, '..');
const requireHere = createRequire(__filename);

// ---------------------------------------------------------------------------------------------

interface Repo {
  name: string;
  dir: string;
  /** migration.sql files in Prisma's order. */
  files: string[];
  bytes: number;
}

interface Goal {
  what: string;
  target: string;
  value: string;
  met: boolean | null;
}

interface Section {
  title: string;
  lines: string[];
}

const GOALS: Goal[] = [];
const LOAD_AT_START = os.loadavg();
const STARTED = new Date();
const COMMIT_AT_START = git(['rev-parse', '--short', 'HEAD']);
const DIRTY_AT_START = git(['status', '--porcelain', '--untracked-files=no']) !== '';
const SECTIONS: Section[] = [];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      corpus: { type: 'string', default: process.env.PREFLIGHT_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus') },
      'no-package': { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      only: { type: 'string' },
    },
  });
  const runs = Math.max(1, Number(values.runs));
  const only = new Set((values.only ?? 'process,cache,linear,editor,replay,extension').split(',').map((s) => s.trim()));
  const repos = corpusRepos(values.corpus!);
  if (!repos.length) throw new Error(`no repositories with a migrations folder under ${values.corpus}`);
  // The corpus path is this machine's: the page names the corpus by its fingerprint, not where it lay.
  const shown = process.argv.slice(2).map((a, i, all) => (all[i - 1] === '--corpus' ? '<corpus>' : a));
  const command = `npm run bench${shown.length ? ` -- ${shown.join(' ')}` : ''}`;
  say(`Preflight benchmark: ${repos.length} repositories, ${repos.reduce((n, r) => n + r.files.length, 0)} migrations, ${runs} runs each\n`);

  // Extension first: `npm run package` builds minified bundles, which we measure as shipped;
  // the plain build the CLI measurements use comes after.
  if (only.has('extension')) benchExtension(runs, !values['no-package']);
  build();
  if (only.has('process')) await benchProcesses(repos, runs);
  if (only.has('cache')) benchCache(repos, runs);
  await ensureSqlParser();
  await pg.loadModule();
  if (only.has('editor')) await benchEditor(repos, runs);
  if (only.has('replay')) benchReplay(repos, runs);
  if (only.has('linear')) benchLinear(repos);

  say('\nGoals\n');
  for (const g of GOALS) say(`  ${g.met === null ? '–' : g.met ? '✔' : '✘'} ${g.what}: ${g.value} (goal ${g.target})\n`);
  if (!values['no-write']) writeReport(command, repos, runs);
}

// ---------------------------------------------------------------------------------------------
// Whole-process wall time

async function benchProcesses(repos: Repo[], runs: number): Promise<void> {
  const squawkNative = nativeSquawk();
  const squawkBin = path.join(ROOT, 'node_modules', '.bin', 'squawk');
  const pgfenceBin = path.join(ROOT, 'node_modules', '@flvmnt', 'pgfence', 'dist', 'index.js');
  const cli = path.join(BUNDLES, 'cli.js');
  const pgfenceParser = createRequire(requireHere.resolve('@flvmnt/pgfence/package.json'))('libpg-query') as typeof pg;
  await pgfenceParser.loadModule();
  const pgfenceFiles = new Map(repos.map((r) => [r.name, r.files.filter((f) => parses(pgfenceParser, f))]));

  const tools: Tool[] = [
    { name: 'preflight', argv: (r) => [process.execPath, cli, 'check', r.dir, '--format', 'json', '--no-cache'], ok: (r) => r.status === 0 || r.status === 1 },
    { name: 'squawk', argv: (r) => [squawkBin, '--reporter', 'json', ...r.files], ok: (r) => r.status === 0 || r.status === 1 },
    { name: 'squawk (native binary)', argv: (r) => [squawkNative, '--reporter', 'json', ...r.files], ok: (r) => r.status === 0 || r.status === 1 },
    { name: 'pgfence', argv: (r) => [process.execPath, pgfenceBin, 'analyze', '--output', 'json', ...pgfenceFiles.get(r.name)!], ok: (r) => r.status === 0 || r.status === 1 },
  ];

  // One checked pass first: every tool must produce its JSON on every repository.
  for (const tool of tools) for (const repo of repos) checkedRun(tool, tool.argv(repo), repo.name);

  const times = new Map<string, Map<string, number[]>>(tools.map((t) => [t.name, new Map(repos.map((r) => [r.name, []]))]));
  for (let run = 0; run < runs; run++) {
    for (const repo of repos) for (const tool of tools) times.get(tool.name)!.get(repo.name)!.push(timedRun(tool, tool.argv(repo), repo.name));
    say(`  whole-process run ${run + 1}/${runs} done\n`);
  }

  // Total per run (sum over repositories), then the median over runs.
  const totalOf = (tool: string) => median(Array.from({ length: runs }, (_, k) => repos.reduce((s, r) => s + times.get(tool)!.get(r.name)![k], 0)));
  const totals = new Map(tools.map((t) => [t.name, totalOf(t.name)]));
  const pf = totals.get('preflight')!;
  const excluded = repos.reduce((n, r) => n + r.files.length - pgfenceFiles.get(r.name)!.length, 0);

  const table = [
    `| repository | migrations | SQL bytes | preflight | squawk | squawk (native binary) | pgfence |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...repos.map((r) => `| ${r.name} | ${r.files.length} | ${r.bytes.toLocaleString('en-US')} | ${tools.map((t) => ms(median(times.get(t.name)!.get(r.name)!))).join(' | ')} |`),
    `| **total** | **${repos.reduce((n, r) => n + r.files.length, 0)}** | **${repos.reduce((n, r) => n + r.bytes, 0).toLocaleString('en-US')}** | ${tools.map((t) => `**${ms(totals.get(t.name)!)}**`).join(' | ')} |`,
    `| **preflight ÷ tool** | | | 1.00× | ${ratio(pf, totals.get('squawk')!)} | ${ratio(pf, totals.get('squawk (native binary)')!)} | ${ratio(pf, totals.get('pgfence')!)} |`,
  ];
  // The same files in one process per tool: what a CI job over a monorepo runs (`preflight check
  // a b c`, `squawk <files>`, `pgfence analyze <files>`), where each tool's start-up is paid once.
  const all: Repo = { name: 'all', dir: '', files: repos.flatMap((r) => r.files), bytes: repos.reduce((n, r) => n + r.bytes, 0) };
  const allArgv = (tool: Tool): string[] => (tool.name === 'preflight' ? [process.execPath, cli, 'check', ...repos.map((r) => r.dir), '--format', 'json'] : tool.name === 'pgfence' ? [process.execPath, pgfenceBin, 'analyze', '--output', 'json', ...repos.flatMap((r) => pgfenceFiles.get(r.name)!)] : tool.argv(all));
  const once = new Map<string, number[]>(tools.map((t) => [t.name, []]));
  for (const tool of tools) checkedRun(tool, allArgv(tool), 'the whole corpus');
  for (let run = 0; run < runs; run++) for (const tool of tools) once.get(tool.name)!.push(timedRun(tool, allArgv(tool), 'the whole corpus'));
  const onceTotals = new Map(tools.map((t) => [t.name, median(once.get(t.name)!)]));
  const pfOnce = onceTotals.get('preflight')!;
  const onceTable = [
    `| | ${tools.map((t) => t.name).join(' | ')} |`,
    `| --- |${tools.map(() => ' ---: |').join('')}`,
    `| one process, all ${repos.length} repositories | ${tools.map((t) => ms(onceTotals.get(t.name)!)).join(' | ')} |`,
    `| **preflight ÷ tool** | 1.00× | ${tools.slice(1).map((t) => ratio(pfOnce, onceTotals.get(t.name)!)).join(' | ')} |`,
  ];

  const memory = peakMemory(repos, tools.map((t) => ({ name: t.name, argv: t.argv })));
  const floor = processFloor(runs, cli, squawkBin, squawkNative, pgfenceBin);
  const lines = [
    'One process per repository and tool, wall time from spawn to exit, output (JSON) to /dev/null; median of the per-run totals, per-repository medians.',
    '',
    `- preflight: \`node dist/cli.js check <repo> --format json\` (the plain \`node scripts/build.mjs\` bundle, run from a private copy in .tmp/bench; every rule, schema.prisma included)`,
    `- squawk: \`node_modules/.bin/squawk --reporter json <files>\` (npm \`squawk-cli\`: a Node launcher that spawns the native binary), and the native binary itself (\`@squawk-cli/${process.platform}-${process.arch}/bin/squawk\`)`,
    `- pgfence: \`node node_modules/@flvmnt/pgfence/dist/index.js analyze --output json <files>\`${excluded ? ` — ${excluded} file(s) its PostgreSQL 16 parser rejects are left out of its list (one unparsable file aborts its whole run)` : ''}`,
    '',
    ...table,
    '',
    `One process per tool for the whole corpus (median of ${runs} runs): \`preflight check <10 repository folders> --format json\` (each project with its own configuration and history), squawk and pgfence with all the files on one command line.`,
    '',
    ...onceTable,
    '',
    ...floor,
    '',
    ...memory,
  ];
  SECTIONS.push({ title: 'Whole-process wall time', lines });
  printSection('Whole-process wall time', lines);
  GOALS.push({ what: 'process per repository vs squawk (npm launcher)', target: '≤ 1.0×', value: ratio(pf, totals.get('squawk')!), met: pf <= totals.get('squawk')! });
  GOALS.push({ what: 'process per repository vs squawk (native binary)', target: '≤ 1.0×', value: ratio(pf, totals.get('squawk (native binary)')!), met: pf <= totals.get('squawk (native binary)')! });
  GOALS.push({ what: 'process per repository vs pgfence', target: '≤ 0.5×', value: ratio(pf, totals.get('pgfence')!), met: pf <= 0.5 * totals.get('pgfence')! });
  GOALS.push({ what: 'one process for the corpus vs squawk (npm launcher)', target: '≤ 1.0×', value: ratio(pfOnce, onceTotals.get('squawk')!), met: pfOnce <= onceTotals.get('squawk')! });
  GOALS.push({ what: 'one process for the corpus vs squawk (native binary)', target: '≤ 1.0×', value: ratio(pfOnce, onceTotals.get('squawk (native binary)')!), met: pfOnce <= onceTotals.get('squawk (native binary)')! });
  GOALS.push({ what: 'one process for the corpus vs pgfence', target: '≤ 0.5×', value: ratio(pfOnce, onceTotals.get('pgfence')!), met: pfOnce <= 0.5 * onceTotals.get('pgfence')! });
}

interface Tool {
  name: string;
  argv(repo: Repo): string[];
  ok(r: SpawnSyncReturns<Buffer>): boolean;
}

/** One run whose output is checked: the tool must exit as it should and print JSON. */
function checkedRun(tool: Tool, argv: string[], what: string): void {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd, args, { cwd: ROOT, maxBuffer: 1 << 30 });
  if (!tool.ok(r) || !looksLikeJson(r.stdout)) throw new Error(`${tool.name} failed on ${what} (exit ${r.status}): ${r.stderr.toString().slice(0, 500)}`);
}

/** Wall time of one run, spawn to exit, output to /dev/null. */
function timedRun(tool: Tool, argv: string[], what: string): number {
  const [cmd, ...args] = argv;
  const devNull = openSync('/dev/null', 'w');
  try {
    const t = performance.now();
    const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', devNull, 'ignore'] });
    const elapsed = performance.now() - t;
    if (!tool.ok(r)) throw new Error(`${tool.name} failed on ${what} (exit ${r.status})`);
    return elapsed;
  } finally {
    closeSync(devNull);
  }
}

/** What every process pays before looking at a file: Node itself, and each tool's own start-up. */
function processFloor(runs: number, cli: string, squawkBin: string, squawkNative: string, pgfenceBin: string): string[] {
  const cases: [string, string[]][] = [
    ['`node -e 0` (Node start-up)', [process.execPath, '-e', '0']],
    ['`preflight --version` (Node + loading the CLI bundle)', [process.execPath, cli, '--version']],
    ['`squawk --version` (npm launcher: Node + spawning the binary)', [squawkBin, '--version']],
    ['`squawk --version` (native binary)', [squawkNative, '--version']],
    ['`pgfence --version`', [process.execPath, pgfenceBin, '--version']],
  ];
  const rows = cases.map(([label, [cmd, ...args]]) => {
    const samples = Array.from({ length: Math.max(5, runs * 2) }, () => {
      const t = performance.now();
      spawnSync(cmd, args, { cwd: ROOT, stdio: 'ignore' });
      return performance.now() - t;
    });
    return `| ${label} | ${ms(median(samples))} |`;
  });
  return ['Per-process floor (median wall time of a process that analyses nothing):', '', '| process | wall |', '| --- | ---: |', ...rows];
}

/** Max RSS of each tool on the two largest repositories (by SQL bytes and by migrations). */
function peakMemory(repos: Repo[], tools: { name: string; argv(r: Repo): string[] }[]): string[] {
  const gnuTime = '/usr/bin/time';
  if (!existsSync(gnuTime)) return ['Peak memory: not measured (`/usr/bin/time` is missing).'];
  const bySize = [...repos].sort((a, b) => b.bytes - a.bytes)[0];
  const byCount = [...repos].sort((a, b) => b.files.length - a.files.length)[0];
  const targets = bySize === byCount ? [bySize] : [bySize, byCount];
  const rows: string[] = [];
  for (const repo of targets) {
    const cells = tools.map((tool) => {
      const [cmd, ...args] = tool.argv(repo);
      const r = spawnSync(gnuTime, ['-f', '%M', cmd, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      const kb = Number(r.stderr.toString().trim().split('\n').pop());
      return Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)} MB` : '?';
    });
    rows.push(`| ${repo.name} (${repo.files.length} migrations, ${(repo.bytes / 1e6).toFixed(2)} MB) | ${cells.join(' | ')} |`);
  }
  return ['Peak memory (max RSS, GNU time), largest repositories:', '', `| repository | ${tools.map((t) => t.name).join(' | ')} |`, `| --- |${tools.map(() => ' ---: |').join('')}`, ...rows];
}

// ---------------------------------------------------------------------------------------------
// Editor latency (in-process)

async function benchEditor(repos: Repo[], runs: number): Promise<void> {
  const edits = Math.max(10, runs * 4);
  const rows: string[] = [];
  let worst = 0;
  for (const repo of repos) {
    const { inputs, options, key, project } = historyInputs(repo.dir);
    const h = new HistoryAnalyzer();
    h.analyze(inputs, options, key);
    const last = inputs.length - 1;
    const original = inputs[last].text;
    const samples: number[] = [];
    for (let k = 0; k < edits; k++) {
      // One character typed at the end of the newest migration (alternating, so every edit is new text).
      inputs[last] = { ...inputs[last], text: original + (k % 2 ? '\n' : ' ') };
      const t = performance.now();
      const r = h.analyze(inputs, options, key);
      samples.push(performance.now() - t);
      if (r.reused !== last) throw new Error(`${repo.name}: expected ${last} migrations from the cache, got ${r.reused}`);
    }
    inputs[last] = { ...inputs[last], text: original };

    // What the extension calls on a keystroke: the whole project analysis with the history cache
    // and the unsaved buffer as an override (schema.prisma included).
    const history = new HistoryAnalyzer();
    const config = loadConfig(repo.dir).config;
    await analyzeProject(project, { config, history });
    const projectSamples: number[] = [];
    for (let k = 0; k < Math.max(3, Math.ceil(edits / 4)); k++) {
      const overrides = new Map([[inputs[last].file, original + (k % 2 ? '\n' : ' ')]]);
      const t = performance.now();
      await analyzeProject(project, { config, history, overrides });
      projectSamples.push(performance.now() - t);
    }
    const m = median(samples);
    worst = Math.max(worst, m);
    rows.push(`| ${repo.name} | ${inputs.length} | ${inputs[last].text.length.toLocaleString('en-US')} | ${ms(m, 2)} | ${ms(Math.max(...samples), 2)} | ${ms(median(projectSamples))} |`);
  }

  // 5 KB and 1 MB migrations made of corpus statements, on top of the largest catalog.
  const biggest = [...repos].sort((a, b) => b.bytes - a.bytes)[0];
  const { inputs, options, key } = historyInputs(biggest.dir);
  const catalog = new HistoryAnalyzer().analyze(inputs, options, key).catalog;
  const statements = corpusStatements(repos);
  const sized: string[] = [];
  let fiveKb = 0;
  let oneMbRatio = 0;
  for (const size of [5 * 1024, 1024 * 1024]) {
    const text = concatenate(statements, size);
    const input: MigrationInput = { name: '99999999999999_bench', file: '/bench/migration.sql', text };
    const n = size > 100_000 ? Math.max(5, runs) : Math.max(50, runs * 10);
    const analyse = timeMedian(n, () => analyzeMigration(input, catalog, options));
    const raw = timeMedian(n, () => pg.parseSync(text));
    const stmts = parseMigrationSql(text).statements.length;
    sized.push(`| ${(text.length / 1024).toFixed(0)} KB (${stmts} statements) | ${ms(analyse, 2)} | ${ms(raw, 2)} | ${(analyse / raw).toFixed(2)}× |`);
    if (size < 100_000) fiveKb = analyse;
    else oneMbRatio = analyse / raw;
  }
  const lines = [
    'In-process, warm. **Edit**: `HistoryAnalyzer.analyze` of the whole history after a one-character edit at the end of the newest migration (everything before it comes from the cache; the newest is parsed, replayed on the cached catalog and checked by every rule). **Project**: `analyzeProject` with the history cache and the edited text as an unsaved-buffer override, as the extension calls it on a keystroke (adds schema.prisma and the project rules).',
    '',
    '| repository | migrations | newest (chars) | edit, median | edit, max | project, median |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Single migrations built from corpus statements (every parseable statement of the corpus, repository by repository, concatenated until the size is reached), analysed by \`analyzeMigration\` on top of the catalog ${biggest.name}'s full history leaves, against libpg-query's own \`parseSync\` of the same text:`,
    '',
    '| migration | analyzeMigration | raw parseSync | ratio |',
    '| --- | ---: | ---: | ---: |',
    ...sized,
  ];
  SECTIONS.push({ title: 'Editor latency', lines });
  printSection('Editor latency', lines);
  GOALS.push({ what: 'edit of the newest migration, slowest repository (median)', target: 'reported', value: ms(worst, 2), met: null });
  GOALS.push({ what: '5 KB migration', target: '≤ 5 ms', value: ms(fiveKb, 2), met: fiveKb <= 5 });
  GOALS.push({ what: '1 MB migration vs raw parse', target: '≤ 1.5×', value: `${oneMbRatio.toFixed(2)}×`, met: oneMbRatio <= 1.5 });
}

// ---------------------------------------------------------------------------------------------
// Cold catalog replay

function benchReplay(repos: Repo[], runs: number): void {
  const rows: string[] = [];
  const inProcess = new Map<string, number>();
  for (const repo of repos) {
    const { inputs, options, key } = historyInputs(repo.dir);
    const samples = Array.from({ length: runs }, () => {
      const t = performance.now();
      new HistoryAnalyzer().analyze(inputs, options, key);
      return performance.now() - t;
    });
    inProcess.set(repo.name, median(samples));
  }
  // A fresh process for the two longest histories (by bytes and by migrations): nothing warm.
  const longest = new Set([[...repos].sort((a, b) => b.bytes - a.bytes)[0].name, [...repos].sort((a, b) => b.files.length - a.files.length)[0].name]);
  const fresh = new Map<string, number>();
  for (const repo of repos.filter((r) => longest.has(r.name))) {
    const samples: number[] = [];
    for (let k = 0; k < runs; k++) {
      // `--liftoff-only`, as the CLI sets it (src/cli/index.ts): this is the CLI's cold path.
      const r = spawnSync(process.execPath, ['--liftoff-only', '--import', 'tsx', __filename, '--child-replay', repo.dir], { cwd: ROOT, maxBuffer: 1 << 20 });
      if (r.status !== 0) throw new Error(`replay child failed on ${repo.name}: ${r.stderr.toString().slice(0, 500)}`);
      samples.push(JSON.parse(r.stdout.toString()).ms);
    }
    fresh.set(repo.name, median(samples));
  }
  for (const repo of repos) rows.push(`| ${repo.name} | ${repo.files.length} | ${repo.bytes.toLocaleString('en-US')} | ${ms(inProcess.get(repo.name)!)} | ${fresh.has(repo.name) ? ms(fresh.get(repo.name)!) : ''} |`);
  const lines = [
    'Every migration parsed, replayed into the catalog and checked by every rule, from an empty cache: `new HistoryAnalyzer().analyze(...)`. **Fresh analyzer**: a new analyzer in the warm benchmark process. **Fresh process**: a new Node process per run (parser loaded before the clock starts; cold JIT; WebAssembly on the baseline compiler as the CLI runs it), for the two longest histories.',
    '',
    '| repository | migrations | SQL bytes | fresh analyzer | fresh process |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
  ];
  SECTIONS.push({ title: 'Cold catalog replay', lines });
  printSection('Cold catalog replay', lines);
  const byCount = [...repos].sort((a, b) => b.files.length - a.files.length)[0];
  const bySize = [...repos].sort((a, b) => b.bytes - a.bytes)[0];
  for (const [repo, why] of [[byCount, `most migrations: ${byCount.files.length}`], [bySize, `most SQL: ${(bySize.bytes / 1e6).toFixed(2)} MB`]] as const) {
    const warm = inProcess.get(repo.name)!;
    const cold = fresh.get(repo.name)!;
    GOALS.push({ what: `cold replay, ${repo.name} (${why}), fresh analyzer`, target: '≤ 300 ms', value: ms(warm), met: warm <= 300 });
    GOALS.push({ what: `cold replay, ${repo.name} (${why}), fresh process`, target: '≤ 300 ms', value: ms(cold), met: cold <= 300 });
  }
}

// ---------------------------------------------------------------------------------------------
// Extension activation and package size

function benchExtension(runs: number, pack: boolean): void {
  const lines: string[] = [];
  let vsixBytes: number | null = null;
  const hasPackageScript = Boolean(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts?.package);
  if (pack && hasPackageScript) {
    const r = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run package failed: ${r.stderr.slice(-1000)}`);
    mkdirSync(BUNDLES, { recursive: true });
    copyFileSync(path.join(ROOT, 'dist', 'extension.js'), path.join(BUNDLES, 'extension.js'));
  }
  const vsix = path.join(ROOT, 'preflight.vsix');
  if (hasPackageScript && existsSync(vsix)) vsixBytes = statSync(vsix).size;
  const activation = (label: string) => {
    const file = path.join(BUNDLES, 'extension.js');
    const samples: number[] = [];
    for (let k = 0; k < Math.max(runs, 5); k++) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bench-activation.mjs'), file], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`activation child failed: ${r.stderr.slice(0, 800)}`);
      samples.push(JSON.parse(r.stdout).totalMs);
    }
    const size = statSync(file).size;
    lines.push(`| ${label} | ${(size / 1024).toFixed(0)} KB | ${ms(median(samples), 1)} |`);
    return median(samples);
  };
  lines.push('Module load of `dist/extension.js` (a stub `vscode` module answers every API call) until `activate()` returns, in a fresh Node process each run; median.', '', '| bundle | size | load + activate |', '| --- | ---: | ---: |');
  const shipped = pack && hasPackageScript ? activation('minified (as packaged)') : null;
  build();
  const dev = activation('plain (`node scripts/build.mjs`)');
  const act = shipped ?? dev;
  lines.push('', vsixBytes === null ? '`.vsix`: not yet packaged.' : `\`.vsix\` (\`npm run package\`): ${(vsixBytes / 1024 / 1024).toFixed(2)} MB (${vsixBytes.toLocaleString('en-US')} bytes).`);
  SECTIONS.push({ title: 'VS Code extension', lines });
  printSection('VS Code extension', lines);
  GOALS.push({ what: 'extension activation', target: '≤ 50 ms', value: ms(act, 1), met: act <= 50 });
  GOALS.push({ what: '.vsix size', target: '≤ 15 MB', value: vsixBytes === null ? 'not yet packaged' : `${(vsixBytes / 1024 / 1024).toFixed(2)} MB`, met: vsixBytes === null ? null : vsixBytes <= 15 * 1024 * 1024 });
}

// ---------------------------------------------------------------------------------------------
// Inputs

function corpusRepos(corpus: string): Repo[] {
  if (!existsSync(corpus)) return [];
  return readdirSync(corpus)
    .sort()
    .map((name) => ({ name, dir: path.join(corpus, name) }))
    .filter((r) => existsSync(path.join(r.dir, 'migrations')) && statSync(path.join(r.dir, 'migrations')).isDirectory())
    .map((r) => {
      const mdir = path.join(r.dir, 'migrations');
      const files = readdirSync(mdir)
        .sort((a, b) => a.localeCompare(b))
        .map((m) => path.join(mdir, m, 'migration.sql'))
        .filter((f) => existsSync(f));
      return { ...r, files, bytes: files.reduce((n, f) => n + statSync(f).size, 0) };
    });
}

/** The inputs `analyzeProject` gives the history analyzer, for the in-process measurements. */
function historyInputs(dir: string): { inputs: MigrationInput[]; options: MigrationOptions; key: string; project: PrismaProject } {
  const config = loadConfig(dir).config;
  const project = discoverProject(dir, { config });
  const inputs: MigrationInput[] = project.migrations
    .filter((m) => m.sqlFile)
    .map((m) => {
      const text = readFileSync(m.sqlFile!, 'utf8');
      return { name: m.name, file: m.sqlFile!, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    });
  const files = new Map(inputs.map((m) => [m.name, m.file]));
  const options: MigrationOptions = {
    prismaVersion: project.prismaVersion.version,
    rules: RULES,
    severityOf: severityFromConfig(config),
    fileOfMigration: (name) => files.get(name) ?? null,
  };
  return { inputs, options, key: JSON.stringify({ prismaVersion: options.prismaVersion, rules: RULES.map((r) => r.meta.id) }), project };
}

function corpusStatements(repos: Repo[]): string[] {
  const out: string[] = [];
  for (const repo of repos) {
    for (const f of repo.files) {
      const parsed = parseMigrationSql(readFileSync(f, 'utf8'));
      if (parsed.statements.some((s) => s.error)) continue;
      for (const s of parsed.statements) out.push(s.text.endsWith(';') ? s.text : `${s.text};`);
    }
  }
  return out;
}

function concatenate(statements: string[], size: number): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < size; i = (i + 1) % statements.length) {
    parts.push(statements[i]);
    n += statements[i].length + 2;
  }
  return parts.join('\n\n') + '\n';
}

/** Whether pgfence's parser (its own libpg-query, PostgreSQL 16) takes a file: one it rejects aborts pgfence's whole run. */
function parses(parser: typeof pg, file: string): boolean {
  try {
    parser.parseSync(readFileSync(file, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

function nativeSquawk(): string {
  const pkg = `@squawk-cli/${process.platform}-${process.arch}`;
  return requireHere.resolve(`${pkg}/bin/${process.platform === 'win32' ? 'squawk.exe' : 'squawk'}`);
}

/**
 * `node scripts/build.mjs`, then a private copy of the bundles under .tmp/bench: others working in
 * the same checkout rebuild dist/ (minified or not) at any time, and a benchmark must measure
 * one build throughout. The copy sits inside the repository so `node_modules` resolves the same.
 */
function build(minify = false): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), ...(minify ? ['--minify'] : [])], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  mkdirSync(BUNDLES, { recursive: true });
  for (const f of ['cli.js', 'extension.js', 'libpg-query.wasm']) copyFileSync(path.join(ROOT, 'dist', f), path.join(BUNDLES, f));
}

const BUNDLES = path.join(ROOT, '.tmp', 'bench');

// ---------------------------------------------------------------------------------------------
// The persistent cache: cold, warm and a pull-request check

function benchCache(repos: Repo[], runs: number): void {
  const cli = path.join(BUNDLES, 'cli.js');
  const cacheDir = path.join(ROOT, '.tmp', 'bench-cache');
  rmSync(cacheDir, { recursive: true, force: true });
  const dirs = repos.map((r) => r.dir);
  const squawk = nativeSquawk();
  const files = repos.flatMap((r) => r.files);
  const wall = (cmd: string, args: string[]) => {
    const t = performance.now();
    const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'] });
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')}: exit ${r.status}`);
    return performance.now() - t;
  };
  const output = (args: string[]) => spawnSync(process.execPath, [cli, 'check', ...dirs, '--format', 'json', ...args], { cwd: ROOT, maxBuffer: 1 << 30 }).stdout;
  const cold = output(['--no-cache']);
  output(['--cache-dir', cacheDir]); // fills the cache
  const identical = Buffer.compare(cold, output(['--cache-dir', cacheDir])) === 0;
  const samples = { cold: [] as number[], warm: [] as number[], squawk: [] as number[] };
  for (let i = 0; i < runs; i++) {
    samples.cold.push(wall(process.execPath, [cli, 'check', ...dirs, '--format', 'json', '--no-cache']));
    samples.warm.push(wall(process.execPath, [cli, 'check', ...dirs, '--format', 'json', '--cache-dir', cacheDir]));
    samples.squawk.push(wall(squawk, ['--reporter', 'json', ...files]));
  }
  const [cold_, warm_, squawk_] = [median(samples.cold), median(samples.warm), median(samples.squawk)];

  // A pull-request check: the longest history in a git repository, the cache filled on the base
  // branch (every migration but the newest), then `check --since <base>` with the newest added.
  const longest = [...repos].sort((a, b) => b.files.length - a.files.length)[0];
  const repo = path.join(ROOT, '.tmp', 'bench-pr');
  rmSync(repo, { recursive: true, force: true });
  cpSync(longest.dir, repo, { recursive: true });
  const newest = path.dirname(longest.files[longest.files.length - 1]).replace(longest.dir, repo);
  const held = `${repo}.newest`;
  rmSync(held, { recursive: true, force: true });
  renameSync(newest, held);
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd: repo, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'base');
  const prCache = path.join(ROOT, '.tmp', 'bench-pr-cache');
  rmSync(prCache, { recursive: true, force: true });
  spawnSync(process.execPath, [cli, 'check', repo, '--format', 'json', '--cache-dir', prCache], { stdio: 'ignore' });
  renameSync(held, newest);
  git('add', '-A');
  git('commit', '-qm', 'branch');
  const pr: number[] = [];
  const prCold: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < Math.max(3, runs); i++) {
    // The branch's entries are not kept between samples: each sample is the first run on the PR.
    const copy = `${prCache}-run`;
    rmSync(copy, { recursive: true, force: true });
    cpSync(prCache, copy, { recursive: true });
    pr.push(wall(process.execPath, [cli, 'check', repo, '--format', 'json', '--since', 'HEAD~1', '--cache-dir', copy]));
    prCold.push(wall(process.execPath, [cli, 'check', repo, '--format', 'json', '--since', 'HEAD~1', '--no-cache']));
    floor.push(wall(process.execPath, [cli, '--version']));
  }
  const [pr_, prCold_, floor_] = [median(pr), median(prCold), median(floor)];
  const lines = [
    `One process for the whole corpus (\`preflight check <10 folders> --format json\`), median of ${runs} runs; squawk's native binary on every file in one process. Warm: the cache filled by an earlier run (\`--cache-dir\`), output ${identical ? 'byte-identical to' : '**different from**'} the cold run.`,
    '',
    '| run | wall | ÷ squawk (native binary) |',
    '| --- | ---: | ---: |',
    `| preflight, cold (\`--no-cache\`) | ${ms(cold_)} | ${ratio(cold_, squawk_)} |`,
    `| preflight, warm | ${ms(warm_)} | ${ratio(warm_, squawk_)} |`,
    `| squawk (native binary) | ${ms(squawk_)} | 1.00× |`,
    '',
    `Pull-request check on the longest history (${longest.name}, ${longest.files.length} migrations): \`check --since HEAD~1\` after the newest migration is added, with the cache the base branch left, against \`preflight --version\`.`,
    '',
    '| run | wall | ÷ `preflight --version` |',
    '| --- | ---: | ---: |',
    `| \`--since\`, cache from the base branch | ${ms(pr_)} | ${ratio(pr_, floor_)} |`,
    `| \`--since\`, \`--no-cache\` | ${ms(prCold_)} | ${ratio(prCold_, floor_)} |`,
    `| \`preflight --version\` | ${ms(floor_)} | 1.00× |`,
  ];
  SECTIONS.push({ title: 'Persistent cache', lines });
  GOALS.push({ what: 'cold, one process for the corpus vs squawk (native binary)', target: '≤ 2.0×', value: ratio(cold_, squawk_), met: cold_ <= 2 * squawk_ });
  GOALS.push({ what: 'warm (cache populated) vs squawk (native binary), byte-identical output', target: '≤ 1.0×', value: `${ratio(warm_, squawk_)}${identical ? '' : ' (output differs)'}`, met: identical && warm_ <= squawk_ });
  GOALS.push({ what: `PR check (--since, ${longest.name}) vs preflight --version`, target: '≤ 2.0×', value: ratio(pr_, floor_), met: pr_ <= 2 * floor_ });
  printSection('Persistent cache', lines);
}

// ---------------------------------------------------------------------------------------------
// Linear cost: time and memory per statement as files grow

function benchLinear(repos: Repo[]): void {
  const options: MigrationOptions = { prismaVersion: '6.0.0', rules: RULES, severityOf: (_, s) => s, fileOfMigration: () => null };
  const once = (text: string) => {
    (globalThis as { gc?: () => void }).gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const t = performance.now();
    const a = analyzeMigration({ name: 'm', file: 'm.sql', text }, new Catalog(), options);
    const elapsed = performance.now() - t;
    (globalThis as { gc?: () => void }).gc?.();
    const heap = process.memoryUsage().heapUsed - heap0;
    return { elapsed, heap, statements: a.parsed.statements.length, keep: a };
  };
  // The median of three (one run of a small file is mostly JIT warm-up and timer noise).
  const measure = (text: string) => {
    const runs = [once(text), once(text), once(text)].sort((a, b) => a.elapsed - b.elapsed);
    return runs[1];
  };
  once(concatenate(corpusStatements(repos), 64 * 1024)); // warm-up: the rules and the parser compiled
  const oneTable: { n: number; us: number; kb: number }[] = [];
  for (const n of [10, 100, 1000, 5000, 20000]) {
    const text = 'CREATE TABLE "T" ("id" SERIAL PRIMARY KEY);\n' + Array.from({ length: n }, (_, i) => `ALTER TABLE "T" ADD COLUMN "column_${i}" TEXT;\n`).join('');
    const m = measure(text);
    oneTable.push({ n, us: (m.elapsed * 1000) / m.statements, kb: m.heap / 1024 / m.statements });
  }
  const statements = corpusStatements(repos);
  const bySize: { size: number; us: number; kb: number; statements: number }[] = [];
  for (const size of [1024, 16 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024]) {
    const m = measure(concatenate(statements, size));
    bySize.push({ size, statements: m.statements, us: (m.elapsed * 1000) / m.statements, kb: m.heap / 1024 / m.statements });
  }
  writeFileSync(path.join(ROOT, 'docs', 'linear-cost.svg'), linearChart(oneTable, bySize));
  const lines = [
    'In process (`analyzeMigration` on an empty catalog after a warm-up, median of 3; heap measured after a forced GC when run with `--expose-gc`): time and retained heap per statement. ![Linear cost](linear-cost.svg)',
    '',
    '| ADD COLUMN statements on one table | µs per statement | KB of heap per statement |',
    '| ---: | ---: | ---: |',
    ...oneTable.map((r) => `| ${r.n.toLocaleString('en-US')} | ${r.us.toFixed(1)} | ${r.kb.toFixed(1)} |`),
    '',
    '| corpus statements, file size | statements | µs per statement | KB of heap per statement |',
    '| ---: | ---: | ---: | ---: |',
    ...bySize.map((r) => `| ${r.size >= 1 << 20 ? `${r.size >> 20} MB` : `${r.size >> 10} KB`} | ${r.statements.toLocaleString('en-US')} | ${r.us.toFixed(1)} | ${r.kb.toFixed(1)} |`),
  ];
  const spread = (xs: number[]) => Math.max(...xs) / Math.min(...xs);
  const flat = spread(oneTable.slice(2).map((r) => r.us));
  GOALS.push({ what: 'linear cost: µs per statement, 1,000 → 20,000 on one table (max ÷ min)', target: '≤ 2.0×', value: `${flat.toFixed(2)}×`, met: flat <= 2 });
  SECTIONS.push({ title: 'Linear cost', lines });
  printSection('Linear cost', lines);
}

function linearChart(oneTable: { n: number; us: number }[], bySize: { size: number; us: number }[]): string {
  const W = 640;
  const H = 260;
  const pad = 48;
  const max = Math.max(...oneTable.map((r) => r.us), ...bySize.map((r) => r.us)) * 1.1;
  const x = (i: number, count: number) => pad + (i * (W - 2 * pad)) / Math.max(1, count - 1);
  const y = (v: number) => H - pad - (v / max) * (H - 2 * pad);
  const line = (pts: number[], color: string) => `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((v, i) => `${x(i, pts.length).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`;
  const labels = (names: string[], dy: number, color: string) => names.map((n, i) => `<text x="${x(i, names.length).toFixed(1)}" y="${H - pad + dy}" font-size="11" text-anchor="middle" fill="${color}">${n}</text>`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="#888"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}" stroke="#888"/>`,
    `<text x="${pad}" y="${pad - 12}" font-size="12">µs per statement (0 – ${max.toFixed(0)}): flat means linear cost</text>`,
    line(oneTable.map((r) => r.us), '#c0392b'),
    line(bySize.map((r) => r.us), '#2471a3'),
    labels(oneTable.map((r) => r.n.toLocaleString('en-US')), 14, '#c0392b'),
    labels(bySize.map((r) => (r.size >= 1 << 20 ? `${r.size >> 20} MB` : `${r.size >> 10} KB`)), 28, '#2471a3'),
    `<text x="${W - pad}" y="${pad}" font-size="11" text-anchor="end" fill="#c0392b">ADD COLUMN statements on one table</text>`,
    `<text x="${W - pad}" y="${pad + 14}" font-size="11" text-anchor="end" fill="#2471a3">corpus statements, file size</text>`,
    '</svg>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Report

function writeReport(command: string, repos: Repo[], runs: number): void {
  const file = path.join(ROOT, 'docs', 'benchmarks.md');
  const START = '<!-- bench:start (generated by npm run bench; edit outside these markers) -->';
  const END = '<!-- bench:end -->';
  const generated = [
    START,
    '',
    `Measured ${STARTED.toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command}\` (${runs} runs each), at commit \`${COMMIT_AT_START}\`${DIRTY_AT_START ? ' with uncommitted changes in the tree' : ''}.`,
    '',
    '**Machine**: ' + machine(),
    '',
    `**Corpus**: ${repos.length} repositories, ${repos.reduce((n, r) => n + r.files.length, 0)} migrations, ${repos.reduce((n, r) => n + r.bytes, 0).toLocaleString('en-US')} bytes of SQL (PREFLIGHT_CORPUS, fingerprint \`${corpusFingerprint(repos)}\`).`,
    '',
    '### Goals',
    '',
    '| measure | goal | now | met |',
    '| --- | --- | ---: | :---: |',
    ...GOALS.map((g) => `| ${g.what} | ${g.target} | ${g.value} | ${g.met === null ? '–' : g.met ? 'yes' : '**no**'} |`),
    '',
    ...SECTIONS.flatMap((s) => [`### ${s.title}`, '', ...s.lines, '']),
    END,
  ].join('\n');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n' + START + '\n' + END + '\n';
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  text = a >= 0 && b > a ? text.slice(0, a) + generated + text.slice(b + END.length) : `${text.trimEnd()}\n\n${generated}\n`;
  writeFileSync(file, text);
  say(`\nWrote ${path.relative(process.cwd(), file)}\n`);
}

function machine(): string {
  const cpus = os.cpus();
  const tool = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' }).stdout?.trim() || '?';
  return [
    `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}`,
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    `${os.type()} ${os.release()} ${os.arch()}`,
    `Node ${process.version}`,
    `load average ${LOAD_AT_START.map((l) => l.toFixed(1)).join(' / ')} at the start, ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} at the end (1 / 5 / 15 min)`,
    `libpg-query ${pkgVersion('libpg-query')}`,
    `squawk ${tool(nativeSquawk(), ['--version']).replace(/^squawk\s*/, '')}`,
    `pgfence ${pkgVersion('@flvmnt/pgfence')}`,
  ].join(' · ');
}

function pkgVersion(name: string): string {
  try {
    return JSON.parse(readFileSync(requireHere.resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    return '?';
  }
}

function git(args: string[]): string {
  return spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
}

function corpusFingerprint(repos: Repo[]): string {
  const h = createHash('sha256');
  for (const r of repos) for (const f of r.files) h.update(f.slice(f.indexOf(r.name))).update(readFileSync(f));
  return h.digest('hex').slice(0, 12);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function say(text: string): void {
  process.stdout.write(text);
}

function printSection(title: string, lines: string[]): void {
  say(`\n${title}\n${lines.filter((l) => l.startsWith('|') && !/^\| ---/.test(l)).map((l) => `  ${l}`).join('\n')}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timeMedian(n: number, f: () => unknown): number {
  // Warm-up: the editor's process is long-lived, its code is compiled by the time you type.
  for (let k = 0; k < Math.min(20, n); k++) f();
  const samples: number[] = [];
  for (let k = 0; k < n; k++) {
    const t = performance.now();
    f();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

function ms(x: number, digits = 0): string {
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(digits)} ms`;
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}

function looksLikeJson(out: Buffer): boolean {
  const s = out.toString().trim();
  if (!s) return false;
  try {
    JSON.parse(s);
    return true;
  } catch {
    // squawk's JSON reporter prints one document; pgfence too. Anything else is a failure.
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Child modes (fresh processes): `--child-replay <repo dir>` prints the cold replay in ms.

if (process.argv[2] === '--child-replay') {
  void (async () => {
    await ensureSqlParser();
    const { inputs, options, key } = historyInputs(process.argv[3]);
    const t = performance.now();
    new HistoryAnalyzer().analyze(inputs, options, key);
    process.stdout.write(`${JSON.stringify({ ms: performance.now() - t })}\n`);
  })();
} else {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 2;
  });
}
