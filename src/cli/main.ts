/**
 * `preflight` — the command line front end. Exit codes (a public contract):
 *   0  no finding of severity error
 *   1  at least one finding of severity error (or, for `checklist --verify`, an unticked item)
 *   2  usage error or internal error
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { checklistForMigration, checklistPath, readChecklistFile, renderDownSql, updateChecklistFile, writeAtomic } from '../core/checklist/index';
import { loadConfig } from '../core/project/config';
import { discoverProject } from '../core/project/discover';
import { renderRuleDoc } from '../core/rules/docs';
import { RULES } from '../core/rules/index';
import type { AnalysisResult } from '../core/types';
import { toGithubAnnotations } from './format/github';
import { toJsonReport } from './format/json';
import { shouldUseColor, toPretty } from './format/pretty';
import { toSarif } from './format/sarif';
import { traceCommand } from './trace-command';
import { checkProjects, type CheckOptions } from './check-projects';
import { UsageError } from './usage-error';

export const VERSION: string = (() => {
  try {
    return JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
})();

export { UsageError } from './usage-error';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

const HELP = `Usage: preflight <command> [options]

Commands:
  check [path...]       Review the Prisma migrations of the project(s) at path (default: .)
  explain <rule-id>     Show a rule's documentation
  checklist <migration> Write or update the deployment checklist in the migration folder
  rules                 List every rule
  trace [path]          Dry-run a migration in an embedded PostgreSQL (\`preflight trace --help\`)

Options for check:
  --format <f>          pretty (default) | json | sarif | github
  --since <git-ref>     Only migrations added or changed since the ref; flags edited
                        migrations (migration-modified) and onDelete changes in schema.prisma
  --config <file>       Use this preflight.config.json instead of searching for one
  --prisma-version <v>  Assume this Prisma version (decides how migration.sql files run)
  --no-color            No colours in pretty output (also: NO_COLOR=1)

Options for checklist:
  --verify              Write nothing; exit 1 while any pre-deployment item is unticked
  --down-sql            Also write down.sql (rollback) into the migration folder
  --config, --prisma-version as for check

Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.
`;

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'explain':
        return explain(rest, io);
      case 'checklist':
        return await checklist(rest, io);
      case 'trace':
        return await traceCommand(rest, io);
      case 'rules':
        for (const r of RULES) io.stdout(`${r.meta.id.padEnd(34)} ${r.meta.defaultSeverity.padEnd(8)} ${r.meta.summary}\n`);
        return 0;
      case '--version':
      case '-v':
        io.stdout(`${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`preflight: ${e.message}\n\nRun \`preflight --help\` for usage.\n`);
      return 2;
    }
    io.stderr(`preflight: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

function parse<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

function explain(args: string[], io: Io): number {
  const { positionals } = parse({ args, options: {}, allowPositionals: true, strict: true });
  const id = positionals[0];
  if (!id) throw new UsageError('explain needs a rule id, e.g. `preflight explain drop-column` (`preflight rules` lists them)');
  const rule = RULES.find((r) => r.meta.id === id);
  if (!rule) throw new UsageError(`unknown rule "${id}" (\`preflight rules\` lists them)`);
  io.stdout(renderRuleDoc(rule.meta));
  return 0;
}

const FORMATS = ['pretty', 'json', 'sarif', 'github'] as const;

async function check(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string' },
      since: { type: 'string' },
      config: { type: 'string' },
      'prisma-version': { type: 'string' },
      'no-color': { type: 'boolean' },
    },
  } as const);
  const format = (values.format as string | undefined) ?? 'pretty';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const prismaVersion = values['prisma-version'] as string | undefined;
  if (prismaVersion !== undefined && !/^\d+(\.\d+){0,2}(-[\w.]+)?$/.test(prismaVersion)) throw new UsageError(`--prisma-version "${prismaVersion}" is not a version like 7.3.0`);
  const options: CheckOptions = { since: values.since as string | undefined, config: values.config ? path.resolve(io.cwd, values.config as string) : undefined, prismaVersion };

  // Several paths (a monorepo's projects) are checked one after the other; every path must be a
  // Prisma project, or nothing is reported.
  const targets = (positionals.length ? positionals : ['.']).map((p) => path.resolve(io.cwd, p));
  const results = await checkProjects(targets, options, io.cwd);
  const result = results.length === 1 ? results[0] : mergeResults(results);

  switch (format) {
    case 'json': {
      // One path: the v1 document. Several: an array of v1 documents, in the order of the paths.
      const docs = results.map((r) => toJsonReport(r, io.cwd));
      io.stdout(`${JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2)}\n`);
      break;
    }
    case 'sarif':
      io.stdout(`${JSON.stringify(toSarif(result, RULES.map((r) => r.meta), io.cwd, VERSION), null, 2)}\n`);
      break;
    case 'github':
      io.stdout(toGithubAnnotations(result, io.cwd));
      for (const n of result.notices) io.stderr(`note: ${n}\n`);
      break;
    default:
      io.stdout(
        toPretty(result, io.cwd, {
          color: !values['no-color'] && shouldUseColor(io.env, io.isTTY),
          readFile: (f) => {
            try {
              return readFileSync(f, 'utf8');
            } catch {
              return null;
            }
          },
        }),
      );
  }
  return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** Several projects' results as one, for the formats that have no notion of a project (pretty, github, SARIF). */
function mergeResults(results: readonly AnalysisResult[]): AnalysisResult {
  const versions = new Set(results.map((r) => r.prismaVersion));
  return {
    prismaVersion: versions.size === 1 ? results[0].prismaVersion : null,
    migrations: results.flatMap((r) => r.migrations),
    findings: results.flatMap((r) => r.findings),
    notices: [...new Set(results.flatMap((r) => r.notices))],
  };
}

/** Process entry: real stdio, exit code set once output is flushed. */
export function run(): void {
  // `preflight check | head`: the reader may go away before the report is written. That is no
  // error of ours (git and grep stay quiet too); the exit code still tells the result.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  main(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), cwd: process.cwd(), env: process.env, isTTY: process.stdout.isTTY === true }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`preflight: internal error: ${String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

async function checklist(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      verify: { type: 'boolean' },
      'down-sql': { type: 'boolean' },
      config: { type: 'string' },
      'prisma-version': { type: 'string' },
    },
  } as const);
  if (positionals.length !== 1) throw new UsageError('checklist needs one migration folder, e.g. `preflight checklist prisma/migrations/20250101000000_init`');
  const target = path.resolve(io.cwd, positionals[0]);
  const folder = path.basename(target) === 'migration.sql' ? path.dirname(target) : target;
  let loaded;
  try {
    loaded = loadConfig(path.dirname(folder), values.config ? path.resolve(io.cwd, values.config) : undefined);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const project = discoverProject(folder, { config: loaded.config, configDir: loaded.file ? path.dirname(loaded.file) : undefined, prismaVersion: values['prisma-version'] });
  const name = project.focus.migration;
  if (!name || !project.migrations.some((m) => m.name === name)) throw new UsageError(`${positionals[0]} is not a migration folder of a Prisma project`);
  const file = checklistPath(folder);
  if (values.verify) {
    const mc = await checklistForMigration(project, name, { config: loaded.config });
    const existing = readChecklistFile(file);
    if (!existing) {
      io.stderr(`preflight: no checklist at ${path.relative(io.cwd, file)}; run \`preflight checklist ${positionals[0]}\` first\n`);
      return 1;
    }
    const pre = mc.checklist.items.filter((i) => i.section === 'pre');
    const open = pre.filter((i) => existing.state.ticks[i.id] !== true || existing.state.fingerprints[i.id] !== i.fingerprint);
    for (const i of open) io.stdout(`unticked: ${i.title}${existing.state.ticks[i.id] && existing.state.fingerprints[i.id] !== i.fingerprint ? ' (ticked, but the migration changed since)' : ''}\n`);
    io.stdout(open.length ? `${open.length} of ${pre.length} pre-deployment items still open\n` : `all ${pre.length} pre-deployment items ticked\n`);
    return open.length ? 1 : 0;
  }
  const mc = await checklistForMigration(project, name, { config: loaded.config });
  const { parsed } = updateChecklistFile(file, mc.checklist);
  const ticked = mc.checklist.items.filter((i) => parsed.state.ticks[i.id]).length;
  io.stdout(`wrote ${path.relative(io.cwd, file)}: ${mc.checklist.items.length} items, ${ticked} ticked\n`);
  if (values['down-sql']) {
    const down = path.join(folder, 'down.sql');
    writeAtomic(down, renderDownSql(mc));
    io.stdout(`wrote ${path.relative(io.cwd, down)}\n`);
  }
  return 0;
}
