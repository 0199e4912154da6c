/**
 * `preflight` — the command line front end. Exit codes (a public contract):
 *   0  no finding reaches --fail-on (default: no finding of severity error)
 *   1  a finding reaches --fail-on (or, for `checklist --verify`, an unticked item)
 *   2  usage error or internal error
 * Each subcommand's options live in one table (options/command-specs.ts) that both its parser
 * and its `--help` are generated from.
 */
import { plainText } from '../core/text/plain-text';
import * as path from 'node:path';
import { checklistForMigration, checklistPath, readChecklistFile, renderDownSql, updateChecklistFile, writeAtomic, type ChecklistEdit } from '../core/checklist/index';
import { loadConfig } from '../core/project/config';
import { discoverProject } from '../core/project/discover';
import { renderRuleDoc } from '../core/rules/docs';
import { RULES } from '../core/rules/index';
import { closest } from '../core/text/closest';
import { checkCommand } from './check-command';
import { commentCommand } from './comment-command';
import { CHECK_SPEC, CHECKLIST_SPEC, COMMENT_SPEC, EXPLAIN_SPEC, RULES_SPEC, TRACE_SUMMARY } from './options/command-specs';
import { parseCommand, renderHelp } from './options/option-table';
import { knownRuleId } from './rule-selection';
import { traceCommand } from './trace-command';
import type * as LspCommand from '../lsp/lsp-command';
import { STATUS_SPEC, statusCommand } from './live/status-command';
import { STATS_SPEC, statsCommand } from './live/stats-command';
import { checklistAgainstDatabase } from './live/checklist-live';
import { liveChoice } from './live/live-options';
import { readStatsFileOption, sizesRecordFromStats } from './live/size-options';
import { checklistJson, type CheckPhase } from '../core/live/checks';
import { Interrupted, UsageError } from './usage-error';
import { InputError } from '../core/input-error';
import { fileErrorWords } from '../core/text/read-source-file';

import { VERSION } from './version';

export { VERSION };
export { UsageError } from './usage-error';

import type { Io } from './io';

export type { Io } from './io';

/** `lsp` loads the language server (and its protocol library) only when it runs. */
const LSP_SUMMARY = { name: 'lsp', summary: 'Language server for Neovim, Helix, Zed, Emacs, JetBrains (--stdio)' };

const COMMANDS: readonly { name: string; summary: string }[] = [CHECK_SPEC, COMMENT_SPEC, CHECKLIST_SPEC, STATUS_SPEC, STATS_SPEC, TRACE_SUMMARY, EXPLAIN_SPEC, RULES_SPEC, LSP_SUMMARY];

/** `preflight --help`: every command, one line each, from the commands' own tables. */
function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `Usage: preflight <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Options:
  -h, --help     Show this help; \`preflight <command> --help\` shows a command's options
  -v, --version  Show the version
  --debug        Print the stack of an internal error (also: PREFLIGHT_DEBUG=1)

Exit codes: 0 no finding reaches --fail-on (default: error), 1 findings found, 2 usage or internal error.
`;
}

export async function main(argvIn: string[], io: Io): Promise<number> {
  // --debug (anywhere) or PREFLIGHT_DEBUG=1: internal errors print their stack.
  const debug = argvIn.includes('--debug') || io.env.PREFLIGHT_DEBUG === '1';
  const argv = argvIn.filter((a) => a !== '--debug');
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'check':
        return await checkCommand(rest, io);
      case 'comment':
        return await commentCommand(rest, io);
      case 'explain':
        return explain(rest, io);
      case 'checklist':
        return await checklist(rest, io);
      case 'trace':
        return await traceCommand(rest, io);
      case 'status':
        return await statusCommand(rest, io);
      case 'stats':
        return await statsCommand(rest, io);
      case 'rules':
        return rules(rest, io);
      case 'lsp':
        return await (require('../lsp/lsp-command') as typeof LspCommand).lspCommand(rest, io);
      case '--version':
      case '-v':
        io.stdout(`${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(mainHelp());
        return command === undefined ? 2 : 0;
      default: {
        const near = closest(command, COMMANDS.map((c) => c.name));
        throw new UsageError(`unknown command "${command}"${near ? ` (did you mean ${near}?)` : ''}`);
      }
    }
  } catch (e) {
    if (e instanceof Interrupted) return e.code;
    io.stderr(describeError(e, debug));
    return 2;
  }
}

/**
 * What stderr says when a command fails: one line for the user's mistakes (usage, their files);
 * internal errors too, with the stack only under --debug / PREFLIGHT_DEBUG=1.
 */
export function describeError(e: unknown, debug: boolean): string {
  const oneLine = (t: string) => t.replace(/\s*\n\s*/g, ' ').trim();
  if (e instanceof UsageError) return `preflight: ${plainText(oneLine(e.message))} (preflight --help shows the usage)\n`;
  if (e instanceof InputError) return `preflight: ${plainText(oneLine(e.message))}\n${debug && e.stack ? `${e.stack}\n` : ''}`;
  const fsError = e as NodeJS.ErrnoException;
  if (fsError instanceof Error && typeof fsError.path === 'string' && typeof fsError.code === 'string') {
    return `preflight: ${fsError.path}: ${fileErrorWords(fsError)}\n${debug && fsError.stack ? `${fsError.stack}\n` : ''}`;
  }
  const stack = debug && e instanceof Error && e.stack ? `\n${e.stack}` : '';
  return `preflight: internal error: ${oneLine(thrownMessage(e))}${debug ? stack : ' (run with --debug for details)'}\n`;
}

/** The message of anything thrown: Error, an object with a message (WebAssembly aborts), or a value. */
function thrownMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') return (e as { message: string }).message;
  try {
    return typeof e === 'object' ? JSON.stringify(e) : String(e);
  } catch {
    return String(e);
  }
}

function explain(args: string[], io: Io): number {
  const { positionals, help } = parseCommand(EXPLAIN_SPEC, args);
  if (help) {
    io.stdout(renderHelp(EXPLAIN_SPEC));
    return 0;
  }
  const id = positionals[0];
  if (!id) throw new UsageError('explain needs a rule id, e.g. `preflight explain drop-column` (`preflight rules` lists them)');
  const known = knownRuleId(id, '');
  io.stdout(renderRuleDoc(RULES.find((r) => r.meta.id === known)!.meta));
  return 0;
}

function rules(args: string[], io: Io): number {
  const { positionals, help } = parseCommand(RULES_SPEC, args);
  if (help) {
    io.stdout(renderHelp(RULES_SPEC));
    return 0;
  }
  if (positionals.length) throw new UsageError('rules takes no arguments; `preflight explain <rule-id>` shows one rule');
  for (const r of RULES) io.stdout(`${r.meta.id.padEnd(34)} ${r.meta.defaultSeverity.padEnd(8)} ${r.meta.summary}\n`);
  return 0;
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
      process.stderr.write(describeError(e, process.argv.includes('--debug') || process.env.PREFLIGHT_DEBUG === '1'));
      process.exitCode = 2;
    },
  );
}

async function checklist(args: string[], io: Io): Promise<number> {
  const command = parseCommand(CHECKLIST_SPEC, args);
  if (command.help) {
    io.stdout(renderHelp(CHECKLIST_SPEC));
    return 0;
  }
  const positionals = command.positionals;
  const values = command.values as { 'stats-file'?: string; verify?: boolean; 'down-sql'?: boolean; config?: string; 'prisma-version'?: string; phase?: CheckPhase; format?: 'pretty' | 'json' };
  const live = values.verify ? null : liveChoice(command.values, io);
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
  if (!name || !project.migrations.some((m) => m.name === name)) throw new InputError(`${positionals[0]} is not a migration folder of a Prisma project`);
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
    // A check Preflight ran against the database and saw fail keeps the run failing, ticked or not.
    const failedChecks = pre.filter((i) => existing.state.ticks[i.id] === true && existing.state.fingerprints[i.id] === i.fingerprint && ['failed', 'error', 'timeout'].includes(existing.state.checks?.[i.id]?.state ?? ''));
    for (const i of failedChecks) io.stdout(`check failed against the database: ${i.title}\n`);
    io.stdout(open.length ? `${open.length} of ${pre.length} pre-deployment items still open\n` : `all ${pre.length} pre-deployment items ticked\n`);
    return open.length || failedChecks.length ? 1 : 0;
  }
  const mc = await checklistForMigration(project, name, { config: loaded.config });
  const statsFile = values['stats-file'];
  if (statsFile !== undefined && live) throw new UsageError('give --stats-file or --database-url, not both: with a database the checklist records the exact counts');
  const sizesRecord = statsFile !== undefined ? sizesRecordFromStats(mc.checklist, readStatsFileOption(statsFile, io), statsFile) : null;
  const edits: ChecklistEdit[] = sizesRecord ? [{ kind: 'record', key: 'sizes', value: sizesRecord }] : [];
  if (live) {
    const code = await checklistAgainstDatabase(mc, file, live, values.phase ?? 'before-deploy', values.format ?? 'pretty', io);
    if (values['down-sql']) writeAtomic(path.join(folder, 'down.sql'), renderDownSql(mc));
    return code;
  }
  if (values.phase) throw new UsageError('--phase needs a database: --database-url <url>, or set PREFLIGHT_DATABASE_URL');
  if (values.format === 'json') {
    const { parsed } = updateChecklistFile(file, mc.checklist, edits);
    const withChecks = { ...mc.checklist, items: mc.checklist.items.map((i) => (parsed.state.checks?.[i.id] ? { ...i, check: parsed.state.checks[i.id] } : i)) };
    io.stdout(`${JSON.stringify(checklistJson(withChecks), null, 2)}\n`);
    return 0;
  }
  const { parsed } = updateChecklistFile(file, mc.checklist, edits);
  const ticked = mc.checklist.items.filter((i) => parsed.state.ticks[i.id]).length;
  io.stdout(`wrote ${path.relative(io.cwd, file)}: ${mc.checklist.items.length} items, ${ticked} ticked\n`);
  if (values['down-sql']) {
    const down = path.join(folder, 'down.sql');
    writeAtomic(down, renderDownSql(mc));
    io.stdout(`wrote ${path.relative(io.cwd, down)}\n`);
  }
  return 0;
}
