/**
 * The Prisma version a project runs, which decides how `migrate deploy` sends a migration.sql
 * (one batch up to 7.3.x, statement by statement from 7.4.0). Order: an override (CLI flag or
 * editor setting) > preflight.config.json > the installed `node_modules/prisma` > the lowest
 * version the `prisma` range in package.json allows (the safe reading) > unknown.
 * `@prisma/client` stands in only when the project has no `prisma` package at all.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface PrismaVersionInfo {
  version: string | null;
  source: 'config' | 'override' | 'installed' | 'package.json' | 'unknown';
  /** Plain words, e.g. "installed: node_modules/prisma/package.json 7.4.1". */
  detail: string;
}

export function detectPrismaVersion(root: string, override?: string, configVersion?: string): PrismaVersionInfo {
  const from = path.resolve(root);
  if (override) return { version: override, source: 'override', detail: `override: ${override}` };
  if (configVersion) return { version: configVersion, source: 'config', detail: `preflight.config.json: prismaVersion ${configVersion}` };

  const installed = findInstalled(from, 'prisma');
  if (installed) return { version: installed.version, source: 'installed', detail: `installed: ${installed.shown} ${installed.version}` };
  const declared = findDeclared(from, 'prisma');
  if (declared) return fromRange(declared, 'prisma', '');

  const clientNote = ' (@prisma/client; the project has no prisma package, so the prisma CLI is assumed to have the same version)';
  const client = findInstalled(from, '@prisma/client');
  if (client) return { version: client.version, source: 'installed', detail: `installed: ${client.shown} ${client.version}${clientNote}` };
  const clientDeclared = findDeclared(from, '@prisma/client');
  if (clientDeclared) return fromRange(clientDeclared, '@prisma/client', clientNote);

  return { version: null, source: 'unknown', detail: 'no node_modules/prisma and no prisma dependency in package.json' };
}

function fromRange(declared: Declared, name: string, note: string): PrismaVersionInfo {
  const min = minimumVersionOfRange(declared.range);
  if (min === null) {
    return { version: null, source: 'unknown', detail: `${declared.shown}: ${name} "${declared.range}" names no lowest version, and ${name} is not installed${note}` };
  }
  return { version: min, source: 'package.json', detail: `${declared.shown}: ${name} "${declared.range}", lowest allowed ${min}; not installed${note}` };
}

interface Installed {
  version: string;
  /** Path of the package.json read, relative to the project root, with `/` separators. */
  shown: string;
}

/** `node_modules/<name>/package.json` in `from` or a folder above it, as Node resolves packages. */
function findInstalled(from: string, name: string): Installed | null {
  let dir = from;
  for (;;) {
    if (path.basename(dir) !== 'node_modules') {
      const file = path.join(dir, 'node_modules', ...name.split('/'), 'package.json');
      const json = readJson(file);
      if (json && typeof json.version === 'string' && json.version.trim()) return { version: json.version.trim(), shown: shown(from, file) };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

interface Declared {
  range: string;
  /** Path of the package.json, relative to the project root. */
  shown: string;
}

/**
 * The range of `name` in the dependencies or devDependencies of the nearest package.json that
 * lists it, from `from` up to the repository root (the folder holding `.git`).
 */
function findDeclared(from: string, name: string): Declared | null {
  let dir = from;
  for (;;) {
    const file = path.join(dir, 'package.json');
    const json = readJson(file);
    if (json) {
      for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
        const deps = json[field];
        if (deps && typeof deps === 'object' && typeof (deps as Record<string, unknown>)[name] === 'string') {
          return { range: ((deps as Record<string, unknown>)[name] as string).trim(), shown: shown(from, file) };
        }
      }
    }
    if (existsSync(path.join(dir, '.git'))) return null;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function shown(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

interface Parsed {
  parts: number[];
  /** How many of major, minor, patch were given (x / * count as not given). */
  given: number;
  pre: string | null;
}

const VERSION_RE = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parseVersion(text: string): Parsed | null {
  const m = VERSION_RE.exec(text.trim());
  if (!m) return null;
  const parts: number[] = [];
  let given = 0;
  for (const p of [m[1], m[2], m[3]]) {
    if (p === undefined || /^[xX*]$/.test(p) || given < parts.length) {
      parts.push(0);
    } else {
      parts.push(Number(p));
      given++;
    }
  }
  return { parts, given, pre: given === 3 ? (m[4] ?? null) : null };
}

function format(v: Parsed): string {
  return `${v.parts.join('.')}${v.pre ? `-${v.pre}` : ''}`;
}

/**
 * Compares two versions as semver does (`7.4.0-dev.3` < `7.4.0` < `7.10.0`); missing minor or
 * patch count as 0. Returns a negative number, 0 or a positive number.
 */
export function compareVersions(a: string, b: string): number {
  const pa = parseLoose(a);
  const pb = parseLoose(b);
  for (let i = 0; i < 3; i++) {
    if (pa.parts[i] !== pb.parts[i]) return pa.parts[i] - pb.parts[i];
  }
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === null) return 1;
  if (pb.pre === null) return -1;
  const ia = pa.pre.split('.');
  const ib = pb.pre.split('.');
  for (let i = 0; i < Math.max(ia.length, ib.length); i++) {
    if (ia[i] === undefined) return -1;
    if (ib[i] === undefined) return 1;
    const na = /^\d+$/.test(ia[i]);
    const nb = /^\d+$/.test(ib[i]);
    if (na && nb) {
      const d = Number(ia[i]) - Number(ib[i]);
      if (d !== 0) return d;
    } else if (na !== nb) {
      return na ? -1 : 1;
    } else if (ia[i] !== ib[i]) {
      return ia[i] < ib[i] ? -1 : 1;
    }
  }
  return 0;
}

function parseLoose(v: string): { parts: number[]; pre: string | null } {
  const [main, ...rest] = v.trim().replace(/^[v=]+/, '').split('+')[0].split('-');
  const nums = main.split('.').map((n) => Number.parseInt(n, 10));
  return { parts: [0, 1, 2].map((i) => (Number.isFinite(nums[i]) ? nums[i] : 0)), pre: rest.length ? rest.join('-') : null };
}

/**
 * The lowest version an npm range allows: `^7.2.0` → `7.2.0`, `~6.1` → `6.1.0`, `>=5 <8` → `5.0.0`,
 * `^6 || ^7` → `6.0.0`, `7.4.0-dev.3` → `7.4.0-dev.3`. Null when the range names no lowest
 * version: `latest` and other tags, `*`, `<8`, `workspace:*`, `catalog:`, git, file and URL specs.
 * `npm:prisma@<range>` aliases are read through.
 */
export function minimumVersionOfRange(range: string): string | null {
  let r = range.trim();
  const alias = /^npm:(?:@[^/@\s]+\/)?[^@\s]+@(.+)$/.exec(r);
  if (alias) r = alias[1].trim();
  if (r === '' || /[:/#]/.test(r)) return null;
  let lowest: string | null = null;
  for (const alternative of r.split('||')) {
    const min = minimumOfComparatorSet(alternative.trim());
    if (min === null) return null;
    if (lowest === null || compareVersions(min, lowest) < 0) lowest = min;
  }
  return lowest;
}

function minimumOfComparatorSet(set: string): string | null {
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(set);
  if (hyphen) {
    const v = parseVersion(hyphen[1]);
    return v && v.given > 0 ? format(v) : null;
  }
  const comparators = set.replace(/(>=|<=|>|<|=|\^|~>?)\s+/g, '$1').split(/\s+/).filter(Boolean);
  let best: string | null = null;
  for (const c of comparators) {
    const m = /^(>=|<=|>|<|=|\^|~>?)?(.*)$/.exec(c);
    if (!m) return null;
    const op = m[1] ?? '';
    const v = parseVersion(m[2]);
    if (!v) return null;
    if (op === '<' || op === '<=') continue;
    if (v.given === 0) continue; // `*`, `x`, `>=*`: no lower bound from this comparator
    let lower: Parsed = v;
    if (op === '>') {
      if (v.given < 3) {
        const parts = [...v.parts];
        parts[v.given - 1]++;
        for (let i = v.given; i < 3; i++) parts[i] = 0;
        lower = { parts, given: 3, pre: null };
      } else if (v.pre === null) {
        lower = { parts: [v.parts[0], v.parts[1], v.parts[2] + 1], given: 3, pre: null };
      }
    }
    const text = format(lower);
    if (best === null || compareVersions(text, best) > 0) best = text;
  }
  return best;
}
