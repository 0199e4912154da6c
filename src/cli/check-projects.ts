/**
 * `preflight check` over one or several projects. The paths given are resolved to projects first:
 * a folder holding several projects (a monorepo's root) stands for each of them, and the files of
 * one project (what lint-staged passes: `prisma/migrations/* /migration.sql`) are grouped, so the
 * project is analysed once — the migrations named, with the whole history as context, and its
 * schema findings once.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeProject } from '../core/analysis/analyze-project';
import { defaultCacheDir, HistoryStore } from '../core/cache/history-store';
import { changesSinceRef } from '../core/git/base-ref';
import { parsePrismaSchema } from '../core/prisma/schema';
import { loadConfig, type LoadedConfig } from '../core/project/config';
import { discoverProject, type PrismaProject } from '../core/project/discover';
import { projectAnchorsBelow } from '../core/project/find-projects';
import { loneSqlFileProject } from '../core/project/lone-sql-file';
import { RULES } from '../core/rules/index';
import { DEFAULT_LOCK_TIME_SEVERITY, withTableSizes } from '../core/sizes/size-aware';
import { statsOfConfig, type TableStats } from '../core/sizes/table-stats';
import type { AnalysisResult, TableName } from '../core/types';
import { UsageError } from './usage-error';
import { BUILD, VERSION } from './version';

export interface CheckOptions {
  /** `--since`; when absent, the config file's `baseRef` applies. */
  since: string | undefined;
  config: string | undefined;
  prismaVersion: string | undefined;
  /** The persistent cache (null: --no-cache); `dir` null: the default folder. */
  cache?: { dir: string | null } | null;
  /** Table sizes (--stats-file, --database-url): locking findings state them and rise with the estimated lock time. */
  tableStats?: ReadonlyMap<TableName, TableStats>;
}

interface ProjectRun {
  project: PrismaProject;
  loaded: LoadedConfig;
  /** Migration folders named by the paths (none when only schema files are named), or null when a path stands for the whole project. */
  focus: Set<string> | null;
}

/** Each project in turn, in this process. (Worker threads were tried: on two cores the single thread
 * already keeps both busy — garbage collection and WebAssembly tier-up run beside it — and two
 * lanes took longer: 2.4 → 2.6 s for the corpus.) */
export async function checkProjects(targets: readonly string[], options: CheckOptions, cwd: string): Promise<AnalysisResult[]> {
  const results: AnalysisResult[] = [];
  for (const run of projectRuns(targets, options, cwd)) results.push(await checkOne(run, options));
  return results;
}

/** The paths as projects, in the order first named, one entry per project. */
function projectRuns(targets: readonly string[], options: CheckOptions, cwd: string): ProjectRun[] {
  const runs = new Map<string, ProjectRun>();
  for (const target of targets) {
    for (const { project, loaded } of projectsAt(target, options, cwd)) {
      const key = JSON.stringify([project.root, project.migrationsDir, project.schemaPath]);
      const migration = project.focus.migration;
      // A schema file named alone stands for its own findings, not for every migration: what a
      // pre-commit hook passes when `prisma migrate dev` changed the schema and added a migration.
      const schemaFile = !migration && project.focus.file !== undefined;
      project.focus = {};
      const known = runs.get(key);
      if (!known) {
        runs.set(key, { project, loaded, focus: migration ? new Set([migration]) : schemaFile ? new Set() : null });
      } else if (known.focus) {
        if (migration) known.focus.add(migration);
        else if (!schemaFile) known.focus = null;
      }
    }
  }
  return [...runs.values()];
}

/** The project a path belongs to; for a folder that is no project itself, every project below it. */
function projectsAt(target: string, options: CheckOptions, cwd: string): { project: PrismaProject; loaded: LoadedConfig }[] {
  const open = (at: string) => {
    const loaded = configFor(isDirectory(at) ? at : path.dirname(at), options);
    const project = discoverProject(at, { config: loaded.config, configDir: loaded.file ? path.dirname(loaded.file) : undefined, prismaVersion: options.prismaVersion });
    return { project, loaded };
  };
  const isProject = (p: PrismaProject) => p.migrationsDir !== null || p.schemaFiles.length > 0;
  const own = open(target);
  if (isDirectory(target)) {
    const anchors = projectAnchorsBelow(target);
    const below = anchors.map(open).filter((o) => isProject(o.project) || o.project.notices.length > 0);
    // The folder is one project (or inside one) when every project below is that same one.
    const sameAsOwn = (o: { project: PrismaProject }) => o.project.root === own.project.root && o.project.migrationsDir === own.project.migrationsDir;
    if (below.length > 0 && !(isProject(own.project) && below.every(sameAsOwn))) {
      const projects = below.filter((o) => isProject(o.project));
      if (projects.length > 0) {
        // non-PostgreSQL projects and the like keep their notices on one that is reviewed
        projects[0].project.notices.push(...below.filter((o) => !isProject(o.project)).flatMap((o) => o.project.notices));
        return projects;
      }
    }
  }
  // A lone .sql file outside any project: one migration with no known history (with a note).
  if (!isProject(own.project) && !isDirectory(target) && /\.sql$/i.test(target) && isFile(target)) return [{ project: loneSqlFileProject(target, own.project.prismaVersion), loaded: own.loaded }];
  if (!isProject(own.project)) {
    const why = own.project.notices.length ? `: ${own.project.notices.join('; ')}` : ' (looked for a migrations folder and schema.prisma)';
    throw new UsageError(`no Prisma project found at ${path.relative(cwd, target) || '.'}${why}`);
  }
  return [own];
}

/** The config that applies to a folder; an invalid file is a usage error naming the file, the line and what is wrong. */
function configFor(dir: string, options: CheckOptions): LoadedConfig {
  let loaded;
  try {
    loaded = loadConfig(dir, options.config);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const unknownRules = Object.keys(loaded.config.rules ?? {}).filter((id) => !RULES.some((r) => r.meta.id === id));
  const problems = [...loaded.problems, ...unknownRules.map((id) => `${loaded.file}: unknown rule "${id}" in "rules" (\`preflight rules\` lists them)`)];
  if (problems.length) throw new UsageError(`invalid configuration: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
  return loaded;
}

/** One project: branch changes and analysis. */
async function checkOne(run: ProjectRun, options: CheckOptions): Promise<AnalysisResult> {
  const { project, loaded } = run;
  const persistent = options.cache ? new HistoryStore(options.cache.dir ?? defaultCacheDir(project.root), { toolVersion: `${VERSION}+${BUILD}`, project: project.migrationsDir ?? project.root }) : null;
  let only: Set<string> | undefined;
  let baseSchema = null;
  let modifiedMigrations: { migration: PrismaProject['migrations'][number]; baseRef: string }[] = [];
  // As in the editor: the flag, else the config's baseRef; without either, every migration.
  const since = options.since ?? loaded.config.baseRef;
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
      const source = options.since === undefined ? ` ("baseRef" in ${loaded.file})` : '';
      throw new UsageError(`${e instanceof Error ? e.message : String(e)}${source}`);
    }
    only = changes.changed;
    baseSchema = changes.baseSchemaFiles.length ? (persistent ? persistent.parsedSchema(changes.baseSchemaFiles, parsePrismaSchema) : parsePrismaSchema(changes.baseSchemaFiles)) : null;
    modifiedMigrations = changes.modified.map((migration) => ({ migration, baseRef: since }));
  }
  if (run.focus) {
    const focus = run.focus;
    only = new Set([...(only ?? focus)].filter((m) => focus.has(m)));
  }

  const analysis = await analyzeProject(project, {
    config: loaded.config,
    only,
    baseSchema,
    baseRef: since ?? null,
    modifiedMigrations,
    persistent,
  });
  // --stats-file / --database-url, else the "statsFile" of the project's config.
  const tables = options.tableStats ?? statsOfConfig(loaded.config, loaded.file);
  if (!tables) return analysis.result;
  return withTableSizes(analysis.result, { tables, severity: loaded.config.lockTimeSeverity ?? DEFAULT_LOCK_TIME_SEVERITY });
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
