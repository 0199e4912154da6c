/**
 * One Prisma project in the workspace and everything the editor keeps about it between
 * analyses: the discovered layout, the merged configuration, the history cache (so an edit
 * re-analyses only the migration that changed), the branch's changes, and the latest result.
 */
import * as path from 'node:path';
import type { Finding } from '../core/types';
import type { MigrationAnalysis, PrismaProject, PreflightConfig, ProjectAnalysis } from './core-api';
import type { Core } from './core-loader';

/** The migrations the current branch added or changed, against its base. */
export interface BranchChanges {
  /** What the base is, in words: `origin/main` (merge-base 1a2b3c4). */
  label: string;
  ref: string;
  changed: ReadonlySet<string>;
}

export class ProjectSession {
  /** Identifies the project: its migrations folder, else its schema. */
  readonly key: string;
  readonly history: InstanceType<Core['HistoryAnalyzer']>;
  /** Null when there is no git (or the workspace is untrusted): every migration is in scope. */
  branch: BranchChanges | null = null;
  baseSchema: ProjectAnalysis['schema'] = null;
  modifiedMigrations: { migration: PrismaProject['migrations'][number]; baseRef: string }[] = [];
  analysis: ProjectAnalysis | null = null;
  /** The preflight.config.json the session's config came from (its "statsFile" is relative to it). */
  configFile: string | null = null;
  /** Document versions the latest analysis read (absent: read from disk). */
  analysedVersions = new Map<string, number>();
  private migrationByFile = new Map<string, MigrationAnalysis>();
  private findingsByFile = new Map<string, Finding[]>();

  constructor(
    core: Core,
    public project: PrismaProject,
    public config: PreflightConfig,
    public readonly workspaceFolder: string | undefined,
    public notices: string[],
  ) {
    this.key = sessionKey(project);
    this.history = new core.HistoryAnalyzer();
  }

  /** Whether a file belongs to this project: a migration file, a schema file, or inside the migrations folder. */
  owns(file: string): boolean {
    const p = this.project;
    if (p.schemaFiles.includes(file)) return true;
    if (p.schemaPath && file.endsWith('.prisma') && isInside(file, p.schemaPath)) return true;
    return p.migrationsDir !== null && isInside(file, p.migrationsDir);
  }

  isSchemaFile(file: string): boolean {
    return this.project.schemaFiles.includes(file);
  }

  setAnalysis(analysis: ProjectAnalysis, versions: Map<string, number>): void {
    this.analysis = analysis;
    this.analysedVersions = versions;
    this.migrationByFile = new Map(analysis.migrations.map((m) => [m.report.file, m]));
    this.findingsByFile = new Map();
    for (const f of analysis.result.findings) {
      const list = this.findingsByFile.get(f.file) ?? [];
      list.push(f);
      this.findingsByFile.set(f.file, list);
    }
  }

  migrationOf(file: string): MigrationAnalysis | undefined {
    return this.migrationByFile.get(file);
  }

  findingsOf(file: string): Finding[] {
    return this.findingsByFile.get(file) ?? [];
  }

  filesWithFindings(): string[] {
    return [...this.findingsByFile.keys()];
  }

  /** True when the latest analysis read exactly this version of the document. */
  isCurrent(file: string, version: number): boolean {
    return this.analysedVersions.get(file) === version;
  }

  /** The migration folder a file belongs to, if any. */
  migrationNameOf(file: string): string | null {
    return this.project.migrations.find((m) => m.sqlFile === file || isInside(file, m.dir))?.name ?? null;
  }

  /**
   * Whether the Problems panel covers this migration (null: schema or project-wide findings): the
   * branch's migrations; without git (or in Restricted Mode) the newest migration only, since an
   * old history that already ran everywhere is not news (`preflight.problems.scope: all` for every one).
   */
  inBranchScope(migration: string | null): boolean {
    if (migration === null) return true;
    return this.branch === null ? migration === this.newestMigration() : this.branch.changed.has(migration);
  }

  /** The newest migration folder with a migration.sql (the Problems panel's scope without git). */
  newestMigration(): string | null {
    const withSql = this.project.migrations.filter((m) => m.sqlFile !== null);
    return withSql.length ? withSql[withSql.length - 1].name : null;
  }

  /** What the Problems panel covers, in words (the status bar's tooltip). */
  problemsScopeText(scopeAll: boolean): string {
    if (scopeAll) return 'every migration (preflight.problems.scope is all)';
    if (this.branch) return `the migrations changed since ${this.branch.label}, and open files`;
    const newest = this.newestMigration();
    return `${newest ? `the newest migration (${newest})` : 'no migration'} and open files: there is no git branch to compare with${this.trusted ? '' : ' in Restricted Mode'}. Set preflight.problems.scope to all for every migration`;
  }

  /** Whether git may run (a trusted workspace); set by the analyzer. */
  trusted = true;
}

export function sessionKey(project: PrismaProject): string {
  return project.migrationsDir ?? project.schemaPath ?? project.root;
}

export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
