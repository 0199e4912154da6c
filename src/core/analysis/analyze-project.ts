/**
 * The whole review of a Prisma project: replay and analyse every migration, check schema.prisma
 * against the history (and against the base git ref), and check the migrations folder itself.
 * The CLI and the VS Code extension both call this; it returns plain data.
 */
import * as path from 'node:path';
import type { Catalog } from '../catalog/model';
import type { PreflightConfig } from '../project/config';
import type { MigrationFolder, PrismaProject } from '../project/discover';
import { parsePrismaSchema, type PrismaSchemaModel } from '../prisma/schema';
import { isSuppressedInSchema, readSchemaSuppressions, type SchemaSuppressions } from '../prisma/suppressions';
import { RULES } from '../rules/index';
import { judgeOnLaterHistory } from '../rules/foreign-key-without-index';
import type { AnalyzedStatement, FileReport, ProjectContext, Rule, SchemaContext } from '../rules/rule';
import { ensureSqlParser } from '../sql/parser';
import { FILE_START, readSourceFile, type UnreadableFile } from '../text/read-source-file';
import { tooManyBytes } from '../text/review-limits';
import type { AnalysisResult, Finding, Severity } from '../types';
import type { MigrationAnalysis, MigrationInput, SeverityOf } from './analyze-migration';
import type { PersistentHistory } from './history';
import { HistoryAnalyzer } from './history';

export interface AnalyzeProjectOptions {
  config?: PreflightConfig;
  /** Report only these migrations (by folder name); all are still replayed. Default: all. */
  only?: ReadonlySet<string>;
  /** Text of files that differ from disk (unsaved editor buffers), by absolute path. */
  overrides?: ReadonlyMap<string, string>;
  /** schema.prisma as it is at the base ref, for prisma-on-delete-change. */
  baseSchema?: PrismaSchemaModel | null;
  baseRef?: string | null;
  /** The migrations the branch adds or changes, when only its findings are wanted (see SchemaContext). Default: `only`. */
  branchMigrations?: ReadonlySet<string> | null;
  /** Migrations whose migration.sql differs from the base ref, for migration-modified. */
  modifiedMigrations?: { migration: MigrationFolder; baseRef: string }[];
  /** Reuse across calls (the editor): only changed migrations are analysed again. */
  history?: HistoryAnalyzer;
  /** The persistent cache on disk (the CLI's; see cache/history-store.ts). */
  persistent?: PersistentHistory | null;
  rules?: readonly Rule[];
}

export interface ProjectAnalysis {
  result: AnalysisResult;
  /** The database the whole history leaves. */
  catalog: Catalog;
  schema: PrismaSchemaModel | null;
  migrations: MigrationAnalysis[];
  /** How many migrations came from the cache. */
  reused: number;
}

export function severityFromConfig(config: PreflightConfig | undefined): SeverityOf {
  return (id, fallback) => {
    const configured = config?.rules?.[id];
    return configured === undefined ? fallback : configured;
  };
}

export async function analyzeProject(project: PrismaProject, options: AnalyzeProjectOptions = {}): Promise<ProjectAnalysis> {
  await ensureSqlParser();
  const rules = options.rules ?? RULES;
  const severityOf = severityFromConfig(options.config);
  // Files that cannot be read or decoded are findings (unreadable-file), never skipped in silence.
  const unreadable: UnreadableFile[] = [...project.unreadable];
  const read = (file: string): string | null => {
    const override = options.overrides?.get(file);
    if (override !== undefined) {
      // An unsaved buffer is held to the same review limit as the file on disk.
      const tooLarge = tooManyBytes(Buffer.byteLength(override, 'utf8'));
      if (!tooLarge) return stripBom(override);
      unreadable.push({ file, kind: 'too-large', reason: tooLarge, range: FILE_START });
      return null;
    }
    const r = readSourceFile(file);
    if (r.ok) return r.text;
    unreadable.push(r.problem);
    return null;
  };
  const notices = [...project.notices];
  const inputs: MigrationInput[] = [];
  for (const m of project.migrations) {
    if (!m.sqlFile) continue;
    const text = read(m.sqlFile);
    if (text !== null) inputs.push({ name: m.name, file: m.sqlFile, text });
  }
  const fileByName = new Map(inputs.map((m) => [m.name, m.file]));
  const fileOfMigration = (name: string) => fileByName.get(name) ?? null;
  const prismaVersion = project.prismaVersion.version;
  const history = options.history ?? new HistoryAnalyzer();
  const optionsKey = JSON.stringify({ prismaVersion, rules: options.config?.rules ?? {}, ids: rules.map((r) => r.meta.id) });
  const persistent = options.persistent ?? null;
  const { analyses, catalog, reused, restored } = history.analyze(inputs, { prismaVersion, rules, severityOf, fileOfMigration }, optionsKey, persistent);

  // By the input's name: a restored migration's report is read only when it is reported.
  const findings: Finding[] = [];
  const reported = analyses.filter((_, i) => !options.only || options.only.has(inputs[i].name));
  const canAddMigrations = project.migrationsDir !== null;
  const judged = new Map<number, readonly Finding[]>();
  analyses.forEach((a, i) => {
    if (options.only && !options.only.has(inputs[i].name)) return;
    const j = persistent?.judged(i) ?? judgedOnWholeHistory(a, analyses);
    judged.set(i, j);
    for (const f of j) findings.push(canAddMigrations ? f : withoutNewMigrationFolders(f));
  });
  // A branch's check (--since) on a restored base leaves the file as the base left it: rewriting
  // the whole history's file for the branch's own few migrations costs more than analysing them
  // again next time.
  const onlyReportedAreNew = options.only !== undefined && restored > 0 && inputs.slice(restored).every((m) => options.only!.has(m.name));
  if (!onlyReportedAreNew) persistent?.record(inputs, analyses, optionsKey, restored, judged);

  // schema.prisma against the history and the base ref.
  let schema: PrismaSchemaModel | null = null;
  if (project.schemaFiles.length) {
    const files = project.schemaFiles.flatMap((f) => {
      const text = read(f);
      return text === null ? [] : [{ path: f, text }];
    });
    schema = options.history ? parsedSchemaFor(options.history, files) : persistent ? persistent.parsedSchema(files, parsePrismaSchema) : parsePrismaSchema(files);
    for (const p of schema.problems) notices.push(`${p.file}: ${p.message}`);
    const ctx: Omit<SchemaContext, 'report'> = {
      schema,
      catalog,
      baseSchema: options.baseSchema ?? null,
      baseRef: options.baseRef ?? null,
      branchMigrations: options.branchMigrations !== undefined ? options.branchMigrations : (options.only ?? null),
      fileOfMigration,
    };
    // `// preflight-ignore` comments of each schema file, read on first need.
    const suppressions = new Map<string, SchemaSuppressions>();
    const suppressionsOf = (file: string) => {
      let s = suppressions.get(file);
      if (!s) suppressions.set(file, (s = readSchemaSuppressions(files.find((f) => f.path === file)?.text ?? '')));
      return s;
    };
    for (const rule of rules) {
      if (!rule.checkSchema) continue;
      rule.checkSchema({
        ...ctx,
        report: (r) => {
          if (files.some((f) => f.path === r.file) && isSuppressedInSchema(suppressionsOf(r.file), rule.meta.id, r.range.start.line)) return;
          pushFileFinding(findings, rule, severityOf, r, null);
        },
      });
    }
  }

  const projectCtx: Omit<ProjectContext, 'report'> = { project, modifiedMigrations: options.modifiedMigrations ?? [], unreadable };
  for (const rule of rules) {
    if (!rule.checkProject) continue;
    rule.checkProject({
      ...projectCtx,
      report: (r) => {
        if (r.migration && options.only && !options.only.has(r.migration) && !r.concernsEveryMigration) return;
        pushFileFinding(findings, rule, severityOf, r, r.migration);
      },
    });
  }

  if (prismaVersion === null) notices.push(`Prisma version unknown (${project.prismaVersion.detail}): assuming every migration.sql runs as one batch, as Prisma ≤ 7.3 does. Set "prismaVersion" in preflight.config.json or pass --prisma-version.`);

  return {
    result: {
      prismaVersion,
      migrations: reported.map((a) => a.report),
      findings,
      notices,
    },
    catalog,
    schema,
    migrations: analyses,
    reused,
  };
}

/**
 * A migration's findings judged on the whole history, not only on the migrations before it:
 * foreign-key-without-index names the later migration that adds the index.
 */
function judgedOnWholeHistory(a: MigrationAnalysis, analyses: readonly MigrationAnalysis[]): Finding[] {
  if (!a.findings.some((f) => f.rule === 'foreign-key-without-index')) return a.findings;
  const later = analyses.slice(analyses.indexOf(a) + 1).map((m) => ({ name: m.report.name, after: m.after }));
  if (!later.length) return a.findings;
  return a.findings.map((f) => {
    if (f.rule !== 'foreign-key-without-index' || f.statementIndex === undefined) return f;
    const sql = a.parsed.statements[f.statementIndex];
    return judgeOnLaterHistory(f, later, sql ? ({ index: sql.index, sql } as AnalyzedStatement) : undefined);
  });
}

/**
 * A finding without the fixes that add a migration folder (moving a statement into a migration of
 * its own, validating in a follow-up): a lone SQL file outside any Prisma project has no migrations
 * folder to add one to. Its fixes that only edit the file itself stay.
 */
function withoutNewMigrationFolders(f: Finding): Finding {
  if (!f.fixes?.some((x) => x.newFiles?.length)) return f;
  const { fixes, ...rest } = f;
  const kept = fixes.filter((x) => !x.newFiles?.length);
  return kept.length ? { ...rest, fixes: kept } : rest;
}

/**
 * The editor analyses the project on every keystroke in a migration, where schema.prisma has not
 * changed; parsing it again cost up to ~0.4 s (civitai's 302 models). One parsed schema is kept
 * per history cache (per project), reused while every schema file's text is the same.
 */
const schemaCache = new WeakMap<HistoryAnalyzer, { files: { path: string; text: string }[]; schema: PrismaSchemaModel }>();

function parsedSchemaFor(history: HistoryAnalyzer, files: { path: string; text: string }[]): PrismaSchemaModel {
  const cached = schemaCache.get(history);
  if (cached && cached.files.length === files.length && cached.files.every((f, i) => f.path === files[i].path && f.text === files[i].text)) return cached.schema;
  const schema = parsePrismaSchema(files);
  schemaCache.set(history, { files, schema });
  return schema;
}

function pushFileFinding(findings: Finding[], rule: Rule, severityOf: SeverityOf, r: FileReport, migration: string | null): void {
  const severity: Severity | 'off' = severityOf(rule.meta.id, rule.meta.defaultSeverity);
  if (severity === 'off') return;
  findings.push({
    rule: rule.meta.id,
    severity,
    file: r.file,
    migration,
    range: r.range,
    message: r.message,
    help: r.help,
    ...(r.fixes?.length ? { fixes: r.fixes } : {}),
    ...(r.related?.length ? { related: r.related } : {}),
  });
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function relativePath(file: string, cwd: string): string {
  return path.relative(cwd, file).split(path.sep).join('/');
}
