/**
 * One table per subcommand: its options, positionals and words. The parser and `--help` are both
 * generated from it, so what the help lists is exactly what the command accepts.
 */
import { parseArgs } from 'node:util';
import { closest } from '../../core/text/closest';
import { UsageError } from '../usage-error';

export interface OptionSpec {
  /** Long name without dashes, e.g. `output-file`. */
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  /** Placeholder shown in the help for a string option, e.g. `<path>`. */
  value?: string;
  /** The accepted values of a string option; anything else is a usage error. */
  choices?: readonly string[];
  description: string;
}

export interface CommandSpec {
  name: string;
  /** What follows `preflight <name>` in the usage line, e.g. `[path...] [options]`. */
  usage: string;
  /** One line for `preflight --help`. */
  summary: string;
  /** Paragraphs shown under the usage line of `preflight <name> --help`. */
  description: string;
  options: readonly OptionSpec[];
  /** Text after the options (exit codes, examples). */
  epilog?: string;
}

export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', type: 'boolean', description: 'Show this help' };

export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  help: boolean;
}

/** Parses `args` against the table: unknown options and values outside `choices` are usage errors with a "did you mean". */
export function parseCommand(spec: CommandSpec, args: readonly string[]): ParsedCommand {
  const options = [...spec.options, HELP_OPTION];
  for (const arg of args) {
    if (arg === '--') break;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0];
      if (!options.some((o) => o.name === name)) throw unknownOption(spec, `--${name}`, options);
    } else if (/^-[^-]/.test(arg)) {
      for (const letter of arg.slice(1)) {
        if (!options.some((o) => o.short === letter)) throw unknownOption(spec, `-${letter}`, options);
        // a short string option takes the rest of the word as its value (`-ofile`)
        if (options.find((o) => o.short === letter)?.type === 'string') break;
      }
    }
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(options.map((o) => [o.name, { type: o.type, ...(o.short ? { short: o.short } : {}) }])),
    });
  } catch (e) {
    // e.g. "Option '--format <value>' argument missing"
    throw new UsageError(`${spec.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  for (const o of spec.options) {
    const v = values[o.name];
    if (o.choices && typeof v === 'string' && !o.choices.includes(v)) {
      const near = closest(v, o.choices);
      throw new UsageError(`--${o.name} must be one of ${o.choices.join(', ')}, not "${v}"${near ? ` (did you mean ${near}?)` : ''}`);
    }
  }
  return { values, positionals: parsed.positionals, help: values.help === true };
}

function unknownOption(spec: CommandSpec, given: string, options: readonly OptionSpec[]): UsageError {
  const near = closest(given.replace(/^-+/, ''), options.map((o) => o.name));
  return new UsageError(`unknown option ${given} for ${spec.name}${near ? ` (did you mean --${near}?)` : ''}; \`preflight ${spec.name} --help\` lists the options`);
}

/** `preflight <command> --help`. */
export function renderHelp(spec: CommandSpec): string {
  const options = [...spec.options, HELP_OPTION];
  const labels = options.map((o) => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}`);
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  const lines = [`Usage: preflight ${spec.name} ${spec.usage}`, '', spec.description.trimEnd(), '', 'Options:'];
  options.forEach((o, k) => {
    const description = o.choices ? `${o.description} (${o.choices.join(' | ')})` : o.description;
    lines.push(`  ${labels[k].padEnd(width)}${description}`);
  });
  if (spec.epilog) lines.push('', spec.epilog.trimEnd());
  return `${lines.join('\n')}\n`;
}
