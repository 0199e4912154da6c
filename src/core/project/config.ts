/**
 * The one configuration file, `preflight.config.json`, read by the CLI and the VS Code extension
 * (whose settings are layered on top with `mergeConfig`). JSON with comments and trailing commas.
 * Paths in it are relative to the folder of the file. Rule ids are not checked here: the rule
 * registry is the caller's to consult.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { closest } from '../text/closest';
import { parseJsonc } from './jsonc';

export const CONFIG_FILE_NAME = 'preflight.config.json';

export type RuleSetting = 'error' | 'warning' | 'info' | 'off';
export const RULE_SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'info', 'off'];

export interface PreflightConfig {
  /** Exact Prisma version to assume, e.g. `7.3.0` (decides how migration.sql files run). */
  prismaVersion?: string;
  /** Schema file or multi-file schema folder, relative to the config file's folder. */
  schema?: string;
  /** Migrations folder, relative to the config file's folder. */
  migrations?: string;
  /** Severity per rule id, or `off`. */
  rules?: Record<string, RuleSetting>;
  /** Git ref to compare with (e.g. `origin/main`). */
  baseRef?: string;
  /**
   * With table sizes (--stats-file, --database-url): the estimated lock time, in seconds, from which
   * a locking finding is at least a warning / an error; null leaves that level out; "off" never raises.
   */
  lockTimeSeverity?: { warning: number | null; error: number | null } | 'off';
  /**
   * A file `preflight stats` wrote, relative to the config file's folder: the CLI (without
   * --stats-file or --database-url) and the editor read the table sizes from it.
   */
  statsFile?: string;
}

export interface LoadedConfig {
  config: PreflightConfig;
  /** Absolute path of the file read, or null when there is none. */
  file: string | null;
  /** Plain-words problems found in the file, each naming it; the parts that were valid are kept. */
  problems: string[];
}

/** A Prisma version as the config and the CLI accept it: `7`, `7.3`, `7.3.0`, `7.4.0-dev.3`. */
export const EXACT_VERSION_PATTERN = /^\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?$/;

const KNOWN_KEYS = ['prismaVersion', 'schema', 'migrations', 'rules', 'baseRef', 'lockTimeSeverity', 'statsFile'] as const;
/** Allowed but ignored: lets editors find config.schema.json. */
const IGNORED_KEYS = new Set(['$schema']);

/**
 * The config file that applies to `startDir`: the first `preflight.config.json` found in it or
 * the folders above it. The search stops after the folder holding `.git` (the repository root)
 * or at the filesystem root.
 */
export function findConfigFile(startDir: string): string | null {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (isFile(candidate)) return candidate;
    if (existsSync(path.join(dir, '.git'))) return null;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Reads the config that applies to `startDir` (or `explicitFile`, e.g. from `--config`).
 * No file found: an empty config. An explicit file that does not exist: throws.
 */
export function loadConfig(startDir: string, explicitFile?: string): LoadedConfig {
  let file: string | null;
  if (explicitFile !== undefined) {
    file = path.resolve(startDir, explicitFile);
    if (!existsSync(file)) throw new Error(`config file ${file} does not exist`);
    if (!isFile(file)) throw new Error(`config file ${file} is not a file`);
  } else {
    file = findConfigFile(startDir);
    if (!file) return { config: {}, file: null, problems: [] };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (explicitFile !== undefined) throw new Error(`cannot read config file ${file}: ${(e as Error).message}`);
    return { config: {}, file, problems: [`${file}: cannot be read (${(e as Error).message}); using the defaults`] };
  }
  return parseConfigText(text, file);
}

/** Parses and checks the text of a config file. Never throws: every problem is in `problems`. */
export function parseConfigText(text: string, file: string): LoadedConfig {
  const problems: string[] = [];
  const parsed = parseJsonc(text);
  const at = (keyPath: string): string => {
    const offset = parsed.keyOffsets.get(keyPath);
    if (offset === undefined) return '';
    const p = parsed.lineIndex.positionAt(offset);
    return `line ${p.line}: `;
  };
  if (parsed.error) {
    const { line, column, message } = parsed.error;
    problems.push(`${file}: line ${line}, column ${column}: not valid JSON: ${message}; the rest of the file was ignored`);
  }
  const config: PreflightConfig = {};
  const value = parsed.value;
  if (value === undefined) {
    if (!parsed.error) problems.push(`${file}: is empty; expected an object such as { "rules": { "drop-column": "warning" } }`);
    return { config, file, problems };
  }
  if (!isPlainObject(value)) {
    problems.push(`${file}: must hold an object such as { "rules": { "drop-column": "warning" } }, not ${describeJson(value)}`);
    return { config, file, problems };
  }

  for (const [key, v] of Object.entries(value)) {
    switch (key) {
      case 'prismaVersion':
        if (typeof v !== 'string' || !EXACT_VERSION_PATTERN.test(v.trim())) {
          const hint = typeof v === 'string' && /[\^~<>=*x|]/.test(v) ? ' (a range: give the exact version Preflight should assume)' : '';
          problems.push(`${file}: ${at(key)}"prismaVersion" must be a version such as "7.3.0", not ${describeJson(v)}${hint}; ignored`);
        } else {
          config.prismaVersion = v.trim();
        }
        break;
      case 'schema':
      case 'migrations':
      case 'statsFile':
      case 'baseRef':
        if (typeof v !== 'string' || v.trim() === '') {
          const what = key === 'baseRef' ? 'a git ref such as "origin/main"' : `a path relative to ${CONFIG_FILE_NAME}`;
          problems.push(`${file}: ${at(key)}"${key}" must be ${what}, not ${describeJson(v)}; ignored`);
        } else {
          config[key] = v.trim();
        }
        break;
      case 'rules':
        if (!isPlainObject(v)) {
          problems.push(`${file}: ${at(key)}"rules" must be an object of rule ids and severities, such as { "drop-column": "warning" }, not ${describeJson(v)}; ignored`);
          break;
        }
        config.rules = {};
        for (const [id, setting] of Object.entries(v)) {
          if (typeof setting === 'string' && (RULE_SETTINGS as readonly string[]).includes(setting)) {
            config.rules[id] = setting as RuleSetting;
          } else {
            const close = typeof setting === 'string' ? closest(setting.toLowerCase(), RULE_SETTINGS) : null;
            const hint = close ? ` (did you mean "${close}"?)` : '';
            problems.push(`${file}: ${at(`rules/${id}`)}rule "${id}" is set to ${describeJson(setting)}${hint}; use "error", "warning", "info" or "off"; ignored`);
          }
        }
        break;
      case 'lockTimeSeverity': {
        const seconds = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x) && x > 0);
        if (v === 'off') config.lockTimeSeverity = 'off';
        else if (isPlainObject(v) && Object.keys(v).every((k) => k === 'warning' || k === 'error') && seconds(v.warning ?? null) && seconds(v.error ?? null)) {
          config.lockTimeSeverity = { warning: (v.warning as number | null | undefined) ?? null, error: (v.error as number | null | undefined) ?? null };
        } else {
          problems.push(`${file}: ${at(key)}"lockTimeSeverity" must be "off" or an object of seconds above 0 (or null) such as { "warning": 1, "error": 10 }, not ${describeJson(v)}; ignored`);
        }
        break;
      }
      default: {
        if (IGNORED_KEYS.has(key)) break;
        const close = closest(key, KNOWN_KEYS);
        const hint = close ? `did you mean "${close}"? ` : '';
        problems.push(`${file}: ${at(key)}unknown setting "${key}" (${hint}known settings: ${KNOWN_KEYS.join(', ')}); ignored`);
      }
    }
  }
  return { config, file, problems };
}

/** `override` wins key by key; `rules` are merged per rule id. Neither argument is changed. */
export function mergeConfig(base: PreflightConfig, override: PreflightConfig): PreflightConfig {
  const merged: PreflightConfig = { ...base };
  for (const key of ['prismaVersion', 'schema', 'migrations', 'baseRef'] as const) {
    if (override[key] !== undefined) merged[key] = override[key];
  }
  if (override.lockTimeSeverity !== undefined) merged.lockTimeSeverity = override.lockTimeSeverity;
  if (base.rules !== undefined || override.rules !== undefined) merged.rules = { ...base.rules, ...override.rules };
  return merged;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v);
  return `${typeof v} ${String(v)}`;
}
