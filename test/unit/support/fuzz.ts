/** Mutations and invariants shared by `npm run fuzz` and the fixed-seed slice in the test suite. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeMigration } from '../../../src/core/analysis/analyze-migration';
import { Catalog } from '../../../src/core/catalog/model';
import { parsePrismaSchema, type PrismaSchemaModel } from '../../../src/core/prisma/schema';
import { RULES } from '../../../src/core/rules/index';
import type { SourceRange } from '../../../src/core/types';
import { CORPUS, corpusRepos } from './corpus';
import { rng } from './random';

export { rng };

export interface Samples {
  sql: string[];
  schemas: string[];
}

const REPO = path.resolve(__dirname, '..', '..', '..');
let cached: Samples | null = null;

/** A spread of real migration files (every 7th, to keep memory and start-up small) and every schema file of the corpus. */
export function corpusSamples(): Samples {
  if (cached) return cached;
  const sql: string[] = [];
  const schemas: string[] = [];
  for (const repo of corpusRepos()) {
    const dir = path.join(CORPUS, repo, 'migrations');
    readdirSync(dir).sort().forEach((m, i) => {
      const f = path.join(dir, m, 'migration.sql');
      if (i % 7 === 0 && existsSync(f) && statSync(f).size < 200_000) sql.push(readFileSync(f, 'utf8'));
    });
    schemas.push(...filesUnder(path.join(CORPUS, repo, 'schema.prisma'), '.prisma'), ...filesUnder(path.join(CORPUS, repo, 'schema'), '.prisma'));
  }
  cached = { sql, schemas };
  return cached;
}

/** Every migration and schema file of the repository's own fixtures and examples: what fuzzing starts from without the corpus. */
export function fixtureSamples(): Samples {
  const roots = [path.join(REPO, 'test', 'fixtures', 'projects'), path.join(REPO, 'test', 'fixtures', 'prisma'), path.join(REPO, 'examples')];
  return { sql: roots.flatMap((d) => filesUnder(d, '.sql')), schemas: roots.flatMap((d) => filesUnder(d, '.prisma')) };
}

/** The text of every file ending in `ext` at or under `p`, in path order. */
function filesUnder(p: string, ext: string): string[] {
  if (!existsSync(p)) return [];
  if (!statSync(p).isDirectory()) return p.endsWith(ext) ? [readFileSync(p, 'utf8')] : [];
  return readdirSync(p).sort().flatMap((c) => filesUnder(path.join(p, c), ext));
}

const NASTY = [
  "'", '"', '$$', '$x$', '/*', '*/', '--', ';', '(', ')', '\\', '\0', '\uFEFF', '\r', '\r\n', '\u2028', '𝄞', 'é', 'CONCURRENTLY', 'BEGIN;', 'COMMIT;', 'NOT VALID', 'E\'', 'U&"',
  // schema.prisma
  '{', '}', '@', '@@', '//', '///', '@relation(', 'onDelete: ', 'fields: [', '@@map("', '@map(', 'Unsupported("', 'model X {', 'enum E {', '?', '[]',
];

export function mutate(text: string, r: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const tokens = text.split(/(\s+|[(),;"'])/);
  const at = () => Math.floor(r() * Math.max(1, text.length));
  switch (Math.floor(r() * 12)) {
    case 0: // token deletion
      tokens.splice(Math.floor(r() * tokens.length), 1 + Math.floor(r() * 3));
      return tokens.join('');
    case 1: { // token duplication
      const i = Math.floor(r() * tokens.length);
      tokens.splice(i, 0, ...tokens.slice(i, i + 1 + Math.floor(r() * 4)));
      return tokens.join('');
    }
    case 2: { // swap
      const i = Math.floor(r() * tokens.length);
      const j = Math.floor(r() * tokens.length);
      [tokens[i], tokens[j]] = [tokens[j], tokens[i]];
      return tokens.join('');
    }
    case 3: // truncation
      return text.slice(0, at());
    case 4: { // random bytes
      const i = at();
      let junk = '';
      for (let k = 0; k < 1 + r() * 8; k++) junk += String.fromCharCode(Math.floor(r() * 0x3000));
      return text.slice(0, i) + junk + text.slice(i);
    }
    case 5: { // unterminated quotes and dollar quotes
      const i = at();
      return text.slice(0, i) + pick(["'", '"', '$$', '$tag$', '/*', "E'\\"]) + text.slice(i);
    }
    case 6: // deep nesting
      return `SELECT ${'('.repeat(200 + Math.floor(r() * 800))}1${')'.repeat(200)};\n${text}`;
    case 7: // a very long identifier (up to ~10 MB)
      return `CREATE TABLE "${'x'.repeat(r() < 0.05 ? 10_000_000 : 100_000)}" (id int);\n${text}`;
    case 8: // mixed line endings
      return text.replace(/\n/g, () => pick(['\n', '\r\n', '\r']));
    case 9: // BOM
      return '\uFEFF' + text;
    case 10: { // nasty fragment
      const i = at();
      return text.slice(0, i) + pick(NASTY) + text.slice(i);
    }
    default: // splice two files
      return text.slice(0, at()) + text.slice(at());
  }
}

export interface FuzzResult {
  kind: 'sql' | 'schema';
  ms: number;
  failure?: FuzzFailure;
}

export interface FuzzFailure {
  kind: 'sql' | 'schema';
  input: string;
  problem: string;
}

function inside(r: SourceRange, len: number): boolean {
  return r.startOffset >= 0 && r.endOffset <= len && r.startOffset <= r.endOffset && r.start.line >= 1 && r.start.column >= 1;
}

const OPTIONS = { prismaVersion: '7.3.0', rules: RULES, severityOf: (_: string, s: 'error' | 'warning' | 'info') => s, fileOfMigration: () => null };

/** One mutation of one sample (a schema file one time in four), checked. Needs ensureSqlParser() first. */
export function fuzzOnce(samples: Samples, seed: number): FuzzResult {
  const r = rng(seed);
  if (samples.schemas.length && r() < 0.25) return fuzzSchemaOnce(samples, r);
  const base = samples.sql[Math.floor(r() * samples.sql.length)];
  let input = base;
  const rounds = 1 + Math.floor(r() * 3);
  for (let k = 0; k < rounds; k++) input = mutate(input, r);
  const t0 = performance.now();
  try {
    const a = analyzeMigration({ name: '20250101000000_fuzz', file: '/fuzz/migration.sql', text: input }, new Catalog(), OPTIONS);
    const ms = performance.now() - t0;
    for (const s of a.report.statements) if (!inside(s.range, input.length)) return { kind: 'sql', ms, failure: { kind: 'sql', input, problem: `statement range outside the file: ${JSON.stringify(s.range)}` } };
    for (const f of a.findings) if (!inside(f.range, input.length)) return { kind: 'sql', ms, failure: { kind: 'sql', input, problem: `${f.rule} range outside the file: ${JSON.stringify(f.range)}` } };
    const internal = a.findings.find((f) => f.message.includes('failed on this file'));
    if (internal) return { kind: 'sql', ms, failure: { kind: 'sql', input, problem: internal.message } };
    if (ms > 1000 && input.length < 5_000_000) return { kind: 'sql', ms, failure: { kind: 'sql', input, problem: `took ${ms.toFixed(0)} ms` } };
    return { kind: 'sql', ms };
  } catch (e) {
    return { kind: 'sql', ms: performance.now() - t0, failure: { kind: 'sql', input, problem: `threw: ${e instanceof Error ? e.stack : String(e)}` } };
  }
}

/**
 * A mutated schema file: read, then checked by every schema rule against the database a corpus
 * migration leaves, with the unmutated file as the base ref's schema (so the onDelete comparison
 * runs too). No throw, every range of the model and of every finding inside the file, under 1 s.
 */
function fuzzSchemaOnce(samples: Samples, r: () => number): FuzzResult {
  const base = samples.schemas[Math.floor(r() * samples.schemas.length)];
  let input = base;
  for (let k = 0, rounds = 1 + Math.floor(r() * 3); k < rounds; k++) input = mutate(input, r);
  const migration = samples.sql[Math.floor(r() * samples.sql.length)];
  const catalog = migration ? analyzeMigration({ name: '20250101000000_fuzz', file: '/fuzz/migration.sql', text: migration }, new Catalog(), OPTIONS).after : new Catalog();
  const file = '/fuzz/schema.prisma';
  const t0 = performance.now();
  try {
    const schema = parsePrismaSchema([{ path: file, text: input }]);
    const baseSchema = parsePrismaSchema([{ path: file, text: base }]);
    const findings: { rule: string; file: string; range: SourceRange }[] = [];
    for (const rule of RULES) {
      rule.checkSchema?.({ schema, catalog, baseSchema, baseRef: 'main', fileOfMigration: () => null, report: (f) => findings.push({ rule: rule.meta.id, file: f.file, range: f.range }) });
    }
    const ms = performance.now() - t0;
    for (const range of schemaRanges(schema)) if (!inside(range, input.length)) return { kind: 'schema', ms, failure: { kind: 'schema', input, problem: `schema range outside the file: ${JSON.stringify(range)}` } };
    for (const f of findings) if (f.file === file && !inside(f.range, input.length)) return { kind: 'schema', ms, failure: { kind: 'schema', input, problem: `${f.rule} range outside the file: ${JSON.stringify(f.range)}` } };
    if (ms > 1000 && input.length < 5_000_000) return { kind: 'schema', ms, failure: { kind: 'schema', input, problem: `took ${ms.toFixed(0)} ms` } };
    return { kind: 'schema', ms };
  } catch (e) {
    return { kind: 'schema', ms: performance.now() - t0, failure: { kind: 'schema', input, problem: `threw: ${e instanceof Error ? e.stack : String(e)}` } };
  }
}

/** Every range the schema model holds. */
export function schemaRanges(schema: PrismaSchemaModel): SourceRange[] {
  return [
    ...schema.models.flatMap((m) => [m.range, m.nameRange, ...m.fields.map((f) => f.range)]),
    ...schema.enums.map((e) => e.range),
    ...schema.relations.flatMap((rel) => [rel.fieldRange, rel.relationRange, rel.onDelete.range, rel.onUpdate.range]),
    ...schema.problems.map((p) => p.range),
  ].filter((range): range is SourceRange => range !== null);
}
