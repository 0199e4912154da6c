/**
 * The extension's settings, read in one place. They are an overlay on `preflight.config.json`
 * (the file the CLI reads): `overlay()` turns them into a `PreflightConfig` that the caller merges
 * over the file with the core's `mergeConfig`, so the CLI and the editor agree unless the user
 * set something in the editor on purpose.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PreflightConfig, RuleSetting } from '../core/project/config';

export const SECTION = 'preflight';

/** Which migrations the Problems panel covers; open files always get diagnostics. */
export type ProblemsScope = 'branch' | 'all';

const RULE_SETTINGS: readonly string[] = ['error', 'warning', 'info', 'off'];
const VERSION = /^\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?$/;

export class Config {
  constructor(private readonly scope?: vscode.ConfigurationScope) {}

  /** The settings that apply to a file or folder (settings are resource-scoped: multi-root aware). */
  static for(scope?: vscode.ConfigurationScope): Config {
    return new Config(scope);
  }

  static affectsUs(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration(SECTION);
  }

  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION, this.scope);
  }

  get enabled(): boolean {
    return this.section.get<boolean>('enable', true);
  }

  get problemsScope(): ProblemsScope {
    return this.section.get<string>('problems.scope', 'branch') === 'all' ? 'all' : 'branch';
  }

  /** Delay after the last keystroke before an open file is analysed again. */
  get analysisDelayMs(): number {
    const v = this.section.get<number>('analysisDelay', 250);
    return typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.min(v, 5000)) : 250;
  }

  get prismaVersion(): string | undefined {
    const v = this.section.get<string | null>('prismaVersion', '');
    return typeof v === 'string' && VERSION.test(v.trim()) ? v.trim() : undefined;
  }

  get schema(): string | undefined {
    return nonEmpty(this.section.get<string | null>('schema', ''));
  }

  get migrations(): string | undefined {
    return nonEmpty(this.section.get<string | null>('migrations', ''));
  }

  get baseRef(): string | undefined {
    return nonEmpty(this.section.get<string | null>('baseRef', ''));
  }

  /** Dry run: insert one synthetic row per table first, so data-dependent failures show (`preflight trace --sample-rows`). */
  get dryRunSampleRows(): boolean {
    return this.section.get<boolean>('dryRun.sampleRows', false) === true;
  }

  /** Severity per rule id; invalid entries are left out (and reported by `problems`). */
  get rules(): Record<string, RuleSetting> {
    const raw = this.section.get<Record<string, unknown>>('rules', {}) ?? {};
    const out: Record<string, RuleSetting> = {};
    for (const [id, v] of Object.entries(raw)) if (typeof v === 'string' && RULE_SETTINGS.includes(v)) out[id] = v as RuleSetting;
    return out;
  }

  /** Plain-words problems with the settings, for the output channel. */
  get problems(): string[] {
    const out: string[] = [];
    const v = this.section.get<string | null>('prismaVersion', '');
    if (typeof v === 'string' && v.trim() && !VERSION.test(v.trim())) out.push(`setting preflight.prismaVersion "${v}" is not a version such as "7.3.0"; ignored`);
    const raw = this.section.get<Record<string, unknown>>('rules', {}) ?? {};
    for (const [id, s] of Object.entries(raw)) {
      if (typeof s !== 'string' || !RULE_SETTINGS.includes(s)) out.push(`setting preflight.rules: "${id}" is ${JSON.stringify(s)}; use "error", "warning", "info" or "off"; ignored`);
    }
    return out;
  }

  /**
   * The settings as a config overlay. Paths are made absolute against the workspace folder, so
   * they win over the file's (which are relative to the file) without ambiguity.
   */
  overlay(folder: string | undefined): PreflightConfig {
    const abs = (p: string | undefined) => (p === undefined ? undefined : folder ? path.resolve(folder, p) : p);
    const out: PreflightConfig = {};
    if (this.prismaVersion) out.prismaVersion = this.prismaVersion;
    const schema = abs(this.schema);
    if (schema) out.schema = schema;
    const migrations = abs(this.migrations);
    if (migrations) out.migrations = migrations;
    if (this.baseRef) out.baseRef = this.baseRef;
    const rules = this.rules;
    if (Object.keys(rules).length) out.rules = rules;
    return out;
  }
}

function nonEmpty(v: string | null | undefined): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}
