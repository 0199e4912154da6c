/**
 * Tiny helpers that keep rule tests to one line each: analyse `sql` as the newest migration of a
 * history whose earlier migrations are `setup`, and return the findings.
 */
import { analyzeMigration } from '../../../src/core/analysis/analyze-migration';
import { HistoryAnalyzer } from '../../../src/core/analysis/history';
import { RULES } from '../../../src/core/rules/index';
import { ensureSqlParser } from '../../../src/core/sql/parser';
import type { Finding } from '../../../src/core/types';

export interface LintOptions {
  /** Earlier migrations (each string one migration.sql). */
  setup?: string | string[];
  /** Defaults to 7.3.0 (one batch). null = unknown. */
  prismaVersion?: string | null;
  /** Only findings of these rules. */
  rules?: string[];
}

export const MIGRATIONS_DIR = '/project/prisma/migrations';

export function migrationName(i: number): string {
  return `2025010100${String(i).padStart(4, '0')}_m${i}`;
}

export async function lint(sql: string, options: LintOptions = {}): Promise<Finding[]> {
  await ensureSqlParser();
  const setup = options.setup === undefined ? [] : Array.isArray(options.setup) ? options.setup : [options.setup];
  const all = [...setup, sql].map((text, i) => ({ name: migrationName(i), file: `${MIGRATIONS_DIR}/${migrationName(i)}/migration.sql`, text }));
  const migrationOptions = {
    prismaVersion: options.prismaVersion === undefined ? '7.3.0' : options.prismaVersion,
    rules: RULES,
    severityOf: (_: string, fallback: 'error' | 'warning' | 'info') => fallback,
    fileOfMigration: (name: string) => all.find((m) => m.name === name)?.file ?? null,
  };
  const { catalog } = new HistoryAnalyzer().analyze(all.slice(0, -1), migrationOptions, 'test');
  const last = all[all.length - 1];
  const findings = analyzeMigration(last, catalog, migrationOptions).findings;
  return options.rules ? findings.filter((f) => options.rules!.includes(f.rule)) : findings;
}

/** The rule ids found, with the 1-based line of each: `["drop-table@3"]`. */
export async function lintIds(sql: string, options: LintOptions = {}): Promise<string[]> {
  return (await lint(sql, options)).map((f) => `${f.rule}@${f.range.start.line}`);
}
