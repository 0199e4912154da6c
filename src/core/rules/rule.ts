/**
 * What a rule is: its metadata and docs (the single source for docs/rules, `preflight explain`,
 * hovers and the Problems-panel link) and one or more checks. Checks receive plain contexts and
 * report through `report`; severity overrides and suppressions are applied by the caller.
 */
import type { Catalog } from '../catalog/model';
import type { MigrationFolder, PrismaProject } from '../project/discover';
import type { PrismaSchemaModel } from '../prisma/schema';
import type { ParsedMigration, SqlStatement } from '../sql/parse-migration';
import type { UnreadableFile } from '../text/read-source-file';
import type { ExecutionMode, Fix, RelatedLocation, RuleMeta, Severity, SourceRange, StatementFacts } from '../types';

export interface AnalyzedStatement {
  index: number;
  sql: SqlStatement;
  facts: StatementFacts;
  /** The database just before this statement runs (earlier statements of the file applied). */
  catalog: Catalog;
}

export interface MigrationContext {
  name: string;
  file: string;
  text: string;
  parsed: ParsedMigration;
  statements: AnalyzedStatement[];
  /** The database before the migration. */
  before: Catalog;
  /** The database after the migration. */
  after: Catalog;
  execution: ExecutionMode;
  prismaVersion: string | null;
  /** Whether a table existed before this migration began. */
  existedBefore(table: string): boolean;
  /** Statement indexes that PostgreSQL runs as one transaction; a statement in none runs alone. */
  transactions: number[][];
  /** The transaction a statement runs in together with others, or null when it runs alone. */
  transactionOf(index: number): number[] | null;
  /** Inside the file's own BEGIN ... COMMIT block. */
  inExplicitBlock(index: number): boolean;
  /** Path of the migration file that created or last changed an object (for related information). */
  fileOfMigration(name: string): string | null;
  report(finding: MigrationReport): void;
}

export interface MigrationReport {
  /** The statement the finding is about, or null for the file itself (then `range` is required). */
  statement: number | null;
  /** Defaults to the statement's range. */
  range?: SourceRange;
  message: string;
  help: string;
  fixes?: Fix[];
  related?: RelatedLocation[];
  /** A lower default severity for this finding than the rule's (a configured severity still wins). */
  severity?: Severity;
  /**
   * The rule cannot tell whether the hazard applies: it needs a fact the migrations do not show
   * (e.g. the current type of a column of a table no migration creates). Reported as a note
   * (severity info, `uncertain: true`) instead of passing silently.
   */
  cannotTell?: boolean;
}

export interface SchemaContext {
  schema: PrismaSchemaModel;
  /** The database the whole migration history leaves. */
  catalog: Catalog;
  /** The schema at the base git ref, when one is known. */
  baseSchema: PrismaSchemaModel | null;
  baseRef: string | null;
  /**
   * The migrations a branch adds or changes, when only the branch's findings are wanted (`--since`,
   * the editor's branch scope); null for the whole history.
   */
  branchMigrations?: ReadonlySet<string> | null;
  fileOfMigration(name: string): string | null;
  report(finding: FileReport): void;
}

export interface ProjectContext {
  project: PrismaProject;
  /** Migrations whose migration.sql exists at the base ref with other content. */
  modifiedMigrations: { migration: MigrationFolder; baseRef: string }[];
  /** Files and folders that could not be read or decoded: the migrations after them were analysed without them. */
  unreadable: UnreadableFile[];
  report(
    finding: FileReport & {
      migration: string | null;
      /** Reported even when only some migrations are (`--since`, one folder): what it says holds for the replay of every later one. */
      concernsEveryMigration?: boolean;
    },
  ): void;
}

export interface FileReport {
  file: string;
  range: SourceRange;
  message: string;
  help: string;
  fixes?: Fix[];
  related?: RelatedLocation[];
}

export interface Rule {
  meta: RuleMeta;
  checkMigration?(ctx: MigrationContext): void;
  checkSchema?(ctx: SchemaContext): void;
  checkProject?(ctx: ProjectContext): void;
}

/** Identity, for type inference and one obvious shape per rule file. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
