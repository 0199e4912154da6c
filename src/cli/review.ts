/**
 * What `check` and `comment` share: the review options of the table (--since, --config,
 * --prisma-version, --select/--ignore, --fail-on, --exit-zero, --quiet), the run over the paths,
 * the notices on stderr and the exit code.
 */
import * as path from 'node:path';
import { EXACT_VERSION_PATTERN } from '../core/project/config';
import { statsByTable } from '../core/sizes/table-stats';
import type { AnalysisResult, Finding, Severity } from '../core/types';
import { checkProjects, type CheckOptions } from './check-projects';
import { reportRoot } from './format/paths';
import { visible } from './format/pretty';
import type { Io } from './main';
import type { FailOn } from './options/command-specs';
import type { ParsedCommand } from './options/option-table';
import { tableStatsFor } from './live/size-options';
import { isSelected, parseRuleSelection } from './rule-selection';
import { Interrupted, UsageError } from './usage-error';

export interface Review {
  /** One result per project, the rule selection applied. */
  results: AnalysisResult[];
  /** The folder report paths are relative to (the repository's top level when there is one). */
  root: string;
  failOn: FailOn;
  quiet: boolean;
}

export async function runReview(parsed: ParsedCommand, io: Io): Promise<Review> {
  const { values, positionals } = parsed;
  const prismaVersion = values['prisma-version'] as string | undefined;
  if (prismaVersion !== undefined && !EXACT_VERSION_PATTERN.test(prismaVersion)) throw new UsageError(`--prisma-version "${prismaVersion}" is not a version like 7.3.0`);
  const selection = parseRuleSelection(values.select as string | undefined, values.ignore as string | undefined);
  const options: CheckOptions = {
    since: values.since as string | undefined,
    config: values.config ? path.resolve(io.cwd, values.config as string) : undefined,
    prismaVersion,
    cache: values['no-cache'] ? null : { dir: values['cache-dir'] ? path.resolve(io.cwd, values['cache-dir'] as string) : null },
  };
  // Sizes (--stats-file, --database-url): read before the analysis, so a bad file fails at once.
  const stats = await tableStatsFor(values, io);
  if (stats && 'interrupted' in stats) throw new Interrupted(stats.interrupted);
  if (stats) options.tableStats = statsByTable(stats);
  const targets = (positionals.length ? positionals : ['.']).map((p) => path.resolve(io.cwd, p));
  const results = (await checkProjects(targets, options, io.cwd)).map((r) => ({ ...r, findings: r.findings.filter((f) => isSelected(selection, f)) }));
  const failOn = values['exit-zero'] ? 'never' : ((values['fail-on'] as FailOn | undefined) ?? 'error');
  const quiet = values.quiet === true;
  if (!quiet) for (const n of new Set(results.flatMap((r) => r.notices))) io.stderr(`preflight: note: ${visible(n)}\n`);
  return { results, root: reportRoot(io.cwd, io.env), failOn, quiet };
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** 1 when a finding is at least as severe as `failOn`, else 0. */
export function exitCodeFor(findings: readonly Finding[], failOn: FailOn): number {
  if (failOn === 'never') return 0;
  return findings.some((f) => RANK[f.severity] >= RANK[failOn]) ? 1 : 0;
}

/** Several projects' results as one, for the formats that have no notion of a project. */
export function mergeResults(results: readonly AnalysisResult[]): AnalysisResult {
  if (results.length === 1) return results[0];
  const versions = new Set(results.map((r) => r.prismaVersion));
  return {
    prismaVersion: versions.size === 1 ? results[0].prismaVersion : null,
    migrations: results.flatMap((r) => r.migrations),
    findings: results.flatMap((r) => r.findings),
    notices: [...new Set(results.flatMap((r) => r.notices))],
  };
}
