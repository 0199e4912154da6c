/**
 * The editor settings (`preflight.*`), read in one place for every editor: VS Code reads them from
 * its configuration, the language server from `workspace/configuration`. They are an overlay on
 * `preflight.config.json` (the file the CLI reads): `overlay()` turns them into a `PreflightConfig`
 * that the caller merges over the file with the core's `mergeConfig`, so the CLI and the editor
 * agree unless the user set something in the editor on purpose.
 */
import * as path from 'node:path';
import type { PreflightConfig, RuleSetting } from '../core/project/config';

export const SECTION = 'preflight';

/** Which migrations the Problems panel covers; open files always get diagnostics. */
export type ProblemsScope = 'branch' | 'all';

/** Reads one setting below `preflight.` by its dotted key (`problems.scope`), with its default. */
export type SettingReader = <T>(key: string, fallback: T) => T | null | undefined;

const RULE_SETTINGS: readonly string[] = ['error', 'warning', 'info', 'off'];
const VERSION = /^\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?$/;

export class EditorSettings {
  constructor(private readonly get: SettingReader) {}

  /** Settings from a plain object (the `preflight` section as JSON), nested (`{ problems: { scope } }`) or dotted (`{ "problems.scope": ... }`). */
  static fromObject(section: unknown): EditorSettings {
    const root = section && typeof section === 'object' ? (section as Record<string, unknown>) : {};
    return new EditorSettings(<T>(key: string, fallback: T) => {
      if (key in root) return root[key] as T;
      let node: unknown = root;
      for (const part of key.split('.')) {
        if (!node || typeof node !== 'object' || !(part in (node as object))) return fallback;
        node = (node as Record<string, unknown>)[part];
      }
      return node as T;
    });
  }

  get enabled(): boolean {
    return this.get<boolean>('enable', true) !== false;
  }

  get problemsScope(): ProblemsScope {
    return this.get<string>('problems.scope', 'branch') === 'all' ? 'all' : 'branch';
  }

  /** Delay after the last keystroke before an open file is analysed again. */
  get analysisDelayMs(): number {
    const v = this.get<number>('analysisDelay', 250);
    return typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.min(v, 5000)) : 250;
  }

  get prismaVersion(): string | undefined {
    const v = this.get<string | null>('prismaVersion', '');
    return typeof v === 'string' && VERSION.test(v.trim()) ? v.trim() : undefined;
  }

  get schema(): string | undefined {
    return nonEmpty(this.get<string | null>('schema', ''));
  }

  get migrations(): string | undefined {
    return nonEmpty(this.get<string | null>('migrations', ''));
  }

  get baseRef(): string | undefined {
    return nonEmpty(this.get<string | null>('baseRef', ''));
  }

  /** Dry run: insert one synthetic row per table first, so data-dependent failures show (`preflight trace --sample-rows`). */
  get dryRunSampleRows(): boolean {
    return this.get<boolean>('dryRun.sampleRows', false) === true;
  }

  /** Severity per rule id; invalid entries are left out (and reported by `problems`). */
  get rules(): Record<string, RuleSetting> {
    const raw = this.rawRules();
    const out: Record<string, RuleSetting> = {};
    for (const [id, v] of Object.entries(raw)) if (typeof v === 'string' && RULE_SETTINGS.includes(v)) out[id] = v as RuleSetting;
    return out;
  }

  /** Plain-words problems with the settings, for the log. */
  get problems(): string[] {
    const out: string[] = [];
    const v = this.get<string | null>('prismaVersion', '');
    if (typeof v === 'string' && v.trim() && !VERSION.test(v.trim())) out.push(`setting preflight.prismaVersion "${v}" is not a version such as "7.3.0"; ignored`);
    for (const [id, s] of Object.entries(this.rawRules())) {
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

  private rawRules(): Record<string, unknown> {
    const raw = this.get<Record<string, unknown>>('rules', {});
    return raw && typeof raw === 'object' ? raw : {};
  }
}

function nonEmpty(v: string | null | undefined): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}
