/** `preflight check` over one or several projects (the Prisma projects of a monorepo). */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeProject } from '../core/analysis/analyze-project';
import { changesSinceRef } from '../core/git/base-ref';
import { parsePrismaSchema } from '../core/prisma/schema';
import { loadConfig } from '../core/project/config';
import { discoverProject } from '../core/project/discover';
import { RULES } from '../core/rules/index';
import type { AnalysisResult } from '../core/types';
import { UsageError } from './usage-error';

export interface CheckOptions {
  since: string | undefined;
  config: string | undefined;
  prismaVersion: string | undefined;
}

/** Each path in turn, in this process. (Worker threads were tried: on two cores the single thread
 * already keeps both busy — garbage collection and WebAssembly tier-up run beside it — and two
 * lanes took longer: 2.4 → 2.6 s for the corpus.) */
export async function checkProjects(targets: readonly string[], options: CheckOptions, cwd: string): Promise<AnalysisResult[]> {
  const results: AnalysisResult[] = [];
  for (const t of targets) results.push(await checkOne(t, options, cwd));
  return results;
}

/** One path of `preflight check`: its project, configuration, branch changes and analysis. */
async function checkOne(target: string, options: CheckOptions, cwd: string): Promise<AnalysisResult> {
  const startDir = path.extname(target) ? path.dirname(target) : target;
  let loaded;
  try {
    loaded = loadConfig(startDir, options.config);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const unknownRules = Object.keys(loaded.config.rules ?? {}).filter((id) => !RULES.some((r) => r.meta.id === id));
  const project = discoverProject(target, {
    config: loaded.config,
    configDir: loaded.file ? path.dirname(loaded.file) : undefined,
    prismaVersion: options.prismaVersion,
  });
  if (!project.migrationsDir && project.schemaFiles.length === 0) {
    throw new UsageError(`no Prisma project found at ${path.relative(cwd, target) || '.'} (looked for a migrations folder and schema.prisma)`);
  }

  let only: Set<string> | undefined;
  let baseSchema = null;
  let modifiedMigrations: { migration: (typeof project.migrations)[number]; baseRef: string }[] = [];
  const since = options.since;
  if (since) {
    let changes;
    try {
      changes = changesSinceRef(project, since, (f) => {
        try {
          return readFileSync(f, 'utf8');
        } catch {
          return null;
        }
      });
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
    only = changes.changed;
    baseSchema = changes.baseSchemaFiles.length ? parsePrismaSchema(changes.baseSchemaFiles) : null;
    modifiedMigrations = changes.modified.map((migration) => ({ migration, baseRef: since }));
  }
  if (project.focus.migration) only = new Set([...(only ?? [project.focus.migration])].filter((m) => m === project.focus.migration));

  const analysis = await analyzeProject(project, {
    config: loaded.config,
    only,
    baseSchema,
    baseRef: since ?? null,
    modifiedMigrations,
  });
  const result = analysis.result;
  result.notices.unshift(...loaded.problems, ...unknownRules.map((id) => `${loaded.file}: unknown rule "${id}" in "rules" (\`preflight rules\` lists them)`));
  return result;
}
